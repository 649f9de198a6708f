"""The trailers of a commit message, as Git reads them: its last paragraph, when that is all `Key: value`.

hubctl reads its own trailers (Hubctl-Spec-Hash, Hubctl-Source-Commit, Hubctl-Allowed-Removal) only
there, so a line that merely looks like one in a subject or body (a squash-merged pull request's
description, a `hubctl commit -m` text) is never taken for one.
"""

from __future__ import annotations

import re

_BLANK = re.compile(r"\n[ \t]*\n")
_TRAILER = re.compile(r"^[A-Za-z0-9][-A-Za-z0-9]*: ")


def trailer_block(message: str) -> str:
    """The trailer paragraph of `message` ("" when it has none): the last paragraph, not the first (the
    subject), every line of which is `Key: value` (or continues the line before, indented)."""
    paragraphs = [p for p in _BLANK.split(message.replace("\r\n", "\n").strip("\n")) if p.strip()]
    if len(paragraphs) < 2:
        return ""
    lines = paragraphs[-1].strip("\n").split("\n")
    if not _TRAILER.match(lines[0]) or not all(_TRAILER.match(line) or line[:1] in (" ", "\t") for line in lines):
        return ""
    return "\n".join(lines)
