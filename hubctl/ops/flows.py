"""`flow add`: a new flows/NAME.yaml from flags, with params parsed as YAML scalars (safely)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hubctl.errors import UsageError
from hubctl.ops.plan import Plan, open_fleet, plan_edit
from hubctl.ops.specfiles import new_spec_path, new_spec_text

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


def flow_add(directory: Path, name: str, *, space: str, blueprint: str, params: list[str],
             selector: list[str] = (), regions: list[str] = (), spread: int | None = None,
             across: str | None = None, namespace: str | None = None) -> Plan:
    """Plan a new flows/NAME.yaml running BLUEPRINT in SPACE.

    Raises:
        UsageError: bad flags, or a flow of that name already exists.
        SpecError: when the fleet with the new flow would not validate (unknown space, bad params...).
    """
    ws = open_fleet(directory)
    rel = new_spec_path(ws, "Flow", name)
    fleet = ws.loaded.fleet
    schema = fleet.blueprints[blueprint].schema if fleet and blueprint in fleet.blueprints else None
    spec: dict = {"space": space}
    if namespace:
        spec["namespace"] = namespace
    spec["blueprint"] = blueprint
    values = parse_params(list(params), schema)
    if values:
        spec["params"] = values
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
