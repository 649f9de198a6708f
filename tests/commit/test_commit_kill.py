"""SIGKILL `hubctl commit --push` at seeded random moments; the repository must stay sound and a rerun must
finish the job: git fsck passes, refs resolve, the rerun exits 0, `git status` is clean and the remote has
the commit."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time

import pytest
from support.gitservers import GitDaemon
from writers import (
    ROOT,
    check_fleet_invariant,
    clone_writer,
    edit_specs,
    env,
    hubctl,
    hubctl_args,
    run_git,
    seed_fleet,
    start_push,
)


def _fsck(repo) -> None:
    done = subprocess.run(["git", "fsck", "--strict", "--no-progress"], cwd=repo, env=env(), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _wait_for_change(path, before: bytes, process) -> None:
    while process.poll() is None:
        try:
            if path.read_bytes() != before:
                return
        except OSError:
            continue  # between git's rename steps


def _kill_rounds(tmp_path, url, origin, rounds: int, seed: str) -> int:
    rng = random.Random(seed)
    fleet = clone_writer(tmp_path / "writer", origin, None)
    killed = 0
    for n in range(rounds):
        edit_specs(fleet, rng, f"k{n}")
        assert hubctl(fleet, "render").returncode == 0
        branch = fleet / ".git" / "refs" / "heads" / "main"
        before = branch.read_bytes()
        process = start_push(fleet, url)
        if n % 2:
            time.sleep(rng.uniform(0.0, 0.6))  # seeded: anywhere from start-up to after the push
        else:
            _wait_for_change(branch, before, process)  # the moment the branch moves, before the index follows
        process.send_signal(signal.SIGKILL)
        killed += process.wait(timeout=60) == -signal.SIGKILL
        process.communicate()
        _fsck(fleet)
        _fsck(origin)
        run_git(fleet, "for-each-ref")
        rerun = hubctl(fleet, "commit", "--push", "--remote", url)
        assert rerun.returncode == 0, f"round {n}: {rerun.stderr}"
        status = run_git(fleet, "status", "--porcelain")
        assert status == "", f"round {n}, after the rerun:\n{status}"
        head = run_git(fleet, "rev-parse", "HEAD")
        assert run_git(origin, "rev-parse", "main") == head, f"round {n}: the remote lacks {head}"
    assert killed >= rounds // 3, "too few runs were killed while working: the harness tests nothing"
    return killed


def test_a_killed_commit_push_leaves_a_sound_repository_and_a_rerun_completes(tmp_path):
    origin = seed_fleet(tmp_path / "seed", tmp_path / "served", deploy=False)
    _kill_rounds(tmp_path, str(origin), origin, rounds=6, seed="kill-path")
    check_fleet_invariant(origin)


@pytest.mark.slow
def test_killed_pushes_over_git_daemon(tmp_path):
    origin = seed_fleet(tmp_path / "seed", tmp_path / "served", deploy=False)
    with GitDaemon(tmp_path / "served") as daemon:
        _kill_rounds(tmp_path, daemon.url("fleet.git"), origin, rounds=12, seed="kill-daemon")
    check_fleet_invariant(origin)


def test_a_commit_whose_index_update_failed_is_finished_by_the_rerun(tmp_path):
    """The state a kill between moving the branch and writing the index leaves, made deterministic: another
    git command holds the index lock while hubctl commits."""
    origin = seed_fleet(tmp_path / "seed", tmp_path / "served", deploy=False)
    fleet = clone_writer(tmp_path / "writer", origin, None)
    assert hubctl(fleet, "render").returncode == 0
    lock = fleet / ".git" / "index.lock"
    lock.write_bytes(b"")

    failed = hubctl(fleet, "commit")
    lock.unlink()
    stale = run_git(fleet, "status", "--porcelain")
    rerun = hubctl(fleet, "commit")

    assert failed.returncode == 5, failed.stderr
    assert "the commit was made, but the index could not be updated" in failed.stderr
    assert "run the same hubctl command again" in failed.stderr
    assert stale.count("D  rendered/") == 64  # the branch holds the render, the index does not
    assert rerun.returncode == 0 and "nothing to commit" in rerun.stdout, rerun.stderr
    assert run_git(fleet, "status", "--porcelain") == ""
    _fsck(fleet)


def _generated_fleet(where) -> None:
    """A synthetic fleet whose render (about 1,500 files) is committed as one streamed pack."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fleetgen.py"), str(where), "--clusters", "60",
                           "--spaces", "10", "--flows", "120"], env=env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    run_git(where, "init", "-q", "-b", "main")
    run_git(where, "add", "-A")
    run_git(where, "commit", "-q", "-m", "specs")


def _wait_for_pack(pack_dir, process) -> None:
    """Until the streamed pack's temporary file appears (or the process ends)."""
    while process.poll() is None:
        try:
            if any(name.startswith("tmp_pack_") for name in os.listdir(pack_dir)):
                return
        except OSError:
            continue


def test_a_commit_killed_while_it_streams_its_pack_leaves_a_sound_repository(tmp_path):
    """SIGKILL `hubctl commit` of a render of 1,500 changed files (one pack), half the rounds the moment its
    temporary pack appears (plus a seeded delay), half at a seeded delay from start-up. After each: git fsck,
    every pack git reads is whole (`git verify-pack`), the branch is where it was or one commit on, and the
    next commit succeeds with `git status` clean."""
    rng = random.Random("kill-pack")
    fleet = tmp_path / "fleet"
    _generated_fleet(fleet)
    pack_dir = fleet / ".git" / "objects" / "pack"
    killed = 0
    for n in range(6):
        for flow in sorted((fleet / "flows").glob("*.yaml")):  # every workload changes: > 1,000 new objects
            flow.write_text(re.sub(r":1\.\d+\.0$", f":1.{n + 1}.0", flow.read_text(), flags=re.M))
        assert hubctl(fleet, "render").returncode == 0
        before = run_git(fleet, "rev-parse", "main")
        process = subprocess.Popen(hubctl_args(fleet, "commit"), env=env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        if n % 2:
            time.sleep(rng.uniform(0.0, 2.0))
        else:
            pack_dir.mkdir(parents=True, exist_ok=True)
            _wait_for_pack(pack_dir, process)
            time.sleep(rng.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        killed += process.wait(timeout=60) == -signal.SIGKILL
        process.communicate()

        _fsck(fleet)
        for index in pack_dir.glob("pack-*.idx"):
            run_git(fleet, "verify-pack", str(index))
        head = run_git(fleet, "rev-parse", "main")
        assert head == before or run_git(fleet, "rev-parse", f"{head}^") == before, f"round {n}"
        rerun = hubctl(fleet, "commit")
        assert rerun.returncode == 0, f"round {n}: {rerun.stderr}"
        assert run_git(fleet, "status", "--porcelain") == "", f"round {n}"
        _fsck(fleet)
    assert killed >= 3, "too few runs were killed while working: the harness tests nothing"
