"""Reading a committed render back: entries with modes, files read lazily, equality by blob id."""

from __future__ import annotations

import pygit2

from hubctl.adapters.git import commit_files
from hubctl.adapters.git.read import CommittedFiles, blob_ids, tree_entries
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


def test_a_kept_listing_is_the_walk_of_its_tree_and_a_damaged_one_is_ignored(tmp_path):
    from hubctl.adapters.git.read import remember_listing

    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render(clusters=2)
    outcome = commit_files(repo.path, branch="main", files=files, prefix="rendered", message="render",
                           author="A <a@example.com>", committer="A <a@example.com>")
    walked = tree_entries(repo, outcome.commit, "rendered")
    assert tree_entries(repo, outcome.commit, "rendered", cached=True) == walked  # walks, then keeps it
    listing = tmp_path / "r.git" / "hubctl" / "listing"
    assert listing.is_file()
    subtree = str(repo[outcome.commit].tree["rendered"].id)
    remember_listing(repo, subtree, {"only/this.yaml": ("0" * 40, 0o100644)})  # what a kept listing says wins
    assert tree_entries(repo, outcome.commit, "rendered", cached=True) == {"only/this.yaml": ("0" * 40, 0o100644)}
    assert tree_entries(repo, outcome.commit, "rendered") == walked  # without `cached`, always the walk
    listing.write_bytes(b"damaged")
    assert tree_entries(repo, outcome.commit, "rendered", cached=True) == walked
