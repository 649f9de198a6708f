"""Helpers shared by the benchmarks: timing commands, medians, the benchmark fleet, machine facts."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
HUBCTL = [sys.executable, "-m", "hubctl"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, load {load:.1f} at start"


def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None, ok=(0,)) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode not in ok:
        raise SystemExit(f"{' '.join(map(str, cmd))} exited {result.returncode}: {result.stderr.decode()[-2000:]}")
    return elapsed


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_fleet(clusters: int = 500, spaces: int = 50, flows: int = 400) -> Path:
    """The fleetgen fleet under benchmarks/.work/ (generated once, rewritten only where it changed)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from fleetgen import generate

    return generate(WORK / f"fleet-{clusters}-{spaces}-{flows}", clusters, spaces, flows)


def env_with_cache(cache: Path) -> dict:
    """The environment of a measured command: its own cache, this checkout's code, and compiled bytecode kept
    (under WORK/pycache, out of the tree) as an installed package has it, even where PYTHONDONTWRITEBYTECODE
    is set: compiling hubctl's modules again on every run would add 0.1 s to each."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT),
           "PYTHONPYCACHEPREFIX": str(WORK / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
