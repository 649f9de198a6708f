"""`hubctl init`: a small fleet repository that validates, for a first run."""

from __future__ import annotations

import os
from pathlib import Path

from hubctl.base.errors import UsageError

SCHEMA_BASE = "https://raw.githubusercontent.com/hubctl/hubctl/main/schemas"
SCAFFOLD_BRANCH = "main"  # spec.repo.branch of the scaffolded hubctl.yaml: the branch the hub syncs

FILES = {
    "hubctl.yaml": f"""\
# yaml-language-server: $schema={SCHEMA_BASE}/hub.json
apiVersion: hubctl.io/v1alpha1
kind: Hub
metadata:
  name: hub
spec:
  argocd:
    namespace: argocd
  # The Git repository and branch Argo CD on the hub syncs the rendered output from.
  repo:
    url: https://git.example.com/platform/fleet.git
    branch: {SCAFFOLD_BRANCH}
  maxDeletions:
    default: 10
    prod: 0
""",
    "clusters/dev-1.yaml": f"""\
# yaml-language-server: $schema={SCHEMA_BASE}/cluster.json
apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata:
  name: dev-1
  labels:
    tier: standard
spec:
  server: https://dev-1.k8s.example.com
  provider: eks
  environment: dev
  region: eu-west
  credentials:
    # By reference only: hubctl never writes a token to Git.
    awsRole:
      roleARN: arn:aws:iam::123456789012:role/argocd-dev-1
""",
    "spaces/team-a.yaml": f"""\
# yaml-language-server: $schema={SCHEMA_BASE}/space.json
apiVersion: hubctl.io/v1alpha1
kind: Space
metadata:
  name: team-a
spec:
  owners: [team-a]
  quota:
    cpu: "8"
    memory: 16Gi
""",
    "flows/hello.yaml": f"""\
# yaml-language-server: $schema={SCHEMA_BASE}/flow.json
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: hello
spec:
  space: team-a
  blueprint: http-service
  params:
    image: ghcr.io/example/hello:1.0.0
  placement:
    selector:
      matchLabels:
        env: dev
""",
    "README.md": """\
# Fleet

Specs for [hubctl](https://github.com/hubctl/hubctl):

- `hubctl.yaml`: the hub (Argo CD namespace, the repository it syncs, defaults)
- `clusters/`: spoke clusters, `spaces/`: tenants, `flows/`: workloads

    hubctl validate          # check the specs
    hubctl render            # write rendered/ for Argo CD
    hubctl placement         # which flow lands where
""",
}


def scaffold(directory: Path, *, force: bool = False) -> list[Path]:
    """Write the starter fleet into `directory` and return the files written.

    Raises:
        UsageError: when the directory is not empty (without force) or a file already exists.
    """
    if directory.exists() and any(directory.iterdir()) and not force:
        raise UsageError(f"{directory} is not empty", hint="pick a new directory, or pass --force")
    existing = [name for name in FILES if (directory / name).exists()]
    if existing:
        raise UsageError(f"{directory / existing[0]} already exists; hubctl init never overwrites files",
                         hint="move it away or pick another directory")
    written = []
    for name, text in FILES.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written
