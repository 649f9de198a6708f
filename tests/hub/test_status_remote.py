"""`status --wait` waits for what the hub will see: the deploy branch on the remote the hub tracks, not the
local head; it says at once when the render is not pushed, and without a terminal reports progress lines."""

import json
import re

import pytest

from hubctl.base.errors import ExitCode
from hubctl.cli import run
from hubctl.usecases.status.expected import expected_from_fleet
from tests.hub.conftest import git, write_kubeconfig

IDENTITY = {"GIT_AUTHOR_NAME": "Fleet Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
            "GIT_COMMITTER_NAME": "Fleet Bot", "GIT_COMMITTER_EMAIL": "bot@example.com"}


def hubctl(capsys, *args):
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def pushed(fleet_repo, tmp_path, monkeypatch, capsys):
    """The fleet with its render committed by hubctl and pushed to a bare `origin` with `hubctl commit --push`."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(fleet_repo, "remote", "add", "origin", origin.as_uri())
    assert hubctl(capsys, "render", "-C", str(fleet_repo))[0] == 0
    code, _, err = hubctl(capsys, "commit", "-C", str(fleet_repo), "--push", "--remote", "origin")
    assert code == 0, err
    return fleet_repo, origin


def hub_at(start_hub, tmp_path, fleet, revision):
    apps, _revision, _hub, _repo = expected_from_fleet(fleet)
    hub = start_hub(apps)
    hub.sync_to(revision)
    hub.settle()
    return hub, str(write_kubeconfig(tmp_path / "kubeconfig", hub))


def test_a_push_moves_the_remote_tracking_branch(pushed):
    fleet, origin = pushed
    head = git(fleet, "rev-parse", "HEAD")
    assert git(fleet, "rev-parse", "origin/main") == head == git(origin, "rev-parse", "main")
    assert "ahead" not in git(fleet, "status", "-sb")


def test_wait_refuses_at_once_a_render_that_was_not_pushed(pushed, start_hub, tmp_path, capsys):
    fleet, origin = pushed
    hub, kubeconfig = hub_at(start_hub, tmp_path, fleet, git(origin, "rev-parse", "main"))
    web = fleet / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("replicas: 4", "replicas: 5", 1))
    assert hubctl(capsys, "render", "-C", str(fleet))[0] == 0
    assert hubctl(capsys, "commit", "-C", str(fleet))[0] == 0  # committed, not pushed
    local, remote = git(fleet, "rev-parse", "HEAD"), git(fleet, "rev-parse", "origin/main")

    code, out, err = hubctl(capsys, "status", "-C", str(fleet), "--kubeconfig", kubeconfig, "--wait",
                            "--timeout", "10m")

    assert code == ExitCode.GIT and out == ""
    assert f"the render on main ({local[:12]}) is not on the remote: origin/main is at {remote[:12]}" in err
    assert "push it: `hubctl commit --push --remote origin` or `git push origin main`" in err

    code, out, err = hubctl(capsys, "status", "-C", str(fleet), "--kubeconfig", kubeconfig, "-o", "json")

    assert code == ExitCode.NOT_DONE, "without --wait: a warning, then the hub as it is"
    assert "is not on the remote" in err and json.loads(out)["expectedRevision"] == local


def test_wait_after_a_local_commit_that_changes_no_render_waits_for_the_remote_head(pushed, start_hub, tmp_path,
                                                                                     capsys):
    fleet, origin = pushed
    remote = git(origin, "rev-parse", "main")
    hub, kubeconfig = hub_at(start_hub, tmp_path, fleet, remote)
    (fleet / "NOTES.md").write_text("local notes\n")
    git(fleet, "add", "NOTES.md")
    git(fleet, "commit", "-qm", "notes")  # an ordinary local commit, never pushed

    code, out, err = hubctl(capsys, "status", "-C", str(fleet), "--kubeconfig", kubeconfig, "--wait",
                            "--timeout", "1m", "-o", "json")

    assert code == ExitCode.OK, err
    assert json.loads(out)["expectedRevision"] == remote != git(fleet, "rev-parse", "HEAD")


def test_wait_refuses_a_branch_the_remote_does_not_have(fleet_repo, start_hub, tmp_path, capsys, monkeypatch):
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    git(tmp_path, "init", "-q", "--bare", str(tmp_path / "origin.git"))
    git(fleet_repo, "remote", "add", "origin", (tmp_path / "origin.git").as_uri())
    hub, kubeconfig = hub_at(start_hub, tmp_path, fleet_repo, git(fleet_repo, "rev-parse", "HEAD"))

    code, _out, err = hubctl(capsys, "status", "-C", str(fleet_repo), "--kubeconfig", kubeconfig, "--wait")

    assert code == ExitCode.GIT
    assert "the deploy branch main is not on the remote origin (there is no origin/main)" in err
    code, _out, err = hubctl(capsys, "status", "-C", str(fleet_repo), "--kubeconfig", kubeconfig, "--wait",
                             "--revision", git(fleet_repo, "rev-parse", "HEAD"))
    assert code == ExitCode.OK, "an explicit --revision is taken as given"


def test_without_a_terminal_wait_prints_still_waiting_lines_naming_the_slowest(fleet_repo, start_hub, tmp_path,
                                                                               capsys):
    apps, revision, _hub, _repo = expected_from_fleet(fleet_repo)
    hub = start_hub(apps)
    stuck = apps[0].name
    hub.faults.outofsync = (stuck,)
    hub.sync_to(revision)
    hub.settle()
    kubeconfig = str(write_kubeconfig(tmp_path / "kubeconfig", hub))

    code, out, err = hubctl(capsys, "status", "-C", str(fleet_repo), "--kubeconfig", kubeconfig, "--wait",
                            "--timeout", "3s", "--progress-interval", "1s")

    assert code == ExitCode.TIMEOUT, err
    waiting = re.findall(r"^\[ +\d+s\] still waiting: (\d+) of (\d+) done, slowest: (.*)$", err, re.M)
    assert waiting, err
    done, total, slowest = waiting[-1]
    assert (int(done), int(total)) == (len(apps) - 1, len(apps))
    assert slowest.startswith(f"{stuck} (progressing: OutOfSync, ")


@pytest.mark.parametrize("interval", ["0s", "soon"])
def test_a_bad_progress_interval_is_a_usage_error(fleet_repo, capsys, interval):
    code, _out, err = hubctl(capsys, "status", "-C", str(fleet_repo), "--wait", "--progress-interval", interval)
    assert code == ExitCode.USAGE and "interval" in err or "invalid duration" in err


def test_a_tracking_ref_naming_a_commit_this_clone_lacks_is_not_on_the_remote(pushed, start_hub, tmp_path, capsys):
    """A lying remote-tracking ref (a commit the clone never fetched): exit 5 and what to do, no traceback."""
    fleet, origin = pushed
    hub, kubeconfig = hub_at(start_hub, tmp_path, fleet, git(origin, "rev-parse", "main"))
    (fleet / ".git" / "refs" / "remotes" / "origin" / "main").write_text("1" * 40 + "\n")

    code, _out, err = hubctl(capsys, "status", "-C", str(fleet), "--kubeconfig", kubeconfig, "--wait")

    assert code == ExitCode.GIT, err
    assert "is not on the remote: origin/main is at 111111111111" in err and "Traceback" not in err
