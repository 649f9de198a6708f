"""What the edit commands do beyond the file: validation first, the prune guard, dry runs, JSON,
cordon and drain semantics, promotion errors."""

from __future__ import annotations

import json

from tests.ops.helpers import fingerprint


def test_an_edit_that_breaks_the_fleet_changes_nothing(hubctl, example_fleet):
    before = fingerprint(example_fleet)
    result = hubctl("cluster", "add", "bad-one", "--server", "http://insecure.example.com", "--env", "prod",
                    "--region", "eu-west", "--credentials", "exec:argocd-k8s-auth gcp", "-C", example_fleet)
    assert result.code == 3
    assert "nothing written: the edited fleet would have 1 problem" in result.err
    assert "clusters/bad-one.yaml" in result.err
    assert fingerprint(example_fleet) == before


def test_a_label_that_leaves_a_flow_without_clusters_is_refused(hubctl, example_fleet):
    before = fingerprint(example_fleet)
    result = hubctl("cluster", "label", "pci-eu-1", "pci-", "-C", example_fleet)
    assert result.code == 3
    assert "the placement selects no cluster" in result.err
    assert fingerprint(example_fleet) == before


def test_prune_guard_blocks_then_allow_prune_writes(hubctl, example_fleet):
    before = fingerprint(example_fleet)
    blocked = hubctl("cluster", "drain", "prod-eu-1", "-C", example_fleet)
    assert blocked.code == 10
    assert "prune guard: 7 deletions in prod (limit 0)" in blocked.err
    assert "analytics/dashboards: -prod-eu-1" in blocked.out  # the delta is shown before the refusal
    assert fingerprint(example_fleet) == before
    assert hubctl("cluster", "drain", "prod-eu-1", "--allow-prune", "-C", example_fleet).code == 0
    assert "keep: []" in (example_fleet / "clusters/prod-eu-1.yaml").read_text()


def test_dry_run_shows_the_diff_and_writes_nothing(hubctl, example_fleet):
    before = fingerprint(example_fleet)
    result = hubctl("cluster", "cordon", "prod-eu-1", "--dry-run", "-C", example_fleet)
    assert result.code == 0
    assert "+  cordon:\n+    keep:\n+    - cart-worker\n" in result.out
    assert "dry run: nothing written" in result.err
    assert fingerprint(example_fleet) == before


def test_json_report_of_a_drain(hubctl, example_fleet):
    result = hubctl("cluster", "drain", "prod-eu-2", "--allow-prune", "-o", "json", "-C", example_fleet)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["written"] is True
    assert report["files"] == ["clusters/prod-eu-2.yaml"]
    assert {"space": "analytics", "flow": "nightly-report", "cluster": "prod-eu-1"} in report["placements"]["added"]
    assert report["details"]["moved"] == [{"flow": "nightly-report", "space": "analytics", "to": ["prod-eu-1"]}]
    assert report["details"]["stuck"] == []
    assert report["deletions"] == len(report["placements"]["removed"]) + 2  # and the namespaces of 2 spaces


def test_json_when_the_guard_refuses(hubctl, example_fleet):
    result = hubctl("cluster", "drain", "prod-eu-2", "-o", "json", "-C", example_fleet)
    assert result.code == 10
    report = json.loads(result.out)
    assert report["written"] is False and report["error"].startswith("prune guard")


def test_drain_lists_flows_that_cannot_move_and_keeps_them(hubctl, example_fleet):
    result = hubctl("cluster", "drain", "pci-eu-1", "--allow-prune", "-o", "json", "-C", example_fleet)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["details"]["stuck"] == [{
        "flow": "settlement", "space": "payments",
        "reason": "no other cluster can take it (selector does not match: 9, cordoned: 1)"}]
    assert report["details"]["left"] == [{"flow": "payments-api", "space": "payments", "remaining": 1}]
    assert "keep:\n    - settlement\n" in (example_fleet / "clusters/pci-eu-1.yaml").read_text()
    placed = json.loads(hubctl("placement", "-o", "json", "-C", example_fleet).out)["placements"]
    assert {(p["flow"], p["cluster"]) for p in placed if p["cluster"] == "pci-eu-1"} == {("settlement", "pci-eu-1")}


