"""What should be on the hub: one expected Application per placement, and the revision to expect.

The status engine takes any iterable of ExpectedApp, so it does not depend on how the fleet is loaded;
`expected_from_fleet` is the one place that knows (spec loading and placement belong to hubctl.spec and
hubctl.usecases.render, imported lazily).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hubctl.base.errors import GitError, UsageError


@dataclass(frozen=True)
class ExpectedApp:
    """One placement of a flow on a cluster: the Application `<flow>-<cluster>` hubctl generates.

    A flow from an external source (a Helm chart, another git repository) is not at the deploy
    repository's commit: Argo CD reports the chart's version, or the commit the other repository's
    targetRevision resolves to. `source` (records.source_key of the source this cluster's Application
    should have, from the ApplicationSet this commit renders) is what to look for instead: the
    Application is at its expected revision when its sync status was compared at exactly that source.
    Empty for rendered flows.

    `prunes`: the flow's ApplicationSet deletes the Applications it stops generating (a `prune: true` sync
    policy renders `applicationsSync: sync`); otherwise (`create-update`) the hub keeps them, and only
    `hubctl prune` removes them. `windowed`: its space has sync windows, so a window may hold it (status asks
    Argo CD only about these: one request per Application).
    """

    name: str
    space: str
    flow: str
    cluster: str
    env: str = ""
    source: str = ""
    prunes: bool = False
    windowed: bool = False

    @classmethod
    def of(cls, space: str, flow: str, cluster: str, env: str = "", source: dict | None = None) -> ExpectedApp:
        from hubctl.adapters.hub.records import source_key
        from hubctl.usecases.render.placement import app_name

        return cls(app_name(flow, cluster), space, flow, cluster, env, source_key({"source": source}))

    @classmethod
    def from_placement(cls, p, source: str = "", prunes: bool = False, windowed: bool = False) -> ExpectedApp:
        """The Application a render placement (hubctl.usecases.render.placement.Placement) generates."""
        return cls(p.app_name, p.space, p.flow, p.cluster, p.env, source, prunes, windowed)


def external_sources(fleet, placements) -> dict[str, str]:
    """Application name -> source_key of its source, for the placements of external flows: the
    Applications their rendered ApplicationSets generate (hubctl's own expansion, as in the emulator)."""
    from hubctl.adapters.hub.records import source_key
    from hubctl.engines.appset import expand, secret_from_registration
    from hubctl.usecases.render import appsets, hub
    from hubctl.usecases.render.params import base_params, cluster_params

    by_flow: dict[str, list] = {}
    for p in placements:
        if fleet.flows[p.flow].source_kind:
            by_flow.setdefault(p.flow, []).append(p)
    out = {}
    for name, placed in by_flow.items():
        flow = fleet.flows[name]
        base = base_params(fleet, flow)
        values = {p.cluster: cluster_params(base, flow, fleet.clusters[p.cluster]) for p in placed}
        secrets = [secret_from_registration(hub.cluster_registration(fleet, fleet.clusters[p.cluster]))
                   for p in placed]
        for app in expand(appsets.flow_appset(fleet, flow, placed, values), clusters=secrets):
            out[app["metadata"]["name"]] = source_key(app.get("spec") or {})
    return out


def expected_from_fleet(fleet_dir: str | Path, notes: list | None = None):
    """Expected apps (one per placement, plus each spoke's `spaces-<cluster>` as flow hubctl-spaces of the
    admin project; sorted by space, flow, cluster), the expected revision (deploy branch head, or None),
    the Hub settings and the deploy repository's path (where `hubctl commit` writes; ancestry is checked
    there). The revision is the one the hub will see (hubctl.usecases.status.published); when the render of the deploy
    branch is not on the remote, a NotPushedError is appended to `notes`.

    Raises:
        SpecError: the specs do not validate.
        GitError: the deploy repository exists but the branch does not.
    """
    from hubctl.usecases.validate.loader import load_fleet

    fleet = load_fleet(Path(fleet_dir))
    apps = expected_of(fleet)
    repo_path, head = deploy_head(fleet, notes)
    return apps, head, fleet.hub, repo_path


def expected_of(fleet) -> list[ExpectedApp]:
    """The Applications the hub should have for `fleet`, sorted by space, flow, cluster."""
    from hubctl.base.constants import SPACES_APPSET
    from hubctl.usecases.render.appsets import spaces_app_name
    from hubctl.usecases.render.placement import compute_placements

    placements = compute_placements(fleet)
    sources = external_sources(fleet, placements)
    pruning = {name for name, flow in fleet.flows.items() if (flow.sync_policy or fleet.hub.sync_policy).prune}
    windowed = {name for name, space in fleet.spaces.items() if space.sync_windows}
    apps = [ExpectedApp.from_placement(p, sources.get(p.app_name, ""), p.flow in pruning, p.space in windowed)
            for p in placements]
    admin = fleet.hub.admin_project
    apps += [ExpectedApp(spaces_app_name(name), admin, SPACES_APPSET, name, fleet.clusters[name].environment)
             for name in sorted({p.cluster for p in placements})]  # one per spoke: its spaces
    apps.sort(key=lambda app: (app.space, app.flow, app.cluster))
    return apps


def deploy_head(fleet, notes: list | None = None, clone: str | Path | None = None) -> tuple[Path | None, str | None]:
    """The deploy repository (None when there is none here) and the revision of the branch hubctl commits to
    that the hub will see (a NotPushedError in `notes` when it cannot see the local head's render). `clone`:
    the local clone of a separate deploy repository (default $HUBCTL_DEPLOY_CLONE).

    Raises:
        GitError: the repository exists but the branch does not.
    """
    from hubctl.usecases.commit.deploy import resolve_target

    try:
        target = resolve_target(fleet, None, clone)
    except (GitError, UsageError):  # no local repository (or no deploy clone named): status needs --revision
        return None, None
    from hubctl.adapters.git.repo import git_error, repository

    try:
        repo = repository(target.repo_path)
    except (git_error(), KeyError):
        return None, None
    from hubctl.usecases.status.published import off_hub_branch, tracked_revision

    ref = repo.references.get(f"refs/heads/{target.branch}")
    if ref is None:
        raise GitError(f"the deploy branch {target.branch!r} does not exist in {target.repo_path}",
                       hint="run `hubctl commit` first, or pass --revision")
    urls = (fleet.hub.deploy_repository or "",) if fleet.hub.deploy_repository else (fleet.hub.repo_url,)
    revision, problem = tracked_revision(repo, target.branch, target.prefix, urls)
    if problem is None and target.fleet_repo and target.branch != fleet.hub.repo_branch:
        problem = off_hub_branch(repo, target.branch, fleet.hub.repo_branch, revision, urls)
    if problem is not None and notes is not None:
        notes.append(problem)
    return target.repo_path, revision
