"""Helpers for hub tests: emulators on 127.0.0.1, kubeconfigs pointing at them, real git repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hubctl.adapters.hub.argocd import ArgoCDReader, ArgoSettings
from hubctl.adapters.hub.kube import KubeReader, KubeSettings
from hubctl.adapters.hub.retry import RetryPolicy
from hubctl.base.constants import (
    LABEL_CLUSTER,
    LABEL_ENV,
    LABEL_FLOW,
    LABEL_MANAGED_BY,
    LABEL_SPACE,
    MANAGED_BY,
)
from hubctl.emulator import Emulator, kubeconfig
from hubctl.usecases.status.expected import ExpectedApp

FAST = RetryPolicy(attempts=4, base=0.01, cap=0.05)
EXAMPLE_FLEET = Path(__file__).resolve().parents[2] / "examples" / "fleet"
REV1 = "1" * 40


def expected_apps(space="payments", flows=("api",), clusters=("prod-eu-1", "prod-eu-2", "dev-eu-1")):
    return [ExpectedApp.of(space, flow, cluster, cluster.split("-")[0]) for flow in flows for cluster in clusters]


def manifest(app: ExpectedApp, managed: bool = True) -> dict:
    labels = {LABEL_SPACE: app.space, LABEL_FLOW: app.flow, LABEL_CLUSTER: app.cluster, LABEL_ENV: app.env}
    if managed:
        labels[LABEL_MANAGED_BY] = MANAGED_BY
    source = {"repoURL": "https://git.example.com/fleet.git", "targetRevision": "main",
              "path": f"rendered/spokes/{app.cluster}/flows/{app.space}/{app.flow}"}
    if app.source:  # an external flow: the source its rendered ApplicationSet generates
        (source,) = json.loads(app.source)
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": app.name, "labels": labels},
            "spec": {"project": app.space, "source": source,
                     "destination": {"name": app.cluster, "namespace": f"{app.space}-{app.flow}"}}}


@pytest.fixture
def start_hub():
    """start_hub(apps=[ExpectedApp...], **Emulator kwargs) -> a started Emulator (stopped after the test)."""
    started = []

    def start(apps=(), **kwargs):
        apps = list(apps)
        kwargs.setdefault("auto", False)
        kwargs.setdefault("applications_at", lambda commit: [manifest(a) for a in apps])
        emulator = Emulator(**kwargs)
        emulator.start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


def write_kubeconfig(path: Path, hub: Emulator, token: str | None = "default") -> Path:
    doc = kubeconfig(hub.url, hub.token if token == "default" else token)
    path.write_text(json.dumps(doc))
    return path


def kube_reader(tmp_path: Path, hub: Emulator, token: str | None = "default", namespace="argocd") -> KubeReader:
    config = write_kubeconfig(tmp_path / "kubeconfig", hub, token)
    return KubeReader(KubeSettings(str(config), None, namespace), FAST)


def argo_reader(hub: Emulator, env: dict, **settings) -> ArgoCDReader:
    return ArgoCDReader(ArgoSettings(hub.url, **settings), FAST, env=env)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def fleet_repo(tmp_path) -> Path:
    """A copy of the example fleet, committed in a fresh repository (the head is the expected revision)."""
    root = tmp_path / "fleet"
    shutil.copytree(EXAMPLE_FLEET, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fleet")
    return root
