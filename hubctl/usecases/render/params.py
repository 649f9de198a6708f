"""Params layering: blueprint defaults -> hub defaults -> space -> flow -> overrides (env, region,
provider, cluster). Maps merge deeply; lists and scalars replace. An external flow's source version
(chart version, git targetRevision) layers the same way, by its own version overrides."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter

from hubctl.spec.build import thaw
from hubctl.spec.model import SOURCE_VERSION_FIELDS, Cluster, Fleet, Flow

OVERRIDE_LAYERS = ("env", "region", "provider", "cluster")


def deep_merge(base: dict, over: Mapping) -> dict:
    """A new dict: `over` on top of `base`; nested mappings merge, everything else replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = thaw(value)
    return out


_LAYER_ATTRIBUTE = {"env": "environment", "region": "region", "provider": "provider", "cluster": "name"}


def layer_key(cluster: Cluster, layer: str) -> str:
    return getattr(cluster, _LAYER_ATTRIBUTE[layer])


def override_layers(flow: Flow, cluster: Cluster) -> list[Mapping]:
    """The override mappings that apply to `cluster`, in the order they are applied."""
    layers = []
    for layer in OVERRIDE_LAYERS:
        entry = flow.overrides.get(layer, {}).get(layer_key(cluster, layer))
        if entry:
            layers.append(entry)
    return layers


def override_key(flow: Flow, cluster: Cluster) -> tuple:
    """Which override entries apply to `cluster`: clusters with equal keys get equal params."""
    if not flow.overrides:
        return ()
    key = []
    for layer in OVERRIDE_LAYERS:
        entries = flow.overrides.get(layer)
        if entries:
            value = layer_key(cluster, layer)
            if value in entries:
                key.append((layer, value))
    return tuple(key)


def override_keyer(flow: Flow) -> Callable[[Cluster], tuple]:
    """`override_key(flow, cluster)` as a function of the cluster, computed once per set of the facts it
    reads: environment, region, provider, and the name only when the flow overrides by cluster name."""
    if not flow.overrides:
        return lambda cluster: ()
    named = flow.overrides.get("cluster") or {}
    keys: dict[tuple, tuple] = {}

    def key(cluster: Cluster) -> tuple:
        facts = (cluster.environment, cluster.region, cluster.provider, cluster.name if cluster.name in named else None)
        found = keys.get(facts)
        if found is None:
            found = keys[facts] = override_key(flow, cluster)
        return found
    return key


_ENVIRONMENT, _REGION, _PROVIDER = attrgetter("environment"), attrgetter("region"), attrgetter("provider")


def override_keys(fleet: Fleet, flow: Flow, names: list[str]) -> tuple[list[tuple], list[int]]:
    """`override_key(flow, cluster)` of each of the clusters `names`, as the distinct keys (in the order they
    first appear) and, for each name, the index of its key. Made once per flow and list of names (validation
    and render ask for the same), with one call of override_key per distinct set of the facts it reads:
    environment, region, provider, and the name only when the flow overrides by cluster name."""
    cache_key = ("override_keys", flow.name)
    cached = fleet.cache.get(cache_key)
    if cached is not None and cached[0] == names:
        return cached[1]
    if not flow.overrides:
        made: tuple[list[tuple], list[int]] = ([()], [0] * len(names)) if names else ([], [])
    else:
        clusters = list(map(fleet.clusters.__getitem__, names))
        named = flow.overrides.get("cluster") or {}
        by_name = [n if n in named else None for n in names] if named else [None] * len(names)
        facts = list(zip(map(_ENVIRONMENT, clusters), map(_REGION, clusters), map(_PROVIDER, clusters), by_name,
                         strict=True))
        first = dict(zip(reversed(facts), reversed(clusters), strict=True))  # the last write: each one's first
        distinct: dict[tuple, int] = {}
        index = {fact: distinct.setdefault(override_key(flow, first[fact]), len(distinct))
                 for fact in dict.fromkeys(facts)}
        made = (list(distinct), list(map(index.__getitem__, facts)))
    fleet.cache[cache_key] = (list(names), made)
    return made


def _declared(params: Mapping, schema: Mapping) -> dict:
    """Hub and space params are offered to every blueprint: keep the ones its schema declares."""
    declared = schema.get("properties")
    if declared is None or schema.get("additionalProperties", True) is not False:
        return thaw(params)
    return {k: thaw(v) for k, v in params.items() if k in declared}


def base_params(fleet: Fleet, flow: Flow) -> dict:
    """The params of `flow` before cluster-specific overrides."""
    if flow.blueprint is None:
        return thaw(flow.source.get("helm", {}).get("values", {})) if flow.source else {}
    blueprint = fleet.blueprints[flow.blueprint]
    params = thaw(blueprint.defaults)
    params = deep_merge(params, _declared(fleet.hub.default_params, blueprint.schema))
    space = fleet.spaces.get(flow.space)
    if space is not None:
        params = deep_merge(params, _declared(space.params, blueprint.schema))
    return deep_merge(params, flow.params)


def cluster_params(base: dict, flow: Flow, cluster: Cluster) -> dict:
    """`base` with the overrides that apply to `cluster` layered on top."""
    params = base
    for layer in override_layers(flow, cluster):
        params = deep_merge(params, layer)
    return params


def version_key(flow: Flow) -> str | None:
    """The name of an external flow's source version, its spec path: `source.helm.version` or
    `source.git.targetRevision` (as `flow promote` and `hubctl diff` show it). None for blueprint flows."""
    kind = flow.source_kind
    return f"source.{kind}.{SOURCE_VERSION_FIELDS[kind][0]}" if kind else None


def base_version(flow: Flow) -> str | None:
    """The chart version (helm) or targetRevision (git) in `flow`'s spec.source; None for blueprint flows."""
    kind = flow.source_kind
    return flow.source[kind][SOURCE_VERSION_FIELDS[kind][0]] if kind else None


def source_version(flow: Flow, cluster: Cluster) -> str | None:
    """The chart version or targetRevision `flow` runs on `cluster`: the base, then its version overrides
    by env, region, provider and cluster (later wins). None for blueprint flows."""
    version = base_version(flow)
    for layer in OVERRIDE_LAYERS:
        version = flow.version_overrides.get(layer, {}).get(layer_key(cluster, layer), version)
    return version
