"""Fault injection for the emulator: per-application outcomes and per-request HTTP trouble."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field

from hubctl.base.errors import UsageError

APP_FAULTS = ("degraded", "outofsync", "failed", "lie", "window")
FAULT_HELP = ("degraded=GLOB, outofsync=GLOB, failed=GLOB, lie=GLOB, window=GLOB (Application names; lie: PATCH "
              "and DELETE answer 200 and change nothing; window: an active deny sync window holds them OutOfSync "
              "and GET .../syncwindows says canSync false), http500=N, reset=N "
              "(the next N API requests), slow=SECONDS (every answer), forbidden (every API request 403), "
              "noselector (lists and watches ignore label selectors, as a broken proxy may)")


@dataclass
class Faults:
    """What goes wrong. Mutable while the emulator runs (tests flip faults between steps)."""

    degraded: tuple[str, ...] = ()
    outofsync: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    lie: tuple[str, ...] = ()  # PATCH and DELETE of these Applications answer 200 and change nothing
    window: tuple[str, ...] = ()  # an active deny sync window holds these (never synced, canSync false)
    window_answer: str | None = None  # a lying hub: this raw body answers every GET .../syncwindows
    http500: int = 0
    reset: int = 0
    slow: float = 0.0
    forbidden: bool = False
    noselector: bool = False  # lists and watches answer every Application, whatever the label selector
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def app_fault(self, name: str) -> str | None:
        """The fault that applies to the Application `name`, if any (failed > degraded > outofsync > window)."""
        for kind in ("failed", "degraded", "outofsync", "window"):
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in getattr(self, kind)):
                return kind
        return None

    def lies(self, name: str) -> bool:
        """True when a write to the Application `name` is to be answered 200 and ignored."""
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.lie)

    def take(self, kind: str) -> bool:
        """Consume one pending `http500` or `reset`; True when this request must suffer it."""
        with self._lock:
            if getattr(self, kind) > 0:
                setattr(self, kind, getattr(self, kind) - 1)
                return True
            return False

    @classmethod
    def parse(cls, specs: list[str]) -> Faults:
        """Faults from `--fault` values such as `degraded=payments-*` or `http500=3`.

        Raises:
            UsageError: an unknown fault or a bad value.
        """
        faults = cls()
        for spec in specs:
            kind, _, value = spec.partition("=")
            try:
                _apply(faults, kind.strip(), value.strip())
            except ValueError:
                raise UsageError(f"bad value in --fault {spec!r}", hint=FAULT_HELP) from None
        return faults


def _apply(faults: Faults, kind: str, value: str) -> None:
    if kind in APP_FAULTS and value:
        setattr(faults, kind, getattr(faults, kind) + tuple(v for v in value.split(",") if v))
    elif kind in ("http500", "reset"):
        setattr(faults, kind, int(value))
    elif kind == "slow":
        faults.slow = float(value)
    elif kind in ("forbidden", "noselector") and value in ("", "true"):
        setattr(faults, kind, True)
    else:
        raise UsageError(f"unknown fault {kind!r}", hint=FAULT_HELP)
