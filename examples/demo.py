"""The main job on the bundled example fleet, end to end, on this machine only.

    make demo        (or: .venv/bin/python examples/demo.py)

validate -> render -> placement -> commit and push to a local "origin" -> status --wait against a hub
emulator on 127.0.0.1 -> a change: render, review (diff), commit, push -> status --wait on the new revision
-> prune the removals the commit allowed -> status --wait without drift.
Everything happens under .demo/ (recreated on each run); nothing else is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".demo"
IDENTITY = {"GIT_AUTHOR_NAME": "hubctl demo", "GIT_AUTHOR_EMAIL": "demo@hubctl.invalid",
            "GIT_COMMITTER_NAME": "hubctl demo", "GIT_COMMITTER_EMAIL": "demo@hubctl.invalid"}


def step(title: str) -> None:
    print(f"\n\033[1m== {title}\033[0m" if sys.stdout.isatty() else f"\n== {title}", flush=True)


def hubctl(*args: str, ok=(0,)) -> int:
    shown = " ".join(args)
    print(f"$ hubctl {shown}", flush=True)
    code = subprocess.call([sys.executable, "-m", "hubctl", *args], cwd=WORK / "fleet")
    if code not in ok:
        print(f"demo: `hubctl {shown}` exited {code}", file=sys.stderr)
        sys.exit(code)
    return code


def init_fleet_repository(fleet: Path) -> None:
    """A Git repository holding the example specs (pygit2: no git executable needed)."""
    import pygit2

    repo = pygit2.init_repository(str(fleet), initial_head="main")
    repo.index.add_all()
    repo.index.write()
    who = pygit2.Signature(IDENTITY["GIT_AUTHOR_NAME"], IDENTITY["GIT_AUTHOR_EMAIL"])
    repo.create_commit("HEAD", who, who, "fleet specs", repo.index.write_tree(), [])
    repo.remotes.create("origin", (WORK / "origin.git").as_uri())


def commit_specs(fleet: Path, message: str) -> None:
    import pygit2

    repo = pygit2.Repository(str(fleet))
    repo.index.add_all(["hubctl.yaml", "clusters", "spaces", "flows"])  # the specs; hubctl commits rendered/
    repo.index.write()
    who = pygit2.Signature(IDENTITY["GIT_AUTHOR_NAME"], IDENTITY["GIT_AUTHOR_EMAIL"])
    repo.create_commit("HEAD", who, who, message, repo.index.write_tree(), [repo.head.target])


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.update(IDENTITY)
    os.environ.setdefault("XDG_CACHE_HOME", str(WORK / "cache"))
    if WORK.exists():
        shutil.rmtree(WORK)
    fleet = WORK / "fleet"
    shutil.copytree(ROOT / "examples" / "fleet", fleet)
    import pygit2

    pygit2.init_repository(str(WORK / "origin.git"), bare=True, initial_head="main")
    init_fleet_repository(fleet)

    step("1. Validate the specs (every problem in one run)")
    hubctl("validate")
    step("2. Render for Argo CD: hub objects and per-spoke manifests")
    hubctl("render")
    step("3. Where does each flow land?")
    hubctl("placement")
    hubctl("placement", "--explain", "payments-api", "prod-us-1")
    step("4. Commit the render (one traceable commit) and push it to origin")
    hubctl("commit", "--push", "--remote", "origin")

    from hubctl.emulator import kubeconfig, running
    from hubctl.engines.yaml.yamlio import dump

    with running(repo=str(WORK / "origin.git"), branch="main", speed=0.7) as hub:
        config = WORK / "kubeconfig"
        config.write_text(dump(kubeconfig(hub.url, hub.token)))
        step(f"5. Watch the hub (an emulator on {hub.url}) roll out exactly this commit")
        hubctl("status", "--wait", "--timeout", "90s", "--kubeconfig", str(config))

        step("6. A change: web 2.15.0 everywhere, and catalog-api onto standard-tier clusters too")
        for name, old, new in (("web.yaml", "storefront-web:2.14.0", "storefront-web:2.15.0"),
                               ("catalog-api.yaml", "tier: gold", "tier: standard")):
            path = fleet / "flows" / name
            path.write_text(path.read_text().replace(old, new))
        hubctl("validate")
        hubctl("render")
        if _has_command("diff"):
            step("7. Review what the change does on every cluster")
            hubctl("diff", "--base", "HEAD", ok=(0, 10))
        commit_specs(fleet, "web 2.15.0; catalog-api on standard clusters")
        step("8. Commit: the prune guard stops 3 prod deletions (hubctl.yaml allows 0 in prod) ...")
        hubctl("commit", "--push", "--remote", "origin", ok=(10,))
        step("9. ... a reviewer accepts them: commit, push, and wait for the new revision")
        hubctl("commit", "--push", "--remote", "origin", "--allow-prune")
        hubctl("status", "--wait", "--timeout", "45s", "--kubeconfig", str(config), ok=(9,))
        step("10. The 3 removed Applications stay on the hub: drift (exit 9), as on a real hub")
        print("The ApplicationSets run applicationsSync: create-update (docs/architecture.md, 'Safe deletion'),\n"
              "so Argo CD never deletes an Application by itself; `status` reports the 3 as orphaned until\n"
              "`hubctl prune` deletes those a commit allowed (its Hubctl-Allowed-Removal trailers).", flush=True)
        step("11. Prune what the reviewed commit allowed, and wait until the hub has no drift")
        hubctl("prune", "--dry-run", "--kubeconfig", str(config))
        hubctl("prune", "--yes", "--kubeconfig", str(config))
        hubctl("status", "--wait", "--timeout", "45s", "--kubeconfig", str(config))
    print("\ndemo finished: everything it made is under .demo/", flush=True)
    return 0


def _has_command(name: str) -> bool:
    return subprocess.run([sys.executable, "-m", "hubctl", name, "--help"], capture_output=True).returncode == 0


if __name__ == "__main__":
    sys.exit(main())
