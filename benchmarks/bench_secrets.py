"""What the secret scan costs: validate on the fleetgen fleet, the commit guard over its render, and
`hubctl validate` of one 1 MB hostile value.

    python benchmarks/bench_secrets.py [--runs 5] [--code DIR] [--hostile a,sk-,...]

`--code` runs another checkout's hubctl (for a before/after comparison, e.g. an exported older commit); a run
that takes longer than TIMEOUT counts as TIMEOUT.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ["a", "sk-", "eyJ", "//", "://a:", "a=b;"]
TIMEOUT = 100


def timed(code: Path, cache: str, *args: str) -> float:
    """Seconds `hubctl ARGS` took with `code` on the path (TIMEOUT when it ran past it)."""
    env = {**os.environ, "PYTHONPATH": str(code), "XDG_CACHE_HOME": cache}
    start = time.perf_counter()
    try:  # run from a neutral directory: `python -m` puts the working directory before PYTHONPATH
        done = subprocess.run([sys.executable, "-m", "hubctl", *args], env=env, capture_output=True, text=True,
                              cwd=cache, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return float(TIMEOUT)
    if done.returncode not in (0, 3):
        raise SystemExit(done.stderr[-2000:])
    return time.perf_counter() - start


def report(label: str, runs: list[float]) -> None:
    print(f"{label:34s} median {statistics.median(runs):6.2f} s  runs {', '.join(f'{r:.2f}' for r in runs)}")


def guard_runs(fleet: Path, runs: int) -> tuple[list[float], list[float]]:
    sys.path.insert(0, str(ROOT))
    from hubctl.usecases.commit.secretguard import secret_files
    from hubctl.usecases.render.fleet import render_fleet
    from hubctl.usecases.validate.loader import load_fleet

    loaded = load_fleet(fleet)
    cold, warm = [], []
    for _ in range(runs):
        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()
        for into in (cold, warm):
            render = render_fleet(loaded)
            start = time.perf_counter()
            assert secret_files(render.files, render.recipes) == []
            into.append(time.perf_counter() - start)
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--hostile", default=",".join(HOSTILE), help="units of the 1 MB values ('' for none)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    fleet = work / "fleet"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fleetgen.py"), str(fleet)], check=True,
                   capture_output=True)
    cold, warm = [], []
    for _ in range(args.runs):
        cache = tempfile.mkdtemp()
        cold.append(timed(args.code, cache, "validate", "-C", str(fleet)))
        warm.append(timed(args.code, cache, "validate", "-C", str(fleet)))
    report("validate fleetgen, cold caches", cold)
    report("validate fleetgen, warm caches", warm)
    if args.code == ROOT:
        for label, runs in zip(("commit guard, cold", "commit guard, warm"), guard_runs(fleet, args.runs), strict=True):
            report(label, runs)
    small = work / "small"
    shutil.copytree(ROOT / "tests" / "bad_fleets" / "_base", small)
    flow = small / "flows" / "api.yaml"
    base = flow.read_text()
    for unit in filter(None, args.hostile.split(",")):
        value = (unit * (1_000_000 // len(unit)))[:1_000_000]
        flow.write_text(base.replace("image: ghcr.io/example/api:1.0.0",
                                     f"image: ghcr.io/example/api:1.0.0\n    command: ['{value}']"))
        report(f"validate, 1 MB value of {unit!r}",
               [timed(args.code, tempfile.mkdtemp(), "validate", "-C", str(small)) for _ in range(args.runs)])


if __name__ == "__main__":
    main()
