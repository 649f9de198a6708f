"""The ApplicationSet controller's modification policies and deletion cascade, as Argo CD v3.5.1 applies
them (applicationset/utils/policy.go, controllers/applicationset_controller.go).

- `applicationsSync`: sync (the default) creates, updates and deletes Applications; create-update never
  deletes; create-delete never updates; create-only does neither. The ApplicationSet's own field counts
  only when policy override is enabled, which is the default when the controller has no `--policy`
  (DefaultPolicy: `appset policy == nil || !enablePolicyOverride` -> the controller's policy).
- An Application an ApplicationSet no longer generates is deleted only under sync or create-delete.
- An ApplicationSet removed from Git is pruned by the root Application; Kubernetes garbage collection then
  deletes the Applications it owns, whatever their policy.
- Deleting an Application removes its workload from the spoke only when the Application carries the
  resources finalizer, which the controller leaves out under `preserveResourcesOnDeletion: true`.
"""

from __future__ import annotations

from dataclasses import dataclass

from hubctl.base.constants import ARGO_FINALIZER

POLICIES = ("create-only", "create-update", "create-delete", "sync")


@dataclass(frozen=True)
class ControllerPolicy:
    """The controller's `--policy` ("" = sync) and `--enable-policy-override` (None = its default)."""

    policy: str = ""
    override: bool | None = None

    def effective(self, appset: dict | None) -> str:
        """The policy that governs the Applications of `appset`."""
        own = (((appset or {}).get("spec") or {}).get("syncPolicy") or {}).get("applicationsSync")
        override = self.policy == "" if self.override is None else self.override
        chosen = own if own is not None and override else self.policy
        return chosen or "sync"


def allows_update(policy: str) -> bool:
    return policy in ("sync", "create-update")


def allows_delete(policy: str) -> bool:
    return policy in ("sync", "create-delete")


def owner_of(manifest: dict) -> str | None:
    """The name of the ApplicationSet that owns an Application, from its owner reference."""
    for ref in (manifest.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("kind") == "ApplicationSet":
            return ref.get("name")
    return None


def cascades(manifest: dict) -> bool:
    """True when deleting the Application deletes its resources on the spoke (the resources finalizer)."""
    finalizers = (manifest.get("metadata") or {}).get("finalizers") or []
    return any(f == ARGO_FINALIZER or f.startswith(f"{ARGO_FINALIZER}/") for f in finalizers)


def workload_key(manifest: dict) -> str:
    """cluster/namespace/name of the Deployment the emulator pretends an Application syncs."""
    spec = manifest.get("spec") or {}
    destination = spec.get("destination") or {}
    cluster = destination.get("name") or destination.get("server") or "in-cluster"
    labels = (manifest.get("metadata") or {}).get("labels") or {}
    name = labels.get("hubctl.io/flow") or manifest["metadata"]["name"]
    return f"{cluster}/{destination.get('namespace') or 'default'}/{name}"
