"""Reading a committed render back: blob ids under a directory, and their bytes on demand.

Listing a render's 33,000 files walks 34,000 trees (about 0.5 s). A tree id names its content exactly, so
the listing of the last tree hubctl wrote or read is kept in `<git dir>/hubctl/listing` and reused when
the same tree comes back (the usual case: the branch's tip is hubctl's last commit). A missing or damaged
file, or one this user's hubctl did not write (it is authenticated, see hubctl.base.cachefile), costs the walk,
never a wrong answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hubctl.adapters.git.paths import split_path

_LISTING_FORMAT = 1


def blob_ids(repo, commit_id: str | None, prefix: str) -> dict[str, str]:
    """{path under prefix: blob id} at a commit ({} for no commit or no such directory)."""
    return {path: oid for path, (oid, _mode) in tree_entries(repo, commit_id, prefix).items()}


def tree_entries(repo, commit_id: str | None, prefix: str, *, cached: bool = False) -> dict[str, tuple[str, int]]:
    """{path under prefix: (object id, file mode)} of every non-tree entry at a commit ({} for no commit or
    no such directory). With `cached`, the listing kept for that tree is used, or kept for next time."""
    if not commit_id:
        return {}
    tree = repo[commit_id].tree
    for part in split_path(prefix, allow_empty=True):
        try:
            entry = tree[part]
        except KeyError:
            return {}
        if entry.type_str != "tree":
            return {}
        tree = repo[entry.id]
    if not cached:
        return tree_files(repo, tree)
    known = _read_listing(repo, str(tree.id))
    if known is not None:
        return known
    out = tree_files(repo, tree)
    remember_listing(repo, str(tree.id), out)
    return out


def remember_listing(repo, tree_id: str, entries: dict[str, tuple[str, int]]) -> None:
    """Keep `entries` as the listing of tree `tree_id` (which must hold exactly them)."""
    from hubctl.base import cachefile

    # authenticated like every hubctl cache: a planted file is a miss, never unpickled
    cachefile.save(Path(repo.path) / "hubctl" / "listing", _LISTING_FORMAT, {"tree": tree_id, "entries": entries},
                   versioned=False)


def _read_listing(repo, tree_id: str) -> dict[str, tuple[str, int]] | None:
    from hubctl.base import cachefile

    stored = cachefile.load(Path(repo.path) / "hubctl" / "listing", _LISTING_FORMAT, versioned=False)
    if isinstance(stored, dict) and stored.get("tree") == tree_id:
        return stored["entries"]
    return None


def tree_files(repo, tree) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    stack = [("", tree)]
    while stack:
        base, node = stack.pop()
        for entry in node:
            if entry.type_str == "tree":
                stack.append((f"{base}{entry.name}/", repo[entry.id]))
            else:
                out[f"{base}{entry.name}"] = (str(entry.id), entry.filemode)
    return out


class CommittedFiles(Mapping):
    """The files of a committed render, {path: bytes}, read from the object database only when asked."""

    def __init__(self, repo, blobs: dict[str, str]):
        self.repo, self.blobs = repo, blobs

    def __getitem__(self, rel: str) -> bytes:
        return self.repo[self.blobs[rel]].data

    def holds(self, rel: str, data: bytes) -> bool:
        """Whether `rel` is committed with exactly `data` (compared by blob id: no object is read)."""
        from hubctl.adapters.git.objects import hash_blobs

        return self.blobs.get(rel) == hash_blobs({rel: data})[rel].hex()

    def __iter__(self):
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)
