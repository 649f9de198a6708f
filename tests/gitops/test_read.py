"""Reading a committed render back: entries with modes, files read lazily, equality by blob id."""

from __future__ import annotations

import pygit2

from hubctl.gitops import commit_files
from hubctl.gitops.read import CommittedFiles, blob_ids, tree_entries
from tests.gitops.helpers import render
from tests.support.gitservers import git


def test_committed_files_read_back_and_compare_by_blob_id(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render(clusters=2)
    outcome = commit_files(repo.path, branch="main", files=files, prefix="rendered", message="render",
                           author="A <a@example.com>", committer="A <a@example.com>")
    ids = blob_ids(repo, outcome.commit, "rendered")
    committed = CommittedFiles(repo, ids)
    assert dict(committed.items()) == files
    path = sorted(files)[0]
    assert committed.holds(path, files[path])
    assert not committed.holds(path, files[path] + b"# changed\n")
    assert not committed.holds("not/there.yaml", files[path])
    assert ids[path] == git("--git-dir", repo.path, "rev-parse", f"main:rendered/{path}").decode().strip()
    assert {mode for _oid, mode in tree_entries(repo, outcome.commit, "rendered").values()} == {0o100644}
    assert blob_ids(repo, None, "rendered") == {} and blob_ids(repo, outcome.commit, "elsewhere") == {}
