"""Find the spec files of a fleet, refusing paths that leave the repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hubctl.constants import BLUEPRINT_FILE, BLUEPRINTS_DIR, HUB_FILE, MAX_FILES, SPEC_DIRS
from hubctl.errors import UsageError
from hubctl.spec.problems import Problem

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SpecFile:
    rel: str  # posix path relative to the fleet root
    path: Path


def fleet_root(path: Path) -> Path:
    """The directory of the fleet for `path` (a directory, or a file whose parent is the root).

    Raises:
        UsageError: when the path does not exist.
    """
    if not path.exists():
        raise UsageError(f"{path} does not exist", hint="pass the fleet repository with -C DIR")
    return path.resolve() if path.is_dir() else path.resolve().parent


def discover(path: Path) -> tuple[Path, list[SpecFile], list[Problem]]:
    """The fleet root, its spec files (sorted) and problems with the layout itself.

    A file path loads that one (multi-document) file; a directory loads hubctl.yaml, clusters/,
    spaces/, flows/ and blueprints/<name>/blueprint.yaml.
    """
    root = fleet_root(path)
    problems: list[Problem] = []
    if path.is_file():
        return root, [SpecFile(path.resolve().name, path.resolve())], problems
    candidates: list[Path] = []
    if (root / HUB_FILE).exists():
        candidates.append(root / HUB_FILE)
    else:
        problems.append(Problem("", 0, 0, "", f"no {HUB_FILE} in the fleet directory",
                                "run `hubctl init` to scaffold a fleet, or pass -C DIR", "no-hub"))
    for directory in SPEC_DIRS.values():
        base = root / directory
        if base.is_dir():
            candidates.extend(p for p in base.rglob("*") if p.suffix in YAML_SUFFIXES)
    blueprints = root / BLUEPRINTS_DIR
    if blueprints.is_dir():
        candidates.extend(sorted(blueprints.glob(f"*/{BLUEPRINT_FILE}")))
    files = []
    for candidate in sorted(set(candidates)):
        rel = candidate.relative_to(root).as_posix()
        resolved = candidate.resolve()
        if not resolved.is_relative_to(root):
            problems.append(Problem(rel, 0, 0, "", f"{rel} points outside the repository (to {resolved})",
                                    "replace the symbolic link with the file itself", "path-escape"))
            continue
        if resolved.is_file():
            files.append(SpecFile(rel, resolved))
    if len(files) > MAX_FILES:
        problems.append(Problem("", 0, 0, "", f"{len(files):,} spec files; the limit is {MAX_FILES:,}",
                                "split the fleet", "too-many-files"))
        files = files[:MAX_FILES]
    return root, files, problems
