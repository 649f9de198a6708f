"""Concurrent edits of the same fleet: an edit planned from a state that changed meanwhile writes nothing,
and no edit that reports success is lost (seeded, bounded; no timing)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hubctl.base.errors import UsageError
from hubctl.usecases.ops.clusters import cluster_label, cluster_remove
from hubctl.usecases.ops.flows import flow_remove
from hubctl.usecases.ops.plan import apply_plan
from hubctl.usecases.ops.spaces import space_add
from tests.ops.helpers import fingerprint

ROOT = Path(__file__).resolve().parents[2]

EDITS = {  # name -> (files it touches, plan builder)
    "label": ({"clusters/prod-eu-1.yaml"}, lambda f: cluster_label(f, "prod-eu-1", ["rack=r1"])),
    "label-other": ({"clusters/prod-eu-1.yaml"}, lambda f: cluster_label(f, "prod-eu-1", ["zone=z2"])),
    "remove-cluster": ({"clusters/prod-eu-1.yaml", "flows/dashboards.yaml"},
                       lambda f: cluster_remove(f, "prod-eu-1")),
    "remove-flow": ({"flows/dashboards.yaml"}, lambda f: flow_remove(f, "dashboards")),
    "label-us": ({"clusters/prod-us-1.yaml"}, lambda f: cluster_label(f, "prod-us-1", ["rack=r9"])),
    "space": ({"spaces/search.yaml"}, lambda f: space_add(f, "search", owners=["team-search"])),
}


@pytest.mark.parametrize("seed", range(6))
def test_two_edits_planned_from_the_same_state(example_fleet, seed):
    first, second = random.Random(seed).sample(sorted(EDITS), 2)
    plan_a, plan_b = EDITS[first][1](example_fleet), EDITS[second][1](example_fleet)
    assert apply_plan(plan_a, allow_prune=True)
    if EDITS[first][0] & EDITS[second][0]:
        before = fingerprint(example_fleet)
        with pytest.raises(UsageError, match="changed on disk while the edit was prepared"):
            apply_plan(plan_b, allow_prune=True)
        assert fingerprint(example_fleet) == before
    else:
        assert apply_plan(plan_b, allow_prune=True)


def test_racing_processes_never_lose_an_edit_that_reported_success(example_fleet):
    racers = 4
    script = ("import sys; from hubctl.cli import run; "
              "sys.exit(run(['cluster', 'label', 'prod-eu-1', f'racer{sys.argv[1]}=yes', '-C', sys.argv[2]]))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(i), str(example_fleet)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for i in range(racers)]
    codes, errors = {}, {}
    for i, proc in enumerate(procs):
        _, errors[i] = proc.communicate(timeout=120)
        codes[i] = proc.returncode
        assert proc.returncode == 0 or "changed on disk while the edit was prepared" in errors[i], errors[i]
    labels = YAML(typ="safe").load((example_fleet / "clusters/prod-eu-1.yaml").read_text())["metadata"]["labels"]
    won = {f"racer{i}" for i, code in codes.items() if code == 0}
    assert won and {k for k in labels if k.startswith("racer")} == won, (codes, errors)


def test_an_edit_is_checked_against_the_bytes_it_was_based_on(example_fleet):
    """A change that lands between reading a file for the edit and planning it is not overwritten."""
    from hubctl.usecases.ops.plan import open_fleet, plan_edit
    from hubctl.usecases.ops.specfiles import open_spec

    ws = open_fleet(example_fleet)
    yaml_file, doc = open_spec(ws, "Cluster", "prod-eu-1")
    doc["metadata"]["labels"]["rack"] = "r1"
    path = example_fleet / "clusters/prod-eu-1.yaml"
    path.write_text(path.read_text().replace("    tier: gold\n", "    tier: gold\n    zone: z2\n"))  # meanwhile
    plan = plan_edit(ws, "label", {yaml_file.rel: yaml_file.result()})
    with pytest.raises(UsageError, match="changed on disk while the edit was prepared"):
        apply_plan(plan)
    assert "zone: z2" in path.read_text() and "rack" not in path.read_text()
