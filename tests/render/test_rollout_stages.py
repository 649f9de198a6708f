"""Staged rollouts (flow `rollout.stages`): stages by any cluster selector, maxUpdate per stage, pauses and
approvals recorded in Git, rendered into the ApplicationSet's RollingSync steps. A stage that waits (for an
approval, or after a pause) and has no approval for the flow's current release renders with `maxUpdate: 0`:
Argo CD syncs none of its Applications, and no later step starts."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import yaml

from hubctl import load_fleet
from hubctl.base.errors import ExitCode
from hubctl.spec.sources import GitTreeSource
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import analyze

CLUSTER = """\
apiVersion: hubctl.io/v1alpha1
kind: Cluster
metadata:
  name: {name}
  labels:
    ring: {ring}
spec:
  server: https://{name}.example.com
  provider: eks
  environment: prod
  region: us-east
  credentials:
    awsRole:
      roleARN: arn:aws:iam::123456789012:role/argocd
"""

FLOW = """\
apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: web
spec:
  space: team-a
  blueprint: http-service
  params:
    image: ghcr.io/example/web:1.0.0
  placement:
    selector:
      matchExpressions:
      - {key: env, operator: In, values: [dev, prod]}
  rollout:
    stages:
    - name: dev
      selector:
        matchLabels:
          env: dev
    - name: canary
      selector:
        matchLabels:
          ring: canary
      maxUpdate: 1
      pauseAfter: 30m
    - name: prod
      selector:
        matchLabels:
          env: prod
        matchExpressions:
        - {key: ring, operator: NotIn, values: [canary]}
      maxUpdate: 25%
      approval: true
