"""Validate and render figures on the fleetgen default fleet, side by side with `kubectl kustomize`.

    .venv/bin/python benchmarks/bench_render.py [--runs 5] [--skip-kustomize]

Measures (medians of --runs): `hubctl --help`; `hubctl validate`; a cold `hubctl render` (empty output,
no stamp); a re-render with nothing changed; a render after one flow changes. Then builds equivalent
per-cluster kustomize overlays (one base per flow, one overlay per cluster adding the cluster label, the
same spoke manifests) and times `kubectl kustomize` over every overlay, in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from pathlib import Path

from common import HUBCTL, WORK, bench_fleet, env_with_cache, machine, median, timed


def bench_hubctl(fleet: Path, runs: int) -> dict[str, list[float]]:
    cache = WORK / "cache"
    env = env_with_cache(cache)
    out = WORK / "render-warm"
    flow = fleet / "flows" / "flow-0000.yaml"
    original = flow.read_text()
    figures: dict[str, list[float]] = {"help": [], "validate": [], "cold": [], "unchanged": [], "one_flow": []}
    for run in range(runs):
        figures["help"].append(timed([*HUBCTL, "--help"], env=env))
        figures["validate"].append(timed([*HUBCTL, "validate", "-C", str(fleet)], env=env))
        cold = WORK / f"render-cold-{run}"
        if cold.exists():
            shutil.rmtree(cold)
        figures["cold"].append(timed([*HUBCTL, "render", "-C", str(fleet), "--out", str(cold)], env=env))
        timed([*HUBCTL, "render", "-C", str(fleet), "--out", str(out)], env=env)
        figures["unchanged"].append(timed([*HUBCTL, "render", "-C", str(fleet), "--out", str(out)], env=env))
        flow.write_text(original.replace(":1.0.0", f":1.0.{run + 1}"))
        figures["one_flow"].append(timed([*HUBCTL, "render", "-C", str(fleet), "--out", str(out)], env=env))
        flow.write_text(original)
    return figures


def kustomize_tree(render_dir: Path, target: Path) -> list[Path]:
    """One kustomize base per flow and one overlay per cluster producing the same spoke manifests."""
    bases: set[str] = set()
    overlays = []
    for cluster_dir in sorted((render_dir / "spokes").iterdir()):
        resources = []
        for manifests in sorted(cluster_dir.glob("flows/*/*/manifests.yaml")):
            space, flow = manifests.parent.parent.name, manifests.parent.name
            base = target / "bases" / f"{space}-{flow}"
            if f"{space}-{flow}" not in bases:
                base.mkdir(parents=True, exist_ok=True)
                (base / "manifests.yaml").write_bytes(manifests.read_bytes())
                (base / "kustomization.yaml").write_text("resources:\n- manifests.yaml\n")
                bases.add(f"{space}-{flow}")
            resources.append(f"../../bases/{space}-{flow}")
        overlay = target / "clusters" / cluster_dir.name
        overlay.mkdir(parents=True, exist_ok=True)
        lines = ["resources:", *(f"- {r}" for r in resources),
                 "labels:", "- pairs:", f"    hubctl.io/cluster: {cluster_dir.name}"]
        (overlay / "kustomization.yaml").write_text("\n".join(lines) + "\n")
        overlays.append(overlay)
    return overlays


def bench_kustomize(overlays: list[Path], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for overlay in overlays:
            subprocess.run(["kubectl", "kustomize", str(overlay)], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-kustomize", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    fleet = bench_fleet()
    figures = bench_hubctl(fleet, args.runs)
    for name, values in figures.items():
        print(f"{name:10} median {median(values):6.2f} s  runs {', '.join(f'{v:.2f}' for v in values)}")
    if not args.skip_kustomize and shutil.which("kubectl"):
        overlays = kustomize_tree(WORK / "render-warm", WORK / "kustomize")
        k = bench_kustomize(overlays, max(1, args.runs // 2))
        print(f"kustomize  median {median(k):6.2f} s  ({len(overlays)} overlays) "
              f"runs {', '.join(f'{v:.2f}' for v in k)}")
        print(f"ratio cold hubctl render / kubectl kustomize: {median(figures['cold']) / median(k):.2f}")
    for run in range(args.runs):  # the cold outputs go last: mass deletes stall this disk
        shutil.rmtree(WORK / f"render-cold-{run}", ignore_errors=True)


if __name__ == "__main__":
    main()
