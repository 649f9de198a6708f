"""Flow text reaches the generated Applications literally: Argo CD evaluates ApplicationSet templates as Go
templates, so a `{{ range }}` in a release name must not run (it made `hubctl status` use 7.85 GB).

Each payload goes into every flow field that the ApplicationSet template carries; the rendered sets are then
expanded with hubctl's own Argo CD engine (hubctl.engines.appset) and the Applications must hold the payload byte for
byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from hubctl.engines.appset import expand, render_template, secret_from_registration
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.render.goliteral import go_literal
from hubctl.usecases.validate.loader import load_fleet

BASE = Path(__file__).resolve().parents[1] / "bad_fleets" / "_base"
PAYLOADS = [
    "{{", "}}", "{{ range $i := until 100000000 }}x{{ end }}", '{{ template "x" }}', '{{ define "x" }}y{{ end }}',
    "a{", "{", "}", "{{- .name -}}", "}}{{", '{{"{"}}', "{{ .name }}", "{{/* c */}}", "${{ params.x }}", "{{{{",
    "x}}}", "\u00e9{{\u00e9",
]


def _flows(payload: str) -> str:
    text = json.dumps(payload)  # a JSON string is a YAML string
    return f"""\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: chart
spec:
  space: team-a
  source:
    helm:
      repoURL: {json.dumps("https://charts.example.com/" + payload)}
      chart: {text}
      version: {text}
      releaseName: {text}
      values: {{note: {text}}}
  placement:
    selector:
      matchLabels: {{env: dev}}
  syncPolicy:
    syncOptions: [{text}]
---
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: docs
spec:
  space: team-a
  source:
    git:
      repoURL: {json.dumps("https://charts.example.com/" + payload)}
      path: {text}
      targetRevision: {text}
  placement:
    selector:
      matchLabels: {{env: dev}}
"""


def _applications(root: Path) -> dict[str, dict]:
    render = render_fleet(load_fleet(root))
    docs = {path: list(yaml.safe_load_all(render.files[path])) for path in render.files}
    secrets = [secret_from_registration(d) for p, ds in docs.items() if p.startswith("hub/clusters/") for d in ds]
    apps = {}
    for path, ds in docs.items():
        if path.startswith("hub/applicationsets/"):
            for doc in ds:
                for app in expand(doc, clusters=secrets):
                    apps[app["metadata"]["name"]] = app
    return apps


@pytest.mark.parametrize("payload", PAYLOADS)
def test_flow_text_reaches_the_application_literally(payload, tmp_path):
    root = tmp_path / "fleet"
    shutil.copytree(BASE, root)
    (root / "flows" / "api.yaml").unlink()
    (root / "flows" / "external.yaml").write_text(_flows(payload))

    apps = _applications(root)

    helm, git = apps["chart-dev-1"]["spec"], apps["docs-dev-1"]["spec"]
    assert helm["source"]["chart"] == payload
    assert helm["source"]["targetRevision"] == payload
    assert helm["source"]["helm"]["releaseName"] == payload
    assert helm["source"]["repoURL"] == "https://charts.example.com/" + payload
    assert yaml.safe_load(helm["source"]["helm"]["values"])["note"] == payload
    assert helm["syncPolicy"]["syncOptions"] == [payload]
    assert git["source"]["path"] == payload
    assert git["source"]["targetRevision"] == payload
    assert git["source"]["repoURL"] == "https://charts.example.com/" + payload


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("before, after", [("", ""), ("p/", "/{{ .name }}"), ("{{ .name }}", "{")])
def test_go_literal_renders_as_written_next_to_template_actions(payload, before, after):
    template = f"{before}{go_literal(payload)}{after}"
    rendered = render_template(template, {"name": "dev-1"}, go_template=True, options=("missingkey=error",))
    assert rendered == f"{before.replace('{{ .name }}', 'dev-1')}{payload}{after.replace('{{ .name }}', 'dev-1')}"


def test_text_without_braces_is_unchanged():
    assert go_literal("https://charts.example.com/x}}") == "https://charts.example.com/x}}"
    assert go_literal("plain") == "plain"
