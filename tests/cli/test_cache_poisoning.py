"""Adversarial: a planted file in every cache location hubctl reads (a CI cache restored from another
branch) is never deserialised, and validate, render and commit give exactly what they give without caches."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

from hubctl.base import cachefile

IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
            "GIT_AUTHOR_DATE": "@1700000000 +0000", "GIT_COMMITTER_DATE": "@1700000000 +0000"}


class Poison:
    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def git(cwd: Path, *args: str) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd), **IDENTITY}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def fleet(example_fleet, monkeypatch):
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)
    git(example_fleet, "init", "-q", "-b", "main")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-qm", "specs")
    return example_fleet


def run_all(hubctl, root: Path) -> dict:
    """What a user sees from validate, render and commit, and what they leave behind."""
    validate = hubctl("validate", "-C", root)
    render = hubctl("render", "-C", root)
    commit = hubctl("commit", "-C", root)
    files = {p.relative_to(root / "rendered").as_posix(): p.read_bytes()
             for p in sorted((root / "rendered").rglob("*")) if p.is_file()}
    return {"codes": (validate.code, render.code, commit.code), "validate": validate.out + validate.err,
            "files": files, "tree": git(root, "rev-parse", "HEAD:rendered").strip()}


def cache_files(root: Path) -> list[Path]:
    found = [p for p in cachefile.cache_root().rglob("*") if p.is_file()]
    return found + [p for p in (root / ".git" / "hubctl").iterdir() if p.is_file()]


def bump(root: Path, version: str) -> None:
    flow = root / "flows" / "cart-worker.yaml"
    flow.write_text(flow.read_text().replace("cart-worker:0.9.1", f"cart-worker:0.9.{version}"))


def test_poisoned_caches_are_never_loaded_and_change_nothing(hubctl, fleet, tmp_path, monkeypatch):
    control = tmp_path / "control"
    shutil.copytree(fleet, control)
    hubctl("render", "-C", fleet)
    hubctl("commit", "-C", fleet)
    planted = cache_files(fleet)
    kinds = {p.parent.name if p.parent.parent.name == "hubctl" else p.name for p in planted}
    assert kinds >= {"parsed", "texts", "stamps", "listing", "tree-cache"}, kinds
    marker = tmp_path / "marker"
    poison = pickle.dumps({"format": 3, "version": 2, "payload": Poison(marker), "entries": Poison(marker)})
    for index, path in enumerate(planted):
        path.write_bytes([poison, cachefile.MAGIC + b"\0" * 32 + poison][index % 2])
    bump(fleet, "9")
    poisoned = run_all(hubctl, fleet)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-cache"))
    bump(control, "9")
    hubctl("render", "-C", control)
    git(control, "add", "-A")
    git(control, "commit", "-qm", "render")
    fresh = run_all(hubctl, control)

    assert not marker.exists()
    assert poisoned["codes"] == (0, 0, 0), poisoned
    assert poisoned == fresh


def test_a_cache_directory_others_may_write_is_not_used(hubctl, fleet, tmp_path):
    root = cachefile.cache_root()
    root.mkdir(parents=True)
    os.chmod(root, 0o777)
    first = hubctl("validate", "-C", fleet)
    second = hubctl("render", "-C", fleet)
    assert first.code == second.code == 0
    assert first.err.count("caches are off") == 1 and f"{root} is owned by another user or writable" in first.err
    assert [p for p in root.rglob("*")] == []
