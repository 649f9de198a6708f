"""Names shared across hubctl: label keys, directories, API groups. No scattered literals."""

API_VERSION = "hubctl.io/v1alpha1"
KINDS = ("Hub", "Cluster", "Space", "Flow", "Blueprint")

# Labels and annotations hubctl puts on what it renders.
LABEL_PREFIX = "hubctl.io/"
LABEL_SPACE = "hubctl.io/space"
LABEL_FLOW = "hubctl.io/flow"
LABEL_CLUSTER = "hubctl.io/cluster"
LABEL_ENV = "hubctl.io/env"
LABEL_COMPONENT = "hubctl.io/component"
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
MANAGED_BY = "hubctl"
ANNOTATION_SOURCE = "hubctl.io/source"  # spec hash (and source commit when known)
ANNOTATION_SPEC_HASH = "hubctl.io/spec-hash"

# Well-known cluster labels derived from Cluster.spec (placement selectors can use them).
CLUSTER_LABEL_ENV = "env"
CLUSTER_LABEL_REGION = "region"
CLUSTER_LABEL_PROVIDER = "provider"
RESERVED_CLUSTER_LABELS = (CLUSTER_LABEL_ENV, CLUSTER_LABEL_REGION, CLUSTER_LABEL_PROVIDER, LABEL_CLUSTER)

# Argo CD
ARGO_GROUP = "argoproj.io"
ARGO_VERSION = "v1alpha1"
ARGO_API_VERSION = "argoproj.io/v1alpha1"
ARGO_SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"
ARGO_SYNC_WAVE = "argocd.argoproj.io/sync-wave"
ARGO_FINALIZER = "resources-finalizer.argocd.argoproj.io"
IN_CLUSTER_SERVER = "https://kubernetes.default.svc"

# Fleet repository layout
HUB_FILE = "hubctl.yaml"
SPEC_DIRS = {"Cluster": "clusters", "Space": "spaces", "Flow": "flows", "Hub": "hubs"}  # hubs/: more hubs
BLUEPRINTS_DIR = "blueprints"
BLUEPRINT_FILE = "blueprint.yaml"
DEFAULT_RENDER_DIR = "rendered"

# Limits on input (hostile or accidental): documented in docs/specs.md.
MAX_FILE_BYTES = 1024 * 1024
MAX_NODES_PER_FILE = 100_000
MAX_DEPTH = 64
MAX_FILES = 20_000
# Above this bound on nesting (spec/yamlload.nesting_bound) a file's depth is measured on the parser's
# events before composing: ruamel's C composer recurses per level and crashes at about 25,000.
PARSER_DEPTH_GUARD = 1_000

# Environment variables
ENV_DEBUG = "HUBCTL_DEBUG"

# The ApplicationSet (and `hubctl status` row flow name) of the per-spoke Applications that sync spaces.
SPACES_APPSET = "hubctl-spaces"
