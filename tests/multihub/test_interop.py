"""Interoperability objects in a fleet of several hubs: a cluster's ClusterProfile and its PlacementDecisions
are published by the one hub that manages it (the active one), never by a passive standby or primary."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from hubctl.spec.hubs import owner_of
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet
from tests.support.multihub import US_CLUSTERS, edit, make_multihub

HUBS = ("platform-hub", "us-hub", "us-standby")
SPEC = {"platform-hub": "hubctl.yaml", "us-hub": "hubs/us-hub.yaml", "us-standby": "hubs/us-standby.yaml"}
RENDER = "  render:\n    clusterProfiles: true\n    placementDecisions: true\n"


@pytest.fixture
def fleet(example_fleet) -> Path:
    """The three-hub fleet with ClusterProfiles and PlacementDecisions asked for on every hub."""
    root = make_multihub(example_fleet)
    for spec in SPEC.values():
        edit(root / spec, "spec:\n", "spec:\n" + RENDER)
    return root


def profiles(files) -> dict[str, tuple[str, str]]:
    """cluster -> (hub whose tree holds its ClusterProfile, the clusterset it names), failing on a cluster
    published twice."""
    out: dict[str, tuple[str, str]] = {}
    for rel, data in files.items():
        hub, _, rest = rel.partition("/")
        if rest.startswith("inventory/clusterprofiles/"):
            doc = yaml.safe_load(data)
            name = doc["metadata"]["name"]
            assert name not in out, f"{name} published by {out[name][0]} and {hub}"
            sets = {p["value"] for p in doc["status"]["properties"] if p["name"] == "clusterset.k8s.io"}
            out[name] = (hub, sets.pop())
    return out


def decided(files) -> dict[str, set[str]]:
    """hub -> the clusters its PlacementDecisions name."""
    out: dict[str, set[str]] = {hub: set() for hub in HUBS}
    for rel, data in files.items():
        hub, _, rest = rel.partition("/")
        if rest.startswith("inventory/placementdecisions/"):
            for doc in yaml.safe_load_all(data):
                out[hub] |= {d["clusterName"] for d in doc["status"]["decisions"]}
    return out


def test_only_the_active_hub_publishes_a_clusters_profile(fleet):
    files = render_fleet(load_fleet(fleet)).files

    published = profiles(files)

    us = set(US_CLUSTERS)
    assert {c for c, (hub, _) in published.items() if hub == "us-hub"} == us
    assert not any(rel.startswith("us-standby/inventory/") for rel in files), "a passive standby publishes nothing"
    assert set(published) == {p.stem for p in (fleet / "clusters").glob("*.yaml")}, "every cluster, once"
    assert all(hub == clusterset for hub, clusterset in published.values())
    assert decided(files)["us-standby"] == set() and decided(files)["us-hub"] <= us


def test_after_a_failover_the_standby_publishes_and_the_old_primary_does_not(hubctl, fleet):
    assert hubctl("-C", fleet, "hub", "failover", "us-hub", "--to", "us-standby").code == 0

    files = render_fleet(load_fleet(fleet)).files

    published = profiles(files)
    assert {c for c, (hub, _) in published.items() if hub == "us-standby"} == set(US_CLUSTERS)
    assert {published[c][1] for c in US_CLUSTERS} == {"us-standby"}
    assert not any(rel.startswith("us-hub/inventory/") for rel in files)
    assert decided(files)["us-hub"] == set() and decided(files)["us-standby"]


@pytest.mark.parametrize("seed", range(4))
def test_every_cluster_is_published_once_by_its_active_hub_whichever_hubs_are_active(fleet, seed):
    rng = random.Random(seed)
    if rng.random() < 0.5:
        edit(fleet / "hubs" / "us-standby.yaml", "    hub: us-hub\n", "    hub: us-hub\n    active: true\n")
    for spec in rng.sample(sorted(SPEC.values()), rng.randrange(0, 3)):  # some hubs do not ask for profiles
        edit(fleet / spec, "    clusterProfiles: true\n", "    clusterProfiles: false\n")
    loaded = load_fleet(fleet)
    asking = {name for name, hub in loaded.hubs.items() if hub.cluster_profiles}

    published = profiles(render_fleet(loaded).files)

    assert published == {c: (hub, hub) for c, hub in owner_of(loaded).items() if hub in asking}


@pytest.mark.parametrize("hub", HUBS)
def test_render_hub_is_byte_identical_with_the_inventory(hubctl, fleet, tmp_path, hub):
    assert hubctl("-C", fleet, "render", "--out", tmp_path / "full").code == 0
    result = hubctl("-C", fleet, "render", "--hub", hub, "--out", tmp_path / "one")
    assert result.code == 0, result.err

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert tree(tmp_path / "one" / hub) == tree(tmp_path / "full" / hub)
    assert (hub == "us-standby") != any("/inventory/" in rel for rel in tree(tmp_path / "one"))


def test_inventory_matches_golden(fleet, update_golden):
    from tests.support.golden import check_tree

    files = render_fleet(load_fleet(fleet)).files
    check_tree("interop-multihub", {rel: data for rel, data in files.items() if "/inventory/" in rel},
               update_golden)
