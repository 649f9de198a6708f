"""Git object ids and packfiles computed in Python, without a repository.

Why not let libgit2 hash? libgit2 hashes with SHA1DC (collision detecting, about 3x slower than OpenSSL's
SHA-1 that hashlib uses), and deciding what changed needs the id of every rendered file. Hashing here first
means unchanged files and directories are recognised without touching the object database at all.

Why a packfile? A first commit of a large render creates one object per file and per directory; one pack
is two files on disk instead of hundreds of thousands of loose objects, and is what `git gc` would make.
The ids written are checked against libgit2's own reading of the pack by the caller.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

_TYPE_CODES = {"commit": 1, "tree": 2, "blob": 3}


def hash_blobs(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The raw 20-byte git blob id of every file, by path."""
    sha1 = hashlib.sha1
    ids = {}
    for path, data in files.items():
        digest = sha1(b"blob %d\0" % len(data))
        digest.update(data)
        ids[path] = digest.digest()
    return ids


def write_pack(objects_dir: str | os.PathLike, objects: list[tuple[str, bytes, bytes]]) -> str:
    """Write `objects` (kind, raw id, body) as one pack plus index into `objects_dir`/pack.

    Returns the pack's name. Files appear atomically: the .idx, which makes the pack visible, last.
    """
    pack_dir = Path(objects_dir) / "pack"
    pack_dir.mkdir(parents=True, exist_ok=True)
    entries = []  # (raw id, crc32, offset)
    pack_sha = hashlib.sha1()
    with tempfile.NamedTemporaryFile(dir=pack_dir, prefix="tmp_pack_", delete=False) as tmp:
        header = b"PACK" + struct.pack(">II", 2, len(objects))
        tmp.write(header)
        pack_sha.update(header)
        offset = len(header)
        for (_kind, raw, _body), record in zip(objects, _records(objects), strict=True):
            tmp.write(record)
            pack_sha.update(record)
            entries.append((raw, zlib.crc32(record), offset))
            offset += len(record)
        checksum = pack_sha.digest()
        tmp.write(checksum)
    name = f"pack-{checksum.hex()}"
    os.replace(tmp.name, pack_dir / f"{name}.pack")
    _write_index(pack_dir / f"{name}.idx", entries, checksum)
    return name


def _records(objects: list[tuple[str, bytes, bytes]]) -> Iterable[bytes]:
    """Each object as a pack record (header + zlib data), compressed on all CPUs (zlib frees the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    def compress(chunk):
        return [_object_header(_TYPE_CODES[kind], len(body)) + zlib.compress(body, 1) for kind, _raw, body in chunk]

    workers = max(1, min(8, os.cpu_count() or 1))
    size = max(1, -(-len(objects) // (workers * 4)))
    chunks = [objects[i : i + size] for i in range(0, len(objects), size)]
    with ThreadPoolExecutor(workers) as pool:
        for records in pool.map(compress, chunks):
            yield from records


def _object_header(type_code: int, size: int) -> bytes:
    byte = (type_code << 4) | (size & 0x0F)
    size >>= 4
    out = bytearray()
    while size:
        out.append(byte | 0x80)
        byte = size & 0x7F
        size >>= 7
    out.append(byte)
    return bytes(out)


def _write_index(path: Path, entries: list[tuple[bytes, int, int]], pack_checksum: bytes) -> None:
    entries.sort()
    fanout = [0] * 256
    for raw, _crc, _offset in entries:
        fanout[raw[0]] += 1
    running = 0
    for i in range(256):
        running += fanout[i]
        fanout[i] = running
    large = [offset for _raw, _crc, offset in entries if offset >= 0x80000000]
    small, large_index = [], 0
    for _raw, _crc, offset in entries:
        if offset >= 0x80000000:
            small.append(0x80000000 | large_index)
            large_index += 1
        else:
            small.append(offset)
    parts = [
        b"\377tOc" + struct.pack(">I", 2),
        struct.pack(">256I", *fanout),
        b"".join(raw for raw, _crc, _offset in entries),
        struct.pack(f">{len(entries)}I", *(crc for _raw, crc, _offset in entries)),
        struct.pack(f">{len(small)}I", *small),
        struct.pack(f">{len(large)}Q", *large),
        pack_checksum,
    ]
    body = b"".join(parts)
    tmp = path.with_suffix(".idx.tmp")
    tmp.write_bytes(body + hashlib.sha1(body).digest())
    os.replace(tmp, path)
