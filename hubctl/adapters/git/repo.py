"""One vocabulary for reading a repository: open or discover it, resolve a revision, peel, hash, classify.

Every module outside the git adapter that reads Git goes through these (tests/test_architecture.py holds pygit2
to hubctl/adapters/git/). pygit2 is imported inside each function, so importing this module stays cheap.
"""

from __future__ import annotations

import os


def lookup_errors() -> tuple[type[BaseException], ...]:
    """What opening a repository or resolving a name in it raises when the answer is "not here":
    `except lookup_errors():` (pygit2's GitError and InvalidSpecError, KeyError, ValueError)."""
    import pygit2

    return (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError)


def repository(path: str | os.PathLike):
    """The repository at `path` (a work tree, its .git or a bare repository); raises lookup_errors()."""
    import pygit2

    return pygit2.Repository(os.fspath(path))


def discover(path: str | os.PathLike):
    """The repository that holds `path` (searching upwards, as git does), or None; raises lookup_errors() when
    one is found but cannot be read."""
    import pygit2

    found = pygit2.discover_repository(os.fspath(path))
    return pygit2.Repository(found) if found else None


def commit_at(repo, revision: str):
    """The commit `revision` (a SHA, abbreviated or not, a branch, a tag, `HEAD~2`) names; raises lookup_errors()."""
    return as_commit(repo.revparse_single(revision))


def as_commit(obj):
    """`obj` (a commit, a tag or a reference's target) peeled to its commit; raises lookup_errors()."""
    import pygit2

    return obj.peel(pygit2.Commit)


def commit_type():
    """The class of commits, for callers that peel with it (`ref.peel(commit_type())`)."""
    import pygit2

    return pygit2.Commit


def blob_id(data: bytes) -> str:
    """The id Git gives a blob holding `data` (without writing it)."""
    import pygit2

    return str(pygit2.hash(data))


def is_blob(obj) -> bool:
    import pygit2

    return isinstance(obj, pygit2.Blob)


def is_link(filemode: int) -> bool:
    """A tree entry's mode says it is a symbolic link."""
    import pygit2

    return filemode == pygit2.GIT_FILEMODE_LINK


def git_error() -> type[BaseException]:
    """pygit2's GitError, for `except (git_error(), KeyError):` where exactly that was caught."""
    import pygit2

    return pygit2.GitError


def first_parent(commit):
    """The first parent of `commit`, or None at a root commit or where a shallow clone ends."""
    import pygit2

    try:
        return commit.parents[0] if commit.parent_ids else None
    except (KeyError, pygit2.GitError):
        return None
