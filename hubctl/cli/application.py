"""The Typer app every command module registers on (`@app.command()`); hubctl.cli.shell imports them all."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="hubctl",
    help="Run a fleet of Kubernetes clusters the GitOps way: validate specs, render them for Argo CD, "
    "review, commit and watch the hub roll them out.\n\n"
    "Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid specs, 4 stale render, 5 git, "
    "6 hub unreachable, 7 degraded, 8 timeout, 9 drift, 10 prune guard, 11 not done, 12 file system, "
    "13 partial (some hubs answered) (docs/cli.md).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: importing rich's help renderer alone took 0.15 s
    context_settings={"help_option_names": ["-h", "--help"]},
)
