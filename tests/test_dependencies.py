"""constraints.txt (what `make` installs) pins every dependency pyproject.toml declares, inside its range."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return [Requirement(name) for name in names]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            pins[_canonical(name)] = version
    return pins


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_every_declared_dependency_is_pinned_within_its_range():
    pins = _pins()
    problems = []
    for req in _declared():
        if req.marker is not None and not req.marker.evaluate():
            continue
        version = pins.get(_canonical(req.name))
        if version is None:
            problems.append(f"{req.name}: declared in pyproject.toml, not pinned in constraints.txt")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}: constraints.txt pins {version}, outside pyproject.toml's {req.specifier}")
    assert not problems, "\n".join(problems)


def test_the_pins_are_what_this_environment_runs():
    from importlib.metadata import PackageNotFoundError, version

    pins = _pins()
    stale = []
    for req in _declared():
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            installed = version(req.name)
        except PackageNotFoundError:
            stale.append(f"{req.name}: not installed")
            continue
        if pins.get(_canonical(req.name)) != installed:
            stale.append(f"{req.name}: installed {installed}, constraints.txt pins {pins.get(_canonical(req.name))}")
    assert not stale, "\n".join(stale) + "\n(make installs through constraints.txt; refresh it as its header says)"
