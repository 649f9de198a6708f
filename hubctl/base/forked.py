"""Run a function in a forked process while this one goes on: both cores for pure-Python work.

The child sends its result back pickled through a pipe. Where fork is not available or not safe (only
Linux forks here; `HUBCTL_NO_FORK=1` turns it off), or the child fails for any reason, the function runs
in this process when its result is asked for, so its errors surface exactly as they would without a
fork. The child never prints and leaves with os._exit: no atexit handler or buffered output runs twice.
"""

from __future__ import annotations

import contextlib
import copyreg
import os
import pickle
import sys
import types
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
BUFFER = 1 << 20


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and os.environ.get("HUBCTL_NO_FORK") != "1"


def _proxy(data: dict) -> types.MappingProxyType:
    return types.MappingProxyType(data)


def _reduce_proxy(proxy: types.MappingProxyType):
    return _proxy, (dict(proxy),)  # the mappingproxy type itself cannot be pickled by reference


def _dump(value, stream) -> None:
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, types.MappingProxyType: _reduce_proxy}
    pickler.dump(value)


class Pending(Generic[T]):
    """The result of `fn`, computed in a forked child (or here, when that is not possible)."""

    def __init__(self, fn: Callable[[], T]):
        self.fn = fn
        self.pid = 0
        self.read_fd = -1
        if can_fork():
            self._start()

    def _start(self) -> None:
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return
        if pid == 0:  # the child
            status = 1
            try:
                os.close(read_fd)
                with os.fdopen(write_fd, "wb", buffering=BUFFER) as stream:
                    _dump(self.fn(), stream)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        self.pid, self.read_fd = pid, read_fd

    def result(self) -> T:
        """Wait for the child's result; compute it here when there is no child or it failed.

        Raises:
            Whatever `fn` raises (raised here, by running it in this process).
        """
        if not self.pid:
            return self.fn()
        ok, status = False, 1
        try:
            with os.fdopen(self.read_fd, "rb", buffering=BUFFER) as stream:
                value = pickle.load(stream)
            ok = True
        except (EOFError, OSError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            pass
        finally:
            with contextlib.suppress(ChildProcessError):  # SIGCHLD ignored by the host process: reaped already
                _, status = os.waitpid(self.pid, 0)
            self.pid = 0
        return value if ok and status == 0 else self.fn()


    def discard(self) -> None:
        """The result is not needed (any more): stop the child if it still runs (nothing runs here)."""
        if self.pid:
            import signal

            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            os.close(self.read_fd)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0

    def __enter__(self) -> Pending[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()  # an error before result(): no child left behind, no descriptor leaked


def start(fn: Callable[[], T]) -> Pending[T]:
    """Start `fn` in a forked child; `.result()` waits for it."""
    return Pending(fn)
