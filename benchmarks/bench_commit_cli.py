"""Benchmark `hubctl commit` end to end in a fleet repository, after one flow changes.

hubctl = `hubctl commit` (validate, render in memory, check the render on disk is fresh, guard against
inline secrets and pruning, commit with pygit2). git = `git add -A rendered && git commit`, what a user
would run after `hubctl render` without hubctl's checks, on a second clone holding the same change.
`hubctl render` runs before both, untimed. The fleetgen fleet is copied once into
benchmarks/.work/commit-cli/{hubctl,git} and reused (never deleted: the disk stalls after large deletions).

Usage: .venv/bin/python benchmarks/bench_commit_cli.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import HUBCTL, WORK, bench_fleet, env_with_cache, machine, median, timed  # noqa: E402

HERE = WORK / "commit-cli"
IDENTITY = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
FLOW = "flows/flow-0000.yaml"
TAG = re.compile(r":1\.0\.(\d+)")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "gc.auto=0", *args], cwd=repo, check=True, capture_output=True,
                          text=True, env={**os.environ, **IDENTITY}).stdout


def prepare(env: dict) -> dict[str, Path]:
    """Two clones of the fleetgen fleet with its render committed (made once, reused)."""
    repos = {"hubctl": HERE / "hubctl", "git": HERE / "git"}
    for repo in repos.values():
        if (repo / ".git").is_dir():
            continue
        shutil.copytree(bench_fleet(), repo)
        git(repo, "init", "-q", "-b", "main")
        timed([*HUBCTL, "render", "-C", str(repo)], env=env)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "fleet and render")
        git(repo, "status", "--short")  # refresh the index, as any user's first `git status` does
    return repos


def change(repo: Path, env: dict) -> None:
    """One flow's image tag moves on by one patch version, then `hubctl render`, untimed."""
    path = repo / FLOW
    text = path.read_text()
    path.write_text(TAG.sub(lambda m: f":1.0.{int(m.group(1)) + 1}", text, count=1))
    timed([*HUBCTL, "render", "-C", str(repo)], env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**env_with_cache(HERE / "cache"), **IDENTITY}
    repos = prepare(env)
    times: dict[str, list[float]] = {"hubctl": [], "git": []}
    for _run in range(args.runs):
        for name, repo in repos.items():
            change(repo, env)
            if name == "hubctl":
                times[name].append(timed([*HUBCTL, "commit", "-C", str(repo)], env=env))
            else:
                times[name].append(timed(["sh", "-c", "git add -A rendered flows && git commit -q -m flow"],
                                         cwd=repo, env={**os.environ, **IDENTITY}))
    print(f"machine: {machine()}")
    for name, values in times.items():
        print(f"{name:7} median {median(values):6.2f} s  runs {', '.join(f'{v:.2f}' for v in values)}")
    print(f"ratio hubctl commit / git add+commit: {median(times['hubctl']) / median(times['git']):.2f}")


if __name__ == "__main__":
    main()
