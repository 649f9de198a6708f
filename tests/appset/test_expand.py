"""expand(): whole ApplicationSets into Applications, as the controller creates them."""

import pytest

from hubctl.base.errors import AppSetError, ExitCode
from hubctl.engines.appset import expand, render_template, secret_from_registration
from tests.appset.helpers import appset, names, secret

FINALIZER = "resources-finalizer.argocd.argoproj.io"
CLUSTERS = [secret("prod-eu", labels={"env": "prod"}), secret("dev-1", labels={"env": "dev"})]


def test_complete_application_shape():
    apps = expand(appset([{"list": {"elements": [{"name": "a"}]}}]), clusters=[])
    assert apps == [{"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                     "metadata": {"name": "a", "namespace": "argocd", "finalizers": [FINALIZER]},
                     "spec": {"project": "default",
                              "destination": {"server": "https://kubernetes.default.svc", "namespace": "x"}}}]


def test_namespace_is_the_sets_and_finalizer_rules():
    template = {"metadata": {"name": "{{ .name }}", "namespace": "elsewhere", "finalizers": ["custom"]},
                "spec": {"project": "p"}}
    apps = expand(appset([{"list": {"elements": [{"name": "a"}]}}], template), clusters=[])
    assert apps[0]["metadata"] == {"name": "a", "namespace": "argocd", "finalizers": ["custom"]}
    kept = expand(appset([{"list": {"elements": [{"name": "a"}]}}],
                         syncPolicy={"preserveResourcesOnDeletion": True}), clusters=[])
    assert "finalizers" not in kept[0]["metadata"]


def test_every_string_and_key_is_templated_including_values_object():
    template = {"metadata": {"name": "{{ .name }}", "labels": {"{{ .name }}/key": "{{ upper .name }}"},
                             "annotations": {"n": "{{ .n }}"}},
                "spec": {"project": "p", "source": {"helm": {"valuesObject": {
                    "list": ["{{ .name }}", 3, True], "{{ .name }}": {"deep": "{{ .n }}"}}}}}}
    app = expand(appset([{"list": {"elements": [{"name": "a", "n": 1000000}]}}], template), clusters=[])[0]
    assert app["metadata"]["labels"] == {"a/key": "A"}
    assert app["metadata"]["annotations"] == {"n": "1e+06"}
    assert app["spec"]["source"]["helm"]["valuesObject"] == {"list": ["a", 3, True], "a": {"deep": "1e+06"}}


def test_fasttemplate_set():
    template = {"metadata": {"name": "{{name}}-{{metadata.labels.env}}"},
                "spec": {"project": "p", "destination": {"server": "{{server}}", "namespace": "{{unknown}}"}}}
    apps = expand(appset([{"clusters": {"selector": {"matchLabels": {"env": "prod"}}}}], template,
                         go_template=False), clusters=CLUSTERS)
    assert apps[0]["metadata"]["name"] == "prod-eu-prod"
    assert apps[0]["spec"]["destination"] == {"server": "https://prod-eu.example.com", "namespace": "{{unknown}}"}


def test_template_patch_is_a_strategic_merge_then_rendered():
    patch = """
{{- if .auto }}
spec:
  syncPolicy:
    automated: {prune: true}
  sources:
  - repoURL: https://r
    path: '{{ .name }}'
metadata:
  finalizers: [extra]
  labels: {patched: "yes"}
{{- end }}
"""
    template = {"metadata": {"name": "{{ .name }}", "labels": {"keep": "1"}, "finalizers": ["custom"]},
                "spec": {"project": "p", "sources": [{"repoURL": "https://old"}, {"repoURL": "https://old2"}]}}
    apps = expand(appset([{"list": {"elements": [{"name": "a", "auto": True}, {"name": "b", "auto": False}]}}],
                         template, templatePatch=patch), clusters=[])
    a, b = apps
    assert a["spec"]["syncPolicy"] == {"automated": {"prune": True}}
    assert a["spec"]["sources"] == [{"repoURL": "https://r", "path": "a"}]
    assert a["metadata"]["labels"] == {"keep": "1", "patched": "yes"}
    assert a["metadata"]["finalizers"] == ["custom", "extra"]
    assert b["spec"]["sources"] == [{"repoURL": "https://old"}, {"repoURL": "https://old2"}]


def test_template_patch_requires_go_template():
    with pytest.raises(AppSetError, match="templatePatch requires goTemplate"):
        expand(appset([{"list": {"elements": [{"name": "a"}]}}], go_template=False, templatePatch="x: 1"),
               clusters=[])


