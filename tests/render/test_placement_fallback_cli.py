"""Fallback on failover as a user sees it: validation of a group that can never qualify, `placement --explain`
naming the fallback rule, `cluster drain --dry-run` and `diff` showing who moves where before anything is
written, and the return on uncordon."""

from __future__ import annotations

import json
from pathlib import Path

from hubctl.base.errors import ExitCode

CLUSTER = """\
apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata:
  name: {name}
spec:
  server: https://{name}.example.com
  provider: eks
  environment: prod
  region: {region}
  credentials:
    awsRole:
      roleARN: arn:aws:iam::123456789012:role/argocd
"""

FLOW = """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: pay
spec:
  space: team-a
  blueprint: http-service
  params:
    image: ghcr.io/example/api:1.0.0
  placement:
    selector:
      matchLabels:
        region: eu-central
    fallback:
    - selector:
        matchLabels:
          region: us-west
    - selector:
        matchLabels:
          region: {last}
"""


def _fleet(root: Path, last: str = "ap-south") -> Path:
    for name, region in (("de-1", "eu-central"), ("us-1", "us-west"), ("us-2", "us-west"), ("ap-1", "ap-south")):
        (root / "clusters" / f"{name}.yaml").write_text(CLUSTER.format(name=name, region=region))
    (root / "flows" / "pay.yaml").write_text(FLOW.format(last=last))
    return root


def _placed(hubctl, root: Path) -> set[str]:
    doc = json.loads(hubctl("placement", "-o", "json", "-C", root).out)
    return {p["cluster"] for p in doc["placements"] if p["flow"] == "pay"}


def test_a_group_that_selects_no_cluster_is_a_problem_with_its_line_and_the_fix(hubctl, base_fleet):
    _fleet(base_fleet, last="mars-1")
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    out = " ".join(result.out.split() + result.err.split())
    assert ("flows/pay.yaml:18:7: spec.placement.fallback[1].selector: fallback group 2 (region=mars-1) selects no "
            "cluster space `team-a` may use, so it can never qualify") in out
    assert "hint: widen the group's selector, or remove the group" in out


def test_drain_dry_run_shows_the_move_to_the_fallback_group_and_writes_nothing(hubctl, base_fleet):
    _fleet(base_fleet)
    assert hubctl("validate", "-C", base_fleet).code == 0
    assert _placed(hubctl, base_fleet) == {"de-1"}
    before = (base_fleet / "clusters" / "de-1.yaml").read_bytes()
    result = hubctl("cluster", "drain", "de-1", "--dry-run", "-C", base_fleet)
    assert result.code == 0, result.err
    assert ("team-a/pay moves to us-1, us-2 (fallback group 1 (region=us-west) is in force: the primary selection "
            "(region=eu-central) qualifies 0 of the 1 cluster(s) it needs (de-1: drained))") in result.out
    assert "team-a/pay: -de-1 +us-1 +us-2" in result.out
    assert (base_fleet / "clusters" / "de-1.yaml").read_bytes() == before


def test_explain_and_diff_name_the_fallback_and_uncordon_brings_the_flow_back(hubctl, base_fleet):
    _fleet(base_fleet)
    assert hubctl("cluster", "drain", "de-1", "-C", base_fleet).code == 0
    assert _placed(hubctl, base_fleet) == {"us-1", "us-2"}
    explained = hubctl("placement", "--explain", "pay", "us-1", "-C", base_fleet).out
    assert "pay IS placed on us-1" in explained
    assert "✓ fallback: fallback group 1 (region=us-west) is in force" in explained
    assert "✓ matchLabels region=us-west (cluster has `us-west`)" in explained  # the selector in force
    assert "✗ matchLabels" not in explained
    refused = hubctl("placement", "--explain", "pay", "de-1", "-C", base_fleet).out
    assert "✗ fallback: fallback group 1 (region=us-west) is in force" in refused
    assert hubctl("cluster", "uncordon", "de-1", "-C", base_fleet).code == 0
    assert _placed(hubctl, base_fleet) == {"de-1"}


def test_diff_shows_the_fallback_as_the_reason_of_the_move(hubctl, base_fleet):
    from hubctl import load_fleet
    from hubctl.usecases.ops.drain import without_cluster
    from hubctl.usecases.render.placement import compute_placements
    from hubctl.usecases.review.placements import placement_delta

    fleet = load_fleet(_fleet(base_fleet))
    drained = without_cluster(fleet, "de-1")
    deltas = placement_delta(fleet, drained, compute_placements(fleet), compute_placements(drained))
    (pay,) = [d for d in deltas if d.flow == "pay"]
    assert [c.cluster for c in pay.added] == ["us-1", "us-2"]
    assert all("fallback" in c.causes for c in pay.added)
    assert pay.added[0].reason.startswith("fallback group 1 (region=us-west) in force")


def test_a_malformed_group_is_a_schema_or_selector_problem_not_a_traceback(hubctl, base_fleet):
    _fleet(base_fleet)
    path = base_fleet / "flows" / "pay.yaml"
    path.write_text(path.read_text().replace("        matchLabels:\n          region: ap-south\n",
                                             "        matchExpressions:\n        - {key: region, operator: In}\n"))
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    assert "spec.placement.fallback[1].selector.matchExpressions[0]" in result.out + result.err
    path.write_text(FLOW.format(last="ap-south").split("    fallback:")[0] + "    fallback: []\n")
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID and "spec.placement.fallback" in result.out + result.err
    assert "Traceback" not in result.out + result.err


def test_hubctl_diff_names_the_fallback_for_a_drain_in_the_working_tree(hubctl, base_fleet):
    import subprocess

    _fleet(base_fleet)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=base_fleet,
                       check=True, capture_output=True)
    assert hubctl("cluster", "drain", "de-1", "-C", base_fleet).code == 0
    out = hubctl("diff", "-C", base_fleet).out
    assert ("+ 2 clusters: us-1, us-2: fallback group 1 (region=us-west) in force: the primary selection "
            "(region=eu-central) qualifies 0 of the 1 cluster(s) it needs (de-1: drained)") in " ".join(out.split())
    assert hubctl("cluster", "uncordon", "de-1", "-C", base_fleet).code == 0
    assert "Placement:" not in hubctl("diff", "-C", base_fleet).out  # back on the primary: no delta
