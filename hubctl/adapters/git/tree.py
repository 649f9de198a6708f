"""Build a git tree from rendered files held in memory, reusing whatever did not change.

Two passes. The first computes, in Python, the id every file and directory under the prefix will have.
The second walks only the directories whose id differs from the base tree, records what was added,
modified and removed, and writes just those objects: an unchanged subtree is neither read nor written.
Everything outside the prefix is carried over from the base tree untouched.

Pass one is what a small change pays for on a large render: tens of thousands of directories to hash
in Python. A tree cache (see treecache.py) skips it for every unchanged subtree two levels down (such as
spokes/<cluster>): its files' blob ids fingerprint it, and a fingerprint that maps to the base tree's
subtree means that subtree is reused as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from hashlib import sha1
from typing import TYPE_CHECKING

from hubctl.adapters.git import objects
from hubctl.adapters.git.paths import check_paths, split_path
from hubctl.adapters.git.treecache import TreeCache
from hubctl.base.errors import GitError, ObjectMismatchError

if TYPE_CHECKING:
    import pygit2

PACK_THRESHOLD = 1000  # more new objects than this go into one packfile instead of loose objects


@dataclass(frozen=True)
class TreeWrite:
    """A written tree and how it differs from the base, as paths relative to the prefix (sorted)."""

    tree_id: str
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    blob_ids: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)  # raw id by path


class _Dir:
    """A directory of the render: children by name (a _Dir, or the file's path: its bytes are read only
    when the blob is written) and, after pass one, ids."""

    __slots__ = ("children", "blob_ids", "raw", "body")

    def __init__(self):
        self.children: dict = {}
        self.blob_ids: dict[str, bytes] = {}
        self.raw = b""
        self.body = b""


def build_tree(repo: pygit2.Repository, files: Mapping[str, bytes], *, prefix: str, base_tree=None):
    """Write `files` (posix paths relative to `prefix`) into `repo` and return the new root tree's Oid.

    Raises:
        GitError: a path is not a clean relative path, or clashes with a directory.
    """
    import pygit2

    return pygit2.Oid(hex=write_tree(repo, files, prefix=prefix, base_tree=base_tree).tree_id)


def write_tree(repo: pygit2.Repository, files: Mapping[str, bytes], *, prefix: str, base_tree=None,
               blob_ids: Mapping[str, bytes] | None = None) -> TreeWrite:
    """Like build_tree, and also report the added, modified and removed paths under `prefix`.

    `blob_ids` may hold the raw git id of every file when the caller has them already.

    Raises:
        GitError: a path is not a clean relative path, or clashes with a directory.
    """
    prefix_parts = split_path(prefix, allow_empty=True)
    check_paths(files)
    ids = blob_ids if blob_ids is not None else objects.hash_blobs(files)
    base_prefix = _subtree(repo, base_tree, prefix_parts)
    cache = TreeCache(repo.path, base_prefix.id.raw if base_prefix is not None else None)
    groups, loose = _subtree_groups(files)
    fingerprints = {name: _fingerprint(paths, len(name) + 1, ids) for name, paths in groups.items()}
    in_base = _subtree_ids(base_prefix, groups)
    known = {path: tree_raw for path, fp in fingerprints.items()
             if (tree_raw := cache.lookup(fp)) is not None and in_base.get(path) == tree_raw}
    placed = [p for name, paths in groups.items() if name not in known for p in paths]
    root, dirs = _group(files, placed + loose, ids, known)
    _compute_ids(root)
    writer = _Writer(repo, files)
    writer.walk(root, base_prefix, "")
    writer.flush()
    for path, fp in fingerprints.items():
        cache.record(fp, known[path] if path in known else dirs[path].raw)
    cache.save(root.raw)
    new_prefix = root.raw if root.children else None
    tree_id = _splice(repo, base_tree, prefix_parts, new_prefix)
    return TreeWrite(str(tree_id), sorted(writer.added), sorted(writer.modified), sorted(writer.removed), ids)


def _subtree_groups(files: Mapping[str, bytes]) -> tuple[dict[str, list[str]], list[str]]:
    """The paths of every subtree two levels down (such as spokes/<cluster>) by its path, and the paths
    that are not that deep."""
    groups: dict[str, list[str]] = {}
    loose = []
    for path in files:
        second = path.find("/", path.find("/") + 1)
        if second < 0:
            loose.append(path)
            continue
        group = groups.get(path[:second])
        if group is None:
            group = groups[path[:second]] = []
        group.append(path)
    return groups, loose


def _fingerprint(paths: list[str], skip: int, ids: Mapping[str, bytes]) -> bytes:
    """A subtree's fingerprint: the SHA-1 of its files' paths inside it and blob ids."""
    return sha1(b"".join([path[skip:].encode() + b"\0" + ids[path] for path in paths])).digest()


def _subtree_ids(base, groups: Mapping[str, list[str]]) -> dict[str, bytes]:
    """The raw ids of the base tree's subtrees two levels down, for the top directories in `groups`."""
    import pygit2

    out: dict[str, bytes] = {}
    for top in {name.partition("/")[0] for name in groups}:
        tree = base[top] if base is not None and top in base else None
        if isinstance(tree, pygit2.Tree):
            out.update((f"{top}/{entry.name}", entry.id.raw) for entry in tree)
    return out


