"""Adapters: hubctl's only doors to the outside systems it reads and writes.

- `git`: the git adapter, the ONLY importer of pygit2 (trees, commits, pushes, history, blobs).
- `hub`: the readers and writers of an Argo CD hub (Kubernetes API, Argo CD API, HTTP, retry, trust).

May import: hubctl.base and hubctl.engines. Never the spec model, the use cases or the CLI.
"""
