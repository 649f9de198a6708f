"""Options every command shares, so flags mean the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

DirOption = typer.Option(Path("."), "-C", "--dir", help="The fleet repository (where hubctl.yaml is).",
                         show_default=False)


class TextJson(StrEnum):
    text = "text"
    json = "json"


def output_option(default: str = "text", help_text: str = "Output format.", choices: str | None = None):
    """-o/--output; `choices` ("text|json") shows them in --help where the value is a plain string."""
    return typer.Option(default, "-o", "--output", help=help_text, metavar=f"[{choices}]" if choices else None)


class StructuredOutput(StrEnum):
    text = "text"
    json = "json"
    yaml = "yaml"


class ListOutput(StrEnum):
    """kubectl's output formats for listings: text (a table), wide (more columns), json, yaml and name
    (one `KIND/NAME` a line, for scripts)."""

    text = "text"
    wide = "wide"
    json = "json"
    yaml = "yaml"
    name = "name"


# One word for one kind of value across every command's help (`--server URL`, not `--server <str>`).
# A metavar given where an option is declared wins; an option not listed shows its own name in capitals.
METAVARS = {
    "--across": "LABEL", "--author": '"NAME <EMAIL>"', "--base": "REF", "--blueprint": "BLUEPRINT",
    "--branch": "BRANCH", "--ca-file": "FILE", "--cluster": "CLUSTER", "--clusters": "PATH", "--context": "CONTEXT",
    "--credentials": "REF", "--description": "TEXT", "--dir": "DIR", "--environment": "ENV", "--fault": "SPEC",
    "--flow": "FLOW", "--from": "ENV", "--head": "REF", "--helm-chart": "CHART", "--key": "PATH",
    "--kubeconfig": "FILE", "--label": "KEY=VALUE", "--message": "MSG", "--namespace": "NAMESPACE", "--out": "DIR",
    "--owner": "GROUP", "--param": "KEY=VALUE", "--path": "PATH", "--port": "PORT", "--provider": "PROVIDER",
    "--reason": "TEXT", "--region": "REGION", "--remote": "NAME|URL", "--repo": "PATH", "--revision": "REF",
    "--selector": "KEY=VALUE", "--server": "URL", "--source": "kube|argocd", "--source-repo": "GLOB",
    "--space": "SPACE", "--speed": "SECONDS", "--spread": "N", "--timeout": "DURATION", "--to": "ENV",
    "--token-file": "FILE", "--username": "USER", "--viewer": "GROUP",
}


def polish(command, add_global_options) -> None:
    """Give every parameter of the click command tree a readable metavar, and every usage line the
    options a command requires (`hubctl cluster add NAME --server URL [OPTIONS]`), as git and kubectl
    show them; `add_global_options(command)` lets each leaf command take the global options too."""
    import types

    for param in command.params:
        if param.param_type_name == "argument":
            _plain_argument(param)
        elif param.metavar is not None or getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        else:
            described = getattr(param, "type_descriptor", None)  # typer's own parameters
            choices = described.choices if described is not None else getattr(param.type, "choices", None)
            longest = max(param.opts, key=len)
            param.metavar = ("[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]" if choices
                             else METAVARS.get(longest, longest.lstrip("-").upper()))
    required = tuple(p for p in command.params if p.param_type_name == "option" and p.required)
    if not getattr(command, "commands", None):
        def usage_pieces(self, ctx, required=required):
            pieces = [piece for p in self.get_params(ctx) if p.param_type_name == "argument"
                      for piece in p.get_usage_pieces(ctx)]
            return pieces + [f"{max(p.opts, key=len)} {p.metavar}" for p in required] + [self.options_metavar]

        command.collect_usage_pieces = types.MethodType(usage_pieces, command)
    if not getattr(command, "commands", None):
        add_global_options(command)
    for sub in getattr(command, "commands", {}).values():
        polish(sub, add_global_options)


def _plain_argument(param) -> None:
    """NAME when required, [NAME] when not, NAME... when repeated: no `{NAME}` and no `<str>` (typer's)."""
    import types

    name = (param.metavar or param.name.upper()) + ("..." if param.nargs != 1 else "")
    shown = name if param.required else f"[{name}]"
    param._usage_display_name = types.MethodType(lambda self: shown, param)
    param._rich_display_name = types.MethodType(lambda self: name, param)
    param.display_type_rich = types.MethodType(lambda self, ctx=None: None, param)


def listing_output(kind: str, wide: str = "same as text"):
    """The `-o/--output` option of a `list` command whose `-o name` prints `<kind>/NAME` lines."""
    return typer.Option(ListOutput.text, "-o", "--output",
                        help=f"text, wide ({wide}), json, yaml or name ({kind}/NAME lines).")


def print_listing(kind: str, rows: list[dict], output: ListOutput, table) -> None:
    """A listing as kubectl prints one: `{"version": 1, "<kind>s": rows}` for -o json|yaml, `<kind>/NAME` lines
    for -o name, otherwise `table(rows, wide)` -> (columns, cells) as a table titled with the count."""
    from hubctl.cli import console

    if output in (ListOutput.json, ListOutput.yaml):
        console.structured({"version": 1, f"{kind}s": rows}, output)
    elif output is ListOutput.name:
        console.data("\n".join(f"{kind}/{r['name']}" for r in rows))
    else:
        console.table(*table(rows, output is ListOutput.wide),
                      title=f"{len(rows)} {kind}{'' if len(rows) == 1 else 's'}")


# How `status` and `prune` reach the hub: the same flags, meaning the same thing (docs/status.md).
SourceOption = typer.Option(None, "--source", help="kube (the hub's Kubernetes API) or argocd (API server).")
ServerOption = typer.Option(None, "--server", help="Argo CD API server URL (implies --source argocd).")
TokenFileOption = typer.Option(None, "--token-file", help="File holding an Argo CD token.")
UsernameOption = typer.Option(None, "--username", help="Argo CD user; password from $HUBCTL_ARGOCD_PASSWORD.")
KubeconfigOption = typer.Option(None, "--kubeconfig", help="Kubeconfig of the hub.")
ContextOption = typer.Option(None, "--context", help="Kubeconfig context of the hub.")
NamespaceOption = typer.Option(None, "--namespace", help="Argo CD namespace (default: hubctl.yaml, argocd).")
InsecureOption = typer.Option(False, "--insecure", help="Skip TLS verification (not recommended).")
CaFileOption = typer.Option(None, "--ca-file", help="CA bundle to verify the hub's TLS certificate.")


def hub_connection(source, server, token_file, username, kubeconfig, context, namespace, insecure,
                   ca_file) -> tuple:
    """The connection fields of StatusOptions from the flags above (warning when TLS is off)."""
    if insecure:
        from hubctl.cli import console

        console.warn("TLS verification of the hub is off (--insecure): anyone on the path can impersonate it")
    return (source or ("argocd" if server else "kube"), server, token_file, username, kubeconfig, context,
            namespace, insecure, ca_file)
