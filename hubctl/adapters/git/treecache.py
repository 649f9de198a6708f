"""Which tree a set of files made last time: `<git dir>/hubctl/tree-cache`, like git's cache-tree.

A fingerprint is the SHA-1 of a subtree's files as (path inside the subtree, blob id) pairs, so it names
the subtree's content exactly: the same fingerprint can only give the same tree id. The file also names
the tree the records came from (the prefix tree of the write that made them). write_tree consults it only
when building on exactly that tree, and reuses a subtree only when the id the cache gives is also the id
of that tree's subtree at the same path, so the reused objects are reachable and present. A missing,
foreign or damaged file, or one written for another tree (another writer moved the branch), costs a full
computation; it is rewritten after each tree write with that write's subtrees only, so it never grows.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MAGIC = b"hubctl-tree-cache 2\n"  # then the 20-byte id of the tree the records describe
_RECORD = 40  # 20-byte fingerprint, 20-byte tree id


class TreeCache:
    """Fingerprint -> tree id, read from and written to one repository's git directory."""

    def __init__(self, git_dir: str | os.PathLike, base: bytes | None = None):
        """The records written for tree `base` (None: no base tree, so no records)."""
        self.path = Path(git_dir) / "hubctl" / "tree-cache"
        tree, records = _read(self.path)
        self.old = records if base is not None and tree == base else {}
        self.new: dict[bytes, bytes] = {}

    def lookup(self, fingerprint: bytes) -> bytes | None:
        return self.old.get(fingerprint)

    def record(self, fingerprint: bytes, tree_id: bytes) -> None:
        self.new[fingerprint] = tree_id

    def save(self, tree: bytes) -> None:
        """Replace the file with this run's records, which describe `tree` (atomically; a failure to
        write is not an error)."""
        body = MAGIC + tree + b"".join(fp + sub for fp, sub in sorted(self.new.items()))
        tmp = None
        try:
            self.path.parent.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, prefix=".tree-cache-", delete=False) as tmp:
                tmp.write(body)
            os.replace(tmp.name, self.path)
        except OSError:
            if tmp is not None:
                Path(tmp.name).unlink(missing_ok=True)


def _read(path: Path) -> tuple[bytes, dict[bytes, bytes]]:
    """(the tree the records describe, fingerprint -> subtree id); (b"", {}) when unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return b"", {}
    start = len(MAGIC) + 20
    if not data.startswith(MAGIC) or len(data) < start or (len(data) - start) % _RECORD:
        return b"", {}
    body = memoryview(data)[start:]
    records = {bytes(body[i : i + 20]): bytes(body[i + 20 : i + _RECORD]) for i in range(0, len(body), _RECORD)}
    return data[len(MAGIC) : start], records
