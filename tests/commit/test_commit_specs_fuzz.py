"""Seeded, bounded rounds of random spec edits (change, add, delete, rename, mode, junk beside them), each
rendered and committed by `hubctl commit`: every commit holds the render of its own specs, the working tree
is clean of spec changes afterwards, and junk never enters a commit. And two commits at once: one waits for
nothing and wins, the other is refused by the lock or the compare-and-swap, and the branch stays whole."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from fleetgit import git
from writers import ROOT, env, render_at

ROUNDS = 6


def hubctl(fleet: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hubctl", *args, "-C", str(fleet)], env=env(),
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def tree(repo: Path, ref: str, prefix: str) -> dict[str, bytes]:
    names = git(repo, "ls-tree", "-r", "--name-only", ref, "--", prefix).split()
    return {name.removeprefix(prefix + "/"): subprocess.run(["git", "show", f"{ref}:{name}"], cwd=repo, check=True,
                                                            capture_output=True).stdout for name in names}


def random_edit(fleet: Path, rng: random.Random, n: int) -> None:
    clusters = sorted((fleet / "clusters").glob("*.yaml"))
    kind = rng.choice(["label", "label", "copy-cluster", "delete-copy", "rename-space", "exec-bit", "junk"])
    if kind == "label" or (kind == "delete-copy" and not list((fleet / "clusters").glob("copy-*.yaml"))):
        path = rng.choice(clusters)
        path.write_text(path.read_text().replace("  labels:\n", f"  labels:\n    round-{n}: edited\n", 1))
    elif kind == "copy-cluster":
        source = fleet / "clusters" / "dev-eu-1.yaml"
        (fleet / "clusters" / f"copy-{n}.yaml").write_text(
            source.read_text().replace("dev-eu-1", f"copy-{n}"))
    elif kind == "delete-copy":
        rng.choice(sorted((fleet / "clusters").glob("copy-*.yaml"))).unlink()
    elif kind == "rename-space":
        spaces = sorted((fleet / "spaces").glob("*.yaml"))
        path = rng.choice(spaces)
        path.rename(path.with_name(f"s{n}-{path.name}"))
    elif kind == "exec-bit":
        path = rng.choice(sorted((fleet / "flows").glob("*.yaml")))
        path.chmod(path.stat().st_mode ^ 0o100)  # git records the executable bit: so must the commit
    else:
        (fleet / "flows" / f"notes-{n}.txt").write_text("junk\n")
        (fleet / f"scratch-{n}.yaml").write_text("junk: true\n")


@pytest.mark.parametrize("seed", [7, 1234])
def test_random_spec_edits_each_commit_holds_its_own_specs_and_their_render(fleet_repo, seed):
    rng = random.Random(seed)
    assert hubctl(fleet_repo, "render").returncode == 0
    assert hubctl(fleet_repo, "commit").returncode == 0
    for n in range(ROUNDS):
        random_edit(fleet_repo, rng, n)
        rendered = hubctl(fleet_repo, "render")
        if rendered.returncode != 0:  # an edit the specs refuse (a duplicate, say): undo it, as a user would
            git(fleet_repo, "checkout", "-q", "--", ".")
            git(fleet_repo, "clean", "-qfd", "clusters", "spaces", "flows")
            assert hubctl(fleet_repo, "render").returncode == 0
        done = hubctl(fleet_repo, "commit", "--allow-prune")
        assert done.returncode == 0, done.stderr
        head = git(fleet_repo, "rev-parse", "HEAD").strip()
        assert tree(fleet_repo, head, "rendered") == render_at(fleet_repo, head), f"seed {seed} round {n}"
        dirty = git(fleet_repo, "status", "--porcelain").splitlines()
        assert all(line.startswith("?? ") for line in dirty), dirty  # only junk is left, untracked
        committed = git(fleet_repo, "ls-tree", "-r", "--name-only", head).split()
        assert not [name for name in committed if "notes-" in name or "scratch-" in name]


def test_two_commits_at_once_one_wins_and_the_branch_stays_whole(fleet_repo):
    assert hubctl(fleet_repo, "render").returncode == 0
    assert hubctl(fleet_repo, "commit").returncode == 0
    before = git(fleet_repo, "rev-parse", "HEAD").strip()
    web = fleet_repo / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("replicas: 4", "replicas: 5", 1))
    assert hubctl(fleet_repo, "render").returncode == 0
    args = [sys.executable, "-m", "hubctl", "commit", "-C", str(fleet_repo)]
    runs = [subprocess.Popen(args, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]

    codes = sorted(code for code, _out, _err in results)
    assert codes in ([0, 0], [0, 5]), results  # the second either finds nothing to commit or is refused
    for code, out, err in results:
        assert code == 0 or ("another hubctl run" in err or "changed while hubctl was committing" in err), err
        assert code != 0 or out.startswith(("committed ", "nothing to commit"))
    assert git(fleet_repo, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    assert git(fleet_repo, "status", "--porcelain") == ""
    assert tree(fleet_repo, "HEAD", "rendered") == render_at(fleet_repo, "HEAD")
