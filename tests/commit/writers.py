"""Writers for the race and kill tests: fleet clones running `python -m hubctl commit --push` as real
processes, and the checks every test applies to the branch they leave behind.

The invariant: on every commit hubctl made, the rendered tree equals the render of the specs of that same
commit (for a separate deploy repository: of the source commit named in its trailer), re-rendered here.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support.gitservers import bare_repo, git, read_tree

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_FLEET = ROOT / "examples" / "fleet"
IDENTITY = {"GIT_AUTHOR_NAME": "Fleet Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
            "GIT_COMMITTER_NAME": "Fleet Bot", "GIT_COMMITTER_EMAIL": "bot@example.com"}
CLUSTERS = sorted(p.stem for p in (EXAMPLE_FLEET / "clusters").glob("*.yaml"))
TRAILER = re.compile(r"^Hubctl-Source(?:-Commit: (\S+)|: this commit)$", re.M)  # "this commit": specs and render


def env() -> dict[str, str]:
    drop = ("HUBCTL_GIT_", "HUBCTL_AUTHOR_", "HUBCTL_COMMITTER_", "GIT_", "SSH_AUTH_SOCK")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {**keep, **IDENTITY, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
            "PYTHONPATH": str(ROOT)}


def run_git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env(), capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def hubctl_args(fleet: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "hubctl", *args, "-C", str(fleet)]


def writer_env(fleet: Path) -> dict[str, str]:
    """The environment of a writer's hubctl: its deploy clone (beside the fleet) named, when it has one."""
    clone = fleet.parent / "deploy.git"
    return {**env(), "HUBCTL_DEPLOY_CLONE": str(clone)} if clone.exists() else env()


def hubctl(fleet: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(hubctl_args(fleet, *args), env=writer_env(fleet), capture_output=True, text=True,
                          timeout=120)


def start_push(fleet: Path, remote: str) -> subprocess.Popen:
    return subprocess.Popen(hubctl_args(fleet, "commit", "--push", "--remote", remote), env=writer_env(fleet),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def seed_fleet(work: Path, served: Path, *, deploy: bool) -> Path:
    """A fleet origin (served/fleet.git) holding the example specs; with `deploy`, hubctl.yaml names a deploy
    repository (each writer's hubctl gets its clone, beside its fleet, in $HUBCTL_DEPLOY_CLONE) and
    served/deploy.git is the deploy origin (empty). Returns the fleet origin."""
    origin = bare_repo(served / "fleet.git")
    fleet = work / "fleet"
    shutil.copytree(EXAMPLE_FLEET, fleet, ignore=shutil.ignore_patterns("rendered"))
    if deploy:
        bare_repo(served / "deploy.git")
        hub = fleet / "hubctl.yaml"
        hub.write_text(hub.read_text() + "  deploy:\n    repository: ../deploy.git\n    branch: main\n")
    run_git(fleet, "init", "-q", "-b", "main")
    run_git(fleet, "add", "-A")
    run_git(fleet, "commit", "-q", "-m", "specs")
    run_git(fleet, "push", "-q", str(origin), "main")
    return origin


def clone_writer(where: Path, fleet_origin: Path, deploy_origin: Path | None, base: Path | None = None) -> Path:
    """A writer's fleet clone (of `base`'s fleet when given, else of the origin); with a deploy origin, also its
    bare deploy clone beside it. Returns the fleet directory."""
    where.mkdir(parents=True)
    run_git(where, "clone", "-q", str(base or fleet_origin), "fleet")
    fleet = where / "fleet"
    run_git(fleet, "remote", "set-url", "origin", str(fleet_origin))
    if deploy_origin is not None:
        run_git(where, "clone", "-q", "--bare", str(deploy_origin), "deploy.git")
    return fleet


def edit_specs(fleet: Path, rng: random.Random, tag: str) -> str:
    """Label a random cluster with `tag`, commit the spec change and publish it to the fleet origin under
    refs/heads/w/<tag> (so the checks can re-render it). Returns the spec commit."""
    path = fleet / "clusters" / f"{rng.choice(CLUSTERS)}.yaml"
    path.write_text(path.read_text().replace("  labels:\n", f"  labels:\n    race-{tag}: edited\n", 1))
    run_git(fleet, "add", "clusters")
    run_git(fleet, "commit", "-q", "-m", f"edit {tag}")
    run_git(fleet, "push", "-q", "origin", f"HEAD:refs/heads/w/{tag}")
    return run_git(fleet, "rev-parse", "HEAD")


def render_at(repo: Path, commit: str, subdir: str = "") -> dict[str, bytes]:
    """The render of the specs at `commit` of `repo`, computed here from the committed files."""
    from hubctl.spec.sources import GitTreeSource
    from hubctl.usecases.render.fleet import render_fleet
    from hubctl.usecases.validate.loader import load_fleet

    return dict(render_fleet(load_fleet(GitTreeSource(repo, commit, subdir=subdir))).files)


def hubctl_commits(repo: Path, ref: str = "main") -> list[tuple[str, str]]:
    """(commit, source commit) of every commit hubctl made on `ref`, oldest first."""
    out = []
    for commit in git("--git-dir", str(repo), "rev-list", "--reverse", ref).decode().split():
        message = git("--git-dir", str(repo), "log", "-1", "--format=%B", commit).decode()
        found = TRAILER.search(message)
        if found:
            out.append((commit, found.group(1) or commit))
    return out


def check_fleet_invariant(origin: Path) -> int:
    """Every hubctl commit on the fleet origin's main holds the render of its own specs. Returns how many."""
    commits = hubctl_commits(origin)
    for commit, _source in commits:
        assert read_tree(origin, commit, "rendered") == render_at(origin, commit), f"{commit} holds a foreign render"
    return len(commits)


def check_deploy_invariant(deploy: Path, fleet_origin: Path) -> int:
    """Every hubctl commit on the deploy origin's main holds the render of the source commit its trailer names,
    and no commit goes back on an earlier one: each source descends from the previous commit's source."""
    commits = hubctl_commits(deploy)
    previous = None
    for commit, source in commits:
        assert read_tree(deploy, commit, "rendered") == render_at(fleet_origin, source), f"{commit}: foreign render"
        if previous is not None:
            assert is_ancestor(fleet_origin, previous, source), f"{commit} reverts the render of {previous}"
        previous = source
    return len(commits)


def is_ancestor(repo: Path, older: str, newer: str) -> bool:
    done = subprocess.run(["git", "--git-dir", str(repo), "merge-base", "--is-ancestor", older, newer], env=env(),
                          capture_output=True)
    return done.returncode == 0


def contains(repo: Path, commit: str, ref: str = "main") -> bool:
    return is_ancestor(repo, commit, ref)