"""


def staged(root: Path, flow: str = FLOW) -> Path:
    """The base fleet with three more prod clusters (one canary) and the staged flow `web`."""
    for name, ring in (("prod-2", "canary"), ("prod-3", "main"), ("prod-4", "main")):
        (root / "clusters" / f"{name}.yaml").write_text(CLUSTER.format(name=name, ring=ring))
    (root / "flows" / "web.yaml").write_text(flow)
    return root


def steps(root_or_fleet) -> list[dict]:
    fleet = root_or_fleet if not isinstance(root_or_fleet, Path) else load_fleet(root_or_fleet)
    appset = yaml.safe_load(render_fleet(fleet).files["hub/applicationsets/team-a-web.yaml"])
    assert appset["spec"]["strategy"]["type"] == "RollingSync"
    return appset["spec"]["strategy"]["rollingSync"]["steps"]


def _in(clusters: list[str]) -> list[dict]:
    return [{"key": "hubctl.io/cluster", "operator": "In", "values": clusters}]


def test_stages_render_as_rollingsync_steps_on_the_cluster_label_and_a_waiting_stage_is_held(base_fleet):
    assert steps(staged(base_fleet)) == [
        {"matchExpressions": _in(["dev-1"])},
        {"matchExpressions": _in(["prod-2"]), "maxUpdate": 1},
        {"matchExpressions": _in(["prod-1", "prod-3", "prod-4"]), "maxUpdate": 0},  # held: no approval yet
    ]


def test_rollout_approve_writes_the_approval_and_the_stage_then_renders_its_own_maxupdate(hubctl, base_fleet):
    staged(base_fleet)
    before = (base_fleet / "flows" / "web.yaml").read_text()
    dry = hubctl("rollout", "approve", "web", "prod", "-C", base_fleet, "--dry-run")
    assert dry.code == 0, dry.err
    assert "+    - stage: prod" in dry.out and "dry run: nothing written" in dry.err
    assert (base_fleet / "flows" / "web.yaml").read_text() == before
    result = hubctl("rollout", "approve", "web", "prod", "-C", base_fleet)
    assert result.code == 0, result.err
    release = json.loads(hubctl("rollout", "status", "web", "-C", base_fleet, "-o", "json").out)["release"]
    assert (base_fleet / "flows" / "web.yaml").read_text() == before + (
        "    approvals:\n    - stage: prod\n      release: " + release + "\n")
    assert steps(base_fleet)[2] == {"matchExpressions": _in(["prod-1", "prod-3", "prod-4"]), "maxUpdate": "25%"}
    again = hubctl("rollout", "approve", "web", "prod", "-C", base_fleet)
    assert again.code == 0 and "nothing to change" in again.err


def test_an_approval_holds_only_for_the_release_it_approved(base_fleet):
    staged(base_fleet)
    release = _release(base_fleet)
    path = base_fleet / "flows" / "web.yaml"
    path.write_text(path.read_text() + f"    approvals:\n    - stage: prod\n      release: {release}\n")
    assert steps(base_fleet)[2]["maxUpdate"] == "25%"
    path.write_text(path.read_text().replace("web:1.0.0", "web:1.1.0"))  # a new release: approve it again
    assert _release(base_fleet) != release
    assert steps(base_fleet)[2]["maxUpdate"] == 0
    new_release = _release(base_fleet)
    path.write_text(path.read_text().replace("maxUpdate: 1\n", "maxUpdate: 2\n")  # the rollout itself and the
                    .replace("- {key: env, operator: In, values: [dev, prod]}",  # placement: the same release
                             "- {key: env, operator: In, values: [dev, prod, staging]}"))
    assert _release(base_fleet) == new_release


def _release(root: Path) -> str:
    from hubctl.usecases.render.stages import release_of

    fleet = load_fleet(root)
    return release_of(fleet, fleet.flows["web"])


def test_rollout_status_shows_stages_approvals_and_what_is_held(hubctl, base_fleet):
    staged(base_fleet)
    result = hubctl("rollout", "status", "web", "-C", base_fleet)
    assert result.code == 0, result.err
    release = json.loads(hubctl("rollout", "status", "web", "-C", base_fleet, "-o", "json").out)["release"]
    assert f"flow web (space team-a), release {release}: 3 stages, 1 held" in result.err
    assert [" ".join(line.split()) for line in result.out.splitlines()] == [
        "STAGE CLUSTERS MAX-UPDATE WAITS-FOR APPROVAL STATE",
        "dev dev-1 100% - - open",
        "canary prod-2 1 - - open",
        "prod prod-1,prod-3,prod-4 25% approval,pause-30m - held"]
    assert "approve with: hubctl rollout approve web prod" in result.err
    body = json.loads(hubctl("rollout", "status", "web", "-C", base_fleet, "-o", "json").out)
    assert [s["state"] for s in body["stages"]] == ["open", "open", "held"]
    assert body["stages"][2]["waitsFor"] == ["approval", "pause 30m after canary"]
    listing = hubctl("rollout", "list", "-C", base_fleet)
    assert [" ".join(x.split()) for x in listing.out.splitlines()] == ["FLOW SPACE STAGES HELD", "web team-a 3 prod"]
    assert "1 flow\n" in listing.err  # not "1 flows"


def test_approve_refuses_an_unknown_stage_a_stage_that_does_not_wait_and_an_unknown_flow(hubctl, base_fleet):
    staged(base_fleet)
    unknown = hubctl("rollout", "approve", "web", "prdo", "-C", base_fleet)
    assert unknown.code == ExitCode.USAGE
    assert "flow `web` has no stage `prdo`" in unknown.err and "did you mean `prod`?" in unknown.err
    open_stage = hubctl("rollout", "approve", "web", "dev", "-C", base_fleet)
    assert open_stage.code == ExitCode.USAGE
    assert "stage `dev` of flow `web` does not wait for an approval" in open_stage.err
    no_flow = hubctl("rollout", "approve", "wbe", "prod", "-C", base_fleet)
    assert no_flow.code == ExitCode.USAGE and "did you mean `web`?" in no_flow.err
    assert "Traceback" not in unknown.err + open_stage.err + no_flow.err


def _problems(root: Path) -> list[str]:
    return [f"{p.location}: {p.path}: {p.message} (hint: {p.hint})" for p in analyze(root).problems]


def test_overlapping_stages_an_empty_stage_an_uncovered_cluster_and_a_stray_approval_in_one_run(base_fleet):
    flow = FLOW.replace("          ring: canary\n", "          env: prod\n")  # canary now overlaps prod
    flow = flow.replace("    - name: dev\n      selector:\n        matchLabels:\n          env: dev\n",
                        "    - name: dev\n      selector:\n        matchLabels:\n          env: qa\n")
    flow += "    approvals:\n    - stage: prdo\n      release: 0123456789abcdef\n"
    problems = _problems(staged(base_fleet, flow))
    assert problems == [
        "flows/web.yaml:15:5: spec.rollout.stages: no stage selects dev-1, where the flow is placed: "
        "Argo CD's RollingSync would never sync its Application "
        "(hint: widen a stage's selector, or add a last stage for them)",
        "flows/web.yaml:17:7: spec.rollout.stages[0].selector: stage `dev` selects none of the clusters the flow "
        "is placed on (dev-1, prod-1, prod-2, prod-3, prod-4) "
        "(hint: change its selector, or remove the stage)",
        "flows/web.yaml:21:7: spec.rollout.stages[1].selector: stage `canary` also selects prod-1, prod-3, prod-4, "
        "which stage `prod` selects: a cluster belongs to one stage "
        "(hint: narrow one of the selectors, e.g. with a matchExpressions NotIn)",
        "flows/web.yaml:35:7: spec.rollout.approvals[0].stage: approval of unknown stage `prdo` "
        "(hint: did you mean `prod`?)",
    ]


def test_waves_and_stages_together_duplicate_stage_names_and_a_bad_pause_are_problems(base_fleet):
    flow = FLOW.replace("    - name: canary\n", "    - name: dev\n").replace("pauseAfter: 30m", "pauseAfter: 30x")
    flow = flow.replace("  rollout:\n", "  rollout:\n    waves:\n    - environments: [dev]\n")
    problems = _problems(staged(base_fleet, flow))
    assert any("spec.rollout.waves: a flow rolls out by `waves` or by `stages`, not both" in p for p in problems)
    assert any("spec.rollout.stages[1].name: stage `dev` is defined twice" in p for p in problems)
    assert any("spec.rollout.stages[1].pauseAfter: pause `30x` is not a duration" in p for p in problems)


def test_an_approval_on_an_unmerged_branch_never_counts(base_fleet):
    """Approvals are read from the specs at the rendered commit: a forged one on a branch does nothing on main."""
    root = staged(base_fleet)

    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(root), "PATH": "/usr/bin:/bin"})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "specs")
    git("checkout", "-q", "-b", "forged")
    path = root / "flows" / "web.yaml"
    path.write_text(path.read_text() + f"    approvals:\n    - stage: prod\n      release: {_release(root)}\n")
    git("commit", "-q", "-am", "approve prod")
    git("checkout", "-q", "main")
    assert steps(load_fleet(GitTreeSource(root, "main")))[2]["maxUpdate"] == 0
    assert steps(load_fleet(root))[2]["maxUpdate"] == 0  # the work tree is main's
    assert steps(load_fleet(GitTreeSource(root, "forged")))[2]["maxUpdate"] == "25%"  # only once merged


def test_placement_explain_names_the_stage_rule(hubctl, base_fleet):
    staged(base_fleet)
    result = hubctl("placement", "-C", base_fleet, "--explain", "web", "prod-3", "-o", "json")
    assert result.code == 0, result.err
    rules = [r for r in json.loads(result.out)["rules"] if r["rule"] == "stage"]
    assert rules == [{"rule": "stage", "held": False,
                      "text": "rollout stage `prod` (3 of 3), maxUpdate 25%: held until `hubctl rollout approve web "
                              "prod` (approval; pause 30m after canary): Argo CD syncs none of its Applications"}]
    canary = json.loads(hubctl("placement", "-C", base_fleet, "--explain", "web", "prod-2", "-o", "json").out)
    assert [r["text"] for r in canary["rules"] if r["rule"] == "stage"] == [
        "rollout stage `canary` (2 of 3), maxUpdate 1: open"]


def test_seeded_random_stage_specs_validate_or_render_every_placement_in_exactly_one_step(tmp_path, base_fleet):
    """Hostile: random stages over random labels. Either validation names the problem (never a crash), or every
    placed cluster is in exactly one step, and exactly the waiting, unapproved stages are held."""
    staged(base_fleet)
    rings = ["canary", "main", "edge"]
    for seed in range(25):
        rng = random.Random(seed)
        count = rng.randint(1, 4)
        text = FLOW.split("  rollout:\n")[0] + "  rollout:\n    stages:\n"
        gated = []
        for i in range(count):
            key, value = rng.choice([("env", "dev"), ("env", "prod"), ("ring", rng.choice(rings))])
            op = rng.choice(["In", "NotIn"])
            text += (f"    - name: s{i}\n      selector:\n        matchExpressions:\n"
                     f"        - {{key: {key}, operator: {op}, values: [{value}]}}\n")
            if rng.random() < 0.5:
                text += f"      maxUpdate: {rng.choice(['1', '0', '50%', '100%', '3'])}\n"
            if rng.random() < 0.4:
                text += "      approval: true\n"
                gated.append(f"s{i}")
        (base_fleet / "flows" / "web.yaml").write_text(text)
        loaded = analyze(base_fleet)
        if loaded.problems:
            assert all(p.file == "flows/web.yaml" and p.line > 0 for p in loaded.problems), seed
            continue
        placed = sorted(p.cluster for p in render_fleet(loaded.fleet).placements if p.flow == "web")
        rendered = steps(loaded.fleet)
        members = [c for s in rendered for c in s["matchExpressions"][0]["values"]]
        assert sorted(members) == placed, seed
        held = [f"s{i}" for i, s in enumerate(rendered) if s.get("maxUpdate") == 0]
        assert set(gated) <= set(held), seed


def test_an_approval_copied_from_another_flow_with_the_same_content_does_not_release_its_stage(base_fleet):
    # web-b deploys what web deploys (same space, blueprint and params) on the same clusters: an approval of
    # web's prod stage, copied into web-b by a pull request, must not release web-b's prod stage
    staged(base_fleet)
    release = _release(base_fleet)
    twin = FLOW.replace("  name: web\n", "  name: web-b\n")
    path = base_fleet / "flows" / "web-b.yaml"
    path.write_text(twin + f"    approvals:\n    - stage: prod\n      release: {release}\n")
    fleet = load_fleet(base_fleet)
    appset = yaml.safe_load(render_fleet(fleet).files["hub/applicationsets/team-a-web-b.yaml"])
    assert appset["spec"]["strategy"]["rollingSync"]["steps"][2]["maxUpdate"] == 0


def test_a_change_of_the_space_namespaces_templates_read_is_a_new_release(base_fleet):
    # templates read `space.namespaces` (docs/specs.md, template paths): adding one can change what the flow
    # deploys, so an approval of the release before it must not carry over
    staged(base_fleet)
    release = _release(base_fleet)
    space = base_fleet / "spaces" / "team-a.yaml"
    space.write_text(space.read_text().replace("  owners: [team-a]\n", "  namespaces: [team-a, team-a-batch]\n"
                                                                       "  owners: [team-a]\n"))
    assert _release(base_fleet) != release


def test_a_stage_with_maxupdate_zero_is_a_problem_not_an_open_stage_that_never_syncs(base_fleet):
    # Argo CD's RollingSync updates none of a step's Applications at maxUpdate 0: the stage (and every stage
    # after it) would never sync, while `rollout status` called it open and no approval could release it
    for zero in ("0", "0%", "'000%'"):
        problems = _problems(staged(base_fleet, FLOW.replace("maxUpdate: 1\n", f"maxUpdate: {zero}\n")))
        assert problems == [
            "flows/web.yaml:24:7: spec.rollout.stages[1].maxUpdate: stage `canary` has maxUpdate "
            f"{zero.strip(chr(39))}: Argo CD's RollingSync would never update its clusters, nor any stage after it "
            "(hint: to hold the stage until `hubctl rollout approve`, set `approval: true`; else a maxUpdate of 1 "
            "or more)"], problems
