"""Writing a render to disk: staged in a temporary directory, then swapped in; and `--check`.

The new tree is built next to the output directory. Files whose bytes did not change are hard links
to the existing ones (not rewritten: same inode, same mtime), changed and new files are written, stale
files are simply absent. The two directories are then exchanged in one atomic renameat2(RENAME_EXCHANGE)
on Linux (two renames elsewhere), and the old tree is removed. On any error before the swap the
previous output is untouched.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.errors import UsageError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass
class OutputChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def dirty(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def existing_files(out: Path) -> dict[str, Path]:
    """Files under `out` by posix path relative to it (hidden files and directories ignored)."""
    found: dict[str, Path] = {}
    if not out.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel_dir = os.path.relpath(dirpath, out)
        for name in filenames:
            if not name.startswith("."):
                rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                found[rel] = Path(dirpath, name)
    return found


def compare(files: dict[str, bytes], out: Path) -> OutputChanges:
    """How `out` differs from `files` (reads every existing file once)."""
    changes = OutputChanges()
    current = existing_files(out)
    for rel, data in files.items():
        path = current.get(rel)
        if path is None:
            changes.added.append(rel)
        elif path.stat().st_size != len(data) or path.read_bytes() != data:
            changes.changed.append(rel)
        else:
            changes.unchanged += 1
    changes.removed = sorted(set(current) - set(files))
    return changes


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False when the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def _stage(files: dict[str, bytes], out: Path, stage: Path, changes: OutputChanges) -> None:
    keep = set(files) - set(changes.added) - set(changes.changed)
    made: set[str] = set()
    for rel, data in files.items():
        target = stage / rel
        parent = os.path.dirname(rel)
        if parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        if rel in keep:
            try:
                os.link(out / rel, target)
                continue
            except OSError:
                pass  # no hard links here: write the bytes
        with open(target, "wb") as handle:
            handle.write(data)


def write_output(files: dict[str, bytes], out: Path) -> OutputChanges:
    """Make `out` hold exactly `files`, atomically, rewriting only what changed.

    Raises:
        UsageError: when `out` exists and is not a directory.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is not a directory", hint="pass --out DIR")
    changes = compare(files, out)
    if not changes.dirty and out.is_dir():
        return changes
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.hubctl-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    try:
        _stage(files, out, stage, changes)
        if not out.exists():
            os.rename(stage, out)
            return changes
        _carry_hidden(out, stage)
        if not _exchange(stage, out):
            old = out.parent / f".{out.name}.hubctl-old-{os.getpid()}"
            os.rename(out, old)
            os.rename(stage, out)
            stage = old
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return changes


def _carry_hidden(out: Path, stage: Path) -> None:
    """Keep dot-files at the top of the output (e.g. a .gitattributes) across the swap."""
    for entry in out.iterdir():
        if entry.name.startswith(".") and not (stage / entry.name).exists():
            if entry.is_dir():
                shutil.copytree(entry, stage / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, stage / entry.name)
