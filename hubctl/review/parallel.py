"""Load and render the two sides of a review at the same time: the base in a forked process.

Loading and rendering a side is pure Python work (about 2 s for 500 clusters and 400 flows); two cores
halve the wait. The child sends its Side back pickled (identical file contents are shared objects, so a
120 MB render pickles to about 40 MB in 50 ms). Where fork is not available (or not safe: macOS,
Windows), or the child fails for any reason other than a user error, the base is loaded here instead.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import sys
import types
from collections.abc import Callable
from dataclasses import replace

from hubctl.errors import HubctlError, SpecError
from hubctl.review.sides import Side

Loader = Callable[[], Side]


def _reduce_proxy(proxy: types.MappingProxyType):
    return types.MappingProxyType, (dict(proxy),)


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, types.MappingProxyType: _reduce_proxy}
    pickler.dump(value)
    return buffer.getvalue()


def _portable(side: Side) -> Side:
    # Fleet.cache holds derived values (label index, placements) that are cheap to rebuild.
    return replace(side, fleet=replace(side.fleet, cache={})) if side.fleet is not None else side


def _child(conn, load_base: Loader) -> None:
    try:
        message = ("ok", _portable(load_base()))
    except SpecError as exc:
        message = ("spec", (exc.problems, exc.message, exc.root))
    except HubctlError as exc:
        message = ("user", (type(exc), exc.message, exc.hint, exc.exit_code))
    except BaseException as exc:  # noqa: BLE001 - the parent loads the base itself and reports it properly
        message = ("crash", repr(exc))
    try:
        conn.send_bytes(_dumps(message))
    except Exception:  # noqa: BLE001
        conn.send_bytes(pickle.dumps(("crash", "unpicklable result")))
    conn.close()


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
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, load_base), daemon=True)
    process.start()
    sender.close()
    try:
        head, head_error = load_head(), None
    except HubctlError as exc:
        head, head_error = None, exc
    try:
        kind, value = pickle.loads(receiver.recv_bytes())
    except (EOFError, OSError, pickle.UnpicklingError):
        kind, value = "crash", "no result"
    finally:
        receiver.close()
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
