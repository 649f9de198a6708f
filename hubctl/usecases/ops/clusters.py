"""Cluster edits: add, label, list, cordon, uncordon. (Drain lives in ops/drain.py.)"""

from __future__ import annotations

from pathlib import Path

from hubctl.base.constants import CLUSTER_LABEL_ENV, CLUSTER_LABEL_PROVIDER, CLUSTER_LABEL_REGION
from hubctl.base.errors import UsageError
from hubctl.usecases.ops.credentials import parse_credentials
from hubctl.usecases.ops.plan import Plan, open_fleet, plan_edit
from hubctl.usecases.ops.specfiles import child, new_spec_path, new_spec_text, open_spec

# Labels derived from spec fields: `--label env=prod` sets spec.environment, and so on.
SPEC_LABELS = {CLUSTER_LABEL_ENV: "environment", CLUSTER_LABEL_REGION: "region", CLUSTER_LABEL_PROVIDER: "provider"}


def parse_label_changes(items: list[str]) -> tuple[dict[str, str], list[str]]:
    """`k=v` (set) and `k-` (remove) arguments, kubectl style.

    Raises:
        UsageError: for anything else, or a key both set and removed.
    """
    sets: dict[str, str] = {}
    removes: list[str] = []
    for item in items:
        if "=" in item:
            key, _, value = item.partition("=")
            if key:
                sets[key] = value
                continue
        elif item.endswith("-") and len(item) > 1:
            removes.append(item[:-1])
            continue
        raise UsageError(f"`{item}` is not a label change", hint="use KEY=VALUE to set a label and KEY- to remove it")
    both = sorted(set(sets) & set(removes))
    if both:
        raise UsageError(f"label `{both[0]}` is both set and removed")
    return sets, removes


def cluster_add(directory: Path, name: str, *, server: str, labels: list[str], credentials: str | None,
                provider: str | None = None, environment: str | None = None, region: str | None = None) -> Plan:
    """Plan a new clusters/NAME.yaml.

    Raises:
        UsageError: bad flags, a missing environment/region/credentials, or a name already taken.
        SpecError: when the fleet with the new cluster would not validate.
    """
    ws = open_fleet(directory)
    sets, removes = parse_label_changes(labels)
    if removes:
        raise UsageError("`cluster add` only sets labels", hint="drop the KEY- arguments")
    fields = {"environment": environment, "region": region, "provider": provider}
    for key, field_name in SPEC_LABELS.items():
        if key in sets:
            value = sets.pop(key)
            if fields[field_name] not in (None, value):
                raise UsageError(f"--label {key}={value} contradicts --{field_name} {fields[field_name]}")
            fields[field_name] = value
    for field_name in ("environment", "region"):
        if not fields[field_name]:
            raise UsageError(f"cluster `{name}` needs an {field_name}" if field_name == "environment"
                             else f"cluster `{name}` needs a region", hint=f"pass --{field_name}")
    if not credentials:
        raise UsageError(f"cluster `{name}` needs credentials", hint="pass --credentials REF (see --help)")
    rel = new_spec_path(ws, "Cluster", name)
    metadata: dict = {"name": name}
    if sets:
        metadata["labels"] = sets
    spec = {"server": server, "provider": fields["provider"] or "other", "environment": fields["environment"],
            "region": fields["region"], "credentials": parse_credentials(credentials)}
    text = new_spec_text(ws, "Cluster", {"metadata": metadata, "spec": spec})
    return plan_edit(ws, f"cluster add {name}", {rel: text})


def cluster_label(directory: Path, name: str, changes: list[str]) -> Plan:
    """Plan label changes on cluster NAME (env/region/provider edit the spec fields they come from).

    Raises:
        UsageError: bad label arguments, an unknown cluster, or removing a derived label.
        SpecError: when the edited fleet would not validate.
    """
    sets, removes = parse_label_changes(changes)
    if not sets and not removes:
        raise UsageError("no label changes given", hint="e.g. hubctl cluster label prod-eu-1 tier=gold canary-")
    ws = open_fleet(directory)
    yaml_file, doc = open_spec(ws, "Cluster", name)
    meta, spec = doc["metadata"], doc["spec"]
    for key, value in sets.items():
        if key in SPEC_LABELS:
            spec[SPEC_LABELS[key]] = yaml_file.string(value)
        else:
            child(meta, "labels", after=("name",))[key] = yaml_file.string(value)
    for key in removes:
        if key in SPEC_LABELS:
            raise UsageError(f"label `{key}` comes from spec.{SPEC_LABELS[key]} and cannot be removed",
                             hint=f"set another value with {key}=VALUE")
        labels = meta.get("labels") or {}
        if key not in labels:
            raise UsageError(f"cluster `{name}` has no label `{key}`")
        del labels[key]
        if not labels:
            del meta["labels"]
    return plan_edit(ws, f"cluster label {name}", {yaml_file.rel: yaml_file.result()})


