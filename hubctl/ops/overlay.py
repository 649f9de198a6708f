"""A fleet source that serves edited bytes for some files and the directory for the rest.

It lets an edit be validated as the whole fleet it would produce, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.spec.sources import DirectorySource


class OverlaySource:
    """The spec files of `base`, with `files` (relative path -> bytes) added or replacing theirs."""

    def __init__(self, base: DirectorySource, files: Mapping[str, bytes]):
        self.base = base
        self.files = dict(files)
        self.root = base.root
        self.cache_root = base.cache_root  # unchanged files hit the directory's parse cache
        self.label = f"{base.label} (edited)"

    def list(self) -> list[str]:
        return sorted(set(self.base.list()) | set(self.files))

    def escape(self, rel: str) -> str | None:
        return None if rel in self.files else self.base.escape(rel)

    def read(self, rel: str) -> bytes:
        if rel in self.files:
            return self.files[rel]
        return self.base.read(rel)
