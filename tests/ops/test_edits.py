"""Each edit command against a copy of examples/fleet: the edited file equals its golden file byte for
byte, only the expected lines change, and nothing else in the fleet is touched."""

from __future__ import annotations

import json

import pytest

from tests.ops.helpers import assert_golden, changed_lines, fingerprint

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
