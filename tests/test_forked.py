"""hubctl.base.forked: a function's result from a forked child, or from this process when that fails."""

from __future__ import annotations

import os
import time

import pytest

from hubctl.base import forked
from hubctl.base.errors import UsageError

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="no fork here")


def test_the_result_comes_from_a_child_process():
    pending = forked.start(lambda: {"pid": os.getpid(), "data": list(range(5))})
    result = pending.result()
    assert result["pid"] != os.getpid() and result["data"] == [0, 1, 2, 3, 4]


def test_a_failing_child_makes_the_error_surface_here():
    calls = []

    def fail():
        calls.append(os.getpid())
        raise UsageError("bad input", hint="fix it")

    pending = forked.start(fail)
    with pytest.raises(UsageError, match="bad input"):
        pending.result()
    assert calls == [os.getpid()]  # the child's own attempt is not seen here; this one raised


def test_an_unpicklable_result_is_computed_here():
    pending = forked.start(lambda: (os.getpid(), lambda: None))  # a lambda cannot be pickled
    pid, _fn = pending.result()
    assert pid == os.getpid()


def test_discard_stops_and_reaps_the_child():
    pending = forked.start(lambda: time.sleep(600))
    child = pending.pid
    os.kill(child, 0)  # running
    pending.discard()
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # killed and reaped: no such process any more
    pending.discard()  # twice is harmless


def test_without_fork_the_function_runs_when_asked(monkeypatch):
    monkeypatch.setenv("HUBCTL_NO_FORK", "1")
    pending = forked.start(os.getpid)
    assert pending.result() == os.getpid()


def test_an_error_before_the_result_leaves_no_child_behind():
    child = 0
    with pytest.raises(UsageError), forked.start(lambda: b"x" * (1 << 20)) as pending:  # more than a pipe holds
        child = pending.pid
        raise UsageError("the specs are invalid")
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_a_result_larger_than_the_pipe_comes_back_whole():
    data = os.urandom(1 << 22)
    with forked.start(lambda: (os.getpid(), data)) as pending:
        pid, back = pending.result()
    assert pid != os.getpid() and back == data
