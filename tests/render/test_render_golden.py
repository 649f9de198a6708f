"""The render of examples/fleet and of small focused fleets, byte for byte against golden files."""

from __future__ import annotations

from pathlib import Path

from support.golden import check_tree
from support.tree import write

from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

ROOT = Path(__file__).resolve().parent.parent.parent


def test_example_fleet_render_matches_golden(update_golden):
    render = render_fleet(load_fleet(ROOT / "examples" / "fleet"))
    check_tree("examples-fleet", render.files, update_golden)


def test_external_git_flow_and_overrides_by_every_layer(base_fleet, update_golden):
    write(base_fleet, "flows/docs.yaml", """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: docs
spec:
  space: team-a
  source:
    git:
      repoURL: https://charts.example.com/docs.git
      path: deploy/overlays/prod
      targetRevision: v3.1.0
  placement:
    selector: {}
  syncPolicy:
    automated: false
""")
    write(base_fleet, "flows/api.yaml", """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: api
spec:
  space: team-a
  blueprint: http-service
  params:
    image: ghcr.io/example/api:1.0.0
    env:
    - {name: MODE, value: base}
  placement:
    selector: {}
  overrides:
    env:
      prod: {env: [{name: MODE, value: env}], replicas: 3}
    region:
      us-east: {env: [{name: MODE, value: region}]}
    provider:
      gke: {healthPath: /ready}
    cluster:
      prod-1: {env: [{name: MODE, value: cluster}]}
  syncPolicy:
    prune: true
""")
    render = render_fleet(load_fleet(base_fleet))
    check_tree("layers-and-git-source", render.files, update_golden)


def test_source_versions_by_layer_reach_each_cluster_through_the_list_generator(base_fleet, update_golden):
    write(base_fleet, "flows/charts.yaml", """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: charts
spec:
  space: team-a
  source:
    helm:
      repoURL: https://charts.example.com/stable
      chart: charts
      version: 2.0.0
      versionOverrides:
        env: {dev: 2.1.0, prod: 2.0.1}
        provider: {gke: 2.0.2}
        cluster: {prod-1: 2.0.3}
      values: {replicas: 1}
  placement:
    selector: {}
  overrides:
    env:
      prod: {replicas: 3}
""")
    write(base_fleet, "flows/docs.yaml", """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: docs
spec:
  space: team-a
  source:
    git:
      repoURL: https://charts.example.com/docs.git
      path: deploy
      targetRevision: v3.1.0
      targetRevisionOverrides:
        env: {dev: main}
        region: {us-east: v3.2.0-rc.1}
  placement:
    selector: {}
""")
    files = render_fleet(load_fleet(base_fleet)).files
    appsets = {p: data for p, data in files.items() if p.startswith("hub/applicationsets/")}
    check_tree("source-versions", appsets, update_golden)
