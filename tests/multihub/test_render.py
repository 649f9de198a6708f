"""The render of a fleet of several hubs: one tree per hub; `render --hub` renders one hub's share alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hubctl.engines.appset import expand, secret_from_registration
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet
from tests.support.multihub import US_CLUSTERS, edit, make_multihub

HUBS = ("platform-hub", "us-hub", "us-standby")


@pytest.fixture
def fleet(example_fleet):
    return make_multihub(example_fleet)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def generated(files, hub: str) -> set[tuple[str, str]]:
    """(application, cluster) pairs hub's ApplicationSets generate against its own cluster registrations,
    evaluated as Argo CD does (hubctl's ApplicationSet engine)."""
    docs = {rel: yaml.safe_load(files[rel]) for rel in files if rel.startswith(f"{hub}/hub/")}
    secrets = [secret_from_registration(d) for rel, d in docs.items() if "/hub/clusters/" in rel]
    out = set()
    for rel, appset in docs.items():
        if "/hub/applicationsets/" in rel:
            for app in expand(appset, clusters=secrets):
                out.add((app["metadata"]["name"], app["spec"]["destination"]["name"]))
    return out


def test_each_hub_gets_its_own_tree_and_only_the_active_ones_sync(hubctl, fleet):
    assert hubctl("-C", fleet, "render").code == 0

    files = tree(fleet / "rendered")
    tops = {rel.split("/")[0] for rel in files}
    assert tops == set(HUBS)
    us_regs = {rel.split("/")[-1][:-5] for rel in files if rel.startswith("us-hub/hub/clusters/")}
    assert us_regs == set(US_CLUSTERS)
    # the standby holds the projects and the registrations of its primary's clusters, but syncs nothing
    standby = {rel for rel in files if rel.startswith("us-standby/")}
    assert {rel.split("/")[2] for rel in standby} == {"root.yaml", "projects", "clusters"}
    assert {rel.split("/")[-1][:-5] for rel in standby if "/clusters/" in rel} == set(US_CLUSTERS)
    root = yaml.safe_load(files["us-hub/hub/root.yaml"])
    assert root["spec"]["source"]["path"] == "rendered/us-hub/hub"
    assert root["metadata"]["name"] == "us-hub-root"
    spokes = {rel.split("/")[2] for rel in files if rel.startswith("us-hub/spokes/")}
    assert spokes <= set(US_CLUSTERS) and spokes


def test_the_hubs_applicationsets_generate_every_placement_exactly_once(fleet):
    loaded = load_fleet(fleet)
    render = render_fleet(loaded)

    per_hub = {hub: generated(render.files, hub) for hub in HUBS}

    everything = [pair for pairs in per_hub.values() for pair in pairs]
    expected = {(p.app_name, p.cluster) for p in render.placements}
    flows = [pair for pair in everything if not pair[0].startswith("spaces-")]
    assert sorted(flows) == sorted(expected)  # each placement generated once, by one hub
    assert per_hub["us-standby"] == set()
    assert {cluster for _, cluster in per_hub["us-hub"]} <= set(US_CLUSTERS)


def test_after_a_failover_the_standby_generates_what_the_primary_did(fleet):
    before = render_fleet(load_fleet(fleet))
    edit(fleet / "hubs" / "us-standby.yaml", "    hub: us-hub\n", "    hub: us-hub\n    active: true\n")

    after = render_fleet(load_fleet(fleet))

    assert generated(after.files, "us-standby") == generated(before.files, "us-hub")
    assert generated(after.files, "us-hub") == set()
    assert generated(after.files, "platform-hub") == generated(before.files, "platform-hub")
    assert not [rel for rel in after.files if rel.startswith("us-hub/spokes/")]


@pytest.mark.parametrize("layout", ["files", "variants"])
@pytest.mark.parametrize("hub", HUBS)
def test_render_hub_is_byte_identical_to_that_hubs_part_of_a_full_render(hubctl, fleet, tmp_path, hub, layout):
    if layout == "variants":
        (fleet / "hubctl.yaml").write_text((fleet / "hubctl.yaml").read_text() + "  render:\n    layout: variants\n")
    assert hubctl("-C", fleet, "render", "--out", tmp_path / "full").code == 0

    result = hubctl("-C", fleet, "render", "--hub", hub, "--out", tmp_path / "one")

    assert result.code == 0, result.err
    assert tree(tmp_path / "one" / hub) == tree(tmp_path / "full" / hub)
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [hub]
    assert hubctl("-C", fleet, "render", "--hub", hub, "--out", tmp_path / "one", "--check").code == 0


def test_render_hub_with_an_unknown_name_is_a_usage_error(hubctl, fleet):
    result = hubctl("-C", fleet, "render", "--hub", "us-hbu")

    assert result.code == 2
    assert "no hub `us-hbu`" in result.err and "did you mean `us-hub`?" in result.err
    assert "Traceback" not in result.err


def test_a_fleet_of_one_hub_renders_its_whole_tree_for_its_hub(hubctl, example_fleet, tmp_path):
    assert hubctl("-C", example_fleet, "render", "--out", tmp_path / "full").code == 0
    assert hubctl("-C", example_fleet, "render", "--hub", "platform-hub", "--out", tmp_path / "one").code == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "full")


