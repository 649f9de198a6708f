"""The default source of the emulator's Applications: the committed, rendered ApplicationSets.

At a commit it reads `<render dir>/hub/applicationsets/*.yaml` and the cluster registrations under
`<render dir>/hub/clusters/*.yaml` from the Git tree (not the work tree), and expands the sets with
hubctl.engines.appset, the same engine `hubctl appset preview` uses, so the emulator creates what Argo CD's
ApplicationSet controller would.
"""

from __future__ import annotations

from hubctl.base.constants import ARGO_API_VERSION, ARGO_FINALIZER, DEFAULT_RENDER_DIR
from hubctl.base.errors import HubError


class GitSource:
    """`applications_at(commit)` / `applicationsets_at(commit)` for a repository path."""

    def __init__(self, repo: str | None, render_dir: str = DEFAULT_RENDER_DIR, namespace: str = "argocd"):
        if not repo:
            raise HubError("the emulator needs a repository (--repo) or an applications_at callable")
        self.repo, self.render_dir, self.namespace = repo, render_dir, namespace

    def _documents(self, commit: str, folder: str) -> list[dict]:
        from ruamel.yaml import YAML

        from hubctl.adapters.git.read import CommittedFiles, blob_ids
        from hubctl.adapters.git.repo import repository

        repo = repository(self.repo)
        prefix = f"{self.render_dir}/hub/{folder}" if self.render_dir else f"hub/{folder}"
        files = CommittedFiles(repo, {rel: oid for rel, oid in blob_ids(repo, commit, prefix).items()
                                      if "/" not in rel and rel.endswith((".yaml", ".yml"))})
        yaml, docs = YAML(typ="safe", pure=True), []
        for rel in sorted(files):
            docs.extend(d for d in yaml.load_all(files[rel].decode()) if isinstance(d, dict))
        return docs

    def applicationsets_at(self, commit: str) -> list[dict]:
        return [d for d in self._documents(commit, "applicationsets") if d.get("kind") == "ApplicationSet"]

    def clusters_at(self, commit: str) -> list[dict]:
        """Cluster Secrets from the registrations (ExternalSecrets are converted, as the operator would)."""
        from hubctl.engines.appset.clusters import secret_from_registration

        secrets = (secret_from_registration(doc) for doc in self._documents(commit, "clusters"))
        return [secret for secret in secrets if secret is not None]

    def applications_at(self, commit: str) -> list[dict]:
        import hubctl.engines.appset
        from hubctl.adapters.git.trees import RepositoryTrees

        clusters = self.clusters_at(commit)
        trees = RepositoryTrees(self.repo)  # opened afresh: a push since the last call is seen
        apps = []
        for appset in self.applicationsets_at(commit):
            for app in hubctl.engines.appset.expand(appset, clusters=clusters, repo=trees, revision=commit):
                apps.append(_owned(app, appset, self.namespace))
        return apps


def _owned(app: dict, appset: dict, namespace: str) -> dict:
    """Add what the ApplicationSet controller adds: namespace, finalizer, owner reference."""
    meta = app.setdefault("metadata", {})
    meta["namespace"] = namespace
    if not meta.get("finalizers") and not appset.get("spec", {}).get("syncPolicy", {}).get(
            "preserveResourcesOnDeletion"):
        meta["finalizers"] = [ARGO_FINALIZER]
    meta["ownerReferences"] = [{"apiVersion": ARGO_API_VERSION, "kind": "ApplicationSet",
                                "name": appset["metadata"]["name"], "uid": appset["metadata"].get("uid", ""),
                                "controller": True, "blockOwnerDeletion": True}]
    return app
