"""The hub adapter: stream Applications from the Kubernetes API or the Argo CD API.

- `kube` / `argocd`: readers that stream Applications as plain dicts, page by page.
- `http`: what both readers' HTTP obeys: the run's hard deadline, capped answers, JSON checks.
- `retry`: the back-off policy of every hub request.
- `trust`: kubeconfigs inside the repository may not run programs or name files.
- `records`: reduce each Application to a small record, as early as possible.

May import: hubctl.base and hubctl.engines.
"""
