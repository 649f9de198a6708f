"""Printing `hubctl status` and `hubctl commit` for a fleet of several hubs: per-hub rows, then the fleet."""

from __future__ import annotations


def fleet_document(fleet_status) -> dict:
    """The JSON/YAML document: the fleet's result and exit code, then each hub's status document (or its
    error); keys and their order are part of the contract (docs/status.md)."""
    from hubctl.base.errors import ExitCode
    from hubctl.usecases.status.report import RESULTS, status_json

    code = fleet_status.exit_code
    hubs = []
    for answer in fleet_status.hubs:
        if answer.error is not None:
            hubs.append({"hub": answer.hub, "result": "unreachable", "exitCode": int(answer.exit_code),
                         "error": str(answer.error), "hint": answer.error.hint})
        else:
            result = answer.result
            hubs.append({"hub": answer.hub, **status_json(result.tracker, result.exit_code, answer.source,
                                                           result.timed_out)})
    result = "partial" if code == ExitCode.PARTIAL else ("unreachable" if code == ExitCode.HUB_UNREACHABLE
                                                          else RESULTS.get(code, "progressing"))
    return {"apiVersion": "hubctl.io/v1alpha1", "kind": "FleetStatus", "result": result, "exitCode": int(code),
            "hubs": hubs}


def print_fleet_status(fleet_status, output: str, status_rows, printed=frozenset()) -> None:
    """Print per-hub status (a table and a summary line per hub; an unreadable hub as its error) and the
    fleet's verdict; exits with the fleet's code. Hubs in `printed` were printed as they settled."""
    from hubctl.cli import console

    if output in ("json", "yaml"):
        console.structured(fleet_document(fleet_status), output)
    elif output == "name":
        console.data("\n".join(f"application/{s.name}" for answer in fleet_status.hubs if answer.result
                               for s in answer.result.tracker.sorted_statuses()))
    else:
        for answer in fleet_status.hubs:
            if answer.hub not in printed:
                print_hub(answer, output, status_rows)
        document = fleet_document(fleet_status)
        read = sum(1 for answer in fleet_status.hubs if answer.error is None)
        console.line(f"fleet: {read}/{len(fleet_status.hubs)} hubs read: {document['result']}")
    if fleet_status.exit_code:
        raise SystemExit(int(fleet_status.exit_code))


def print_hub(answer, output: str, status_rows) -> None:
    """One hub's rows and summary line, or its error."""
    from hubctl.cli import console
    from hubctl.usecases.status.report import summary_line

    if answer.error is not None:
        console.line(f"hub {answer.hub}: not read: {answer.error}")
        console.error(f"hub {answer.hub}: {answer.error}", answer.error.hint)
        return
    tracker = answer.result.tracker
    console.line(f"hub {answer.hub} ({answer.source}): {summary_line(tracker)}")
    if tracker.statuses:
        console.table(*status_rows(tracker.sorted_statuses(), wide=output == "wide"), group=2)


class HubsProgress:
    """`status --wait` across hubs, as the one-hub wait reports it: on a terminal a live view with every
    hub's rows, refreshed on each poll; elsewhere each hub's first summary and a `still waiting` line every
    `every` seconds on stderr, and each hub's rows on stdout as soon as that hub settles (`printed`), so the
    end prints only the hubs not shown yet and the fleet's verdict. The hubs report from their threads."""

    def __init__(self, enabled: bool, output: str, status_rows, every: float = 30.0, view=None):
        import threading

        self.enabled, self.output, self.status_rows, self.every = enabled, output, status_rows, every
        self.view = view  # tracker -> the live view of one hub's rows (cli/status.py: live_view)
        self.lock, self.live, self.printed = threading.Lock(), None, set()
        self.trackers: dict[str, tuple[object, float]] = {}
        self.last: dict[str, float] = {}
        self.last_view = float("-inf")

    def __enter__(self):
        from hubctl.cli import console

        self.tty = self.enabled and console.is_tty()  # the live view starts on the first poll (one at a time)
        return self

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.stop()

    def progress(self, hub: str, tracker, elapsed: float) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.trackers[hub] = (tracker, elapsed)
            if self.tty and self.live is None:
                from rich.live import Live

                from hubctl.cli import console

                self.live = Live(console=console.err(), transient=True, refresh_per_second=4)
                self.live.start()
            if self.live is not None:
                self._redraw()
            else:
                self._line(hub, tracker, elapsed)

    def _line(self, hub: str, tracker, elapsed: float) -> None:
        from hubctl.cli import console
        from hubctl.usecases.status.report import summary_line
        from hubctl.usecases.status.status import waiting_line

        if hub not in self.last:
            console.info(f"hub {hub}: [{elapsed:5.0f}s] {summary_line(tracker)}")
            self.last[hub] = elapsed
        elif elapsed - self.last[hub] >= self.every:
            console.info(f"hub {hub}: [{elapsed:5.0f}s] {waiting_line(tracker)}")
            self.last[hub] = elapsed

    def _redraw(self) -> None:
        import time

        from rich.console import Group

        from hubctl.cli import console
        from hubctl.usecases.status.report import summary_line

        now = time.monotonic()
        if now - self.last_view < 0.25:
            return
        self.last_view = now
        parts: list = []
        for hub, (tracker, elapsed) in sorted(self.trackers.items()):
            parts.append(f"hub {hub}: [{elapsed:5.0f}s] {summary_line(tracker)}")
            parts.append(self.view(tracker))
        self.live.update(console.scrubbed(Group(*parts)))

    def settled(self, answer) -> None:
        """A hub's final answer: printed now (without a terminal), while the other hubs are still waited for."""
        if not self.enabled or self.tty:
            return
        with self.lock:
            print_hub(answer, self.output, self.status_rows)
            self.printed.add(answer.hub)


def print_hub_commits(results, output, dry_run: bool) -> None:
    """Each hub's commit (or its error), then exit with the fleet's code (13 when only some failed)."""
    from hubctl.base.errors import fleet_exit_code
    from hubctl.cli import console
    from hubctl.cli.commit_view import describe, plan_json

    code = fleet_exit_code(results)
    if output == "json":  # a TextJson (a str enum)
        hubs = [{"hub": r.hub, **plan_json(r.plan, dry_run)} if r.error is None else
                {"hub": r.hub, "error": str(r.error), "hint": r.error.hint, "exitCode": int(r.error.exit_code)}
                for r in results]
        console.print_json({"version": 1, "exitCode": int(code), "hubs": hubs})
    else:
        for r in results:
            if r.error is None:
                console.data(f"hub {r.hub}: " + describe(r.plan, dry_run))
            else:
                console.data(f"hub {r.hub}: failed: {r.error}")
                console.error(f"hub {r.hub}: {r.error}", r.error.hint)
    if code:
        raise SystemExit(int(code))
