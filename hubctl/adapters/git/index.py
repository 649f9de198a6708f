"""Keep the index of a checked-out branch in step with the commits hubctl makes on it, even across a kill.

A commit moves the branch first and updates the index second. A run killed (or failing) between the two
leaves an index that still holds the old render: `git status` then shows every committed file as changed,
and a rerun finds nothing to commit. So before the branch moves, a marker `<git dir>/hubctl/index-pending`
names the branch and the render directory; it is removed once the index is written. Any later run that
finds the marker (under the hubctl lock, so its writer is gone) brings the index entries under the render
directory to the branch's tree and removes the git lock files that writer left behind.

The index itself is written by libgit2: to `index.lock`, then renamed over `index`, so it is never half
written. Entries for files the working tree holds with the committed bytes carry the file's stat, so
`git status` need not hash them again: taken from `lstat` when the render's stamp vouched for the file at
that very stat (nothing is read), else from hashing the file (`git add`).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from stat import S_ISREG

from hubctl.base.errors import GitError
from hubctl.base.statsig import file_sig

MARKER = ("hubctl", "index-pending")


def marker_path(repo) -> Path:
    return Path(repo.path, *MARKER)


def mark_pending(repo, ref_name: str, prefix: str, others: list[str] | None = None) -> None:
    """Record, before the branch moves, that the index must follow it (under `prefix`, and at `others`).

    Raises:
        GitError: the marker cannot be written (then nothing was changed).
    """
    path = marker_path(repo)
    try:
        path.parent.mkdir(exist_ok=True)
        path.write_text("".join(f"{line}\n" for line in (ref_name, prefix, *(others or ()))))
    except OSError as exc:
        raise GitError(f"cannot write {path}: {exc.strerror}",
                       hint="check the permissions of the git directory") from None


def clear_pending(repo) -> None:
    marker_path(repo).unlink(missing_ok=True)


def finish_interrupted(repo) -> bool:
    """Repair the index after a run that moved the checked-out branch but did not write the index.

    Returns True when there was something to finish. Call with the hubctl lock held.

    Raises:
        GitError: the index cannot be written (another git command holds its lock).
    """
    path = marker_path(repo)
    try:
        ref_name, prefix, *others = path.read_text().split("\n") + ["", ""]
        since = path.stat().st_mtime
    except OSError:
        return False
    _remove_left_locks(repo, ref_name, since)
    head = repo.references.get("HEAD")
    ref = repo.references.get(ref_name) if ref_name else None
    if head is not None and ref is not None and head.target == ref_name and not repo.is_bare:
        tree = repo[ref.target].tree
        sync_to_tree(repo, prefix, tree)
        sync_paths(repo, [other for other in others if other], tree)
    clear_pending(repo)
    return True


def _remove_left_locks(repo, ref_name: str, since: float) -> None:
    """Remove lock files created after the marker: the dead run's, unless a git command started since then
    holds one at this very moment (git would refuse to run beside such a file, as would the next commit)."""
    for rel in ("index.lock", f"{ref_name}.lock" if ref_name else ""):
        lock = Path(repo.path, rel)
        with contextlib.suppress(OSError):
            if rel and lock.stat().st_mtime >= since:
                lock.unlink()


def sync_to_tree(repo, prefix: str, tree) -> None:
    """Make the index entries under `prefix` exactly those of `tree` (a commit's root tree).

    Raises:
        GitError: the index cannot be read or written.
    """
    from hubctl.adapters.git.tree import subtree_id

    root = prefix.strip("/")
    index = read_index(repo)
    want: dict[str, str] = {}
    sub = subtree_id(repo, str(tree.id), root)
    if sub is not None:
        _list(repo, repo[sub], f"{root}/" if root else "", want)
    lead = f"{root}/" if root else ""
    have = {entry.path: (str(entry.id), entry.mode) for entry in index if entry.path.startswith(lead)}
    removed = [path for path in have if path not in want]
    changed = [path for path, oid in want.items() if have.get(path) != (oid, 0o100644)]
    apply(repo, index, removed, {path: want[path] for path in changed})


def tree_entry(tree, path: str):
    """The blob entry at `path` in `tree`, or None."""
    try:
        entry = tree[path]
    except KeyError:
        return None
    return entry if entry.type_str == "blob" else None


def sync_paths(repo, paths: list[str], tree) -> None:
    """Make the index entries at `paths` those of `tree` (absent there: not in the index).

    Raises:
        GitError: the index cannot be read or written.
    """
    if not paths:
        return
    removed, changed, modes = [], {}, {}
    for path in paths:
        entry = tree_entry(tree, path)
        if entry is None:
            removed.append(path)
        else:
            changed[path], modes[path] = str(entry.id), entry.filemode
    apply(repo, read_index(repo), removed, changed, modes)


def apply(repo, index, removed: list[str], changed: dict[str, str], modes: dict[str, int] | None = None,
          known: Mapping[str, tuple[int, int, int, int]] | None = None) -> None:
    """Remove `removed` and set `changed` {path: blob id} in the index (mode: `modes`, else a regular
    file), then write it.

    `known` holds (size, mtime_ns, ctime_ns, inode) of working-tree files already found to hold exactly the
    bytes being committed (the render's stamp vouched for them): such a file whose `lstat` still gives that
    signature is entered with its stat without being read. Any other file is hashed (`git add`) and its
    stat recorded only when it holds the committed bytes.

    Raises:
        GitError: the index cannot be written.
    """
    import pygit2

    for path in removed:
        if path in index:
            index.remove(path)
    workdir = repo.workdir or ""
    for path, oid in changed.items():
        mode = (modes or {}).get(path, pygit2.enums.FileMode.BLOB)
        st = _vouched_stat(workdir, path, known) if mode == pygit2.enums.FileMode.BLOB else None
        if st is not None:
            index.add(stat_entry(path, oid, mode, st))
            continue
        try:
            index.add(path)  # hashes the working tree's file and records its stat
            if str(index[path].id) == oid and index[path].mode == mode:
                continue
        except (OSError, KeyError, pygit2.GitError):
            pass
        index.add(pygit2.IndexEntry(path, pygit2.Oid(hex=oid), mode))
    try:
        index.write()
    except pygit2.GitError as exc:
        raise GitError(f"the commit was made, but the index could not be updated: {exc}",
                       hint="if no other git command is running, delete .git/index.lock; then run the same "
                       "hubctl command again: it brings the index up to date") from None


def _vouched_stat(workdir: str, path: str, known: Mapping[str, tuple[int, int, int, int]] | None):
    """The `lstat` of the working-tree file at `path` when it still has the signature `known` gives it:
    (size, mtime_ns, ctime_ns, inode), the ctime so that bytes changed with the mtime put back are hashed."""
    signature = known.get(path) if known else None
    if signature is None:
        return None
    try:
        st = os.lstat(os.path.join(workdir, path))
    except OSError:
        return None
    return st if S_ISREG(st.st_mode) and file_sig(st) == tuple(signature) else None


def stat_entry(path: str, oid: str, mode: int, st: os.stat_result):
    """An index entry carrying the working-tree file's stat, as `git add` records it, so that `git status`
    trusts the file by its stat instead of hashing it again."""
    import pygit2

    entry = _stat_entry_type()(path, pygit2.Oid(hex=oid), mode)
    entry.stat = st
    return entry


@functools.cache
def _stat_entry_type():
    """pygit2.IndexEntry with the stat fields of libgit2's git_index_entry filled in (pygit2 fills only the
    path, id and mode; libgit2 copies every field into the index)."""
    import pygit2

    def int32(value: int) -> int:  # git keeps seconds in 32 bits, as libgit2 does
        return (value + 2**31) % 2**32 - 2**31

    class StatEntry(pygit2.IndexEntry):
        stat: os.stat_result

        def _to_c(self):
            centry, path = super()._to_c()
            st = self.stat
            for field, ns in (("ctime", st.st_ctime_ns), ("mtime", st.st_mtime_ns)):
                seconds, nanoseconds = divmod(ns, 10**9)
                stamp = getattr(centry, field)
                stamp.seconds, stamp.nanoseconds = int32(seconds), nanoseconds
            centry.dev, centry.ino = st.st_dev & 0xFFFFFFFF, st.st_ino & 0xFFFFFFFF
            centry.uid, centry.gid = st.st_uid & 0xFFFFFFFF, st.st_gid & 0xFFFFFFFF
            centry.file_size = st.st_size & 0xFFFFFFFF
            return centry, path

    return StatEntry


def read_index(repo):
    """The repository's index, freshly read from disk.

    Raises:
        GitError: it cannot be read.
    """
    import pygit2

    index = repo.index
    try:
        index.read()
    except pygit2.GitError as exc:
        raise GitError(f"cannot read the index of {repo.workdir}: {exc}", hint="check `git status`") from None
    return index


def _list(repo, tree, base: str, out: dict[str, str]) -> None:
    for entry in tree:
        if entry.type_str == "tree":
            _list(repo, repo[entry.id], f"{base}{entry.name}/", out)
        elif entry.filemode != 0o160000:
            out[f"{base}{entry.name}"] = str(entry.id)

