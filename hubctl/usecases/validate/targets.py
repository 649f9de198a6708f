"""`hubctl validate PATH...`: which fleet the paths belong to, and which of its problems are theirs.

A spec file is checked in the context of its fleet, as `kubectl apply --dry-run=server -f FILE` checks a
manifest against its cluster: a flow's space, a cordon's flows and a placement's clusters live in other
files. Only the problems located in the named files are reported; the others are counted. A file that is
not one of the fleet's spec files holds a fleet of its own (`hubctl validate fleet.yaml`: one file, its
documents separated by `---`) and is validated alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.constants import HUB_FILE
from hubctl.base.errors import UsageError
from hubctl.base.problems import Problem
from hubctl.spec.discover import SingleFileSource, discover, source_for
from hubctl.usecases.validate import loader
from hubctl.usecases.validate.loader import Loaded


@dataclass
class Checked:
    """What `validate` reports: the problems of the named files (all of them without paths)."""

    loaded: Loaded
    problems: list[Problem]
    files: list[str] = field(default_factory=list)  # the named spec files, relative to the fleet root
    elsewhere: int = 0  # problems of the fleet outside the named files

    @property
    def whole_fleet(self) -> bool:
        return not self.files


def _resolve(directory: Path, path: Path) -> Path:
    for candidate in (path, directory / path):
        if os.path.lexists(candidate):  # a link is named as itself: the fleet says where it may point
            return Path(os.path.abspath(candidate))
    raise UsageError(f"{path} does not exist", hint="pass spec files of the fleet, e.g. `hubctl validate "
                     "flows/web.yaml`, or a file that holds a whole fleet")


def _fleet_root(directory: Path, first: Path) -> Path | None:
    if (directory / HUB_FILE).is_file():
        return Path(os.path.abspath(directory))
    for parent in (first if first.is_dir() else first.parent, *first.parents):
        if (parent / HUB_FILE).is_file():
            return parent
    return None


def check_paths(directory: Path, paths: list[Path]) -> Checked:
    """The problems `hubctl validate [PATH...]` reports.

    Raises:
        UsageError: when a path does not exist, or names something that is neither a spec file (or a
            directory of them) of the fleet nor, alone, a file that holds a fleet.
    """
    if not paths:
        loaded = loader.analyze(directory)
        return Checked(loaded, loaded.problems)
    resolved = [_resolve(directory, p) for p in paths]
    root = _fleet_root(directory, resolved[0])
    specs = []
    if root is not None:
        files, problems = discover(source_for(root))
        specs = [f.rel for f in files] + [p.file for p in problems if p.code == "path-escape"]
    named: set[str] = set()
    folders: set[str] = set()  # a named directory also covers the files its specs use (blueprint templates)
    for path, given in zip(resolved, paths, strict=True):
        rel = Path(os.path.relpath(path, root)).as_posix() if root is not None and path.is_relative_to(root) else None
        covered = [s for s in specs if rel in (s, ".") or s.startswith(f"{rel}/")] if rel is not None else []
        if covered:
            named |= set(covered)
            if path.is_dir():
                folders.add("" if rel == "." else f"{rel}/")
        elif len(paths) == 1 and path.is_file():
            loaded = loader.analyze(SingleFileSource(path))
            return Checked(loaded, loaded.problems)
        else:
            where = f" at {root}" if root else ""
            raise UsageError(f"{given} is not a spec file (or a directory of spec files) of the fleet{where}",
                             hint="specs are hubctl.yaml, clusters/, spaces/, flows/ and "
                             "blueprints/<name>/blueprint.yaml; a file that holds a whole fleet is validated alone")
    loaded = loader.analyze(root)
    mine = [p for p in loaded.problems if p.file in named or any(p.file.startswith(f) for f in folders if p.file)]
    return Checked(loaded, mine, sorted(named), len(loaded.problems) - len(mine))
