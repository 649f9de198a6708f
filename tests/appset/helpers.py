"""Small builders for appset tests: cluster Secrets, ApplicationSets and real git repositories."""

from __future__ import annotations

import base64
from pathlib import Path


def secret(name: str, server: str | None = None, labels: dict | None = None, annotations: dict | None = None,
           project: str | None = None, encoded: bool = False) -> dict:
    values = {"name": name, "server": server or f"https://{name}.example.com"}
    if project is not None:
        values["project"] = project
    meta = {"name": f"cluster-{name}", "namespace": "argocd",
            "labels": {"argocd.argoproj.io/secret-type": "cluster", **(labels or {})}}
    if annotations:
        meta["annotations"] = annotations
    doc = {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque"}
    if encoded:
        doc["data"] = {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}
    else:
        doc["stringData"] = values
    return doc


def appset(generators: list, template: dict | None = None, go_template: bool = True, **spec) -> dict:
    body = {"goTemplate": go_template, "generators": generators,
            "template": template or {"metadata": {"name": "{{ .name }}" if go_template else "{{name}}"},
                                     "spec": {"project": "default",
                                              "destination": {"server": "https://kubernetes.default.svc",
                                                              "namespace": "x"}}}}
    body.update(spec)
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
            "metadata": {"name": "set", "namespace": "argocd"}, "spec": body}


def git_repo(root: Path, files: dict[str, str], branch: str = "main") -> Path:
    """A real repository at `root` with one commit holding `files`."""
    import pygit2

    repo = pygit2.init_repository(str(root), initial_head=branch)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    repo.index.add_all()
    repo.index.write()
    tree = repo.index.write_tree()
    sig = pygit2.Signature("t", "t@example.com", 0, 0)
    repo.create_commit("HEAD", sig, sig, "init", tree, [])
    return root


def names(apps: list[dict]) -> list[str]:
    return [a["metadata"]["name"] for a in apps]
