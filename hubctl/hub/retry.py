"""Bounded exponential backoff for transient hub trouble (5xx, connection resets, timeouts)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class Transient(Exception):
    """Raised inside a retried call for a failure worth another attempt; `detail` says what happened."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in all, sleeping base, 2*base, 4*base ... capped at `cap` seconds in between."""

    attempts: int = 5
    base: float = 0.25
    cap: float = 4.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.base * (2 ** attempt))


def retrying(call: Callable[[], T], policy: RetryPolicy, give_up: Callable[[Transient], Exception],
             sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `call`, retrying on Transient; after the last attempt raise `give_up(last_transient)`.

    Raises:
        Whatever `give_up` returns, or any non-Transient exception of `call`.
    """
    for attempt in range(policy.attempts):
        try:
            return call()
        except Transient as exc:
            if attempt == policy.attempts - 1:
                raise give_up(exc) from None
            sleep(policy.delay(attempt))
    raise AssertionError("unreachable")