def cluster_list(directory: Path) -> list[dict]:
    """Every cluster with its environment, region, provider, labels, cordon state and placement count.

    Raises:
        SpecError: when the specs do not validate.
    """
    from hubctl.usecases.render.placement import compute_placements

    fleet = open_fleet(directory).fleet
    counts: dict[str, int] = {}
    for p in compute_placements(fleet):
        counts[p.cluster] = counts.get(p.cluster, 0) + 1
    rows = []
    for name, c in sorted(fleet.clusters.items()):
        state = "ready" if c.cordon_keep is None else ("cordoned" if c.cordon_keep else "drained")
        labels = {k: v for k, v in c.labels.items() if k not in SPEC_LABELS}
        rows.append({"name": name, "environment": c.environment, "region": c.region, "provider": c.provider,
                     "labels": labels, "state": state, "placements": counts.get(name, 0),
                     "server": c.server, "file": c.origin.file})
    return rows


def open_cluster(directory: Path, name: str):
    """The workspace, and the names of the flows placed on cluster NAME now (sorted).

    Raises:
        UsageError: an unknown cluster.
        SpecError: when the specs do not validate.
    """
    from hubctl.usecases.render.placement import compute_placements

    ws = open_fleet(directory)
    if name not in ws.fleet.clusters:
        open_spec(ws, "Cluster", name)  # raises the "did you mean" error
    return ws, sorted({p.flow for p in compute_placements(ws.fleet) if p.cluster == name})


def cluster_cordon(directory: Path, name: str, reason: str | None = None) -> Plan:
    """Plan a cordon: the flows placed on NAME now are recorded in spec.cordon.keep and stay; no new ones land.

    Raises:
        UsageError: an unknown cluster.
        SpecError: when the specs do not validate.
    """
    ws, placed = open_cluster(directory, name)
    cluster = ws.fleet.clusters[name]
    keep = sorted(cluster.cordon_keep) if cluster.cordon_keep is not None else placed
    notes = [f"{name} was already cordoned"] if cluster.cordon_keep is not None else []
    text = set_cordon(ws, name, keep, reason)
    return plan_edit(ws, f"cluster cordon {name}", {text[0]: text[1]},
                     details={"cluster": name, "keep": keep}, notes=notes)


def cluster_uncordon(directory: Path, name: str) -> Plan:
    """Plan removing the cordon of NAME: it takes new placements again (spread flows may move back).

    Raises:
        UsageError: an unknown cluster.
        SpecError: when the edited fleet would not validate.
    """
    ws = open_fleet(directory)
    yaml_file, doc = open_spec(ws, "Cluster", name)
    notes = [] if "cordon" in doc["spec"] else [f"{name} is not cordoned"]
    doc["spec"].pop("cordon", None)
    return plan_edit(ws, f"cluster uncordon {name}", {yaml_file.rel: yaml_file.result()}, notes=notes)


def set_cordon(ws, name: str, keep: list[str], reason: str | None) -> tuple[str, str]:
    """The (path, text) of cluster NAME's file with spec.cordon set to `keep` (and `reason` when given)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml_file, doc = open_spec(ws, "Cluster", name)
    cordon = doc["spec"].get("cordon")
    if cordon is None:
        cordon = doc["spec"]["cordon"] = CommentedMap()
    if reason:
        cordon["reason"] = yaml_file.string(reason)
    if "keep" not in cordon or list(cordon["keep"]) != keep:
        cordon["keep"] = CommentedSeq(keep)
    return yaml_file.rel, yaml_file.result()


def cluster_remove(directory: Path, name: str) -> Plan:
    """Plan removing cluster NAME: its spec, and the per-cluster overrides flows keep for it.

    Its Applications go with it (spread flows re-place onto other clusters); the delta shows both.

    Raises:
        UsageError: an unknown cluster.
        SpecError: when the fleet without it would not validate (a flow left with no cluster, env or region
            overrides no cluster has any more...).
    """
    from hubctl.spec.model import SOURCE_VERSION_FIELDS
    from hubctl.usecases.ops.specfiles import SpecEdits, drop_path

    ws, placed = open_cluster(directory, name)
    edits = SpecEdits(ws)
    edits.remove("Cluster", name)
    dropped = []
    for flow_name, flow in sorted(ws.fleet.flows.items()):
        paths = [("overrides", "cluster", name)] if name in flow.overrides.get("cluster", {}) else []
        if name in flow.version_overrides.get("cluster", {}):
            kind = flow.source_kind
            paths.append(("source", kind, SOURCE_VERSION_FIELDS[kind][1], "cluster", name))
        for path in paths:
            drop_path(edits.open("Flow", flow_name)["spec"], path)
            dropped.append(f"{flow_name}: spec.{'.'.join(path)}")
    notes = [f"dropped the override {d}" for d in dropped]
    return plan_edit(ws, f"cluster remove {name}", edits.texts(), notes=notes,
                     details={"cluster": name, "flows": placed, "dropped": dropped})
