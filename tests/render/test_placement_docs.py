"""The Cluster and Flow examples in docs/specs.md, with the placement fields of #18, match their schemas and
mean what the Placement section says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]


def _example(title: str) -> dict:
    section = (ROOT / "docs" / "specs.md").read_text().split(title, 1)[1]
    return yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])


@pytest.mark.parametrize(("title", "schema", "fields"), [
    ("## Cluster (`clusters/*.yaml`)", "cluster.json", ("taints", "capacity")),
    ("## Flow (`flows/*.yaml`)", "flow.json", ("preferred", "topologySpreadConstraints", "tolerations", "priority")),
])
def test_the_documented_examples_match_the_schemas(title, schema, fields):
    example = _example(title)
    errors = [e.message for e in Draft202012Validator(json.loads((ROOT / "schemas" / schema).read_text()))
              .iter_errors(example)]
    assert errors == []
    held = example["spec"] if schema == "cluster.json" else example["spec"]["placement"]
    assert all(field in held for field in fields)


def test_every_new_schema_field_is_documented():
    text = (ROOT / "docs" / "specs.md").read_text()
    for word in ("taints", "capacity", "pick", "preferred", "topologySpreadConstraints", "maxSkew",
                 "whenUnsatisfiable", "tolerations", "priority", "NoExecute", "ScheduleAnyway"):
        assert word in text, word
