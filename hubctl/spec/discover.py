"""Find the spec files of a fleet in a source, refusing paths that leave the repository."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hubctl.base.constants import BLUEPRINT_FILE, BLUEPRINTS_DIR, HUB_FILE, MAX_FILES, SPEC_DIRS
from hubctl.base.errors import UsageError
from hubctl.base.problems import Problem
from hubctl.spec.sources import DirectorySource

YAML_SUFFIXES = (".yaml", ".yml")
# Characters no spec file name may hold: control characters and what YAML (1.1) reads as a line break. A
# file's name is written into the header comment of every file rendered from it, where a line break would
# start YAML of the name's choosing.
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def shown_name(rel: str) -> str:
    """`rel` with its unsafe characters escaped (\\n, \\u2028), fit for one line of output."""
    return _UNSAFE_NAME.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), rel)


@dataclass(frozen=True)
class SpecFile:
    rel: str  # posix path relative to the fleet root


def fleet_root(path: Path) -> Path:
    """The directory of the fleet for `path` (a directory, or a file whose parent is the root).

    A directory without hubctl.yaml inside a Git work tree stands for the nearest one above it that has
    one, up to the work tree's top (`cd flows && hubctl validate`, as git finds its repository); never
    above it, where a hubctl.yaml is no file of this repository.

    Raises:
        UsageError: when the path does not exist.
    """
    if not path.exists():
        raise UsageError(f"{path} does not exist", hint="pass the fleet repository with -C DIR")
    return _nearest_fleet(path.resolve()) if path.is_dir() else path.resolve().parent


def _nearest_fleet(directory: Path) -> Path:
    if (directory / HUB_FILE).is_file():
        return directory
    from hubctl.adapters.git.paths import work_tree_top

    top = work_tree_top(directory)
    if top is None or top == directory:
        return directory
    for parent in directory.parents:
        if (parent / HUB_FILE).is_file():
            return parent
        if parent == top:
            break
    return directory


def source_for(path: Path) -> DirectorySource:
    return DirectorySource(fleet_root(path))


class SingleFileSource(DirectorySource):
    """One file that holds a whole fleet, its documents separated by `---` (the kind decides what each is)."""

    def __init__(self, path: Path):
        super().__init__(path.resolve().parent, tops=(path.name,))
        self.single_file = path.name
        self.cache_root = None  # one file: nothing worth caching, and not the directory's cache


def _is_spec(rel: str) -> bool:
    parts = rel.split("/")
    if rel == HUB_FILE:
        return True
    if parts[0] in SPEC_DIRS.values():
        return rel.endswith(YAML_SUFFIXES)
    return parts[0] == BLUEPRINTS_DIR and len(parts) == 3 and parts[2] == BLUEPRINT_FILE


def discover(source) -> tuple[list[SpecFile], list[Problem]]:
    """The spec files of `source` (sorted) and problems with the layout itself.

    The fleet is hubctl.yaml, clusters/, spaces/, flows/ and blueprints/<name>/blueprint.yaml.
    """
    problems: list[Problem] = []
    single = getattr(source, "single_file", None)
    if single is not None:  # a file that holds a whole fleet (`hubctl validate fleet.yaml`)
        return [SpecFile(single)], problems
    listed = source.list()
    if HUB_FILE not in listed:
        problems.append(Problem("", 0, 0, "", f"no {HUB_FILE} in the fleet directory",
                                "run `hubctl init` to scaffold a fleet, or pass -C DIR", "no-hub"))
    files = []
    for rel in listed:
        if not _is_spec(rel):
            continue
        if _UNSAFE_NAME.search(rel):
            shown = shown_name(rel)
            problems.append(Problem(shown, 0, 0, "", f"the file name `{shown}` has a line break or a control "
                                    "character, which would reach the rendered files' YAML",
                                    "rename the file: letters, digits, `-`, `_` and `.`", "bad-file-name"))
            continue
        target = source.escape(rel)
        if target is not None:
            problems.append(Problem(rel, 0, 0, "", f"{rel} points outside the repository (to {target})",
                                    "replace the symbolic link with the file itself", "path-escape"))
            continue
        files.append(SpecFile(rel))
    if len(files) > MAX_FILES:
        problems.append(Problem("", 0, 0, "", f"{len(files):,} spec files; the limit is {MAX_FILES:,}",
                                "split the fleet", "too-many-files"))
        files = files[:MAX_FILES]
    return files, problems
