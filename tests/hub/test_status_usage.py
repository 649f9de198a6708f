"""`hubctl status` refuses unusable options clearly, before or without reaching a hub."""

from __future__ import annotations

import pytest

from hubctl.base.errors import ExitCode


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
     "--token-file /no/such/token cannot be read (No such file or directory)"),
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


@pytest.mark.parametrize("flags", [
    ["--server", "https://127.0.0.1:1", "--token-file"],
    ["--kubeconfig"],
    ["--server", "https://127.0.0.1:1", "--ca-file"],
    ["--kubeconfig", "KUBECONFIG", "--ca-file"],
], ids=["token-file", "kubeconfig", "argocd-ca-file", "kube-ca-file"])
def test_a_fifo_named_by_a_flag_is_refused_at_once(fleet, tmp_path, flags):
    import os
    import subprocess
    import sys

    fifo = tmp_path / "named.fifo"
    os.mkfifo(fifo)
    kubeconfig = tmp_path / "hub.kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    args = [str(kubeconfig) if a == "KUBECONFIG" else a for a in flags]
    env = {**os.environ, "HUBCTL_ARGOCD_TOKEN": "a-token"} if "--ca-file" in flags else dict(os.environ)
    done = subprocess.run([sys.executable, "-m", "hubctl", "status", "-C", str(fleet), "--revision", "0" * 40,
                           "--timeout", "3s", *args, str(fifo)], capture_output=True, text=True, timeout=60,
                          env=env)
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert f"{flags[-1]} {fifo} is a FIFO, not a regular file" in done.stderr


def test_unreachable_argocd_server_is_retried_then_reported(hubctl, fleet, monkeypatch):
    # HUBCTL_RETRY_BASE: all 5 attempts fit in the --timeout (with the default 0.25 s doubling, only 4 would)
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "a-secret-token-value")
    monkeypatch.setenv("HUBCTL_RETRY_BASE", "0.01")
    result = hubctl("status", "-C", fleet, "--revision", "0" * 40, "--server", "https://127.0.0.1:1",
                    "--timeout", "3s")
    assert result.code == ExitCode.HUB_UNREACHABLE
    assert "did not answer after 5 attempts" in result.err and "a-secret-token-value" not in result.err


@pytest.mark.parametrize("source", ["argocd", "kube"])
@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "61"])
def test_an_unusable_retry_base_is_a_usage_error_naming_the_variable(hubctl, fleet, tmp_path, monkeypatch, value,
                                                                     source):
    import json

    from hubctl.emulator import kubeconfig

    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "a-token")
    monkeypatch.setenv("HUBCTL_RETRY_BASE", value)
    config = tmp_path / "hub.kubeconfig"
    config.write_text(json.dumps(kubeconfig("https://127.0.0.1:1", "a-token")))
    where = ["--server", "https://127.0.0.1:1"] if source == "argocd" else ["--kubeconfig", config]
    result = hubctl("status", "-C", fleet, "--revision", "0" * 40, *where)
    assert result.code == ExitCode.USAGE, result.err
    assert f"$HUBCTL_RETRY_BASE={value!r} is not a number of seconds from 0 to 60" in result.err


@pytest.mark.parametrize("content", [
    b"not a certificate\n", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", b"\x30\x03\x02\x01\x00",
], ids=["text", "bad-pem", "bad-der"])
def test_a_ca_file_without_a_usable_certificate_is_a_usage_error_naming_it(hubctl, fleet, tmp_path, monkeypatch,
                                                                           content):
    # checked when hubctl builds its TLS context, before any request: not a TLS failure (exit 6) at connect time
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "a-token")
    path = tmp_path / "ca.pem"
    path.write_bytes(content)
    result = hubctl("status", "-C", fleet, "--revision", "0" * 40, "--server", "https://127.0.0.1:1",
                    "--ca-file", path)
    assert result.code == ExitCode.USAGE, result.err
    assert f"--ca-file {path} holds no usable CA certificate" in result.err
