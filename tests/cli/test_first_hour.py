"""The new user's first hour, end to end, with only what README.md and docs/ show.

`hubctl init`, a fleet of four clusters and three flows (one a Helm chart), the first push and a green
`status --wait` against the hub emulator, then a change: edited, reviewed with `diff`, pushed, rolled out.
The machine is tests/docs/scratch.py's: `origin` is a bare repository on disk that the URL in hubctl.yaml
leads to (git's insteadOf), and $KUBECONFIG points at a hub emulator serving what is pushed there.

The walk writes its Helm flow as docs/specs.md shows; the tests after it take the other routes a newcomer
finds in the docs: `flow add --helm-chart`, specs and render in one first commit, `diff` after a pushed
change, and `status --wait` on a commit that was never pushed.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.docs.scratch import FLEET_URL, Scratch

CLUSTERS = {  # name: (env, region): with init's dev-1, four clusters
    "dev-2": ("dev", "eu-west"),
    "staging-1": ("staging", "eu-west"),
    "prod-1": ("prod", "eu-central"),
}
GRAFANA = "https://grafana.github.io/helm-charts"
HELM_FLOW = f"""\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: dashboards
spec:
  space: team-a
  source:
    helm:
      repoURL: {GRAFANA}
      chart: grafana
      version: 8.5.2
      values: {{replicas: 1}}
  placement:
    selector:
      matchLabels: {{env: prod}}
"""


@pytest.fixture
def scratch(tmp_path, monkeypatch, capsys):
    machine = Scratch(tmp_path, monkeypatch, capsys)
    yield machine
    machine.close()


def ok(scratch: Scratch, command: str, code: int = 0) -> str:
    outcome = scratch.run(command)
    assert outcome.code == code, f"`{command}` exited {outcome.code}, expected {code}\n{outcome.text}"
    return outcome.out


def git(scratch: Scratch, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=scratch.work / "fleet", check=True, capture_output=True,
                          text=True).stdout.strip()


def origin_head(scratch: Scratch) -> str:
    return subprocess.run(["git", "--git-dir", str(scratch.origin), "rev-parse", "main"], check=True,
                          capture_output=True, text=True).stdout.strip()


def four_clusters_two_flows(scratch: Scratch) -> None:
    """README's first steps, then day-2 verbs (docs/operations.md): four clusters, `hello` and `api`."""
    ok(scratch, "hubctl init fleet")
    ok(scratch, "git -C fleet init -b main")
    ok(scratch, f"git -C fleet remote add origin {FLEET_URL}")
    for name, (env, region) in CLUSTERS.items():
        ok(scratch, f"hubctl cluster add {name} -C fleet --server https://{name}.k8s.example.com --env {env} "
                    f"--region {region} -l tier=standard "
                    f"--credentials aws-role:arn:aws:iam::123456789012:role/argocd-{name}")
    ok(scratch, "hubctl flow add api -C fleet --space team-a --blueprint http-service "
                "-p image=ghcr.io/example/api:1.0.0 -l tier=standard")


def push_and_wait(scratch: Scratch) -> dict:
    """validate, render, commit --push, status --wait: the rollout of what origin now holds, as JSON."""
    ok(scratch, "hubctl validate -C fleet")
    ok(scratch, "hubctl render -C fleet")
    ok(scratch, "hubctl commit -C fleet --push")
    report = json.loads(ok(scratch, "hubctl status -C fleet --wait --timeout 2m -o json"))
    assert report["expectedRevision"] == origin_head(scratch)
    return report


