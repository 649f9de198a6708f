"""Writing a render to disk without ever leaving a half-written file; and `--check`.

The render is complete in memory before anything is written, so a spec or template error never
touches the output. A first render is written into a temporary directory next to the output and
renamed into place. Later renders change only what changed: every new or changed file is first
written to a temporary file beside its target (phase 1; on any error those are removed and the
previous output is intact), then all of them are renamed over their targets and stale files are
deleted (phase 2: metadata operations only). Identical files are never rewritten, and a tree of
20,000 files is never deleted wholesale (this machine class stalls after mass deletes). A journal
(hubctl.usecases.render.journal) marks the tree as half-written from before phase 1 until the stamp is written.

Only files hubctl owns are deleted (hubctl.usecases.render.confine): those the stamp of the previous render or an
interrupted render's authentic journal lists, or rendered files (hubctl's label) whose bytes Git holds.
Other files, dot-files included, are left and reported. Files are read without following links, never
from a FIFO or device, and at most MAX_READ bytes; anything else where a rendered file goes is replaced
(the link itself, never its target). One render at a time writes a directory (hubctl.usecases.render.dirlock).

A stamp (sizes, mtimes and content hashes of the files written) is kept in the user's cache
directory, so that unchanged files are recognised by `stat` instead of being read back.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from array import array
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import ne
from pathlib import Path

from hubctl.base.errors import UsageError
from hubctl.usecases.render import journal
from hubctl.usecases.render.safeio import read_regular
from hubctl.usecases.render.stamp import (
    OLD_STAMP_VERSION,
    STAMP_VERSION,
    Scan,
    Stamp,
    Verified,
    dir_sig,
    file_sig,
    record,
    restamp,
    scan,
    settle,
)

TMP_SUFFIX = ".hubctl-tmp"
MAX_READ = 64 * 1024 * 1024  # a rendered file larger than this is rewritten, not read back
# a stamp differing from its base file in at most this many entries, or this share of them, is written as a
# delta: a one-flow change at 4,000 clusters touches about 800 of 570,000 entries
DELTA_MIN, DELTA_SHARE = 4096, 16


@dataclass
class OutputChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    foreign: list[str] = field(default_factory=list)  # files render did not write, left in place
    stamped: bool = field(default=False, repr=False, compare=False)  # the directory is exactly as stamped
    # (size, mtime_ns, ctime_ns, inode) of the files found on disk (for the stamp: unchanged files need no second
    # stat): a Scan, or a stamp.Verified when the directory was found as stamped (its .scan() is the Scan)
    seen: dict = field(default_factory=dict, repr=False, compare=False)
    # files the stamp recorded with another content identifier, read back and found equal (stamp.restamp)
    reread: list[str] = field(default_factory=list, repr=False, compare=False)
    # the groups of files (fleet.Group) found as the stamp recorded them, their files not compared one by one
    skipped: tuple = field(default=(), repr=False, compare=False)

    @property
    def dirty(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def existing_files(out: Path) -> Scan:
    """Entries under `out` by posix path relative to it: (size, mtime_ns, ctime_ns, inode); size -1 for anything but a
    regular file (a link, FIFO, device), which therefore never matches a stamp. Dot-files count like any
    other file; only hubctl's own journal and temporary files are left out. Only the directories that
    changed since the stamp recorded them are listed (hubctl.usecases.render.stamp)."""
    return scan(out, read_stamp(out))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]  # SHA-256 has CPU support here: 2.7x faster than blake2b


class PartialDigests(dict):
    """content_digests of a render but the files of the groups in `skipped` (fleet.Group), whose stamp
    vouches for them as a whole; `complete()` adds theirs, for whatever must look at every file."""

    def __init__(self, ids: dict[str, str], skipped=()):
        super().__init__(ids)
        self.skipped = tuple(skipped)

    def complete(self) -> PartialDigests:
        for group in self.skipped:
            self.update(zip(group.paths(), group.ids(), strict=True))
        self.skipped = ()
        return self


def complete(digests):
    """`digests` with every file's identifier (PartialDigests completed)."""
    return digests.complete() if isinstance(digests, PartialDigests) else digests


