"""Run every benchmark in turn (`make bench`); each prints its figures and writes RESULTS-*.md where it does.

    .venv/bin/python benchmarks/run.py [--quick]

--quick runs each with fewer repetitions. The full set takes about half an hour on 2 vCPUs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ("bench_yaml_emit.py", ["--runs", "5"], ["--runs", "2"]),
    ("bench_schema.py", ["--runs", "7"], ["--runs", "2"]),
    ("bench_render.py", ["--runs", "5"], ["--runs", "2", "--skip-kustomize"]),
    ("bench_appset.py", ["--runs", "7"], ["--runs", "3"]),
    ("bench_status.py", ["--apps", "20000", "--runs", "5"], ["--apps", "20000", "--runs", "2"]),
    ("bench_diff.py", ["--runs", "5"], ["--runs", "2"]),
    ("bench_commit.py", ["--runs", "3"], ["--runs", "1"]),
    ("bench_placement_stability.py", ["--events", "20", "--runs", "3"], ["--events", "5", "--runs", "1"]),
    ("bench_secrets.py", ["--runs", "5"], ["--runs", "1"]),
    ("bench_sharding.py", ["--skewed"], ["--clusters", "100,500", "--seeds", "2", "--no-write"]),
]


def main() -> int:
    quick = "--quick" in sys.argv
    failed = []
    for script, full, short in BENCHES:
        print(f"\n== {script}", flush=True)
        if subprocess.call([sys.executable, str(HERE / script), *(short if quick else full)]) != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
