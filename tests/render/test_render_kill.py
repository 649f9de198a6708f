"""A killed `hubctl render`: the tree is entirely old or entirely new, or commit, diff and status refuse it
(exit 4) until the next render completes it to exactly what a clean render writes.

The harness runs `python -m hubctl render` on a generated fleet (816 files; 443 change between the two
states) and SIGKILLs it at seeded random moments: some rounds at any time, some just after the journal of
a render in progress appears, so that kills land while files are being replaced.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.tree import snapshot

from hubctl.usecases.render.run import render_to_disk

ROOT = Path(__file__).resolve().parents[2]
JOURNAL = ".hubctl-render-journal"
ROUNDS = 6
SEED = 12


def fleetgen():
    spec = importlib.util.spec_from_file_location("fleetgen", ROOT / "benchmarks" / "fleetgen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def set_state(fleet: Path, state: str, flows: dict[str, str]) -> None:
    """State "a": the generated flows; state "b": every image tag bumped and flow-0001 removed."""
    for rel, text in flows.items():
        path = fleet / rel
        if state == "b" and rel == "flows/flow-0001.yaml":
            path.unlink(missing_ok=True)
        else:
            path.write_text(text if state == "a" else re.sub(r"(:1\.\d)\.0$", r"\1.1", text, flags=re.M))


def visible(out: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(out).items() if not any(p.startswith(".") for p in rel.split("/"))}


def start_render(fleet: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "hubctl", "render", "-C", str(fleet)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_at(proc: subprocess.Popen, rng: random.Random, marker) -> None:
    """SIGKILL `proc` after a seeded delay, counted from when `marker()` first holds (or from now)."""
    if marker is not None:
        while proc.poll() is None and not marker():
            time.sleep(0.0005)
        delay = rng.uniform(0, 0.2)
    else:
        delay = rng.uniform(0, 1.2)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def render(fleet: Path) -> None:
    proc = start_render(fleet)
    assert proc.wait() == 0


@pytest.fixture
def kill_fleet(tmp_path):
    fleet = fleetgen().generate(tmp_path / "fleet", clusters=60, spaces=5, flows=60, seed=3)
    flows = {p.relative_to(fleet).as_posix(): p.read_text() for p in sorted((fleet / "flows").glob("*.yaml"))}
    clean = {}
    for state in ("a", "b"):
        set_state(fleet, state, flows)
        render_to_disk(fleet, tmp_path / f"clean-{state}")
        clean[state] = snapshot(tmp_path / f"clean-{state}")
    assert len(clean["a"]) == 816 and sum(clean["a"].get(k) != v for k, v in clean["b"].items()) > 400
    set_state(fleet, "a", flows)
    return fleet, flows, clean


def assert_refused(hubctl, fleet: Path) -> None:
    for command in (("commit", "--dry-run"), ("diff",), ("status",)):
        result = hubctl(*command, "-C", fleet)
        assert result.code == 4, (command, result.err)
        assert "the render in rendered/ was interrupted and is half-written" in result.err
        assert "hint: run `hubctl render` to complete it" in result.err


@pytest.mark.slow
def test_a_killed_render_is_old_new_or_refused_and_the_next_render_completes_it(hubctl, kill_fleet):
    fleet, flows, clean = kill_fleet
    out = fleet / "rendered"
    rng = random.Random(SEED)

    # A first render writes into a staging directory beside the output: killed, there is no output yet.
    proc = start_render(fleet)
    kill_at(proc, rng, lambda: any(n.startswith(".rendered.hubctl-tmp") for n in os.listdir(fleet)))
    assert not out.exists() or visible(out) == clean["a"]
    render(fleet)
    assert snapshot(out) == clean["a"]
    assert not [n for n in os.listdir(fleet) if n.startswith(".rendered")], "the killed stage was removed"

    state, refused, mixed = "a", 0, 0
    for _ in range(ROUNDS):
        new = "b" if state == "a" else "a"
        set_state(fleet, new, flows)
        proc = start_render(fleet)
        at_journal = rng.random() < 0.6
        kill_at(proc, rng, (lambda: os.path.exists(out / JOURNAL)) if at_journal else None)

        tree = visible(out)
        kind = "old" if tree == clean[state] else "new" if tree == clean[new] else "mixed"
        if (out / JOURNAL).exists():
            refused += 1
            mixed += kind == "mixed"
            assert_refused(hubctl, fleet)
        else:
            assert kind != "mixed", "a mixed tree without the journal"
            assert snapshot(out) == tree, "temporary files without the journal"
        render(fleet)
        assert snapshot(out) == clean[new], "the next render completes the tree to a clean render's bytes"
        state = new
    assert refused >= 1, "no kill landed during a render's writes: the harness proved nothing"
    print(f"{ROUNDS} rounds: {refused} refused half-written trees, {mixed} of them mixed")


def leave_journal(directory: Path, writes: list[str], tmp: bool = True) -> int:
    """Write `directory`'s journal from a process that then dies (as a killed render would); its pid."""
    code = ("import sys, os; from pathlib import Path; from hubctl.usecases.render import journal; "
            f"journal.begin(Path(sys.argv[1]), {writes!r}, tmp={tmp!r}); print(os.getpid())")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, str(directory)], env=env, capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def test_a_render_journal_left_behind_makes_commit_diff_and_status_refuse(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    out = example_fleet / "rendered"
    pid = leave_journal(out, ["hub/root.yaml"])
    (out / f"hub/.root.yaml.hubctl-tmp-{pid}").write_text("half\n")

    assert_refused(hubctl, example_fleet)
    two_commits = hubctl("diff", "-C", example_fleet, "--head", "HEAD")
    assert "interrupted" not in two_commits.err, "a diff of two commits does not read the working tree"

    result = hubctl("render", "-C", example_fleet)
    assert result.code == 0, result.err
    assert not (out / JOURNAL).exists() and not (out / f"hub/.root.yaml.hubctl-tmp-{pid}").exists()
    assert "interrupted" not in hubctl("status", "-C", example_fleet, "--context", "none").err


def test_a_planted_journal_claims_nothing_and_is_refused_as_not_the_renders(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    out = example_fleet / "rendered"
    (out / "NOTES.md").write_text("mine\n")
    (out / JOURNAL).write_text('{"writes":["NOTES.md"]}')  # committed, or written by someone else
    (out / "hub/.root.yaml.hubctl-tmp-4242").write_text("someone's\n")

    for command in (("commit", "--dry-run"), ("diff",), ("status",)):
        result = hubctl(*command, "-C", example_fleet)
        assert result.code == 4 and "which this user's hubctl did not write" in result.err, (command, result.err)
    result = hubctl("render", "-C", example_fleet, "-o", "json")

    assert result.code == 0, result.err
    assert json.loads(result.out)["foreign"] == ["NOTES.md"]
    assert (out / "NOTES.md").read_text() == "mine\n", "a planted journal grants no deletion"
    assert (out / "hub/.root.yaml.hubctl-tmp-4242").read_text() == "someone's\n"
    assert not (out / JOURNAL).exists(), "the render replaced the planted journal"


def test_a_planted_staging_directory_deletes_nothing(hubctl, example_fleet, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.tex").write_text("precious\n")
    stage = example_fleet / ".rendered.hubctl-tmp-4242"
    stage.mkdir()
    (stage / "h").symlink_to(victim)
    (stage / JOURNAL).write_text('{"writes":["h/thesis.tex"]}')
    (example_fleet / ".rendered.hubctl-tmp-4243").symlink_to("flows")
    (example_fleet / "flows" / JOURNAL).write_text('{"writes":["web.yaml"]}')

    assert hubctl("render", "-C", example_fleet).code == 0

    assert (victim / "thesis.tex").read_text() == "precious\n"
    assert (example_fleet / "flows/web.yaml").exists()
    assert (stage / JOURNAL).exists(), "a stage whose journal this user's hubctl did not write is left alone"


def test_a_killed_first_renders_stage_is_removed_without_following_links(hubctl, example_fleet, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.tex").write_text("precious\n")
    code = ("import sys, os; from pathlib import Path; from hubctl.usecases.render import journal; "
            "stage = Path(sys.argv[1]) / f'.rendered.hubctl-tmp-{os.getpid()}'; stage.mkdir(); "
            "journal.begin(stage, ['h/thesis.tex', 'hub/root.yaml'], tmp=False); "
            "(stage / 'hub').mkdir(); (stage / 'hub/root.yaml').write_text('half'); print(stage)")
    done = subprocess.run([sys.executable, "-c", code, str(example_fleet)], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    stage = Path(done.stdout.strip())
    (stage / "h").symlink_to(victim)

    assert hubctl("render", "-C", example_fleet).code == 0

    assert (victim / "thesis.tex").read_text() == "precious\n", "the link was removed, not followed"
    assert not os.path.lexists(stage), "the killed render's own stage is gone"


def test_concurrent_renders_of_one_directory_take_turns(example_fleet, tmp_path):
    render_to_disk(example_fleet, tmp_path / "clean")
    for _ in range(2):  # a first render into a stage, then an incremental one
        procs = [start_render(example_fleet) for _ in range(3)]
        assert [proc.wait() for proc in procs] == [0, 0, 0]
        assert snapshot(example_fleet / "rendered") == snapshot(tmp_path / "clean"), "no temporary file is left"
        assert not [n for n in os.listdir(example_fleet) if n.startswith(".rendered")]
        web = example_fleet / "flows/web.yaml"
        web.write_text(web.read_text().replace("2.14.0", "2.15.0"))
        render_to_disk(example_fleet, tmp_path / "clean")


def test_a_render_waits_a_bounded_time_for_another_then_says_so(hubctl, example_fleet, monkeypatch):
    from hubctl.usecases.render.dirlock import render_lock

    monkeypatch.setenv("HUBCTL_RENDER_LOCK_WAIT", "0.3")
    with render_lock(example_fleet / "rendered"):
        result = hubctl("render", "-C", example_fleet)

    assert result.code == 12
    assert "another hubctl render is writing" in result.err and "hint: wait for it to finish" in result.err
    assert not (example_fleet / "rendered").exists()
    assert hubctl("render", "-C", example_fleet).code == 0


def test_a_link_planted_as_the_lock_file_beside_the_output_is_refused_not_followed(hubctl, example_fleet, tmp_path,
                                                                                     monkeypatch):
    cache = tmp_path / "shared-cache"
    (cache / "hubctl").mkdir(parents=True)
    (cache / "hubctl").chmod(0o777)  # caches off, so the lock file goes beside the output
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (example_fleet / ".rendered.hubctl-lock").symlink_to(victim)

    result = hubctl("render", "-C", example_fleet)

    assert result.code == 12, result.err
    assert f"cannot lock {example_fleet / 'rendered'}" in result.err and ".rendered.hubctl-lock" in result.err
    assert "hint: remove it" in result.err and "internal error" not in result.err
    assert victim.read_text() == "precious\n" and not (example_fleet / "rendered").exists()
