"""What makes `hubctl commit` scale keeps its guarantees: the index trusts a rendered file's stat only while
the file is the one the render's stamp vouched for, and blob ids remembered by recipe commit the same bytes
that hashing would. Committed content is read back with the git CLI, never through hubctl."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fleetgit import git

from hubctl.base import cachefile


def committed(repo: Path, ref: str, prefix: str = "rendered") -> dict[str, bytes]:
    names = git(repo, "ls-tree", "-r", "--name-only", ref, "--", prefix).split()
    return {name.removeprefix(prefix + "/"): subprocess.run(["git", "show", f"{ref}:{name}"], cwd=repo,
                                                              check=True, capture_output=True).stdout
            for name in names}


def on_disk(repo: Path, prefix: str = "rendered") -> dict[str, bytes]:
    return {p.relative_to(repo / prefix).as_posix(): p.read_bytes() for p in (repo / prefix).rglob("*") if p.is_file()}


def change_a_flow(fleet: Path) -> None:
    flow = fleet / "flows" / "catalog-api.yaml"
    flow.write_text(flow.read_text().replace("catalog-api:1.8.3", "catalog-api:1.8.4"))
    assert "catalog-api:1.8.4" in flow.read_text()


@pytest.mark.parametrize("mtime_put_back", [False, True], ids=["edited", "edited-mtime-put-back"])
def test_a_rendered_file_edited_after_the_plan_shows_as_modified(hubctl, fleet_repo, mtime_put_back):
    """The plan found the file fresh; it changes (same size, and maybe with its mtime put back) before the
    commit is written. The index must not give it the stat it has now: git status shows the edit, and the
    commit holds the rendered bytes. Only the ctime tells the forged file apart."""
    from hubctl.usecases.commit.run import carry_out, plan_commit

    assert hubctl("render", "-C", fleet_repo).code == 0
    if mtime_put_back:  # older than the index, so that libgit2 does not smudge the entries as racily clean
        hour_ago = os.stat(fleet_repo / "rendered").st_mtime_ns - 3600 * 10**9
        for path in (fleet_repo / "rendered").rglob("*.yaml"):
            os.utime(path, ns=(hour_ago, hour_ago))
    fleet, plan = plan_commit(fleet_repo)
    target = fleet_repo / "rendered" / "hub" / "root.yaml"
    rendered, before = target.read_bytes(), target.stat()
    edited = rendered.replace(b"kind: Application", b"kind: Applicatiox")
    assert len(edited) == len(rendered) and edited != rendered
    target.write_bytes(edited)
    if mtime_put_back:
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = target.stat()
        assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)

    carry_out(fleet, plan)

    assert committed(fleet_repo, "HEAD")["hub/root.yaml"] == rendered
    assert git(fleet_repo, "status", "--porcelain", "--", "rendered") == " M rendered/hub/root.yaml\n"
    assert git(fleet_repo, "diff-files", "--name-only", "--", "rendered") == "rendered/hub/root.yaml\n"


def test_a_second_commit_with_remembered_ids_commits_the_rendered_bytes(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    change_a_flow(fleet_repo)
    assert hubctl("render", "-C", fleet_repo).code == 0

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 0, result.err
    assert "0 added, 0 changed" not in result.out
    assert committed(fleet_repo, "HEAD") == on_disk(fleet_repo)
    assert git(fleet_repo, "status", "--porcelain") == ""


def test_the_same_specs_give_the_same_tree_with_or_without_remembered_ids(hubctl, fleet_repo, tmp_path,
                                                                          monkeypatch):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    fresh = tmp_path / "fresh"
    shutil.copytree(fleet_repo, fresh, ignore=shutil.ignore_patterns("rendered", ".git"))
    git(fresh, "init", "-q", "-b", "main")
    git(fresh, "add", "-A")
    git(fresh, "commit", "-q", "-m", "specs")
    change_a_flow(fleet_repo)
    change_a_flow(fresh)
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))  # no remembered id at all
    assert hubctl("render", "-C", fresh).code == 0
    assert hubctl("commit", "-C", fresh).code == 0

    assert git(fleet_repo, "rev-parse", "HEAD:rendered") == git(fresh, "rev-parse", "HEAD:rendered")


def test_a_damaged_or_planted_id_cache_costs_hashing_never_a_wrong_blob(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    (kept,) = (cachefile.cache_root() / "blobids").iterdir()  # the fleet repository's, the one target
    data = bytearray(kept.read_bytes())
    data[-1] ^= 0xFF  # damaged, or written by someone else: its signature no longer holds
    kept.write_bytes(bytes(data))
    os.utime(kept, (0, 0))
    change_a_flow(fleet_repo)
    assert hubctl("render", "-C", fleet_repo).code == 0

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 0, result.err
    assert committed(fleet_repo, "HEAD") == on_disk(fleet_repo)


def test_source_commit_compares_spec_files_by_blob_id_following_committed_links(fleet_repo):
    """The specs are compared with their commit by blob id (no committed spec is read), a symbolic link by
    the file it points to: the same content is clean, a changed target or a re-pointed link is dirty."""
    from hubctl.usecases.commit.run import source_commit
    from hubctl.usecases.validate.loader import load_fleet

    flows = fleet_repo / "flows"
    shared = fleet_repo / "shared"
    shared.mkdir()
    (flows / "catalog-api.yaml").rename(shared / "catalog-api.yaml")
    (flows / "catalog-api.yaml").symlink_to("../shared/catalog-api.yaml")
    git(fleet_repo, "add", "-A")
    git(fleet_repo, "commit", "-q", "-m", "flow through a link")
    head = git(fleet_repo, "rev-parse", "HEAD").strip()
    fleet = load_fleet(fleet_repo)
    assert source_commit(fleet) == (head, False)

    target = shared / "catalog-api.yaml"
    target.write_text(target.read_text().replace("catalog-api:1.8.3", "catalog-api:1.8.4"))
    assert source_commit(fleet) == (head, True)

    git(fleet_repo, "checkout", "--", "shared")
    assert source_commit(fleet) == (head, False)
    (shared / "other.yaml").write_text(target.read_text().replace("catalog-api:1.8.3", "catalog-api:1.9.0"))
    (flows / "catalog-api.yaml").unlink()
    (flows / "catalog-api.yaml").symlink_to("../shared/other.yaml")
    assert source_commit(fleet) == (head, True)


def test_a_file_read_back_with_a_ctime_as_young_as_the_scan_is_hashed_not_taken_by_its_stat(hubctl, fleet_repo,
                                                                                            monkeypatch):
    """A rendered file the stamp cannot vouch for (written again, same bytes) is read back to find it fresh.
    When its ctime is within a clock tick of the scan, a change right after that read can keep every stat
    field (size, mtime, ctime, inode: the ctime is a coarse clock): its index entry must not take that stat
    (git status would then call the changed file clean), it is hashed when the index is written instead.
    The scan's clock is set just after the rewrite: the same tick, as on a fast machine."""
    import time
    import types

    from hubctl.usecases.commit.run import carry_out, plan_commit
    from hubctl.usecases.render import stamp

    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    change_a_flow(fleet_repo)
    assert hubctl("render", "-C", fleet_repo).code == 0
    changed = git(fleet_repo, "diff-files", "--name-only", "--", "rendered").split()
    assert changed
    rel = changed[0].removeprefix("rendered/")
    target = fleet_repo / "rendered" / rel
    data = target.read_bytes()
    target.unlink()
    target.write_bytes(data)  # the same bytes, another inode and ctime: the stamp no longer vouches for it
    young = target.stat().st_ctime_ns + 1_000_000
    monkeypatch.setattr(stamp, "time", types.SimpleNamespace(time_ns=lambda: young, sleep=time.sleep))

    fleet, plan = plan_commit(fleet_repo)

    assert rel not in plan.worktree
    assert "hub/root.yaml" in plan.worktree  # vouched for by the stamp: older than a tick
    monkeypatch.undo()
    carry_out(fleet, plan)
    assert committed(fleet_repo, "HEAD") == on_disk(fleet_repo)
    assert git(fleet_repo, "status", "--porcelain", "--", "rendered") == ""