def test_cordon_keeps_existing_placements_and_takes_no_new_ones(hubctl, example_fleet):
    def placed():
        out = json.loads(hubctl("placement", "-o", "json", "-C", example_fleet).out)["placements"]
        return {(p["flow"], p["cluster"]) for p in out}

    start = placed()
    cordon = hubctl("cluster", "cordon", "prod-eu-1", "-C", example_fleet)
    assert cordon.code == 0 and "placement delta +0 -0" in cordon.out
    assert placed() == start
    added = hubctl("flow", "add", "audit", "--space", "storefront", "--blueprint", "worker",
                   "-p", "image=ghcr.io/example/audit:1.0.0", "-l", "region=eu-west", "-C", example_fleet)
    assert added.code == 0, added.err
    audit = {c for f, c in placed() if f == "audit"}
    assert audit and "prod-eu-1" not in audit
    explain = hubctl("placement", "--explain", "audit", "prod-eu-1", "-C", example_fleet)
    assert "cordoned" in explain.out


def test_cluster_list(hubctl, example_fleet):
    hubctl("cluster", "cordon", "prod-eu-1", "-C", example_fleet)
    result = hubctl("cluster", "list", "-o", "json", "-C", example_fleet)
    rows = {r["name"]: r for r in json.loads(result.out)["clusters"]}
    assert len(rows) == 10
    assert rows["prod-eu-1"]["state"] == "cordoned" and rows["prod-eu-2"]["state"] == "ready"
    assert rows["pci-eu-1"]["labels"] == {"pci": "true", "tier": "gold"}
    assert rows["pci-eu-1"]["placements"] == 2
    text = hubctl("cluster", "list", "-C", example_fleet).out
    assert "prod-eu-1" in text and "cordoned" in text


def test_promote_without_a_pin_says_what_to_do(hubctl, example_fleet):
    result = hubctl("flow", "promote", "web", "--from", "staging", "--to", "prod", "-C", example_fleet)
    assert result.code == 2
    assert "no version pin in overrides.env.staging" in result.err
    dashboards = example_fleet / "flows/dashboards.yaml"
    overrides = "      versionOverrides:\n        env:\n          staging: 8.6.1\n"
    dashboards.write_text(dashboards.read_text().replace(overrides, ""))
    helm = hubctl("flow", "promote", "dashboards", "--from", "staging", "--to", "prod", "-C", example_fleet)
    assert helm.code == 2 and "nor in source.helm.versionOverrides.env" in helm.err
    assert "set source.helm.versionOverrides.env.staging to the new chart version first" in helm.err
    unknown = hubctl("flow", "promote", "web", "--from", "qa", "--to", "prod", "-C", example_fleet)
    assert unknown.code == 2 and "no cluster has environment `qa`" in unknown.err


def test_usage_errors(hubctl, example_fleet):
    assert hubctl("cluster", "label", "prod-eu-9", "a=b", "-C", example_fleet).code == 2
    assert "did you mean `prod-eu-2`" in hubctl("cluster", "cordon", "prod-eu-9", "-C", example_fleet).err
    missing = hubctl("cluster", "add", "x1", "--server", "https://x1.example.com", "--env", "dev", "--region", "r",
                     "-C", example_fleet)
    assert missing.code == 2 and "Missing option '--credentials'" in missing.err  # [required] in --help
    token = hubctl("cluster", "add", "x1", "--server", "https://x1.example.com", "--env", "dev", "--region", "r",
                   "--credentials", "eyJhbGciOi", "-C", example_fleet)
    assert token.code == 2 and "not a credentials reference" in token.err
    assert hubctl("cluster", "label", "prod-eu-1", "env-", "-C", example_fleet).code == 2
    assert hubctl("flow", "add", "web", "--space", "storefront", "--blueprint", "worker",
                  "-C", example_fleet).code == 2


def test_help_has_examples(hubctl):
    for command in (("cluster", "add"), ("cluster", "label"), ("cluster", "list"), ("cluster", "cordon"),
                    ("cluster", "drain"), ("cluster", "uncordon"), ("flow", "add"), ("flow", "promote")):
        result = hubctl(*command, "--help")
        assert result.code == 0 and "Example" in result.out, command
