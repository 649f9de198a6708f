"""`hubctl commit` in the fleet repository: one change is one commit holding the changed specs and their render;
with a separate deploy repository, the specs must be committed first. Read back with the git CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fleetgit import IDENTITY, git


def names(repo: Path, ref: str = "HEAD") -> list[str]:
    return git(repo, "ls-tree", "-r", "--name-only", ref).split()


def changed_in(repo: Path, ref: str = "HEAD") -> list[str]:
    return git(repo, "show", "--format=", "--name-status", "--no-renames", ref).splitlines()


def test_a_fresh_fleets_first_commit_holds_its_specs_and_render_and_no_junk(hubctl, example_fleet, monkeypatch):
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    fleet = example_fleet
    git(fleet, "init", "-q", "-b", "main")
    (fleet / "NOTES.md").write_text("my notes\n")
    (fleet / "flows" / "todo.txt").write_text("not read by hubctl\n")
    (fleet / "clusters" / ".env").write_text("TOKEN=ghp_" + "a1B2" * 9 + "\n")  # hidden: never read, never staged
    assert hubctl("render", "-C", fleet).code == 0

    result = hubctl("commit", "-C", fleet)

    assert result.code == 0, result.err
    assert "64 added, 0 changed, 0 removed files; +29 -0 Applications; 22 spec files" in result.out
    committed = names(fleet)
    specs = sorted(p.relative_to(fleet).as_posix() for p in fleet.rglob("*.yaml") if "rendered" not in p.parts)
    assert sorted(n for n in committed if not n.startswith("rendered/")) == specs
    assert git(fleet, "rev-list", "--count", "HEAD").strip() == "1"
    status = git(fleet, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert sorted(status) == ["?? NOTES.md", "?? clusters/.env", "?? flows/todo.txt"]
    message = git(fleet, "log", "-1", "--format=%B")
    assert "Specs: clusters/dev-eu-1.yaml, " in message and "Hubctl-Source: this commit\n" in message


def test_a_spec_change_and_its_render_are_one_commit(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    web = fleet_repo / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("replicas: 4", "replicas: 5", 1))
    assert hubctl("render", "-C", fleet_repo).code == 0

    result = hubctl("commit", "-C", fleet_repo, "-m", "web: 3 replicas")

    assert result.code == 0, result.err
    changed = changed_in(fleet_repo)
    assert "M\tflows/web.yaml" in changed
    assert all(line == "M\tflows/web.yaml" or line.startswith("M\trendered/spokes/") for line in changed), changed
    assert git(fleet_repo, "status", "--porcelain") == ""


def test_a_renamed_spec_file_is_committed_as_a_deletion_and_an_addition(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    (fleet_repo / "flows" / "web.yaml").rename(fleet_repo / "flows" / "storefront-web.yaml")
    assert hubctl("render", "-C", fleet_repo).code == 0

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 0, result.err
    assert "0 added, 9 changed, 0 removed files; +0 -0 Applications; 2 spec files" in result.out  # provenance
    changed = changed_in(fleet_repo)
    assert [line for line in changed if not line.startswith("M\trendered/")] == [
        "A\tflows/storefront-web.yaml", "D\tflows/web.yaml"]
    assert git(fleet_repo, "status", "--porcelain") == ""


def test_the_working_tree_version_is_committed_and_other_staged_files_stay_staged(hubctl, fleet_repo):
    """A partially staged index: the render is of the files on disk, so those are committed (as `git commit
    PATH` does); a file staged outside the specs stays staged and out of the commit."""
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    (fleet_repo / "README.md").write_text("staged notes\n")
    git(fleet_repo, "add", "README.md")
    web = fleet_repo / "flows" / "web.yaml"
    original = web.read_text()
    web.write_text(original.replace("replicas: 4", "replicas: 6", 1))
    git(fleet_repo, "add", "flows/web.yaml")  # staged: 6 replicas
    web.write_text(original.replace("replicas: 4", "replicas: 5", 1))  # on disk and rendered: 5
    assert hubctl("render", "-C", fleet_repo).code == 0

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 0, result.err
    assert git(fleet_repo, "show", "HEAD:flows/web.yaml") == web.read_text()
    assert "README.md" not in names(fleet_repo)
    assert git(fleet_repo, "status", "--porcelain").splitlines() == ["A  README.md"]


def test_render_only_leaves_the_specs_out(hubctl, fleet_repo):
    web = fleet_repo / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("replicas: 4", "replicas: 5", 1))
    assert hubctl("render", "-C", fleet_repo).code == 0
    head = git(fleet_repo, "rev-parse", "HEAD").strip()

    result = hubctl("commit", "-C", fleet_repo, "--render-only")

    assert result.code == 0, result.err
    assert all(line.startswith("A\trendered/") for line in changed_in(fleet_repo))
    message = git(fleet_repo, "log", "-1", "--format=%B")
    assert f"Hubctl-Source-Commit: {head}\nHubctl-Source-Dirty: true\n" in message
    assert git(fleet_repo, "status", "--porcelain").splitlines() == [" M flows/web.yaml"]


def test_a_spec_file_holding_a_credential_is_never_committed(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    head = git(fleet_repo, "rev-parse", "HEAD")
    (fleet_repo / "flows" / "leak.yaml").write_text("# token: ghp_" + "a1B2" * 9 + "\n")

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 3, result.err
    assert "flows/leak.yaml" in result.err and "ghp_" not in result.err + result.out
    assert git(fleet_repo, "rev-parse", "HEAD") == head


def test_an_index_update_that_failed_for_a_spec_file_is_finished_by_the_rerun(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    web = fleet_repo / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("replicas: 4", "replicas: 5", 1))
    (fleet_repo / "spaces" / "analytics.yaml").rename(fleet_repo / "spaces" / "data.yaml")
    assert hubctl("render", "-C", fleet_repo).code == 0
    lock = fleet_repo / ".git" / "index.lock"
    lock.write_bytes(b"")

    failed = hubctl("commit", "-C", fleet_repo)
    lock.unlink()
    rerun = hubctl("commit", "-C", fleet_repo)

    assert failed.code == 5 and "the commit was made, but the index could not be updated" in failed.err
    assert rerun.code == 0 and rerun.out.startswith("nothing to commit"), rerun.err
    assert git(fleet_repo, "status", "--porcelain") == ""


@pytest.fixture
def deploy_fleet(fleet_repo, tmp_path) -> tuple[Path, Path]:
    """The fleet repository with spec.deploy committed, and a bare deploy clone."""
    deploy = tmp_path / "deploy.git"
    git(tmp_path, "init", "-q", "--bare", str(deploy))
    hub = fleet_repo / "hubctl.yaml"
    hub.write_text(hub.read_text() + "  deploy:\n    repository: https://git.example.com/deploy.git\n")
    git(fleet_repo, "commit", "-q", "-am", "deploy elsewhere")
    return fleet_repo, deploy


def test_a_deploy_repository_is_refused_uncommitted_specs(hubctl, deploy_fleet):
    fleet, deploy = deploy_fleet
    web = fleet / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("replicas: 4", "replicas: 5", 1))

    refused = hubctl("commit", "-C", fleet, "--deploy-clone", deploy)

    assert refused.code == 4
    head = git(fleet, "rev-parse", "HEAD").strip()
    assert f"the specs differ from their commit {head[:12]}" in refused.err
    assert "commit them (`git commit -a`) first" in refused.err and "--allow-dirty" in refused.err
    assert git(deploy, "for-each-ref") == ""

    allowed = hubctl("commit", "-C", fleet, "--deploy-clone", deploy, "--allow-dirty")

    assert allowed.code == 0, allowed.err
    message = git(deploy, "log", "-1", "--format=%B", "main")
    assert f"Hubctl-Source-Commit: {head}\nHubctl-Source-Dirty: true\n" in message
    assert all(name.startswith("rendered/") for name in names(deploy, "main"))


def test_a_deploy_repository_takes_committed_specs_and_names_their_commit(hubctl, deploy_fleet):
    fleet, deploy = deploy_fleet
    (fleet / "NOTES.md").write_text("not a spec: the specs are still clean\n")

    result = hubctl("commit", "-C", fleet, "--deploy-clone", deploy)

    assert result.code == 0, result.err
    head = git(fleet, "rev-parse", "HEAD").strip()
    message = git(deploy, "log", "-1", "--format=%B", "main")
    assert f"Hubctl-Source-Commit: {head}\n" in message and "Dirty" not in message


def test_a_deploy_repository_is_refused_specs_without_any_commit(hubctl, example_fleet, tmp_path, monkeypatch):
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    deploy = tmp_path / "deploy.git"
    git(tmp_path, "init", "-q", "--bare", str(deploy))
    hub = example_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text() + "  deploy:\n    repository: https://git.example.com/deploy.git\n")
    git(example_fleet, "init", "-q", "-b", "main")

    refused = hubctl("commit", "-C", example_fleet, "--deploy-clone", deploy)

    assert refused.code == 4
    assert "the specs have no commit yet" in refused.err
    assert "git add -A && git commit" in refused.err


def test_specs_under_a_linked_top_directory_are_committed_where_git_keeps_them(hubctl, fleet_repo):
    """clusters/ as a symbolic link to a directory of the fleet: hubctl reads the specs through the link, so
    the commit holds the link and the files where it points, each as on disk; an edit and a deletion there
    are committed too (never reported unchanged while the commit claims `Hubctl-Source: this commit`)."""
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    (fleet_repo / "clusters").rename(fleet_repo / "cluster-specs")
    (fleet_repo / "clusters").symlink_to("cluster-specs")
    real = fleet_repo / "cluster-specs"

    def committed_as_on_disk() -> None:
        assert git(fleet_repo, "status", "--porcelain") == ""
        assert git(fleet_repo, "ls-tree", "HEAD", "clusters").startswith("120000 blob ")
        assert git(fleet_repo, "show", "HEAD:clusters") == "cluster-specs"
        listed = sorted(name for name in names(fleet_repo) if name.startswith(("clusters/", "cluster-specs/")))
        assert listed == sorted(f"cluster-specs/{p.name}" for p in real.glob("*.yaml"))
        for path in real.glob("*.yaml"):
            assert git(fleet_repo, "show", f"HEAD:cluster-specs/{path.name}") == path.read_text()

    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    committed_as_on_disk()

    edited = real / "dev-eu-1.yaml"
    edited.write_text(edited.read_text().replace("  labels:\n", "  labels:\n    round: edited\n", 1))
    assert hubctl("render", "-C", fleet_repo).code == 0
    result = hubctl("commit", "-C", fleet_repo)
    assert result.code == 0, result.err
    assert "M\tcluster-specs/dev-eu-1.yaml" in changed_in(fleet_repo)
    committed_as_on_disk()

    (real / "dev-us-lab.yaml").unlink()
    assert hubctl("render", "-C", fleet_repo).code == 0
    result = hubctl("commit", "-C", fleet_repo, "--allow-prune")
    assert result.code == 0, result.err
    assert "D\tcluster-specs/dev-us-lab.yaml" in changed_in(fleet_repo)
    committed_as_on_disk()

    (fleet_repo / "clusters").unlink()  # and back to a directory
    real.rename(fleet_repo / "clusters")
    assert hubctl("render", "-C", fleet_repo).code == 0
    result = hubctl("commit", "-C", fleet_repo)
    assert result.code == 0, result.err
    assert git(fleet_repo, "ls-tree", "HEAD", "clusters").startswith("040000 tree ")
    for path in (fleet_repo / "clusters").glob("*.yaml"):
        assert git(fleet_repo, "show", f"HEAD:clusters/{path.name}") == path.read_text()
    assert [line for line in git(fleet_repo, "status", "--porcelain").splitlines()
            if not line.startswith(" D cluster-specs/")] == []  # the old files are no spec hubctl reads now
