"""-o json and -o yaml stay parsable, and hold no credential, when a credential's text occurs in them.

A credential is removed from the values before they are written out: replacing it in the written text
turned `environment: staging` into `environment: [REDACTED]` (a YAML list) and `name: [REDACTED]-eu-1`
(not YAML at all), and missed a credential JSON had escaped (a quote or backslash in a password).
"""

from __future__ import annotations

import json

import pytest
from ruamel.yaml import YAML

from hubctl.base import redact


@pytest.fixture
def password(monkeypatch):
    def use(value: str) -> str:
        monkeypatch.setenv("HUBCTL_ARGOCD_PASSWORD", value)
        return value

    yield use
    redact.forget_all()


@pytest.mark.parametrize("output", ["yaml", "json"])
def test_a_credential_found_in_the_values_leaves_the_output_parsable(hubctl, example_fleet, password, output):
    password("staging")
    result = hubctl("cluster", "list", "-C", str(example_fleet), "-o", output)
    assert result.code == 0, result.err
    out = result.out
    doc = YAML(typ="safe").load(out) if output == "yaml" else json.loads(out)
    rows = doc if isinstance(doc, list) else next(v for v in doc.values() if isinstance(v, list))
    by_region = {(r["region"], r["provider"]): r for r in rows if r["environment"] == redact.REDACTED}
    assert by_region and all(isinstance(r["name"], str) and r["name"].startswith(redact.REDACTED)
                             for r in by_region.values())
    assert "staging" not in out


def test_a_credential_json_escapes_is_removed_too(hubctl, example_fleet, password):
    secret = password('pr"od\\')
    clusters = example_fleet / "clusters"
    (clusters / "prod-eu-1.yaml").rename(clusters / f"{secret}.yaml")  # the file name is in the output
    result = hubctl("cluster", "list", "-C", str(example_fleet), "-o", "json")
    assert result.code == 0, result.err
    assert json.dumps(secret)[1:-1] not in result.out and secret not in result.out
    assert f"clusters/{redact.REDACTED}.yaml" in [row["file"] for row in json.loads(result.out)["clusters"]]
