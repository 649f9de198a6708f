"""Reading the hub: Application status from the Kubernetes API or the Argo CD API, compared with Git.

- `expected`: what should be on the hub (placements of the fleet) and at which revision.
- `kube` / `argocd`: readers that stream Applications as plain dicts, page by page.
- `http`: what both readers' HTTP obeys: the run's hard deadline, capped answers, JSON checks.
- `trust`: kubeconfigs inside the repository may not run programs or name files.
- `records` + `engine`: reduce each Application to a small record and judge it against the expectation.
- `wait`: the revision-aware wait loop (`hubctl status --wait`).
- `emulator`: a hub on 127.0.0.1 for tests and the demo.
"""