def content_digests(files: dict[str, bytes], recipes: dict[str, str] | None = None, skip=()) -> dict[str, str]:
    """What identifies each file's content: its recipe when it has one (no hashing), else its digest.

    A recipe ("r<hex>/<cluster>") names the shared text a file was stamped from (its digest, with
    hubctl's code key) and the cluster stamped in: equal recipes mean equal bytes. Different identifiers
    where one is a recipe prove nothing, so compare() then reads the file back. `skip`: groups of files
    (fleet.Group) left out; the result is then a PartialDigests.
    """
    if hasattr(files, "stamped_ids"):  # fleet.RenderedFiles knows its stamped files' recipes itself
        ids = files.stamped_ids(skip)
        ids.update((rel, digest(data)) for rel, data in files.plain_items())
        return PartialDigests(ids, skip) if skip else ids
    if not recipes:
        return {rel: digest(files[rel]) for rel in files}
    digests = {rel: recipes[rel] for rel in files if rel in recipes}
    if len(digests) < len(files):
        digests.update((rel, digest(files[rel])) for rel in files if rel not in recipes)
    return digests


def stamp_path(out: Path) -> Path:
    from hubctl.base.cachefile import cache_path

    return cache_path("stamps", str(out.resolve()))


def delta_path(out: Path) -> Path:
    path = stamp_path(out)
    return path.with_name(path.stem + "-delta" + path.suffix)


def read_stamp(out: Path) -> Stamp:
    """What the last render of `out` recorded (an empty Stamp if unknown): the stamp's base file, brought up
    to its delta file when the delta was made on that very base (write_stamp)."""
    from hubctl.base import cachefile

    if not out.is_dir():  # deleted since its last render (or never rendered): the stamp vouches for nothing
        return Stamp()    # there (at 4,000 clusters, reading it would cost 0.2 s and 125 MB for nothing)
    # not tied to hubctl's build: after an upgrade the stamp still vouches for files by stat and recipe
    path = stamp_path(out)
    data, base = cachefile.load_tagged(path, STAMP_VERSION, versioned=False)
    if data is None:  # a stamp from the version before, read once after an upgrade
        base = cachefile.tag(path)  # before the load: a stamp written in between reads as changed
        data = cachefile.load(path, OLD_STAMP_VERSION, versioned=False)
    stamp = Stamp.from_document(data)
    before = cachefile.tag(delta_path(out))  # a delta written after it is not applied: the origin says so
    delta, tag = cachefile.load_tagged(delta_path(out), STAMP_VERSION, versioned=False)
    if isinstance(data, dict) and data.get("version") == STAMP_VERSION and stamp:
        stamp.base = base
        if isinstance(delta, dict) and delta.get("base") == base:
            stamp.apply(delta)  # (one of another shape is not: the stamp is then the base's alone)
    stamp.origin = (base, tag if delta is not None else before)  # the files read
    return stamp


def stale_since(out: Path, stamp: Stamp | None) -> bool:
    """Whether `out` may have been written since `stamp` was read and the caller scanned it without the lock
    (run.py scans while the specs load): another render's stamp replaced it, a render was killed in it, or
    there is no stamp to tell. A render that ran in between, from start to end, leaves the lock free."""
    from hubctl.base import cachefile

    if stamp is None or not stamp:
        return True
    now = (cachefile.tag(stamp_path(out)), cachefile.tag(delta_path(out)))
    return now != stamp.origin or journal.interrupted(out)


