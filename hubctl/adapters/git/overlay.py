"""Lay a few files outside the render directory (the specs) over a tree: set or delete them, path by path.

Only the directories on the way to a changed path are rewritten; every other subtree is reused by id.
"""

from __future__ import annotations

from collections.abc import Mapping

from hubctl.adapters.git.paths import split_path
from hubctl.adapters.git.read import tree_files

Change = tuple[bytes, int] | None  # (content, git file mode), or None to delete the path


def overlay(repo, base_tree, changes: Mapping[str, Change]) -> tuple[str, list[str]]:
    """The id of `base_tree` (None: the empty tree) with `changes` applied, and the paths that really
    changed (sorted). A deletion of an absent path and a write of identical content change nothing.

    Raises:
        GitError: a path is not a clean relative path.
    """
    nested: dict = {}
    for path, change in changes.items():  # a file set wins over a directory of the same name, which wins
        node = nested  # over a deletion (a link replacing a directory, a directory replacing a link)
        *dirs, name = split_path(path)
        for part in dirs:
            sub = node.get(part)
            if sub is None:
                sub = node[part] = {}
            elif not isinstance(sub, dict):
                break
            node = sub
        else:
            if change is not None or name not in node:
                node[name] = change
    changed: list[str] = []
    tree_id = _write(repo, base_tree, nested, "", changed)
    if tree_id is None:
        tree_id = repo.TreeBuilder().write()
    return str(tree_id), sorted(changed)


def _write(repo, tree, nested: dict, base: str, changed: list[str]):
    """Write `tree` with the changes under it; None when the result is empty."""
    import pygit2

    builder = repo.TreeBuilder(tree) if tree is not None else repo.TreeBuilder()
    for name, change in sorted(nested.items()):
        path = f"{base}{name}"
        entry = tree[name] if tree is not None and name in tree else None
        if isinstance(change, dict):
            sub = repo[entry.id] if entry is not None and entry.type_str == "tree" else None
            if entry is not None and sub is None:
                changed.append(path)  # a file (a link) replaced by a directory
            new = _write(repo, sub, change, f"{path}/", changed)
            if new is None:
                if entry is not None:
                    builder.remove(name)
            elif entry is None or entry.id != new:
                builder.insert(name, new, pygit2.enums.FileMode.TREE)
        elif change is None:
            if entry is not None and entry.type_str == "blob":
                builder.remove(name)
                changed.append(path)
        else:
            data, mode = change
            if entry is None or entry.id != pygit2.hash(data) or entry.filemode != mode:
                builder.insert(name, repo.create_blob(data), mode)
                changed.append(path)
                if entry is not None and entry.type_str == "tree":  # a directory replaced by a file (a link)
                    changed.extend(f"{path}/{rel}" for rel in tree_files(repo, repo[entry.id]))
    if len(builder) == 0:
        return None
    return builder.write()

