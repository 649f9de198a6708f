"""`hubctl diff` in the shared-variant layout (Hub spec.render.layout: variants): review stays per cluster.
A change to a variant several clusters share lists every cluster it reaches; switching layouts changes no
cluster's manifests."""

from __future__ import annotations

import json

import pytest

from tests.review.changes import CASES, edit
from tests.review.fleetrepo import commit_all

LAYOUT = "  render:\n    layout: variants\n"
WEB_CLUSTERS = ["dev-eu-1", "prod-ap-1", "prod-eu-1", "prod-eu-2", "prod-us-1", "prod-us-2", "staging-eu-1",
                "staging-us-1"]


def use_variants(fleet) -> None:
    hub = fleet / "hubctl.yaml"
    hub.write_text(hub.read_text() + LAYOUT)


def test_a_changed_shared_variant_lists_every_cluster_it_reaches(fleet_repo, hubctl):
    use_variants(fleet_repo)
    commit_all(fleet_repo, "variants layout")
    edit(fleet_repo / "flows/web.yaml", "storefront-web:2.14.0", "storefront-web:2.15.0")
    result = hubctl("diff", "-C", fleet_repo, "-o", "json")
    assert result.code == 0, result.err
    groups = [g for g in json.loads(result.out)["manifests"] if g["flows"] == ["web"]]
    assert sorted(c for g in groups for c in g["clusters"]) == WEB_CLUSTERS
    assert all("storefront-web:2.15.0" in g["diff"] for g in groups)
    text = hubctl("diff", "-C", fleet_repo, "--stat").out
    assert "flow web (storefront) changed on 8 clusters" in text


def test_a_variant_change_on_one_layer_names_only_its_clusters(fleet_repo, hubctl):
    use_variants(fleet_repo)
    commit_all(fleet_repo, "variants layout")
    edit(fleet_repo / "flows/web.yaml", "ingress: {host: shop.staging.example.com}",
         "ingress: {host: shop.stage.example.com}")
    groups = json.loads(hubctl("diff", "-C", fleet_repo, "-o", "json").out)["manifests"]
    assert [g["clusters"] for g in groups] == [["staging-eu-1", "staging-us-1"]]


def test_switching_layouts_changes_no_cluster_manifests(fleet_repo, hubctl):
    use_variants(fleet_repo)
    result = hubctl("diff", "-C", fleet_repo, "-o", "json")
    assert result.code == 0, result.err
    review = json.loads(result.out)
    assert review["changed"] is True  # the ApplicationSets now point at variants
    assert review["manifests"] == []
    assert review["placements"] == []


ANALYTICS_CLUSTERS = ["dev-eu-1", "prod-eu-1", "prod-eu-2", "staging-eu-1"]
STOREFRONT_CLUSTERS = ["dev-eu-1", "prod-ap-1", "prod-eu-1", "prod-eu-2", "prod-us-1", "prod-us-2", "staging-eu-1",
                       "staging-us-1"]


def test_a_changed_shared_space_lists_every_cluster_it_reaches(fleet_repo, hubctl):
    use_variants(fleet_repo)
    commit_all(fleet_repo, "variants layout")
    edit(fleet_repo / "spaces/storefront.yaml", 'cpu: "40"', 'cpu: "48"')
    result = hubctl("diff", "-C", fleet_repo, "-o", "json")
    assert result.code == 0, result.err
    (group,) = json.loads(result.out)["manifests"]
    assert group["kind"] == "space" and group["spaces"] == ["storefront"]
    assert group["clusters"] == STOREFRONT_CLUSTERS
    assert "-    requests.cpu: '40'" in group["diff"] and "+    requests.cpu: '48'" in group["diff"]
    text = hubctl("diff", "-C", fleet_repo, "--stat").out
    assert "space storefront changed on 8 clusters" in text


@pytest.mark.parametrize("layout", ["files", "variants"])
def test_a_namespace_a_shared_space_drops_is_a_deletion_on_each_cluster_it_reaches(fleet_repo, hubctl, layout):
    if layout == "variants":
        use_variants(fleet_repo)
    edit(fleet_repo / "spaces/analytics.yaml", "namespaces: [analytics]", "namespaces: [analytics, analytics-jobs]")
    commit_all(fleet_repo, "analytics-jobs")
    edit(fleet_repo / "spaces/analytics.yaml", "namespaces: [analytics, analytics-jobs]", "namespaces: [analytics]")
    result = hubctl("diff", "-C", fleet_repo, "-o", "json")
    assert result.code == 10, result.err
    deleted = sorted((d["cluster"], d["name"]) for d in json.loads(result.out)["prune"]["deletions"])
    assert deleted == [(cluster, "analytics-jobs") for cluster in ANALYTICS_CLUSTERS]


def test_a_space_that_leaves_a_cluster_deletes_its_namespace_there(fleet_repo, hubctl):
    use_variants(fleet_repo)
    commit_all(fleet_repo, "variants layout")
    CASES["removed-flow"][0](fleet_repo)  # ingest was analytics' only flow on dev-eu-1
    result = hubctl("diff", "-C", fleet_repo, "--max-deletions", "1", "--stat")
    assert result.code == 10
    assert "2 deletions in dev (limit 1)" in result.err
    assert "Namespace analytics on dev-eu-1 (dev)" in result.err