def write_stamp(out: Path, digests: dict[str, str], inputs: str = "", summary: dict | None = None,
                found: Scan | Verified | None = None, touched: set[str] | None = None, gone=(), written=(),
                reread=(), groups=()) -> None:
    """Record `out` as it is now: `found` (a scan from before the render wrote `written` and so changed the
    directories in `touched`; everything is listed when there is none), with `digests` for the files the
    render holds (a file that changed since `found` without the render writing it is not vouched for).
    `reread`: files read back and found equal although the stamp recorded another content identifier.
    `groups`: the render's groups of files (fleet.Group), signed from what the stamp records of their files;
    those `digests` skipped (a PartialDigests) keep the signature `found` (a Verified) records."""
    from hubctl.base import cachefile

    if isinstance(found, Verified) and not gone:
        stamp = restamp(out, found, digests, touched or set(), set(written), reread, inputs, summary)
        old, known = found.stamp, found.positions()
        appended = dict(zip(stamp.files[len(old.files):], range(len(old.files), len(stamp.files)), strict=True))
        carried = {group.template for group in getattr(digests, "skipped", ())}
        stamp.groups = {template: old.groups[template] for template in carried}
        stamp.groups.update(stamp.signed([(g.template, g.names) for g in groups if g.template not in carried],
                                         lambda rel: known.get(rel, appended.get(rel))))
    else:
        if isinstance(found, Verified):
            found = found.scan()
        elif found is None:
            found, touched = Scan(started=time.time_ns()), {""}
        settle(out, found, touched or set(), gone, set(written))
        stamp = record(found, complete(digests), inputs, summary)
        stamp.groups = stamp.signed([(g.template, g.names) for g in groups]) if groups else {}
    if stamp.base is not None and len(stamp.changed_dirs) + len(stamp.changed_files) <= max(
            DELTA_MIN, (len(stamp.dirs) + len(stamp.files)) // DELTA_SHARE):
        cachefile.save(delta_path(out), STAMP_VERSION, stamp.delta_document(), versioned=False)
        return
    cachefile.save(stamp_path(out), STAMP_VERSION, stamp.document(), versioned=False)
    with contextlib.suppress(OSError):  # made on another base, a delta left behind is never applied
        delta_path(out).unlink()


def compare(files: dict[str, bytes], out: Path, digests: dict[str, str] | None = None,
            stamp: Stamp | None = None, current: dict | None = None) -> OutputChanges:
    """How `out` differs from `files`; reads a file back only when the stamp cannot vouch for it.

    `digests` is content_digests(files, ...); `current` is existing_files(out) when the caller scanned it, or
    a stamp.Verified when `verify` found `out` exactly as `stamp` recorded it. Added and changed files are
    listed in path order. `digests` may skip groups of files (a PartialDigests) only with such a Verified.
    """
    digests = digests if digests is not None else content_digests(files)
    stamp = stamp if stamp is not None else read_stamp(out)
    if isinstance(current, Verified):
        if current.stamp is stamp:
            return _compare_verified(files, str(out), digests, current)
        current = current.scan()
    digests = complete(digests)
    current = current if current is not None else scan(out, stamp)
    changes = OutputChanges(seen=current)
    base = str(out)
    sigs, known = stamp.fsigs, stamp.digests
    found = current.get
    now = array("q", chain.from_iterable(map(found, stamp.files, repeat((-3, -3, -3, -3)))))
    moved = () if now == sigs else {i for i in range(len(stamp.files)) if now[4 * i:4 * i + 4] != sigs[4 * i:4 * i + 4]}
    changes.stamped = not moved and len(current) == len(stamp.files) and getattr(current, "exact", False)
    ours = digests.get
    if moved:
        known = [k if i not in moved else "" for i, k in enumerate(known)]  # "": the stamp cannot vouch
    # the files on disk as the stamp recorded them, with the content the render gives them: unchanged
    vouched = {rel for rel, k in zip(stamp.files, known, strict=True) if k and ours(rel) == k}
    rest = sorted(rel for rel in files if rel not in vouched)
    changes.unchanged = len(vouched)
    wanted = set(rest)
    known_of = {rel: k for rel, k in zip(stamp.files, known, strict=True) if rel in wanted}
    for rel in rest:
        sig = found(rel)
        if sig is None:
            changes.added.append(rel)
            continue
        recorded, wanted_id = known_of.get(rel, ""), digests[rel]
        if recorded and "r" not in (recorded[0], wanted_id[0]):  # two content digests that differ
            same = False
        else:
            data = files[rel]
            same = sig[0] == len(data) and _read(f"{base}/{rel}") == data
        if same:
            changes.unchanged += 1
        else:
            changes.changed.append(rel)
    changes.removed = sorted(set(current) - set(files))
    return changes


def _compare_verified(files, base: str, digests: dict[str, str], verified: Verified) -> OutputChanges:
    """compare() when `out` is exactly as the stamp recorded: every file whose recorded content identifier is
    the one the render gives it is unchanged, found without a Python step per file (C-level `map` over the
    281,000 entries of 4,000 clusters); only the others are looked at one by one."""
    stamp = verified.stamp
    skipped = getattr(digests, "skipped", ())
    if skipped:  # every file of a skipped group is recorded with the content the render gives it: unchanged
        positions, recorded_ids = verified.positions(), stamp.digests
        rest = sorted(rel for rel, wanted in digests.items() if (i := positions.get(rel)) is None
                      or recorded_ids[i] != wanted)
        recorded = {rel: recorded_ids[positions[rel]] for rel in rest if rel in positions}
    else:
        recorded = dict(zip(stamp.files, stamp.digests, strict=True))
        rest = sorted(compress(digests.keys(), map(ne, map(recorded.get, digests.keys()), digests.values())))
    changes = OutputChanges(seen=verified, stamped=True, skipped=skipped)
    changes.unchanged = len(files) - len(rest)
    for rel in rest:
        known = recorded.get(rel)
        if known is None:
            changes.added.append(rel)
            continue
        if known and "r" not in (known[0], digests[rel][0]):  # two content digests that differ
            same = False
        else:
            data = files[rel]
            same = verified.get(rel)[0] == len(data) and _read(f"{base}/{rel}") == data
        if same:
            changes.unchanged += 1
            changes.reread.append(rel)
        else:
            changes.changed.append(rel)
    if not skipped:
        changes.removed = sorted(recorded.keys() - digests.keys())
    elif len(stamp.files) != sum(len(group.names) for group in skipped) + len(digests) - len(changes.added):
        # the stamp records files the render does not hold (a skipped group's are all recorded)
        rendered = set(chain.from_iterable(group.paths() for group in skipped))
        changes.removed = sorted(rel for rel in stamp.files if rel not in digests and rel not in rendered)
    return changes


def _read(path: str) -> bytes | None:
    return read_regular(path, MAX_READ)


def _write_file(path: Path, data: bytes, shown: Path) -> None:
    """Write `data` to a new file `path` (an entry already there is replaced, never written through); a
    refused write (a full disk, a quota) names `shown`, the file it is for."""
    try:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()  # a partial file is never left behind, also not a temporary one
        if exc.filename:
            raise
        raise OSError(exc.errno, exc.strerror, str(shown)) from exc


def _write_new_tree(files: dict[str, bytes], out: Path) -> Scan:
    """Write `files` into a new stage beside `out`, then rename it to `out`. Returns what was written as a
    scan for the stamp: each file's signature from `fstat` right after its write and each directory's from
    an `lstat` once all of them were written, so the new tree is not listed again (289,000 directories at
    4,000 clusters). Nothing else writes the stage meanwhile: its name is private to this render and the
    tree is not at `out` yet. An entry whose ctime is within a tick of that `lstat` pass is still listed
    again by `stamp.settle` before it is recorded; anything changed after the rename has a newer ctime."""
    stage = out.parent / journal.temp_name(out.name)
    if os.path.lexists(stage):  # not a stage this user's hubctl left (those are removed before): not ours to delete
        from hubctl.usecases.render.confine import OutputDirError

        raise OutputDirError(f"{stage} is in the way of the first render of {out}",
                             hint="remove it (hubctl never deletes what it did not write), then render again")
    stage.mkdir()
    journal.begin(stage, files, tmp=False)  # a killed first render leaves a stage the next one removes
    made: set[str] = {""}
    base = str(stage)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    found = Scan()
    for rel, data in files.items():  # strings, not Paths: 281,000 files at 4,000 clusters
        parent = rel.rpartition("/")[0]
        if parent not in made:
            _make_dirs(base, parent, made)
        path = f"{base}/{rel}"
        try:  # the stage is new and ours alone: nothing to replace, O_EXCL refuses anything planted
            fd = os.open(path, flags, 0o644)
            try:
                _write_all(fd, data)
                found[rel] = file_sig(os.fstat(fd))
            finally:
                os.close(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise OSError(exc.errno, exc.strerror, str(out / rel)) from exc
    found.started = time.time_ns()  # every entry was written before this moment
    found.dirs = {rel: dir_sig(os.lstat(f"{base}/{rel}" if rel else base)) for rel in made}
    os.rename(stage, out)
    return found


def _make_dirs(base: str, parent: str, made: set[str]) -> None:
    """mkdir `parent` (relative to `base`) and whichever of its ancestors `made` does not hold yet."""
    missing = []
    while parent not in made:
        missing.append(parent)
        parent = parent.rpartition("/")[0]
    for directory in reversed(missing):
        os.mkdir(f"{base}/{directory}")
        made.add(directory)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _replace_changed(files: dict[str, bytes], out: Path, changes: OutputChanges) -> None:
    staged: list[tuple[Path, Path]] = []
    try:
        for rel in changes.added + changes.changed:  # phase 1: every new byte lands in a temporary file
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(journal.temp_name(target.name))
            _write_file(tmp, files[rel], target)
            staged.append((tmp, target))
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        journal.finish(out)  # nothing but temporary files was written: the tree is the old one
        raise
    for tmp, target in staged:  # phase 2: renames and deletions only
        os.replace(tmp, target)
    for rel in changes.removed:
        (out / rel).unlink()
    _prune_empty_dirs(out, changes.removed)


def _prune_empty_dirs(out: Path, removed: list[str]) -> None:
    for parent in sorted({Path(rel).parent for rel in removed}, key=lambda p: -len(p.parts)):
        directory = out / parent
        while directory != out and directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent


def write_output(files: dict[str, bytes], out: Path, inputs: str = "", summary: dict | None = None,
                 current: dict | None = None, recipes: dict[str, str] | None = None,
                 stamp: Stamp | None = None, digests: dict[str, str] | None = None,
                 planned: OutputChanges | None = None) -> OutputChanges:
    """Make `out` hold exactly `files`, rewriting only what changed, never half-writing a file.

    `inputs` and `summary` are recorded in the stamp (see hubctl.usecases.render.uptodate); `current` is
    existing_files(out) when the caller scanned it already, and `stamp` read_stamp(out) when it read it;
    `recipes` come from the Render, `digests` is content_digests(files, recipes) when the caller made it.
    `planned`: compare(files, out, digests, stamp, current) when the caller made it; used only when no other
    render wrote `out` since `current` was scanned.

    Raises:
        UsageError: when `out` exists and is not a directory.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is not a directory", hint="pass --out DIR")
    from hubctl.usecases.render.dirlock import render_lock

    out.parent.mkdir(parents=True, exist_ok=True)
    with render_lock(out) as waited:  # what was scanned before another render finished is out of date
        if waited or ((current is not None or stamp is not None) and stale_since(out, stamp)):
            current = stamp = None  # what was scanned and read before another render wrote is out of date
        if planned is not None and (current is None or planned.seen is not current):
            planned = None
        return _write_locked(files, out, inputs, summary, current, recipes, stamp, digests, planned)


def _write_locked(files: dict[str, bytes], out: Path, inputs: str, summary: dict | None, current: dict | None,
                  recipes: dict[str, str] | None, stamp: Stamp | None, digests: dict[str, str] | None = None,
                  planned: OutputChanges | None = None) -> OutputChanges:
    digests = digests if digests is not None else content_digests(files, recipes)
    stamp = stamp if stamp is not None else read_stamp(out)
    journal.recover_stages(out)
    if not out.exists():
        found, touched = _write_new_tree(files, out), set()
        changes = OutputChanges(added=list(files))
    else:
        claimed = journal.recover(out) if journal.interrupted(out) else set()
        if planned is not None and not claimed:
            changes = planned
        else:
            changes = compare(files, out, digests := complete(digests), stamp, current)
        _keep_foreign(out, changes, lambda: claimed | stamp.owned())
        if changes.dirty:
            journal.begin(out, changes.added + changes.changed, changes.removed)
            _replace_changed(files, out, changes)
        found, touched = changes.seen, _touched((*changes.added, *changes.changed, *changes.removed, *claimed))
        if claimed and isinstance(found, Verified):
            found = found.scan()
    groups = getattr(files, "groups", ())
    if changes.dirty or stamp.inputs != inputs or not changes.stamped or \
            stamp.groups.keys() != {group.template for group in groups}:
        write_stamp(out, digests, inputs, summary, found, touched, changes.removed, (*changes.added, *changes.changed),
                    changes.reread, groups)
    journal.finish(out)
    return changes


def _touched(rels) -> set[str]:
    """The directories a render's writes and deletions changed: each changed entry's directory and, for
    directories it made or removed, their parents up to the top."""
    touched = {""}
    for rel in rels:
        parent = rel.rpartition("/")[0]
        while parent not in touched:
            touched.add(parent)
            parent = parent.rpartition("/")[0]
    return touched


def _keep_foreign(out: Path, changes: OutputChanges, owned) -> None:
    """Leave the files hubctl does not own (`owned()` are those it does) out of `changes.removed` (into
    `changes.foreign`).

    Raises:
        OutputDirError: a file or symbolic link stands where a write needs a directory.
    """
    from hubctl.usecases.render.confine import OutputDirError, conflicts, held_by_git

    blocked = conflicts(out, changes.added, changes.added + changes.changed, changes.seen)
    if blocked:
        kind = "a directory where the render writes a file" if (out / blocked[0]).is_dir() and not \
            (out / blocked[0]).is_symlink() else "a file or symbolic link where the render needs a directory"
        raise OutputDirError(f"{out / blocked[0]} is {kind}", hint="remove it (hubctl never writes through a "
                             "symbolic link nor deletes what it did not write), then render again")
    if not changes.removed:
        return
    owned = owned()
    unowned = [rel for rel in changes.removed if rel not in owned]
    if unowned:
        held = held_by_git(out, unowned)
        changes.foreign = [rel for rel in unowned if rel not in held]
        keep = set(changes.foreign)
        changes.removed = [rel for rel in changes.removed if rel not in keep]
