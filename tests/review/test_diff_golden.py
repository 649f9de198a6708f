"""`hubctl diff` on typical changes: exact text, markdown and json output against golden files."""

from __future__ import annotations

import json

import pytest

from tests.review.changes import CASES
from tests.review.fleetrepo import check_golden, git


@pytest.mark.parametrize("case", sorted(CASES))
def test_diff_outputs_match_golden(case, fleet_repo, hubctl, update_golden):
    change, expected_code = CASES[case]
    change(fleet_repo)
    for output, suffix in (("text", "txt"), ("markdown", "md"), ("json", "json")):
        result = hubctl("diff", "-C", fleet_repo, "-o", output)
        assert result.code == expected_code, result.err
        check_golden(f"{case}.{suffix}", result.out, update_golden)
    if expected_code == 10:
        assert "prune guard" in result.err


def test_same_change_committed_on_a_branch_reads_the_same(fleet_repo, hubctl):
    CASES["new-flow"][0](fleet_repo)
    from_worktree = json.loads(hubctl("diff", "-C", fleet_repo, "-o", "json").out)
    git(fleet_repo, "checkout", "-q", "-b", "feature")
    git(fleet_repo, "add", "-A")
    git(fleet_repo, "commit", "-q", "-m", "search-api")
    result = hubctl("diff", "-C", fleet_repo, "--base", "main", "--head", "feature", "-o", "json")
    from_branch = json.loads(result.out)
    assert result.code == 0
    assert from_branch["head"]["ref"] == "feature" and from_branch["head"]["commit"]
    for key in ("summary", "placements", "hub", "manifests", "prune", "permissions_widened"):
        assert from_branch[key] == from_worktree[key]