def test_placement_groups_by_hub(hubctl, fleet):
    import json

    result = hubctl("-C", fleet, "placement")

    assert result.code == 0, result.err
    header, *rows = result.out.splitlines()
    assert header.split()[:3] == ["HUB", "SPACE", "FLOW"]
    us_rows = [row.split() for row in rows if row.startswith("us-hub")]
    assert [(r[2], r[4], r[5]) for r in us_rows] == [("cart-worker", "3", "prod-us-1,prod-us-2,staging-us-1"),
                                                    ("catalog-api", "1", "prod-us-1"),
                                                    ("web", "3", "prod-us-1,prod-us-2,staging-us-1")]
    assert not any(row.startswith("us-standby") for row in rows)  # passive: syncs nothing
    doc = json.loads(hubctl("-C", fleet, "placement", "-o", "json").out)
    assert {p["cluster"]: p["hub"] for p in doc["placements"]}["prod-us-2"] == "us-hub"
    standby = next(h for h in doc["hubs"] if h["hub"] == "us-standby")
    assert (standby["active"], standby["standbyOf"], standby["manages"]) == (False, "us-hub", [])


def test_placement_of_a_fleet_of_one_hub_has_no_hub_column(hubctl, example_fleet):
    import json

    assert hubctl("-C", example_fleet, "placement").out.split()[0] == "SPACE"
    doc = json.loads(hubctl("-C", example_fleet, "placement", "-o", "json").out)
    assert "hubs" not in doc and "hub" not in doc["placements"][0]


def _steps(files, hub: str) -> list[dict]:
    appset = yaml.safe_load(files[f"{hub}/hub/applicationsets/storefront-web.yaml"])
    return appset["spec"]["strategy"]["rollingSync"]["steps"]


def test_a_stage_whose_earlier_stages_run_on_another_hub_waits_for_an_approval(hubctl, fleet):
    # web's stages: preprod, prod-standard, prod (approval). Each hub's RollingSync orders only its own
    # Applications: us-hub would start prod-standard (prod-us-2) once its own preprod cluster is Healthy,
    # whatever preprod does on platform-hub. A stage after stages on another hub waits for an approval.
    files = render_fleet(load_fleet(fleet)).files
    us, platform = _steps(files, "us-hub"), _steps(files, "platform-hub")
    assert us[0]["matchExpressions"][0]["values"] == ["staging-us-1"] and "maxUpdate" not in us[0]
    assert us[1]["matchExpressions"][0]["values"] == ["prod-us-2"] and us[1]["maxUpdate"] == 0
    assert platform[1]["maxUpdate"] == 0  # preprod ran on us-hub too
    status = hubctl("-C", fleet, "rollout", "status", "web")
    assert status.code == 0, status.err
    assert "prod-standard" in status.out and "held" in status.out.split("prod-standard", 1)[1].splitlines()[0]
    assert hubctl("-C", fleet, "rollout", "approve", "web", "prod-standard").code == 0
    assert hubctl("-C", fleet, "validate").code == 0
    files = render_fleet(load_fleet(fleet)).files
    assert _steps(files, "us-hub")[1]["maxUpdate"] == 1 and _steps(files, "platform-hub")[1]["maxUpdate"] == 1


def test_a_staged_flow_on_one_hub_of_several_waits_only_where_it_says(fleet):
    # every cluster of web on one hub: its RollingSync orders all the stages, nothing more waits
    edit(fleet / "flows" / "web.yaml", "- {key: env, operator: In, values: [dev, staging, prod]}",
         "- {key: env, operator: In, values: [dev, staging, prod]}\n      - {key: region, operator: In, "
         "values: [us-east]}")
    files = render_fleet(load_fleet(fleet)).files
    assert "platform-hub/hub/applicationsets/storefront-web.yaml" not in files
    assert [("maxUpdate" in s, s.get("maxUpdate")) for s in _steps(files, "us-hub")] == \
        [(False, None), (True, 1), (True, 0)]


SPREAD_FLOW = """apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: report-anywhere
spec:
  space: storefront
  blueprint: cron-job
  params:
    image: ghcr.io/example/reports:2026.11.1
    schedule: "@daily"
  placement:
    selector:
      matchLabels: {env: prod}
    spread:
      clusters: 2
"""


def test_each_hub_writes_the_spoke_files_of_exactly_the_placements_it_manages(fleet):
    """Placements are made once, for the whole fleet: a flow that picks among the clusters of several hubs
    lands where the fleet's pick says, not where a pick among one hub's clusters would."""
    from hubctl.spec.hubs import managed_by

    (fleet / "flows" / "report-anywhere.yaml").write_text(SPREAD_FLOW)
    loaded = load_fleet(fleet)
    render = render_fleet(loaded)
    picked = [p for p in render.placements if p.flow == "report-anywhere"]
    assert len(picked) == 2

    for hub in HUBS:
        managed = managed_by(loaded, hub)
        wanted = {f"{hub}/spokes/{p.cluster}/flows/{p.space}/{p.flow}/manifests.yaml"
                  for p in render.placements if p.cluster in managed and loaded.flows[p.flow].blueprint}
        written = {rel for rel in render.files if rel.startswith(f"{hub}/spokes/") and "/flows/" in rel}
        assert written == wanted, hub
