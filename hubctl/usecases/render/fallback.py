"""Fallback on failover, explained: which group a flow is placed by and why its primary did not qualify.

The choice itself is `placement.group_in_force` (Karmada's ordered cluster affinities)."""

from __future__ import annotations

from hubctl.spec.model import Cluster, Fleet, Flow, Selector
from hubctl.usecases.render import placement as placing
from hubctl.usecases.render import taints

_SHOWN = 5


def describe(selector: Selector) -> str:
    """A selector in kubectl's -l words: `region=eu-west, tier in (gold)`; `every cluster` when empty."""
    parts = [f"{k}={v}" for k, v in sorted(selector.match_labels.items())]
    for r in selector.match_expressions:
        if r.operator in ("In", "NotIn"):
            parts.append(f"{r.key} {r.operator.lower()} ({', '.join(r.values)})")
        else:
            parts.append(r.key if r.operator == "Exists" else f"!{r.key}")
    return ", ".join(parts) or "every cluster"


def why_not(fleet: Fleet, flow: Flow, cluster: Cluster) -> str:
    """Why a cluster the primary selector matches does not qualify, in a few words."""
    refused = taints.untolerated(flow, cluster)
    words = []
    for taint in refused:
        if taint.key == taints.CORDONED:
            words.append("drained" if not cluster.cordon_keep else "cordoned")
        elif taint.key == taints.DEDICATED:
            words.append(f"dedicated to `{cluster.dedicated_to}`")
        else:
            words.append(f"taint {taint}")
    return ", ".join(words) or "not open to the flow's space or regions"


def primary_words(fleet: Fleet, flow: Flow) -> str:
    """`the primary selection (region=eu-west) qualifies 0 of the 2 cluster(s) it needs (eu-1: drained; ...)`."""
    selector = flow.placement.selector
    good = placing.qualifying(fleet, flow, selector)
    matched = sorted(placing.label_index(fleet).select(selector))
    bad = [name for name in matched if fleet.clusters[name] not in good]
    detail = "; ".join(f"{n}: {why_not(fleet, flow, fleet.clusters[n])}" for n in bad[:_SHOWN])
    detail += f"; and {len(bad) - _SHOWN} more" if len(bad) > _SHOWN else ""
    return (f"the primary selection ({describe(selector)}) qualifies {len(good)} of the "
            f"{flow.placement.wanted or 1} cluster(s) it needs" + (f" ({detail})" if detail else ""))


def group_words(flow: Flow, group: int) -> str:
    return f"fallback group {group + 1} ({describe(flow.placement.fallback[group].selector)})"


def fallback_rule(fleet: Fleet, flow: Flow, cluster: Cluster) -> list[dict]:
    """The `fallback` rule of `placement --explain` (nothing for a flow without fallback groups)."""
    if not flow.placement.fallback:
        return []
    group = placing.group_in_force(fleet, flow)
    primary = placing.enough(flow, len(placing.qualifying(fleet, flow, flow.placement.selector)))
    if group is not None:
        text = f"{group_words(flow, group)} is in force: {primary_words(fleet, flow)}"
        held = cluster in placing.candidates(fleet, flow)
    elif primary:
        text = f"the primary selection ({describe(flow.placement.selector)}) qualifies; no fallback group needed"
        held = True
    else:
        counts = "; ".join(f"{group_words(flow, i)}: {len(placing.qualifying(fleet, flow, g.selector))}"
                           for i, g in enumerate(flow.placement.fallback))
        text = f"{primary_words(fleet, flow)}, and no fallback group qualifies either ({counts} qualifying)"
        held = False
    return [{"rule": "fallback", "held": held, "text": text}]
