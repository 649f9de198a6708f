"""`hubctl commit` reads the prune limits from the commit it builds on: a change cannot raise its own limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from fleetgit import git


def move_catalog_api_and_raise_the_prod_limit(fleet: Path) -> None:
    """Three prod Applications of catalog-api go away; the same change lets prod delete 5."""
    flow = fleet / "flows" / "catalog-api.yaml"
    flow.write_text(flow.read_text().replace("tier: gold", "tier: standard"))
    hub = fleet / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("    prod: 0\n", "    prod: 5\n"))


def test_a_commit_raising_its_own_limit_is_refused_in_the_fleet_repository(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    move_catalog_api_and_raise_the_prod_limit(fleet_repo)
    assert hubctl("render", "-C", fleet_repo).code == 0

    refused = hubctl("commit", "-C", fleet_repo)

    assert refused.code == 10
    assert "this change raises maxDeletions in hubctl.yaml (prod: 0 -> 5)" in refused.err
    assert "3 deletions in prod (limit 0)" in refused.err
    assert git(fleet_repo, "rev-list", "--count", "HEAD").strip() == "2"
    assert hubctl("commit", "-C", fleet_repo, "--allow-prune").code == 0


def test_a_commit_raising_its_own_limit_is_refused_in_a_separate_deploy_repository(hubctl, fleet_repo, tmp_path,
                                                                                     monkeypatch):
    deploy = tmp_path / "deploy.git"
    monkeypatch.setenv("HUBCTL_DEPLOY_CLONE", str(deploy))
    git(tmp_path, "init", "-q", "--bare", str(deploy))
    hub = fleet_repo / "hubctl.yaml"
    hub.write_text(hub.read_text() + f"  deploy:\n    repository: {deploy}\n    branch: main\n")
    git(fleet_repo, "commit", "-q", "-am", "deploy repository")
    assert hubctl("commit", "-C", fleet_repo).code == 0, "a first commit: no base, the new limits apply"
    move_catalog_api_and_raise_the_prod_limit(fleet_repo)
    git(fleet_repo, "commit", "-q", "-am", "catalog-api to standard clusters; prod may delete 5")

    refused = hubctl("commit", "-C", fleet_repo)

    assert refused.code == 10, "the base is the source commit named by the deploy branch's last commit"
    assert "(prod: 0 -> 5)" in refused.err and "3 deletions in prod (limit 0)" in refused.err
    assert git(deploy, "rev-list", "--count", "main").strip() == "1"
    assert hubctl("commit", "-C", fleet_repo, "--allow-prune").code == 0
    assert git(deploy, "rev-list", "--count", "main").strip() == "2"


def move_off_gold(fleet: Path, flow: str) -> None:
    path = fleet / "flows" / f"{flow}.yaml"
    path.write_text(path.read_text().replace("tier: gold", "tier: standard"))


def test_a_limit_raised_in_an_earlier_hubctl_commit_applies(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    move_catalog_api_and_raise_the_prod_limit(fleet_repo)
    git(fleet_repo, "commit", "-q", "-am", "catalog-api to standard clusters; prod may delete 5")
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 10
    assert hubctl("commit", "-C", fleet_repo, "--allow-prune").code == 0, "hubctl's commit records the raise"
    (fleet_repo / "flows" / "nightly-report.yaml").unlink()
    assert hubctl("render", "-C", fleet_repo).code == 0

    assert hubctl("commit", "-C", fleet_repo).code == 0


def test_a_raise_committed_with_plain_git_since_hubctl_last_committed_is_refused(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    hub = fleet_repo / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("    prod: 0\n", "    prod: 50\n"))
    git(fleet_repo, "rm", "-q", "flows/web.yaml")
    git(fleet_repo, "commit", "-q", "-am", "web goes; prod may delete 50")
    assert hubctl("render", "-C", fleet_repo).code == 0

    refused = hubctl("commit", "-C", fleet_repo)

    assert refused.code == 10, "the limits of hubctl's last commit apply, not those of the branch head"
    assert "(prod: 0 -> 50)" in refused.err and "deletions in prod (limit 0)" in refused.err
    assert hubctl("commit", "-C", fleet_repo, "--dry-run", "--allow-prune").code == 0


def test_rendered_files_removed_with_plain_git_still_count_as_deletions(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    move_off_gold(fleet_repo, "catalog-api")
    assert hubctl("render", "-C", fleet_repo).code == 0
    git(fleet_repo, "add", "-A")
    git(fleet_repo, "commit", "-q", "-m", "the render, committed with plain git")
    (fleet_repo / "flows" / "nightly-report.yaml").unlink()
    assert hubctl("render", "-C", fleet_repo).code == 0

    refused = hubctl("commit", "-C", fleet_repo)

    assert refused.code == 10, "deletions are counted against what hubctl last committed"
    assert "catalog-api" in refused.err and "nightly-report" in refused.err


@pytest.mark.parametrize("layout", ["files", "variants"])
def test_a_namespace_a_shared_space_drops_is_counted_against_the_committed_render(hubctl, fleet_repo, layout):
    """The base is read back from Git: in the variants layout a spoke's namespaces are reached through its
    spaces kustomization and the shared space variants it names."""
    space, hub = fleet_repo / "spaces" / "analytics.yaml", fleet_repo / "hubctl.yaml"
    if layout == "variants":
        hub.write_text(hub.read_text() + "  render:\n    layout: variants\n")
    space.write_text(space.read_text().replace("namespaces: [analytics]", "namespaces: [analytics, analytics-jobs]"))
    git(fleet_repo, "commit", "-q", "-am", "analytics-jobs")
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    space.write_text(space.read_text().replace("namespaces: [analytics, analytics-jobs]", "namespaces: [analytics]"))
    git(fleet_repo, "commit", "-q", "-am", "no analytics-jobs")
    assert hubctl("render", "-C", fleet_repo).code == 0

    refused = hubctl("commit", "-C", fleet_repo)

    assert refused.code == 10, refused.err
    assert "2 deletions in prod (limit 0)" in refused.err
    assert "Namespace analytics-jobs on prod-eu-1 (prod)" in refused.err
    assert "Namespace analytics-jobs on prod-eu-2 (prod)" in refused.err
    assert hubctl("commit", "-C", fleet_repo, "--allow-prune").code == 0
    message = git(fleet_repo, "log", "-1", "--format=%B")
    assert "Spaces: analytics\n" in message and "kustomization" not in message, message
