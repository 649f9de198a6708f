"""Each edit command against a copy of examples/fleet: the edited file equals its golden file byte for
byte, only the expected lines change, and nothing else in the fleet is touched."""

from __future__ import annotations

import json

import pytest

from tests.ops.helpers import assert_golden, changed_lines, fingerprint

SHOP_DOCS = """\
# yaml-language-server: $schema=../../../schemas/flow.json
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: shop-docs
spec:
  space: storefront
  source:
    git:
      repoURL: https://git.example.com/storefront/docs.git
      path: deploy
      targetRevision: v2.0.0   # what prod runs
      targetRevisionOverrides:
        env:
          dev: main
          staging: v2.1.0-rc.2   # cut on Monday
        region: {ap-southeast: v2.0.0-ap}
  placement:
    selector:
      matchExpressions:
      - {key: tier, operator: NotIn, values: [lab]}
"""
WEB_STAGING_PIN = ("      staging:\n        ingress: {host: shop.staging.example.com}\n",
                   "      staging:\n        image: ghcr.io/example/storefront-web:2.15.0  # release candidate\n"
                   "        ingress: {host: shop.staging.example.com}\n")


def edit(hubctl, fleet, *args):
    """Run an edit; return the result and the set of files it changed."""
    before = fingerprint(fleet)
    result = hubctl(*args, "-C", fleet)
    after = fingerprint(fleet)
    return result, sorted(k for k in after if before.get(k) != after[k])


@pytest.mark.parametrize("case, args, rel", [
    ("cordon", ("cluster", "cordon", "prod-eu-1", "--reason", "eu-west maintenance"), "clusters/prod-eu-1.yaml"),
    ("label", ("cluster", "label", "pci-eu-1", "canary=yes", "tier-", "rack=r12"), "clusters/pci-eu-1.yaml"),
    ("label-env", ("cluster", "label", "dev-eu-1", "env=staging"), "clusters/dev-eu-1.yaml"),
    ("drain", ("cluster", "drain", "prod-eu-2", "--allow-prune"), "clusters/prod-eu-2.yaml"),
    ("add-cluster", ("cluster", "add", "prod-eu-3", "--server", "https://prod-eu-3.k8s.example.com",
                     "--provider", "eks", "-l", "env=prod", "--region", "eu-west", "-l", "tier=gold",
                     "-l", "pci=true", "--allow-prune",
                     "--credentials", "aws-role:arn:aws:iam::123456789012:role/argocd-prod-eu-3"),
     "clusters/prod-eu-3.yaml"),
    ("add-flow", ("flow", "add", "search-api", "--space", "storefront", "--blueprint", "http-service",
                  "-p", "image=ghcr.io/example/search:1.10", "-p", "replicas=3",
                  "-p", "ingress.host=search.example.com",
                  "-l", "env=prod", "--spread", "2", "--across", "region"), "flows/search-api.yaml"),
])
def test_edit_matches_golden_and_touches_one_file(hubctl, example_fleet, update_golden, case, args, rel):
    result, changed = edit(hubctl, example_fleet, *args)
    assert result.code == 0, result.err
    assert changed == [rel]
    assert_golden(case, example_fleet, rel, update_golden)
    assert hubctl("validate", "-C", example_fleet).code == 0


def test_promote_moves_the_staging_pin_to_prod(hubctl, example_fleet, update_golden):
    web = example_fleet / "flows/web.yaml"
    web.write_text(web.read_text().replace(*WEB_STAGING_PIN))
    original = web.read_text()
    result, changed = edit(hubctl, example_fleet, "flow", "promote", "web", "--from", "staging", "--to", "prod")
    assert result.code == 0, result.err
    assert changed == ["flows/web.yaml"]
    assert changed_lines(original, web.read_text()) == ["+        image: ghcr.io/example/storefront-web:2.15.0"]
    assert "prod-eu-1 (prod) image: ghcr.io/example/storefront-web:2.14.0 -> " \
           "ghcr.io/example/storefront-web:2.15.0" in result.out
    assert "dev-eu-1" not in result.out  # only the clusters of the target environment change
    assert_golden("promote", example_fleet, "flows/web.yaml", update_golden)


