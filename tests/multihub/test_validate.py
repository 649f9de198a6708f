"""Validation of a fleet of several hubs: every cluster has exactly one active hub."""

from __future__ import annotations

import json

import pytest

from tests.support.multihub import edit, make_multihub


@pytest.fixture
def fleet(example_fleet):
    return make_multihub(example_fleet)


def problems(hubctl, root):
    result = hubctl("-C", root, "validate", "-o", "json")
    return result.code, json.loads(result.out)["problems"]


def test_a_fleet_of_three_hubs_validates(hubctl, fleet):
    result = hubctl("-C", fleet, "validate")
    assert result.code == 0, result.err


def test_a_cluster_claimed_by_two_active_hubs_is_refused_with_both_claims(hubctl, fleet):
    edit(fleet / "hubs" / "us-hub.yaml", "matchLabels: {region: us-east}", "matchLabels: {env: prod}")

    code, found = problems(hubctl, fleet)

    assert code == 3
    doubled = {p["file"] for p in found if p["code"] == "hub-claim" and "claimed by 2 active hubs" in p["message"]}
    assert doubled == {"clusters/prod-eu-1.yaml", "clusters/prod-eu-2.yaml", "clusters/prod-ap-1.yaml",
                       "clusters/pci-eu-1.yaml"}
    message = next(p for p in found if p["file"] == "clusters/prod-eu-1.yaml")
    assert message["path"] == "metadata.name" and message["line"] > 0
    assert "`platform-hub` (hubctl.yaml:" in message["message"]
    assert "`us-hub` (hubs/us-hub.yaml:" in message["message"] and "spec.clusters" in message["hint"]
    # the us clusters the selector no longer matches are managed by nobody
    unclaimed = {p["file"] for p in found if "no active hub" in p["message"]}
    assert unclaimed == {"clusters/dev-us-lab.yaml", "clusters/staging-us-1.yaml"}


def test_a_second_hub_without_clusters_claims_everything_and_is_refused(hubctl, fleet):
    edit(fleet / "hubs" / "us-hub.yaml", "  clusters:\n    selector:\n      matchLabels: {region: us-east}\n", "")

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert len([p for p in found if p["code"] == "hub-claim"]) == 6  # every cluster outside us-east
    assert "no spec.clusters, so every cluster" in found[0]["message"]


def test_an_active_standby_takes_its_primarys_clusters_without_a_double_claim(hubctl, fleet):
    edit(fleet / "hubs" / "us-standby.yaml", "    hub: us-hub\n", "    hub: us-hub\n    active: true\n")
    assert hubctl("-C", fleet, "validate").code == 0


def test_two_active_standbys_of_one_primary_are_refused(hubctl, fleet):
    edit(fleet / "hubs" / "us-standby.yaml", "    hub: us-hub\n", "    hub: us-hub\n    active: true\n")
    second = (fleet / "hubs" / "us-standby.yaml").read_text().replace("name: us-standby", "name: us-standby-2")
    (fleet / "hubs" / "us-standby-2.yaml").write_text(second)

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert {p["file"] for p in found} == {f"clusters/{n}.yaml" for n in
                                          ("dev-us-lab", "prod-us-1", "prod-us-2", "staging-us-1")}
    assert all("spec.standby.active" in p["message"] for p in found)


@pytest.mark.parametrize(("old", "new", "path", "code"), [
    ("    hub: us-hub\n", "    hub: us-hbu\n", "spec.standby.hub", "unknown-ref"),
    ("    hub: us-hub\n", "    hub: us-standby\n", "spec.standby.hub", "hub-standby"),
    ("  standby:\n", "  clusters: {names: [prod-us-1]}\n  standby:\n", "spec.clusters", "hub-standby"),
    ("  standby:\n", "  renderDir: elsewhere\n  standby:\n", "spec.renderDir", "hub-fleet-key"),
    ("  standby:\n", "  maxDeletions: {default: 3}\n  standby:\n", "spec.maxDeletions", "hub-fleet-key"),
    ("  standby:\n", "  clusters: {names: [prod-us-9]}\n  standby:\n", "spec.clusters.names[0]", "unknown-ref"),
])
def test_bad_hub_specs_name_the_key_and_the_fix(hubctl, fleet, old, new, path, code):
    rel = "hubs/us-standby.yaml"
    text = (fleet / rel).read_text().replace(old, new, 1)
    if path == "spec.clusters.names[0]":  # a primary naming a cluster that does not exist
        text = text.replace("  standby:\n    hub: us-hub\n", "")
    (fleet / rel).write_text(text)

    status, found = problems(hubctl, fleet)

    assert status == 3
    mine = [p for p in found if p["file"] == rel]
    assert [(p["path"], p["code"]) for p in mine] == [(path, code)], found
    assert mine[0]["line"] > 1 and mine[0]["hint"]


