"""Bounded exponential backoff for transient hub trouble (5xx, 429, connection resets, timeouts).

A `Retry-After` the hub sends with 429 or 503 is honoured (it replaces a shorter backoff); no wait ever
runs past the run's deadline: when the next attempt could only start after it, the retrying stops.
$HUBCTL_RETRY_BASE sets the first backoff (tests and CI against a local hub use a short one).

Hand-written on purpose (docs/architecture.md, "Dependencies"): the same loop on tenacity is as long (the
Retry-After wait and the deadline stop are callbacks of their own), relies on tenacity computing the wait
before the stop (recent releases only), and importing it adds ~5 ms of CPU to every `hubctl status`.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
ENV_BASE = "HUBCTL_RETRY_BASE"
MAX_BASE = 60.0


class Transient(Exception):
    """Raised inside a retried call for a failure worth another attempt; `detail` says what happened;
    `retry_after` is the hub's own Retry-After in seconds, if it sent one."""

    def __init__(self, detail: str, retry_after: float | None = None):
        super().__init__(detail)
        self.detail, self.retry_after = detail, retry_after
        self.attempts = 0  # set before give_up: how many attempts were made


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in all, sleeping base, 2*base, 4*base ... capped at `cap` seconds in between."""

    attempts: int = 5
    base: float = 0.25
    cap: float = 4.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.base * (2 ** attempt))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RetryPolicy:
        """The default policy, its first backoff taken from $HUBCTL_RETRY_BASE (seconds) when set.

        Raises:
            UsageError: the variable is not a number of seconds from 0 to 60.
        """
        value = (os.environ if env is None else env).get(ENV_BASE, "")
        if not value:
            return cls()
        try:
            base = float(value)
        except ValueError:
            base = math.nan
        if not 0 <= base <= MAX_BASE:  # also false for nan
            from hubctl.base.errors import UsageError

            raise UsageError(f"${ENV_BASE}={value!r} is not a number of seconds from 0 to {MAX_BASE:g}",
                             hint=f"unset it for the default ({cls.base:g} s, doubling up to {cls.cap:g} s)")
        return cls(base=base, cap=max(cls.cap, base))


def retrying(call: Callable[[], T], policy: RetryPolicy, give_up: Callable[[Transient], Exception],
             sleep: Callable[[float], None] = time.sleep, deadline=None) -> T:
    """Run `call`, retrying on Transient; after the last attempt raise `give_up(last_transient)`.

    Args:
        deadline: a hubctl.adapters.hub.http.Deadline, or None; no sleep reaches past it.

    Raises:
        Whatever `give_up` returns, or any non-Transient exception of `call`.
    """
    for attempt in range(policy.attempts):
        try:
            return call()
        except Transient as exc:
            exc.attempts = attempt + 1
            if attempt == policy.attempts - 1:
                raise give_up(exc) from None
            delay = max(policy.delay(attempt), exc.retry_after or 0.0)
            if deadline is not None and delay >= deadline.remaining():
                if exc.retry_after:
                    exc.detail += f"; asked to retry after {exc.retry_after:g}s, past the --timeout"
                raise give_up(exc) from None
            sleep(delay)
    raise AssertionError("unreachable")
