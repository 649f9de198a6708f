"""`hubctl completion bash|zsh|fish`: shell completion of commands, flags and the fleet's names.

The shell asks through typer's protocol: the script runs `hubctl` with `_HUBCTL_COMPLETE=complete_bash`
(complete_zsh, complete_fish) and the words typed so far (COMP_WORDS/COMP_CWORD for bash,
_TYPER_COMPLETE_ARGS for zsh and fish); `run()` answers before parsing anything. Paths get no candidates
of hubctl's, so the shell completes file names itself. Names of clusters, flows
and spaces come from the fleet at -C, loaded as `validate` loads it (YAML read safely, no code run); an
invalid or missing fleet completes no names, and a completion never fails.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

import typer

from hubctl.cli.application import app

COMPLETE_VAR = "_HUBCTL_COMPLETE"


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@app.command("completion")
def completion(shell: Shell = typer.Argument(..., help="bash, zsh or fish.")) -> None:
    """Print the shell completion script (commands, flags, and cluster, flow and space names).

    Examples:

        source <(hubctl completion bash)                       # bash, in ~/.bashrc

        hubctl completion zsh > "${fpath[1]}/_hubctl"          # zsh

        hubctl completion fish > ~/.config/fish/completions/hubctl.fish
    """
    from typer import completion as typer_completion

    from hubctl.cli import console

    typer_completion.completion_init()
    console.data(typer_completion.get_completion_script(prog_name="hubctl", complete_var=COMPLETE_VAR,
                                                        shell=shell.value))


def respond(tree, instruction: str) -> int:
    """Answer the shell's completion request `instruction` (e.g. complete_bash) on stdout."""
    from typer import completion as typer_completion

    typer_completion.completion_init()
    try:
        return typer_completion.shell_complete(tree, {}, "hubctl", COMPLETE_VAR, instruction)
    except Exception:  # noqa: BLE001 - a malformed request from a shell: no candidates, no traceback at the prompt
        return 1


# Which names an option or argument takes: by its longest flag, or `name` arguments by command.
NAME_OPTIONS = {"--cluster": ("clusters",), "--flow": ("flows",), "--space": ("spaces",),
                "--explain": ("flows", "clusters")}
NAME_ARGUMENTS = {"cluster": ("clusters",), "flow": ("flows",), "space": ("spaces",)}  # NAME of all but `add`


def attach(command, group: str = "") -> None:
    """Give the parameters that take a cluster, flow or space name their completer."""
    for param in command.params:
        kinds = _kinds(command, param, group)
        if kinds:
            param._custom_shell_complete = _names_completer(kinds)
    for name, sub in getattr(command, "commands", {}).items():
        attach(sub, group or name)


def _kinds(command, param, group: str) -> tuple[str, ...]:
    if param.param_type_name == "option":
        return NAME_OPTIONS.get(max(param.opts, key=len), ())
    if param.name == "name" and command.name not in ("add",):
        return NAME_ARGUMENTS.get(group, ())
    return ("flows",) if param.name == "flow" else ()  # `rollout approve|status FLOW`


def _names_completer(kinds: tuple[str, ...]):
    def complete(ctx, param, incomplete):
        names = fleet_names(_fleet_dir(ctx))
        return sorted(n for kind in kinds for n in names.get(kind, ()) if n.startswith(incomplete))

    return complete


def _fleet_dir(ctx) -> Path:
    """The fleet the command line names: the command's -C taken from the global -C, as when it runs."""
    root = ctx.find_root().params.get("directory") or Path(".")
    own = next((ctx.params.get(key) for key in ("directory", "fleet_dir") if ctx.params.get(key)), Path("."))
    return Path(root) / own


def fleet_names(directory: Path) -> dict[str, list[str]]:
    """Cluster, flow and space names of a valid fleet at `directory`; {} for anything else (never raises)."""
    try:
        if not (directory / "hubctl.yaml").is_file():
            return {}
        from hubctl.usecases.validate.loader import analyze

        loaded = analyze(directory)
        if loaded.problems or loaded.fleet is None:
            return {}
        fleet = loaded.fleet
        return {"clusters": sorted(fleet.clusters), "flows": sorted(fleet.flows), "spaces": sorted(fleet.spaces)}
    except Exception:  # noqa: BLE001 - a completion never breaks the shell, whatever the fleet holds
        return {}


def requested() -> str | None:
    """The completion request of the shell, if this process was started for one."""
    return os.environ.get(COMPLETE_VAR) or None
