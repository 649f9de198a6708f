"""The everyday verbs: space add|list, flow list|remove, flow add for Helm charts and Git paths, cluster remove.
Each writes only after the whole edited fleet validates, shows the placement delta and honours the prune guard."""

from __future__ import annotations

import json

import pytest

from hubctl.base.errors import UsageError
from hubctl.usecases.ops.plan import apply_plan
from tests.ops.helpers import changed_lines, fingerprint


def edit(hubctl, fleet, *args):
    """Run an edit; return the result and the sorted files it changed, added or removed."""
    before = fingerprint(fleet)
    result = hubctl(*args, "-C", fleet)
    after = fingerprint(fleet)
    return result, sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def placed(hubctl, fleet) -> set[tuple[str, str]]:
    out = json.loads(hubctl("placement", "-o", "json", "-C", fleet).out)["placements"]
    return {(p["flow"], p["cluster"]) for p in out}


# cluster remove

def test_cluster_remove_is_refused_by_the_prune_guard_then_removes_the_spec_and_its_overrides(hubctl, example_fleet):
    dashboards = example_fleet / "flows/dashboards.yaml"
    original = dashboards.read_text()
    refused, changed = edit(hubctl, example_fleet, "cluster", "remove", "prod-eu-1")
    assert refused.code == 10 and changed == []
    assert "cluster remove prod-eu-1: placement delta +0 -" in refused.out
    assert "analytics/dashboards: -prod-eu-1" in refused.out
    result, changed = edit(hubctl, example_fleet, "cluster", "remove", "prod-eu-1", "--allow-prune")
    assert result.code == 0, result.err
    assert changed == ["clusters/prod-eu-1.yaml", "flows/dashboards.yaml"]
    assert not (example_fleet / "clusters/prod-eu-1.yaml").exists()
    # the per-cluster override goes with the cluster; the emptied layers too; nothing else moves
    assert changed_lines(original, dashboards.read_text()) == [
        "-  overrides:", "-    cluster:", "-      prod-eu-1:", "-        replicas: 2"]
    assert "dropped the override dashboards: spec.overrides.cluster.prod-eu-1" in result.err
    assert hubctl("validate", "-C", example_fleet).code == 0
    assert not {c for _, c in placed(hubctl, example_fleet)} & {"prod-eu-1"}


def test_cluster_remove_dry_run_shows_the_removal_and_writes_nothing(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "cluster", "remove", "staging-us-1", "--dry-run", "-o", "json")
    assert result.code == 0, result.err
    assert changed == []
    report = json.loads(result.out)
    assert report["written"] is False and report["files"] == ["clusters/staging-us-1.yaml"]
    assert "--- a/clusters/staging-us-1.yaml\n+++ /dev/null\n" in report["diff"]
    assert {"space": "storefront", "flow": "web", "cluster": "staging-us-1"} in report["placements"]["removed"]
    assert report["placements"]["added"] == []


def test_removing_the_cluster_dedicated_to_a_space_that_needs_it_is_refused(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "cluster", "remove", "pci-eu-1", "--allow-prune")
    assert result.code == 3 and changed == []
    assert "flows/settlement.yaml" in result.err and "the placement selects no cluster" in result.err
    assert "nothing written" in result.err


def test_removing_the_last_cluster_of_a_spread_flow_is_refused(hubctl, example_fleet):
    first, _ = edit(hubctl, example_fleet, "cluster", "remove", "prod-eu-1", "--allow-prune")
    assert first.code == 0, first.err
    assert ("nightly-report", "prod-eu-2") in placed(hubctl, example_fleet)
    result, changed = edit(hubctl, example_fleet, "cluster", "remove", "prod-eu-2", "--allow-prune")
    assert result.code == 3 and changed == []
    assert "flows/nightly-report.yaml" in result.err


