"""`rollout approve` as a day-2 edit: planned from one state, it writes nothing if the flow changed meanwhile;
an approval follows the release, so a promotion after it holds the stage again (the example fleet's `web`)."""

from __future__ import annotations

import pytest
import yaml

from hubctl import load_fleet
from hubctl.base.errors import UsageError
from hubctl.usecases.ops.plan import apply_plan
from hubctl.usecases.ops.rollout import rollout_approve, rollout_status
from hubctl.usecases.render.fleet import render_fleet
from tests.ops.helpers import fingerprint


def _prod_step(root) -> dict:
    appset = yaml.safe_load(render_fleet(load_fleet(root)).files["hub/applicationsets/storefront-web.yaml"])
    return appset["spec"]["strategy"]["rollingSync"]["steps"][-1]


def test_an_approval_planned_before_another_edit_of_the_flow_writes_nothing(example_fleet):
    plan = rollout_approve(example_fleet, "web", "prod")
    path = example_fleet / "flows" / "web.yaml"
    path.write_text(path.read_text().replace("storefront-web:2.14.0", "storefront-web:2.15.0"))
    before = fingerprint(example_fleet)
    with pytest.raises(UsageError, match="changed on disk while the edit was prepared"):
        apply_plan(plan)
    assert fingerprint(example_fleet) == before
    assert _prod_step(example_fleet)["maxUpdate"] == 0


def test_a_new_release_after_the_approval_holds_the_stage_again_and_approving_replaces_it(example_fleet, hubctl):
    assert apply_plan(rollout_approve(example_fleet, "web", "prod"))
    assert _prod_step(example_fleet)["maxUpdate"] == "25%"
    first = rollout_status(example_fleet, "web")
    path = example_fleet / "flows" / "web.yaml"
    path.write_text(path.read_text().replace("storefront-web:2.14.0", "storefront-web:2.15.0"))
    second = rollout_status(example_fleet, "web")
    assert second["release"] != first["release"] and second["held"] == ["prod"]
    assert second["stages"][2]["approval"] == first["release"] and second["stages"][2]["approvalCurrent"] is False
    assert _prod_step(example_fleet)["maxUpdate"] == 0
    shown = hubctl("rollout", "status", "web", "-C", example_fleet).out.splitlines()[-1].split()
    assert shown[-2:] == [f"{first['release']}(old)", "held"]
    assert apply_plan(rollout_approve(example_fleet, "web", "prod"))
    text = path.read_text()
    assert text.count("- stage: prod\n") == 1 and f"release: {second['release']}" in text
    assert _prod_step(example_fleet)["maxUpdate"] == "25%"
