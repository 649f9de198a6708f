"""`hubctl status` end to end: the example fleet in a real repository, the emulator, exit codes and -o json."""

import json
import re

import pytest
import yaml

from hubctl.base.errors import ExitCode
from hubctl.cli import run
from hubctl.emulator.faults import Faults
from hubctl.usecases.status.expected import expected_from_fleet
from tests.hub.conftest import git, manifest, write_kubeconfig


@pytest.fixture
def fleet_hub(fleet_repo, start_hub, tmp_path):
    """(fleet dir, emulator rolling out the fleet's placements at its head commit, kubeconfig path)."""
    apps, revision, _hub, _repo = expected_from_fleet(fleet_repo)
    hub = start_hub(apps)
    hub.sync_to(revision)
    return fleet_repo, hub, str(write_kubeconfig(tmp_path / "kubeconfig", hub)), apps


def status(capsys, *args):
    code = run(["status", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_not_done_then_done_with_json(fleet_hub, capsys):
    fleet, hub, kubeconfig, apps = fleet_hub
    code, out, _ = status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "-o", "json")
    doc = json.loads(out)
    assert code == ExitCode.NOT_DONE and doc["result"] == "progressing" and doc["exitCode"] == 11
    hub.settle()
    code, out, _ = status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "-o", "json")
    doc = json.loads(out)
    assert code == ExitCode.OK
    assert list(doc) == ["apiVersion", "kind", "source", "expectedRevision", "result", "exitCode", "timedOut",
                         "summary", "applications"]
    assert doc["expectedRevision"] == git(fleet, "rev-parse", "HEAD")
    assert doc["summary"] == {"expected": len(apps), "done": len(apps), "progressing": 0, "failed": 0,
                              "degraded": 0, "missing": 0, "orphaned": 0, "waiting": 0}
    first = doc["applications"][0]
    assert list(first) == ["name", "space", "flow", "cluster", "env", "state", "sync", "health", "revision",
                           "atExpectedRevision", "operation", "startedAt", "finishedAt", "message"]
    assert (first["state"], first["sync"], first["health"], first["operation"]) == (
        "done", "Synced", "Healthy", "Succeeded")


def test_text_table_groups_by_space_and_flow(fleet_hub, capsys):
    fleet, hub, kubeconfig, apps = fleet_hub
    hub.faults.degraded = (apps[-1].name,)
    hub.settle()
    code, out, _ = status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "--space", apps[-1].space)
    assert code == ExitCode.DEGRADED
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["SPACE", "FLOW", "CLUSTER", "STATE"]
    # piped, every row names its space, flow and cluster in full (grep finds them; docs/cli.md, Tables)
    assert all(line.startswith(apps[-1].space + " ") for line in lines[1:-1]) and len(lines) > 3
    assert "degraded" in out and "health Degraded" in out
    assert lines[-1].endswith(": failed") and "1 degraded" in lines[-1]


def test_wait_with_revision_and_progress_lines(fleet_hub, capsys):
    fleet, hub, kubeconfig, _ = fleet_hub
    hub.start_clock(0.2)
    head = git(fleet, "rev-parse", "HEAD")
    code, out, err = status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "--wait", "--timeout", "1m",
                            "--revision", head[:10], "--flow", "web")
    assert code == ExitCode.OK
    # how far the rollout got before the first read depends on the machine: any progress line will do
    assert re.search(r"^\[ +\d+s\] \d+/\d+ done", err, re.M) and out.splitlines()[-1].endswith(": done")


def test_drift_exit_code_and_filters(fleet_hub, capsys, start_hub, tmp_path):
    fleet, _, _, apps = fleet_hub
    hub = start_hub()
    hub.seed([manifest(a) for a in apps[1:]], git(fleet, "rev-parse", "HEAD"))
    kubeconfig = str(write_kubeconfig(tmp_path / "drift", hub))
    code, out, _ = status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "-o", "json")
    assert code == ExitCode.DRIFT
    missing = [a["name"] for a in json.loads(out)["applications"] if a["state"] == "missing"]
    assert missing == [apps[0].name]
    code, _, _ = status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "--cluster", apps[-1].cluster,
                        "--flow", apps[-1].flow)
    assert code == ExitCode.OK


