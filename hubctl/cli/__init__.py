"""The CLI layer: the commands and their views. Parse flags, call one use case, print. The one error boundary.

Views (console, table, report, commit_view, placement_view, fleetinfo) and the `init` scaffold live here:
rich is imported nowhere else. May import: every layer (use cases, spec, emulator, adapters, engines, base).
"""

from __future__ import annotations

__all__ = ["app", "command", "main", "run"]


def __getattr__(name: str):  # lazy: `from hubctl.cli import run` loads the shell (and its commands) on first use
    if name in __all__:
        from hubctl.cli import shell

        return getattr(shell, name)
    raise AttributeError(name)
