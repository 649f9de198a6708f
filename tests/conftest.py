"""Shared fixtures: a fleet copied into a temporary directory, and the CLI run in-process."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FLEET = ROOT / "examples" / "fleet"
BAD_FLEETS = ROOT / "tests" / "bad_fleets"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


def pytest_collection_modifyitems(items):
    """The `slow` tests first (otherwise in collection order): with pytest-xdist (`make test`), a long test
    started last would run alone on one worker while the others sit idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Render stamps and caches (and the key that authenticates them) go to a per-test directory, never the
    user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    from hubctl.base import redact

    redact.forget_all()  # one process runs every test: one test's credentials are not the next one's
    monkeypatch.delenv("HUBCTL_DEBUG", raising=False)
    yield
    from hubctl.base import cachefile

    cachefile.warnings()  # said to the test that caused it, never printed by the next test's command


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def hubctl(capsys):
    """Run `hubctl ARGS...` in-process; returns exit code, stdout and stderr."""
    from hubctl.cli import run

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def example_fleet(tmp_path) -> Path:
    """A private copy of examples/fleet (tests may edit it)."""
    target = tmp_path / "fleet"
    shutil.copytree(EXAMPLE_FLEET, target, ignore=shutil.ignore_patterns("rendered"))
    return target


@pytest.fixture
def base_fleet(tmp_path) -> Path:
    """A copy of the minimal valid fleet the bad-fleet corpus starts from."""
    target = tmp_path / "fleet"
    shutil.copytree(BAD_FLEETS / "_base", target)
    return target


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))
