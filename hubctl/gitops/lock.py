"""A lock against two hubctl runs on one repository: `<git dir>/hubctl.lock`, created atomically with its content.

The file holds "<pid> <hostname>". A lock left by a process that no longer runs on this host is stale and
taken over. The lock is re-entrant within one thread, so `push` can hold it while its rebuild step commits.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hubctl.errors import GitError

LOCK_NAME = "hubctl.lock"
EMPTY_LOCK_GRACE = 10.0  # seconds an empty lock file is given before it counts as stale
_held = threading.local()


@contextmanager
def repo_lock(git_dir: str | os.PathLike) -> Iterator[Path]:
    """Hold the hubctl lock of the repository whose git directory is `git_dir`.

    Raises:
        GitError: another live hubctl process (or thread) holds the lock.
    """
    path = (Path(git_dir) / LOCK_NAME).resolve()
    depth = getattr(_held, "depths", {})
    _held.depths = depth
    if depth.get(path):
        depth[path] += 1
        try:
            yield path
        finally:
            depth[path] -= 1
        return
    _acquire(path)
    depth[path] = 1
    try:
        yield path
    finally:
        depth.pop(path, None)
        path.unlink(missing_ok=True)


def _acquire(path: Path) -> None:
    """Create the lock with its content in one step (a hard link of a written file), so that a kill can
    never leave an empty lock behind."""
    owner = f"{os.getpid()} {socket.gethostname()}\n"
    draft = path.with_name(f"{path.name}.new.{os.getpid()}")
    draft.write_text(owner)
    try:
        for _attempt in range(3):
            try:
                os.link(draft, path)
            except FileExistsError:
                holder = _read(path)
                if _is_stale(path, holder) and _remove_stale(path, holder):
                    continue
                raise _held_error(path, holder) from None
            return
        raise _held_error(path, _read(path))
    finally:
        draft.unlink(missing_ok=True)


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _is_stale(path: Path, holder: str) -> bool:
    """True when the holder ran on this host and its process is gone (or never wrote its pid)."""
    pid_text, _, host = holder.partition(" ")
    if not pid_text.isdigit():  # a writer that died between creating the file and writing its pid
        return _age(path) > EMPTY_LOCK_GRACE
    if host and host != socket.gethostname():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # another thread of this process holds it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _remove_stale(path: Path, holder: str) -> bool:
    """Move the stale lock aside; only the process whose rename succeeds, on unchanged content, wins."""
    aside = path.with_name(f"{path.name}.stale.{os.getpid()}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return True  # someone else removed it: try again
    if _read(aside) == holder:
        aside.unlink(missing_ok=True)
        return True
    with contextlib.suppress(FileExistsError):  # we moved another run's fresh lock: put it back
        os.link(aside, path)
    aside.unlink(missing_ok=True)
    return False


def _held_error(path: Path, holder: str) -> GitError:
    pid = holder.partition(" ")[0] or "unknown"
    return GitError(f"another hubctl run (pid {pid}) is working on this repository ({path} exists)",
                    hint=f"wait for it to finish; if no hubctl is running, delete {path}")
