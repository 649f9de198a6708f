"""Write a synthetic fleet of any size, deterministically (same arguments, same bytes).

    python benchmarks/fleetgen.py OUT [--clusters 500] [--spaces 50] [--flows 400]

The default fleet has about 20,000 placements: each flow selects one environment and one or two of
the five regions.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ENVS = ["dev", "staging", "prod", "prod", "prod"]
REGIONS = ["eu-west", "eu-central", "us-east", "us-west", "ap-southeast"]
PROVIDERS = ["eks", "aks", "gke", "vsphere-rke"]
BLUEPRINTS = ["http-service", "worker", "cron-job"]

HUB = """apiVersion: hubctl.io/v1alpha1
kind: Hub
metadata:
  name: bench-hub
spec:
  repo:
    url: https://git.example.com/platform/fleet.git
    branch: main
  maxDeletions:
    default: 1000
"""


def cluster(i: int, rng: random.Random) -> tuple[str, str]:
    env, region, provider = ENVS[i % len(ENVS)], REGIONS[(i // 5) % 5], PROVIDERS[(i // 25) % 4]
    name = f"{env}-{region}-{i:04d}"
    creds = {
        "eks": f"    awsRole:\n      roleARN: arn:aws:iam::123456789012:role/argocd-{name}\n",
        "aks": "    exec:\n      command: argocd-k8s-auth\n      args: [azure]\n",
        "gke": "    exec:\n      command: argocd-k8s-auth\n      args: [gcp]\n",
        "vsphere-rke": f"    externalSecret:\n      store: vault\n      key: clusters/{name}\n",
    }[provider]
    tier = rng.choice(["gold", "standard", "standard"])
    return name, f"""apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata:
  name: {name}
  labels:
    tier: {tier}
    team-pool: pool-{i % 7}
spec:
  server: https://{name}.k8s.example.com
  provider: {provider}
  environment: {env}
  region: {region}
  zones: [{region}-a, {region}-b, {region}-c]
  credentials:
{creds}"""


def space(i: int, spaces: int) -> tuple[str, str]:
    name = f"space-{i:03d}"
    return name, f"""apiVersion: hubctl.io/v1alpha1
kind: Space
metadata:
  name: {name}
spec:
  namespaces: [{name}, {name}-jobs]
  owners: [team-{i:03d}]
  viewers: [sre]
  quota:
    cpu: "32"
    memory: 64Gi
    pods: 300
  limits:
    defaultRequestCpu: 100m
    defaultMemory: 256Mi
  network:
    allowFromSpaces: [space-{(i + 1) % spaces:03d}]
  sourceRepos: ["https://charts.example.com/*"]
"""


def flow(i: int, spaces: int, rng: random.Random) -> tuple[str, str]:
    name = f"flow-{i:04d}"
    space_name = f"space-{i % spaces:03d}"
    blueprint = BLUEPRINTS[i % 3]
    envs = [rng.choice(["dev", "staging", "prod"])]
    regions = sorted(rng.sample(REGIONS, rng.choice([1, 2])))
    params = f"    image: registry.example.com/{space_name}/{name}:1.{i % 10}.0\n"
    if blueprint == "cron-job":
        params += f'    schedule: "{i % 60} * * * *"\n'
    return name, f"""apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: {name}
spec:
  space: {space_name}
  blueprint: {blueprint}
  params:
{params}  placement:
    selector:
      matchExpressions:
      - {{key: env, operator: In, values: [{", ".join(envs)}]}}
      - {{key: region, operator: In, values: [{", ".join(regions)}]}}
  overrides:
    env:
      {envs[-1]}:
        env:
        - {{name: TIER, value: "{envs[-1]}"}}
"""


def generate(out: Path, clusters: int = 500, spaces: int = 50, flows: int = 400, seed: int = 7) -> Path:
    """Write the fleet into `out` (rewriting only files whose text changed) and return `out`."""
    rng = random.Random(seed)
    files = {"hubctl.yaml": HUB}
    for i in range(clusters):
        name, text = cluster(i, rng)
        files[f"clusters/{name}.yaml"] = text
    for i in range(spaces):
        name, text = space(i, spaces)
        files[f"spaces/{name}.yaml"] = text
    for i in range(flows):
        name, text = flow(i, spaces, rng)
        files[f"flows/{name}.yaml"] = text
    for rel, text in files.items():
        path = out / rel
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--clusters", type=int, default=500)
    parser.add_argument("--spaces", type=int, default=50)
    parser.add_argument("--flows", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.clusters, args.spaces, args.flows, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
