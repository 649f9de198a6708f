"""Documents per second for the YAML emitters hubctl could use, on real rendered manifests.

    .venv/bin/python benchmarks/bench_yaml_emit.py [--runs 5]

The documents are the spoke manifests of examples/fleet (Deployments, Services, PDBs, CronJobs ...).
The emitters take turns within each run (a load change hits them all); both wall-clock and CPU time
(`time.process_time`, which other jobs on a shared machine disturb far less) are measured. Writes
benchmarks/RESULTS-yaml.md: the figures of this run and nothing else.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "RESULTS-yaml.md"


def documents() -> list[dict]:
    import yaml

    from hubctl.usecases.render.fleet import render_fleet
    from hubctl.usecases.validate.loader import load_fleet

    files = render_fleet(load_fleet(ROOT / "examples" / "fleet")).files
    return [d for rel, data in files.items() for d in yaml.safe_load_all(data) if d]


def emitters():
    import yaml
    from ruamel.yaml import YAML

    from hubctl.engines.yaml.yamlio import dump

    def ruamel(typ, pure=False):
        y = YAML(typ=typ, pure=pure)
        y.default_flow_style = False

        def emit(doc):
            buf = io.StringIO()
            y.dump(doc, buf)
            return buf.getvalue()
        return emit

    return {
        "hubctl.engines.yaml.yamlio": dump,
        "ruamel round-trip": ruamel("rt", pure=True),
        "ruamel safe (C)": ruamel("safe"),
        "PyYAML CSafeDumper": lambda d: yaml.dump(d, Dumper=yaml.CSafeDumper, sort_keys=False),
        "json.dumps": json.dumps,
    }


def main() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import machine

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    host = machine()
    docs = documents() * 20
    emit_by_name = emitters()
    wall: dict[str, list[float]] = {name: [] for name in emit_by_name}
    cpu: dict[str, list[float]] = {name: [] for name in emit_by_name}
    for _ in range(args.runs):
        for name, emit in emit_by_name.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            for doc in docs:
                emit(doc)
            wall[name].append(len(docs) / (time.perf_counter() - start))
            cpu[name].append(len(docs) / (time.process_time() - start_cpu))
    ours = statistics.median(cpu["hubctl.engines.yaml.yamlio"])
    lines = ["# Benchmark: YAML emitters", "",
             f"Command: `.venv/bin/python benchmarks/bench_yaml_emit.py --runs {args.runs}`", "",
             f"Machine: {host}", "",
             f"Input: {len(docs)} documents (examples/fleet's rendered manifests x20). Medians of {args.runs} runs, "
             "the emitters taking turns within each run.", "",
             "| emitter | documents/s (CPU) | documents/s (wall) | hubctl.engines.yaml.yamlio / emitter (CPU) |",
             "|---|---|---|---|"]
    for name in emit_by_name:
        rate = statistics.median(cpu[name])
        lines.append(f"| {name} | {rate:,.0f} | {statistics.median(wall[name]):,.0f} | {ours / rate:.1f} |")
    lines += ["", "Raw documents/s (CPU):", "", "```",
              *(f"{name}: {[round(r) for r in rates]}" for name, rates in cpu.items()), "```", ""]
    RESULTS.write_text("\n".join(lines))
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
