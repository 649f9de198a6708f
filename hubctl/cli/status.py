"""`hubctl status`: has the hub rolled out this commit, everywhere it should, and is it healthy?"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import (
    CaFileOption,
    ContextOption,
    DirOption,
    InsecureOption,
    KubeconfigOption,
    NamespaceOption,
    ServerOption,
    SourceOption,
    TokenFileOption,
    UsernameOption,
    hub_connection,
    output_option,
)

LIVE_ROWS = 40  # above this, the live view while waiting shows one row per space/flow
OUTPUTS = ("text", "wide", "json", "yaml", "name")
STATE_STYLE = {"done": "green", "progressing": "yellow", "failed": "bold red", "degraded": "red",
               "missing": "magenta", "orphaned": "magenta"}


@app.command("status")
def status(
    fleet_dir: Path = DirOption,
    revision: str = typer.Option(None, "--revision", help="Expected commit (default: head of the deploy branch)."),
    wait: bool = typer.Option(False, "--wait", help="Wait until done, a failure is final, or --timeout."),
    timeout: str = typer.Option("10m", "--timeout", help="How long --wait waits: 90s, 10m, 1h."),
    progress_interval: str = typer.Option("30s", "--progress-interval", metavar="DURATION",
                                          help="Without a terminal, how often --wait prints a `still waiting` "
                                               "line: 30s, 1m."),
    flow: str = typer.Option(None, "--flow", help="Only this flow."),
    cluster: str = typer.Option(None, "--cluster", help="Only this cluster."),
    space: str = typer.Option(None, "--space", help="Only this space."),
    hub: str = typer.Option(None, "--hub", metavar="NAME", help="Only this hub of a fleet of several (then "
                            "--server/--context apply to it)."),
    source: str = SourceOption, server: str = ServerOption, token_file: str = TokenFileOption,
    username: str = UsernameOption, kubeconfig: str = KubeconfigOption, context: str = ContextOption,
    namespace: str = NamespaceOption, insecure: bool = InsecureOption, ca_file: str = CaFileOption,
    output: str = output_option(help_text="text, wide (with Application names and full revisions), json "
                                "(docs/status.md), yaml or name (application/NAME lines).",
                                choices="text|wide|json|yaml|name"),
) -> None:
    """Show the rollout of the expected revision on the hub, or wait for it.

    A fleet of several hubs (hubs/*.yaml) reads every active hub at once, each through its own
    spec.kube.context (or spec.argocd.server and $HUBCTL_ARGOCD_TOKEN_<HUB>), and prints per-hub rows and
    one fleet-wide exit code: 13 when some hubs answered and others could not be read.

    Example:

        hubctl status --wait --timeout 10m --revision $SHA -o json
    """
    from hubctl.base.errors import UsageError
    from hubctl.cli import console
    from hubctl.usecases.render.journal import refuse_half_written_render
    from hubctl.usecases.status.service import StatusOptions, parse_duration, status_for_fleet
    from hubctl.usecases.status.status import Filters

    if output not in OUTPUTS:
        raise UsageError(f"unknown output format {output!r}", hint="use " + ", ".join(OUTPUTS))
    every = parse_duration(progress_interval)
    if every <= 0:
        raise UsageError(f"--progress-interval must be more than 0, not {progress_interval!r}", hint="e.g. 30s")
    plain = wait and output == "text" and not console.is_tty()
    options = StatusOptions(fleet_dir, revision, wait, parse_duration(timeout), Filters(flow, space, cluster),
                            *hub_connection(source, server, token_file, username, kubeconfig, context, namespace,
                                            insecure, ca_file),
                            progress_interval=every if plain else None, hub=hub)
    refuse_half_written_render(fleet_dir)  # exit 4 while a killed render's tree is half-written
    from hubctl.cli.hubstatus import HubsProgress

    live = wait and output in ("text", "wide") and not quiet()
    with _progress(live, every) as on_progress, \
            HubsProgress(live, output, status_rows, every, live_view) as hubs_view:
        result, source_name = status_for_fleet(options, on_progress, console.warn, hubs_view)
    if source_name == "hubs":  # a fleet of several hubs: those that settled were printed already
        from hubctl.cli.hubstatus import print_fleet_status

        print_fleet_status(result, output, status_rows, hubs_view.printed)
    else:
        _print(result, source_name, output)
    if result.exit_code:
        raise SystemExit(int(result.exit_code))  # SystemExit: run() and click both pass the code on


def quiet() -> bool:
    from hubctl.cli import console

    return console.verbosity() < 0  # -q: no live view and no progress lines on stderr


def _print(result, source_name: str, output: str) -> None:
    from hubctl.base.errors import ExitCode
    from hubctl.cli import console
    from hubctl.usecases.status.report import dumps, status_json, summary_line

    if output == "json":
        console.document(status_json(result.tracker, result.exit_code, source_name, result.timed_out), dumps)
        return
    if output == "yaml":
        console.structured(status_json(result.tracker, result.exit_code, source_name, result.timed_out), output)
        return
    if output == "name":
        console.data("\n".join(f"application/{s.name}" for s in result.tracker.sorted_statuses()))
        return
    if result.tracker.statuses:
        console.table(*status_rows(result.tracker.sorted_statuses(), wide=output == "wide"), group=2)
    verdict = {ExitCode.OK: "done", ExitCode.DEGRADED: "failed", ExitCode.TIMEOUT: "timed out",
               ExitCode.DRIFT: "drift", ExitCode.NOT_DONE: "not done yet"}.get(result.exit_code)
    timed_out = " (timed out)" if result.timed_out and result.exit_code != ExitCode.TIMEOUT else ""
    console.line(f"{summary_line(result.tracker)}: {verdict}{timed_out}")


def _age(timestamp: str, now: datetime) -> str:
    if not timestamp:
        return ""
    try:
        then = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return ""
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def table(statuses):
    """A rich table grouped by space and flow (a section per flow, names shown once): the live view."""
    from hubctl.cli.table import rich_table

    return rich_table(*status_rows(statuses, wide=False), group=2)


def status_rows(statuses, wide: bool) -> tuple[list, list[list]]:
    """Columns and rows of the status table; `wide` adds the Application name and the full revision."""
    from rich.text import Text

    from hubctl.cli.table import Column
    from hubctl.usecases.status.report import deployed_revision

    now = datetime.now(UTC)
    columns = [Column("space", whole=True), Column("flow", whole=True), Column("cluster", whole=True),
               Column("state"), Column("sync"), Column("health"), Column("revision"), Column("operation"),
               Column("age"), Column("message")]
    if wide:
        columns.insert(3, Column("application", whole=True))
    rows = []
    for s in statuses:
        live = s.live
        revision = deployed_revision(s)[: 40 if wide else 7]
        row = [s.space, s.flow, s.cluster or s.name, Text(s.state, style=STATE_STYLE.get(s.state, "")),
               live.sync if live else "-", live.health if live else "-",
               (revision + ("" if s.at_revision else " (old)")) if revision else "-",
               (live.operation or "-") if live else "-",
               _age(live.started_at or live.created_at, now) if live else "", s.message]
        if wide:
            row.insert(3, s.name)
        rows.append(row)
    return columns, rows


def live_view(tracker):
    """The rows while waiting: the table, or one row per space/flow above LIVE_ROWS Applications."""
    return table(tracker.sorted_statuses()) if len(tracker.statuses) <= LIVE_ROWS else rollup(tracker)


def rollup(tracker):
    """One row per space/flow: counts per state (the live view for large fleets)."""
    from collections import Counter

    from rich.table import Table
    from rich.text import Text

    counts: dict[tuple[str, str], Counter] = {}
    for s in tracker.statuses.values():
        counts.setdefault((s.space, s.flow), Counter())[s.state] += 1
    grid = Table(box=None, pad_edge=False, header_style="bold")
    states = ("done", "progressing", "failed", "degraded", "missing", "orphaned")
    for column in ("SPACE", "FLOW", *(state.upper() for state in states)):
        grid.add_column(column)
    for (space_name, flow_name), counter in sorted(counts.items()):
        grid.add_row(Text(space_name), Text(flow_name), *(str(counter[state]) for state in states))
    return grid


class _progress:
    """A context manager yielding `on_progress(tracker, elapsed)`: rich Live on a TTY; otherwise the first
    summary, then a `still waiting` line every `every` seconds."""

    def __init__(self, enabled: bool, every: float = 30.0):
        self.enabled, self.live, self.every, self.last_time = enabled, None, every, None
        self.last_view = float("-inf")  # building the view walks every app: at most 4 times a second

    def __enter__(self):
        from hubctl.cli import console

        self.tty = self.enabled and console.is_tty()  # the live view starts on the first poll: a fleet of
        return self.update  # several hubs reports through hubstatus.HubsProgress instead, and rich has one

    def update(self, tracker, elapsed: float) -> None:
        from hubctl.cli import console
        from hubctl.usecases.status.report import summary_line

        if not self.enabled:
            return
        if self.tty and self.live is None:
            from rich.live import Live

            self.live = Live(console=console.err(), transient=True, refresh_per_second=4)
            self.live.start()
        if self.live is not None:
            from rich.console import Group

            now = time.monotonic()
            if now - self.last_view < 0.25:
                return
            self.last_view = now
            view = live_view(tracker)
            self.live.update(console.scrubbed(Group(view, f"[{elapsed:5.0f}s] {summary_line(tracker)}")))
            return
        if self.last_time is None:
            console.info(f"[{elapsed:5.0f}s] {summary_line(tracker)}")
            self.last_time = elapsed
        elif elapsed - self.last_time >= self.every:
            from hubctl.usecases.status.status import waiting_line

            console.info(f"[{elapsed:5.0f}s] {waiting_line(tracker)}")
            self.last_time = elapsed

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.stop()
