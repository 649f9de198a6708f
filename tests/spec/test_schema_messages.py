"""Schema messages never echo a value the secret scan would hide (or any long value)."""

from __future__ import annotations

import pytest

AWS = "AKIA" + "Q3EGRTGQSQ7WBNXZ" + ":" + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY01"
GITHUB = "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyzAB"
STRIPE = "sk_live_" + "0123456789abcdefCANARY"
CANARIES = [
    ("roleARN: arn:aws:iam::123456789012:role/argocd", f'roleARN: "{AWS}"', AWS),
    ("server: https://dev-1.example.com", f'server: "{GITHUB}"', GITHUB),
    ("provider: eks", f'provider: "{STRIPE}"', STRIPE),
    ("server: https://dev-1.example.com", f'server: "http://{"a" * 90}.example.com"', "a" * 90),
]


@pytest.mark.parametrize("old, new, canary", CANARIES)
@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_a_secret_shaped_value_is_not_echoed_by_its_schema_problem(old, new, canary, output, hubctl,
                                                                   base_fleet):
    dev = base_fleet / "clusters" / "dev-1.yaml"
    dev.write_text(dev.read_text().replace(old, new))

    result = hubctl("validate", "-C", base_fleet, "-o", output)

    assert result.code == 3
    assert "the value (not shown)" in result.out
    assert canary not in result.out + result.err
    assert canary[:16] not in result.out + result.err


def test_a_short_plain_value_is_still_echoed(hubctl, base_fleet):
    dev = base_fleet / "clusters" / "dev-1.yaml"
    dev.write_text(dev.read_text().replace("provider: eks", "provider: ekss"))

    result = hubctl("validate", "-C", base_fleet)

    assert "spec.provider: `ekss` is not allowed here" in result.out


def test_a_number_under_a_credential_key_is_not_echoed_as_a_yaml_trap(hubctl, base_fleet):
    dev = base_fleet / "clusters" / "dev-1.yaml"
    dev.write_text(dev.read_text().replace("    tier: standard", "    tier: standard\n    password: 83749261"))

    result = hubctl("validate", "-C", base_fleet)

    assert result.code == 3
    assert "83749261" not in result.out + result.err