def test_a_spread_flow_moves_when_its_cluster_is_removed(hubctl, example_fleet):
    result = hubctl("cluster", "remove", "prod-eu-2", "--allow-prune", "-C", example_fleet)
    assert result.code == 0, result.err
    assert "analytics/nightly-report: -prod-eu-2 +prod-eu-1" in result.out
    assert ("nightly-report", "prod-eu-1") in placed(hubctl, example_fleet)


def test_cluster_remove_in_a_multi_document_file_keeps_the_other_document_as_written(hubctl, example_fleet):
    first, second = example_fleet / "clusters/prod-us-1.yaml", example_fleet / "clusters/prod-us-2.yaml"
    both = example_fleet / "clusters/us.yaml"
    kept = second.read_text().replace("  labels:\n", "  labels:   # racks in us-east\n")
    both.write_text(first.read_text() + "---\n" + kept)
    first.unlink()
    second.unlink()
    result, changed = edit(hubctl, example_fleet, "cluster", "remove", "prod-us-1", "--allow-prune")
    assert result.code == 0, result.err
    assert changed == ["clusters/us.yaml"]
    assert "name: prod-us-1" not in both.read_text()
    assert both.read_text().endswith(kept)


def test_cluster_remove_unknown_name(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "cluster", "remove", "prod-eu-9")
    assert result.code == 2 and changed == []
    assert "no cluster named `prod-eu-9`" in result.err and "did you mean `prod-eu-2`" in result.err


def test_a_removal_does_not_delete_a_file_changed_meanwhile(example_fleet):
    from hubctl.usecases.ops.clusters import cluster_remove

    plan = cluster_remove(example_fleet, "staging-us-1")
    path = example_fleet / "clusters/staging-us-1.yaml"
    path.write_text(path.read_text() + "# someone else's edit\n")
    before = fingerprint(example_fleet)
    with pytest.raises(UsageError, match="clusters/staging-us-1.yaml changed on disk"):
        apply_plan(plan, allow_prune=True)
    assert fingerprint(example_fleet) == before


# flow list / remove

def test_flow_list(hubctl, example_fleet):
    rows = {r["name"]: r for r in json.loads(hubctl("flow", "list", "-o", "json", "-C", example_fleet).out)["flows"]}
    assert len(rows) == 8
    assert rows["dashboards"]["source"] == "helm:grafana@8.5.2"
    assert rows["web"]["source"] == "blueprint:http-service" and len(rows["web"]["clusters"]) == 8
    assert rows["settlement"] == {"name": "settlement", "space": "payments", "source": "blueprint:cron-job",
                                  "clusters": ["pci-eu-1"], "file": "flows/settlement.yaml"}
    text = hubctl("flow", "list", "-C", example_fleet)
    assert text.code == 0 and "helm:grafana@8.5.2" in text.out


def test_flow_remove_drops_it_from_cordons_and_keeps_their_comments(hubctl, example_fleet):
    assert hubctl("cluster", "cordon", "prod-eu-1", "-C", example_fleet).code == 0
    cluster = example_fleet / "clusters/prod-eu-1.yaml"
    cluster.write_text(cluster.read_text().replace("  zones:", "  # three zones\n  zones:"))
    original = cluster.read_text()
    refused, changed = edit(hubctl, example_fleet, "flow", "remove", "catalog-api")
    assert refused.code == 10 and changed == []
    result, changed = edit(hubctl, example_fleet, "flow", "remove", "catalog-api", "--allow-prune")
    assert result.code == 0, result.err
    assert changed == ["clusters/prod-eu-1.yaml", "flows/catalog-api.yaml"]
    assert changed_lines(original, cluster.read_text()) == ["-    - catalog-api"]
    assert "storefront/catalog-api: -prod-eu-1 -prod-eu-2 -prod-us-1" in result.out
    assert hubctl("validate", "-C", example_fleet).code == 0


def test_flow_remove_unknown_name(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "flow", "remove", "wbe")
    assert result.code == 2 and changed == [] and "did you mean `web`" in result.err


# flow add: Helm charts and Git paths

