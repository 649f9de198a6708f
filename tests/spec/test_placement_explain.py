"""`hubctl placement --explain FLOW CLUSTER`: every condition, a reason for every "not placed", cordons, and an
answer on an invalid fleet (validate sends users here) that names the problems that make it uncertain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "fleet"


def fleet(tmp_path: Path) -> Path:
    root = tmp_path / "fleet"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("rendered"))
    path = root / "clusters" / "staging-eu-1.yaml"
    path.write_text(path.read_text().replace("spec:\n", "spec:\n  cordon:\n    keep: [web]\n", 1))
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))


def explain(hubctl, root: Path, flow: str, cluster: str):
    return hubctl("placement", "-C", root, "--explain", flow, cluster, "-o", "json")


def test_every_not_placed_answer_has_a_reason_and_every_answer_mentions_cordons(hubctl, tmp_path):
    root = fleet(tmp_path)
    flows = sorted(p.stem for p in (root / "flows").glob("*.yaml"))
    clusters = sorted(p.stem for p in (root / "clusters").glob("*.yaml"))
    not_placed = 0
    for flow in flows:
        for cluster in clusters:
            result = explain(hubctl, root, flow, cluster)
            assert result.code == 0, result.err
            answer = json.loads(result.out)
            assert "cordon" in answer["text"]
            if not answer["placed"]:
                not_placed += 1
                assert answer["reasons"], (flow, cluster)
                assert "\n  reason: " in answer["text"], answer["text"]
    assert not_placed > 20


def test_a_cordon_is_the_reason_when_it_is_the_reason(hubctl, tmp_path):
    root = fleet(tmp_path)
    result = hubctl("placement", "-C", root, "--explain", "cart-worker", "staging-eu-1")
    assert result.code == 0
    assert "cart-worker is NOT placed on staging-eu-1" in result.out
    assert "✗ cordon: cordoned, keeps only web" in result.out
    assert "reason: cordoned" in result.out


def test_explain_answers_on_an_invalid_fleet_and_says_nothing_it_depends_on_is_wrong(hubctl, tmp_path):
    root = fleet(tmp_path)
    edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")

    result = hubctl("placement", "-C", root, "--explain", "web", "prod-eu-1")

    assert result.code == 0, result.err
    assert result.out.startswith("web IS placed on prod-eu-1\n")
    assert "the fleet has 1 problem (`hubctl validate` lists it); none in the specs this answer depends on" \
        in result.out


def test_problems_in_the_specs_an_answer_depends_on_make_it_uncertain(hubctl, tmp_path):
    root = fleet(tmp_path)
    edit(root, "spaces/analytics.yaml", "owners: [team-data]", "owners: team-data")
    edit(root, "flows/dashboards.yaml", "  regions: [eu-west]", "  regions: eu-west")

    answer = json.loads(explain(hubctl, root, "dashboards", "prod-eu-1").out)

    assert [(p["file"], p["path"]) for p in answer["uncertain"]] == [
        ("flows/dashboards.yaml", "spec.placement.regions"), ("spaces/analytics.yaml", "spec.owners")]
    assert "uncertain: these problems may change this answer:" in answer["text"]
    assert "flows/dashboards.yaml:" in answer["text"] and "spaces/analytics.yaml:" in answer["text"]


def test_a_flow_whose_space_does_not_exist_is_explained_not_a_traceback(hubctl, tmp_path):
    root = fleet(tmp_path)
    edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")

    result = hubctl("placement", "-C", root, "--explain", "ingest", "prod-eu-1")

    assert result.code == 0, result.err
    assert "ingest is NOT placed on prod-eu-1" in result.out
    assert "✗ space `analytcs` does not exist" in result.out
    assert "reason: its space `analytcs` does not exist" in result.out
    assert "flows/ingest.yaml:7:3: spec.space: unknown space `analytcs`" in result.out


def test_a_flow_that_cannot_be_read_is_an_error_that_names_why(hubctl, tmp_path):
    root = fleet(tmp_path)
    edit(root, "flows/web.yaml", "space: storefront", "space: [storefront")

    result = hubctl("placement", "-C", root, "--explain", "web", "prod-eu-1")

    assert result.code == 3
    assert "flow `web` could not be read" in result.err
    assert "flows/web.yaml:9:12" in result.err
    assert "Traceback" not in result.err


def test_the_matrix_still_refuses_an_invalid_fleet(hubctl, tmp_path):
    root = fleet(tmp_path)
    edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")
    assert hubctl("placement", "-C", root).code == 3
