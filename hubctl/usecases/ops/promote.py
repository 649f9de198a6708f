"""`flow promote`: move a flow's version pin from one environment's override layer to the next.

A pin is a param whose key names a version (image, tag, version, ...) under overrides.env.<env>, or
in the flow's base params (spec.params, or spec.source.helm.values for a Helm chart). An external
flow's source version is a pin too, named `source.helm.version` (the chart version) or
`source.git.targetRevision`; its layer is source.helm.versionOverrides.env.<env> (or
source.git.targetRevisionOverrides.env.<env>) and its base is spec.source's own value. Promoting
FROM -> TO makes TO's effective value equal FROM's: TO's override is set to it, or dropped (with the
layers it leaves empty) when the base already holds that value.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hubctl.base.errors import UsageError
from hubctl.base.nested import MISSING, dig
from hubctl.spec.model import SOURCE_VERSION_FIELDS
from hubctl.usecases.ops.plan import Plan, open_fleet, plan_edit
from hubctl.usecases.ops.specfiles import child, drop_path, open_spec

PIN_KEYS = frozenset({"image", "tag", "imageTag", "version", "chartVersion", "appVersion", "targetRevision",
                      "revision"})
VERSION_PINS = {f"source.{kind}.{fields[0]}": kind for kind, fields in SOURCE_VERSION_FIELDS.items()}
_SOURCE_WORDS = {"helm": "a Helm chart", "git": "a git repository"}


def pins(mapping, prefix: tuple = ()) -> dict[tuple, object]:
    """Every version-pin leaf under `mapping`: key path -> value."""
    out: dict[tuple, object] = {}
    for key, value in (mapping or {}).items():
        if isinstance(value, Mapping):
            out.update(pins(value, (*prefix, key)))
        elif key in PIN_KEYS and not isinstance(value, (list, tuple)):
            out[(*prefix, key)] = value
    return out


def flow_promote(directory: Path, name: str, source_env: str, target_env: str, keys: list[str] = ()) -> Plan:
    """Plan promoting flow NAME's version pin(s) from SOURCE_ENV to TARGET_ENV.

    Raises:
        UsageError: unknown flow or environment, a --key naming another kind of source version, or no pin
            to promote.
        SpecError: when the specs (before or after) do not validate.
    """
    ws = open_fleet(directory)
    fleet = ws.fleet
    flow = fleet.flows.get(name)
    if flow is None:
        open_spec(ws, "Flow", name)  # raises the "did you mean" error
    _check_envs(fleet, source_env, target_env)
    version = _promoted_version(flow, keys, source_env, target_env)
    layers = flow.overrides.get("env", {})
    wanted = {tuple(k.split(".")) for k in keys if k not in VERSION_PINS}
    found = set(pins(layers.get(source_env))) | set(pins(layers.get(target_env)))
    paths = sorted(wanted if keys else found)
    if not paths and not version:
        raise UsageError(_no_pin_message(flow, source_env, target_env), hint=_no_pin_hint(flow, source_env))
    yaml_file, doc = open_spec(ws, "Flow", name)
    changes = [_promote_param(yaml_file, doc, flow, source_env, target_env, path) for path in paths]
    if version:
        changes.append(_promote_version(yaml_file, doc, flow, source_env, target_env))
    plan = plan_edit(ws, f"flow promote {name} {source_env}->{target_env}", {yaml_file.rel: yaml_file.result()})
    plan.details = {"flow": name, "from": source_env, "to": target_env, "pins": changes,
                    "clusters": cluster_changes(fleet, plan.fleet_after, name, paths, version)}
    if not plan.files:
        plan.notes.append(f"{target_env} already runs what {source_env} runs")
    return plan


def _check_envs(fleet, *envs: str) -> None:
    known = {c.environment for c in fleet.clusters.values()}
    for env in envs:
        if env not in known:
            from hubctl.usecases.selection import did_you_mean

            raise UsageError(f"no cluster has environment `{env}`",
                             hint=did_you_mean(env, known, f"known: {', '.join(sorted(known))}"))
    if envs[0] == envs[1]:
        raise UsageError("--from and --to are the same environment")


def _promoted_version(flow, keys, *envs: str) -> str | None:
    """The source version pin to promote: named by --key, or (without --key) overridden for either env.

    Raises:
        UsageError: when --key names a source version the flow does not have.
    """
    from hubctl.usecases.render.params import version_key

    own = version_key(flow)
    for key in keys:
        if key in VERSION_PINS and key != own:
            what = (f"its source is {_SOURCE_WORDS[flow.source_kind]}" if own
                    else f"it renders blueprint `{flow.blueprint}`")
            raise UsageError(f"flow `{flow.name}` has no `{key}`: {what}",
                             hint=f"its version pin is `{own}`" if own else "name a param with --key (e.g. image)")
    if keys:
        return own if own in keys else None
    env_layer = flow.version_overrides.get("env", {})
    return own if any(env in env_layer for env in envs) else None


def _no_pin_message(flow, source_env: str, target_env: str) -> str:
    message = f"flow `{flow.name}` has no version pin in overrides.env.{source_env} or overrides.env.{target_env}"
    kind = flow.source_kind
    return f"{message}, nor in source.{kind}.{SOURCE_VERSION_FIELDS[kind][1]}.env" if kind else message


def _no_pin_hint(flow, env: str) -> str:
    from hubctl.usecases.render.params import base_version, version_key

    kind = flow.source_kind
    if kind is None:
        return f"set the new version under overrides.env.{env} (e.g. image) first, then promote it"
    what = "chart version" if kind == "helm" else "targetRevision"
    return (f"set source.{kind}.{SOURCE_VERSION_FIELDS[kind][1]}.env.{env} to the new {what} first, then "
            f"promote it (spec.{version_key(flow)} is {base_version(flow)})")


def _promote_param(yaml_file, doc, flow, source_env: str, target_env: str, path: tuple) -> dict:
    """Make TARGET_ENV's override of the param at `path` equal SOURCE_ENV's value (or drop it to the base)."""
    base = flow.params if flow.blueprint else ((flow.source or {}).get("helm") or {}).get("values", {})
    value = dig(flow.overrides.get("env", {}).get(source_env, {}), path)
    value = dig(base, path) if value is MISSING else value
    if value is MISSING:
        raise UsageError(f"`{'.'.join(path)}` is not set for {source_env}", hint="check --key")
    _set_or_drop(yaml_file, doc["spec"], ("overrides", "env", target_env, *path), value,
                 drop=dig(base, path) == value)
    return {"key": ".".join(path), "value": value}


def _promote_version(yaml_file, doc, flow, source_env: str, target_env: str) -> dict:
    """Make TARGET_ENV's source version override equal SOURCE_ENV's version (or drop it to the base)."""
    from hubctl.usecases.render.params import base_version, version_key

    kind = flow.source_kind
    base = base_version(flow)
    value = flow.version_overrides.get("env", {}).get(source_env, base)
    _set_or_drop(yaml_file, doc["spec"], ("source", kind, SOURCE_VERSION_FIELDS[kind][1], "env", target_env), value,
                 drop=value == base)
    return {"key": version_key(flow), "value": value}


def _set_or_drop(yaml_file, spec, keys: tuple, value, drop: bool) -> None:
    """Set spec.<keys> = value (creating the mappings on the way), or with `drop` remove it together with
    the mappings that removal leaves empty."""
    if not drop:
        node, flow = spec, False
        for key in keys[:-1]:
            node = child(node, key)
            flow = flow or bool(node.fa.flow_style())
        node[keys[-1]] = yaml_file.string(value, flow=flow) if isinstance(value, str) else value
        return
    drop_path(spec, keys)


def cluster_changes(before, after, name: str, paths: list[tuple], version: str | None = None) -> list[dict]:
    """Per placed cluster of flow NAME: the pin values before and after (only where they differ).

    `paths` are param pins; `version` (the flow's `version_key`), when given, adds the source version.
    """
    from hubctl.usecases.render.params import base_params
    from hubctl.usecases.render.placement import placements_for

    rows = []
    old_flow, new_flow = before.flows[name], after.flows[name]
    old_base, new_base = base_params(before, old_flow), base_params(after, new_flow)
    for p in placements_for(after, new_flow):
        old = _pin_values(old_base, old_flow, before.clusters[p.cluster], paths, version)
        new = _pin_values(new_base, new_flow, after.clusters[p.cluster], paths, version)
        for key, now in new.items():
            was = old[key]
            if was != now:
                rows.append({"cluster": p.cluster, "env": p.env, "key": key,
                             "from": None if was is MISSING else was, "to": None if now is MISSING else now})
    return rows


def _pin_values(base: dict, flow, cluster, paths: list[tuple], version: str | None) -> dict[str, object]:
    """The value of each pin on `cluster`, by pin name (params at `paths`, then the source version)."""
    from hubctl.usecases.render.params import cluster_params, source_version

    params = cluster_params(base, flow, cluster)
    values = {".".join(path): dig(params, path) for path in paths}
    if version:
        values[version] = source_version(flow, cluster)
    return values
