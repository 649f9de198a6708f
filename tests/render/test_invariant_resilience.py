"""Production resilience: on clusters whose environment the hub lists under defaults.resilience, the
http-service and worker Deployments get at least minReplicas replicas, a PodDisruptionBudget and a zone
topology spread; elsewhere they do not; a flow can opt out with params `resilience: {enabled: false}`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import k8s_schemas as ks

from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "fleet"
ZONE = "topology.kubernetes.io/zone"
RESILIENT_BLUEPRINTS = ("http-service", "worker")


def _render(path: Path):
    fleet = load_fleet(path)
    result = render_fleet(fleet)
    return fleet, result, ks.load_render(result.files)


def _matches(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and bool(selector)


def _workload(docs: list[dict]):
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    return deployment, pdbs


def _zone_spread(deployment: dict) -> list[dict]:
    spec = deployment["spec"]["template"]["spec"]
    return [c for c in spec.get("topologySpreadConstraints") or [] if c["topologyKey"] == ZONE]


def _flow_files(fleet, result, blueprints=RESILIENT_BLUEPRINTS):
    for p in result.placements:
        if fleet.flows[p.flow].blueprint in blueprints:
            yield p, f"spokes/{p.cluster}/flows/{p.space}/{p.flow}/manifests.yaml"


@pytest.fixture(scope="module", params=["example", "fleetgen"])
def rendered(request, tmp_path_factory):
    if request.param == "example":
        return _render(EXAMPLE)
    return _render(ks.fleetgen(tmp_path_factory.mktemp("fleetgen") / "fleet"))


def test_resilient_environments_get_replicas_pdb_and_zone_spread(rendered):
    fleet, result, docs = rendered
    hub = fleet.hub.resilience
    checked = 0
    for p, path in _flow_files(fleet, result):
        if p.env not in hub.environments or (fleet.flows[p.flow].params.get("resilience") or {}):
            continue
        deployment, pdbs = _workload(docs[path])
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["replicas"] >= hub.min_replicas >= 2, path
        assert len(pdbs) == 1 and _matches(pdbs[0]["spec"]["selector"], pod_labels), path
        spread = _zone_spread(deployment)
        assert len(spread) == 1 and _matches(spread[0]["labelSelector"], pod_labels), path
        checked += 1
    assert checked >= 5


def test_other_environments_get_none_of_it(rendered):
    fleet, result, docs = rendered
    checked = 0
    for p, path in _flow_files(fleet, result):
        if p.env in fleet.hub.resilience.environments:
            continue
        deployment, pdbs = _workload(docs[path])
        assert pdbs == [] and _zone_spread(deployment) == [], path
        declared = fleet.flows[p.flow].params.get("replicas", 1)
        overrides = (fleet.flows[p.flow].overrides.get("env") or {}).get(p.env) or {}
        assert deployment["spec"]["replicas"] == overrides.get("replicas", declared), path
        checked += 1
    assert checked >= 3


def test_example_covers_dev_and_prod_for_both_blueprints(rendered):
    fleet, result, _ = rendered
    seen = {(fleet.flows[p.flow].blueprint, p.env) for p, _ in _flow_files(fleet, result)}
    assert {("http-service", "prod"), ("http-service", "dev"), ("worker", "prod")} <= seen


def test_cron_jobs_get_no_disruption_budget(rendered):
    fleet, result, docs = rendered
    for _, path in _flow_files(fleet, result, ("cron-job",)):
        assert not any(d["kind"] == "PodDisruptionBudget" for d in docs[path]), path


def _edit_flow(root: Path, flow: str, old: str, new: str) -> None:
    path = root / "flows" / f"{flow}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def fleet_copy(tmp_path) -> Path:
    root = tmp_path / "fleet"
    shutil.copytree(EXAMPLE, root)
    return root


def test_a_flow_can_opt_out(fleet_copy):
    _edit_flow(fleet_copy, "cart-worker", "    args: [--queue, carts]\n",
               "    args: [--queue, carts]\n    resilience: {enabled: false}\n")
    _edit_flow(fleet_copy, "catalog-api", "    env:\n",
               "    resilience: {enabled: false}\n    env:\n")
    fleet, result, docs = _render(fleet_copy)
    prod = [(p, path) for p, path in _flow_files(fleet, result) if p.env == "prod" and p.flow in
            ("cart-worker", "catalog-api")]
    assert len(prod) >= 4
    for _, path in prod:
        deployment, pdbs = _workload(docs[path])
        assert deployment["spec"]["replicas"] == 1, path
        assert pdbs == [] and _zone_spread(deployment) == [], path
    web = docs["spokes/prod-eu-1/flows/storefront/web/manifests.yaml"]
    assert _workload(web)[1], "other flows keep their resilience"


def test_opt_out_by_environment_override(fleet_copy):
    _edit_flow(fleet_copy, "web", "      prod:\n        replicas: 4\n",
               "      prod:\n        replicas: 4\n        resilience: {podDisruptionBudget: false}\n")
    _, _, docs = _render(fleet_copy)
    deployment, pdbs = _workload(docs["spokes/prod-eu-1/flows/storefront/web/manifests.yaml"])
    assert pdbs == [] and deployment["spec"]["replicas"] == 4 and _zone_spread(deployment)


def test_replicas_below_the_minimum_are_raised_on_prod(fleet_copy):
    _edit_flow(fleet_copy, "web", "      prod:\n        replicas: 4\n", "      prod:\n        replicas: 1\n")
    _, _, docs = _render(fleet_copy)
    deployment, _ = _workload(docs["spokes/prod-eu-1/flows/storefront/web/manifests.yaml"])
    assert deployment["spec"]["replicas"] == 2


def test_a_disruption_budget_always_allows_one_eviction(fleet_copy):
    """minAvailable: 1 on a single replica would block every voluntary eviction (node drains)."""
    _edit_flow(fleet_copy, "cart-worker", "    args: [--queue, carts]\n",
               "    args: [--queue, carts]\n    resilience: {minReplicas: 1}\n")
    fleet, result, docs = _render(fleet_copy)
    budgets = 0
    for p, path in _flow_files(fleet, result):
        deployment, pdbs = _workload(docs[path])
        for pdb in pdbs:
            min_available = pdb["spec"].get("minAvailable")
            if isinstance(min_available, int):
                assert deployment["spec"]["replicas"] > min_available, path
            budgets += 1
        if p.flow == "cart-worker" and p.env == "prod":
            assert deployment["spec"]["replicas"] == 1 and pdbs == [], path
    assert budgets >= 5, "the other prod flows keep their budgets"
