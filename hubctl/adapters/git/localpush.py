"""Push to a repository on this machine (a path or file:// URL) with a compare-and-swap on its branch.

Why not libgit2's local transport? It reads the remote branch when it connects and later overwrites it
unconditionally (a forced update), so two pushes that connected before either wrote both succeed and the
first one's commit is lost. Here the missing objects are copied in (children before parents, or as one
pack that appears atomically), then the branch moves only if it still is where it was read and the new
commit descends from it; libgit2 checks the old value under the ref's lock file.

A first push of a large render would read every object back and compress it again (1.2 GB at 4,000
clusters). A pack of the source that holds only objects the push sends or the target has (the one the
commit just wrote) is linked or copied in whole instead, as `git clone --local` shares packs: a pack is
never changed in place. A pack holding anything else (another branch's objects) is never copied. A pack is a
file anyone can damage between `hubctl commit` and `hubctl push`: what is linked or copied in is checked
first (both files' checksums, the index naming the pack, every record's CRC) and a damaged pack is not
adopted; its objects are then read through libgit2, which checks each against its id.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import struct
import tempfile
import zlib
from pathlib import Path
from urllib.parse import unquote, urlparse

from hubctl.adapters.git import objects
from hubctl.adapters.git.commit import open_repository
from hubctl.base.errors import GitError

PACK_THRESHOLD = 1000  # more missing objects than this are copied as one pack
_SCP_LIKE = re.compile(r"^[^/]*:")  # host:path, as git reads it
_KINDS = {1: "commit", 2: "tree", 3: "blob", 4: "tag"}


def local_path(url: str) -> str | None:
    """The directory a path or file:// URL names, or None for a network URL."""
    if url.startswith("file://"):
        return unquote(urlparse(url).path)
    if "://" in url or _SCP_LIKE.match(url):
        return None
    return url


def push_local(repo, path: str, ref_name: str, commit: str) -> bool:
    """Move `ref_name` in the repository at `path` to `commit` if that is a fast-forward.

    Returns False when the branch there has commits `commit` does not contain, or moved meanwhile.

    Raises:
        GitError: there is no repository at `path`.
    """
    import pygit2

    target = open_repository(path)
    ref = target.references.get(ref_name)
    old = ref.target if ref is not None else None
    if old is not None and str(old) == commit:
        return True
    copy_objects(repo, target, commit)
    try:
        if ref is None:
            target.create_reference_direct(ref_name, pygit2.Oid(hex=commit), False, message="push")
            return True
        if not target.descendant_of(pygit2.Oid(hex=commit), old):
            return False
        ref.set_target(pygit2.Oid(hex=commit), "push")  # libgit2: fails unless the ref still holds `old`
    except (pygit2.GitError, pygit2.AlreadyExistsError, ValueError, KeyError, OSError):
        # moved meanwhile, or another writer holds its lock (pygit2 raises FileExistsError for a lock file
        # libgit2 could not create): fetch and decide again
        return False
    return True


def copy_objects(source, target, commit: str) -> int:
    """Copy every object reachable from `commit` that `target` lacks; returns how many.

    A tree or commit `target` has is taken to come with everything it reaches (as git assumes of a sound
    repository), which is why objects are written children first: a kill never leaves a parent without them.
    Blobs are known as such from their tree entries and read only when written: a push of a large render
    holds its trees, never all of its files.
    """
    import pygit2

    have = target.odb.exists
    missing: list[tuple[str, bytes, bytes | None]] = []  # a blob's body None: read when it is written
    seen: set[bytes] = set()
    stack: list = [(pygit2.Oid(hex=commit), None)]
    while stack:  # depth first, each object listed after everything it reaches (post-order)
        oid, read = stack.pop()
        if read is not None:
            missing.append((_KINDS[int(read[0])], oid.raw, read[1]))
            continue
        if oid.raw in seen or have(oid):
            continue
        seen.add(oid.raw)
        read = _read(source, oid)
        stack.append((oid, read))
        for child, is_blob in _children(source, oid, int(read[0])):
            if not is_blob:
                stack.append((child, None))
            elif child.raw not in seen and not have(child):
                seen.add(child.raw)
                missing.append(("blob", child.raw, None))
    pack_dir = Path(target.path, "objects", "pack")
    refused: set[Path] = set()
    staged: dict[Path, tuple[Path, Path]] = {}  # a source index -> its pack and index, checked, in pack_dir
    try:
        while True:  # a pack that cannot be staged whole and sound is refused; the others are chosen again
            before, packs, after = _adoption(source, target, missing, refused)
            bad = [index for index in packs if index not in staged and not _stage(index, pack_dir, staged)]
            if not bad:
                break
            refused.update(bad)
        _write(source, target, before)
        for index in packs:
            _install(*staged.pop(index), index, pack_dir)
        _write(source, target, after)
    finally:
        for files in staged.values():
            for path in files:
                path.unlink(missing_ok=True)
    return len(missing)