def test_flow_add_a_helm_chart(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "flow", "add", "loki", "--space", "analytics",
                           "--repo", "https://grafana.github.io/helm-charts", "--helm-chart", "loki",
                           "--revision", "6.16.0", "-p", "replicas=1", "-p", "gateway.enabled=false",
                           "-l", "region=eu-west", "-l", "env=prod")
    assert result.code == 0, result.err
    assert changed == ["flows/loki.yaml"]
    assert (example_fleet / "flows/loki.yaml").read_text() == """\
# yaml-language-server: $schema=../../../schemas/flow.json
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: loki
spec:
  space: analytics
  source:
    helm:
      repoURL: https://grafana.github.io/helm-charts
      chart: loki
      version: 6.16.0
      values:
        replicas: 1
        gateway:
          enabled: false
  placement:
    selector:
      matchLabels:
        region: eu-west
        env: prod
"""
    assert "analytics/loki: +prod-eu-1 +prod-eu-2" in result.out
    assert hubctl("validate", "-C", example_fleet).code == 0


def test_flow_add_a_git_path_defaults_to_head(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "flow", "add", "docs", "--space", "storefront",
                           "--repo", "https://git.example.com/storefront/docs.git", "--path", "deploy/prod",
                           "-l", "env=prod")
    assert result.code == 0, result.err
    text = (example_fleet / "flows/docs.yaml").read_text()
    assert ("  source:\n    git:\n      repoURL: https://git.example.com/storefront/docs.git\n"
            "      path: deploy/prod\n      targetRevision: HEAD\n") in text
    rows = {r["name"]: r for r in json.loads(hubctl("flow", "list", "-o", "json", "-C", example_fleet).out)["flows"]}
    assert rows["docs"]["source"] == "git:https://git.example.com/storefront/docs.git//deploy/prod@HEAD"


def test_flow_add_from_a_repository_the_space_does_not_allow_is_refused(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "flow", "add", "loki", "--space", "payments",
                           "--repo", "https://grafana.github.io/helm-charts", "--helm-chart", "loki",
                           "--revision", "6.16.0")
    assert result.code == 3 and changed == []
    assert "space `payments` may not use source repository" in result.err


@pytest.mark.parametrize("args, message", [
    (["--blueprint", "worker", "--repo", "https://x.example.com/c"], "--blueprint cannot be combined"),
    ([], "a flow needs a blueprint or a source"),
    (["--helm-chart", "loki", "--revision", "1.0.0"], "need --repo URL"),
    (["--repo", "https://grafana.github.io/helm-charts", "--helm-chart", "loki"], "needs a chart version"),
    (["--repo", "https://grafana.github.io/helm-charts", "--helm-chart", "loki", "--path", "x", "--revision", "1"],
     "exactly one of --helm-chart"),
    (["--repo", "https://git.example.com/storefront/docs.git", "--path", "deploy", "-p", "a=b"],
     "a Git path has none"),
])
def test_flow_add_source_flags_that_do_not_fit(hubctl, example_fleet, args, message):
    result, changed = edit(hubctl, example_fleet, "flow", "add", "docs", "--space", "storefront", *args)
    assert result.code == 2 and changed == []
    assert message in result.err


# space add / list

def test_space_add_then_a_flow_in_it(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "space", "add", "search", "--owner", "team-search",
                           "--viewer", "sre", "--source-repo", "https://git.example.com/search/*",
                           "-l", "region=eu-west", "--description", "Search services.")
    assert result.code == 0, result.err
    assert changed == ["spaces/search.yaml"]
    assert (example_fleet / "spaces/search.yaml").read_text() == """\
# yaml-language-server: $schema=../../../schemas/space.json
apiVersion: hubctl.io/v1alpha1
kind: Space
metadata:
  name: search
  description: Search services.
spec:
  namespaces:
  - search
  owners:
  - team-search
  viewers:
  - sre
  clusters:
    selector:
      matchLabels:
        region: eu-west
  sourceRepos:
  - 'https://git.example.com/search/*'
"""
    flow = hubctl("flow", "add", "indexer", "--space", "search", "--repo", "https://git.example.com/search/idx.git",
                  "--path", "deploy", "--revision", "v1.2.0", "-l", "region=eu-west", "-C", example_fleet)
    assert flow.code == 0, flow.err
    rows = {r["name"]: r for r in json.loads(hubctl("space", "list", "-o", "json", "-C", example_fleet).out)["spaces"]}
    assert rows["search"]["flows"] == ["indexer"]
    assert rows["search"]["clusters"] == ["dev-eu-1", "prod-eu-1", "prod-eu-2", "staging-eu-1"]  # not pci-eu-1
    assert rows["payments"]["dedicated"] == ["pci-eu-1"]
    assert rows["payments"]["namespaces"] == ["payments", "payments-batch"]
    text = hubctl("space", "list", "-C", example_fleet)
    assert text.code == 0 and "search" in text.out and "pci-eu-1" in text.out


