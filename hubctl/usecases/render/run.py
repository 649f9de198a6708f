"""Render a fleet repository to disk, or check that the committed render is fresh."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from hubctl.base import forked
from hubctl.spec.discover import source_for
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.render.output import (
    OutputChanges,
    compare,
    content_digests,
    read_stamp,
    write_output,
)
from hubctl.usecases.render.stamp import Verified, scan_verified
from hubctl.usecases.render.textcache import TextCache, cache_path
from hubctl.usecases.render.uptodate import inputs_key, up_to_date
from hubctl.usecases.validate.loader import load_fleet


@dataclass
class RenderRun:
    """What `hubctl render` did: where, how many files and placements, and what changed on disk."""

    out: Path
    changes: OutputChanges
    files: int
    placements: int


def render_to_disk(path: Path, out: Path | None = None, *, check: bool = False, hub: str | None = None) -> RenderRun:
    """Validate, render in memory, then write `out` (or, with check, only compare).

    When the stamp proves `out` already holds the render of exactly these inputs, nothing is loaded or
    rendered. Otherwise a forked process scans `out` (about 0.4 s for 33,000 files) while this one
    loads and renders.

    With `hub`, only that hub's share is rendered, into its own tree (`<out>/<hub>` in a fleet of several
    hubs, byte for byte that part of a full render; all of `out` in a fleet of one).

    Raises:
        SpecError: the specs are invalid (nothing is written).
        TemplateError: a blueprint could not be rendered (nothing is written).
        UsageError: `hub` names no hub of the fleet.
    """
    source = source_for(Path(path))
    source.keep_reads()  # the inputs key and the load see the same bytes, read once
    key = inputs_key(source)
    target = output_dir_guess(source, out)
    if hub is not None:
        return _render_hub_to_disk(source, target, key, hub, check)
    stamp = read_stamp(target)
    summary = up_to_date(target, key, stamp)
    if summary is not None and "files" in summary:
        return RenderRun(target, OutputChanges(unchanged=summary["files"]), summary["files"], summary["placements"])
    verified = Verified(stamp, time.time_ns())
    with forked.start(lambda: scan_verified(target, stamp)) as scanned:
        texts = TextCache(cache_path(source.root))
        result = render_fleet(load_fleet(source), texts)
        texts.save()
        digests = content_digests(result.files, result.recipes)
        # while the check runs: what changed if it finds the directory as stamped (the common case)
        ahead = compare(result.files, target, digests, stamp, verified) if stamp.may_verify() and target.is_dir() \
            else None  # (a directory deleted since its last render keeps its stamp: no comparison to make)
        current = scanned.result()
    if current is None:  # the directory is as the stamp says
        current = verified
    elif ahead is not None:
        ahead = None
    counts = {"files": len(result.files), "placements": len(result.placements)}
    if check:
        changes = ahead if ahead is not None else compare(result.files, target, digests, stamp, current)
    else:
        changes = write_output(result.files, target, key, counts, current=current, recipes=result.recipes,
                               stamp=stamp, digests=digests, planned=ahead)
    return RenderRun(target, changes, **counts)


def output_dir_guess(source, out: Path | None) -> Path:
    """The output directory before the specs are loaded: --out, or hubctl.yaml's renderDir, confined.

    Raises:
        SpecError, OutputDirError: the directory is not one a render may write (hubctl.usecases.render.confine).
    """
    from hubctl.usecases.render.confine import output_dir

    return output_dir(source, out)


def _render_hub_to_disk(source, out: Path, key: str, hub: str, check: bool) -> RenderRun:
    from hubctl.usecases.render.hubsplit import fleet_of_hub

    fleet = load_fleet(source)
    texts = TextCache(cache_path(source.root))
    result = render_fleet(fleet_of_hub(fleet, hub), texts)
    texts.save()
    target = out / hub if fleet.hubs else out
    counts = {"files": len(result.files), "placements": len(result.placements)}
    if check:
        changes = compare(result.files, target, content_digests(result.files, result.recipes))
    else:
        changes = write_output(result.files, target, f"{key}/{hub}", counts, recipes=result.recipes)
    return RenderRun(target, changes, **counts)
