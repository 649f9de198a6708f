"""Reading a file of the render directory without following a link, hanging on a FIFO or filling memory."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_regular(path: Path | str, limit: int) -> bytes | None:
    """The bytes of `path` when it is a regular file (not a link) of at most `limit` bytes, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, left = [], limit + 1  # the file may grow while it is read
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None
