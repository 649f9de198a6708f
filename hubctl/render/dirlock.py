"""One render at a time per output directory: an exclusive flock, held while the render writes.

The lock file lives in hubctl's cache directory (`locks/`, keyed by the output's real path), never in the
render directory itself; when the cache directory cannot be used it is `.<out>.hubctl-lock` beside the
output. flock is released by the kernel when the process dies, so a killed render never leaves it held.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from hubctl.errors import ExitCode, HubctlError

WAIT_SECONDS = 60.0


class RenderBusyError(HubctlError):
    """Another hubctl render kept the output directory locked for longer than hubctl waits (exit 12)."""

    exit_code = ExitCode.FILESYSTEM


def lock_path(out: Path) -> Path:
    from hubctl.cachefile import _make_dir, _usable, cache_root

    real = str(out.resolve())
    directory = cache_root() / "locks"
    if _usable(directory):
        with contextlib.suppress(OSError):
            _make_dir(directory)
            return directory / (hashlib.sha256(real.encode()).hexdigest()[:32] + ".lock")
    return out.parent / f".{out.name}.hubctl-lock"


@contextlib.contextmanager
def render_lock(out: Path, wait: float | None = None) -> Iterator[bool]:
    """Hold the lock of output directory `out`; yields whether another render held it first (so what was
    scanned before may be out of date).

    Raises:
        RenderBusyError: another render held it for `wait` seconds (HUBCTL_RENDER_LOCK_WAIT, default 60).
    """
    wait = float(os.environ.get("HUBCTL_RENDER_LOCK_WAIT", WAIT_SECONDS)) if wait is None else wait
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        waited = _acquire(fd, out, wait)
        yield waited
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, out: Path, wait: float) -> bool:
    deadline, waited = time.monotonic() + wait, False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return waited
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise RenderBusyError(f"another hubctl render is writing {out} (waited {wait:g} s)",
                                      hint="wait for it to finish, then render again") from None
            waited = True
            time.sleep(0.05)
