"""Is the deployed revision the expected one or a descendant of it? Answered from the deploy repository."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def exact(deployed: str, expected: str) -> bool:
    """Without a repository: equal, allowing an abbreviated expected SHA (`--revision 3f0c9a1`)."""
    return bool(deployed) and (deployed == expected or (len(expected) >= 7 and deployed.startswith(expected)))


class RevisionMatcher:
    """`matcher(deployed, expected)`: equal, or `deployed` descends from `expected` in the repository.

    Commits unknown to the local repository (not fetched yet, or from another repository) do not match.
    Answers are cached: thousands of Applications share a handful of revisions.
    """

    def __init__(self, repo_path: str | Path | None):
        self._repo = None
        if repo_path is not None:
            from hubctl.adapters.git.repo import git_error, repository

            try:
                self._repo = repository(repo_path)
            except (git_error(), KeyError):
                self._repo = None
        self._cached = lru_cache(maxsize=4096)(self._uncached)

    def resolve(self, revision: str) -> str:
        """The full SHA of `revision` (abbreviated SHA, branch or tag) when the repository knows it."""
        if self._repo is None:
            return revision
        from hubctl.adapters.git.repo import commit_at

        try:
            return str(commit_at(self._repo, revision).id)
        except (KeyError, ValueError, Exception):  # noqa: BLE001 - pygit2 raises several kinds
            return revision

    def __call__(self, deployed: str, expected: str) -> bool:
        return self._cached(deployed, expected)

    def _uncached(self, deployed: str, expected: str) -> bool:
        if exact(deployed, expected):
            return True
        if self._repo is None or not deployed:
            return False
        try:
            return self._repo.descendant_of(deployed, expected)
        except (KeyError, ValueError, Exception):  # noqa: BLE001 - unknown or malformed SHA: no match
            return False