def _read(source, oid):
    """(type, body) of an object of the local repository.

    Raises:
        GitError: it is missing or damaged there (libgit2 checks what it reads against the id).
    """
    import pygit2

    try:
        return source.odb.read(oid)
    except (pygit2.GitError, KeyError, ValueError) as exc:  # damaged (libgit2's message says how) or missing
        raise GitError(f"object {oid} could not be read from the local repository {source.path}: {exc}",
                       hint="its object database is damaged (`git fsck --full` lists what); the remote "
                       "branch was not moved. Repair it, or clone again and run the same hubctl command") from None


def _write(source, target, missing: list) -> None:
    """Write `missing` into `target` in their order: one pack when many, else loose objects."""
    import pygit2

    bodies = _bodies(source, missing)
    if len(missing) > PACK_THRESHOLD:
        objects.write_pack(os.path.join(target.path, "objects"), bodies, len(missing), verify=False)
        return
    kinds = {"commit": pygit2.enums.ObjectType.COMMIT, "tree": pygit2.enums.ObjectType.TREE,
             "blob": pygit2.enums.ObjectType.BLOB, "tag": pygit2.enums.ObjectType.TAG}
    for kind, _raw, body in bodies:
        target.odb.write(kinds[kind], body)


def _bodies(source, missing):
    """The objects with their bodies, a blob's read from `source` when its turn comes."""
    import pygit2

    for kind, raw, body in missing:
        yield kind, raw, _read(source, pygit2.Oid(raw=raw))[1] if body is None else body


def _children(repo, oid, kind: int) -> list:
    """(id, is a blob) of what a commit or tree refers to (not a tree's submodule commits)."""
    if kind == 1:
        commit = repo[oid]
        return [(commit.tree_id, False), *((parent, False) for parent in commit.parent_ids)]
    if kind == 2:
        return [(entry.id, entry.type_str == "blob") for entry in repo[oid] if entry.filemode != 0o160000]
    return []


def _adoption(source, target, missing: list, refused: set[Path]) -> tuple[list, list[Path], list]:
    """(objects to write first, pack indexes of `source` to link in whole, objects to write after them).

    A pack is adopted when it holds more than PACK_THRESHOLD of the `missing` objects and nothing else
    the target lacks (so nothing unreachable from the pushed commit, such as another branch's objects,
    ever reaches the target), and is not in `refused`. At most one is (the one holding most of them): two
    packs could reference each other's objects, and one linked in before the other, then a kill, would leave
    the remote with trees whose children it lacks, which the next push, seeing the trees, would not send.
    An object that reaches the adopted pack's, directly or not, is written after it; the rest before:
    children always land before their parents.
    """
    import pygit2

    if len(missing) <= PACK_THRESHOLD:  # no pack can hold more than that of them: no index need be read
        return missing, [], []
    wanted = {raw for _kind, raw, _body in missing}
    taken: set[bytes] = set()
    packs = []
    for index in sorted(Path(source.path, "objects", "pack").glob("pack-*.idx")):
        if index in refused:
            continue
        ids = _pack_ids(index) or set()
        held = ids & wanted
        if len(held) <= max(PACK_THRESHOLD, len(taken)) or not index.with_suffix(".pack").is_file():
            continue
        if all(target.odb.exists(pygit2.Oid(raw=raw)) for raw in ids - held):
            packs, taken = [index], held
    if not taken:
        return missing, [], []
    before, after, late = [], [], set(taken)
    for item in missing:  # post-order: an object comes after everything it reaches
        kind, raw, _body = item
        if raw in taken:
            continue
        code = {"commit": 1, "tree": 2}.get(kind, 0)
        if code and any(child.raw in late for child, _blob in _children(source, pygit2.Oid(raw=raw), code)):
            late.add(raw)
            after.append(item)
        else:
            before.append(item)
    return before, packs, after


def _pack_ids(index: Path) -> set[bytes] | None:
    """The object ids a version 2 pack index lists (None for anything else: then the pack is not adopted)."""
    try:
        data = index.read_bytes()
    except OSError:
        return None
    if data[:8] != b"\377tOc\0\0\0\2" or len(data) < 8 + 1024:
        return None
    count = int.from_bytes(data[8 + 255 * 4 : 8 + 256 * 4], "big")
    start = 8 + 1024
    if len(data) < start + 20 * count:
        return None
    return {data[i : i + 20] for i in range(start, start + 20 * count, 20)}


