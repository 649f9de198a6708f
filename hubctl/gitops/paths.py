"""Check the paths hubctl writes into git: clean, relative, posix, never into .git."""

from __future__ import annotations

import re

from hubctl.errors import GitError

# an empty, "." or ".." component, a ".git" component (any case), a backslash or a NUL
_BAD = re.compile(r"(?:^|/)(?:\.{0,2}|\.git)(?:/|$)|[\\\0]", re.IGNORECASE)


def split_path(path: str, *, allow_empty: bool = False) -> list[str]:
    """Split a posix path relative to the repository root into its components.

    `allow_empty` accepts "" (and "." or surrounding slashes) for a prefix naming the repository root.

    Raises:
        GitError: the path is absolute, has empty, "." or ".." parts, a ".git" part, a backslash or a NUL.
    """
    if allow_empty:
        path = path.strip("/")
        if path in ("", "."):
            return []
    if _BAD.search(path):
        raise GitError(f"invalid path {path!r}: use a relative posix path without '.', '..' or '.git' parts",
                       hint="rendered paths are relative to the render directory, e.g. hub/root.yaml")
    return path.split("/")


def is_bad_path(path: str) -> bool:
    """True when split_path would refuse `path` (a cheap check for hot loops)."""
    return not path or _BAD.search(path) is not None or path.startswith("/")
