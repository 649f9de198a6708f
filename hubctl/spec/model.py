"""The validated fleet: frozen dataclasses that later code trusts.

Only hubctl's own input is typed here; rendered Kubernetes objects stay plain dicts.
Mappings inside specs (params, quotas, values) are read-only views (MappingProxyType).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.selectors import Requirement as Requirement  # the selector model is the base's; specs hold it
from hubctl.base.selectors import Selector


@dataclass(frozen=True)
class Origin:
    """Where a spec came from: its file (relative to the fleet root), document index and line."""

    file: str
    line: int = 1
    doc: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class SyncPolicy:
    automated: bool = True
    prune: bool = False
    self_heal: bool = True
    sync_options: tuple[str, ...] = ("CreateNamespace=false", "ServerSideApply=true")
    retry_limit: int = 5


@dataclass(frozen=True)
class RolloutWave:
    environments: tuple[str, ...] = ()
    max_update: str | int | None = None


@dataclass(frozen=True)
class Stage:
    """A rollout stage (Kubefleet staged update): the flow's clusters its selector matches, updated together
    (at most `max_update` at once), after the stages before it; it may wait for an approval recorded in Git."""

    name: str
    selector: Selector = Selector()
    max_update: str | int | None = None  # None: 100%
    pause_after: str | None = None  # a Go duration; the next stage then waits for an approval
    approval: bool = False


@dataclass(frozen=True)
class Approval:
    """`hubctl rollout approve FLOW STAGE`: the stage may start for this release of the flow."""

    stage: str
    release: str


@dataclass(frozen=True)
class Resilience:
    environments: tuple[str, ...] = ("prod",)
    min_replicas: int = 2
    pod_disruption_budget: bool = True
    topology_spread: bool = True


@dataclass(frozen=True)
class Hub:
    name: str
    origin: Origin
    argocd_namespace: str = "argocd"
    admin_project: str = "hub-admin"
    repo_url: str = ""
    repo_branch: str = "main"
    render_dir: str = "rendered"
    repo_path: str = "rendered"  # where the rendered output sits inside the repository the hub syncs
    deploy_repository: str | None = None  # a separate deploy repository (path or URL); None = the fleet repo
    deploy_branch: str | None = None
    default_params: Mapping = field(default_factory=dict)
    sync_policy: SyncPolicy = SyncPolicy()
    resilience: Resilience = Resilience()
    max_deletions: Mapping[str, int] = field(default_factory=dict)  # env -> limit; "default" key for the rest
    kubeconfig: str | None = None
    kube_context: str | None = None
    # spec.tenancy: namespaces no space may claim (beyond hubctl's list) and cluster-scoped kinds granted
    # to a space: space -> ((group, kind), ...)
    reserved_namespaces: tuple[str, ...] = ()
    cluster_scoped_grants: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # spec.argocd.sharding: application-controller replicas (None: not sharded) and who assigns the shards
    shard_replicas: int | None = None
    shard_algorithm: str = "hubctl"
    render_layout: str = "files"  # spec.render.layout: files (per cluster) | variants (each distinct variant once)
    # spec.render: outputs for other multi-cluster tools, under <renderDir>/inventory/
    cluster_profiles: bool = False
    placement_decisions: bool = False
    inventory_namespace: str = "fleet-inventory"
    # Several hubs (docs/specs.md, "Several hubs"): the clusters this hub claims (None: every cluster), the
    # primary it is the standby of, whether that standby is the active one, and its Argo CD API address.
    claims: Selector | None = None
    claimed_names: tuple[str, ...] = ()
    standby_of: str | None = None
    standby_active: bool = False
    api_server: str | None = None


@dataclass(frozen=True)
class Taint:
    """A cluster taint (Kubefleet semantics): only flows that tolerate it are placed on the cluster."""

    key: str
    value: str = ""
    effect: str = "NoSchedule"  # NoSchedule | NoExecute

    def __str__(self) -> str:
        return f"{self.key}={self.value}:{self.effect}" if self.value else f"{self.key}:{self.effect}"


@dataclass(frozen=True)
class Toleration:
    """A flow's toleration of cluster taints. An empty key with Exists tolerates every (user) taint."""

    key: str = ""
    operator: str = "Equal"  # Equal | Exists
    value: str = ""
    effect: str = ""  # "" = any effect

    def __str__(self) -> str:
        what = (f"{self.key}={self.value}" if self.operator == "Equal" else f"{self.key or '*'} Exists")
        return f"{what}:{self.effect}" if self.effect else what


@dataclass(frozen=True)
class Cluster:
    name: str
    origin: Origin
    server: str
    provider: str  # eks | aks | gke | vsphere-rke | other
    environment: str
    region: str
    zones: tuple[str, ...] = ()
    site: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)  # effective: user labels + env/region/provider
    dedicated_to: str | None = None
    credentials: Mapping = field(default_factory=dict)  # by reference only: externalSecret | awsRole | exec
    tls: Mapping = field(default_factory=dict)
    # None: not cordoned. Otherwise the only flows that may be placed here (spec.cordon.keep).
    cordon_keep: frozenset[str] | None = None
    taints: tuple[Taint, ...] = ()  # spec.taints, as written (cordon and dedicatedTo add their own)
    capacity_flows: int | None = None  # spec.capacity.flows: at most this many flows; None = no limit
    capacity_resources: Mapping[str, str | int | float] = field(default_factory=dict)  # spec.capacity's other keys


