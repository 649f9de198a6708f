"""Benchmark `hubctl diff` on the fleetgen default fleet against a naive alternative, side by side in one run.

Changes, each applied to the working tree of a repository holding the fleet (base = main):
  (1) one flow changes (an image tag);
  (2) a cluster label changes (prod-eu-west-0002 becomes a staging cluster: flows leave and arrive).

hubctl: `hubctl diff -C FLEET` (text to a file): both sides rendered in memory from Git objects, placement
delta, folded diffs, risk and prune guard.
naive: what one would script without it: `hubctl render --out BASE` in a worktree of main plus
`hubctl render --out HEAD` in the fleet, then `git diff --no-index --stat BASE HEAD`. The output
directories are reused between runs (render only rewrites changed files), which favours the naive side.

Everything lives under benchmarks/.work/diff/ and is reused (never deleted: the disk stalls after large
deletions). Usage: .venv/bin/python benchmarks/bench_diff.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from fleetgen import generate  # noqa: E402

WORK = ROOT / "benchmarks" / ".work" / "diff"
FLEET = WORK / "fleet"
BASE_TREE = WORK / "base-worktree"
RESULTS = ROOT / "benchmarks" / "RESULTS-diff.md"
HUBCTL = str(Path(sys.executable).parent / "hubctl")
ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench",
       "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_AUTHOR_DATE": "@1700000000 +0000",
       "GIT_COMMITTER_DATE": "@1700000000 +0000", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
LABEL_CLUSTER = "clusters/prod-eu-west-0002.yaml"


def run(*args, cwd=None, check=True, env=None) -> subprocess.CompletedProcess:
    done = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, env={**os.environ, **ENV, **(env or {})})
    if check and done.returncode not in (0, 1, 10):  # git diff --stat exits 1 on differences; diff 10 on prune
        raise RuntimeError(f"{' '.join(map(str, args))}: exit {done.returncode}\n{done.stderr}")
    return done


def prepare() -> None:
    """The fleet, committed on main (once), with a clean working tree and a worktree of main for the naive side."""
    generate(FLEET)
    if not (FLEET / ".git").exists():
        run("git", "init", "-q", "-b", "main", cwd=FLEET)
        (FLEET / ".gitignore").write_text("rendered/\n")
        run("git", "add", "-A", cwd=FLEET)
        run("git", "commit", "-q", "-m", "fleet", cwd=FLEET)
    run("git", "checkout", "-q", "--", ".", cwd=FLEET)
    if not BASE_TREE.exists():
        run("git", "worktree", "add", "-q", "--detach", str(BASE_TREE), "main", cwd=FLEET)


def one_flow(apply: bool) -> None:
    path = FLEET / "flows" / "flow-0000.yaml"
    text = path.read_text()
    path.write_text(text.replace(":1.0.0", ":1.0.1") if apply else text.replace(":1.0.1", ":1.0.0"))


def cluster_label(apply: bool) -> None:
    path = FLEET / LABEL_CLUSTER
    text = path.read_text()
    old, new = ("environment: prod", "environment: staging") if apply else ("environment: staging", "environment: prod")
    path.write_text(text.replace(old, new))


def hubctl_diff(fork: bool = True) -> tuple[float, str]:
    start = time.perf_counter()
    done = run(HUBCTL, "diff", "-C", str(FLEET), env={} if fork else {"HUBCTL_NO_FORK": "1"})
    return time.perf_counter() - start, done.stdout


def naive() -> float:
    """Both sides really rendered: an empty cache, so render's stamp cannot skip the unchanged base."""
    cache = Path(tempfile.mkdtemp(dir=WORK, prefix="naive-cache-"))
    start = time.perf_counter()
    run(HUBCTL, "render", "-C", str(BASE_TREE), "--out", str(WORK / "naive-base"), env={"XDG_CACHE_HOME": str(cache)})
    run(HUBCTL, "render", "-C", str(FLEET), "--out", str(WORK / "naive-head"), env={"XDG_CACHE_HOME": str(cache)})
    run("git", "diff", "--no-index", "--stat", str(WORK / "naive-base"), str(WORK / "naive-head"))
    seconds = time.perf_counter() - start
    shutil.rmtree(cache)  # two small stamp files
    return seconds


def measure(change, runs: int) -> dict:
    change(True)
    try:
        naive()  # warm the naive output directories once (favours naive)
        ours, sequential, theirs, summary = [], [], [], ""
        for _ in range(runs):  # interleaved, so a busy machine slows all alike
            seconds, out = hubctl_diff()
            ours.append(seconds)
            summary = "\n".join(line for line in out.splitlines()[:12])
            sequential.append(hubctl_diff(fork=False)[0])
            theirs.append(naive())
    finally:
        change(False)
    return {"hubctl": ours, "sequential": sequential, "naive": theirs, "summary": summary}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    import pygit2

    return (f"{os.cpu_count()} CPUs, {cpu}; {platform.system()} {platform.release()}; Python "
            f"{platform.python_version()}, pygit2 {pygit2.__version__}; load average at start "
            f"{os.getloadavg()[0]:.2f}")


def write_results(results: dict, runs: int, host: str) -> None:
    rows, raw = [], []
    for name, r in results.items():
        ours, theirs = statistics.median(r["hubctl"]), statistics.median(r["naive"])
        sequential = statistics.median(r["sequential"])
        verdict = "ok" if ours <= 5 else "OVER"
        rows.append(f"| {name} | {ours:.2f} s | {sequential:.2f} s | {theirs:.2f} s | {ours / theirs:.2f} | "
                    f"<= 5 s ({verdict}) |")
        raw.append(f"{name}: hubctl {[round(x, 2) for x in r['hubctl']]} sequential "
                   f"{[round(x, 2) for x in r['sequential']]} naive {[round(x, 2) for x in r['naive']]}")
    summaries = "\n\n".join(f"{name}:\n\n```\n{r['summary']}\n```" for name, r in results.items())
    RESULTS.write_text(f"""# Benchmark: `hubctl diff`

Command: `.venv/bin/python benchmarks/bench_diff.py --runs {runs}`

Machine: {host}

Input: the fleetgen default fleet (500 clusters, 50 spaces, 400 flows, about 18,700 placements, 33,000
rendered files) committed on `main`; the change is in the working tree. hubctl = `hubctl diff -C FLEET`
(wall time of the process, text output; the base loads in a forked process); sequential = the same with
`HUBCTL_NO_FORK=1`. naive = `hubctl render` of a worktree of main + `hubctl render` of the working tree +
`git diff --no-index --stat`, with an empty cache so that both sides are really rendered (the output
directories are reused between runs, so files are compared and not rewritten).

Medians of {runs} runs, interleaved; ratio = hubctl / naive.

| change | hubctl diff | sequential | naive | ratio (hubctl / naive) | target |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Raw seconds:

```
{chr(10).join(raw)}
```

What `hubctl diff` printed first:

{summaries}
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    host = machine()
    prepare()
    results = {"one flow changes (image tag, 20 clusters)": measure(one_flow, args.runs),
               "cluster label changes (prod -> staging)": measure(cluster_label, args.runs)}
    write_results(results, args.runs, host)
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
