"""`hubctl status` refuses unusable options clearly, before or without reaching a hub."""

from __future__ import annotations

import pytest

from hubctl.errors import ExitCode


@pytest.fixture
def fleet(example_fleet, monkeypatch):
    for name in ("HUBCTL_ARGOCD_TOKEN", "HUBCTL_ARGOCD_PASSWORD", "KUBECONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(example_fleet))  # no ~/.kube/config to fall back on
    return example_fleet


@pytest.mark.parametrize("args,code,message", [
    (["--source", "bogus"], ExitCode.USAGE, "unknown --source 'bogus'"),
    (["--source", "argocd"], ExitCode.USAGE, "--source argocd needs --server URL"),
    (["--server", "https://127.0.0.1:1", "--token-file", "/no/such/token"], ExitCode.USAGE,
     "cannot read --token-file /no/such/token"),
    (["--server", "https://127.0.0.1:1", "--username", "admin"], ExitCode.USAGE,
     "--username needs the password in $HUBCTL_ARGOCD_PASSWORD"),
    (["--kubeconfig", "/no/such/kubeconfig"], ExitCode.HUB_UNREACHABLE,
     "cannot load the Kubernetes configuration"),
    (["--timeout", "soon"], ExitCode.USAGE, "soon"),
    (["--server", "https://[x"], ExitCode.USAGE, "is not a valid URL (Invalid IPv6 URL)"),
    (["--server", "http://[x"], ExitCode.USAGE, "is not a valid URL (Invalid IPv6 URL)"),
    (["--server", "http://127.0.0.1:99999"], ExitCode.USAGE, "--server http://127.0.0.1:99999 is not a valid URL"),
])
def test_unusable_options(hubctl, fleet, args, code, message):
    result = hubctl("status", "-C", fleet, "--revision", "0" * 40, *args)
    assert result.code == code, result.err
    assert message in result.err


@pytest.mark.parametrize("content,problem", [
    ("a: [\n", "is not valid YAML"),
    ("apiVersion: v1\n\0kind: Config\n", "is not valid YAML"),
    ("a: " + "[" * 30000 + "]" * 30000 + "\n", "is not valid YAML"),
])
def test_a_kubeconfig_that_is_not_yaml_is_a_usage_error_naming_it(hubctl, fleet, tmp_path, content, problem):
    path = tmp_path / "hub.kubeconfig"
    path.write_text(content)
    result = hubctl("status", "-C", fleet, "--revision", "0" * 40, "--kubeconfig", path)
    assert result.code == ExitCode.USAGE, result.err
    assert f"--kubeconfig {path} {problem}" in result.err


def test_unreachable_argocd_server_is_retried_then_reported(hubctl, fleet, monkeypatch):
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "a-secret-token-value")
    result = hubctl("status", "-C", fleet, "--revision", "0" * 40, "--server", "https://127.0.0.1:1")
    assert result.code == ExitCode.HUB_UNREACHABLE
    assert "did not answer after" in result.err and "a-secret-token-value" not in result.err