def test_a_remembered_id_naming_another_object_of_the_repository_is_never_committed(hubctl, fleet_repo):
    """A blob-id cache entry that names the wrong object (a hand-made cache file, signed with this user's key):
    a small commit writes loose objects, skipping those the repository has; the id of every object it would
    refer to is still checked against the bytes, so no tree ever names another file's blob."""
    from hubctl.base.errors import GitError
    from hubctl.usecases.commit.blobids import _FORMAT
    from hubctl.usecases.commit.run import carry_out, plan_commit

    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    head = git(fleet_repo, "rev-parse", "HEAD").strip()
    change_a_flow(fleet_repo)
    assert hubctl("render", "-C", fleet_repo).code == 0
    _fleet, plan = plan_commit(fleet_repo)
    rel = next(rel for rel in plan.modified if rel in plan.render.recipes)
    other = bytes.fromhex(git(fleet_repo, "rev-parse", "HEAD:rendered/hub/root.yaml").strip())
    from hubctl.usecases.commit.blobids import cache_file
    from hubctl.usecases.commit.run import blob_ids_key

    path = cache_file(blob_ids_key(plan.target))
    assert path.is_file()
    cachefile.save(path, _FORMAT, {**cachefile.load(path, _FORMAT), plan.render.recipes[rel]: other})

    fleet, plan = plan_commit(fleet_repo)
    with pytest.raises(GitError, match="does not hold the bytes") as refused:
        carry_out(fleet, plan)

    assert git(fleet_repo, "rev-parse", "HEAD").strip() == head
    assert "run the same command again" in refused.value.hint
    again = hubctl("commit", "-C", fleet_repo)  # the wrong ids were forgotten: hashed, and committed
    assert again.code == 0, again.err
    assert committed(fleet_repo, "HEAD") == on_disk(fleet_repo)
    assert git(fleet_repo, "status", "--porcelain") == ""


