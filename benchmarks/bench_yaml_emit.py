"""Documents per second for the YAML emitters hubctl could use, on real rendered manifests.

    .venv/bin/python benchmarks/bench_yaml_emit.py [--runs 5]

The documents are the spoke manifests of examples/fleet (Deployments, Services, PDBs, CronJobs ...).
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


def documents() -> list[dict]:
    import yaml

    from hubctl.render.fleet import render_fleet
    from hubctl.spec.loader import load_fleet

    files = render_fleet(load_fleet(ROOT / "examples" / "fleet")).files
    return [d for rel, data in files.items() for d in yaml.safe_load_all(data) if d]


def emitters():
    import yaml
    from ruamel.yaml import YAML

    from hubctl.yamlio import dump

    def ruamel(typ, pure=False):
        y = YAML(typ=typ, pure=pure)
        y.default_flow_style = False

        def emit(doc):
            buf = io.StringIO()
            y.dump(doc, buf)
            return buf.getvalue()
        return emit

    return {
        "hubctl.yamlio": dump,
        "ruamel round-trip": ruamel("rt", pure=True),
        "ruamel safe (C)": ruamel("safe"),
        "PyYAML CSafeDumper": lambda d: yaml.dump(d, Dumper=yaml.CSafeDumper, sort_keys=False),
        "json.dumps": json.dumps,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    docs = documents() * 20
    for name, emit in emitters().items():
        rates = []
        for _ in range(args.runs):
            start = time.perf_counter()
            for doc in docs:
                emit(doc)
            rates.append(len(docs) / (time.perf_counter() - start))
        print(f"{name:20} {statistics.median(rates):9,.0f} docs/s (median of {args.runs}, {len(docs)} docs)")


if __name__ == "__main__":
    main()
