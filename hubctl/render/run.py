"""Render a fleet repository to disk, or check that the committed render is fresh."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hubctl.render.fleet import Render, render_fleet
from hubctl.render.output import OutputChanges, compare, write_output
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


def render_to_disk(path: Path, out: Path | None = None, *, check: bool = False) -> RenderRun:
    """Validate, render in memory, then write `out` atomically (or, with check, only compare).

    Raises:
        SpecError: the specs are invalid (nothing is written).
        TemplateError: a blueprint could not be rendered (nothing is written).
    """
    fleet = load_fleet(path)
    result = render_fleet(fleet)
    target = output_dir(fleet, out)
    changes = compare(result.files, target) if check else write_output(result.files, target)
    return RenderRun(fleet, result, target, changes)
