"""The git adapter's reading vocabulary (adapters/git/repo.py) against real repositories and the git executable."""

from __future__ import annotations

import pytest

from hubctl.adapters.git import commit_files
from hubctl.adapters.git.repo import (
    as_commit,
    blob_id,
    commit_at,
    discover,
    first_parent,
    git_error,
    is_blob,
    is_link,
    lookup_errors,
    repository,
)
from tests.support.gitservers import git

AUTHOR = "A <a@example.com>"


def _history(path, commits: int) -> list[str]:
    ids = []
    for n in range(commits):
        outcome = commit_files(path, branch="main", files={"f.yaml": f"n: {n}\n".encode()}, prefix="r",
                               message=f"render {n}", author=AUTHOR, committer=AUTHOR)
        ids.append(outcome.commit)
    return ids


def test_revisions_resolve_as_git_resolves_them_and_unknown_ones_raise_lookup_errors(tmp_path):
    git("init", "-q", "-b", "main", str(tmp_path / "w"))
    ids = _history(tmp_path / "w", 3)
    repo = repository(tmp_path / "w")
    for revision in ("main", "HEAD", "HEAD~2", ids[1][:9]):
        expected = git("-C", str(tmp_path / "w"), "rev-parse", revision).decode().strip()
        assert str(commit_at(repo, revision).id) == expected
    for revision in ("no-such-branch", "HEAD~9", "0" * 40, "a..b..c"):
        with pytest.raises(lookup_errors()):
            commit_at(repo, revision)
    assert str(as_commit(repo.head).id) == ids[-1]


def test_first_parent_walks_to_the_root_and_stops_where_a_shallow_clone_ends(tmp_path):
    git("init", "-q", "-b", "main", str(tmp_path / "w"))
    ids = _history(tmp_path / "w", 4)
    commit, seen = commit_at(repository(tmp_path / "w"), "main"), []
    while commit is not None:
        seen.append(str(commit.id))
        commit = first_parent(commit)
    assert seen == ids[::-1]
    git("clone", "-q", "--depth", "2", f"file://{tmp_path / 'w'}", str(tmp_path / "shallow"))
    commit, seen = commit_at(repository(tmp_path / "shallow"), "HEAD"), []
    while commit is not None:
        seen.append(str(commit.id))
        commit = first_parent(commit)
    assert seen == ids[:1:-1]  # the two commits the clone holds, then None: no error


def test_discover_finds_the_repository_above_a_directory_and_none_outside_one(tmp_path):
    git("init", "-q", "-b", "main", str(tmp_path / "w"))
    (tmp_path / "w" / "a" / "b").mkdir(parents=True)
    found = discover(tmp_path / "w" / "a" / "b")
    assert found is not None and found.workdir.rstrip("/") == str(tmp_path / "w")
    (tmp_path / "plain").mkdir()
    assert discover(tmp_path / "plain") is None or discover(tmp_path / "plain").workdir != str(tmp_path / "plain")
    with pytest.raises((git_error(), KeyError)):
        repository(tmp_path / "plain")


def test_blob_ids_match_git_hash_object_and_entries_are_classified(tmp_path):
    data = b"kind: Namespace\n\x00 binary too\n"
    (tmp_path / "blob").write_bytes(data)
    assert blob_id(data) == git("hash-object", str(tmp_path / "blob")).decode().strip()
    git("init", "-q", "-b", "main", str(tmp_path / "w"))
    ids = _history(tmp_path / "w", 1)
    repo = repository(tmp_path / "w")
    entry = commit_at(repo, ids[0]).tree["r/f.yaml"]
    assert is_blob(repo[entry.id]) and not is_blob(commit_at(repo, ids[0]))
    assert not is_link(entry.filemode) and is_link(0o120000)