def _group(files: Mapping[str, bytes], paths: list[str], ids: Mapping[str, bytes],
           known: dict[str, bytes]) -> tuple[_Dir, dict]:
    """The directory tree of `files` (and each directory by path): the files at `paths`, and each known
    subtree as one node with its id and no children."""
    root = _Dir()
    dirs: dict[str, _Dir] = {"": root}
    for path, raw in known.items():
        parent, _, name = path.rpartition("/")
        stub = _Dir()
        stub.raw = raw
        (dirs.get(parent) or _make_dirs(root, dirs, parent, path)).children[name] = stub
    for path in paths:
        parent, _, name = path.rpartition("/")
        node = dirs.get(parent) or _make_dirs(root, dirs, parent, path)
        if name in node.children:
            _clash(node, name, path)
        node.children[name] = path
        node.blob_ids[name] = ids[path]
    return root, dirs


def _make_dirs(root: _Dir, dirs: dict, parent: str, path: str) -> _Dir:
    """Create the directory `parent` (and missing ancestors) the first time a file in it shows up."""
    head, _, part = parent.rpartition("/")
    node = dirs.get(head) or _make_dirs(root, dirs, head, path)
    child = node.children.get(part)
    if child is None:
        child = node.children[part] = _Dir()
    elif type(child) is not _Dir:
        raise GitError(f"rendered path {path!r} needs {parent!r} to be a directory, but it is a file")
    dirs[parent] = child
    return child


def _clash(node: _Dir, name: str, path: str) -> None:
    if type(node.children.get(name)) is _Dir:
        raise GitError(f"rendered path {path!r} is both a file and a directory")
    raise GitError(f"rendered path {path!r} appears twice")


def _compute_ids(node: _Dir) -> None:
    if node.raw:
        return  # a known subtree
    entries = []
    blob_ids = node.blob_ids
    for name, child in node.children.items():
        encoded = name.encode()
        if type(child) is _Dir:
            _compute_ids(child)
            entries.append((encoded + b"/", b"40000 %s\0%s" % (encoded, child.raw)))
        else:
            entries.append((encoded, b"100644 %s\0%s" % (encoded, blob_ids[name])))
    entries.sort()
    node.body = b"".join([line for _key, line in entries])
    node.raw = sha1(b"tree %d\0%s" % (len(node.body), node.body)).digest()


def subtree_id(repo, tree_id: str, prefix: str) -> str | None:
    """The id of the tree at `prefix` inside tree `tree_id` (the tree itself for ""), None when absent."""
    tree = _subtree(repo, repo[tree_id], split_path(prefix, allow_empty=True))
    return str(tree.id) if tree is not None else None


def _subtree(repo, tree, parts: list[str]):
    """The tree at `parts` below `tree`, or None when absent.

    Raises:
        GitError: a path component outside the prefix is a file, which hubctl must not replace.
    """
    import pygit2

    for depth, part in enumerate(parts):
        if tree is None or part not in tree:
            return None
        entry = tree[part]
        if not isinstance(entry, pygit2.Tree):
            where = "/".join(parts[: depth + 1])
            raise GitError(f"cannot write under {'/'.join(parts)!r}: {where!r} is a file in the repository",
                           hint="choose another render directory or remove that file")
        tree = entry
    return tree


