"""Benchmark the git layer of `hubctl commit` against the git CLI, side by side in one run.

  (a) first commit of ~100,000 rendered files into a fresh repository: hubctl (build_tree + commit) vs
      `git add -A && git commit` on the same tree (the tree ids are checked equal);
  (b) commit after one flow changes (a handful of files): hubctl vs git add -A && git commit;
  (c) incremental push on loopback, to a file:// bare repository and to git daemon: hubctl vs git push.

The rendered files are generated once under benchmarks/.work/commit/ and reused (never deleted: the disk
stalls after large deletions). Fresh repositories for (a) live in /dev/shm when it exists, so that removing
their 200,000 loose objects costs nothing; everything else is on disk.

Usage: .venv/bin/python benchmarks/bench_commit.py [--runs 3] [--clusters 500] [--files-per-cluster 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hubctl.adapters.git import Credentials, commit_files, push, rebuilder  # noqa: E402
from tests.support.gitservers import GitDaemon  # noqa: E402

WORK = ROOT / "benchmarks" / ".work" / "commit"  # main() narrows it to one directory per input size
RESULTS = ROOT / "benchmarks" / "RESULTS-commit.md"
PREFIX = "rendered"
ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench",
       "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_AUTHOR_DATE": "@1700000000 +0000",
       "GIT_COMMITTER_DATE": "@1700000000 +0000", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(*args, cwd=None) -> str:
    done = subprocess.run(["git", "-c", "gc.auto=0", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **ENV}, check=False)
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr}")
    return done.stdout.strip()


def yaml_doc(rnd: random.Random, cluster: str, name: str) -> bytes:
    """A manifest-like YAML document of 1-3 KB, varied enough to compress like real output."""
    lines = [f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n"
             f"    hubctl.io/cluster: {cluster}\n    hubctl.io/flow: {name}\nspec:\n  template:\n"]
    for i in range(rnd.randint(12, 45)):
        lines.append(f"    - name: env-{i}-{rnd.getrandbits(40):x}\n      value: \"{rnd.getrandbits(64):x}\"\n")
    return "".join(lines).encode()


def generate(clusters: int, per_cluster: int) -> Path:
    """Write the render once into WORK/fleet/rendered; later runs reuse it."""
    fleet = WORK / "fleet"
    marker = WORK / "generated"
    if marker.exists():
        return fleet
    rnd = random.Random(7)
    spaces = 10
    for c in range(clusters):
        cluster = f"cluster-{c:04d}"
        base = fleet / PREFIX / "spokes" / cluster
        for s in range(spaces):
            (base / "spaces").mkdir(parents=True, exist_ok=True)
            (base / "spaces" / f"space-{s}.yaml").write_bytes(yaml_doc(rnd, cluster, f"space-{s}"))
        for f in range(per_cluster - spaces):
            flow_dir = base / "flows" / f"space-{f % spaces}" / f"flow-{f}"
            flow_dir.mkdir(parents=True, exist_ok=True)
            (flow_dir / "manifests.yaml").write_bytes(yaml_doc(rnd, cluster, f"flow-{f}"))
    marker.write_text("ok\n")
    return fleet


def load(fleet: Path) -> dict[str, bytes]:
    base = fleet / PREFIX
    return {path.relative_to(base).as_posix(): path.read_bytes() for path in sorted(base.rglob("*.yaml"))}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def scratch_dir() -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and shutil.disk_usage(shm).free > 8 * 2**30:
        return Path(shm / f"hubctl-bench-{os.getpid()}")
    return WORK / "scratch"


def bench_first_commit(fleet: Path, files: dict[str, bytes], runs: int) -> dict:
    scratch = scratch_dir()
    hub, cli, trees = [], [], set()
    for run in range(runs):
        hub_repo, cli_repo = scratch / f"hubctl-{run}.git", scratch / f"git-{run}.git"
        git("init", "--quiet", "--bare", str(hub_repo))
        git("init", "--quiet", "--bare", str(cli_repo))
        hub.append(timed(lambda r=hub_repo: commit_files(r, branch="main", files=files, prefix=PREFIX,
                                                         message="render")))
        cli.append(timed(lambda r=cli_repo: (git("--git-dir", str(r), "--work-tree", str(fleet), "add", "-A"),
                                             git("--git-dir", str(r), "--work-tree", str(fleet), "commit",
                                                 "--quiet", "-m", "render"))))
        trees |= {git("--git-dir", str(hub_repo), "rev-parse", "main^{tree}"),
                  git("--git-dir", str(cli_repo), "rev-parse", "HEAD^{tree}")}
        shutil.rmtree(hub_repo)
        shutil.rmtree(cli_repo)
    shutil.rmtree(scratch, ignore_errors=True)
    assert len(trees) == 1, f"hubctl and git made different trees: {trees}"
    return {"hubctl": hub, "git": cli, "where": str(scratch.parent)}


FLOW = "flow-11"


def copy_render(render: Path) -> Path:
    """Use a real render (e.g. benchmarks/.work/render-warm from bench_render.py): copied once, reused."""
    fleet = WORK / "fleet"
    if not (WORK / "generated").exists():
        shutil.copytree(render, fleet / PREFIX, dirs_exist_ok=True)
        (WORK / "generated").write_text("copied\n")
    return fleet


def change_one_flow(files: dict[str, bytes], fleet: Path, run: int, clusters: int = 5) -> list[str]:
    """Change one flow on `clusters` clusters, in memory and on disk (for the git CLI side)."""
    changed = sorted(path for path in files if path.endswith(f"/{FLOW}/manifests.yaml"))[:clusters]
    for path in changed:
        files[path] = files[path].split(b"\n# rev")[0] + f"\n# rev {time.time_ns()} {run}\n".encode()
        (fleet / PREFIX / path).write_bytes(files[path])
    return changed


def prepared_repos(fleet: Path, files: dict[str, bytes]) -> tuple[str, str]:
    """Persistent repositories with the render committed once (reused across invocations)."""
    hub_repo, cli_repo = WORK / "incremental-hubctl.git", WORK / "incremental-git.git"
    if not _has_branch(hub_repo):
        git("init", "--quiet", "--bare", str(hub_repo))
        commit_files(hub_repo, branch="main", files=files, prefix=PREFIX, message="render")
    if not (cli_repo / "HEAD").exists():
        git("init", "--quiet", "--bare", str(cli_repo))
        git("--git-dir", str(cli_repo), "--work-tree", str(fleet), "add", "-A")
        git("--git-dir", str(cli_repo), "--work-tree", str(fleet), "commit", "--quiet", "-m", "render")
    return str(hub_repo), str(cli_repo)


def _has_branch(repo: Path) -> bool:
    return (repo / "HEAD").exists() and bool(git("--git-dir", str(repo), "for-each-ref", "refs/heads/main"))


def bench_incremental(fleet: Path, files: dict[str, bytes], runs: int) -> dict:
    hub_repo, cli_repo = prepared_repos(fleet, files)
    git("--git-dir", cli_repo, "--work-tree", str(fleet), "add", "-A")  # warm the index for the CLI
    hub, cli = [], []
    for run in range(runs):
        change_one_flow(files, fleet, run)
        hub.append(timed(lambda: commit_files(hub_repo, branch="main", files=files, prefix=PREFIX,
                                              message="one flow")))
        cli.append(timed(lambda: (git("--git-dir", cli_repo, "--work-tree", str(fleet), "add", "-A"),
                                  git("--git-dir", cli_repo, "--work-tree", str(fleet), "commit", "--quiet",
                                      "-m", "one flow"))))
    return {"hubctl": hub, "git": cli}


def bench_push(fleet: Path, files: dict[str, bytes], runs: int) -> dict:
    hub_repo, _cli = prepared_repos(fleet, files)
    remotes = WORK / "remotes"
    remotes.mkdir(exist_ok=True)
    for name in ("hubctl-file.git", "git-file.git", "hubctl-daemon.git", "git-daemon.git"):
        if not (remotes / name / "HEAD").exists():
            git("init", "--quiet", "--bare", str(remotes / name))
    results = {}
    with GitDaemon(remotes) as daemon:
        urls = {"file": (f"file://{remotes}/hubctl-file.git", f"file://{remotes}/git-file.git"),
                "daemon": (daemon.url("hubctl-daemon.git"), daemon.url("git-daemon.git"))}
        for kind, (hub_url, cli_url) in urls.items():
            _push_both(hub_repo, hub_url, cli_url, files)  # seed the remotes, untimed
            hub, cli = [], []
            for run in range(runs):
                change_one_flow(files, fleet, run)
                commit_files(hub_repo, branch="main", files=files, prefix=PREFIX, message="one flow")
                hub.append(timed(lambda u=hub_url: _hub_push(hub_repo, u, files)))
                cli.append(timed(lambda u=cli_url: git("--git-dir", hub_repo, "push", "--quiet", u, "main:main")))
            results[kind] = {"hubctl": hub, "git": cli}
    return results


def _hub_push(repo: str, url: str, files) -> None:
    rebuild = rebuilder(repo, branch="main", files=files, prefix=PREFIX, message="one flow")
    push(repo, remote=url, branch="main", rebuild=rebuild, credentials=Credentials())


def _push_both(repo: str, hub_url: str, cli_url: str, files) -> None:
    _hub_push(repo, hub_url, files)
    git("--git-dir", repo, "push", "--quiet", "--force", cli_url, "main:main")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    import pygit2

    return (f"{os.cpu_count()} CPUs (nproc), {cpu}; Python {platform.python_version()}, pygit2 "
            f"{pygit2.__version__} (libgit2 {pygit2.LIBGIT2_VERSION}), {git('--version')}")


def row(label: str, target: str, pair: dict) -> str:
    hub, cli = statistics.median(pair["hubctl"]), statistics.median(pair["git"])
    return f"| {label} | {hub:.3f} s | {cli:.3f} s | {hub / cli:.2f} | {target} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clusters", type=int, default=500)
    parser.add_argument("--files-per-cluster", type=int, default=200)
    parser.add_argument("--render", type=Path, help="commit this render directory instead of synthetic files "
                        "(e.g. benchmarks/.work/render-warm, the fleetgen render from bench_render.py)")
    parser.add_argument("--flow", default="flow-11", help="the flow whose manifests change in (b) and (c)")
    args = parser.parse_args()
    global WORK, FLOW
    FLOW = args.flow
    WORK = WORK / (f"render-{args.render.name}" if args.render else f"{args.clusters}x{args.files_per_cluster}")
    os.environ.update(ENV)
    load_at_start = os.getloadavg()[0]
    WORK.mkdir(parents=True, exist_ok=True)
    fleet = copy_render(args.render) if args.render else generate(args.clusters, args.files_per_cluster)
    files = load(fleet)
    size = sum(map(len, files.values()))
    print(f"{len(files)} files, {size / 1e6:.1f} MB", flush=True)
    first = bench_first_commit(fleet, files, args.runs)
    print("first commit", first, flush=True)
    incremental = bench_incremental(fleet, files, max(args.runs, 5))
    print("incremental", incremental, flush=True)
    pushes = bench_push(fleet, files, max(args.runs, 5))
    print("push", pushes, flush=True)
    lines = [
        "# Benchmark: commit and push (git layer of `hubctl commit`)", "",
        f"Command: `{Path(sys.executable).relative_to(ROOT) if sys.executable.startswith(str(ROOT)) else 'python'} "
        f"benchmarks/bench_commit.py --runs {args.runs} "
        + (f"--render {args.render} --flow {args.flow}`" if args.render else
           f"--clusters {args.clusters} --files-per-cluster {args.files_per_cluster}`"), "",
        f"Machine: {machine()}; load average {load_at_start:.1f} at start, {os.getloadavg()[0]:.1f} at the end", "",
        f"Input: {len(files)} rendered files, {size / 1e6:.1f} MB (1-3 KB YAML each), in "
        "`rendered/spokes/<cluster>/{spaces,flows/<space>/<flow>}/`; fresh repositories for (a) in "
        f"{first['where']}, everything else on disk under benchmarks/.work/commit/.", "",
        f"Medians of {args.runs} runs for (a), {max(args.runs, 5)} for (b) and (c); ratio = hubctl / git CLI.", "",
        "| measure | hubctl | git CLI | ratio | target |", "|---|---|---|---|---|",
        row("(a) first commit, fresh repository", "no slower than git", first),
        row("(b) commit after one flow changes (5 files)", "<= 0.5 s", incremental),
        row("(c) incremental push, file://", "<= 1 s", pushes["file"]),
        row("(c) incremental push, git daemon on loopback", "<= 1 s", pushes["daemon"]), "",
        "Raw seconds:", "", "```",
        f"first: hubctl {_fmt(first['hubctl'])} git {_fmt(first['git'])}",
        f"incremental: hubctl {_fmt(incremental['hubctl'])} git {_fmt(incremental['git'])}",
        *(f"push {kind}: hubctl {_fmt(p['hubctl'])} git {_fmt(p['git'])}" for kind, p in pushes.items()),
        "```", "",
    ]
    results = RESULTS.with_name("RESULTS-commit-fleetgen.md") if args.render else RESULTS
    results.write_text("\n".join(lines))  # only what this run measured: docs/performance.md interprets it
    print(results.read_text())


def _fmt(values: list[float]) -> str:
    return "[" + ", ".join(f"{value:.3f}" for value in values) + "]"


if __name__ == "__main__":
    main()
