"""The prune guard reads its limits from the base side: a change cannot raise the limit that guards it."""

from __future__ import annotations

import json

from tests.review.changes import CASES, edit
from tests.review.fleetrepo import commit_all


def test_a_change_raising_its_own_limit_is_still_judged_by_the_base_limit(fleet_repo, hubctl):
    CASES["label-move"][0](fleet_repo)  # one prod Application deleted; the base allows 0 in prod
    edit(fleet_repo / "hubctl.yaml", "    prod: 0", "    prod: 5")

    result = hubctl("diff", "-C", fleet_repo, "--stat")

    assert result.code == 10
    assert "this change raises maxDeletions in hubctl.yaml (prod: 0 -> 5)" in result.err
    assert "1 deletion in prod (limit 0)" in result.err
    assert "--allow-prune" in result.err


def test_allow_prune_accepts_a_raised_limit_and_says_so(fleet_repo, hubctl):
    CASES["label-move"][0](fleet_repo)
    edit(fleet_repo / "hubctl.yaml", "    prod: 0", "    prod: 5")

    result = hubctl("diff", "-C", fleet_repo, "--allow-prune", "-o", "json")

    assert result.code == 0
    prune = json.loads(result.out)["prune"]
    assert prune["raised"] == ["prod: 0 -> 5"] and prune["blocked"] is False
    assert prune["environments"] == [{"env": "prod", "deletions": 1, "limit": 0, "over": True}]
    assert "raised maxDeletions (prod: 0 -> 5) accepted with --allow-prune" in result.err


def test_raising_a_limit_without_deleting_anything_needs_allow_prune(fleet_repo, hubctl):
    edit(fleet_repo / "hubctl.yaml", "    default: 20", "    default: 30")
    result = hubctl("diff", "-C", fleet_repo, "-o", "markdown")
    assert result.code == 10
    assert "this change raises maxDeletions (default: 20 -> 30); blocked: needs `--allow-prune`" in result.out
    assert "(default: 20 -> 30)" in result.err


def test_removing_a_limit_is_raising_it(fleet_repo, hubctl):
    edit(fleet_repo / "hubctl.yaml", "    prod: 0\n", "")
    result = hubctl("diff", "-C", fleet_repo, "--stat")
    assert result.code == 10
    assert "(prod: 0 -> 20)" in result.err, "prod falls back to the default of 20"


def _place_node_agent(fleet, selector: str) -> None:
    edit(fleet / "flows/node-agent.yaml", "  placement: {}\n", f"  placement:\n    selector:\n{selector}")


def test_lowering_a_limit_passes_and_the_base_limit_judges_the_change(fleet_repo, hubctl):
    flow = fleet_repo / "flows/node-agent.yaml"
    everywhere = flow.read_text()
    _place_node_agent(fleet_repo, "      matchExpressions:\n      - {key: env, operator: NotIn, values: [dev]}\n")
    edit(fleet_repo / "hubctl.yaml", "    default: 20", "    default: 0")  # lowered in the same change

    lowered = hubctl("diff", "-C", fleet_repo, "-o", "json")

    assert lowered.code == 0, lowered.err
    assert json.loads(lowered.out)["prune"]["environments"] == [
        {"env": "dev", "deletions": 4, "limit": 20, "over": False}]
    commit_all(fleet_repo, "lower the default limit; node-agent leaves dev")
    flow.write_text(everywhere)
    _place_node_agent(fleet_repo, "      matchLabels: {env: prod}\n")
    result = hubctl("diff", "-C", fleet_repo, "--base", "HEAD", "--stat")
    assert result.code == 10
    assert "deletions in staging (limit 0)" in result.err


def test_without_a_base_fleet_the_new_limits_apply(fleet_repo, hubctl):
    """The base commit has no fleet (nothing to delete, no limits to raise)."""
    from tests.review.fleetrepo import git

    first = git(fleet_repo, "rev-list", "--max-parents=0", "HEAD")
    git(fleet_repo, "checkout", "-q", "--orphan", "empty")
    git(fleet_repo, "rm", "-rq", "--cached", ".")
    git(fleet_repo, "commit", "-q", "--allow-empty", "-m", "empty")
    git(fleet_repo, "checkout", "-q", "-f", first)
    assert hubctl("diff", "-C", fleet_repo, "--base", "empty", "--stat").code == 0
