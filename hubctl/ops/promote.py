"""`flow promote`: move a flow's version pin from one environment's override layer to the next.

A pin is a param whose key names a version (image, tag, version, ...) under overrides.env.<env>, or
in the flow's base params (spec.params, or spec.source.helm.values for a Helm chart). Promoting
FROM -> TO makes TO's effective value equal FROM's: TO's override is set to it, or dropped when the
base already holds that value. The chart version and git targetRevision of an external source are
one value for every environment, so they cannot be promoted between environments.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hubctl.errors import UsageError
from hubctl.ops.plan import Plan, open_fleet, plan_edit
from hubctl.ops.specfiles import child, open_spec

PIN_KEYS = frozenset({"image", "tag", "imageTag", "version", "chartVersion", "appVersion", "targetRevision",
                      "revision"})
_MISSING = object()


def pins(mapping, prefix: tuple = ()) -> dict[tuple, object]:
    """Every version-pin leaf under `mapping`: key path -> value."""
    out: dict[tuple, object] = {}
    for key, value in (mapping or {}).items():
        if isinstance(value, Mapping):
            out.update(pins(value, (*prefix, key)))
        elif key in PIN_KEYS and not isinstance(value, (list, tuple)):
            out[(*prefix, key)] = value
    return out


def lookup(mapping, path: tuple):
    node = mapping
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return _MISSING
        node = node[key]
    return node


def flow_promote(directory: Path, name: str, source_env: str, target_env: str, keys: list[str] = ()) -> Plan:
    """Plan promoting flow NAME's version pin(s) from SOURCE_ENV to TARGET_ENV.

    Raises:
        UsageError: unknown flow or environment, or no pin to promote.
        SpecError: when the specs (before or after) do not validate.
    """
    ws = open_fleet(directory)
    fleet = ws.fleet
    flow = fleet.flows.get(name)
    if flow is None:
        open_spec(ws, "Flow", name)  # raises the "did you mean" error
    _check_envs(fleet, source_env, target_env)
    layers = flow.overrides.get("env", {})
    base = flow.params if flow.blueprint else ((flow.source or {}).get("helm") or {}).get("values", {})
    wanted = {tuple(k.split(".")) for k in keys}
    found = set(pins(layers.get(source_env))) | set(pins(layers.get(target_env)))
    paths = sorted(wanted or found)
    if not paths:
        raise UsageError(f"flow `{name}` has no version pin in overrides.env.{source_env} or "
                         f"overrides.env.{target_env}", hint=_no_pin_hint(flow, source_env))
    yaml_file, doc = open_spec(ws, "Flow", name)
    changes = []
    for path in paths:
        value = lookup(layers.get(source_env, {}), path)
        value = lookup(base, path) if value is _MISSING else value
        if value is _MISSING:
            raise UsageError(f"`{'.'.join(path)}` is not set for {source_env}", hint="check --key")
        _set_layer(yaml_file, doc, target_env, path, value, same_as_base=lookup(base, path) == value)
        changes.append({"key": ".".join(path), "value": value})
    plan = plan_edit(ws, f"flow promote {name} {source_env}->{target_env}", {yaml_file.rel: yaml_file.result()})
    plan.details = {"flow": name, "from": source_env, "to": target_env, "pins": changes,
                    "clusters": cluster_changes(fleet, plan.fleet_after, name, paths)}
    if not plan.files:
        plan.notes.append(f"{target_env} already runs what {source_env} runs")
    return plan


def _check_envs(fleet, *envs: str) -> None:
    known = {c.environment for c in fleet.clusters.values()}
    for env in envs:
        if env not in known:
            raise UsageError(f"no cluster has environment `{env}`", hint=f"known: {', '.join(sorted(known))}")
    if envs[0] == envs[1]:
        raise UsageError("--from and --to are the same environment")


def _no_pin_hint(flow, env: str) -> str:
    source = flow.source or {}
    if "helm" in source:
        return (f"its chart version ({source['helm']['version']}) is one value for every environment; "
                f"pin an image tag per environment under overrides.env.{env} to promote it")
    if "git" in source:
        return "its targetRevision is one value for every environment; per-environment revisions need overrides"
    return f"set the new version under overrides.env.{env} (e.g. image) first, then promote it"


def _set_layer(yaml_file, doc, env: str, path: tuple, value, same_as_base: bool) -> None:
    """Set overrides.env.<env>.<path> = value, or drop it (and emptied parents) when the base has it."""
    spec = doc["spec"]
    if same_as_base:
        chain = [spec, spec.get("overrides"), (spec.get("overrides") or {}).get("env")]
        chain.append((chain[-1] or {}).get(env))
        keys = ["overrides", "env", env]
        for key in path[:-1]:
            chain.append((chain[-1] or {}).get(key) if isinstance(chain[-1], Mapping) else None)
            keys.append(key)
        if not isinstance(chain[-1], Mapping) or path[-1] not in chain[-1]:
            return
        del chain[-1][path[-1]]
        for parent, key, node in zip(reversed(chain[:-1]), reversed(keys), reversed(chain[1:]), strict=True):
            if node:
                break
            del parent[key]
        return
    node = child(child(child(spec, "overrides"), "env"), env)
    for key in path[:-1]:
        node = child(node, key)
    node[path[-1]] = yaml_file.string(value) if isinstance(value, str) else value


def cluster_changes(before, after, name: str, paths: list[tuple]) -> list[dict]:
    """Per placed cluster of flow NAME: the pin values before and after (only where they differ)."""
    from hubctl.render.params import base_params, cluster_params
    from hubctl.render.placement import placements_for

    rows = []
    old_flow, new_flow = before.flows[name], after.flows[name]
    old_base, new_base = base_params(before, old_flow), base_params(after, new_flow)
    for p in placements_for(after, new_flow):
        old = cluster_params(old_base, old_flow, before.clusters[p.cluster])
        new = cluster_params(new_base, new_flow, after.clusters[p.cluster])
        for path in paths:
            was, now = lookup(old, path), lookup(new, path)
            if was != now:
                rows.append({"cluster": p.cluster, "env": p.env, "key": ".".join(path),
                             "from": None if was is _MISSING else was, "to": None if now is _MISSING else now})
    return rows
