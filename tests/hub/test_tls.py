"""TLS is verified by default; --ca-file trusts a private CA; --insecure is explicit. Both hub sources."""

from __future__ import annotations

import subprocess

import pytest

from hubctl.base.errors import ExitCode
from hubctl.cli import run
from hubctl.emulator import Emulator, kubeconfig
from hubctl.engines.yaml.yamlio import dump
from hubctl.usecases.status.expected import expected_from_fleet
from tests.hub.conftest import manifest


@pytest.fixture
def tls_hub(fleet_repo, tmp_path):
    cert, key = tmp_path / "hub.crt", tmp_path / "hub.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    apps, revision, _hub, _repo = expected_from_fleet(fleet_repo)
    hub = Emulator(auto=False, applications_at=lambda commit: [manifest(a) for a in apps])
    hub.start(tls=(str(cert), str(key)))
    hub.sync_to(revision)
    hub.settle()
    yield fleet_repo, hub, cert
    hub.stop()


def status(capsys, *args):
    code = run(["status", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_argocd_api_over_tls(tls_hub, capsys, monkeypatch):
    fleet, hub, cert = tls_hub
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    assert hub.url.startswith("https://")
    code, _, err = status(capsys, "-C", fleet, "--server", hub.url, "--timeout", "5s")
    assert code == ExitCode.HUB_UNREACHABLE and "--ca-file" in err
    assert status(capsys, "-C", fleet, "--server", hub.url, "--ca-file", cert)[0] == ExitCode.OK
    assert status(capsys, "-C", fleet, "--server", hub.url, "--insecure")[0] == ExitCode.OK


def test_kubernetes_api_over_tls(tls_hub, capsys, tmp_path):
    fleet, hub, cert = tls_hub
    config = tmp_path / "kubeconfig"
    config.write_text(dump(kubeconfig(hub.url, hub.token)))
    code, _, _ = status(capsys, "-C", fleet, "--kubeconfig", config, "--timeout", "5s")
    assert code == ExitCode.HUB_UNREACHABLE
    assert status(capsys, "-C", fleet, "--kubeconfig", config, "--ca-file", cert)[0] == ExitCode.OK
    code, _, err = status(capsys, "-C", fleet, "--kubeconfig", config, "--insecure")
    assert code == ExitCode.OK
    assert err.count("TLS verification of the hub is off") == 1 and "InsecureRequestWarning" not in err
