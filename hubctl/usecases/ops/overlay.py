"""A fleet source that serves edited bytes for some files and the directory for the rest.

It lets an edit be validated as the whole fleet it would produce, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.spec.sources import DirectorySource


class OverlaySource:
    """The spec files of `base`, with `files` (relative path -> bytes) added or replacing theirs; a path
    mapped to None is removed."""

    def __init__(self, base: DirectorySource, files: Mapping[str, bytes | None]):
        self.base = base
        self.files = {rel: data for rel, data in files.items() if data is not None}
        self.removed = {rel for rel, data in files.items() if data is None}
        self.root = base.root
        self.cache_root = base.cache_root  # unchanged files hit the directory's parse cache
        self.label = f"{base.label} (edited)"

    def list(self) -> list[str]:
        return sorted((set(self.base.list()) - self.removed) | set(self.files))

    def escape(self, rel: str) -> str | None:
        return None if rel in self.files else self.base.escape(rel)

    def read(self, rel: str) -> bytes:
        if rel in self.files:
            return self.files[rel]
        if rel in self.removed:
            raise FileNotFoundError(rel)
        return self.base.read(rel)