def test_a_render_error_fails_the_whole_set_and_names_the_field():
    template = {"metadata": {"name": "{{ .name }}"},
                "spec": {"project": "p", "destination": {"namespace": "{{ .ns }}"}}}
    with pytest.raises(AppSetError) as err:
        expand(appset([{"list": {"elements": [{"name": "a", "ns": "x"}, {"name": "b"}]}}], template,
                      goTemplateOptions=["missingkey=error"]), clusters=[])
    message = str(err.value)
    assert "spec.generators[0]" in message and "parameter set 1" in message
    assert "spec.destination.namespace" in message and 'map has no entry for key "ns"' in message
    assert err.value.exit_code == ExitCode.INVALID


def test_generators_are_concatenated_and_duplicate_names_dropped():
    apps = expand(appset([{"list": {"elements": [{"name": "a"}, {"name": "b"}]}},
                          {"list": {"elements": [{"name": "a"}, {"name": "c"}]}}]), clusters=[])
    assert names(apps) == ["a", "b", "c"]


def test_generator_level_template_overrides_the_sets():
    gen = {"list": {"elements": [{"name": "a"}], "template": {"metadata": {"name": "own-{{ .name }}"},
                                                             "spec": {"project": ""}}}}
    app = expand(appset([gen]), clusters=[])[0]
    assert app["metadata"]["name"] == "own-a" and app["spec"]["project"] == "default"


def test_empty_parameter_set_leaves_template_unrendered():
    app = expand(appset([{"list": {"elements": [{}]}}]), clusters=[])[0]
    assert app["metadata"]["name"] == "{{ .name }}" and "finalizers" not in app["metadata"]


def test_matrix_notes_example():
    spec = appset([{"matrix": {"generators": [
        {"list": {"elements": [{"flow": "payments"}]}},
        {"clusters": {"selector": {"matchLabels": {"env": "prod"}},
                      "values": {"env": '{{ index .metadata.labels "env" }}'}}}]}}],
        {"metadata": {"name": "{{ .flow }}-{{ .nameNormalized }}", "labels": {"env": "{{ .values.env }}"}},
         "spec": {"project": "p", "destination": {"server": "{{ .server }}"}}},
        goTemplateOptions=["missingkey=error"])
    app = expand(spec, clusters=CLUSTERS)[0]
    assert app["metadata"]["name"] == "payments-prod-eu" and app["metadata"]["labels"] == {"env": "prod"}


def test_bad_go_template_options():
    with pytest.raises(AppSetError, match="unrecognized option"):
        expand(appset([{"list": {"elements": [{"name": "a"}]}}], goTemplateOptions=["nope"]), clusters=[])


def test_render_template_object_and_string():
    tmpl = {"metadata": {"name": "{{ .a }}"}, "spec": {"project": "{{ .a }}"}}
    assert render_template(tmpl, {"a": "x"}, go_template=True) == {
        "metadata": {"name": "x", "finalizers": [FINALIZER]}, "spec": {"project": "x"}}
    assert render_template(tmpl, {}, go_template=True) == tmpl
    assert render_template("{{a}}", {"a": "x"}, go_template=False) == "x"


def test_secret_from_registration():
    plain = secret("a", labels={"env": "prod"})
    assert secret_from_registration(plain) is plain
    es = {"apiVersion": "external-secrets.io/v1beta1", "kind": "ExternalSecret",
          "metadata": {"name": "cluster-a", "namespace": "argocd"},
          "spec": {"target": {"name": "cluster-a-secret", "template": {
              "metadata": {"labels": {"argocd.argoproj.io/secret-type": "cluster", "env": "prod"},
                           "annotations": {"o": "x"}},
              "data": {"name": "a", "server": "https://a", "config": "{{ .token }}"}}}}}
    converted = secret_from_registration(es)
    assert converted == {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                         "metadata": {"name": "cluster-a-secret", "namespace": "argocd",
                                      "labels": {"argocd.argoproj.io/secret-type": "cluster", "env": "prod"},
                                      "annotations": {"o": "x"}},
                         "stringData": {"name": "a", "server": "https://a"}}
    assert secret_from_registration({"kind": "ConfigMap"}) is None
    apps = expand(appset([{"clusters": {"selector": {"matchLabels": {"env": "prod"}}}}]), clusters=[es])
    assert names(apps) == ["a"]
