"""Check the paths hubctl writes into git: clean, relative, posix, never into .git."""

from __future__ import annotations

import re
from collections.abc import Collection

from hubctl.base.errors import GitError

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


def check_paths(paths: Collection[str]) -> None:
    """split_path's check for many paths at once (the hot path of a large commit).

    A bad component is empty or starts with a dot ("", ".", "..", ".git"), so it shows in the paths
    joined by line breaks as "//", "/.", a line starting with "/" or "." or ending with "/", or an empty
    line. Substring scans of the joined text (C speed) clear the usual case; anything suspicious gets
    the exact per-path check, so a harmless ".hidden" file is still accepted.

    Raises:
        GitError: some path would be refused by split_path.
    """
    joined = "\n" + "\n".join(paths) + "\n"
    if joined != "\n\n" and not any(mark in joined for mark in _SUSPICIOUS):
        return
    for path in paths:
        split_path(path)


_SUSPICIOUS = ("//", "/.", "\n.", "\n/", "/\n", "\n\n", "\\", "\0")


def work_tree_top(directory):
    """The top of the Git work tree that holds `directory` (a Path), or None (no repository, or a bare one)."""
    from pathlib import Path

    import pygit2

    found = pygit2.discover_repository(str(directory))
    workdir = pygit2.Repository(found).workdir if found else None
    return Path(workdir).resolve() if workdir else None