def test_two_hubs_with_one_deploy_target_are_refused(hubctl, fleet):
    edit(fleet / "hubs" / "us-hub.yaml", "    branch: main\n", "    branch: main\n    path: rendered/us-standby\n")

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert [(p["file"], p["code"]) for p in found] == [("hubs/us-standby.yaml", "hub-target")]
    assert "same deploy target as hub `us-hub`" in found[0]["message"]


def test_a_second_hub_in_hubctl_yaml_points_to_hubs_dir(hubctl, fleet):
    text = (fleet / "hubctl.yaml").read_text()
    (fleet / "hubctl.yaml").write_text(text + "---\n" + (fleet / "hubs" / "us-hub.yaml").read_text()
                                       .replace("us-hub", "eu-hub"))

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert any("move it to hubs/eu-hub.yaml" in p["hint"] for p in found)


def test_a_hub_of_several_may_not_be_named_like_a_render_tree(hubctl, fleet):
    text = (fleet / "hubs" / "us-standby.yaml").read_text().replace("name: us-standby", "name: spokes")
    (fleet / "hubs" / "us-standby.yaml").write_text(text)

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert [(p["file"], p["path"], p["code"]) for p in found] == [("hubs/us-standby.yaml", "metadata.name",
                                                                    "reserved-name")]


@pytest.mark.parametrize("file, old, new, path", [
    ("us-hub.yaml", "matchLabels: {region: us-east}", "matchLabels: 5", "spec.clusters.selector.matchLabels"),
    ("us-hub.yaml", "matchLabels: {region: us-east}", "matchExpressions: [{key: region, operator: Foo}]",
     "spec.clusters.selector.matchExpressions[0].operator"),
    ("us-standby.yaml", "hub: us-hub", "hub: 5", "spec.standby.hub"),
    ("us-hub.yaml", "    branch: main\n", "    branch: [main]\n", "spec.repo.branch"),
])
def test_a_hub_spec_that_fails_its_schema_reports_that_alone_not_every_cluster_as_claimed_twice(
        hubctl, fleet, file, old, new, path):
    # a hub whose spec.clusters (or standby, or repo) is refused is built without it: it must not then claim
    # every cluster and bury the one real mistake under a "claimed by 2 active hubs" per cluster
    edit(fleet / "hubs" / file, old, new)

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert [(p["file"], p["path"]) for p in found] == [(f"hubs/{file}", path)]


def test_a_space_named_like_another_hubs_admin_project_is_refused(hubctl, fleet):
    # us-hub's root Application and spaces ApplicationSet run in its admin project; a space of that name would
    # render its tenant AppProject (with the tenant owners' roles) in its place on us-hub
    edit(fleet / "hubs" / "us-hub.yaml", "    namespace: argocd\n", "    namespace: argocd\n    project: storefront\n")

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert [(p["file"], p["path"], p["code"]) for p in found] == [("spaces/storefront.yaml", "metadata.name",
                                                                    "reserved-name")]
    assert "us-hub" in found[0]["message"]


def test_a_space_namespace_that_is_another_hubs_argocd_namespace_is_refused(hubctl, fleet):
    edit(fleet / "hubs" / "us-hub.yaml", "    namespace: argocd\n", "    namespace: argocd-us\n")
    edit(fleet / "spaces" / "payments.yaml", "namespaces: [payments", "namespaces: [argocd-us, payments")

    code, found = problems(hubctl, fleet)

    assert code == 3
    assert [(p["file"], p["path"], p["code"]) for p in found] == [("spaces/payments.yaml", "spec.namespaces[0]",
                                                                    "reserved-namespace")]
