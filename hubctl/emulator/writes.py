"""Writes to the emulated hub's Applications, and the controllers' part of a deletion (a mixin of Emulator).

- PATCH: a JSON merge patch of labels, annotations and finalizers, `metadata.resourceVersion` as a
  precondition (409 when it moved).
- DELETE as Argo CD v3.5.1's API server does it (server/application/application.go): `cascade=true` sets
  the resources finalizer (foreground, or `/background` for that propagationPolicy), `false` removes it,
  then the object is deleted; with a finalizer it gets a deletionTimestamp and the application controller
  finishes at the next step (workload removed from the spoke, then the object).
- An ApplicationSet pruned from Git that carries the resources finalizer and whose policy does not allow
  deleting releases its Applications (applicationset_controller.go, removeOwnerReferencesOnDeleteAppSet).
"""

from __future__ import annotations

from hubctl.base.constants import ARGO_FINALIZER
from hubctl.emulator.policy import allows_delete, owner_of


class Writes:
    """Needs the Emulator's _lock, _states, _released, store, faults, controller, now, _publish, _delete."""

    def patch_application(self, name: str, patch: dict) -> dict | str:
        """A JSON merge patch of the Application's labels, annotations and finalizers (the fields a client
        may change here; `metadata.resourceVersion` in the patch is a precondition, as in Kubernetes).
        Returns the object, or "notfound" / "conflict"; a `lie` fault answers without changing anything.
        """
        meta = patch.get("metadata") if isinstance(patch.get("metadata"), dict) else {}
        with self._lock:
            state = self._states.get(name)
            if state is None:
                return "notfound"
            current = self.store.get("applications", self.namespace, name)
            version = meta.get("resourceVersion")
            if version is not None and current is not None and version != current["metadata"]["resourceVersion"]:
                return "conflict"
            if self.faults.lies(name):
                return current
            target = state.manifest.setdefault("metadata", {})
            for key in ("labels", "annotations"):
                if isinstance(meta.get(key), dict):
                    merged = {**(target.get(key) or {}), **meta[key]}
                    target[key] = {k: v for k, v in merged.items() if v is not None}
            if "finalizers" in meta:
                target["finalizers"] = [str(f) for f in meta["finalizers"] or []]
            self._publish(state)
            return self.store.get("applications", self.namespace, name)

    def delete_application(self, name: str, cascade: bool | None = None, propagation: str = "") -> dict | str:
        """Delete an Application as the API server does: with `cascade` (the Argo CD API's query) set the
        resources finalizer first (True) or take it off (False), as Argo CD v3.5.1's server/application
        Delete does. An Application with finalizers gets a deletionTimestamp and goes at the next step,
        taking its workload from the spoke when it carries the resources finalizer; one without goes now.
        Returns the object as it was, or "notfound" / "badpolicy"; a `lie` fault answers 200 and keeps it.
        """
        finalizer = {"": ARGO_FINALIZER, "foreground": ARGO_FINALIZER,
                     "background": f"{ARGO_FINALIZER}/background"}.get(propagation)
        if finalizer is None:
            return "badpolicy"
        with self._lock:
            state = self._states.get(name)
            if state is None:
                return "notfound"
            current = self.store.get("applications", self.namespace, name)
            if self.faults.lies(name):
                return current
            meta = state.manifest.setdefault("metadata", {})
            kept = [f for f in meta.get("finalizers") or [] if not f.startswith(ARGO_FINALIZER)]
            if cascade is True:
                meta["finalizers"] = kept + [finalizer]
            elif cascade is False:
                meta["finalizers"] = kept
            if not meta.get("finalizers"):
                self._delete(name)
                return current
            meta.setdefault("deletionTimestamp", self.now())
            self._publish(state)
            return self.store.get("applications", self.namespace, name)

    def _finish_deletions(self) -> int:
        """The Argo CD controller's part of a deletion: cascade to the spoke, drop the finalizers, gone."""
        doomed = [name for name, state in self._states.items() if state.manifest["metadata"].get("deletionTimestamp")]
        for name in doomed:
            self._delete(name)
        return len(doomed)

    def _release_orphans(self, appsets: dict) -> None:
        """ApplicationSets pruned from Git: one with the resources finalizer and a policy that does not
        allow deleting has its Applications' ownerReferences removed (Argo CD v3.5.1's controller on a
        DeletionTimestamp); the others' Applications are left to garbage collection (`_may`)."""
        for old in self.store.objects("applicationsets"):
            name = old["metadata"]["name"]
            if name in appsets or ARGO_FINALIZER not in (old["metadata"].get("finalizers") or []):
                continue
            if allows_delete(self.controller.effective(old)):
                continue
            for app_name, state in self._states.items():
                if owner_of(state.manifest) == name:
                    state.manifest["metadata"]["ownerReferences"] = []
                    self._released.add(app_name)
                    self._publish(state)
