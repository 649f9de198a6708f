"""Load and render the two sides of a review at the same time: the base in a forked process.

Loading and rendering a side is pure Python work (about 2 s for 500 clusters and 400 flows); two cores
halve the wait. The child streams its Side back pickled through a pipe (a render of 33,000 files is
about 150 MB; pickling and unpickling cost about 0.3 s each, overlapped). Where fork is not available
(or not safe: macOS, Windows), or the child fails for any reason other than a user error, the base is
loaded here instead.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import sys
import types
from collections.abc import Callable
from dataclasses import replace

from hubctl.errors import HubctlError, SpecError
from hubctl.review.sides import Side

Loader = Callable[[], Side]
BUFFER = 1 << 20


def _proxy(data: dict) -> types.MappingProxyType:
    return types.MappingProxyType(data)


def _reduce_proxy(proxy: types.MappingProxyType):
    return _proxy, (dict(proxy),)  # the mappingproxy type itself cannot be pickled by reference


def _dump(value, stream) -> None:
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, types.MappingProxyType: _reduce_proxy}
    pickler.dump(value)


def _portable(side: Side) -> Side:
    # Fleet.cache holds derived values (label index, placements) that are cheap to rebuild.
    return replace(side, fleet=replace(side.fleet, cache={})) if side.fleet is not None else side


def _child(write_fd: int, load_base: Loader) -> None:
    try:
        message = ("ok", _portable(load_base()))
    except SpecError as exc:
        message = ("spec", (exc.problems, exc.message, exc.root))
    except HubctlError as exc:
        message = ("user", (type(exc), exc.message, exc.hint, exc.exit_code))
    except BaseException as exc:  # noqa: BLE001 - the parent loads the base itself and reports it properly
        message = ("crash", repr(exc))
    with os.fdopen(write_fd, "wb", buffering=BUFFER) as stream:  # streamed: the parent unpickles as it comes
        try:
            _dump(message, stream)
        except Exception:  # noqa: BLE001
            stream.write(pickle.dumps(("crash", "unpicklable result")))


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and os.environ.get("HUBCTL_NO_FORK") != "1"


def load_both(load_base: Loader, load_head: Loader) -> tuple[Side, Side]:
    """(base, head), the base loaded in a forked process while this one loads the head.

    Raises:
        HubctlError: what loading either side raises (the base's first when both fail).
    """
    if not can_fork():
        return load_base(), load_head()
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    read_fd, write_fd = os.pipe()
    process = ctx.Process(target=_child, args=(write_fd, load_base), daemon=True)
    process.start()
    os.close(write_fd)
    try:
        head, head_error = load_head(), None
    except HubctlError as exc:
        head, head_error = None, exc
    try:
        with os.fdopen(read_fd, "rb", buffering=BUFFER) as stream:
            kind, value = pickle.load(stream)
    except (EOFError, OSError, pickle.UnpicklingError):
        kind, value = "crash", "no result"
    finally:
        process.join()
    base = _base_from(kind, value, load_base)
    if head_error is not None:
        raise head_error
    return base, head


def _base_from(kind: str, value, load_base: Loader) -> Side:
    if kind == "ok":
        return value
    if kind == "spec":
        problems, message, root = value
        raise SpecError(problems, message, root=root)
    if kind == "user":
        cls, message, hint, exit_code = value
        try:
            error = cls(message, hint=hint, exit_code=exit_code)
        except TypeError:  # a subclass with its own constructor: keep what the user sees
            error = HubctlError(message, hint=hint, exit_code=exit_code)
        raise error
    return load_base()
