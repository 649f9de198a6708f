"""What repository content and malformed credentials can make `hubctl status` do: run no program, read no
file outside the repository, print no credential; a malformed token is a usage error (exit 2)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from hubctl.base.errors import ExitCode

CANARY = "canary-secret-7d3f9a"
REVISION = ["--revision", "0" * 40]


@pytest.fixture
def fleet(example_fleet, monkeypatch):
    for name in ("HUBCTL_ARGOCD_TOKEN", "HUBCTL_ARGOCD_PASSWORD", "KUBECONFIG", "KUBERNETES_SERVICE_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(example_fleet.parent / "home"))
    return example_fleet


def kubeconfig_doc(user: dict, cluster: dict | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Config", "current-context": "hub",
            "clusters": [{"name": "hub", "cluster": {"server": "http://127.0.0.1:1", **(cluster or {})}}],
            "users": [{"name": "ci", "user": user}],
            "contexts": [{"name": "hub", "context": {"cluster": "hub", "user": "ci"}}]}


@pytest.fixture
def plugin(tmp_path):
    """(an exec user whose plugin touches a marker file, the marker)."""
    marker = tmp_path / "plugin-ran"
    script = tmp_path / "plugin.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\necho '{{\"apiVersion\": \"client.authentication.k8s.io/v1\", "
                      f"\"kind\": \"ExecCredential\", \"status\": {{\"token\": \"{CANARY}\"}}}}'\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(script),
                     "interactiveMode": "Never"}}, marker


def test_the_plugin_runs_from_a_kubeconfig_outside_the_repository(hubctl, fleet, plugin, tmp_path):
    user, marker = plugin  # the control: the plugin works, so its absence below means it was refused
    config = tmp_path / "outside.kubeconfig"
    config.write_text(json.dumps(kubeconfig_doc(user)))
    result = hubctl("status", "-C", fleet, *REVISION, "--kubeconfig", config, "--timeout", "5s")
    assert result.code == ExitCode.HUB_UNREACHABLE, result.err
    assert marker.exists()
    assert CANARY not in result.out + result.err


@pytest.mark.parametrize("how", ["flag", "env", "symlink", "subdir"])
def test_an_exec_plugin_in_a_repository_kubeconfig_never_runs(hubctl, fleet, plugin, tmp_path, monkeypatch, how):
    user, marker = plugin
    config = fleet / ("ops/hub.kubeconfig" if how == "subdir" else "hub.kubeconfig")
    config.parent.mkdir(exist_ok=True)
    config.write_text(json.dumps(kubeconfig_doc(user)))
    args = ["--kubeconfig", config]
    if how == "env":
        monkeypatch.setenv("KUBECONFIG", f"{tmp_path / 'none'}{os.pathsep}{config}")
        args = []
    elif how == "symlink":
        link = tmp_path / "link.kubeconfig"
        link.symlink_to(config)
        args = ["--kubeconfig", link]
    result = hubctl("status", "-C", fleet, *REVISION, *args)
    assert result.code == ExitCode.USAGE, result.err
    assert "is inside the repository" in result.err and '"ci" has `exec`' in result.err
    assert not marker.exists()


@pytest.mark.parametrize("user, cluster, key", [
    ({"auth-provider": {"name": "oidc", "config": {"id-token": "x"}}}, None, "auth-provider"),
    ({"tokenFile": "/etc/hostname"}, None, "tokenFile"),
    ({"client-certificate": "/etc/ssl/cert.pem", "client-key": "/root/.ssh/id_rsa"}, None, "client-certificate"),
    ({"token": "t"}, {"certificate-authority": "/etc/ssl/certs/ca.pem"}, "certificate-authority"),
])
def test_a_repository_kubeconfig_may_not_name_plugins_or_files(hubctl, fleet, user, cluster, key):
    config = fleet / "hub.kubeconfig"
    config.write_text(json.dumps(kubeconfig_doc(user, cluster)))
    result = hubctl("status", "-C", fleet, *REVISION, "--kubeconfig", config)
    assert result.code == ExitCode.USAGE, result.err
    assert f"has `{key}`" in result.err


def test_hubctl_yaml_cannot_name_a_kubeconfig(hubctl, fleet, plugin):
    user, marker = plugin
    (fleet / "hub.kubeconfig").write_text(json.dumps(kubeconfig_doc(user)))
    spec = fleet / "hubctl.yaml"
    spec.write_text(spec.read_text().replace("  renderDir: rendered\n",
                                             "  renderDir: rendered\n  kube:\n    kubeconfig: hub.kubeconfig\n"))
    result = hubctl("status", "-C", fleet, *REVISION)
    assert result.code == ExitCode.USAGE, result.err
    assert "spec.kube.kubeconfig: hub.kubeconfig" in result.err and "pass --kubeconfig" in result.err
    assert not marker.exists()


# --- malformed credentials: exit 2, saying what is wrong, never what the credential is ----------------

@pytest.mark.parametrize("token, problem", [
    (f"{CANARY}\nsecond-line", "contains a line break"),
    (f"{CANARY}\r\nx", "contains a line break"),
    (f"{CANARY}\x07x", "contains a control character"),
    (f"{CANARY}\u00e9", "contains a non-ASCII character"),
])
@pytest.mark.parametrize("where", ["env", "file", "kubeconfig"])
def test_a_malformed_token_is_a_usage_error_that_never_shows_it(hubctl, fleet, tmp_path, monkeypatch, token,
                                                                problem, where):
    if where == "env":
        monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", token)
        args = ["--server", "http://127.0.0.1:1"]
    elif where == "file":
        (tmp_path / "token").write_text(token + "\n", encoding="utf-8")
        args = ["--server", "http://127.0.0.1:1", "--token-file", tmp_path / "token"]
    else:
        (tmp_path / "kubeconfig").write_text(json.dumps(kubeconfig_doc({"token": token})))
        args = ["--kubeconfig", tmp_path / "kubeconfig"]
    result = hubctl("status", "-C", fleet, *REVISION, *args)
    assert result.code == ExitCode.USAGE, result.err
    assert problem in result.err
    assert CANARY not in result.out + result.err and "second-line" not in result.err


def test_a_password_in_the_server_url_is_refused_and_never_shown(hubctl, fleet, monkeypatch):
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "a-token")
    result = hubctl("status", "-C", fleet, *REVISION, "--server", f"http://user:{CANARY}@127.0.0.1:1")
    assert result.code == ExitCode.USAGE, result.err
    assert "must not carry a user name or password" in result.err and "http://127.0.0.1:1" in result.err
    assert CANARY not in result.out + result.err
