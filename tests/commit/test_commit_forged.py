"""`hubctl commit` checks the render is fresh; the stamp may spare it reading a file back, never let a forgery in."""

from __future__ import annotations

import os

from fleetgit import git

LEAF = "rendered/spokes/prod-eu-1/flows/storefront/web"


def test_commit_never_takes_bytes_forged_with_the_size_and_mtime_kept(hubctl, fleet_repo):
    """Before the stamp recorded ctimes, a same-size edit with the mtime put back passed `render --check` and
    `commit`'s freshness check, and the forged bytes were committed."""
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("render", "-C", fleet_repo).code == 0
    target = fleet_repo / LEAF / "manifests.yaml"
    good = target.read_bytes()
    before = os.lstat(target)
    with open(target, "r+b") as handle:
        handle.write(good.replace(b"nginx", b"evilx", 1))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    head = git(fleet_repo, "rev-parse", "HEAD")

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 4 and "is not fresh (0 missing, 1 changed" in result.err
    assert git(fleet_repo, "rev-parse", "HEAD") == head
