"""Read a regular file of at most MAX_FILE_BYTES, never a device, FIFO or socket, never through a link.

Sizes are checked before reading, so a hostile file costs neither memory nor a hang. The spec sources read
the fleet's files through it, and the hub adapter the files a runner names (--token-file, --ca-file).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from hubctl.base.constants import MAX_FILE_BYTES
from hubctl.base.errors import SpecError
from hubctl.base.problems import Problem

_FILE_TYPES = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
               stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory", stat.S_IFLNK: "a symbolic link"}


class RefusedFile(SpecError):
    """A file of the fleet that hubctl will not read; `problem` says which and why (exit 3)."""

    def __init__(self, rel: str, message: str, hint: str, code: str):
        self.problem = Problem(rel, 0, 0, "", message, hint, code)
        super().__init__([self.problem], message=f"{rel}: {message}")
        self.hint = hint


def _too_large(rel: str, size: int) -> RefusedFile:
    return RefusedFile(rel, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                       "split it into several files", "file-too-large")


def _not_regular(rel: str, mode: int) -> RefusedFile:
    what = _FILE_TYPES.get(stat.S_IFMT(mode), "not a regular file")
    return RefusedFile(rel, f"{rel} is {what}; specs and blueprints are read from regular files only",
                       "replace it with a regular file", "not-a-file")


def read_regular_file(path: Path, rel: str) -> bytes:
    """The bytes of `path` (already resolved), shown as `rel`, when it is a regular file of at most
    MAX_FILE_BYTES.

    Raises:
        RefusedFile: for anything else, or when it cannot be read.
    """
    try:
        mode = os.stat(path, follow_symlinks=False).st_mode
        if not stat.S_ISREG(mode):  # checked before opening: opening a device can have effects
            raise _not_regular(rel, mode)
        # O_NONBLOCK: a FIFO swapped in after the check does not hang the open; O_NOFOLLOW: nor a link
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise RefusedFile(rel, f"{rel} cannot be read ({exc.strerror})", "check the file and its permissions",
                          "unreadable") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(rel, info.st_mode)
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(rel, info.st_size)
        chunks, left = [], MAX_FILE_BYTES + 1  # the file may grow while it is read
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(rel, len(data))
    return data
