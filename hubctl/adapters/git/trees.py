"""The trees of a local repository, as the ApplicationSet engine's git generator reads them.

The engine (hubctl/engines/appset) may import nothing but the base, so its callers hand it a
`RepositoryTrees`: the engine asks for a revision's tree and applies Argo CD's rules (hidden directories,
path matching) itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from hubctl.base.errors import AppSetError


class RepositoryTrees:
    """The repository at `path`, opened on first use; `tree(revision)` lists one commit's tree."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        self._repo = None

    def __str__(self) -> str:
        return self.path

    def tree(self, revision: str, where: str = "git") -> tuple[list[tuple[str, bool]], Callable[[str], bytes]]:
        """Every entry of the commit `revision` names (a branch, `origin/<branch>`, a tag, a SHA), depth first
        in name order as Go's WalkDir visits them, as (path, is_directory), symbolic links left out; and a
        reader of a listed file's bytes.

        Raises:
            AppSetError: not a repository, or the revision is unknown.
        """
        import pygit2

        if self._repo is None:
            try:
                self._repo = pygit2.Repository(self.path)
            except (pygit2.GitError, KeyError) as exc:
                raise AppSetError(f"{where}: {self.path} is not a git repository: {exc}") from None
        repo = self._repo
        commit = None
        for candidate in (revision, f"origin/{revision}", f"refs/tags/{revision}"):
            try:
                commit = repo.revparse_single(candidate).peel(pygit2.Commit)
                break
            except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
                continue
        if commit is None:
            raise AppSetError(f"{where}: revision {revision!r} not found in {self.path}",
                              hint="fetch it, or pass --revision")
        entries: list[tuple[str, bool]] = []
        blobs: dict[str, object] = {}
        _walk(repo, commit.tree, "", entries, blobs)

        def read(path: str) -> bytes:
            return repo[blobs[path]].data
        return entries, read


def _walk(repo, tree, prefix: str, entries: list, blobs: dict) -> None:
    import pygit2

    for entry in sorted(tree, key=lambda e: e.name):
        path = f"{prefix}{entry.name}"
        if entry.type_str == "tree":
            entries.append((path, True))
            _walk(repo, repo[entry.id], path + "/", entries, blobs)
        elif entry.type_str == "blob" and entry.filemode != pygit2.GIT_FILEMODE_LINK:
            entries.append((path, False))
            blobs[path] = entry.id