class _Writer:
    """Pass two: visit changed directories, collect the objects to write (a blob by its path, read from
    `files` only when written) and the changed paths."""

    def __init__(self, repo, files: Mapping[str, bytes]):
        self.repo, self.files = repo, files
        self.pending: list[tuple[str, bytes, bytes | str]] = []
        self.added: list[str] = []
        self.modified: list[str] = []
        self.removed: list[str] = []

    def walk(self, node: _Dir, base, path: str) -> None:
        import pygit2

        if base is not None and base.id.raw == node.raw:
            return
        old = {entry.name: entry for entry in base} if base is not None else {}
        for name, child in node.children.items():
            entry = old.pop(name, None)
            was_tree = isinstance(entry, pygit2.Tree)
            if entry is not None and isinstance(child, _Dir) != was_tree:
                self._remove(entry, path + name)
                entry = None
            if isinstance(child, _Dir):
                self.walk(child, entry, f"{path}{name}/")
            else:
                self._blob(node.blob_ids[name], entry, child)
        for name, entry in old.items():
            self._remove(entry, path + name)
        self.pending.append(("tree", node.raw, node.body))

    def _blob(self, raw: bytes, entry, path: str) -> None:
        if entry is None:
            self.added.append(path)
        elif entry.id.raw != raw or entry.filemode != 0o100644:
            self.modified.append(path)
        else:
            return
        self.pending.append(("blob", raw, path))

    def _remove(self, entry, path: str) -> None:
        import pygit2

        if isinstance(entry, pygit2.Tree):
            for child in entry:
                self._remove(child, f"{path}/{child.name}")
        else:
            self.removed.append(path)

    def _bodies(self, items):
        """The objects with their bodies, each blob's bytes made when its turn comes."""
        files = self.files
        for kind, raw, body in items:
            if kind == "blob":
                data = files[body]
                body = data if type(data) is bytes else objects.as_bytes(body, data)
            yield kind, raw, body

    def flush(self) -> None:
        """Write the collected objects: one packfile when many, else loose objects that are missing.

        A pack may repeat objects the repository already has; git and libgit2 accept that, and skipping
        200,000 existence checks is what makes a first commit of a large render fast. The pack is written
        as a stream (objects.write_pack): the render's bytes are never all held at once.
        """
        import pygit2

        odb = self.repo.odb
        if len(self.pending) > PACK_THRESHOLD:
            unique = _unique(self.pending)
            objects.write_pack(self.repo.path + "objects", self._bodies(unique), len(unique))
            self._check(odb, *self.pending[-1])
            return
        kinds = {"blob": pygit2.enums.ObjectType.BLOB, "tree": pygit2.enums.ObjectType.TREE}
        for kind, raw, body in self._bodies(self.pending):
            # checked also when the repository has an object of that id: a wrong id (a bug, a remembered id
            # that is not the file's) must never make the tree name another object
            if objects.object_id(kind, body) != raw:
                raise ObjectMismatchError(f"{kind} {raw.hex()} does not hold the bytes given for it", kind=kind)
            if not odb.exists(pygit2.Oid(raw=raw)):
                odb.write(kinds[kind], body)

    @staticmethod
    def _check(odb, kind: str, raw: bytes, body: bytes) -> None:
        """Read the root back through libgit2: proves the pack and its index are well formed."""
        import pygit2

        if odb.read(pygit2.Oid(raw=raw))[1] != body:
            raise GitError(f"internal error: the written pack does not hold {kind} {raw.hex()}")


def _unique(items):
    seen = set()
    return [item for item in items if not (item[1] in seen or seen.add(item[1]))]


def _splice(repo, base_tree, parts: list[str], new_prefix: bytes | None):
    """Put the prefix tree (None: remove it) into the base tree along `parts`; return the root Oid."""
    import pygit2

    if not parts:
        return pygit2.Oid(raw=new_prefix) if new_prefix else repo.TreeBuilder().write()
    current = pygit2.Oid(raw=new_prefix) if new_prefix else None
    for depth in range(len(parts) - 1, -1, -1):
        parent = _subtree(repo, base_tree, parts[:depth])
        builder = repo.TreeBuilder(parent) if parent is not None else repo.TreeBuilder()
        name = parts[depth]
        if current is not None:
            builder.insert(name, current, pygit2.enums.FileMode.TREE)
        elif parent is not None and name in parent:
            builder.remove(name)
        current = builder.write() if len(builder) or depth == 0 else None
    return current
