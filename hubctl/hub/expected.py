"""What should be on the hub: one expected Application per placement, and the revision to expect.

The status engine takes any iterable of ExpectedApp, so it does not depend on how the fleet is loaded;
`expected_from_fleet` is the one place that knows (spec loading and placement belong to hubctl.spec and
hubctl.render, imported lazily).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hubctl.errors import GitError


@dataclass(frozen=True)
class ExpectedApp:
    """One placement of a flow on a cluster: the Application `<flow>-<cluster>` hubctl generates."""

    name: str
    space: str
    flow: str
    cluster: str
    env: str = ""

    @classmethod
    def of(cls, space: str, flow: str, cluster: str, env: str = "") -> ExpectedApp:
        return cls(f"{flow}-{cluster}", space, flow, cluster, env)


def _name(value) -> str:
    """A placement field may hold a name or an object with one (Flow, Cluster, Space)."""
    return value if isinstance(value, str) else getattr(value, "name", str(value))


def _expected_app(placement, fleet) -> ExpectedApp:
    flow, cluster = _name(placement.flow), _name(placement.cluster)
    space = getattr(placement, "space", None) or fleet.flows[flow].space
    env = getattr(placement, "env", None) or getattr(fleet.clusters.get(cluster), "environment", "") or ""
    name = getattr(placement, "app_name", None) or f"{flow}-{cluster}"
    return ExpectedApp(name, _name(space), flow, cluster, str(env))


def expected_from_fleet(fleet_dir: str | Path):
    """Expected apps, the expected revision (deploy branch head, or None) and the Hub settings.

    Raises:
        SpecError: the specs do not validate.
        GitError: the deploy repository cannot be read.
    """
    from hubctl.render.placement import compute_placements

    try:
        from hubctl.spec import load_fleet
    except ImportError:  # exported from hubctl.spec once the package settles
        from hubctl.spec.loader import load_fleet

    fleet = load_fleet(Path(fleet_dir))
    apps = sorted({_expected_app(p, fleet) for p in compute_placements(fleet)},
                  key=lambda a: (a.space, a.flow, a.cluster))
    return apps, deploy_head(fleet.root, fleet.hub), fleet.hub


def deploy_repository_path(root: Path, hub) -> Path | None:
    """The local path of the repository the hub syncs, or None when it is only a remote URL."""
    configured = getattr(hub, "deploy_repository", None)
    if not configured:
        return Path(root)
    if "://" in configured or configured.startswith("git@"):
        return None
    path = Path(configured)
    return path if path.is_absolute() else Path(root) / path


def deploy_head(root: Path, hub) -> str | None:
    """The head commit of the deploy branch (hub.deploy_branch, else the repository's current branch).

    Raises:
        GitError: the repository exists but the branch does not.
    """
    import pygit2

    path = deploy_repository_path(root, hub)
    if path is None:
        return None
    try:
        repo = pygit2.Repository(str(path))
    except (pygit2.GitError, KeyError):
        return None
    branch = getattr(hub, "deploy_branch", None)
    if not branch:
        return None if repo.head_is_unborn else str(repo.head.target)
    ref = repo.references.get(f"refs/heads/{branch}")
    if ref is None:
        raise GitError(f"the deploy branch {branch!r} does not exist in {path}",
                       hint="run `hubctl commit` first, or pass --revision")
    return str(ref.resolve().target)