def test_a_vouched_file_enters_the_index_with_its_stat(hubctl, fleet_repo, monkeypatch):
    """The index entry of a file the stamp vouched for is made from its lstat (pygit2's IndexEntry has no stat
    fields: index.StatEntry fills libgit2's): git reads that stat back, so `git status` need not hash it."""
    from hubctl.adapters.git import index

    vouched = []
    real = index._vouched_stat
    monkeypatch.setattr(index, "_vouched_stat", lambda *args: vouched.append(real(*args)) or vouched[-1])
    assert hubctl("render", "-C", fleet_repo).code == 0
    target = fleet_repo / "rendered" / "hub" / "root.yaml"
    os.utime(target, ns=(1_600_000_000_123_456_789, 1_600_000_000_123_456_789))  # older than any index
    assert hubctl("render", "-C", fleet_repo).code == 0  # the stamp records the file as it is now

    assert hubctl("commit", "-C", fleet_repo).code == 0

    assert vouched and all(st is not None for st in vouched)
    debug = git(fleet_repo, "ls-files", "--debug", "--", "rendered/hub/root.yaml")
    st = os.lstat(target)
    fields = dict(line.strip().split(": ", 1) for line in debug.splitlines()[1:] if ": " in line and "\t" not in line)
    assert fields["mtime"] == f"{st.st_mtime_ns // 10**9}:{st.st_mtime_ns % 10**9}"
    assert fields["ctime"] == f"{st.st_ctime_ns // 10**9}:{st.st_ctime_ns % 10**9}"
    assert f"ino: {st.st_ino & 0xFFFFFFFF}" in debug and f"size: {st.st_size}" in debug
    assert git(fleet_repo, "status", "--porcelain", "--", "rendered") == ""


def test_a_tree_that_does_not_hash_to_its_id_is_reported_as_a_bug_and_the_blob_ids_are_kept(
        hubctl, fleet_repo, monkeypatch):
    """Only a blob's id can come from the remembered blob ids: a tree whose bytes do not hash to its id is
    hubctl's own fault, so the error says so instead of blaming (and forgetting) the cache."""
    import hubctl.adapters.git as git_adapter
    from hubctl.base.errors import ObjectMismatchError
    from hubctl.usecases.commit.blobids import cache_file
    from hubctl.usecases.commit.run import blob_ids_key, carry_out, plan_commit

    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    change_a_flow(fleet_repo)
    assert hubctl("render", "-C", fleet_repo).code == 0
    fleet, plan = plan_commit(fleet_repo)
    path = cache_file(blob_ids_key(plan.target))
    remembered = path.read_bytes()

    def wrong_tree(*args, **kwargs):
        raise ObjectMismatchError(f"tree {'ab' * 20} does not hold the bytes given for it", kind="tree")

    monkeypatch.setattr(git_adapter, "commit_files", wrong_tree)
    with pytest.raises(ObjectMismatchError) as refused:
        carry_out(fleet, plan)
    assert "bug in hubctl" in refused.value.hint and "nothing was committed" in refused.value.message
    assert path.read_bytes() == remembered
