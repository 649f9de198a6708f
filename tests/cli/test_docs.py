"""docs/cli.md documents every command and every option the CLI has."""

from __future__ import annotations

from pathlib import Path

import typer.main

from hubctl.cli import app

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()


def _commands(group, prefix=""):
    for name, command in getattr(group, "commands", {}).items():
        full = f"{prefix} {name}".strip()
        if getattr(command, "commands", None):
            yield from _commands(command, full)
        else:
            yield full, command


def test_every_command_and_option_is_documented():
    missing = []
    for name, command in _commands(typer.main.get_command(app)):
        if f"hubctl {name}" not in DOCS:
            missing.append(f"hubctl {name}")
        section = DOCS.split(f"hubctl {name}", 1)[-1].replace("[EDIT]", "[--dry-run] [--allow-prune]")
        for param in command.params:
            if getattr(param, "hidden", False):  # -v, -q, --color after the command: Global options
                assert f"`{param.opts[-1]}" in DOCS
                continue
            for flag in param.opts:
                if flag in ("--output", "--dir", "--help", "--message"):  # common options, documented once
                    assert f"`{flag} " in DOCS
                elif flag.startswith("--") and flag not in section:
                    missing.append(f"hubctl {name} {flag}")
    assert not missing, f"docs/cli.md lacks: {missing}"


def test_every_exit_code_is_documented():
    from hubctl.base.errors import ExitCode

    for code in ExitCode:
        assert f"| {int(code)} | {code.name} |" in DOCS
