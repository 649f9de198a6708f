"""build_tree / write_tree against real repositories, checked with the git CLI."""

from __future__ import annotations

import pygit2
import pytest

from hubctl.adapters.git import build_tree, write_tree
from hubctl.base.errors import GitError
from tests.gitops.helpers import render
from tests.support.gitservers import git


def tree_files(repo, tree_id, prefix):
    """Files under prefix, read back with the git CLI (independent of hubctl)."""
    out = git("--git-dir", repo.path, "ls-tree", "-r", "--full-tree", str(tree_id), "--", prefix or ".").decode()
    return {line.split("\t")[1]: line.split()[2] for line in out.splitlines()}


def test_files_land_under_the_prefix_with_regular_mode(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render()
    tree_id = build_tree(repo, files, prefix="rendered")
    listing = git("--git-dir", repo.path, "ls-tree", "-r", str(tree_id)).decode().splitlines()
    assert sorted(line.split("\t")[1] for line in listing) == sorted(f"rendered/{p}" for p in files)
    assert {line.split()[0] for line in listing} == {"100644"}
    for path, data in files.items():
        assert git("--git-dir", repo.path, "cat-file", "blob", f"{tree_id}:rendered/{path}") == data


def test_stale_files_are_removed_and_outside_untouched(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    outside = {"README.md": b"specs live here\n", "clusters/a.yaml": b"kind: Cluster\n"}
    base = build_tree(repo, outside, prefix="")
    first = write_tree(repo, render(clusters=3), prefix="rendered", base_tree=repo[base])
    second = write_tree(repo, render(clusters=2), prefix="rendered", base_tree=repo[first.tree_id])
    assert second.removed == ["spokes/c2/flows/team/flow0/manifests.yaml",
                              "spokes/c2/flows/team/flow1/manifests.yaml", "spokes/c2/spaces/team.yaml"]
    assert second.added == [] and second.modified == []
    assert not any(p.startswith("rendered/spokes/c2") for p in tree_files(repo, second.tree_id, "rendered"))
    assert tree_files(repo, second.tree_id, "README.md") == tree_files(repo, base, "README.md")
    assert tree_files(repo, second.tree_id, "clusters") == tree_files(repo, base, "clusters")


def test_unchanged_subtrees_keep_their_ids(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render(clusters=3)
    first = write_tree(repo, files, prefix="rendered")
    files["spokes/c1/spaces/team.yaml"] = b"kind: Namespace\nname: changed\n"
    second = write_tree(repo, files, prefix="rendered", base_tree=repo[first.tree_id])
    assert second.modified == ["spokes/c1/spaces/team.yaml"]
    old, new = repo[first.tree_id], repo[second.tree_id]
    assert new["rendered/spokes/c0"].id == old["rendered/spokes/c0"].id
    assert new["rendered/hub"].id == old["rendered/hub"].id
    assert new["rendered/spokes/c1"].id != old["rendered/spokes/c1"].id


def test_same_files_give_the_same_tree(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    first = write_tree(repo, render(), prefix="rendered")
    again = write_tree(repo, render(), prefix="rendered", base_tree=repo[first.tree_id])
    assert again.tree_id == first.tree_id
    assert (again.added, again.modified, again.removed) == ([], [], [])


def test_large_render_goes_into_a_pack_git_accepts(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render(clusters=300, flows=3)
    tree_id = build_tree(repo, files, prefix="deploy/rendered")
    assert list((tmp_path / "r.git" / "objects" / "pack").glob("pack-*.idx"))
    git("--git-dir", repo.path, "fsck", "--strict", "--no-dangling", "--no-progress", str(tree_id))
    for path in ("hub/root.yaml", "spokes/c299/flows/team/flow2/manifests.yaml"):
        assert git("--git-dir", repo.path, "cat-file", "blob", f"{tree_id}:deploy/rendered/{path}") == files[path]


def test_files_and_empty_prefix_replace_the_whole_tree(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    first = write_tree(repo, {"old.yaml": b"a\n", "keep/x.yaml": b"x\n"}, prefix="")
    second = write_tree(repo, {"keep/x.yaml": b"x\n"}, prefix="", base_tree=repo[first.tree_id])
    assert second.removed == ["old.yaml"]
    assert tree_files(repo, second.tree_id, "") == {"keep/x.yaml": tree_files(repo, first.tree_id, "")["keep/x.yaml"]}


@pytest.mark.parametrize("path", ["/abs.yaml", "a/../b.yaml", "a//b.yaml", ".git/config", "a/./b", "dir/"])
def test_unclean_paths_are_refused(tmp_path, path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    with pytest.raises(GitError, match="invalid path"):
        build_tree(repo, {path: b"x"}, prefix="rendered")


def test_a_path_that_is_both_file_and_directory_is_refused(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    with pytest.raises(GitError, match="directory"):
        build_tree(repo, {"a": b"x", "a/b.yaml": b"y"}, prefix="rendered")


def test_git_fsck_accepts_small_loose_trees(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = {"a.yaml": b"1", "a-b.yaml": b"2", "a/x.yaml": b"3", "a0.yaml": b"4", "Z.yaml": b"5"}
    tree_id = build_tree(repo, files, prefix="rendered")
    git("--git-dir", repo.path, "fsck", "--strict", "--no-dangling", "--no-progress", str(tree_id))


def _fresh_tree(tmp_path, files, name):
    """The tree id of `files` written into a new repository (no cache, no base)."""
    repo = pygit2.init_repository(str(tmp_path / name), bare=True)
    return write_tree(repo, files, prefix="rendered").tree_id


def test_the_tree_cache_gives_the_tree_a_fresh_write_gives(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render(clusters=4)
    first = write_tree(repo, files, prefix="rendered")
    assert (tmp_path / "r.git" / "hubctl" / "tree-cache").is_file()
    for step in range(3):  # each write starts from the last one's cache
        files[f"spokes/c{step}/flows/team/flow0/manifests.yaml"] = f"kind: ConfigMap\nstep: {step}\n".encode()
        files.pop("spokes/c3/spaces/team.yaml", None)
        files[f"hub/extra-{step}/x.yaml"] = b"x: 1\n"
        again = write_tree(repo, files, prefix="rendered", base_tree=repo[first.tree_id])
        assert again.tree_id == _fresh_tree(tmp_path, files, f"fresh-{step}.git")
        assert tree_files(repo, again.tree_id, "rendered") == tree_files(
            pygit2.Repository(str(tmp_path / f"fresh-{step}.git")), again.tree_id, "rendered")
        first = again
    assert again.modified == ["spokes/c2/flows/team/flow0/manifests.yaml"]
    assert again.added == ["hub/extra-2/x.yaml"]


@pytest.mark.parametrize("damage", [b"", b"garbage", b"hubctl-tree-cache 2\n" + b"\x01" * 39,
                                    b"hubctl-tree-cache 2\n" + b"\x01" * 20 + b"\x02" * 39])
def test_a_damaged_tree_cache_is_ignored(tmp_path, damage):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render(clusters=2)
    first = write_tree(repo, files, prefix="rendered")
    (tmp_path / "r.git" / "hubctl" / "tree-cache").write_bytes(damage)
    files["spokes/c0/spaces/team.yaml"] = b"kind: Namespace\n"
    again = write_tree(repo, files, prefix="rendered", base_tree=repo[first.tree_id])
    assert again.tree_id == _fresh_tree(tmp_path, files, "fresh.git")
    assert again.modified == ["spokes/c0/spaces/team.yaml"]


@pytest.mark.parametrize("written_for", ["base", "other"])
def test_the_tree_cache_is_consulted_only_for_the_tree_it_was_written_for(tmp_path, written_for):
    """Shows the cache is what skips unchanged subtrees: records written for the base tree that claim
    c0's new content is the base's c0 keep the base's c0 (hubctl trusts its own cache as git trusts its
    index); the same claim for c1, whose base subtree is another tree, is ignored; and records written
    for another tree are not read at all."""
    from hubctl.adapters.git.treecache import TreeCache

    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    files = render(clusters=2)
    first = write_tree(repo, files, prefix="rendered")
    base = repo[first.tree_id]["rendered"].id.raw
    base_c0 = repo[first.tree_id]["rendered/spokes/c0"].id.raw
    base_c1 = repo[first.tree_id]["rendered/spokes/c1"].id.raw
    files["spokes/c0/spaces/team.yaml"] = b"kind: Namespace\n"
    files["spokes/c1/spaces/team.yaml"] = b"kind: Namespace\n"
    fresh = pygit2.init_repository(str(tmp_path / "probe.git"), bare=True)
    learned = write_tree(fresh, files, prefix="rendered")  # learn the new fingerprints
    claims = TreeCache(repo.path)
    for fp in TreeCache(fresh.path, fresh[learned.tree_id]["rendered"].id.raw).old:
        claims.record(fp, base_c0)  # every subtree "is" the base's c0: true to the base for c0 only
    claims.save(base if written_for == "base" else b"\x07" * 20)
    again = write_tree(repo, files, prefix="rendered", base_tree=repo[first.tree_id])
    assert repo[again.tree_id]["rendered/spokes/c1"].id.raw != base_c1
    if written_for == "base":
        assert repo[again.tree_id]["rendered/spokes/c0"].id.raw == base_c0
        assert again.modified == ["spokes/c1/spaces/team.yaml"]
    else:
        assert again.tree_id == _fresh_tree(tmp_path, files, "fresh.git")
        assert again.modified == ["spokes/c0/spaces/team.yaml", "spokes/c1/spaces/team.yaml"]
