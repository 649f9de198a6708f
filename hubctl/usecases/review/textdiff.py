"""Unified diffs of rendered files, and the name normalisation that lets identical changes fold."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

CONTEXT = 3
NULL = "/dev/null"


def unified(old: bytes | None, new: bytes | None, path: str) -> str:
    """The unified diff of one file (`old`/`new` None when the file is added/removed); "" when equal."""
    a = old.decode("utf-8", "replace").splitlines(keepends=True) if old is not None else []
    b = new.decode("utf-8", "replace").splitlines(keepends=True) if new is not None else []
    lines = difflib.unified_diff(a, b, NULL if old is None else f"a/{path}", NULL if new is None else f"b/{path}",
                                 n=CONTEXT)
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def counts(diff: str) -> tuple[int, int]:
    """(lines added, lines removed) of a unified diff."""
    added = removed = 0
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++ "):
            added += 1
        elif line.startswith("-") and not line.startswith("--- "):
            removed += 1
    return added, removed


@lru_cache(maxsize=4096)
def _pattern(names: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")


def normalise(text: str, tokens: dict[str, str]) -> str:
    """`text` with every whole occurrence of a name replaced by its token (`prod-eu-1` -> `<cluster>`).

    A name counts as whole when no letter or digit touches it: `web` is found in `storefront-web`,
    not in `webhook`; `prod-eu-1` is not found in `prod-eu-10`.
    """
    names = tuple(sorted(n for n in tokens if n))
    if not names:
        return text
    return _pattern(names).sub(lambda m: tokens[m.group(0)], text)
