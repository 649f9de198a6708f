"""Schema-valid documents -> frozen dataclasses. Assumes the schema already passed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from hubctl.base.constants import (
    CLUSTER_LABEL_ENV,
    CLUSTER_LABEL_PROVIDER,
    CLUSTER_LABEL_REGION,
    DEFAULT_RENDER_DIR,
)
from hubctl.engines.yaml.yamlload import Document
from hubctl.spec.model import (
    SOURCE_VERSION_FIELDS,
    Approval,
    Blueprint,
    Cluster,
    FallbackGroup,
    Flow,
    Hub,
    NetworkPolicySpec,
    Origin,
    Placement,
    PreferredTerm,
    Resilience,
    RolloutWave,
    Space,
    Stage,
    SyncPolicy,
    SyncWindow,
    Taint,
    Toleration,
    TopologySpread,
)
from hubctl.spec.selectors import selector_from


def frozen(value):
    """A read-only view of nested spec data (mappings become MappingProxyType, lists tuples)."""
    if isinstance(value, dict):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


def thaw(value):
    """Plain, mutable copies of frozen spec data (for rendering)."""
    if isinstance(value, (dict, MappingProxyType)):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value


def origin(doc: Document) -> Origin:
    return Origin(doc.file, doc.where(("kind",))[0], doc.index)


def sync_policy(data: dict | None, base: SyncPolicy | None = None) -> SyncPolicy:
    base = base or SyncPolicy()
    if data is None:
        return base
    return SyncPolicy(
        automated=data.get("automated", base.automated),
        prune=data.get("prune", base.prune),
        self_heal=data.get("selfHeal", base.self_heal),
        sync_options=tuple(data.get("syncOptions", base.sync_options)),
        retry_limit=data.get("retryLimit", base.retry_limit),
    )


def build_hub(doc: Document) -> Hub:
    spec = doc.data["spec"]
    argocd, repo, defaults = spec.get("argocd", {}), spec["repo"], spec.get("defaults", {})
    deploy, kube, tenancy = spec.get("deploy", {}), spec.get("kube", {}), spec.get("tenancy", {})
    res = defaults.get("resilience", {})
    base = Resilience()
    render_dir = spec.get("renderDir", DEFAULT_RENDER_DIR)
    return Hub(
        name=doc.data["metadata"]["name"],
        origin=origin(doc),
        argocd_namespace=argocd.get("namespace", "argocd"),
        admin_project=argocd.get("project", "hub-admin"),
        repo_url=repo["url"],
        repo_branch=repo.get("branch", "main"),
        render_dir=render_dir,
        repo_path=repo.get("path", render_dir),
        deploy_repository=deploy.get("repository"),
        deploy_branch=deploy.get("branch"),
        default_params=frozen(defaults.get("params", {})),
        sync_policy=sync_policy(defaults.get("syncPolicy")),
        resilience=Resilience(
            environments=tuple(res.get("environments", base.environments)),
            min_replicas=res.get("minReplicas", base.min_replicas),
            pod_disruption_budget=res.get("podDisruptionBudget", base.pod_disruption_budget),
            topology_spread=res.get("topologySpread", base.topology_spread),
        ),
        max_deletions=frozen(spec.get("maxDeletions", {})),
        kubeconfig=kube.get("kubeconfig"),
        kube_context=kube.get("context"),
        reserved_namespaces=tuple(tenancy.get("reservedNamespaces", ())),
        cluster_scoped_grants=MappingProxyType({
            space: tuple((k["group"], k["kind"]) for k in kinds)
            for space, kinds in sorted(tenancy.get("clusterScopedKinds", {}).items())}),
        shard_replicas=argocd.get("sharding", {}).get("replicas"),
        shard_algorithm=argocd.get("sharding", {}).get("algorithm", "hubctl"),
        render_layout=spec.get("render", {}).get("layout", "files"),
        cluster_profiles=spec.get("render", {}).get("clusterProfiles", False),
        placement_decisions=spec.get("render", {}).get("placementDecisions", False),
        inventory_namespace=spec.get("render", {}).get("inventoryNamespace", "fleet-inventory"),
        claims=selector_from(spec["clusters"].get("selector")) if "selector" in spec.get("clusters", {}) else None,
        claimed_names=tuple(spec.get("clusters", {}).get("names", ())),
        standby_of=spec.get("standby", {}).get("hub"),
        standby_active=spec.get("standby", {}).get("active", False),
        api_server=argocd.get("server"),
    )


# What hubctl.yaml decides for the whole fleet; a Hub in hubs/ takes these from it (spec/hubs.py refuses them there).
FLEET_WIDE = ("renderDir", "defaults", "maxDeletions", "tenancy")


def build_other_hub(doc: Document, main: Hub) -> Hub:
    """A Hub of hubs/*.yaml: its own Argo CD, repository, deploy target, kube context and clusters; the
    fleet-wide settings (FLEET_WIDE) of the main hub. Its repo.path defaults to `<renderDir>/<name>`."""
    own = build_hub(doc)
    return replace(own, render_dir=main.render_dir, default_params=main.default_params,
                   sync_policy=main.sync_policy, resilience=main.resilience, max_deletions=main.max_deletions,
                   reserved_namespaces=main.reserved_namespaces, cluster_scoped_grants=main.cluster_scoped_grants,
                   repo_path=doc.data["spec"]["repo"].get("path", f"{main.render_dir}/{own.name}"))


def build_cluster(doc: Document) -> Cluster:
    meta, spec = doc.data["metadata"], doc.data["spec"]
    labels = dict(meta.get("labels", {}))
    labels.update({CLUSTER_LABEL_ENV: spec["environment"], CLUSTER_LABEL_REGION: spec["region"],
                   CLUSTER_LABEL_PROVIDER: spec["provider"]})
    return Cluster(
        name=meta["name"],
        origin=origin(doc),
        server=spec["server"].rstrip("/"),
        provider=spec["provider"],
        environment=spec["environment"],
        region=spec["region"],
        zones=tuple(spec.get("zones", ())),
        site=spec.get("site"),
        labels=MappingProxyType(dict(sorted(labels.items()))),
        dedicated_to=spec.get("dedicatedTo"),
        credentials=frozen(spec["credentials"]),
        tls=frozen(spec.get("tls", {})),
        cordon_keep=frozenset(spec["cordon"]["keep"]) if "cordon" in spec else None,
        taints=tuple(Taint(t["key"], str(t.get("value", "")), t["effect"]) for t in spec.get("taints", ())),
        capacity_flows=spec.get("capacity", {}).get("flows"),
        capacity_resources=MappingProxyType({k: v for k, v in sorted(spec.get("capacity", {}).items())
                                             if k != "flows"}),  # quantities as written (render/capacity.py)
    )


def build_space(doc: Document) -> Space:
    meta, spec = doc.data["metadata"], doc.data["spec"]
    net = spec.get("network", {})
    return Space(
        name=meta["name"],
        origin=origin(doc),
        namespaces=tuple(spec.get("namespaces") or (meta["name"],)),
        owners=tuple(spec["owners"]),
        viewers=tuple(spec.get("viewers", ())),
        quota=frozen(spec.get("quota", {})),
        limits=frozen(spec.get("limits", {})),
        network=NetworkPolicySpec(
            isolation=net.get("isolation", "default-deny"),
            allow_from_spaces=tuple(net.get("allowFromSpaces", ())),
            allow_from_namespaces=tuple(net.get("allowFromNamespaces", ())),
            allow_from_cidrs=tuple(net.get("allowFromCidrs", ())),
            allow_ingress_controller=net.get("allowIngressController", True),
            egress=net.get("egress", "all"),
            egress_cidrs=tuple(net.get("egressCidrs", ())),
        ),
        cluster_selector=selector_from(spec.get("clusters", {}).get("selector")),
        source_repos=tuple(spec.get("sourceRepos", ())),
        params=frozen(spec.get("params", {})),
        sync_windows=tuple(
            SyncWindow(w["kind"], w["schedule"], w["duration"], w.get("timeZone", "UTC"), w.get("manualSync", False),
                       selector_from(w["clusters"]) if "clusters" in w else None, w.get("description", ""))
            for w in spec.get("syncWindows", ())),
    )


def _split_source(source: dict | None) -> tuple[dict | None, dict]:
    """The external source without its version overrides, and the overrides (non-empty layers only)."""
    if not source:
        return source, {}
    kind, body = next(iter(source.items()))
    overrides_key = SOURCE_VERSION_FIELDS[kind][1]
    overrides = {layer: names for layer, names in body.get(overrides_key, {}).items() if names}
    return {kind: {k: v for k, v in body.items() if k != overrides_key}}, overrides


def build_placement(placement: dict) -> Placement:
    return Placement(
        selector_from(placement.get("selector")), tuple(placement.get("regions", ())), frozen(placement.get("spread")),
        pick=placement.get("pick"),
        tolerations=tuple(Toleration(t.get("key", ""), t.get("operator", "Equal"), str(t.get("value", "")),
                                     t.get("effect", "")) for t in placement.get("tolerations", ())),
        preferred=tuple(PreferredTerm(t["weight"], selector_from(t.get("selector")))
                        for t in placement.get("preferred", ())),
        topology=tuple(TopologySpread(t["topologyKey"], t.get("maxSkew", 1),
                                      t.get("whenUnsatisfiable", "DoNotSchedule"))
                       for t in placement.get("topologySpreadConstraints", ())),
        priority=placement.get("priority", 0),
        fallback=tuple(FallbackGroup(selector_from(g.get("selector"))) for g in placement.get("fallback", ())),
        requests=MappingProxyType(dict(sorted(placement.get("requests", {}).items()))),
    )


def build_flow(doc: Document, spaces: dict[str, Space], hub_policy: SyncPolicy | None = None) -> Flow:
    meta, spec = doc.data["metadata"], doc.data["spec"]
    placement = spec["placement"]
    space = spaces.get(spec["space"])
    namespace = spec.get("namespace") or (space.namespaces[0] if space else spec["space"])
    source, version_overrides = _split_source(spec.get("source"))
    waves = tuple(
        RolloutWave(tuple(w["environments"]), w.get("maxUpdate"))
        for w in spec.get("rollout", {}).get("waves", ())
    )
    rollout = spec.get("rollout", {})
    return Flow(
        name=meta["name"],
        origin=origin(doc),
        space=spec["space"],
        namespace=namespace,
        placement=build_placement(placement),
        blueprint=spec.get("blueprint"),
        params=frozen(spec.get("params", {})),
        source=frozen(source),
        overrides=frozen(spec.get("overrides", {})),
        version_overrides=frozen(version_overrides),
        sync_policy=sync_policy(spec["syncPolicy"], hub_policy) if "syncPolicy" in spec else None,
        rollout=waves,
        stages=tuple(Stage(s["name"], selector_from(s["selector"]), s.get("maxUpdate"), s.get("pauseAfter"),
                           s.get("approval", False)) for s in rollout.get("stages", ())),
        approvals=tuple(Approval(a["stage"], a["release"]) for a in rollout.get("approvals", ())),
    )


def build_blueprint(doc: Document, directory: Path, templates, builtin: bool) -> Blueprint:
    meta, spec = doc.data["metadata"], doc.data.get("spec") or {}
    return Blueprint(
        name=meta["name"],
        origin=origin(doc),
        directory=directory,
        description=meta.get("description", ""),
        schema=frozen(spec.get("schema", {"type": "object"})),
        defaults=frozen(spec.get("defaults", {})),
        templates=tuple(templates),
        builtin=builtin,
    )
