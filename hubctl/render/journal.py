"""The in-progress marker of a render: a journal in the render directory while it is being changed.

A render that changes files writes `<out>/.hubctl-render-journal` first (the files it will write and
delete), then the files, the stamp, and removes the journal last. A journal that is still there means a
render was killed half-way: the tree may mix old and new files. `commit`, `diff` and `status` refuse such
a tree (exit 4); the next `render` removes the temporary files the journal names and completes the
render. A first render writes into a staging directory beside the output (with its journal inside) and
renames it into place, so a kill leaves either no output or all of it.

The journal protects against a killed process, not against a power cut: nothing is fsynced.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from hubctl.errors import ExitCode, HubctlError

JOURNAL = ".hubctl-render-journal"
STAGE_SUFFIX = ".hubctl-tmp"  # the same suffix output.py gives its temporary files


class HalfWrittenRenderError(HubctlError):
    """A render was interrupted and left its output half-written (exit 4, like a stale render)."""

    exit_code = ExitCode.STALE


def begin(directory: Path, writes, removes=(), tmp: bool = True) -> None:
    """Record, before touching anything else in `directory`, what the render will write and delete.

    `tmp`: the writes go through temporary files beside their targets (`.<name>.hubctl-tmp`).
    """
    document = {"version": 1, "pid": os.getpid(), "tmp": tmp, "writes": list(writes), "removes": list(removes)}
    with open(directory / JOURNAL, "w", encoding="utf-8") as handle:
        json.dump(document, handle, separators=(",", ":"))


def finish(directory: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (directory / JOURNAL).unlink()


def interrupted(directory: Path) -> bool:
    return os.path.lexists(directory / JOURNAL)


def recover(directory: Path) -> set[str]:
    """Undo what an interrupted render left behind in `directory`: remove the temporary files its journal
    names (none other). Returns the files it was writing: those belong to hubctl too. The journal stays
    until the render that recovers completes."""
    document = _read(directory / JOURNAL)
    writes = [rel for rel in document.get("writes", []) if _safe(rel)]
    if document.get("tmp", True):
        for rel in writes:
            head, _, name = rel.rpartition("/")
            with contextlib.suppress(OSError):
                (directory / head / f".{name}{STAGE_SUFFIX}").unlink()
    return set(writes)


def recover_stages(out: Path) -> None:
    """Remove the staging directories of first renders of `out` that were killed: the files their journal
    names and the journal; a staging directory holding anything else is left as it is."""
    prefix = f".{out.name}{STAGE_SUFFIX}-"
    try:
        names = [n for n in os.listdir(out.parent) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        stage = out.parent / name
        if not (stage / JOURNAL).is_file():
            continue
        writes = [rel for rel in _read(stage / JOURNAL).get("writes", []) if _safe(rel)]
        for rel in writes:
            with contextlib.suppress(OSError):
                (stage / rel).unlink()
        finish(stage)
        for parent in sorted({os.path.dirname(rel) for rel in writes}, key=lambda p: -p.count("/")):
            while parent:
                with contextlib.suppress(OSError):
                    (stage / parent).rmdir()
                parent = os.path.dirname(parent)
        with contextlib.suppress(OSError):
            stage.rmdir()


def refuse_interrupted(out: Path, label: str | None = None) -> None:
    """Raise when a render of `out` was interrupted and the tree may be half-written.

    Raises:
        HalfWrittenRenderError: the journal of an interrupted render is in `out`.
    """
    if interrupted(out):
        raise HalfWrittenRenderError(
            f"the render in {label or out} was interrupted and is half-written (old and new files mixed; "
            f"{JOURNAL} is still there)",
            hint="run `hubctl render` to complete it, review the result, then run this command again")


def refuse_half_written_render(fleet_dir: Path) -> None:
    """refuse_interrupted() for the render directory of the fleet at `fleet_dir` (spec.renderDir).

    Raises:
        HalfWrittenRenderError: a render there was interrupted.
        UsageError: `fleet_dir` does not exist.
    """
    from hubctl.spec.discover import source_for
    from hubctl.spec.hubfile import render_dir
    from hubctl.spec.renderdir import render_dir_problem

    if not Path(fleet_dir).is_dir():
        return  # the command itself reports a missing fleet its own way
    source = source_for(Path(fleet_dir))
    value = render_dir(source)
    if render_dir_problem(value) is None:  # an invalid renderDir is the command's own validation's to report
        refuse_interrupted(source.root / value, f"{value}/")


def _read(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        return document if isinstance(document, dict) else {}
    except (OSError, ValueError):  # killed while writing the journal: nothing was written after it
        return {}


def _safe(rel) -> bool:
    """A journal entry is a plain relative path (a damaged or planted journal must not steer deletes)."""
    return isinstance(rel, str) and bool(rel) and not rel.startswith("/") and ".." not in rel.split("/")