def _stage(index: Path, pack_dir: Path, staged: dict) -> bool:
    """Link (else copy) a source pack and its index into `pack_dir` under temporary names, and check what was
    staged; True when it is sound (then `staged[index]` holds the two files). A damaged pack, or one that
    went away meanwhile (a `git gc` of the local repository), is left where it is and False returned."""
    pack_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    try:
        for source in (index.with_suffix(".pack"), index):
            fd, tmp = tempfile.mkstemp(dir=pack_dir, prefix="tmp_adopt_")
            os.close(fd)
            files.append(Path(tmp))
            os.unlink(tmp)
            try:
                os.link(source, tmp)
            except OSError as exc:
                if exc.errno not in _NO_LINK:  # gone (ENOENT), or the name taken meanwhile: not adopted
                    raise FileNotFoundError(source) from None
                _copy_new(source, tmp)
        if sound_pack(files[0], files[1]):
            staged[index] = (files[0], files[1])
            return True
    except FileNotFoundError:
        pass
    except BaseException:
        for path in files:
            path.unlink(missing_ok=True)
        raise
    for path in files:
        path.unlink(missing_ok=True)
    return False


_NO_LINK = {errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK}  # another filesystem, or no hard links


def _copy_new(source: Path, tmp: str) -> None:
    """Copy `source` to the new file `tmp` (never through an entry someone put there), read-only as git's packs."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, objects.read_only_mode())
    with os.fdopen(fd, "wb") as out, open(source, "rb") as into:
        shutil.copyfileobj(into, out, 1 << 20)


def _install(pack: Path, index: Path, source: Path, pack_dir: Path) -> None:
    """Move a staged pack and then its index to their names: the index, which makes the pack visible, last."""
    final = pack_dir / source.name
    if final.exists():  # the target has this pack already
        pack.unlink()
        index.unlink()
        return
    os.replace(pack, final.with_suffix(".pack"))
    os.replace(index, final)


def sound_pack(pack: Path, index: Path) -> bool:
    """Whether `pack` and its version 2 `index` are whole and belong together: the index's checksum, the pack's
    header, object count and checksum (the one the index records), and every record's CRC32 against the
    index (which also proves the offsets). Read as a stream: no file is ever held whole or mapped."""
    try:
        data = index.read_bytes()
        if data[:8] != b"\377tOc\0\0\0\2" or len(data) < 8 + 1024 + 40:
            return False
        if hashlib.sha1(data[:-20]).digest() != data[-20:]:
            return False
        count = int.from_bytes(data[8 + 255 * 4 : 8 + 256 * 4], "big")
        crcs_at = 8 + 1024 + 20 * count
        offsets_at = crcs_at + 4 * count
        extra = len(data) - 40 - (offsets_at + 4 * count)
        if extra < 0 or extra % 8:
            return False
        crcs = struct.unpack_from(f">{count}I", data, crcs_at)
        large = struct.unpack_from(f">{extra // 8}Q", data, offsets_at + 4 * count)
        offsets = []
        for offset in struct.unpack_from(f">{count}I", data, offsets_at):
            if offset & 0x80000000:
                if (offset & 0x7FFFFFFF) >= len(large):
                    return False
                offset = large[offset & 0x7FFFFFFF]
            offsets.append(offset)
        return _sound_records(pack, count, sorted(zip(offsets, crcs, strict=True)), data[-40:-20])
    except OSError:
        return False


def _sound_records(pack: Path, count: int, records: list[tuple[int, int]], checksum: bytes) -> bool:
    with open(pack, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        header = file.read(12)
        if len(header) != 12 or header[:4] != b"PACK" or header[4:8] not in (b"\0\0\0\2", b"\0\0\0\3"):
            return False
        if int.from_bytes(header[8:12], "big") != count or not count or size < 32:
            return False
        ends = [offset for offset, _crc in records[1:]] + [size - 20]
        if records[0][0] != 12 or any(end <= start for (start, _crc), end in zip(records, ends, strict=True)):
            return False
        digest = hashlib.sha1(header)
        position, record, crc = 12, 0, 0
        while position < size - 20:
            chunk = file.read(min(1 << 20, size - 20 - position))
            if not chunk:
                return False
            digest.update(chunk)
            view, start = memoryview(chunk), 0
            while start < len(chunk):
                take = min(len(chunk) - start, ends[record] - position - start)
                crc = zlib.crc32(view[start : start + take], crc)
                start += take
                if position + start == ends[record]:
                    if crc != records[record][1]:
                        return False
                    record, crc = record + 1, 0
            position += len(chunk)
        return file.read(21) == checksum == digest.digest()
