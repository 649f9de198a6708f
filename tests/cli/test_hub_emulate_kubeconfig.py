"""`hubctl hub emulate` prints a ready-to-run `status` command and can write a kubeconfig for itself that
hubctl's kubeconfig trust rules accept, without printing the token."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hubctl.emulator import DEFAULT_TOKEN
from tests.conftest import EXAMPLE_FLEET

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.fixture
def rendered_fleet(tmp_path, hubctl) -> Path:
    """The example fleet rendered and committed in a repository of its own (what the emulator serves)."""
    root = tmp_path / "fleet"
    shutil.copytree(EXAMPLE_FLEET, root, ignore=shutil.ignore_patterns("rendered"))
    assert hubctl("render", "-C", root).code == 0
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fleet")
    return root


def emulate(*args: str):
    """Start `hubctl hub emulate ARGS`; return the process and what it announced (up to the status line)."""
    proc = subprocess.Popen([sys.executable, "-m", "hubctl", "hub", "emulate", "--port", "0", *args],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=ENV)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("status:") or line.startswith("error"):
            break
    return proc, "".join(lines)


def stop(proc) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def run_printed(hubctl, announced: str):
    command = re.search(r"^status: (.*)$", announced, re.M).group(1)
    argv = shlex.split(command)
    assert argv[0] == "hubctl"
    return hubctl(*argv[1:]), command


def test_the_kubeconfig_it_writes_works_for_the_printed_status_command(hubctl, rendered_fleet, tmp_path):
    kubeconfig = tmp_path / "hub" / "emulator.kubeconfig"
    kubeconfig.parent.mkdir()
    proc, announced = emulate("--repo", str(rendered_fleet), "--kubeconfig", str(kubeconfig))
    try:
        assert DEFAULT_TOKEN not in announced  # the token stays in the file
        assert stat.S_IMODE(kubeconfig.stat().st_mode) == 0o600
        assert DEFAULT_TOKEN in kubeconfig.read_text()
        result, command = run_printed(hubctl, announced)
        assert f"--kubeconfig {kubeconfig}" in command and f"-C {rendered_fleet}" in command
        assert result.code in (0, 11), result.err  # done, or still rolling out: the hub answered
        assert "/38 done" in result.out  # 29 placements and the 9 spaces Applications, read through the kubeconfig
        assert DEFAULT_TOKEN not in result.out + result.err
    finally:
        assert stop(proc) == 0


def test_a_kubeconfig_inside_the_fleet_repository_is_accepted_and_flagged(hubctl, rendered_fleet):
    kubeconfig = rendered_fleet / "hub.kubeconfig"
    proc, announced = emulate("--repo", str(rendered_fleet), "--kubeconfig", str(kubeconfig))
    try:
        assert "inside the git repository" in announced and ".gitignore" in announced
        result, _ = run_printed(hubctl, announced)
        assert result.code in (0, 11), result.err  # the trust rules accept an inline token and no files
    finally:
        assert stop(proc) == 0


def test_it_never_overwrites_a_kubeconfig_it_did_not_write(rendered_fleet, tmp_path):
    mine = tmp_path / "config"
    mine.write_text("apiVersion: v1\nkind: Config\ncurrent-context: prod\n")
    proc, announced = emulate("--repo", str(rendered_fleet), "--kubeconfig", str(mine))
    code = proc.wait(timeout=20)
    assert code == 2
    assert "is not a kubeconfig hubctl hub emulate wrote" in announced
    assert mine.read_text() == "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"


def test_without_a_kubeconfig_it_prints_a_server_command(hubctl, rendered_fleet, monkeypatch):
    proc, announced = emulate("--repo", str(rendered_fleet))
    try:
        command = re.search(r"^status: (.*)$", announced, re.M).group(1)
        argv = shlex.split(command)
        assert argv[0].startswith("HUBCTL_ARGOCD_TOKEN=") and argv[1] == "hubctl"
        monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", argv[0].split("=", 1)[1])
        result = hubctl(*argv[2:])
        assert result.code in (0, 11), result.err
    finally:
        assert stop(proc) == 0
