"""The command-line shell: the command tree, `run` (the one error boundary) and the `hubctl` entry point.

Importing it registers every command on the app of hubctl.cli.application, in the order `--help` lists them.
"""

from __future__ import annotations

import errno
import os
import sys

import typer

from hubctl.base.constants import ENV_DEBUG
from hubctl.cli.application import app


def _keep_examples(doc: str | None) -> str | None:
    """Mark indented paragraphs (examples) with click's \\b so help keeps their line breaks."""
    if not doc:
        return doc
    import inspect

    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join("\b\n" + p if p.startswith("    ") or "\n    " in p else p for p in paragraphs)


def _prepare_help(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        if info.callback is not None:
            info.callback.__doc__ = _keep_examples(info.callback.__doc__)
    for group in typer_app.registered_groups:
        _prepare_help(group.typer_instance)


# Each module adds its commands to `app`, in the order `--help` lists them; importing them stays cheap
# (core imports happen inside the commands).
from hubctl.cli import init as _init  # noqa: E402,F401,I001
from hubctl.cli import validate as _validate  # noqa: E402,F401
from hubctl.cli import render as _render  # noqa: E402,F401
from hubctl.cli import diff as _diff  # noqa: E402,F401
from hubctl.cli import commit as _commit  # noqa: E402,F401
from hubctl.cli import status as _status  # noqa: E402,F401
from hubctl.cli import prune as _prune  # noqa: E402,F401
from hubctl.cli import appset as _appset  # noqa: E402,F401
from hubctl.cli import hub as _hub  # noqa: E402,F401
from hubctl.cli import cluster as _cluster  # noqa: E402,F401
from hubctl.cli import flow as _flow  # noqa: E402,F401
from hubctl.cli import space as _space  # noqa: E402,F401
from hubctl.cli import rollout as _rollout  # noqa: E402,F401
from hubctl.cli import globals as _globals  # noqa: E402 - the options before the command; `version`
from hubctl.cli import completion as _completion  # noqa: E402

_prepare_help(app)


def command():
    """The click command tree of hubctl, with readable metavars and usage lines (options.polish)."""
    from hubctl.cli.options import polish

    tree = typer.main.get_command(app)
    polish(tree, _globals.add_to)
    _completion.attach(tree)
    return tree


def run(argv: list[str] | None = None) -> int:
    """Run hubctl with `argv` and return the exit code, turning user errors into one red line."""
    from hubctl.base import redact
    from hubctl.cli import console

    redact.register_environment()
    _redact_library_output()
    console.configure("auto", 0)  # the global options set this run's colour and verbosity
    start = os.getcwd()
    try:
        return _run(argv)
    finally:
        _cache_warnings()
        os.chdir(start)  # `hubctl -C DIR` changed it for this run only


def _run(argv: list[str] | None) -> int:
    from hubctl.base.errors import HubctlError

    try:
        if _completion.requested():  # the shell asks what comes next (click's protocol): answer, run nothing
            return _completion.respond(command(), _completion.requested())
        result = command().main(args=argv, prog_name="hubctl", standalone_mode=False)
    except HubctlError as exc:
        _report(exc)
        return int(exc.exit_code)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (KeyboardInterrupt, typer.Abort):
        return 130
    except OSError as exc:
        if exc.errno not in _FILESYSTEM_ERRNOS:
            return _internal_error(exc)
        return _filesystem_error(exc)
    except Exception as exc:  # noqa: BLE001 - the boundary: no tracebacks for users
        from hubctl.cli import console

        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors (typer vendors click)
            exc.show(file=console.RedactingStream("stderr"))  # they quote the offending value
            return int(exc.exit_code)
        return _internal_error(exc)
    return result if isinstance(result, int) else 0


def _internal_error(exc: BaseException) -> int:
    from hubctl.base.errors import ExitCode
    from hubctl.cli import console

    if os.environ.get(ENV_DEBUG) == "1" or console.verbosity() >= 2:  # -vv shows it too
        console.traceback(exc)
        return int(ExitCode.FAILURE)
    console.error(f"internal error: {type(exc).__name__}: {exc}",
                  f"this is a bug in hubctl; re-run with {ENV_DEBUG}=1 for a traceback and report it")
    return int(ExitCode.FAILURE)


def _filesystem_error(exc: OSError) -> int:
    """A write or read the machine refused (a full disk, a quota): not a bug, and what was being written is
    either untouched or marked as interrupted (docs/reliability.md), so the fix is to make room and rerun."""
    from hubctl.base.errors import ExitCode
    from hubctl.cli import console

    where = f"{exc.filename}: " if exc.filename else ""
    what = ("shorten or remove it (a path under the render directory longer, or with more links, than the "
            "system allows)" if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP) else "free space or fix the permissions")
    console.error(f"{where}{exc.strerror or exc}",
                  f"{what}, then run the same command again; "
                  "nothing half-written is taken for finished (docs/reliability.md)")
    return int(ExitCode.FILESYSTEM)


_FILESYSTEM_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO,
                      errno.ENAMETOOLONG, errno.ELOOP,
                      errno.EMFILE, errno.ENFILE}


def _cache_warnings() -> None:
    """Say why caches were off in this run (hubctl.base.cachefile collects it; the core never prints)."""
    cachefile = sys.modules.get("hubctl.base.cachefile")
    if cachefile is not None:
        from hubctl.cli import console

        for message in cachefile.warnings():
            console.warn(message)


def _redact_library_output() -> None:
    """Pass Python warnings and library log records (urllib3, the kubernetes client) through the same
    redaction as everything hubctl prints: each record's message is redacted when it is made, whatever
    handler then shows it."""
    import logging
    import warnings

    from hubctl.base.redact import redact
    from hubctl.cli import console

    def show(message, category, filename, lineno, file=None, line=None):
        stream = console.RedactingStream("stderr")
        stream.write(warnings.formatwarning(message, category, filename, lineno, line))

    warnings.showwarning = show
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "hubctl_redacts", False):
        return

    def redacted_record(*args, **kwargs):
        record = make_record(*args, **kwargs)
        try:
            record.msg, record.args = redact(record.getMessage()), ()
        except Exception:  # noqa: BLE001 - a malformed record: logging reports it when it is shown
            record.msg, record.args = redact(str(record.msg)), ()
        return record

    redacted_record.hubctl_redacts = True
    logging.setLogRecordFactory(redacted_record)
    if not getattr(logging.lastResort, "hubctl_redacts", False):  # it also prints tracebacks of records
        handler = logging.StreamHandler(console.RedactingStream("stderr"))
        handler.setLevel(logging.WARNING)
        handler.hubctl_redacts = True
        logging.lastResort = handler


def _report(exc) -> None:
    from hubctl.cli import console

    problems = getattr(exc, "problems", None)
    if problems:
        from pathlib import Path

        from hubctl.cli import report

        console.info(report.problems_text(Path(getattr(exc, "root", None) or os.getcwd()), problems))
    console.error(exc.message, exc.hint)


def main() -> None:
    sys.exit(run(sys.argv[1:]))
