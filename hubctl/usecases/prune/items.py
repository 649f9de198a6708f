"""What prune plans and does: one orphan (PruneItem) and one hub's run (PruneResult)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubctl.base.errors import ExitCode


@dataclass
class PruneItem:
    """One orphan and what prune does (or would do) with it."""

    name: str
    space: str
    flow: str
    cluster: str
    allowed_by: str = ""  # the commit whose trailer allows the removal; "" when none does
    result: str = "kept"  # kept | planned | deleted | deleting
    note: str = ""  # why an allowed removal was not done after all
    hub: str = ""  # in a fleet of several hubs: the hub that holds it

    @property
    def reason(self) -> str:
        if self.note:
            return self.note
        if self.allowed_by:
            return f"removal allowed by {self.allowed_by[:12]}"
        return "no Hubctl-Allowed-Removal trailer names it since it was last rendered: left alone"


@dataclass
class PruneResult:
    revision: str | None
    items: list[PruneItem] = field(default_factory=list)
    dry_run: bool = False
    cascade: bool = True

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.DRIFT if any(item.result == "kept" for item in self.items) else ExitCode.OK
