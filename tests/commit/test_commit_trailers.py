"""`hubctl commit` records each removal the prune guard allowed as a `Hubctl-Allowed-Removal` trailer: the
only thing `hubctl prune` accepts as permission to delete an Application on the hub (docs/architecture.md)."""

from __future__ import annotations

from fleetgit import git

TRAILER = "Hubctl-Allowed-Removal:"


def trailers(fleet) -> list[str]:
    return [line for line in git(fleet, "log", "-1", "--format=%B").splitlines() if line.startswith(TRAILER)]


def test_a_commit_without_removals_allows_none(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    assert trailers(fleet_repo) == []


def test_each_removed_application_the_guard_allowed_is_named_with_its_environment(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    assert hubctl("cluster", "drain", "staging-eu-1", "-C", fleet_repo).code == 0
    assert hubctl("render", "-C", fleet_repo).code == 0

    assert hubctl("commit", "-C", fleet_repo).code == 0

    named = trailers(fleet_repo)
    assert named and all(line.endswith("staging-eu-1 (staging)") for line in named), named
    assert f"{TRAILER} spaces-staging-eu-1 (staging)" in named, "the spoke's spaces Application goes too"
    assert named == sorted(named)


def test_a_removal_over_the_limit_names_the_override(hubctl, fleet_repo):
    flow = fleet_repo / "flows" / "catalog-api.yaml"
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    flow.write_text(flow.read_text().replace("tier: gold", "tier: standard"))
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 10
    assert hubctl("commit", "-C", fleet_repo, "--allow-prune").code == 0
    named = trailers(fleet_repo)
    assert len(named) == 3 and all(line.endswith("(prod, --allow-prune)") for line in named), named