def test_promote_back_to_the_base_value_drops_the_override(hubctl, example_fleet, update_golden):
    web = example_fleet / "flows/web.yaml"
    web.write_text(web.read_text().replace("      prod:\n        replicas: 4\n",
                                           "      prod:\n        image: ghcr.io/example/storefront-web:2.13.9\n"))
    result, _ = edit(hubctl, example_fleet, "flow", "promote", "web", "--from", "staging", "--to", "prod", "-o", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["details"]["pins"] == [{"key": "image", "value": "ghcr.io/example/storefront-web:2.14.0"}]
    assert "prod:" not in web.read_text()  # the emptied prod layer is gone
    assert_golden("promote-to-base", example_fleet, "flows/web.yaml", update_golden)


def test_promote_moves_the_staging_chart_version_to_prod(hubctl, example_fleet, update_golden):
    path = example_fleet / "flows/dashboards.yaml"
    original = path.read_text()
    result, changed = edit(hubctl, example_fleet, "flow", "promote", "dashboards", "--from", "staging", "--to", "prod")
    assert result.code == 0, result.err
    assert changed == ["flows/dashboards.yaml"]
    assert changed_lines(original, path.read_text()) == ["+          prod: 8.6.1"]
    assert "prod-eu-1 (prod) source.helm.version: 8.5.2 -> 8.6.1" in result.out
    assert "prod-eu-2 (prod) source.helm.version: 8.5.2 -> 8.6.1" in result.out
    assert "staging-eu-1" not in result.out
    assert_golden("promote-chart-version", example_fleet, "flows/dashboards.yaml", update_golden)


def test_promote_a_chart_version_back_to_the_base_drops_the_overrides(hubctl, example_fleet, update_golden):
    path = example_fleet / "flows/dashboards.yaml"
    path.write_text(path.read_text().replace("          staging: 8.6.1\n", "          prod: 8.4.0\n"))
    result, _ = edit(hubctl, example_fleet, "flow", "promote", "dashboards", "--from", "staging", "--to", "prod",
                     "-o", "json")
    assert result.code == 0, result.err
    details = json.loads(result.out)["details"]
    assert details["pins"] == [{"key": "source.helm.version", "value": "8.5.2"}]
    assert details["clusters"] == [
        {"cluster": c, "env": "prod", "key": "source.helm.version", "from": "8.4.0", "to": "8.5.2"}
        for c in ("prod-eu-1", "prod-eu-2")]
    assert "versionOverrides" not in path.read_text()  # the emptied env layer and its parent are gone
    assert_golden("promote-chart-version-to-base", example_fleet, "flows/dashboards.yaml", update_golden)


def test_promote_a_git_revision_skips_clusters_with_their_own_pin(hubctl, example_fleet, update_golden):
    path = example_fleet / "flows/shop-docs.yaml"
    path.write_text(SHOP_DOCS)
    result, changed = edit(hubctl, example_fleet, "flow", "promote", "shop-docs", "--from", "staging", "--to", "prod",
                           "--key", "source.git.targetRevision")
    assert result.code == 0, result.err
    assert changed == ["flows/shop-docs.yaml"]
    assert changed_lines(SHOP_DOCS, path.read_text()) == ["+          prod: v2.1.0-rc.2"]
    moved = sorted(line.split()[0] for line in result.out.splitlines() if "source.git.targetRevision:" in line)
    assert moved == ["prod-eu-1", "prod-eu-2", "prod-us-1", "prod-us-2"]  # not prod-ap-1: its region pins v2.0.0-ap
    assert "prod-us-1 (prod) source.git.targetRevision: v2.0.0 -> v2.1.0-rc.2" in result.out
    assert_golden("promote-git-revision", example_fleet, "flows/shop-docs.yaml", update_golden)


def test_promote_a_source_version_both_environments_share_writes_nothing(hubctl, example_fleet):
    env_layer = "        env:\n          dev: main\n          staging: v2.1.0-rc.2   # cut on Monday\n"
    only_region = SHOP_DOCS.replace(env_layer, "")
    assert only_region != SHOP_DOCS
    (example_fleet / "flows/shop-docs.yaml").write_text(only_region)
    result, changed = edit(hubctl, example_fleet, "flow", "promote", "shop-docs", "--from", "staging", "--to", "prod",
                           "--key", "source.git.targetRevision")
    assert result.code == 0, result.err
    assert changed == []
    assert "prod already runs what staging runs" in result.err
    assert "source.git.targetRevision:" not in result.out


def test_cluster_label_keeps_comments_quotes_and_indentation(hubctl, example_fleet):
    path = example_fleet / "clusters/prod-us-2.yaml"
    text = ("# Second US region.  Owned by team-platform.\n"
            "apiVersion: hubctl.io/v1alpha1\nkind: Cluster\nmetadata:\n"
            "    name: 'prod-us-2'     # keep the quotes\n"
            "    labels:\n        tier: \"standard\"\n        pool:   blue\n"
            "spec:\n    server: https://prod-us-2.k8s.example.com\n    provider: gke\n"
            "    environment: prod\n    region: us-west\n"
            "    zones:\n      - us-west1-a   # primary\n      - us-west1-b\n"
            "    credentials:\n        exec: {command: argocd-k8s-auth, args: [gcp]}\n")
    path.write_text(text)
    result = hubctl("cluster", "label", "prod-us-2", "pool=green", "-C", example_fleet)
    assert result.code == 0, result.err
    assert changed_lines(text, path.read_text()) == ["-        pool:   blue", "+        pool: green"]


def test_label_a_cluster_without_labels_adds_the_block_after_the_name(hubctl, example_fleet):
    path = example_fleet / "clusters/prod-us-1.yaml"
    text = path.read_text()
    stripped = text.replace("  labels:\n    tier: gold\n", "")
    path.write_text(stripped)
    assert hubctl("cluster", "label", "prod-us-1", "tier=gold", "-C", example_fleet).code == 0
    assert path.read_text() == text


def test_removing_the_last_label_removes_the_labels_key(hubctl, example_fleet):
    path = example_fleet / "clusters/prod-us-1.yaml"
    text = path.read_text()
    assert hubctl("cluster", "label", "prod-us-1", "tier-", "--allow-prune", "-C", example_fleet).code == 0
    assert changed_lines(text, path.read_text()) == ["-  labels:", "-    tier: gold"]


def test_uncordon_restores_the_file(hubctl, example_fleet):
    path = example_fleet / "clusters/prod-eu-1.yaml"
    text = path.read_text()
    assert hubctl("cluster", "cordon", "prod-eu-1", "-C", example_fleet).code == 0
    assert path.read_text() != text
    assert hubctl("cluster", "uncordon", "prod-eu-1", "-C", example_fleet).code == 0
    assert path.read_text() == text


def test_edit_in_a_multi_document_file(hubctl, example_fleet):
    first, second = example_fleet / "clusters/prod-us-1.yaml", example_fleet / "clusters/prod-us-2.yaml"
    both = example_fleet / "clusters/us.yaml"
    both.write_text(first.read_text() + "---\n" + second.read_text())
    first.unlink()
    second.unlink()
    text = both.read_text()
    result, changed = edit(hubctl, example_fleet, "cluster", "label", "prod-us-2", "rack=r7")
    assert result.code == 0, result.err
    assert changed == ["clusters/us.yaml"]
    assert changed_lines(text, both.read_text()) == ["+    rack: r7"]
    assert both.read_text().index("rack: r7") > both.read_text().index("name: prod-us-2")
