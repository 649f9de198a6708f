"""The Hub example in docs/specs.md is a valid Hub spec (its `tenancy` block included)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]


def test_the_documented_hub_example_matches_the_hub_schema():
    section = (ROOT / "docs" / "specs.md").read_text().split("## Hub (`hubctl.yaml`)", 1)[1]
    example = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    schema = json.loads((ROOT / "schemas" / "hub.json").read_text())
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(example)]
    assert errors == []
    assert example["spec"]["tenancy"]["clusterScopedKinds"]
