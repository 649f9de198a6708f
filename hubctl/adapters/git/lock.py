"""A lock against two hubctl runs on one repository: an flock on `<git dir>/hubctl.lock`, through filelock.

The kernel releases the lock when its process ends, however it ends, so a killed run never leaves it held
and nothing has to guess whether a holder is still alive (a pid taken over by another process, a holder on
another host). The holder writes "<pid> <hostname>" into the file so that a refused run can name it; the
file's content never decides anything. Re-entrant within one thread, so `push` can hold it while its
rebuild step commits; exclusive between threads and processes. No waiting: a held lock refuses at once.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hubctl.base.errors import GitError

LOCK_NAME = "hubctl.lock"


@contextmanager
def repo_lock(git_dir: str | os.PathLike) -> Iterator[Path]:
    """Hold the hubctl lock of the repository whose git directory is `git_dir`.

    Raises:
        GitError: another live hubctl process (or thread) holds the lock.
    """
    from filelock import FileLock, Timeout

    path = (Path(git_dir) / LOCK_NAME).resolve()
    lock = FileLock(path, timeout=0, is_singleton=True)  # one instance per path; its holds are per thread
    try:
        lock.acquire()
    except Timeout:
        raise _held_error(path, _read(path)) from None
    try:
        if lock.lock_counter == 1:
            _write(path, f"{os.getpid()} {socket.gethostname()}\n")
        yield path
    finally:
        if lock.lock_counter == 1:
            _write(path, "")
        lock.release()


def _write(path: Path, owner: str) -> None:
    """Say who holds the lock (best effort: the message of a refused run is all it serves)."""
    with contextlib.suppress(OSError), open(path, "r+") as handle:
        handle.truncate()
        handle.write(owner)


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _held_error(path: Path, holder: str) -> GitError:
    pid = holder.partition(" ")[0] or "unknown"
    return GitError(f"another hubctl run (pid {pid}) is working on this repository ({path} is locked)",
                    hint="wait for it to finish and try again (the lock is released when that run ends)")
