"""Schema validation per document, and `hubctl validate` on the fleetgen fleet, before and after jsonschema-rs.

    .venv/bin/python benchmarks/bench_schema.py [--runs 5] [--before f52f1a5]

Per document: every spec of the fleetgen fleet through the old hand-written fast path (spec/fastcheck.py at
--before), jsonschema-rs and jsonschema (median of --runs passes, CPU microseconds per document). Then
`hubctl validate` (CPU seconds) on the fleet with a cold parse cache (every file parsed and checked) and a warm one, for
the tree at --before (exported with `git archive`) and the working tree. Writes benchmarks/RESULTS-schema.md.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import types
from pathlib import Path

from common import HUBCTL, ROOT, WORK, bench_fleet, env_with_cache, machine, median, timed

sys.path.insert(0, str(ROOT))


def documents(fleet: Path) -> list[tuple[str, object]]:
    from hubctl.engines.yaml.yamlload import load_documents

    out = []
    for path in sorted(fleet.rglob("*.yaml")):
        docs, _ = load_documents(path.name, path.read_bytes())
        out += [(d.data["kind"], d.data) for d in docs if isinstance(d.data, dict) and d.data.get("kind")]
    return out


def old_fastcheck(rev: str):
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:hubctl/spec/fastcheck.py"], check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("old_fastcheck")
    exec(compile(source, "old_fastcheck.py", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def checkers(rev: str) -> dict[str, dict]:
    import jsonschema_rs
    from jsonschema import Draft202012Validator

    from hubctl.base.constants import KINDS
    from hubctl.spec.schema import schema_text

    old = old_fastcheck(rev)
    out: dict[str, dict] = {"old fast path": {}, "jsonschema-rs": {}, "jsonschema": {}}
    for kind in KINDS:
        schema = json.loads(schema_text(kind))
        out["old fast path"][kind] = old.compile_schema(schema)
        out["jsonschema-rs"][kind] = jsonschema_rs.Draft202012Validator(schema).is_valid
        out["jsonschema"][kind] = Draft202012Validator(schema).is_valid
    return out


def per_document(docs, runs: int, rev: str) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    for name, by_kind in checkers(rev).items():
        times = []
        for _ in range(runs):
            start = time.process_time()
            for kind, data in docs:
                by_kind[kind](data)
            times.append((time.process_time() - start) / len(docs) * 1e6)
        results[name] = times
    return results


def export(rev: str) -> Path:
    target = WORK / f"tree-{rev}"
    if not (target / "hubctl").is_dir():
        shutil.rmtree(target, ignore_errors=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target


def cpu_seconds(cmd: list[str], cwd: Path, env: dict) -> float:
    """User + system CPU time of `cmd`: steadier than wall clock on a machine shared with other jobs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed(cmd, cwd=cwd, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def validate_times(trees: dict[str, Path], fleet: Path, runs: int) -> dict[str, list[float]]:
    """CPU seconds of `hubctl validate` per tree, cold and warm parse cache, the trees interleaved run by run
    (cwd is the tree: `python -m` imports hubctl from there)."""
    out: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            for label, tree in trees.items():
                cmd = [*HUBCTL, "validate", "-C", str(fleet)]
                cold = env_with_cache(Path(tmp) / f"{label}-cold-{run}") | {"PYTHONPATH": str(tree)}
                out.setdefault(f"{label}, cold", []).append(cpu_seconds(cmd, tree, cold))
                warm = env_with_cache(Path(tmp) / f"{label}-warm") | {"PYTHONPATH": str(tree)}
                if run == 0:
                    timed(cmd, cwd=tree, env=warm)
                out.setdefault(f"{label}, warm", []).append(cpu_seconds(cmd, tree, warm))
    return out


def _line(name: str, values: list[float], unit: str) -> str:
    return f"{name:<28} median {median(values):8.2f} {unit}  runs {', '.join(f'{v:.2f}' for v in values)}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", default="f52f1a5", help="the revision with the hand-written fast path")
    args = parser.parse_args()
    fleet = bench_fleet()
    docs = documents(fleet)
    lines = [f"machine: {machine()}",
             f"{len(docs)} documents of the fleetgen fleet; CPU microseconds per document (process time)"]
    for name, values in per_document(docs, args.runs, args.before).items():
        lines.append(_line(name, values, "us"))
    lines.append("hubctl validate on the fleetgen fleet, CPU seconds (user + system)")
    trees = {f"validate before ({args.before})": export(args.before), "validate after": ROOT}
    for label, values in validate_times(trees, fleet, args.runs).items():
        lines.append(_line(label, values, "s"))
    text = "\n".join(lines)
    print(text)
    (ROOT / "benchmarks" / "RESULTS-schema.md").write_text(
        f"# Schema validation\n\n`.venv/bin/python benchmarks/bench_schema.py --runs {args.runs}`\n\n"
        f"```\n{text}\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
