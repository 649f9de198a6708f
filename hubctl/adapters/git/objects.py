"""Git object ids and packfiles computed in Python, without a repository.

Why not let libgit2 hash? libgit2 hashes with SHA1DC (collision detecting, about 3x slower than OpenSSL's
SHA-1 that hashlib uses), and deciding what changed needs the id of every rendered file. Hashing here first
means unchanged files and directories are recognised without touching the object database at all.

Why a packfile? A first commit of a large render creates one object per file and per directory; one pack
is two files on disk instead of hundreds of thousands of loose objects, and is what `git gc` would make.
It is written as a stream: each body is asked for when its turn comes, checked against its id, compressed
and dropped, so a first commit of 1.2 GB holds a few megabytes of file bytes at a time, never the render.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from hubctl.base.errors import GitError, ObjectMismatchError

_TYPE_CODES = {"commit": 1, "tree": 2, "blob": 3}


def hash_blobs(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The raw 20-byte git blob id of every file, by path.

    Raises:
        GitError: a value is not bytes.
    """
    sha1 = hashlib.sha1
    ids = {}
    for path, data in files.items():
        if type(data) is not bytes:
            data = as_bytes(path, data)
        digest = sha1(b"blob %d\0" % len(data))
        digest.update(data)
        ids[path] = digest.digest()
    return ids


def as_bytes(path: str, data) -> bytes:
    """`data` as bytes (a bytearray or memoryview copied).

    Raises:
        GitError: `data` is not bytes-like.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    raise GitError(f"rendered file {path!r} holds {type(data).__name__}, not bytes")


def object_id(kind: str, body: bytes) -> bytes:
    """The raw git id of an object of `kind` holding `body`."""
    digest = hashlib.sha1(b"%s %d\0" % (kind.encode(), len(body)))
    digest.update(body)
    return digest.digest()


BATCH_BYTES = 4 << 20  # object bytes held at once while a pack is written (each batch compressed on all CPUs)


def write_pack(objects_dir: str | os.PathLike, objects: Iterable[tuple[str, bytes, bytes]], count: int, *,
               verify: bool = True) -> str:
    """Write `count` objects (kind, raw id, body), each checked against its id, as one pack plus index
    into `objects_dir`/pack. `verify=False` skips that check for bodies libgit2 has just read by their id
    (it verifies what it reads).

    `objects` may be a generator that makes each body when asked: at most about BATCH_BYTES of bodies (and
    their compressed records) are held at once, so a pack of a gigabyte costs megabytes of memory.
    Returns the pack's name. Files appear atomically: the .idx, which makes the pack visible, last.

    Raises:
        GitError: a body does not have its id, or `objects` does not yield `count` objects (an internal
            error: nothing is left behind).
    """
    pack_dir = Path(objects_dir) / "pack"
    pack_dir.mkdir(parents=True, exist_ok=True)
    entries = []  # (raw id, crc32, offset)
    pack_sha = hashlib.sha1()
    with tempfile.NamedTemporaryFile(dir=pack_dir, prefix="tmp_pack_", delete=False) as tmp:
        try:
            header = b"PACK" + struct.pack(">II", 2, count)
            tmp.write(header)
            pack_sha.update(header)
            offset = len(header)
            for raw, record in _records(objects, verify):
                tmp.write(record)
                pack_sha.update(record)
                entries.append((raw, zlib.crc32(record), offset))
                offset += len(record)
            if len(entries) != count:
                raise GitError(f"internal error: a pack of {count} objects got {len(entries)}")
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
        checksum = pack_sha.digest()
        tmp.write(checksum)
    name = f"pack-{checksum.hex()}"
    os.chmod(tmp.name, read_only_mode())  # as git leaves packs: a shared bare remote's users can read it
    os.replace(tmp.name, pack_dir / f"{name}.pack")
    _write_index(pack_dir / f"{name}.idx", entries, checksum)
    return name


def read_only_mode() -> int:
    """0444 less the process's umask (read from /proc: setting it to read it would race other threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o444 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o444


def _batches(objects: Iterable[tuple[str, bytes, bytes]]) -> Iterable[list[tuple[str, bytes, bytes]]]:
    batch, size = [], 0
    for item in objects:
        batch.append(item)
        size += len(item[2]) + 64
        if size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _records(objects: Iterable[tuple[str, bytes, bytes]], verify: bool = True) -> Iterable[tuple[bytes, bytes]]:
    """(raw id, pack record: header + zlib data) of each object, a batch at a time, each batch checked and
    compressed on all CPUs (hashlib and zlib free the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    def compress(chunk):
        out = []
        for kind, raw, body in chunk:
            if verify and object_id(kind, body) != raw:  # never write a pack whose index lies about its content
                raise ObjectMismatchError(f"{kind} {raw.hex()} does not hold the bytes given for it", kind=kind)
            out.append((raw, _object_header(_TYPE_CODES[kind], len(body)) + zlib.compress(body, 1)))
        return out

    workers = max(1, min(8, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        for batch in _batches(objects):
            size = max(1, -(-len(batch) // workers))
            for records in pool.map(compress, [batch[i : i + size] for i in range(0, len(batch), size)]):
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
    os.chmod(tmp, read_only_mode())
    os.replace(tmp, path)