@dataclass(frozen=True)
class NetworkPolicySpec:
    isolation: str = "default-deny"  # default-deny | none
    allow_from_spaces: tuple[str, ...] = ()
    allow_from_namespaces: tuple[str, ...] = ()
    allow_from_cidrs: tuple[str, ...] = ()
    allow_ingress_controller: bool = True
    egress: str = "all"  # all | dns-only | cidrs
    egress_cidrs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncWindow:
    """A maintenance window of a space, rendered as an Argo CD sync window in its AppProject."""

    kind: str  # allow | deny
    schedule: str  # 5-field cron
    duration: str  # a Go duration: 1h, 90m, 56h
    time_zone: str = "UTC"
    manual_sync: bool = False
    clusters: Selector | None = None  # None: every Application of the space
    description: str = ""


@dataclass(frozen=True)
class Space:
    name: str
    origin: Origin
    namespaces: tuple[str, ...]
    owners: tuple[str, ...]
    viewers: tuple[str, ...] = ()
    quota: Mapping[str, str] = field(default_factory=dict)
    limits: Mapping[str, str] = field(default_factory=dict)
    network: NetworkPolicySpec = NetworkPolicySpec()
    cluster_selector: Selector = Selector()
    source_repos: tuple[str, ...] = ()
    params: Mapping = field(default_factory=dict)
    sync_windows: tuple[SyncWindow, ...] = ()


@dataclass(frozen=True)
class PreferredTerm:
    """A weighted preference (Kubefleet preferredDuringSchedulingIgnoredDuringExecution)."""

    weight: int  # -100..100
    selector: Selector = Selector()


@dataclass(frozen=True)
class TopologySpread:
    """A topology spread constraint over one cluster label (Kubefleet topologySpreadConstraints)."""

    topology_key: str
    max_skew: int = 1
    when_unsatisfiable: str = "DoNotSchedule"  # DoNotSchedule | ScheduleAnyway


@dataclass(frozen=True)
class FallbackGroup:
    """An ordered fallback cluster group (Karmada clusterAffinities): taken when the primary does not qualify."""

    selector: Selector = Selector()


@dataclass(frozen=True)
class Placement:
    """Where a flow may run: a label selector, region constraints (data residency), a spread, and the
    rules of #18: tolerations, weighted preferences, pick N, topology spread, priority (for capacity)."""

    selector: Selector = Selector()
    regions: tuple[str, ...] = ()  # empty = any region
    spread: Mapping | None = None
    pick: int | None = None  # PickN: the N best clusters; None = every qualifying cluster (or spread's N)
    tolerations: tuple[Toleration, ...] = ()
    preferred: tuple[PreferredTerm, ...] = ()
    topology: tuple[TopologySpread, ...] = ()
    priority: int = 0  # higher places first where capacity is short
    fallback: tuple[FallbackGroup, ...] = ()  # ordered: the first that qualifies replaces the selector
    requests: Mapping[str, str | int | float] = field(default_factory=dict)  # resource -> quantity per placement

    @property
    def wanted(self) -> int | None:
        """How many clusters the flow asks for (pick, or spread's count); None = all that qualify."""
        if self.pick is not None:
            return self.pick
        return int(self.spread["clusters"]) if self.spread else None


# Per external source kind: the field holding its version, and the field layering it per cluster.
SOURCE_VERSION_FIELDS = {"helm": ("version", "versionOverrides"), "git": ("targetRevision", "targetRevisionOverrides")}


@dataclass(frozen=True)
class Flow:
    name: str
    origin: Origin
    space: str
    namespace: str
    placement: Placement
    blueprint: str | None = None
    params: Mapping = field(default_factory=dict)
    source: Mapping | None = None  # {"helm": {...}} or {"git": {...}} for external flows, without the overrides
    overrides: Mapping[str, Mapping[str, Mapping]] = field(default_factory=dict)  # layer -> key -> params
    # External flows: layer -> key -> chart version (helm) or targetRevision (git); only non-empty layers.
    version_overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    sync_policy: SyncPolicy | None = None  # None = the hub's default
    rollout: tuple[RolloutWave, ...] = ()
    stages: tuple[Stage, ...] = ()  # spec.rollout.stages (a flow has waves or stages)
    approvals: tuple[Approval, ...] = ()  # spec.rollout.approvals

    @property
    def source_kind(self) -> str | None:
        """`helm` or `git` for an external flow, None for a blueprint flow."""
        return next(iter(self.source), None) if self.source else None


@dataclass(frozen=True)
class Blueprint:
    name: str
    origin: Origin
    directory: Path
    description: str = ""
    schema: Mapping = field(default_factory=dict)  # JSON Schema of the params
    defaults: Mapping = field(default_factory=dict)
    templates: tuple[tuple[str, str], ...] = ()  # (relative file name, text), sorted by name
    builtin: bool = False


@dataclass(frozen=True)
class Fleet:
    root: Path
    hub: Hub
    clusters: Mapping[str, Cluster]
    spaces: Mapping[str, Space]
    flows: Mapping[str, Flow]
    blueprints: Mapping[str, Blueprint]
    spec_hash: str = ""  # sha256 over the spec files' bytes, for provenance
    # Derived values computed once per fleet (label index, placements); not part of equality.
    cache: dict = field(default_factory=dict, compare=False, repr=False)
    # Every hub by name when the fleet declares more than one (hubs/*.yaml); empty for a fleet of one hub.
    hubs: Mapping[str, Hub] = field(default_factory=dict)
