"""`flow add`: a new flows/NAME.yaml from flags, with params parsed as YAML scalars (safely)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hubctl.base.errors import UsageError
from hubctl.usecases.ops.plan import Plan, open_fleet, plan_edit
from hubctl.usecases.ops.specfiles import new_spec_path, new_spec_text

_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def scalar(raw: str, declared: str | None = None):
    """`raw` as the YAML 1.2 scalar it spells: 3 -> int, true -> bool, null -> None.

    Anything that would not read back as the same text stays a string ("1.10", "0755", "1e3", "yes"),
    and so does everything the blueprint's schema declares a string.
    """
    if declared == "string":
        return raw
    if raw == "null":
        return None
    if raw in ("true", "false"):
        return raw == "true"
    if _NUMBER.match(raw):
        value = float(raw) if "." in raw else int(raw)
        if str(value) == raw:
            return value
    return raw


def declared_type(schema: Mapping, path: list[str]) -> str | None:
    """The JSON Schema `type` the blueprint declares at `path` (None when it does not say)."""
    node = schema
    for key in path:
        node = (node.get("properties") or {}).get(key) if isinstance(node, Mapping) else None
        if node is None:
            return None
    kind = node.get("type") if isinstance(node, Mapping) else None
    return kind if isinstance(kind, str) else None


def parse_params(items: list[str], schema: Mapping | None = None) -> dict:
    """`KEY=VALUE` arguments (dotted keys nest: ingress.host=shop.example.com) as a params mapping.

    Raises:
        UsageError: when an argument has no `=`, or a key is both a value and a parent.
    """
    params: dict = {}
    for item in items:
        key, sep, raw = item.partition("=")
        path = key.split(".")
        if not sep or not all(path):
            raise UsageError(f"`{item}` is not a param", hint="use KEY=VALUE, e.g. --param replicas=3")
        node = params
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise UsageError(f"param `{key}`: `{part}` is already set to a value")
        node[path[-1]] = scalar(raw, declared_type(schema or {}, path))
    return params


def selector_labels(items: list[str]) -> dict[str, str]:
    """`--selector k=v` arguments as matchLabels.

    Raises:
        UsageError: when an argument is not KEY=VALUE.
    """
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"`{item}` is not a label match", hint="use KEY=VALUE, e.g. --selector env=prod")
        out[key] = value
    return out


def flow_add(directory: Path, name: str, *, space: str, blueprint: str | None = None, params: list[str] = (),
             selector: list[str] = (), regions: list[str] = (), spread: int | None = None,
             across: str | None = None, namespace: str | None = None, repo: str | None = None,
             helm_chart: str | None = None, path: str | None = None, revision: str | None = None) -> Plan:
    """Plan a new flows/NAME.yaml in SPACE running BLUEPRINT, a Helm chart (REPO + HELM_CHART at REVISION, the
    chart version) or the manifests at PATH of the Git repository REPO (at REVISION, default HEAD).

    Raises:
        UsageError: bad flags, or a flow of that name already exists.
        SpecError: when the fleet with the new flow would not validate (unknown space, bad params, a source
            repository the space does not allow...).
    """
    ws = open_fleet(directory)
    rel = new_spec_path(ws, "Flow", name)
    fleet = ws.loaded.fleet
    spec: dict = {"space": space}
    if namespace:
        spec["namespace"] = namespace
    source = flow_source(blueprint, repo, helm_chart, path, revision)
    if source is None:
        schema = fleet.blueprints[blueprint].schema if fleet and blueprint in fleet.blueprints else None
        spec["blueprint"] = blueprint
        values = parse_params(list(params), schema)
        if values:
            spec["params"] = values
    else:
        spec["source"] = source
        if params and "git" in source:
            raise UsageError("--param sets blueprint params or Helm values; a Git path has none",
                             hint="drop -p, or put the values in the manifests at --path")
        if params:
            source["helm"]["values"] = parse_params(list(params))
    placement: dict = {}
    if selector:
        placement["selector"] = {"matchLabels": selector_labels(list(selector))}
    if regions:
        placement["regions"] = list(regions)
    if spread is not None:
        placement["spread"] = {"clusters": spread, **({"across": across} if across else {})}
    elif across:
        raise UsageError("--across needs --spread N")
    spec["placement"] = placement
    text = new_spec_text(ws, "Flow", {"metadata": {"name": name}, "spec": spec})
    return plan_edit(ws, f"flow add {name}", {rel: text})


def flow_source(blueprint: str | None, repo: str | None, helm_chart: str | None, path: str | None,
                revision: str | None) -> dict | None:
    """spec.source for the flags given (None for a blueprint flow), argocd-CLI style: --repo with either
    --helm-chart (and --revision, the chart version) or --path (and --revision, default HEAD).

    Raises:
        UsageError: a contradictory or incomplete combination.
    """
    kinds = "--blueprint NAME, --repo URL --helm-chart CHART --revision VERSION, or --repo URL --path PATH"
    if blueprint:
        if repo or helm_chart or path or revision:
            raise UsageError("--blueprint cannot be combined with --repo, --helm-chart, --path or --revision",
                             hint=f"a flow renders one of: {kinds}")
        return None
    if not repo:
        raise UsageError("--helm-chart, --path and --revision need --repo URL" if helm_chart or path or revision
                         else "a flow needs a blueprint or a source", hint=f"pass {kinds}")
    if bool(helm_chart) == bool(path):
        raise UsageError("--repo needs exactly one of --helm-chart CHART (a Helm repository) or --path PATH "
                         "(a Git repository)", hint=f"pass {kinds}")
    if helm_chart:
        if not revision:
            raise UsageError(f"Helm chart `{helm_chart}` needs a chart version", hint="pass --revision VERSION")
        return {"helm": {"repoURL": repo, "chart": helm_chart, "version": revision}}
    return {"git": {"repoURL": repo, "path": path, "targetRevision": revision or "HEAD"}}


def flow_remove(directory: Path, name: str) -> Plan:
    """Plan removing flow NAME: its spec, and its name from the cordons that keep it.

    Raises:
        UsageError: an unknown flow.
        SpecError: when the specs (before or after) do not validate.
    """
    from hubctl.usecases.ops.specfiles import SpecEdits

    ws = open_fleet(directory)
    fleet = ws.fleet
    edits = SpecEdits(ws)
    edits.remove("Flow", name)
    uncordoned = []
    for cluster_name, cluster in sorted(fleet.clusters.items()):
        if cluster.cordon_keep and name in cluster.cordon_keep:
            keep = edits.open("Cluster", cluster_name)["spec"]["cordon"]["keep"]
            del keep[list(keep).index(name)]
            uncordoned.append(cluster_name)
    notes = [f"{c} no longer keeps {name} in its cordon" for c in uncordoned]
    return plan_edit(ws, f"flow remove {name}", edits.texts(), notes=notes,
                     details={"flow": name, "space": fleet.flows[name].space, "cordons": uncordoned})


def flow_list(directory: Path) -> list[dict]:
    """Every flow with its space, what it renders, and where it is placed.

    Raises:
        SpecError: when the specs do not validate.
    """
    from hubctl.usecases.render.placement import compute_placements

    fleet = open_fleet(directory).fleet
    placed: dict[str, list[str]] = {}
    for p in compute_placements(fleet):
        placed.setdefault(p.flow, []).append(p.cluster)
    rows = []
    for name, flow in sorted(fleet.flows.items(), key=lambda kv: (kv[1].space, kv[0])):
        rows.append({"name": name, "space": flow.space, "source": source_words(flow),
                     "clusters": sorted(placed.get(name, [])), "file": flow.origin.file})
    return rows


def source_words(flow) -> str:
    """What a flow renders, in one short string: `blueprint:NAME`, `helm:CHART@VERSION`, `git:URL//PATH@REV`."""
    if flow.blueprint:
        return f"blueprint:{flow.blueprint}"
    kind, source = next(iter(flow.source.items()))
    if kind == "helm":
        return f"helm:{source['chart']}@{source['version']}"
    return f"git:{source['repoURL']}//{source['path']}@{source['targetRevision']}"
