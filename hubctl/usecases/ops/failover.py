"""Hub failover and failback: a reviewed edit of the standby's `spec.standby.active`.

`hubctl hub failover PRIMARY --to STANDBY` sets it to true: the standby then renders the ApplicationSets and
spoke files of the primary's clusters and the primary renders none (spec/hubs.py). `hubctl hub failback
STANDBY --to PRIMARY` removes it. The edit reads the files of the primary and of all its standbys, and is
written only if none of them changed meanwhile (under the fleet lock), so two failovers at once cannot both
make a standby active.
"""

from __future__ import annotations

from pathlib import Path

from hubctl.base.errors import SpecError, UsageError
from hubctl.usecases.ops.plan import Plan, open_fleet, plan_edit
from hubctl.usecases.ops.specfiles import child, open_spec


def _hubs(ws):
    from hubctl.spec.hubs import hubs_of

    if ws.loaded.fleet is None or ws.loaded.problems:
        raise SpecError(ws.loaded.problems, root=ws.root, message="the specs do not validate; nothing was changed",
                        hint="run `hubctl validate` and fix what it lists, then run the command again")
    return ws.loaded.fleet, hubs_of(ws.loaded.fleet)


def _known(hubs, name: str, role: str) -> None:
    if name not in hubs:
        import difflib

        close = difflib.get_close_matches(name, sorted(hubs), n=1)
        raise UsageError(f"no hub named `{name}` ({role})",
                         hint=f"did you mean `{close[0]}`?" if close else f"hubs: {', '.join(sorted(hubs))}")


def _pair(ws, primary: str, standby: str):
    """The fleet and its hubs, after checking that `standby` stands by for `primary`.

    Raises:
        SpecError, UsageError.
    """
    fleet, hubs = _hubs(ws)
    _known(hubs, primary, "the primary")
    _known(hubs, standby, "the standby")
    if hubs[standby].standby_of != primary:
        hint = (f"`{standby}` stands by for `{hubs[standby].standby_of}`" if hubs[standby].standby_of
                else f"add `standby: {{hub: {primary}}}` to the spec of `{standby}` first")
        raise UsageError(f"`{standby}` is not a standby of `{primary}`", hint=hint)
    return fleet, hubs


def _edit(ws, fleet, hubs, primary: str, standby: str, active: bool, action: str, notes: list[str]) -> Plan:
    from hubctl.spec.hubs import managed_by

    yaml_file, doc = open_spec(ws, "Hub", standby)
    spec_standby = child(doc["spec"], "standby")
    if active:
        spec_standby["active"] = True
    else:
        spec_standby.pop("active", None)
    source, target = (primary, standby) if active else (standby, primary)
    moved = sorted(managed_by(fleet, source)) if source in hubs else []
    plan = plan_edit(ws, action, {yaml_file.rel: yaml_file.result()},
                     details={"hubs": [{"from": source, "to": target, "clusters": moved}]}, notes=notes)
    watched = {hubs[primary].origin.file} | {h.origin.file for h in hubs.values() if h.standby_of == primary}
    plan.originals.update({rel: ws.original(rel) for rel in sorted(watched) if rel not in plan.originals})
    return plan


def hub_failover(directory: Path, primary: str, standby: str) -> Plan:
    """Plan a failover: `standby` manages `primary`'s clusters from now on.

    Raises:
        UsageError: unknown hubs, or `standby` not a standby of `primary`.
        SpecError: the fleet does not validate now, or would not after the edit (another standby active).
    """
    ws = open_fleet(directory)
    fleet, hubs = _pair(ws, primary, standby)
    notes = [f"`{standby}` is already the active hub of `{primary}`'s clusters"] if hubs[standby].standby_active \
        else []
    return _edit(ws, fleet, hubs, primary, standby, True, f"hub failover {primary} --to {standby}", notes)


def hub_failback(directory: Path, standby: str, primary: str) -> Plan:
    """Plan a failback: `primary` manages its clusters again, `standby` none.

    Raises:
        UsageError: unknown hubs, or `standby` not a standby of `primary`.
        SpecError: the fleet does not validate now, or would not after the edit.
    """
    ws = open_fleet(directory)
    fleet, hubs = _pair(ws, primary, standby)
    notes = [] if hubs[standby].standby_active else [f"`{standby}` is not active: `{primary}` already manages "
                                                    "its clusters"]
    return _edit(ws, fleet, hubs, primary, standby, False, f"hub failback {standby} --to {primary}", notes)