def test_space_add_a_namespace_another_space_has_is_refused(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "space", "add", "shop2", "--owner", "team-x",
                           "--namespace", "storefront")
    assert result.code == 3 and changed == []
    assert "namespace `storefront` also belongs to space `shop2`" in result.err


@pytest.mark.parametrize("args", [
    ("space", "add", "Search_1", "--owner", "t"),
    ("space", "add", "../../etc/x", "--owner", "t"),
    ("flow", "add", "a" * 64, "--space", "storefront", "--blueprint", "worker"),
    ("cluster", "add", "prod/eu", "--server", "https://x.example.com", "--env", "prod", "--region", "eu-west",
     "--credentials", "aws-role:arn:aws:iam::123456789012:role/x"),
])
def test_names_that_are_not_dns_labels_are_refused_before_anything_is_read(hubctl, example_fleet, tmp_path, args):
    result, changed = edit(hubctl, example_fleet, *args)
    assert result.code == 2 and changed == []
    assert "is not a DNS-1123 label" in result.err
    assert not list(tmp_path.rglob("x.yaml"))


def test_space_add_existing_name(hubctl, example_fleet):
    result, changed = edit(hubctl, example_fleet, "space", "add", "payments", "--owner", "t")
    assert result.code == 2 and changed == [] and "a space named `payments` already exists" in result.err


def test_new_verbs_have_help_with_examples(hubctl):
    for command in (("cluster", "remove"), ("flow", "list"), ("flow", "remove"), ("space", "add"), ("space", "list")):
        result = hubctl(*command, "--help")
        assert result.code == 0 and "Example" in result.out, command


# -o json when validation refuses the edit

@pytest.mark.parametrize("args", [
    ("cluster", "add", "bad-one", "--server", "http://insecure.example.com", "--env", "prod", "--region", "eu-west",
     "--credentials", "exec:argocd-k8s-auth gcp"),
    ("cluster", "label", "pci-eu-1", "pci-"),
    ("flow", "add", "x", "--space", "nope", "--blueprint", "worker", "-p", "image=a"),
])
def test_an_edit_refused_by_validation_prints_validates_json(hubctl, example_fleet, args):
    result, changed = edit(hubctl, example_fleet, *args, "-o", "json")
    assert result.code == 3 and changed == []
    report = json.loads(result.out)
    assert report["valid"] is False and report["written"] is False
    assert report["error"].startswith("nothing written: the edited fleet would have")
    assert report["problems"] and set(report["problems"][0]) >= {"file", "line", "column", "path", "message", "hint"}
    expected = json.loads(hubctl("validate", "-o", "json", "-C", example_fleet).out)
    assert set(expected) - {"summary"} <= set(report)  # the shape of validate -o json


def test_removing_the_last_cluster_of_an_environment_that_overrides_name_is_refused(hubctl, example_fleet):
    first = hubctl("cluster", "remove", "dev-us-lab", "-C", example_fleet)
    assert first.code == 0, first.err
    result, changed = edit(hubctl, example_fleet, "cluster", "remove", "dev-eu-1")
    assert result.code == 3 and changed == []
    assert "flows/web.yaml" in result.err and "no cluster has env `dev`" in result.err
