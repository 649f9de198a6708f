"""Benchmark: `hubctl status` over 20,000 Applications on loopback, against naive readers.

An in-process emulator is seeded with N Applications (Synced/Healthy, shaped like Argo CD v3.5.1's).
Each contender runs as a child process; wall time and the child's peak RSS (wait4 rusage) are recorded.

  hubctl      the status path of `hubctl status -o json` (reader, engine, JSON output) with the expected
              apps given directly (fleet loading is benchmarked by the render benchmark)
  client-all  kubernetes client, every page appended to one list with default deserialisation
  kubectl     `kubectl get applications -o json` (chunks of 500, holds and prints everything)

Usage: python benchmarks/bench_status.py [--apps 20000] [--runs 5] [--output text|json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FLOWS, SPACES = 100, 10
SELECTOR = "app.kubernetes.io/managed-by=hubctl"
REVISION = "3f0c9a1e2b7d4c5a6e8f9012345678901234abcd"


def expected(count: int):
    from hubctl.usecases.status.expected import ExpectedApp

    clusters = max(1, count // FLOWS)
    return [ExpectedApp.of(f"space-{f % SPACES}", f"flow-{f:03d}", f"cluster-{c:04d}", "prod")
            for f in range(FLOWS) for c in range(clusters)][:count]


def child_hubctl(kubeconfig: str, count: int, output: str) -> None:
    from hubctl.adapters.hub.kube import KubeReader, KubeSettings
    from hubctl.base.errors import ExitCode
    from hubctl.usecases.status.ancestry import exact
    from hubctl.usecases.status.report import dumps, status_json
    from hubctl.usecases.status.status import Filters, read_once

    result = read_once(KubeReader(KubeSettings(kubeconfig)), expected(count), REVISION, exact, Filters())
    if output == "json":
        sys.stdout.write(dumps(status_json(result.tracker, result.exit_code, "kube", False)))
    else:
        from hubctl.cli.status import _print

        _print(result, "kube", "text")
    assert result.exit_code == ExitCode.OK, result.tracker.summary()


def child_client_all(kubeconfig: str) -> None:
    from kubernetes import client, config

    api = client.CustomObjectsApi(config.new_client_from_config(kubeconfig))
    items, token = [], None
    while True:
        page = api.list_namespaced_custom_object("argoproj.io", "v1alpha1", "argocd", "applications",
                                                 label_selector=SELECTOR, limit=500, _continue=token)
        items.extend(page["items"])
        token = page["metadata"].get("continue")
        if not token:
            break
    print(len(items))


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child run; stdout discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:3]} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default="json")
    parser.add_argument("--child", nargs="*")
    parser.add_argument("--serve")
    args = parser.parse_args()
    if args.serve:
        return serve(args.apps, Path(args.serve))
    if args.child:
        kind, kubeconfig = args.child[0], args.child[1]
        return child_hubctl(kubeconfig, args.apps, args.output) if kind == "hubctl" else child_client_all(kubeconfig)
    # The emulator runs in its own process: Linux keeps a process's peak RSS across fork and exec, so
    # children forked from a driver holding 20,000 Applications would all report the driver's peak.
    work = Path(tempfile.mkdtemp(prefix="bench-status-"))
    config = work / "kubeconfig"
    server = subprocess.Popen([sys.executable, __file__, "--apps", str(args.apps), "--serve", str(config)])
    while not config.exists() or not config.read_text().endswith("\n"):
        time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit("the emulator process failed")
    me = [sys.executable, __file__, "--apps", str(args.apps), "--output", args.output, "--child"]
    contenders = {"hubctl": me + ["hubctl", str(config)], "client-all": me + ["client-all", str(config)]}
    if shutil.which("kubectl"):
        contenders["kubectl"] = ["kubectl", "--kubeconfig", str(config), "get", "applications.argoproj.io",
                                 "-n", "argocd", "-l", SELECTOR, "-o", "json"]
    results = {name: [measure(argv) for _ in range(args.runs)] for name, argv in contenders.items()}
    server.terminate()
    server.wait()
    report(results, args)


def serve(count: int, config: Path) -> None:
    from hubctl.emulator import Emulator, kubeconfig
    from tests.hub.conftest import manifest

    # No token: kubectl sends bearer tokens only over TLS, and authentication is not what is measured.
    emulator = Emulator(auto=False, applications_at=lambda commit: [], token=None)
    emulator.seed((manifest(a) for a in expected(count)), REVISION)
    url = emulator.start()
    config.write_text(json.dumps(kubeconfig(url, None)) + "\n")
    try:
        time.sleep(3600)
    finally:
        emulator.stop()


def report(results: dict, args) -> None:
    med = {name: (statistics.median(r[0] for r in runs), max(r[1] for r in runs)) for name, runs in results.items()}
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"{args.apps} Applications, {args.runs} runs each, hubctl output {args.output}; median wall s, peak RSS MB")
    base_t, base_m = med["hubctl"]
    for name, (seconds, rss) in med.items():
        print(f"  {name:<11} {seconds:7.2f} s  {rss:7.0f} MB   time x{seconds / base_t:.2f}  memory x{rss / base_m:.2f}"
              f"  (runs: {', '.join(f'{r[0]:.2f}' for r in results[name])})")


if __name__ == "__main__":
    main()
