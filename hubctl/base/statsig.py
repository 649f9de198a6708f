"""A file's signature from its `lstat`: what the render's stamp records and the git index is trusted with.

One definition, so that the stamp (hubctl.usecases.render.stamp) and the commit's index entries
(hubctl.adapters.git.index) never disagree on when a file is the one that was vouched for.
"""

from __future__ import annotations

import os
from stat import S_ISREG

INO_MASK = (1 << 63) - 1  # inodes are unsigned 64-bit; the stamp's arrays are signed


def file_sig(st: os.stat_result) -> tuple[int, int, int, int]:
    """(size or -1, mtime_ns, ctime_ns, inode): the ctime changes with every change to the file, also one that
    puts the mtime back (`touch -d`, `rsync -t`, `tar x`); size -1 for anything but a regular file."""
    return (st.st_size if S_ISREG(st.st_mode) else -1, st.st_mtime_ns, st.st_ctime_ns, st.st_ino & INO_MASK)
