"""The labels hubctl puts on what it renders."""

from __future__ import annotations

from hubctl.base import constants as c


def managed_labels(*, space: str | None = None, flow: str | None = None, cluster: str | None = None) -> dict:
    labels = {c.LABEL_MANAGED_BY: c.MANAGED_BY}
    if space:
        labels[c.LABEL_SPACE] = space
    if flow:
        labels[c.LABEL_FLOW] = flow
    if cluster:
        labels[c.LABEL_CLUSTER] = cluster
    return labels