def test_first_hour_from_init_to_a_reviewed_change_rolled_out(scratch):
    four_clusters_two_flows(scratch)
    # no `flow add` for a Helm chart yet: the flow as docs/specs.md shows it, its repository allowed
    (scratch.work / "fleet" / "flows" / "dashboards.yaml").write_text(HELM_FLOW)
    space = scratch.work / "fleet" / "spaces" / "team-a.yaml"
    space.write_text(space.read_text().replace("spec:\n", f"spec:\n  sourceRepos:\n  - {GRAFANA}\n", 1))

    listing = json.loads(ok(scratch, "hubctl cluster list -C fleet -o json"))
    assert len(listing["clusters"]) == 4
    placement = json.loads(ok(scratch, "hubctl placement -C fleet -o json"))
    flows = {(p["flow"], p["cluster"]) for p in placement["placements"]}
    assert {f for f, _ in flows} == {"hello", "api", "dashboards"}
    assert ("dashboards", "prod-1") in flows and ("api", "prod-1") in flows

    first = push_and_wait(scratch)
    assert first["result"] == "done" and first["summary"]["expected"] == first["summary"]["done"] >= len(flows)
    assert {a["flow"] for a in first["applications"]} >= {"hello", "api", "dashboards"}

    # the change: a new image for hello, reviewed before it goes out
    hello = scratch.work / "fleet" / "flows" / "hello.yaml"
    hello.write_text(hello.read_text().replace("hello:1.0.0", "hello:1.1.0"))
    ok(scratch, "hubctl render -C fleet")
    review = ok(scratch, "hubctl diff -C fleet")
    assert "hello:1.1.0" in review
    second = push_and_wait(scratch)
    assert second["result"] == "done" and second["expectedRevision"] != first["expectedRevision"]
    assert {a["revision"] for a in second["applications"] if a["flow"] == "hello"} == {second["expectedRevision"]}


def test_the_helm_flow_from_the_cli(scratch):
    four_clusters_two_flows(scratch)
    ok(scratch, f"hubctl space add observability -C fleet --owner platform --source-repo {GRAFANA}")
    ok(scratch, f"hubctl flow add dashboards -C fleet --space observability --repo {GRAFANA} --helm-chart grafana "
                "--revision 8.5.2 -l env=prod")
    report = push_and_wait(scratch)
    assert report["result"] == "done" and "dashboards" in {a["flow"] for a in report["applications"]}


def test_the_first_push_holds_the_specs_and_their_render(scratch):
    four_clusters_two_flows(scratch)
    push_and_wait(scratch)
    pushed = subprocess.run(["git", "--git-dir", str(scratch.origin), "ls-tree", "--name-only", "main"],
                            check=True, capture_output=True, text=True).stdout.split()
    assert {"hubctl.yaml", "clusters", "spaces", "flows", "rendered"} <= set(pushed)
    left = git(scratch, "status", "--porcelain", "--", "hubctl.yaml", "clusters", "spaces", "flows", "rendered")
    assert left == ""  # init's README.md is no spec: committing it is the user's call


def test_the_review_of_a_change_shows_only_that_change(scratch):
    four_clusters_two_flows(scratch)
    push_and_wait(scratch)
    hello = scratch.work / "fleet" / "flows" / "hello.yaml"
    hello.write_text(hello.read_text().replace("hello:1.0.0", "hello:1.1.0"))
    ok(scratch, "hubctl render -C fleet")
    review = json.loads(ok(scratch, "hubctl diff -C fleet -o json"))
    # today the base (the pushed commit) holds no specs: the whole fleet shows as added
    assert review["base"]["fleet"] and review["summary"]["applications_added"] == 0
    assert review["placements"] == [] and review["hub"] == []
    assert {flow for change in review["manifests"] for flow in change["flows"]} == {"hello"}


def test_waiting_for_an_unpushed_change_says_push(scratch):
    four_clusters_two_flows(scratch)
    push_and_wait(scratch)
    hello = scratch.work / "fleet" / "flows" / "hello.yaml"
    hello.write_text(hello.read_text().replace("hello:1.0.0", "hello:1.1.0"))
    ok(scratch, "hubctl render -C fleet")
    ok(scratch, "hubctl commit -C fleet")  # no --push: the hub never sees it
    outcome = scratch.run("hubctl status -C fleet --wait --timeout 5s")
    assert outcome.code == 5, outcome.text  # not a timeout (8) after waiting for what cannot come
    assert "push" in outcome.err
