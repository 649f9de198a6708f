"""One render at a time per output directory: an exclusive flock through filelock, held while the render writes.

The lock file lives in hubctl's cache directory (`locks/`, keyed by the output's real path), never in the
render directory itself; when the cache directory cannot be used it is `.<out>.hubctl-lock` beside the
output (opened without following a link, as filelock does). flock is released by the kernel when the
process dies, so a killed render never leaves it held.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from hubctl.base.cachefile import cache_root
from hubctl.base.errors import ExitCode, HubctlError

WAIT_SECONDS = 60.0


class RenderBusyError(HubctlError):
    """Another hubctl render kept the output directory locked for longer than hubctl waits (exit 12)."""

    exit_code = ExitCode.FILESYSTEM


def lock_path(out: Path) -> Path:
    from hubctl.base.cachefile import _make_dir, _usable

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
    from filelock import FileLock, Timeout

    wait = float(os.environ.get("HUBCTL_RENDER_LOCK_WAIT", WAIT_SECONDS)) if wait is None else wait
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, mode=0o600)  # an instance per render: a second one in this process waits its turn too
    try:
        lock.acquire(blocking=False)
        waited = False
    except Timeout:
        try:
            lock.acquire(timeout=max(wait, 0.0))  # filelock waits forever on a negative timeout
        except Timeout:
            raise RenderBusyError(f"another hubctl render is writing {out} (waited {wait:g} s)",
                                  hint="wait for it to finish, then render again") from None
        waited = True
    except OSError as exc:  # such as a symbolic link planted where the lock file goes: never followed
        raise HubctlError(f"cannot lock {out}: cannot open {path} ({exc.strerror or exc})",
                          hint=f"remove it (hubctl makes its lock file itself), or make {cache_root()} a "
                               "directory only you can write (mode 0700) so the lock goes there",
                          exit_code=ExitCode.FILESYSTEM) from None
    try:
        yield waited
    finally:
        lock.release()
