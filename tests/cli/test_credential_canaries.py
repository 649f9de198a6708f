"""Adversarial: canary credentials in every input hubctl reads, every command and failure path we can reach;
no canary may reach stdout or stderr (docs/security.md, Credentials)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from hubctl.emulator import Emulator, kubeconfig
from tests.support.gitservers import SmartHttpServer, bare_repo, free_port

ROOT = Path(__file__).resolve().parents[2]
MARK = "CANARY"
GIT_TOKEN = "CANARY-git-7d41f0a2"
ARGO_TOKEN = "CANARY-argo-5b2e19c4"
FILE_TOKEN = "CANARY-file-93ac7e10"
KUBE_TOKEN = "CANARY-kube-1f6d2a77"
URL_PASSWORD = "CANARY-urlpw-c03b8d5e"
URL_USER_TOKEN = "CANARY-urluser-4e0c21"
PASSPHRASE = "CANARY-ssh-88e4a1f3"
CREDENTIAL_REF = "CANARY-ref-2a9f5561"


def clean(result) -> None:
    """The canary mark is in neither stream."""
    assert MARK not in result.out, result.out
    assert MARK not in result.err, result.err


@pytest.fixture
def secrets_env(monkeypatch):
    """Every credential variable hubctl reads holds a canary."""
    for name, value in {"HUBCTL_GIT_TOKEN": GIT_TOKEN, "HUBCTL_ARGOCD_TOKEN": ARGO_TOKEN,
                        "HUBCTL_ARGOCD_PASSWORD": f"{ARGO_TOKEN}-pw", "HUBCTL_SSH_PASSPHRASE": PASSPHRASE}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def hub():
    with Emulator(auto=False, applications_at=lambda commit: []) as emulator:
        yield emulator


@pytest.fixture
def repo(example_fleet):
    env = {"PATH": os.environ["PATH"], "HOME": str(example_fleet), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "specs"]):
        subprocess.run(["git", *args], cwd=example_fleet, env=env, check=True, capture_output=True)
    return example_fleet


def test_every_command_with_canaries_in_the_environment(hubctl, secrets_env, example_fleet):
    for args in (["validate"], ["render"], ["render", "--check"], ["placement"], ["diff"], ["cluster", "list"],
                 ["validate", "-o", "json"], ["appset", "preview"]):
        clean(hubctl(*args, "-C", example_fleet))


def test_a_password_in_the_server_url_is_refused_unprinted(hubctl, secrets_env, repo):
    # credentials never travel in --server (a usage error, exit 2); the message says so without them
    server = f"http://admin:{URL_PASSWORD}@127.0.0.1:{free_port()}"
    result = hubctl("status", "-C", repo, "--server", server, "--timeout", "1")
    assert result.code == 2, result.err
    assert "must not carry a user name or password" in result.err
    clean(result)
    user_only = hubctl("status", "-C", repo, "--server", f"http://{URL_USER_TOKEN}@127.0.0.1:{free_port()}")
    assert user_only.code == 2
    clean(user_only)


def test_hub_refuses_every_canary_credential(hubctl, secrets_env, repo, hub, tmp_path, monkeypatch):
    refused = hubctl("status", "-C", repo, "--server", hub.url.replace("://", f"://admin:{URL_PASSWORD}@"))
    assert refused.code != 0
    clean(refused)
    token_file = tmp_path / "token"
    token_file.write_text(FILE_TOKEN + "\n")
    monkeypatch.delenv("HUBCTL_ARGOCD_TOKEN")
    by_file = hubctl("status", "-C", repo, "--server", hub.url, "--token-file", token_file)
    assert by_file.code != 0
    clean(by_file)
    config = tmp_path / "kubeconfig"
    config.write_text(json.dumps(kubeconfig(hub.url, KUBE_TOKEN)))
    by_kubeconfig = hubctl("status", "-C", repo, "--kubeconfig", config)
    assert by_kubeconfig.code != 0
    clean(by_kubeconfig)


def test_a_token_with_a_newline_is_never_printed(hubctl, repo, hub, monkeypatch):
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", f"{ARGO_TOKEN}\n{ARGO_TOKEN}-second-line")
    for debug in ("0", "1"):
        monkeypatch.setenv("HUBCTL_DEBUG", debug)
        result = hubctl("status", "-C", repo, "--server", hub.url)
        assert result.code != 0
        clean(result)


def test_a_token_file_or_kubeconfig_token_with_a_newline_is_never_printed(hubctl, repo, hub, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(f"{FILE_TOKEN}\n{FILE_TOKEN}-second-line\n")
    config = tmp_path / "kubeconfig"
    config.write_text(json.dumps(kubeconfig(hub.url, f"{KUBE_TOKEN}\n{KUBE_TOKEN}-second-line")))
    for args in (["--server", hub.url, "--token-file", token_file], ["--kubeconfig", config]):
        result = hubctl("status", "-C", repo, *args)
        assert result.code != 0
        clean(result)


def test_push_refused_with_canaries_in_the_token_and_the_remote_url(hubctl, secrets_env, repo, tmp_path):
    assert hubctl("render", "-C", repo).code == 0
    served = tmp_path / "served"
    bare_repo(served / "deploy.git")
    with SmartHttpServer(served, users={"alice": "the-right-token"}) as server:
        url = server.url("deploy.git")
        for remote in (url, url.replace("://", f"://alice:{URL_PASSWORD}@"), url.replace("://", f"://{URL_USER_TOKEN}@")):
            result = hubctl("commit", "-C", repo, "--push", "--remote", remote)
            assert result.code == 5, result.err
            clean(result)
    subprocess.run(["git", "remote", "add", "origin", f"http://alice:{URL_PASSWORD}@127.0.0.1:{free_port()}/x.git"],
                   cwd=repo, check=True)
    unreachable = hubctl("commit", "-C", repo, "--push")
    assert unreachable.code == 5, unreachable.err
    clean(unreachable)


def test_ssh_passphrase_never_printed(hubctl, secrets_env, repo, tmp_path, monkeypatch):
    monkeypatch.setenv("HUBCTL_SSH_KEY", str(tmp_path / "missing-key"))
    monkeypatch.setenv("HUBCTL_SSH_KNOWN_HOSTS", str(tmp_path / "known_hosts"))
    assert hubctl("render", "-C", repo).code == 0
    result = hubctl("commit", "-C", repo, "--push", "--remote", f"ssh://git@127.0.0.1:{free_port()}/deploy.git")
    assert result.code == 5, result.err
    clean(result)


@pytest.mark.parametrize(("ref", "says"), [
    (f"token:{CREDENTIAL_REF}", "the value is not a credentials reference (not shown, in case it is a secret)"),
    (CREDENTIAL_REF, "the value is not a credentials reference"),
    (f"external-secret:{CREDENTIAL_REF}", "external-secret: needs a store and a key"),
    (f"exec:'{CREDENTIAL_REF}", "exec: No closing quotation")])
def test_cluster_add_never_echoes_a_rejected_credentials_value(hubctl, example_fleet, ref, says):
    result = hubctl("cluster", "add", "x1", "--server", "https://x1.example.com", "--env", "dev", "--region", "r",
                    "--credentials", ref, "-C", example_fleet)
    assert result.code == 2
    assert f"error: --credentials: {says}" in result.err or f"error: --credentials {says}" in result.err
    clean(result)


def test_usage_errors_quoting_a_value_are_redacted(hubctl, secrets_env, example_fleet):
    for args in (["status", "--timeout", ARGO_TOKEN], ["status", "--timeout", f"http://u:{URL_PASSWORD}@h"],
                 ["commit", "--max-deletions", GIT_TOKEN], ["no-such-command", GIT_TOKEN]):
        result = hubctl(*args, "-C", example_fleet)
        assert result.code == 2, result.err
        clean(result)


def _explode(*args, **kwargs):
    warnings.warn(f"insecure request to http://u:{URL_PASSWORD}@hub/ ({ARGO_TOKEN})", UserWarning, stacklevel=1)
    raise RuntimeError(f"boom with {GIT_TOKEN} and http://u:{URL_PASSWORD}@hub/")


@pytest.mark.parametrize("debug", ["0", "1"])
def test_internal_errors_and_warnings_are_redacted(hubctl, secrets_env, example_fleet, monkeypatch, debug):
    monkeypatch.setattr("hubctl.usecases.validate.loader.analyze", _explode)
    monkeypatch.setenv("HUBCTL_DEBUG", debug)
    result = hubctl("validate", "-C", example_fleet)
    assert result.code == 1
    assert "RuntimeError: boom with [REDACTED] and http://u:[REDACTED]@hub/" in result.err
    assert "UserWarning: insecure request to http://u:[REDACTED]@hub/ ([REDACTED])" in result.err
    assert ("Traceback (most recent call last)" in result.err) == (debug == "1")
    clean(result)


# A real process (no test harness owning logging and warnings): a hubctl function patched to log as urllib3
# does, warn and fail with the canary in its message.
DRIVER = """
import logging, sys, warnings
import hubctl.usecases.validate.loader
canary, fleet = sys.argv[1:]
def explode(*args, **kwargs):
    logging.getLogger("urllib3.connectionpool").warning("retrying http://u:%s@hub/ (%s)", canary, canary)
    warnings.warn("insecure request with " + canary)
    raise RuntimeError("boom with " + canary)
hubctl.usecases.validate.loader.analyze = explode
from hubctl.cli import main
sys.argv[1:] = ["validate", "-C", fleet]
main()
"""


@pytest.mark.parametrize("debug", ["0", "1"])
def test_a_real_process_redacts_tracebacks_logs_and_warnings(example_fleet, debug):
    env = {**os.environ, "HUBCTL_DEBUG": debug, "HUBCTL_GIT_TOKEN": GIT_TOKEN, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", DRIVER, GIT_TOKEN, str(example_fleet)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert ("Traceback (most recent call last)" in done.stderr) == (debug == "1")
    assert "RuntimeError: boom with [REDACTED]" in done.stderr
    assert "retrying http://u:[REDACTED]@hub/ ([REDACTED])" in done.stderr
    assert "UserWarning: insecure request with [REDACTED]" in done.stderr
    assert MARK not in done.stdout + done.stderr
