"""Typical changes a pull request makes to the fleet, applied to the working tree of a fleet repository."""

from __future__ import annotations

from pathlib import Path

from tests.review.fleetrepo import AGENT_BLUEPRINT, AGENT_TEMPLATE, write

NEW_FLOW = """apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: search-api
spec:
  space: storefront
  blueprint: http-service
  params:
    image: ghcr.io/example/search-api:0.9.0
  placement:
    selector:
      matchLabels:
        env: staging
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def new_flow(fleet: Path) -> None:
    write(fleet, "flows/search-api.yaml", NEW_FLOW)


def removed_flow(fleet: Path) -> None:
    (fleet / "flows/ingest.yaml").unlink()


def label_move(fleet: Path) -> None:
    """prod-eu-1 and prod-us-2 swap tiers: catalog-api (tier: gold) moves from one to the other."""
    edit(fleet / "clusters/prod-eu-1.yaml", "tier: gold", "tier: standard")
    edit(fleet / "clusters/prod-us-2.yaml", "tier: standard", "tier: gold")


def blueprint_change(fleet: Path) -> None:
    """The fleet-local node-agent blueprint gains resource requests and a new default log level."""
    write(fleet, "blueprints/node-agent/blueprint.yaml", AGENT_BLUEPRINT.replace("logLevel: info", "logLevel: warn"))
    write(fleet, "blueprints/node-agent/templates/daemonset.yaml", AGENT_TEMPLATE + (
        "        resources:\n          requests: {cpu: 10m, memory: 32Mi}\n"))


def permission_widening(fleet: Path) -> None:
    """storefront may deploy from one more repository; payments gains a viewer group."""
    edit(fleet / "spaces/storefront.yaml", "  - https://git.example.com/storefront/*",
         "  - https://git.example.com/storefront/*\n  - https://charts.example.com/*")
    edit(fleet / "spaces/payments.yaml", "viewers: [sre, security-audit]", "viewers: [sre, security-audit, auditors]")


def chart_version(fleet: Path) -> None:
    """The chart version staging runs moves on to prod (what `hubctl flow promote dashboards` writes)."""
    staging = "          staging: 8.6.1\n"
    edit(fleet / "flows/dashboards.yaml", staging, staging + "          prod: 8.6.1\n")


def version_to_base(fleet: Path) -> None:
    """Staging goes back to the chart version prod runs: the template's targetRevision becomes a literal
    again, yet no production Application changes."""
    edit(fleet / "flows/dashboards.yaml", "      versionOverrides:\n        env:\n          staging: 8.6.1\n", "")


CASES = {
    "new-flow": (new_flow, 0),
    "removed-flow": (removed_flow, 10),
    "label-move": (label_move, 10),
    "blueprint-change": (blueprint_change, 0),
    "permission-widening": (permission_widening, 0),
    "chart-version": (chart_version, 0),
    "version-to-base": (version_to_base, 0),
}
