"""Where a render may write, and which files in the render directory it may delete.

The output directory comes from `--out` or hubctl.yaml's `spec.renderDir`. Before anything is scanned or
written, its real location (symbolic links followed) is checked: a renderDir must stay inside the fleet
and away from the specs and `.git`; `--out` may be anywhere but the fleet root, a directory above it, or
a spec directory. Inside the render directory, a render deletes a file only when it owns it: the stamp
of the previous render (hubctl.usecases.render.output) or an interrupted render's authentic journal lists it, or
it is a rendered file (it carries hubctl's `app.kubernetes.io/managed-by: hubctl` label, as every file a
render writes does) that Git holds byte for byte (committed or staged, so nothing is lost). Any other file
(a workflow, a source file, a note) is left where it is and reported.
"""

from __future__ import annotations

import os
from pathlib import Path

from hubctl.base.constants import LABEL_MANAGED_BY, MANAGED_BY
from hubctl.base.errors import ExitCode, HubctlError
from hubctl.spec.renderdir import HINT, SPEC_TOPS, render_dir_problem
from hubctl.usecases.render.safeio import read_regular

RENDERED_MARK = f"{LABEL_MANAGED_BY}: {MANAGED_BY}".encode()  # in every file a render writes (YAML)
MAX_READ = 64 * 1024 * 1024


class OutputDirError(HubctlError):
    """The output directory is somewhere a render must not write (exit 3 from hubctl.yaml, 2 from --out)."""

    exit_code = ExitCode.INVALID


def output_dir(source, out: Path | None) -> Path:
    """The render directory of the fleet in `source` (a DirectorySource): `out`, or spec.renderDir.

    Raises:
        SpecError: spec.renderDir is not a relative path inside the fleet away from the specs.
        OutputDirError: the directory really lies (through symbolic links) where a render must not write.
    """
    from hubctl.spec.hubfile import render_dir_entry

    root = Path(source.root).resolve()
    if out is not None:
        _confine(root, Path(out), f"--out {out}", inside=False, code=ExitCode.USAGE,
                 hint="pass --out a directory that holds no specs, or leave it out to use renderDir")
        return Path(out)
    value, where = render_dir_entry(source)
    if render_dir_problem(value) is not None:
        from hubctl.usecases.validate.loader import load_fleet

        load_fleet(source)  # raises SpecError listing every problem, this one with its line
        raise OutputDirError(f"{where}: {render_dir_problem(value)}", hint=HINT)
    _confine(root, root / value, where or value, inside=True, code=ExitCode.INVALID,
             hint="make it a plain directory inside the fleet, or set spec.renderDir to one")
    return root / value


def _confine(root: Path, out: Path, label: str, *, inside: bool, code: ExitCode, hint: str) -> None:
    real = out.resolve()
    shown = f"{label} (really {real})" if real != out.absolute() else label
    if root.is_relative_to(real):
        problem = "is the fleet root or a directory above it: the render would replace the specs"
    elif not real.is_relative_to(root):
        problem = None if not inside else "lies outside the fleet"
    elif real.relative_to(root).parts[0] in SPEC_TOPS:
        problem = f"lies inside `{real.relative_to(root).parts[0]}`, where the specs are (or Git's own files)"
    else:
        problem = None
    if problem:
        raise OutputDirError(f"{shown} {problem}", hint=hint, exit_code=code)


def conflicts(out: Path, added, writes, current: dict) -> list[str]:
    """Entries in the render directory that block a write: a file or symbolic link where a directory is
    needed, or a directory where a new file goes (`current` lists no directories).

    Writing through a symbolic link (`spokes -> ../flows`) would put rendered files among the specs.
    """
    found = {rel for rel in added if os.path.isdir(out / rel)}
    for rel in writes:
        cut = rel.rfind("/")
        while cut > 0:
            rel = rel[:cut]
            if rel in current:
                found.add(rel)
            cut = rel.rfind("/")
    return sorted(found)


def held_by_git(out: Path, rels) -> set[str]:
    """The rendered files among `rels` (under `out`): regular files carrying hubctl's managed-by label whose
    bytes Git holds at their path in the index."""
    rels = list(rels)
    if not rels:
        return set()
    from hubctl.adapters.git.repo import blob_id, discover, git_error

    try:
        repo = discover(out)
        index = repo.index if repo is not None and repo.workdir is not None else None
    except git_error():  # no readable repository or index: nothing is known to be held
        return set()
    if index is None:
        return set()
    workdir, base, held = Path(repo.workdir).resolve(), out.resolve(), set()
    if not base.is_relative_to(workdir):
        return set()
    for rel in rels:
        path = base / rel
        try:
            entry = index[(path.relative_to(workdir)).as_posix()]
            data = read_regular(path, MAX_READ)
            if data is not None and RENDERED_MARK in data and blob_id(data) == str(entry.id):
                held.add(rel)
        except (KeyError, OSError, ValueError):
            continue
    return held
