"""Validate and render at fleet scale (issue #17): time and peak RSS per step, for one or more fleet sizes.

    .venv/bin/python benchmarks/bench_scale.py [--clusters 500,4000] [--runs 3] [--layout files|variants]

For each size (benchmarks/fleetgen.py --clusters N, 50 spaces, 400 flows) measures, as medians of --runs:
`hubctl validate`; a cold `hubctl render` (empty output, warm caches, as bench_render.py) with its peak RSS;
a re-render with nothing changed; a render after one flow changes. Prints the rendered files and bytes.
Peak RSS is the child's ru_maxrss from wait4 (the largest of the command and the processes it waited for).
The code measured is the checkout this file lives in, so a copy of another commit measures that commit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time
from pathlib import Path

from common import HUBCTL, WORK, bench_fleet, env_with_cache, machine, median


def run(cmd: list[str], env: dict) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (bytes) and CPU seconds (user + system) of one command; exits on failure."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} exited {proc.returncode}: {err.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def tree_size(root: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(dirpath, name)).st_size
    return files, size


def set_layout(fleet: Path, layout: str) -> None:
    hub = fleet / "hubctl.yaml"
    text = hub.read_text().split("  render:\n")[0]
    if layout != "files":
        text += f"  render:\n    layout: {layout}\n"
    hub.write_text(text)


def bench(clusters: int, runs: int, layout: str) -> dict[str, list[float]]:
    fleet = bench_fleet(clusters)
    if layout != "files":  # a copy of its own: another run may be using the fleet meanwhile
        shutil.copytree(fleet, WORK / f"fleet-{clusters}-{layout}", dirs_exist_ok=True)
        fleet = WORK / f"fleet-{clusters}-{layout}"
    set_layout(fleet, layout)
    env = env_with_cache(WORK / f"cache-{clusters}")
    out = WORK / f"render-{clusters}-{layout}"
    flow = fleet / "flows" / "flow-0000.yaml"
    original = flow.read_text()
    names = ("validate", "cold", "unchanged", "one_flow")
    figures: dict[str, list[float]] = {key: [] for name in names for key in (name, name + "_cpu")}
    figures["cold_rss_mb"] = []

    def measure(name: str, cmd: list[str]) -> int:
        seconds, rss, cpu = run(cmd, env)
        figures[name].append(seconds)
        figures[name + "_cpu"].append(cpu)
        return rss

    run([*HUBCTL, "validate", "-C", str(fleet)], env)  # warm the parse cache after a code change
    try:
        for i in range(runs):
            measure("validate", [*HUBCTL, "validate", "-C", str(fleet)])
            cold = WORK / f"render-cold-{clusters}-{layout}-{i}"
            rss = measure("cold", [*HUBCTL, "render", "-C", str(fleet), "--out", str(cold)])
            figures["cold_rss_mb"].append(rss / 1e6)
            if i == 0:
                files, size = tree_size(cold)
                print(f"  N={clusters} {layout}: {files:,} files, {size / 1e6:,.1f} MB", flush=True)
            run([*HUBCTL, "render", "-C", str(fleet), "--out", str(out)], env)
            measure("unchanged", [*HUBCTL, "render", "-C", str(fleet), "--out", str(out)])
            flow.write_text(original.replace(":1.0.0", f":1.0.{i + 1}"))
            measure("one_flow", [*HUBCTL, "render", "-C", str(fleet), "--out", str(out)])
            flow.write_text(original)
    finally:
        flow.write_text(original)
        set_layout(fleet, "files")
        for i in range(runs):  # deleted last: mass deletes stall this disk (and the runs after them)
            shutil.rmtree(WORK / f"render-cold-{clusters}-{layout}-{i}", ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", default="500,4000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layout", default="files", choices=["files", "variants"])
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    for clusters in (int(n) for n in args.clusters.split(",")):
        figures = bench(clusters, args.runs, args.layout)
        for name, values in figures.items():
            unit = "MB" if name.endswith("_mb") else "s CPU" if name.endswith("_cpu") else "s"
            print(f"N={clusters:<5} {name:12} median {median(values):8.2f} {unit}  "
                  f"runs {', '.join(f'{v:.2f}' for v in values)}", flush=True)


if __name__ == "__main__":
    main()
