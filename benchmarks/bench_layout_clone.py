"""Committed size and fresh-clone time of the deploy tree, per render layout (files, variants).

    .venv/bin/python benchmarks/bench_layout_clone.py [--clusters 4000] [--runs 3]

For each layout: the fleetgen fleet (N clusters, 50 spaces, 400 flows) as a Git repository of its specs;
`hubctl render`; `hubctl commit --render-only --push --remote BARE` into a fresh bare repository (the specs
commit goes along, in both layouts); then `git clone --no-local BARE` (a real pack transfer, no hardlinks)
--runs times. Prints the files committed, the bare repository's
pack size, the commit's time and the clone median. Then one flow changes (flows/flow-0000.yaml's image tag
moves on by one patch version), `hubctl render`, and the second `hubctl commit --render-only --push` is
timed the same way, followed by a `git status` in the fleet repository (the index hubctl left must not make
git hash the render again). Writes nothing outside benchmarks/.work/.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from bench_scale import run, set_layout
from common import HUBCTL, WORK, bench_fleet, env_with_cache, machine, median

ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench",
       "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_AUTHOR_DATE": "@1700000000 +0000",
       "GIT_COMMITTER_DATE": "@1700000000 +0000", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["git", "-c", "gc.auto=0", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **ENV}, check=True)
    return done.stdout.strip()


def pack_bytes(bare: Path) -> int:
    stats = dict(line.split(": ", 1) for line in git("count-objects", "-v", cwd=bare).splitlines())
    return (int(stats["size"]) + int(stats["size-pack"])) * 1024


def bench(clusters: int, layout: str, runs: int) -> None:
    base = WORK / f"clone-{clusters}-{layout}"
    shutil.rmtree(base, ignore_errors=True)
    fleet = base / "fleet"
    shutil.copytree(bench_fleet(clusters), fleet)
    set_layout(fleet, layout)
    git("init", "-q", "-b", "main", cwd=fleet)
    git("add", "-A", cwd=fleet)
    git("commit", "-q", "-m", "specs", cwd=fleet)
    bare = base / "deploy.git"
    git("init", "-q", "--bare", "-b", "main", str(bare))
    env = {**env_with_cache(WORK / f"cache-clone-{clusters}"), **ENV}
    run([*HUBCTL, "render", "-C", str(fleet)], env)
    seconds, rss, cpu = run([*HUBCTL, "commit", "-C", str(fleet), "--render-only", "--push", "--remote", str(bare),
                             "-m", f"render ({layout})"], env)
    files = len(git("ls-tree", "-r", "--name-only", "main", cwd=bare).splitlines())
    size = pack_bytes(bare)
    clones = []
    for i in range(runs):
        target = base / f"clone-{i}"
        start = time.perf_counter()
        git("clone", "-q", "--no-local", str(bare), str(target))
        clones.append(time.perf_counter() - start)
    checkout = sum(p.stat().st_size for p in (base / "clone-0").rglob("*") if p.is_file() and ".git" not in p.parts)
    print(f"N={clusters} {layout:8} files {files:>8,}  pack {size / 1e6:8.1f} MB  checkout {checkout / 1e6:8.1f} MB  "
          f"commit+push {seconds:6.1f} s ({cpu:.1f} s CPU, {rss / 1e6:.0f} MB)  clone median {median(clones):6.2f} s  "
          f"runs {', '.join(f'{v:.2f}' for v in clones)}", flush=True)
    start = time.perf_counter()
    git("status", "--porcelain", cwd=fleet)
    status = time.perf_counter() - start
    flow = fleet / "flows" / "flow-0000.yaml"
    flow.write_text(re.sub(r":1\.0\.(\d+)", lambda m: f":1.0.{int(m.group(1)) + 1}", flow.read_text(), count=1))
    run([*HUBCTL, "render", "-C", str(fleet)], env)
    seconds, rss, cpu = run([*HUBCTL, "commit", "-C", str(fleet), "--render-only", "--push", "--remote", str(bare),
                             "-m", "one flow"], env)
    changed = git("diff", "--name-only", "HEAD~1", "HEAD", cwd=fleet).splitlines()
    print(f"N={clusters} {layout:8} git status after the first commit {status:6.2f} s  one flow changed: "
          f"{len(changed):,} files, commit+push {seconds:6.1f} s ({cpu:.1f} s CPU, {rss / 1e6:.0f} MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layouts", default="variants,files")
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    for layout in args.layouts.split(","):
        bench(args.clusters, layout, args.runs)


if __name__ == "__main__":
    main()
