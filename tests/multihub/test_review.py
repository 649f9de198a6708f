"""The prune guard, commit messages and diff see through the per-hub trees of a fleet of several hubs."""

from __future__ import annotations

import json

import pytest

from tests.multihub.conftest import git


def test_the_prune_guard_counts_deletions_on_every_hub(hubctl, multihub_repo):
    # catalog-api leaves prod-us-1 (us-hub) and prod-eu-1/2 (platform-hub); maxDeletions prod is 0
    (multihub_repo / "flows" / "catalog-api.yaml").unlink()
    assert hubctl("-C", multihub_repo, "render").code == 0

    result = hubctl("-C", multihub_repo, "commit", "--dry-run")

    assert result.code == 10, result.out + result.err
    assert "catalog-api-prod-us-1" in result.err and "catalog-api-prod-eu-1" in result.err


def test_a_failover_deletes_nothing_the_prune_guard_counts(hubctl, multihub_repo):
    assert hubctl("-C", multihub_repo, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    assert hubctl("-C", multihub_repo, "render").code == 0

    result = hubctl("-C", multihub_repo, "commit", "--dry-run", "-o", "json")

    assert result.code == 0, result.err
    text = hubctl("-C", multihub_repo, "commit", "--dry-run").out
    assert "(+0 -0 Applications)" in text, text


def test_diff_of_a_failover_shows_no_placement_change(hubctl, multihub_repo):
    git(multihub_repo, "checkout", "-q", "-b", "failover")
    assert hubctl("-C", multihub_repo, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    assert hubctl("-C", multihub_repo, "render").code == 0
    git(multihub_repo, "add", "-A")
    git(multihub_repo, "commit", "-qm", "failover")

    result = hubctl("-C", multihub_repo, "diff", "--base", "main")

    assert result.code == 0, result.err
    assert "Applications: +0 -0" in result.out and "deletions: none" in result.out
    assert "manifests: no change" in result.out  # the spoke files are the same, only their hub changed
    for flow in ("storefront-web", "storefront-cart-worker", "storefront-catalog-api", "hubctl-spaces"):
        assert f"- ApplicationSet {flow} on hub us-hub" in result.out
        assert f"+ ApplicationSet {flow} on hub us-standby" in result.out
    assert "AppProject hub-admin on hub us-standby: new destinations" in result.out


@pytest.mark.parametrize("layout", ["files", "variants"])
def test_diff_names_each_cluster_a_manifest_change_reaches_on_every_hub(hubctl, multihub_repo, layout):
    hub = multihub_repo / "hubctl.yaml"
    hub.write_text(hub.read_text() + f"  render:\n    layout: {layout}\n")
    assert hubctl("-C", multihub_repo, "render").code == 0
    git(multihub_repo, "add", "-A")
    git(multihub_repo, "commit", "-qm", f"{layout} layout")
    assert bool(list(multihub_repo.glob("rendered/*/variants"))) == (layout == "variants")
    web = multihub_repo / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("storefront-web:2.14.0", "storefront-web:2.15.0"))

    result = hubctl("-C", multihub_repo, "diff", "-o", "json")

    assert result.code == 0, result.err
    groups = [g for g in json.loads(result.out)["manifests"] if g["flows"] == ["web"]]
    clusters = sorted(c for g in groups for c in g["clusters"])
    assert "prod-us-1" in clusters and "prod-eu-1" in clusters, clusters  # one on us-hub, one on platform-hub
    assert all("storefront-web:2.15.0" in g["diff"] for g in groups)


def test_a_namespace_a_shared_space_drops_is_a_deletion_on_the_clusters_of_every_hub(hubctl, multihub_repo):
    # each hub's spokes name their space variants `../../../variants/...` inside that hub's tree
    hub, space = multihub_repo / "hubctl.yaml", multihub_repo / "spaces" / "storefront.yaml"
    hub.write_text(hub.read_text() + "  render:\n    layout: variants\n")
    space.write_text(space.read_text().replace("namespaces: [storefront]", "namespaces: [storefront, shop-jobs]"))
    git(multihub_repo, "add", "-A")
    git(multihub_repo, "commit", "-qm", "variants layout, shop-jobs")
    space.write_text(space.read_text().replace("namespaces: [storefront, shop-jobs]", "namespaces: [storefront]"))

    result = hubctl("-C", multihub_repo, "diff", "-o", "json")

    assert result.code == 10, result.err
    deleted = {d["cluster"] for d in json.loads(result.out)["prune"]["deletions"] if d["name"] == "shop-jobs"}
    assert {"prod-us-1", "prod-eu-1"} <= deleted, deleted  # one on us-hub, one on platform-hub


def test_a_one_hub_variants_render_with_a_space_named_hub_or_spokes_is_one_tree():
    # variants/<space>/<flow>/<hash>/...: with a space named `hub` the path read as the tree of a hub named
    # `variants`, and the review counted each variant file as a root Application added or removed
    from hubctl.usecases.review.hubtrees import flattened, is_several

    files = {"hub/root.yaml": b"", "variants/hub/web/0123456789abcdef/kustomization.yaml": b"",
             "variants/spokes/api/0123456789abcdef/manifests.yaml": b"",
             "inventory/hub/x.yaml": b"", "spokes/dev-1/spaces/hub.yaml": b""}
    assert not is_several(files)
    assert is_several({"us-hub/hub/root.yaml": b"", "us-hub/variants/hub/web/0123456789abcdef/k.yaml": b""})
    assert flattened(None) is None


def test_a_hub_of_several_may_not_take_the_name_of_a_one_hub_render_directory(hubctl, example_fleet):
    from tests.support.multihub import edit, make_multihub

    fleet = make_multihub(example_fleet, standby=False)
    for name in ("variants", "inventory"):
        edit(fleet / "hubs" / "us-hub.yaml", "name: us-hub" if name == "variants" else "name: variants",
             f"name: {name}")
        result = hubctl("-C", fleet, "validate", "-o", "json")
        assert result.code == 3
        found = json.loads(result.out)["problems"]
        assert [(p["file"], p["code"]) for p in found] == [("hubs/us-hub.yaml", "reserved-name")], found
