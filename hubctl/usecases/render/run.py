"""Render a fleet repository to disk, or check that the committed render is fresh."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hubctl.base import forked
from hubctl.spec.discover import source_for
from hubctl.usecases.render.fleet import Render, render_fleet
from hubctl.usecases.render.journal import interrupted
from hubctl.usecases.render.output import (
    OutputChanges,
    compare,
    complete,
    content_digests,
    read_stamp,
    write_output,
)
from hubctl.usecases.render.stamp import Scan, SharedCheck, Stamp, Verified, scan
from hubctl.usecases.render.textcache import TextCache, cache_path
from hubctl.usecases.render.uptodate import inputs_key
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
    rendered. A forked process checks `out` against its stamp from the start (stamp.SharedCheck); this one
    computes the inputs key meanwhile, and loads and renders when the stamp is of other inputs, then takes
    over what is left of the check.

    With `hub`, only that hub's share is rendered, into its own tree (`<out>/<hub>` in a fleet of several
    hubs, byte for byte that part of a full render; all of `out` in a fleet of one).

    Raises:
        SpecError: the specs are invalid (nothing is written).
        TemplateError: a blueprint could not be rendered (nothing is written).
        UsageError: `hub` names no hub of the fleet.
    """
    source = source_for(Path(path))
    source.keep_reads()  # the inputs key and the load see the same bytes, read once
    target = output_dir_guess(source, out)
    if hub is not None:
        return _render_hub_to_disk(source, target, inputs_key(source), hub, check)
    checking = SharedCheck(target, lambda: read_stamp(target))
    with forked.start(checking.child) as pending, contextlib.closing(checking):
        key = inputs_key(source)
        stamp = read_stamp(target)  # the child reads it too, and starts the check while this one does
        checking.use(stamp)
        found = functools.cache(lambda: _checked(checking, pending, target, stamp))
        if stamp.inputs == key and "files" in stamp.summary and not interrupted(target) and found() is None:
            summary = stamp.summary  # exactly what the render of these inputs wrote: nothing to load or render
            return RenderRun(target, OutputChanges(unchanged=summary["files"]), summary["files"],
                             summary["placements"])
        texts = TextCache(cache_path(source.root))

        def make() -> Render:
            result = render_fleet(load_fleet(source), texts)
            texts.save()
            return result

        result, changes = apply_render(target, key, stamp, make, check=check, found=(found, checking.started))
    return RenderRun(target, changes, len(result.files), len(result.placements))


def _checked(checking: SharedCheck, pending, target: Path, stamp: Stamp) -> Scan | None:
    """What the shared check found, once this process has helped it: None when `target` is as `stamp` says,
    else a scan of it. The child's verdict counts only for the stamp this process read, and only when every
    chunk was checked (a child that died after taking one leaves it unchecked)."""
    checking.help()
    origin, current = pending.result()
    if origin != stamp.origin or (current is None and not checking.passed()):
        return scan(target, stamp)
    return current


def apply_render(target: Path, key: str, stamp: Stamp, make: Callable[[], Render], *, check: bool = False,
                 found: tuple | None = None) -> tuple[Render, OutputChanges]:
    """`make()`'s render written to `target` (or, with check, only compared), `stamp` being read_stamp(target).

    While `make` runs, a forked process checks `target` against its stamp (stamp.SharedCheck; this process
    takes over what is left of the check once it is done), and the render is compared as if the check will
    pass: a group of files (fleet.Group) the stamp signs as the render makes them is left out, not compared
    file by file. The comparison is kept only if the check passes; else the directory is scanned.
    `found`: (what the check found, as `_checked` answers it; when the check started) if the caller started it."""
    if found is None:
        checking = SharedCheck(target, lambda: stamp, stamp)
        with forked.start(checking.child) as pending, contextlib.closing(checking):
            return apply_render(target, key, stamp, make, check=check, found=(
                lambda: _checked(checking, pending, target, stamp), checking.started))
    checked, started = found
    verified = Verified(stamp, started)
    result = make()
    ahead = None  # (a directory deleted since its last render keeps its stamp: no comparison to make)
    if stamp.may_verify() and target.is_dir():
        digests = content_digests(result.files, result.recipes, skip=unchanged_groups(result.files, stamp))
        ahead = compare(result.files, target, digests, stamp, verified)
    else:
        digests = content_digests(result.files, result.recipes)
    current = checked()
    if current is None:  # the directory is as the stamp says
        current = verified
    elif ahead is not None:
        ahead, digests = None, complete(digests)
    counts = {"files": len(result.files), "placements": len(result.placements)}
    if check:
        changes = ahead if ahead is not None else compare(result.files, target, digests, stamp, current)
    else:
        changes = write_output(result.files, target, key, counts, current=current, recipes=result.recipes,
                               stamp=stamp, digests=digests, planned=ahead)
    return result, changes


def unchanged_groups(files, stamp) -> list:
    """The groups of `files` (fleet.Group) that `stamp` signs as the render makes them."""
    signed = stamp.groups
    return [group for group in getattr(files, "groups", ()) if signed.get(group.template) == group.signature()]


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
