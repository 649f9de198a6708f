"""Reading a committed render back: blob ids under a directory, and their bytes on demand."""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.gitops.paths import split_path


def blob_ids(repo, commit_id: str | None, prefix: str) -> dict[str, str]:
    """{path under prefix: blob id} at a commit ({} for no commit or no such directory)."""
    return {path: oid for path, (oid, _mode) in tree_entries(repo, commit_id, prefix).items()}


def tree_entries(repo, commit_id: str | None, prefix: str) -> dict[str, tuple[str, int]]:
    """{path under prefix: (object id, file mode)} of every non-tree entry at a commit ({} for no commit or
    no such directory)."""
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
        from hubctl.gitops.objects import hash_blobs

        return self.blobs.get(rel) == hash_blobs({rel: data})[rel].hex()

    def __iter__(self):
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)
