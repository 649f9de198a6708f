"""Concurrent `hubctl commit --push` from two clones to one remote, over every transport, many seeded rounds.

Each round, two writers edit different specs, commit them, and run `python -m hubctl commit --push` at the
same moment. What must hold after every round: exit 0 means the writer's change is on the remote (its
commit is in the remote branch, and no later commit reverts its render); the loser either lands
automatically (only when that keeps the invariant) or exits 5 saying what to do; and on every commit of
the final branch the rendered tree equals the render of its specs, re-rendered here.
"""

from __future__ import annotations

import random
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from support.gitservers import GitDaemon, SmartHttpServer, SshServer, require_sshd, ssh_keypair
from writers import (
    check_deploy_invariant,
    check_fleet_invariant,
    clone_writer,
    contains,
    edit_specs,
    hubctl,
    run_git,
    seed_fleet,
    start_push,
)

ROUNDS = 3


def transports(fast: tuple[str, ...]) -> list:
    """Every transport; those not in `fast` run under the slow marker (CI runs them all)."""
    return [kind if kind in fast else pytest.param(kind, marks=pytest.mark.slow)
            for kind in ("path", "file", "daemon", "http", "ssh")]


@contextmanager
def serving(kind: str, served: Path, tmp: Path, monkeypatch):
    """A function giving the URL of a repository under `served`, over transport `kind`."""
    with ExitStack() as stack:
        if kind == "path":
            yield lambda name: str(served / name)
        elif kind == "file":
            yield lambda name: (served / name).as_uri()
        elif kind == "daemon":
            daemon = stack.enter_context(GitDaemon(served))
            yield daemon.url
        elif kind == "http":
            server = stack.enter_context(SmartHttpServer(served))
            yield server.url
        else:
            require_sshd()
            key = ssh_keypair(tmp / "key")
            server = stack.enter_context(SshServer(tmp / "sshd", clients=[f"{key}.pub"]))
            (tmp / "known_hosts").write_text(server.known_hosts_line())
            monkeypatch.setenv("HUBCTL_SSH_KEY", str(key))
            monkeypatch.setenv("HUBCTL_SSH_KNOWN_HOSTS", str(tmp / "known_hosts"))
            yield lambda name: server.url(served / name)


def race(fleets: list[Path], url: str, rng: random.Random) -> list[tuple[int, str, str]]:
    """Start every writer's push nearly at once; (exit code, stdout, stderr) of each."""
    import time

    processes = []
    for fleet in fleets:
        processes.append(start_push(fleet, url))
        time.sleep(rng.random() * 0.05)  # seeded stagger: not an assertion on time
    return [(p.wait(timeout=120), *p.communicate()) for p in processes]


@pytest.mark.parametrize("kind", transports(fast=("path",)))
def test_two_fleet_clones_pushing_at_once_never_lose_a_reported_push(tmp_path, kind, monkeypatch):
    rng = random.Random(f"fleet-{kind}")
    served = tmp_path / "served"
    origin = seed_fleet(tmp_path / "seed", served, deploy=False)
    seed = tmp_path / "seed" / "fleet"
    assert hubctl(seed, "render").returncode == 0
    assert hubctl(seed, "commit", "--push", "--remote", str(origin)).returncode == 0, "seeding"
    with serving(kind, served, tmp_path, monkeypatch) as url:
        for n in range(ROUNDS):
            fleets = [clone_writer(tmp_path / f"r{n}-{w}", origin, None) for w in "ab"]
            for w, fleet in zip("ab", fleets, strict=True):
                edit_specs(fleet, rng, f"r{n}{w}")
                assert hubctl(fleet, "render").returncode == 0
            results = race(fleets, url("fleet.git"), rng)
            codes = sorted(code for code, _out, _err in results)
            assert codes == [0, 5], results  # both built on the same head: exactly one can land
            for fleet, (code, _out, err) in zip(fleets, results, strict=True):
                head = run_git(fleet, "rev-parse", "HEAD")
                if code == 0:
                    assert contains(origin, head), f"round {n}: exit 0 but {head} is not on the remote"
                else:
                    assert "git pull" in err and "hubctl render" in err, err
    assert check_fleet_invariant(origin) == ROUNDS + 1


@pytest.mark.parametrize("kind", transports(fast=("path", "daemon")))
def test_two_deploy_clones_pushing_at_once_never_revert_a_reported_push(tmp_path, kind, monkeypatch):
    rng = random.Random(f"deploy-{kind}")
    served = tmp_path / "served"
    origin = seed_fleet(tmp_path / "seed", served, deploy=True)
    deploy = served / "deploy.git"
    with serving(kind, served, tmp_path, monkeypatch) as url:
        seed = clone_writer(tmp_path / "seeder", origin, deploy)
        assert hubctl(seed, "commit", "--push", "--remote", url("deploy.git")).returncode == 0, "seeding"
        for n in range(ROUNDS):
            stacked = rng.random() < 0.5  # b's specs build on a's: b's render contains a's change
            a = clone_writer(tmp_path / f"r{n}-a", origin, deploy)
            sources = [edit_specs(a, rng, f"r{n}a")]
            b = clone_writer(tmp_path / f"r{n}-b", origin, deploy, base=a if stacked else None)
            sources.append(edit_specs(b, rng, f"r{n}b"))
            if stacked:  # a has b's newer specs too, so it can tell that b's render contains its own
                run_git(a, "fetch", "-q", str(b), "HEAD")
            results = race([a, b], url("deploy.git"), rng)
            codes = [code for code, _out, _err in results]
            assert codes == [0, 0] if stacked else sorted(codes) == [0, 5], (stacked, results)
            for source, (code, _out, err) in zip(sources, results, strict=True):
                landed = run_git(deploy, "log", "-1", "--format=%(trailers:key=Hubctl-Source-Commit,valueonly)")
                if code == 0:  # on the remote, and not reverted: the head's source descends from it
                    assert contains(origin, source, landed), f"round {n}: exit 0 but {source} was reverted"
                else:
                    assert "pull" in err and "hubctl commit" in err, err
            run_git(origin, "update-ref", "refs/heads/main", landed)  # the next round starts from what landed
    assert check_deploy_invariant(deploy, origin) >= ROUNDS + 1
