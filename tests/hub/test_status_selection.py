"""`hubctl status` filters that select nothing are a usage error (exit 2), checked before the hub is asked:
a CI gate with a misspelt name must fail, not report `0/0 done`."""

from __future__ import annotations

import pytest

from hubctl.base.errors import ExitCode

UNREACHABLE = ["--revision", "0" * 40, "--kubeconfig", "/no/such/kubeconfig"]  # a hub never reached


@pytest.fixture
def fleet(example_fleet, monkeypatch):
    for name in ("HUBCTL_ARGOCD_TOKEN", "HUBCTL_ARGOCD_PASSWORD", "KUBECONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(example_fleet))
    return example_fleet


@pytest.mark.parametrize("flag,name,message,hint", [
    ("--flow", "paymnets-api", "no flow named `paymnets-api` in the fleet", "did you mean `payments-api`?"),
    ("--space", "storefrnt", "no space named `storefrnt` in the fleet", "did you mean `storefront`?"),
    ("--cluster", "pci-eu-9", "no cluster named `pci-eu-9` in the fleet", "did you mean `pci-eu-1`?"),
    ("--flow", "zzz", "no flow named `zzz` in the fleet", "see `hubctl placement` for the flows"),
])
def test_a_misspelt_name_is_a_usage_error_with_a_did_you_mean(hubctl, fleet, flag, name, message, hint):
    result = hubctl("status", "-C", fleet, flag, name, *UNREACHABLE)
    assert result.code == ExitCode.USAGE, result.err
    assert message in result.err and hint in result.err
    assert "0/0" not in result.out


def test_names_that_exist_but_select_nothing_together_say_so(hubctl, fleet):
    result = hubctl("status", "-C", fleet, "--flow", "web", "--cluster", "pci-eu-1", *UNREACHABLE)
    assert result.code == ExitCode.USAGE, result.err
    assert ("--flow web --cluster pci-eu-1 selects no Application (--flow web alone selects 8; "
            "--cluster pci-eu-1 alone selects 3)") in result.err
    assert "hubctl placement --explain FLOW CLUSTER" in result.err


def test_a_space_with_no_flows_selects_nothing_and_is_not_called_a_misspelling(hubctl, fleet):
    (fleet / "spaces" / "platform.yaml").write_text(
        "apiVersion: hubctl.io/v1alpha1\nkind: Space\nmetadata:\n  name: platform\nspec:\n"
        "  namespaces: [platform]\n  owners: [team-platform]\n")
    result = hubctl("status", "-C", fleet, "--space", "platform", *UNREACHABLE)
    assert result.code == ExitCode.USAGE, result.err
    assert "--space platform selects no Application (no Application is placed for space `platform`)" in result.err
    assert "no space named" not in result.err


@pytest.mark.parametrize("args", [["--flow", "web"], ["--flow", "hubctl-spaces"], ["--space", "payments"],
                                  ["--cluster", "dev-eu-1", "--flow", "ingest"]])
def test_names_that_select_something_go_on_to_the_hub(hubctl, fleet, args):
    result = hubctl("status", "-C", fleet, *args, *UNREACHABLE)
    assert result.code == ExitCode.HUB_UNREACHABLE, result.err


def test_against_a_hub_a_misspelt_flow_fails_and_the_right_one_is_done(hubctl, fleet_repo, start_hub, tmp_path):
    from hubctl.usecases.status.expected import expected_from_fleet
    from tests.hub.conftest import write_kubeconfig

    apps, revision, _hub, _repo = expected_from_fleet(fleet_repo)
    hub = start_hub(apps)
    hub.sync_to(revision)
    hub.settle()
    kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", hub))

    misspelt = hubctl("status", "-C", fleet_repo, "--kubeconfig", kubeconfig, "--wait", "--timeout", "30s",
                      "--flow", "paymnets-api")
    right = hubctl("status", "-C", fleet_repo, "--kubeconfig", kubeconfig, "--flow", "payments-api")

    assert misspelt.code == ExitCode.USAGE and "did you mean `payments-api`?" in misspelt.err
    assert "done" not in misspelt.out
    assert right.code == ExitCode.OK, right.err
    assert "2/2 done" in right.out
