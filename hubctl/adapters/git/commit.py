"""Commit rendered files onto a branch: bare deploy repository, fleet repository, or a new branch.

The commit's tree is the parent's tree with the prefix replaced by the rendered files; nothing outside the
prefix changes. No working tree is needed. When the branch is the one checked out in a non-bare
repository, the index is updated with exactly the commit's changes under the prefix, so `git status`
stays clean when the working tree already holds the rendered files; hubctl never writes the working tree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from hubctl.adapters.git import index
from hubctl.adapters.git.identity import Identity, signatures
from hubctl.adapters.git.lock import repo_lock
from hubctl.adapters.git.overlay import Change, overlay
from hubctl.adapters.git.tree import write_tree
from hubctl.base.errors import GitError

TIP = "tip"  # the default `parent`: the branch's current commit


@dataclass(frozen=True)
class CommitOutcome:
    """What commit_files did. Paths are relative to the prefix, sorted.

    commit is None when the tree did not change ("nothing to commit"). After the call the branch points
    at `head`: the new commit, or the parent when nothing changed.
    """

    branch: str
    commit: str | None
    parent: str | None
    tree: str
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # paths outside the prefix that changed (repository root)

    @property
    def head(self) -> str | None:
        return self.commit or self.parent


def open_repository(repo_path: str | os.PathLike):
    """Open the git repository at `repo_path` (a work tree or a bare repository).

    Raises:
        GitError: there is no repository there.
    """
    import pygit2

    try:
        return pygit2.Repository(os.fspath(repo_path))
    except (pygit2.GitError, KeyError) as exc:
        raise GitError(f"{os.fspath(repo_path)} is not a git repository",
                       hint="create it with `git init` (or `git init --bare` for a deploy repository)") from exc


def branch_ref(branch: str) -> str:
    """The full reference name of `branch`.

    Raises:
        GitError: the name is not a valid branch name.
    """
    import pygit2

    name = branch if branch.startswith("refs/heads/") else f"refs/heads/{branch}"
    if not branch or not pygit2.reference_is_valid_name(name):
        raise GitError(f"invalid branch name {branch!r}")
    return name


def commit_files(repo_path: str | os.PathLike, *, branch: str, files: Mapping[str, bytes], prefix: str,
                 message: str, author: Identity | str | None = None, committer: Identity | str | None = None,
                 parent: str | None = TIP, blob_ids: Mapping[str, bytes] | None = None,
                 others: Mapping[str, Change] | None = None,
                 worktree: Mapping[str, tuple[int, int, int, int]] | None = None) -> CommitOutcome:
    """Commit `files` (paths relative to `prefix`) as the whole content of `prefix` on `branch`.

    `others` sets or deletes files outside `prefix` in the same commit ({path from the repository root:
    (bytes, mode) or None}): the specs a render was made from. Their index entries follow too.

    `blob_ids` (raw git ids by path) spares hashing the files again when the caller has them.

    `worktree` ((size, mtime_ns, ctime_ns, inode) by path under `prefix`) names the working-tree files known to
    hold the rendered bytes at that stat: their index entries get the stat without the files being read.

    `parent` defaults to the branch's tip (none: an orphan first commit). Pass a commit id to build on
    another commit, such as a freshly fetched remote head; the branch then moves to the result.

    Raises:
        GitError: no repository, invalid branch or path, no identity, the lock is held, or the branch
            moved while committing.
    """
    repo = open_repository(repo_path)
    ref_name = branch_ref(branch)
    with repo_lock(repo.path):
        index.finish_interrupted(repo)
        tip = _tip(repo, ref_name)
        base = tip if parent == TIP else parent
        base_commit = _commit(repo, base) if base else None
        checked_out = _checked_out(repo, ref_name)
        if checked_out and base != tip:
            raise GitError(f"{branch} is checked out here and its commit is not the one to build on",
                           hint="pull first (git pull --rebase), render again and commit")
        base_tree, other_paths = base_commit.tree if base_commit else None, []
        if others:
            tree_id, other_paths = overlay(repo, base_tree, others)
            base_tree = repo[tree_id]
        written = write_tree(repo, files, prefix=prefix, base_tree=base_tree, blob_ids=blob_ids)
        outcome = CommitOutcome(branch, None, base, written.tree_id, written.added, written.modified,
                                written.removed, other_paths)
        if (base_commit is not None and written.tree_id == str(base_commit.tree_id)) or (
            base_commit is None and not files and not other_paths
        ):
            if base != tip and base is not None:
                _move(repo, ref_name, tip, base, "hubctl commit: reset to the remote head")
            return outcome
        commit_id = _create_commit(repo, written.tree_id, base_commit, message, author, committer)
        if checked_out:
            index.mark_pending(repo, ref_name, prefix, other_paths)  # a kill from here on is finished by the next run
        try:
            _move(repo, ref_name, tip, commit_id, f"hubctl commit: {message.splitlines()[0] if message else ''}")
        except GitError:
            index.clear_pending(repo)
            raise
        if checked_out:
            _sync_index(repo, prefix, written, other_paths, worktree)
            index.clear_pending(repo)
        return CommitOutcome(branch, commit_id, base, written.tree_id, written.added, written.modified,
                             written.removed, other_paths)


def _tip(repo, ref_name: str) -> str | None:
    ref = repo.references.get(ref_name)
    return str(ref.resolve().target) if ref is not None else None


def _commit(repo, commit_id: str):
    import pygit2

    try:
        return repo[commit_id].peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError) as exc:
        raise GitError(f"commit {commit_id} is not in the repository") from exc


def _checked_out(repo, ref_name: str) -> bool:
    if repo.is_bare:
        return False
    head = repo.references.get("HEAD")
    return head is not None and head.target == ref_name


def _create_commit(repo, tree_id: str, base_commit, message: str, author, committer) -> str:
    import pygit2

    author_sig, committer_sig = signatures(repo, author=author, committer=committer)
    parents = [base_commit.id] if base_commit is not None else []
    text = message if message.endswith("\n") else message + "\n"
    return str(repo.create_commit(None, author_sig, committer_sig, text, pygit2.Oid(hex=tree_id), parents))


def _move(repo, ref_name: str, expected: str | None, new: str, reflog: str) -> None:
    """Point the branch at `new` if it still is at `expected` (None: it must not exist yet).

    Raises:
        GitError: someone else moved or created the branch meanwhile.
    """
    import pygit2

    try:
        if expected is None:
            repo.create_reference_direct(ref_name, pygit2.Oid(hex=new), False, message=reflog)
            return
        ref = repo.lookup_reference(ref_name)
        if str(ref.target) != expected:
            raise pygit2.GitError("moved")
        ref.set_target(pygit2.Oid(hex=new), reflog)
    except (pygit2.GitError, pygit2.AlreadyExistsError) as exc:
        raise GitError(f"{ref_name} changed while hubctl was committing", hint="run the command again") from exc


def _sync_index(repo, prefix: str, written, others: list[str],
                worktree: Mapping[str, tuple[int, int, int, int]] | None = None) -> None:
    """Apply the commit's changes under `prefix`, and to `others`, to the index (without touching the working
    tree). A path of `others` takes the committed entry, whatever was staged for it: as `git commit PATH`."""
    root = prefix.strip("/")
    full = (lambda path: f"{root}/{path}") if root else (lambda path: path)
    tree = repo[written.tree_id]
    ids = written.blob_ids  # the ids the tree was written with: no path looked up in the new tree
    changed = {full(path): ids[path].hex() for path in written.added + written.modified}
    known = {full(path): worktree[path] for path in written.added + written.modified  # those apply() looks up
             if path in worktree} if worktree else None
    removed = [full(path) for path in written.removed]
    modes = {}
    for path in others:
        entry = index.tree_entry(tree, path)
        if entry is None:
            removed.append(path)
        else:
            changed[path], modes[path] = str(entry.id), entry.filemode
    index.apply(repo, index.read_index(repo), removed, changed, modes, known)


def finish_interrupted(repo_path: str | os.PathLike) -> bool:
    """Finish what a killed or failed commit left undone (the index of the checked-out branch).

    Raises:
        GitError: no repository, the lock is held, or the index cannot be written.
    """
    repo = open_repository(repo_path)
    with repo_lock(repo.path):
        return index.finish_interrupted(repo)


def rebuilder(repo_path: str | os.PathLike, *, branch: str, files: Mapping[str, bytes], prefix: str,
              message: str, author: Identity | str | None = None, committer: Identity | str | None = None,
              others: Mapping[str, Change] | None = None):
    """The `rebuild` callable for push: commit the same files on top of a fetched remote head.

    Returns the commit to push: the new commit, or the remote head itself when it already holds the files.
    """

    def rebuild(remote_head: str | None) -> str:
        outcome = commit_files(repo_path, branch=branch, files=files, prefix=prefix, message=message,
                               author=author, committer=committer, parent=remote_head, others=others)
        return outcome.head or ""

    return rebuild
