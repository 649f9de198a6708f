"""Taints and tolerations (Kubefleet semantics), and hubctl's own taints: cordon and dedicatedTo.

A cluster's effective taints are its `spec.taints` plus two that hubctl derives from the specs:
`hubctl.io/dedicated=<space>:NoSchedule` (spec.dedicatedTo; only that space's flows tolerate it) and
`hubctl.io/cordoned:NoSchedule` (spec.cordon; only the flows in spec.cordon.keep tolerate it, NoExecute once
the keep list is empty: drained). A flow's own tolerations never tolerate a `hubctl.io/` taint, so no flow can
opt itself into another space's dedicated cluster or onto a cordoned one.
"""

from __future__ import annotations

from hubctl.base.constants import LABEL_PREFIX
from hubctl.spec.model import Cluster, Flow, Taint, Toleration

DEDICATED = f"{LABEL_PREFIX}dedicated"
CORDONED = f"{LABEL_PREFIX}cordoned"
CODES = {DEDICATED: "dedicated", CORDONED: "cordon"}  # the excluded_by code of each hubctl taint


def effective_taints(cluster: Cluster) -> tuple[Taint, ...]:
    """The cluster's taints, hubctl's own (dedicated, cordoned) first."""
    out = []
    if cluster.dedicated_to:
        out.append(Taint(DEDICATED, cluster.dedicated_to, "NoSchedule"))
    if cluster.cordon_keep is not None:
        out.append(Taint(CORDONED, "", "NoSchedule" if cluster.cordon_keep else "NoExecute"))
    return (*out, *cluster.taints)


def tolerates(toleration: Toleration, taint: Taint) -> bool:
    """Kubernetes' ToleratesTaint: the effect (when given), the key (an empty key with Exists matches any key)
    and, for Equal, the value must match. Never a hubctl.io/ taint."""
    if taint.key.startswith(LABEL_PREFIX):
        return False
    if toleration.effect and toleration.effect != taint.effect:
        return False
    if toleration.key != taint.key and not (toleration.key == "" and toleration.operator == "Exists"):
        return False
    return toleration.operator == "Exists" or toleration.value == taint.value


def toleration_of(flow: Flow, taint: Taint) -> str | None:
    """What tolerates `taint` for `flow`, in words (None when nothing does)."""
    if taint.key == DEDICATED:
        return f"its space `{flow.space}`" if taint.value == flow.space else None
    if taint.key == CORDONED:
        return None  # the keep list is checked by the caller, which knows the cluster
    for toleration in flow.placement.tolerations:
        if tolerates(toleration, taint):
            return f"toleration `{toleration}`"
    return None


def verdicts(flow: Flow, cluster: Cluster) -> list[tuple[Taint, str | None]]:
    """Each effective taint of the cluster and what tolerates it for the flow (None: refused)."""
    out = []
    for taint in effective_taints(cluster):
        if taint.key == CORDONED:
            kept = cluster.cordon_keep is not None and flow.name in cluster.cordon_keep
            out.append((taint, "spec.cordon.keep (it was placed here when the cluster was cordoned)" if kept else None))
        else:
            out.append((taint, toleration_of(flow, taint)))
    return out


def untolerated(flow: Flow, cluster: Cluster) -> list[Taint]:
    """The taints that keep `flow` off `cluster` (empty when it tolerates them all)."""
    return [taint for taint, by in verdicts(flow, cluster) if by is None]


def hint(taint: Taint) -> str:
    """How a flow would tolerate a user taint, as a YAML flow mapping."""
    if taint.value:
        return f"{{key: {taint.key}, operator: Equal, value: \"{taint.value}\", effect: {taint.effect}}}"
    return f"{{key: {taint.key}, operator: Exists, effect: {taint.effect}}}"
