"""`hubctl status` as a library call: fleet in, StatusResult out (the CLI only parses and prints)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.errors import UsageError
from hubctl.usecases.status.status import Filters, StatusResult, read_once, wait

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")


def parse_duration(text: str) -> float:
    """Seconds from `90s`, `10m`, `1h30m` or a bare number of seconds.

    Raises:
        UsageError: not a duration.
    """
    match = _DURATION.match(text.strip())
    if not text.strip() or not match or not any(match.groups()):
        raise UsageError(f"invalid duration {text!r}", hint="use e.g. 90s, 10m or 1h30m")
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


@dataclass(frozen=True)
class StatusOptions:
    fleet_dir: Path = Path(".")
    revision: str | None = None
    wait: bool = False
    timeout: float = 600.0
    filters: Filters = field(default_factory=Filters)
    source: str = "kube"  # kube | argocd
    server: str | None = None
    token_file: str | None = None
    username: str | None = None
    kubeconfig: str | None = None
    context: str | None = None
    namespace: str | None = None
    insecure: bool = False
    ca_file: str | None = None
    poll_interval: float = 2.0
    progress_interval: float | None = None  # --wait reports progress at least this often (no terminal)
    hub: str | None = None  # --hub: only this hub of a fleet of several


def make_reader(options: StatusOptions, hub=None, root: Path | None = None, deadline=None, env=None):
    """The reader for `options.source`, with hub settings (hubctl.yaml) filling what flags left open.

    Credentials and kubeconfigs come only from flags and the environment of whoever runs hubctl, never from
    the repository (docs/security.md): hubctl.yaml may name a kube context, not a kubeconfig.

    Raises:
        UsageError: an unknown source, argocd without --server, or hubctl.yaml naming a kubeconfig.
    """
    from hubctl.adapters.hub.http import Deadline

    deadline = deadline or Deadline(options.timeout)
    namespace = options.namespace or getattr(hub, "argocd_namespace", None) or "argocd"
    if options.source == "argocd":
        from hubctl.adapters.hub.argocd import ArgoCDReader, ArgoSettings

        return ArgoCDReader(ArgoSettings(options.server or "", options.token_file, options.username, namespace,
                                         options.insecure, options.ca_file), deadline=deadline, env=env)
    if options.source != "kube":
        raise UsageError(f"unknown --source {options.source!r}", hint="use kube or argocd")
    from hubctl.adapters.hub.kube import KubeReader, KubeSettings
    from hubctl.adapters.hub.trust import repository_root

    if getattr(hub, "kubeconfig", None) and not options.kubeconfig:
        raise UsageError(f"hubctl.yaml names a kubeconfig (spec.kube.kubeconfig: {hub.kubeconfig}); hubctl "
                         "no longer reads one named by the repository, which a pull request can change",
                         hint=f"pass --kubeconfig {hub.kubeconfig} (or set $KUBECONFIG) and remove "
                              "spec.kube.kubeconfig from hubctl.yaml (docs/security.md)")
    context = options.context or getattr(hub, "kube_context", None)
    repository = str(repository_root(root)) if root is not None else None
    return KubeReader(KubeSettings(options.kubeconfig, context, namespace, options.insecure, options.ca_file,
                                   repository=repository), deadline=deadline)


def run_status(options: StatusOptions, expected, expected_revision: str | None, repo_path: Path | None,
               hub=None, on_progress=lambda tracker, elapsed: None, env=None) -> tuple[StatusResult, str]:
    """Read (or wait for) the hub's state of `expected`; returns the result and the source name. `env`: the
    environment Argo CD credentials are read from (default os.environ).

    Raises:
        HubError: unreachable or unauthorised hub.
        UsageError: bad options.
    """
    from hubctl.usecases.status.ancestry import RevisionMatcher

    matcher = RevisionMatcher(repo_path)
    revision = matcher.resolve(options.revision) if options.revision else expected_revision
    reader = make_reader(options, hub, Path(options.fleet_dir), env=env)
    try:
        if options.wait:
            result = wait(reader, expected, revision, matcher, options.filters, options.timeout, on_progress,
                          options.poll_interval, tick=options.progress_interval)
        else:
            result = read_once(reader, expected, revision, matcher, options.filters)
    finally:
        reader.deadline.close()
    return result, reader.name


def status_for_fleet(options: StatusOptions, on_progress=lambda tracker, elapsed: None,
                     on_warning=lambda message: None, hubs_view=None):
    """`hubctl status`: expected apps and revision from the fleet at `options.fleet_dir`.

    When the expected revision is not on the remote the hub tracks (and no --revision was given), --wait
    stops at once (NotPushedError, exit 5); a plain status warns through `on_warning` and reads the hub.
    A fleet of several hubs returns a hubctl.usecases.status.fleetstatus.FleetStatus and the source name "hubs";
    `hubs_view` (an object with `progress(hub, tracker, elapsed)` and `settled(answer)`) then hears each
    hub's polls and each hub's final answer as it comes.

    Raises:
        SpecError, GitError, HubError, UsageError (also for --flow/--space/--cluster selecting nothing).
    """
    from hubctl.usecases.selection import check_status_filters
    from hubctl.usecases.status.expected import deploy_head, expected_of
    from hubctl.usecases.validate.loader import load_fleet

    fleet = load_fleet(Path(options.fleet_dir))
    if len(fleet.hubs) > 1:  # several hubs: each read with its own connection (hubctl.usecases.status.fleetstatus)
        from hubctl.usecases.status.fleetstatus import status_for_hubs

        check_status_filters(options.filters, expected_of(fleet), options.fleet_dir)
        callbacks = {"on_progress": hubs_view.progress, "on_settled": hubs_view.settled} if hubs_view else {}
        return status_for_hubs(options, fleet, run_status, on_warning, **callbacks), "hubs"
    if options.hub is not None:
        from hubctl.usecases.render.hubsplit import check_hub

        check_hub(fleet, options.hub)
    notes: list = []
    expected, hub = expected_of(fleet), fleet.hub
    repo_path, revision = deploy_head(fleet, notes)
    check_status_filters(options.filters, expected, options.fleet_dir)  # before the hub is asked anything
    for problem in notes if not options.revision else ():
        if options.wait:
            raise problem
        on_warning(str(problem))
    return run_status(options, expected, revision, repo_path, hub, on_progress)
