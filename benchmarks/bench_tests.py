"""The full test suite's wall and CPU time: an older revision against the working tree, run alternately.

    .venv/bin/python benchmarks/bench_tests.py --base REV [--runs 2] [--shared DIR]

Both sides are copied under benchmarks/.work/ (REV with `git archive`, the working tree with the files Git
knows), each with ../shared beside it (a link to --shared, default the repository's own ../shared, so both
run the same reference tests), and run as `make test` runs them (CI=true): the base side with the pytest
options of its own Makefile, the new side with this tree's. Runs alternate (new, base, new, base, ...) so that
a shared machine's load falls on both. CPU time is user + system of pytest and every process it waited for
(its xdist workers, the CLIs and servers the tests start). Writes benchmarks/RESULTS-tests.md.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, WORK, machine, median  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS-tests.md"


def pytest_options(tree: Path) -> list[str]:
    """The options `make test` gives pytest in `tree`'s Makefile (its PYTEST_OPTIONS, if it has them)."""
    text = (tree / "Makefile").read_text()
    found = re.search(r"^PYTEST_OPTIONS\s*\?=\s*(.*)$", text, re.MULTILINE)
    return found.group(1).split() if found else []


def copy_base(rev: str, shared: Path) -> Path:
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    target = WORK / "tests" / sha
    if not target.is_dir():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    link_shared(target.parent, shared)
    return target


def copy_new(shared: Path) -> Path:
    target = WORK / "tests" / "new"
    shutil.rmtree(target, ignore_errors=True)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not name.startswith("benchmarks/.work/"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    link_shared(target.parent, shared)
    return target


def link_shared(parent: Path, shared: Path) -> None:
    link = parent / "shared"
    if shared.is_dir() and not link.exists():
        link.symlink_to(shared.resolve())


def run_suite(tree: Path, options: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, pytest's last line)."""
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options], cwd=tree,
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = done.stdout.strip().splitlines()
    return wall, cpu, lines[-1] if lines else f"exit {done.returncode}: {done.stderr[-500:]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision to compare with (e.g. the merge base)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS-tests.md alone")
    args = parser.parse_args()

    base, new = copy_base(args.base, args.shared), copy_new(args.shared)
    sides = {"after": (new, pytest_options(new)), f"before ({base.name})": (base, pytest_options(base))}
    report = [f"machine: {machine()}"]
    for label, (_, options) in sides.items():
        report.append(f"{label}: pytest -q -p no:cacheprovider {' '.join(options)}".rstrip())
    print("\n".join(report), flush=True)
    walls: dict[str, list[float]] = {label: [] for label in sides}
    cpus: dict[str, list[float]] = {label: [] for label in sides}
    for run in range(args.runs):
        for label, (tree, options) in sides.items():
            load = os.getloadavg()[0]
            wall, cpu, summary = run_suite(tree, options)
            walls[label].append(wall)
            cpus[label].append(cpu)
            line = f"run {run + 1} {label}: wall {wall:.0f} s, CPU {cpu:.0f} s, load {load:.1f} at start: {summary}"
            report.append(line)
            print(line, flush=True)
    for label in sides:
        line = (f"{label:<20} wall median {median(walls[label]):6.0f} s  CPU median {median(cpus[label]):6.0f} s  "
                f"runs {', '.join(f'{w:.0f}' for w in walls[label])}")
        report.append(line)
        print(line)
    after, before = (median(walls[label]) for label in sides)
    report.append(f"wall time after / before: {after / before:.2f}")
    print(report[-1])
    if not args.no_write:
        RESULTS.write_text("# Test suite\n\n`.venv/bin/python benchmarks/bench_tests.py "
                           f"--base {args.base} --runs {args.runs}`\n\n```\n" + "\n".join(report) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
