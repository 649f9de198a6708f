"""Fleet repositories with history for review tests: the example fleet plus a fleet-local blueprint,
committed with the git CLI at fixed dates so commit ids (and so goldens) are reproducible."""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com", "GIT_COMMITTER_NAME": "Test",
       "GIT_COMMITTER_EMAIL": "test@example.com", "GIT_AUTHOR_DATE": "@1700000000 +0000",
       "GIT_COMMITTER_DATE": "@1700000000 +0000", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}

PLATFORM_SPACE = """apiVersion: hubctl.io/v1alpha1
kind: Space
metadata:
  name: platform
spec:
  namespaces: [platform]
  owners: [team-platform]
"""

AGENT_BLUEPRINT = """apiVersion: hubctl.io/v1alpha1
kind: Blueprint
metadata:
  name: node-agent
  description: A per-node agent.
spec:
  schema:
    type: object
    additionalProperties: false
    required: [image]
    properties:
      image: {type: string}
      logLevel: {type: string}
  defaults:
    logLevel: info
"""

AGENT_TEMPLATE = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${{ flow.name }}
  labels:
    app.kubernetes.io/name: ${{ flow.name }}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ${{ flow.name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${{ flow.name }}
    spec:
      containers:
      - name: agent
        image: ${{ params.image }}
        args:
        - --log-level
        - ${{ params.logLevel }}
"""

AGENT_FLOW = """apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: node-agent
spec:
  space: platform
  blueprint: node-agent
  params:
    image: registry.example.com/platform/node-agent:1.0.0
  placement: {}
"""


def git(repo: Path, *args: str) -> str:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **ENV}
    done = subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def make_repo(fleet: Path) -> Path:
    """Turn the fleet directory into a repository whose `main` holds the fleet plus a node-agent flow on
    every cluster (a fleet-local blueprint). Returns the fleet directory."""
    write(fleet, "spaces/platform.yaml", PLATFORM_SPACE)
    write(fleet, "blueprints/node-agent/blueprint.yaml", AGENT_BLUEPRINT)
    write(fleet, "blueprints/node-agent/templates/daemonset.yaml", AGENT_TEMPLATE)
    write(fleet, "flows/node-agent.yaml", AGENT_FLOW)
    git(fleet, "init", "-q", "-b", "main")
    commit_all(fleet, "fleet")
    return fleet


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def check_golden(name: str, actual: str, update: bool) -> None:
    """Compare `actual` with tests/review/golden/<name>; rewrite it with --update-golden."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
        return
    expected = path.read_text() if path.exists() else ""
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"golden/{name}", "actual"))
        raise AssertionError(f"output differs from golden/{name} (run pytest --update-golden):\n{diff}")
