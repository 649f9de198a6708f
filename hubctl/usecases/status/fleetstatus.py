"""`hubctl status` for a fleet of several hubs: every active hub read at once, one fleet-wide answer.

Each active hub is asked about the Applications of the clusters it manages (spec/hubs.py), with its own
connection: its kube context (spec.kube.context) from the kubeconfig of whoever runs hubctl, or its Argo CD
API (spec.argocd.server) with a token from $HUBCTL_ARGOCD_TOKEN_<HUB> (the hub's name in upper case, `-` as
`_`), else the usual credentials. A hub that cannot be read (down, refusing, lying) does not hide the
others: its error is its row, and the fleet's exit code is PARTIAL (13) when some hubs answered. Passive hubs
(a standby, or a primary whose standby is active) sync nothing and are not asked.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from hubctl.base.errors import ExitCode, HubctlError, UsageError, fleet_exit_code
from hubctl.spec.servers import normalize_server

# The fleet's exit code from its hubs' codes: the first of these any hub has (after an unreadable hub).
PRECEDENCE = (ExitCode.DEGRADED, ExitCode.TIMEOUT, ExitCode.DRIFT, ExitCode.NOT_DONE, ExitCode.OK)


@dataclass
class HubStatus:
    """One hub's answer: its StatusResult and source name, or the error that kept it from answering."""

    hub: str
    result: object | None = None
    source: str = ""
    error: HubctlError | None = None

    @property
    def exit_code(self) -> ExitCode:
        return self.error.exit_code if self.error is not None else self.result.exit_code


@dataclass
class FleetStatus:
    hubs: list[HubStatus]

    @property
    def exit_code(self) -> ExitCode:
        return fleet_exit_code(self.hubs, PRECEDENCE)


def token_variable(hub: str) -> str:
    from hubctl.adapters.hub.argocd import ENV_TOKEN

    return f"{ENV_TOKEN}_{hub.upper().replace('-', '_')}"


def server_variable(hub: str) -> str:
    return f"HUBCTL_ARGOCD_SERVER_{hub.upper().replace('-', '_')}"


def hub_server(options, hub: str, spec_server: str | None, env=None) -> str | None:
    """The Argo CD API server to send `hub`'s credentials to: --server, else spec.argocd.server once the runner
    has pinned it in $HUBCTL_ARGOCD_SERVER_<HUB>. A pull request can change the specs, and status may run on its
    checkout: a server named only there would receive the runner's token (docs/security.md).

    Raises:
        UsageError: the specs name a server the runner has not pinned, or pinned as another address.
    """
    if options.server or not spec_server or (getattr(options, "source", None) or "argocd") != "argocd":
        return options.server or spec_server
    variable = server_variable(hub)
    pinned = (env if env is not None else os.environ).get(variable, "")
    if not pinned:
        raise UsageError(f"hub {hub}: spec.argocd.server names {spec_server}, which this runner has not pinned; "
                         "hubctl sends a hub's credentials only to a server the runner names",
                         hint=f"set {variable}={spec_server} where the token is set (or pass --hub {hub} --server "
                              "URL); the specs can come from a pull request")
    if normalize_server(pinned) != normalize_server(spec_server):
        raise UsageError(f"hub {hub}: spec.argocd.server names {spec_server}, but ${variable} pins {pinned}",
                         hint="a change of the hub's address is reviewed in the specs and pinned by the runner: "
                              f"update ${variable}, or the spec, so that they agree")
    return pinned


def hub_reach(options, hub: str, spec_server: str | None) -> tuple[object, dict]:
    """How `hub` is reached: `options` with the server credentials may go to (hub_server), and the environment
    with $HUBCTL_ARGOCD_TOKEN_<HUB> as the Argo CD token when it is set. Status and `hub release` both use it.

    Raises:
        UsageError: as hub_server.
    """
    return replace(options, server=hub_server(options, hub, spec_server)), _env_for(hub)


def _env_for(hub: str) -> dict:
    from hubctl.adapters.hub.argocd import ENV_TOKEN

    env = dict(os.environ)
    own = env.get(token_variable(hub))
    if own:
        env[ENV_TOKEN] = own
    return env