def test_unreachable_and_unauthorised_hub(fleet_hub, capsys, tmp_path, monkeypatch):
    fleet, hub, kubeconfig, _ = fleet_hub
    code, _, err = status(capsys, "-C", str(fleet), "--server", hub.url, "--timeout", "5s")
    assert code == ExitCode.USAGE and "no Argo CD credentials" in err
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "wrong-token-value")
    code, _, err = status(capsys, "-C", str(fleet), "--server", hub.url)
    assert code == ExitCode.HUB_UNREACHABLE and "HUBCTL_ARGOCD_TOKEN" in err and "wrong-token-value" not in err
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    monkeypatch.setenv("HUBCTL_RETRY_BASE", "0.01")  # the 5 attempts without 3.75 s of real back-off
    hub.faults.http500 = 1000
    code, _, err = status(capsys, "-C", str(fleet), "--server", hub.url)
    assert code == ExitCode.HUB_UNREACHABLE and "did not answer after 5 attempts (500 " in err


def test_bad_flags_are_usage_errors(fleet_hub, capsys):
    fleet, _, kubeconfig, _ = fleet_hub
    assert status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "--timeout", "soon")[0] == ExitCode.USAGE
    assert status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "-o", "xml")[0] == ExitCode.USAGE


def test_failed_operation_through_the_cli(fleet_hub, capsys):
    fleet, hub, kubeconfig, apps = fleet_hub
    hub.faults = Faults(failed=(apps[0].name,))
    hub.settle()
    code, out, _ = status(capsys, "-C", str(fleet), "--kubeconfig", kubeconfig, "-o", "json")
    failed = json.loads(out)["applications"][0]
    assert code == ExitCode.DEGRADED
    assert (failed["state"], failed["operation"]) == ("failed", "Failed")
    assert "admission webhook" in failed["message"]


def test_default_source_expands_the_committed_applicationsets(fleet_repo, start_hub, tmp_path, capsys):
    assert run(["render", "-C", str(fleet_repo)]) == 0
    git(fleet_repo, "add", "-A")
    git(fleet_repo, "commit", "-qm", "render")
    hub = start_hub(repo=str(fleet_repo), branch="main", applications_at=None)
    hub.settle()
    kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", hub))
    capsys.readouterr()
    code, out, _ = status(capsys, "-C", str(fleet_repo), "--kubeconfig", kubeconfig, "-o", "json")
    doc = json.loads(out)
    assert code == ExitCode.OK
    assert doc["summary"]["done"] == doc["summary"]["expected"] == len(expected_from_fleet(fleet_repo)[0])


def test_name_yaml_and_wide_outputs(fleet_hub, capsys):
    import yaml

    fleet, hub, kubeconfig, apps = fleet_hub
    hub.settle()
    args = ("-C", str(fleet), "--kubeconfig", kubeconfig, "--flow", "web")
    code, out, _ = status(capsys, *args, "-o", "name")
    web = sorted(a.name for a in apps if a.flow == "web")
    assert code == ExitCode.OK and sorted(out.splitlines()) == [f"application/{name}" for name in web]
    as_yaml, as_json = status(capsys, *args, "-o", "yaml")[1], status(capsys, *args, "-o", "json")[1]
    assert yaml.safe_load(as_yaml) == json.loads(as_json)
    code, out, _ = status(capsys, *args, "-o", "wide")
    header, *rows = out.splitlines()[:-1]
    assert header.split()[:5] == ["SPACE", "FLOW", "CLUSTER", "APPLICATION", "STATE"]
    assert sorted(row.split()[3] for row in rows) == web
    assert all(re.fullmatch(r"[0-9a-f]{40}", row.split()[7]) for row in rows), out


def test_an_app_held_by_a_deny_window_shows_waiting_for_its_window(fleet_hub, capsys, monkeypatch):
    fleet, hub, _kubeconfig, apps = fleet_hub
    space_file = fleet / "spaces" / f"{apps[0].space}.yaml"
    spec = yaml.safe_load(space_file.read_text())
    spec["spec"]["syncWindows"] = [{"kind": "deny", "schedule": "0 22 * * 5", "duration": "56h"}]
    space_file.write_text(yaml.safe_dump(spec))  # only the Applications of spaces with windows are asked
    hub.faults = Faults(window=(apps[0].name,))
    hub.settle()
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    code, out, _ = status(capsys, "-C", str(fleet), "--source", "argocd", "--server", hub.url, "--insecure",
                          "-o", "json")
    doc = json.loads(out)
    held = next(a for a in doc["applications"] if a["name"] == apps[0].name)
    assert code == ExitCode.NOT_DONE
    assert (held["state"], held["sync"]) == ("waiting", "OutOfSync")
    assert held["message"] == "waiting for its sync window: deny window `0 22 * * 5` for 56h is active"
    assert doc["summary"]["waiting"] == 1
    code, out, _ = status(capsys, "-C", str(fleet), "--source", "argocd", "--server", hub.url, "--insecure")
    assert "1 waiting" in out and "waiting for its sync window" in out
