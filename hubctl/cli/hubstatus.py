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


def print_fleet_status(fleet_status, output: str, status_rows) -> None:
    """Print per-hub status (a table and a summary line per hub; an unreadable hub as its error) and the
    fleet's verdict; exits with the fleet's code."""
    from hubctl.cli import console
    from hubctl.usecases.status.report import summary_line

    if output in ("json", "yaml"):
        console.structured(fleet_document(fleet_status), output)
    elif output == "name":
        console.data("\n".join(f"application/{s.name}" for answer in fleet_status.hubs if answer.result
                               for s in answer.result.tracker.sorted_statuses()))
    else:
        for answer in fleet_status.hubs:
            if answer.error is not None:
                console.line(f"hub {answer.hub}: not read: {answer.error}")
                console.error(f"hub {answer.hub}: {answer.error}", answer.error.hint)
                continue
            tracker = answer.result.tracker
            console.line(f"hub {answer.hub} ({answer.source}): {summary_line(tracker)}")
            if tracker.statuses:
                console.table(*status_rows(tracker.sorted_statuses(), wide=output == "wide"), group=2)
        document = fleet_document(fleet_status)
        read = sum(1 for answer in fleet_status.hubs if answer.error is None)
        console.line(f"fleet: {read}/{len(fleet_status.hubs)} hubs read: {document['result']}")
    if fleet_status.exit_code:
        raise SystemExit(int(fleet_status.exit_code))


def print_hub_commits(results, output, dry_run: bool) -> None:
    """Each hub's commit (or its error), then exit with the fleet's code (13 when only some failed)."""
    from hubctl.cli import console
    from hubctl.cli.commit_view import describe, plan_json
    from hubctl.usecases.commit.hubcommit import exit_code

    code = exit_code(results)
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
