"""Render a fleet repository to disk, or check that the committed render is fresh."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hubctl.render.fleet import Render, render_fleet
from hubctl.render.output import OutputChanges, compare, write_output
from hubctl.render.uptodate import inputs_key, up_to_date
from hubctl.spec.discover import source_for
from hubctl.spec.loader import load_fleet
from hubctl.spec.model import Fleet


@dataclass
class RenderRun:
    fleet: Fleet
    render: Render
    out: Path
    changes: OutputChanges


def output_dir(fleet: Fleet, out: Path | None) -> Path:
    return out if out is not None else fleet.root / fleet.hub.render_dir


@dataclass
class Summary:
    """What a render produced, when the render itself was not needed (the output was up to date)."""

    files: int
    placements: int
    out: Path
    changes: OutputChanges


def render_to_disk(path: Path, out: Path | None = None, *, check: bool = False) -> RenderRun | Summary:
    """Validate, render in memory, then write `out` (or, with check, only compare).

    When the stamp proves `out` already holds the render of exactly these inputs, nothing is loaded or
    rendered and a Summary is returned.

    Raises:
        SpecError: the specs are invalid (nothing is written).
        TemplateError: a blueprint could not be rendered (nothing is written).
    """
    source = source_for(Path(path))
    key = inputs_key(source)
    guess = output_dir_guess(source, out)
    summary = up_to_date(guess, key)
    if summary is not None and "files" in summary:
        return Summary(summary["files"], summary["placements"], guess, OutputChanges(unchanged=summary["files"]))
    fleet = load_fleet(source)
    result = render_fleet(fleet)
    target = output_dir(fleet, out)
    if check:
        changes = compare(result.files, target)
    else:
        changes = write_output(result.files, target, key,
                               {"files": len(result.files), "placements": len(result.placements)})
    return RenderRun(fleet, result, target, changes)


def output_dir_guess(source, out: Path | None) -> Path:
    """The output directory before the specs are loaded: --out, or hubctl.yaml's renderDir."""
    from hubctl.spec.hubfile import render_dir

    return out if out is not None else source.root / render_dir(source)
