"""A fleet of several hubs made from a copy of examples/fleet: the main hub (hubctl.yaml, `platform-hub`)
manages every cluster outside us-east, `us-hub` (hubs/us-hub.yaml) those in us-east, and `us-standby`
(hubs/us-standby.yaml) stands by for `us-hub`."""

from __future__ import annotations

from pathlib import Path

US_CLUSTERS = ["dev-us-lab", "prod-us-1", "prod-us-2", "staging-us-1"]

MAIN_CLAIM = """  kube:
    context: platform-hub
  clusters:
    selector:
      matchExpressions:
        - {key: region, operator: NotIn, values: [us-east]}
"""

US_HUB = """apiVersion: hubctl.io/v1alpha1
kind: Hub
metadata:
  name: us-hub
spec:
  argocd:
    namespace: argocd
  repo:
    url: https://git.example.com/platform/fleet.git
    branch: main
  kube:
    context: us-hub
  clusters:
    selector:
      matchLabels: {region: us-east}
"""

US_STANDBY = """apiVersion: hubctl.io/v1alpha1
kind: Hub
metadata:
  name: us-standby
spec:
  argocd:
    namespace: argocd
  repo:
    url: https://git.example.com/platform/fleet.git
    branch: main
  kube:
    context: us-standby
  standby:
    hub: us-hub
"""


def make_multihub(root: Path, *, standby: bool = True) -> Path:
    """Turn the fleet at `root` (a copy of examples/fleet) into a fleet of two or three hubs."""
    hub_file = root / "hubctl.yaml"
    text = hub_file.read_text()
    hub_file.write_text(text.replace("  renderDir: rendered\n", "  renderDir: rendered\n" + MAIN_CLAIM, 1))
    (root / "hubs").mkdir(exist_ok=True)
    (root / "hubs" / "us-hub.yaml").write_text(US_HUB)
    if standby:
        (root / "hubs" / "us-standby.yaml").write_text(US_STANDBY)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def kubeconfig_for(hubs: dict) -> dict:
    """One kubeconfig with a context per hub name, each pointing at that hub's emulator (a context per
    hub, as a platform team's kubeconfig has one per Argo CD hub)."""
    doc = {"apiVersion": "v1", "kind": "Config", "current-context": "", "clusters": [], "users": [], "contexts": []}
    for name, emulator in sorted(hubs.items()):
        doc["clusters"].append({"name": name, "cluster": {"server": emulator.url}})
        doc["users"].append({"name": name, "user": {"token": emulator.token}})
        doc["contexts"].append({"name": name, "context": {"cluster": name, "user": name, "namespace": "argocd"}})
    doc["current-context"] = sorted(hubs)[0]
    return doc
