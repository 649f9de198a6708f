"""Fixtures for fleets of several hubs: a committed fleet repository and one emulated hub per hub."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hubctl.emulator import Emulator
from tests.support.multihub import kubeconfig_for, make_multihub

HUBS = ("platform-hub", "us-hub", "us-standby")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def multihub_repo(example_fleet) -> Path:
    """The three-hub fleet, committed in a fresh repository on main."""
    from hubctl.cli import run

    root = make_multihub(example_fleet)
    git(root, "init", "-q", "-b", "main")
    assert run(["-C", str(root), "render"]) == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fleet")
    return root


def start_emulator(repo: Path, name: str) -> Emulator:
    emulator = Emulator(repo=str(repo), branch="main", path=f"rendered/{name}", auto=True, speed=0.02)
    emulator.start()
    return emulator


def write_kubeconfig(path: Path, hubs: dict) -> Path:
    path.write_text(json.dumps(kubeconfig_for(hubs)))
    return path


@pytest.fixture
def emulated_hubs(multihub_repo, tmp_path):
    """(hubs by name, kubeconfig path, started emulators to stop): an emulator per hub syncing
    `rendered/<hub>` of the repository's main branch, rolling out every new commit on its own."""
    hubs = {name: start_emulator(multihub_repo, name) for name in HUBS}
    started = list(hubs.values())
    yield hubs, write_kubeconfig(tmp_path / "kubeconfig", hubs), started
    for emulator in started:
        emulator.stop()
