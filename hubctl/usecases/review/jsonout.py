"""`hubctl diff -o json`: the stable, documented shape of a review (docs/review.md). Version 1."""

from __future__ import annotations

from hubctl.usecases.review.core import Review
from hubctl.usecases.review.placements import ClusterChange

VERSION = 1


def _side(side) -> dict:
    return {"ref": side.ref, "commit": side.commit, "fleet": side.fleet is not None,
            "applications": len(side.render.placements), "files": len(side.render.files)}


def _cluster(change: ClusterChange) -> dict:
    return {"cluster": change.cluster, "env": change.env, "region": change.region, "reason": change.reason,
            "causes": list(change.causes)}


def review_json(review: Review, *, stat: bool = False) -> dict:
    """The review as plain data; with `stat`, diff texts are left out (counts stay)."""
    added, removed = review.applications
    risk, prune = review.risk, review.prune
    return {
        "version": VERSION,
        "base": _side(review.base),
        "head": _side(review.head),
        "changed": review.changed,
        "unrendered": review.unrendered,
        "summary": {
            "production_clusters": risk.production_clusters,
            "clusters": len(risk.clusters),
            "spaces": risk.spaces,
            "applications_added": added,
            "applications_removed": removed,
            "flows_moved": sum(1 for d in review.placements if d.change == "moved"),
            "deletions": len(prune.deletions),
            "permissions_widened": len(risk.widened),
        },
        "permissions_widened": [{"what": w.what, "target": w.target, "items": list(w.items),
                                 "clusters": list(w.clusters)} for w in risk.widened],
        "placements": [{"space": d.space, "flow": d.flow, "change": d.change,
                        "added": [_cluster(c) for c in d.added], "removed": [_cluster(c) for c in d.removed]}
                       for d in review.placements],
        "versions": [{"space": c.space, "flow": c.flow, "key": c.key, "from": c.old, "to": c.new,
                      "clusters": list(c.clusters)} for c in review.versions],
        "hub": [{"kind": c.kind, "name": c.name, "change": c.change, "path": c.path, "lines_added": c.added,
                 "lines_removed": c.removed, **({} if stat else {"diff": c.diff})} for c in review.hub],
        "manifests": [{"kind": g.kind, "change": g.change, "spaces": g.spaces, "flows": g.flows,
                       "clusters": g.clusters, "files": [f.path for f in g.files], "lines_added": g.added,
                       "lines_removed": g.removed, **({} if stat else {"diff": g.diff})} for g in review.groups],
        "prune": {
            "blocked": prune.blocked,
            "allowed": prune.allowed,
            "environments": [{"env": env, "deletions": n, "limit": prune.limits[env], "over": env in prune.over}
                             for env, n in prune.counts.items()],
            "deletions": [{"kind": d.kind, "name": d.name, "cluster": d.cluster, "env": d.env}
                          for d in prune.deletions],
            **({"raised": prune.raised} if prune.raised else {}),  # maxDeletions the change raises
        },
    }
