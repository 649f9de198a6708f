"""Every spec edit goes through here: validate the whole edited fleet, compute the placement delta,
then (after the caller has shown it) honour the prune guard and write atomically.

Nothing is written unless the edited fleet validates and the prune guard passes; files are written to
a temporary sibling and moved into place with os.replace, after checking nobody changed them meanwhile.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.errors import HubctlError, SpecError, UsageError
from hubctl.spec.discover import fleet_root
from hubctl.spec.sources import DirectorySource
from hubctl.usecases.ops.overlay import OverlaySource


@dataclass
class Workspace:
    """The fleet as it is on disk: its source and what loading it produced (maybe with problems)."""

    root: Path
    source: DirectorySource
    loaded: object  # hubctl.usecases.validate.loader.Loaded
    seen: dict[str, bytes] = field(default_factory=dict)  # the bytes each edited file was first read as

    @property
    def fleet(self):
        """The valid fleet.

        Raises:
            SpecError: when the specs on disk do not validate.
        """
        if self.loaded.problems or self.loaded.fleet is None:
            raise SpecError(self.loaded.problems, root=self.root)
        return self.loaded.fleet

    def read(self, rel: str) -> str:
        """The text of `rel` as this edit first read it (later reads return the same bytes, so the check
        before writing compares the disk with what the edit was really based on)."""
        if rel not in self.seen:
            self.seen[rel] = self.source.read(rel)
        return self.seen[rel].decode("utf-8")

    def original(self, rel: str) -> bytes | None:
        """The bytes an edit of `rel` starts from: as first read, else as on disk now (None: no such file)."""
        if rel in self.seen:
            return self.seen[rel]
        return self.source.read(rel) if self.exists(rel) else None

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()


def open_fleet(directory: Path) -> Workspace:
    """Load the fleet at `directory` for editing.

    Raises:
        UsageError: when the directory does not exist.
    """
    from hubctl.usecases.validate.loader import analyze

    source = DirectorySource(fleet_root(Path(directory)))
    return Workspace(source.root, source, analyze(source))


@dataclass
class Delta:
    """Placements the edit adds and removes, as (space, flow, cluster) triples, sorted."""

    added: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[tuple[str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        def rows(items):
            return [{"space": s, "flow": f, "cluster": c} for s, f, c in items]

        return {"added": rows(self.added), "removed": rows(self.removed)}

    def lines(self) -> list[str]:
        """One line per flow that changes: `space/flow: -cluster +cluster`."""
        by_flow: dict[tuple[str, str], list[str]] = {}
        for sign, items in (("-", self.removed), ("+", self.added)):
            for space, flow, cluster in items:
                by_flow.setdefault((space, flow), []).append(sign + cluster)
        return [f"{space}/{flow}: {' '.join(changes)}" for (space, flow), changes in sorted(by_flow.items())]


@dataclass
class Plan:
    """A validated edit, not yet written."""

    root: Path
    action: str
    files: dict[str, bytes | None]  # relative path -> new bytes (None: the file is removed)
    originals: dict[str, bytes | None]  # relative path -> bytes the edit started from (None: a new file)
    before: object | None  # Render of the fleet on disk (None when it did not validate)
    after: object  # Render of the edited fleet
    fleet_after: object
    delta: Delta
    details: dict = field(default_factory=dict)  # what the command wants to add to its report
    notes: list[str] = field(default_factory=list)
    deletions: int | None = None  # what the prune guard counted (set by apply_plan)

    def spec_diff(self) -> str:
        """The unified diff of the spec files, as a reviewer will see it."""
        out = []
        for rel, data in sorted(self.files.items()):
            old = (self.originals.get(rel) or b"").decode("utf-8").splitlines(True)
            src = f"a/{rel}" if self.originals.get(rel) is not None else "/dev/null"
            dst = f"b/{rel}" if data is not None else "/dev/null"
            out.extend(difflib.unified_diff(old, (data or b"").decode("utf-8").splitlines(True), src, dst))
        return "".join(out)

    def rendered_changes(self) -> dict[str, list[str]]:
        before = self.before.files if self.before is not None else {}
        after = self.after.files
        return {"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)),
                "changed": sorted(p for p in after if p in before and before[p] != after[p])}

    def to_json(self, written: bool) -> dict:
        changes = self.rendered_changes()
        return {"version": 1, "action": self.action, "written": written, "files": sorted(self.files),
                "placements": self.delta.to_json(),
                "rendered": {key: len(paths) for key, paths in changes.items()}, "deletions": self.deletions,
                **({"details": self.details} if self.details else {}),
                "notes": self.notes, "diff": self.spec_diff()}


def plan_edit(ws: Workspace, action: str, files: dict[str, str | None], **extra) -> Plan:
    """Validate the fleet with `files` (relative path -> new text, None to remove the file) and compute what
    would change.

    Raises:
        SpecError: when the edited fleet does not validate (nothing is written).
        RenderError: when the edited fleet cannot be rendered.
    """
    from hubctl.usecases.render.fleet import render_fleet
    from hubctl.usecases.validate.loader import analyze

    data = {rel: (None if text is None else text.encode("utf-8")) for rel, text in files.items()}
    originals = {rel: ws.original(rel) for rel in data}
    changed = {rel: raw for rel, raw in data.items() if raw != originals[rel]}
    after_loaded = analyze(OverlaySource(ws.source, changed))
    if after_loaded.problems or after_loaded.fleet is None:
        count = len(after_loaded.problems)
        raise SpecError(after_loaded.problems, root=ws.root,
                        message=f"nothing written: the edited fleet would have {count} "
                        f"problem{'s' if count != 1 else ''}",
                        # not `hubctl validate`: it reads the fleet on disk, which this edit left as it was
                        hint="fix what is listed above (in the specs or the edit's options), then run the edit again")
    before = None
    if not ws.loaded.problems and ws.loaded.fleet is not None:
        try:
            before = render_fleet(ws.loaded.fleet)
        except HubctlError:
            before = None
    after = render_fleet(after_loaded.fleet)
    delta = placement_changes(before.placements if before else [], after.placements)
    return Plan(ws.root, action, changed, {rel: originals[rel] for rel in changed}, before, after,
                after_loaded.fleet, delta, **extra)


def placement_changes(before, after) -> Delta:
    """What differs between two placement lists."""
    old = {(p.space, p.flow, p.cluster) for p in before}
    new = {(p.space, p.flow, p.cluster) for p in after}
    return Delta(sorted(new - old), sorted(old - new))


def apply_plan(plan: Plan, *, dry_run: bool = False, allow_prune: bool = False) -> bool:
    """Check the prune guard, then write the plan's files atomically (unless `dry_run`).

    Returns:
        True when files were written.

    Raises:
        HubctlError: exit code PRUNE_GUARD when the change deletes more than the limit allows.
        UsageError: when a file changed on disk since the edit read it.
    """
    from hubctl.usecases.review.prune import check_prune

    report = check_prune(plan.before, plan.after, plan.fleet_after, allow_prune=allow_prune)
    plan.deletions = len(report.deletions)
    if dry_run or not plan.files:
        return False
    write_files(plan.root, plan.files, plan.originals)
    return True


def write_files(root: Path, files: dict[str, bytes | None], originals: dict[str, bytes | None]) -> None:
    """Write every file to a temporary sibling first, then move them all into place (and remove the files
    mapped to None, last).

    Raises:
        UsageError: when a file changed (or appeared) on disk since the edit read it.
    """
    with _fleet_lock(root):
        _check_and_write(root, files, originals)


@contextmanager
def _fleet_lock(root: Path):
    """Hold an exclusive lock on the fleet directory while checking and moving files into place, so two
    edits of the same file cannot both pass the "unchanged since read" check (a lock on the directory
    itself: no lock file to leave behind or commit)."""
    import fcntl

    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _check_paths(root: Path, files: dict[str, bytes | None]) -> None:
    """Refuse to write through a symbolic link: a spec directory linked out of the fleet (a pull request
    can commit one) would take the file elsewhere, and replacing a linked spec file cuts the link.

    Raises:
        UsageError: naming the file and the link.
    """
    real_root = root.resolve()
    for rel, data in sorted(files.items()):
        target = root / rel
        where = target.parent.resolve()
        if not where.is_relative_to(real_root):
            raise UsageError(f"{rel}: its directory points outside the fleet (to {where}); nothing was written",
                             hint="replace the symbolic link with the directory itself")
        if data is not None and target.is_symlink():
            raise UsageError(f"{rel} is a symbolic link (to {os.readlink(target)}); hubctl edits regular files "
                             "only, and writing would replace the link; nothing was written",
                             hint="replace the link with the file itself, or edit its target by hand")


def _check_and_write(root: Path, files: dict[str, bytes | None], originals: dict[str, bytes | None]) -> None:
    _check_paths(root, files)
    for rel in sorted(set(originals) - set(files)):  # files the edit read and relies on, without changing them
        target = root / rel
        if (target.read_bytes() if target.exists() else None) != originals[rel]:
            raise UsageError(f"{rel} changed on disk while the edit was prepared; nothing was written",
                             hint="run the command again")
    staged: list[tuple[str, Path]] = []
    removed: list[Path] = []
    try:
        for rel, data in sorted(files.items()):
            target = root / rel
            current = target.read_bytes() if target.exists() else None
            if current != originals.get(rel):
                raise UsageError(f"{rel} changed on disk while the edit was prepared; nothing was written",
                                 hint="run the command again")
            if data is None:
                removed.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
            staged.append((rel, Path(tmp)))
        for rel, tmp in staged:
            os.replace(tmp, root / rel)
        staged = []
        for target in removed:
            target.unlink(missing_ok=True)
    finally:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
