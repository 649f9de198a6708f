"""Which tree a set of files made last time: `<git dir>/hubctl/tree-cache`, like git's cache-tree.

A fingerprint is the SHA-1 of a subtree's files as (path inside the subtree, blob id) pairs, so it names
the subtree's content exactly: the same fingerprint can only give the same tree id. The cache is a hint,
never trusted alone: write_tree reuses a subtree only when the id the cache gives is also the id of the
base tree's subtree at that path, so the reused objects are reachable and present. A missing, foreign
or damaged cache file costs a full computation and nothing else; it is rewritten after each tree write
with the subtrees of that write only, so it never grows beyond one render.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MAGIC = b"hubctl-tree-cache 1\n"
_RECORD = 40  # 20-byte fingerprint, 20-byte tree id


class TreeCache:
    """Fingerprint -> tree id, read from and written to one repository's git directory."""

    def __init__(self, git_dir: str | os.PathLike):
        self.path = Path(git_dir) / "hubctl" / "tree-cache"
        self.old = _read(self.path)
        self.new: dict[bytes, bytes] = {}

    def lookup(self, fingerprint: bytes) -> bytes | None:
        return self.old.get(fingerprint)

    def record(self, fingerprint: bytes, tree_id: bytes) -> None:
        self.new[fingerprint] = tree_id

    def save(self) -> None:
        """Replace the file with this run's records (atomically; a failure to write is not an error)."""
        if self.new == self.old:
            return
        body = MAGIC + b"".join(fp + tree for fp, tree in sorted(self.new.items()))
        tmp = None
        try:
            self.path.parent.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, prefix=".tree-cache-", delete=False) as tmp:
                tmp.write(body)
            os.replace(tmp.name, self.path)
        except OSError:
            if tmp is not None:
                Path(tmp.name).unlink(missing_ok=True)


def _read(path: Path) -> dict[bytes, bytes]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(MAGIC) or (len(data) - len(MAGIC)) % _RECORD:
        return {}
    body = memoryview(data)[len(MAGIC):]
    return {bytes(body[i : i + 20]): bytes(body[i + 20 : i + _RECORD]) for i in range(0, len(body), _RECORD)}
