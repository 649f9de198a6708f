"""`hubctl diff` behaviour: exit codes, prune flags, refs, sides that are invalid or missing."""

from __future__ import annotations

import json
import shutil

from tests.review.changes import CASES, edit
from tests.review.fleetrepo import commit_all, git, make_repo


def test_no_change_exits_0_and_says_so(fleet_repo, hubctl):
    result = hubctl("diff", "-C", fleet_repo)
    assert result.code == 0
    assert "no changes: both sides render the same files" in result.out
    assert json.loads(hubctl("diff", "-C", fleet_repo, "-o", "json").out)["changed"] is False


def test_allow_prune_accepts_deletions_over_the_limit(fleet_repo, hubctl):
    CASES["label-move"][0](fleet_repo)
    result = hubctl("diff", "-C", fleet_repo, "--allow-prune", "-o", "json")
    assert result.code == 0
    prune = json.loads(result.out)["prune"]
    assert prune["blocked"] is False and prune["allowed"] is True
    assert prune["environments"] == [{"env": "prod", "deletions": 1, "limit": 0, "over": True}]
    assert "prune guard: 1 deletion over the limit in prod accepted with --allow-prune" in result.err


def test_max_deletions_overrides_the_configured_limits(fleet_repo, hubctl):
    CASES["removed-flow"][0](fleet_repo)
    assert hubctl("diff", "-C", fleet_repo, "--max-deletions", "2", "--stat").code == 0
    result = hubctl("diff", "-C", fleet_repo, "--max-deletions", "1", "--stat")
    assert result.code == 10
    assert "2 deletions in dev (limit 1)" in result.err
    assert "Namespace analytics on dev-eu-1 (dev)" in result.err


def test_stat_leaves_diff_texts_out(fleet_repo, hubctl):
    CASES["blueprint-change"][0](fleet_repo)
    text = hubctl("diff", "-C", fleet_repo, "--stat").out
    assert "flow node-agent (platform) changed on 9 clusters" in text
    assert "@@" not in text
    group = json.loads(hubctl("diff", "-C", fleet_repo, "--stat", "-o", "json").out)["manifests"][0]
    assert "diff" not in group and group["lines_added"] == 5 and len(group["files"]) == 9


def test_invalid_head_is_an_error_naming_the_head(fleet_repo, hubctl):
    edit(fleet_repo / "flows/web.yaml", "space: storefront", "space: nowhere")
    result = hubctl("diff", "-C", fleet_repo)
    assert result.code == 3
    assert "the head (working tree) has 1 problem in its specs" in result.err
    assert "flows/web.yaml" in result.err


def test_invalid_base_is_an_error_naming_the_base(fleet_repo, hubctl):
    edit(fleet_repo / "flows/web.yaml", "space: storefront", "space: nowhere")
    bad = commit_all(fleet_repo, "broken")
    edit(fleet_repo / "flows/web.yaml", "space: nowhere", "space: storefront")
    result = hubctl("diff", "-C", fleet_repo, "--base", bad)
    assert result.code == 3
    assert f"the base ({bad}) has 1 problem" in result.err


def test_unknown_ref_is_a_git_error(fleet_repo, hubctl):
    result = hubctl("diff", "-C", fleet_repo, "--base", "no-such-branch")
    assert result.code == 5
    assert "no-such-branch" in result.err


def test_outside_a_repository_is_a_git_error(example_fleet, hubctl):
    result = hubctl("diff", "-C", example_fleet)
    assert result.code == 5
    assert "is not in a Git repository" in result.err


def test_default_base_is_the_merge_base_with_main(fleet_repo, hubctl):
    main = git(fleet_repo, "rev-parse", "HEAD")
    git(fleet_repo, "checkout", "-q", "-b", "feature")
    CASES["new-flow"][0](fleet_repo)
    commit_all(fleet_repo, "search-api")
    git(fleet_repo, "checkout", "-q", "main")
    edit(fleet_repo / "flows/web.yaml", "2.14.0", "2.15.0")  # main moves on: not part of the feature
    commit_all(fleet_repo, "web 2.15.0")
    git(fleet_repo, "checkout", "-q", "feature")
    review = json.loads(hubctl("diff", "-C", fleet_repo, "-o", "json").out)
    assert review["base"] == {**review["base"], "ref": "merge-base(HEAD, main)", "commit": main}
    assert [p["flow"] for p in review["placements"]] == ["search-api"]


def test_without_a_default_branch_base_must_be_given(fleet_repo, hubctl):
    git(fleet_repo, "branch", "-m", "main", "trunk")
    result = hubctl("diff", "-C", fleet_repo)
    assert result.code == 5
    assert "pass --base REF" in result.err
    assert hubctl("diff", "-C", fleet_repo, "--base", "trunk").code == 0


def test_fleet_in_a_subdirectory_of_the_repository(tmp_path, example_fleet, hubctl):
    repo = tmp_path / "monorepo"
    shutil.copytree(example_fleet, repo / "deploy" / "fleet")
    make_repo(repo / "deploy" / "fleet")  # makes deploy/fleet the repository...
    shutil.move(str(repo / "deploy" / "fleet" / ".git"), str(repo / ".git"))  # ...then the repo is its grandparent
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "move")
    CASES["new-flow"][0](repo / "deploy" / "fleet")
    review = json.loads(hubctl("diff", "-C", repo / "deploy" / "fleet", "-o", "json").out)
    assert [p["flow"] for p in review["placements"]] == ["search-api"]


def test_base_without_a_fleet_shows_everything_added(tmp_path, example_fleet, hubctl):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("fleet to come\n")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "empty")
    shutil.copytree(example_fleet, repo / "fleet")
    review = json.loads(hubctl("diff", "-C", repo / "fleet", "-o", "json", "--stat").out)
    assert review["base"]["fleet"] is False
    assert review["summary"]["applications_added"] == 29 and review["summary"]["deletions"] == 0
