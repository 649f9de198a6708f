"""`hubctl rollout approve|status|list`: staged rollouts and their approvals (edits flows/*.yaml)."""

from __future__ import annotations

from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.cluster import AllowPrune, DryRun, Output, finish
from hubctl.cli.options import DirOption, ListOutput, TextJson, listing_output

rollout_app = typer.Typer(help="Approve the stages of staged rollouts and show what is held (edits flows/*.yaml).",
                          no_args_is_help=True)
app.add_typer(rollout_app, name="rollout")


@rollout_app.command("approve")
def approve(
    flow: str = typer.Argument(..., help="The flow."),
    stage: str = typer.Argument(..., help="The stage of its spec.rollout.stages that waits for the approval."),
    directory: Path = DirOption, dry_run: bool = DryRun, allow_prune: bool = AllowPrune, output: TextJson = Output,
) -> None:
    """Approve a stage of a flow's staged rollout for the flow's current release: records it in the flow's
    spec.rollout.approvals. Like every edit, review and commit it; Argo CD starts the stage once the commit
    is rendered and synced.

    Example:

        hubctl rollout approve payments-api prod --dry-run
    """
    from hubctl.usecases.ops.rollout import rollout_approve

    finish(lambda: rollout_approve(directory, flow, stage), output, dry_run, allow_prune)


@rollout_app.command("status")
def status(
    flow: str = typer.Argument(..., help="The flow."),
    directory: Path = DirOption,
    output: TextJson = Output,
) -> None:
    """Show a flow's stages as the specs render them: clusters, maxUpdate, what each waits for, its approval
    (the release it names; `(old)`: an earlier release, which holds nothing), and which are held (a waiting
    stage without an approval for the flow's current release). Read from the specs, not the hub.

    Example:

        hubctl rollout status payments-api
    """
    from hubctl.cli import console
    from hubctl.cli.table import Column
    from hubctl.usecases.ops.rollout import rollout_status

    body = rollout_status(directory, flow)
    if output is TextJson.json:
        console.print_json(body)
        return
    columns = [Column("stage", whole=True), Column("clusters"), Column("max-update"), Column("waits-for"),
               Column("approval"), Column("state")]
    rows = [[r["name"], r["clusters"], r["maxUpdate"], [_short(w) for w in r["waitsFor"]], _approval(r), r["state"]]
            for r in body["stages"]]
    held = body["held"]
    console.table(columns, rows, title=f"flow {body['name']} (space {body['space']}), release {body['release']}: "
                  f"{len(rows)} stages, {len(held)} held")
    if held:
        console.info(f"approve with: hubctl rollout approve {body['name']} {held[0]}  (Argo CD syncs no "
                     "Application of a held stage, nor of any stage after it)")


def _approval(row: dict) -> str:
    """The release a stage's approval names; `(old)` when it is not the current release (it holds nothing)."""
    if row["approval"] is None:
        return "-"
    return row["approval"] + ("" if row["approvalCurrent"] else "(old)")


def _short(waits: str) -> str:
    return "approval" if waits == "approval" else "pause-" + waits.split()[1]


@rollout_app.command("list")
def list_cmd(directory: Path = DirOption,
             output: ListOutput = listing_output("flow")) -> None:
    """List the flows with rollout stages, and their held stages.

    Example:

        hubctl rollout list -o json
    """
    from hubctl.cli.options import print_listing
    from hubctl.usecases.ops.rollout import rollout_list

    print_listing("flow", rollout_list(directory), output, _table)


def _table(rows: list[dict], wide: bool) -> tuple[list, list[list]]:
    from hubctl.cli.table import Column

    columns = [Column("flow", whole=True), Column("space", whole=True), Column("stages"), Column("held")]
    return columns, [[r["name"], r["space"], str(len(r["stages"])), r["held"]] for r in rows]