def check_connection_flags(options, hub_name: str | None) -> None:
    """With several hubs, --server and --context would send every hub's question to one place, and
    --token-file and --username (with its password) one hub's credentials to every hub's server (an Argo CD
    token works only on the hub that issued it).

    Raises:
        UsageError: --server, --context, --token-file or --username without --hub.
    """
    if hub_name is None and (getattr(options, "token_file", None) or getattr(options, "username", None)):
        flag = "--token-file" if options.token_file else "--username"
        raise UsageError(f"{flag} names one hub's credentials, and this fleet has several: every hub's server "
                         "would receive them", hint=f"pass --hub NAME with {flag}, or set each hub's token in "
                         "$HUBCTL_ARGOCD_TOKEN_<HUB> (its name upper-cased, - as _)")
    if hub_name is None and (options.server or options.context):
        flag = "--server" if options.server else "--context"
        raise UsageError(f"{flag} names one hub, and this fleet has several",
                         hint=f"pass --hub NAME with {flag}, or set each hub's spec.kube.context / "
                              "spec.argocd.server in its spec")


def check_shared_token(options, names: list[str]) -> None:
    """With several hubs, $HUBCTL_ARGOCD_TOKEN (a token no hub is named for) would go to the Argo CD API of every
    hub in `names` without a token of its own: one hub's credential to other hubs' servers, as --token-file
    without --hub would (check_connection_flags). One hub may take it.

    Raises:
        UsageError: the Argo CD source, no --hub, and two or more hubs that would receive $HUBCTL_ARGOCD_TOKEN.
    """
    from hubctl.adapters.hub.argocd import ENV_TOKEN

    if options.hub is not None or getattr(options, "source", None) != "argocd" or not os.environ.get(ENV_TOKEN):
        return
    receivers = [name for name in names if not os.environ.get(token_variable(name))]
    if len(receivers) > 1:
        raise UsageError(f"${ENV_TOKEN} names no hub, and hubs {', '.join(receivers)} have no token of their own: "
                         "each of their servers would receive it", hint="set each hub's own token ("
                         f"{', '.join('$' + token_variable(name) for name in receivers)}), or pass --hub NAME")


def active_hubs(fleet, only: str | None) -> list[str]:
    from hubctl.spec.hubs import hubs_of, is_active
    from hubctl.usecases.render.hubsplit import check_hub

    if only is not None:
        check_hub(fleet, only)
        return [only]
    return [name for name, hub in sorted(hubs_of(fleet).items()) if is_active(fleet, hub)]


def _one_hub(options, fleet, name: str, on_warning, run_status, on_progress) -> HubStatus:
    from hubctl.usecases.render.hubsplit import hub_view
    from hubctl.usecases.status.expected import deploy_head, expected_of

    view = hub_view(fleet, name)
    notes: list = []
    try:
        expected = expected_of(view)
        repo_path, revision = deploy_head(view, notes, _own_clone(name, view))
        for problem in notes if not options.revision else ():
            if options.wait:
                raise problem
            on_warning(f"hub {name}: {problem}")
        hub_options, env = hub_reach(options, name, view.hub.api_server)
        result, source = run_status(hub_options, expected, revision, repo_path, view.hub, env=env,
                                    on_progress=lambda tracker, elapsed: on_progress(name, tracker, elapsed))
        return HubStatus(name, result, source)
    except HubctlError as exc:
        return HubStatus(name, error=exc)


def _own_clone(name: str, view) -> str | None:
    """A hub with a deploy repository of its own is read from its clone ($HUBCTL_DEPLOY_CLONE_<HUB>, as
    `hubctl commit` writes it); never from $HUBCTL_DEPLOY_CLONE, the one clone of a one-hub fleet."""
    if not view.hub.deploy_repository:
        return None
    from hubctl.usecases.commit.hubcommit import clone_variable

    return os.environ.get(clone_variable(name)) or os.devnull  # unset: no clone to read (status needs --revision)


def status_for_hubs(options, fleet, run_status, on_warning=lambda message: None,
                    on_progress=lambda hub, tracker, elapsed: None, on_settled=lambda answer: None) -> FleetStatus:
    """Read every active hub of `fleet` at once (or only `options.hub`), each with `run_status` (the
    single-hub status of hubctl.usecases.status.service). While waiting, `on_progress(hub, tracker, elapsed)`
    reports each poll of each hub, and `on_settled(answer)` each hub's HubStatus as soon as it is final; both
    are called from the hubs' threads.

    Raises:
        UsageError: an unknown --hub, --server/--context without --hub, or $HUBCTL_ARGOCD_TOKEN that would go
            to several hubs (check_shared_token).
    """
    check_connection_flags(options, options.hub)
    names = active_hubs(fleet, options.hub)
    check_shared_token(options, names)

    def one(name: str) -> HubStatus:
        answer = _one_hub(options, fleet, name, on_warning, run_status, on_progress)
        on_settled(answer)
        return answer

    with ThreadPoolExecutor(max_workers=max(1, min(len(names), 16)), thread_name_prefix="hubctl-hub") as pool:
        answers = list(pool.map(one, names))
    return FleetStatus(answers)
