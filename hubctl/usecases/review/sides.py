"""The two sides of a review, loaded and rendered in memory: Git trees through pygit2 (no checkout, no
clone) or the working tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.constants import HUB_FILE
from hubctl.base.errors import GitError, SpecError
from hubctl.spec.model import Fleet
from hubctl.usecases.render.fleet import Render

WORKING_TREE = "working tree"
NO_COMMIT = "no commit yet"  # the base before a repository's first commit: an empty fleet
DEFAULT_BRANCHES = ("refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master",
                    "refs/remotes/origin/main", "refs/remotes/origin/master")


@dataclass
class Side:
    """One side of a review: where it came from, its fleet (None when it has no fleet yet) and render."""

    ref: str  # the ref as given, "working tree", or how the base was chosen
    commit: str | None  # the commit id read, None for the working tree
    fleet: Fleet | None
    render: Render = field(default_factory=Render)


@dataclass(frozen=True)
class Location:
    """The repository holding a fleet directory, and the fleet's subdirectory inside it."""

    repo: Path  # the repository's work tree
    subdir: str  # posix path of the fleet inside the repository, "" at its root


def locate(directory: Path) -> Location:
    """Find the repository that holds `directory` (searching upward).

    Raises:
        GitError: when `directory` is in no Git repository, or the repository is bare.
    """
    from hubctl.adapters.git.repo import discover
    from hubctl.spec.discover import fleet_root

    root = fleet_root(directory)
    repo = discover(root)
    if repo is None:
        raise GitError(f"{root} is not in a Git repository", hint="`hubctl diff` compares commits: run `git init`")
    if repo.workdir is None:
        raise GitError(f"{repo.path} is a bare repository", hint="run `hubctl diff` in a clone with a working tree")
    workdir = Path(repo.workdir).resolve()
    subdir = root.relative_to(workdir).as_posix()
    return Location(workdir, "" if subdir == "." else subdir)


def default_base(repo_path: Path) -> tuple[str, str | None]:
    """The merge base of HEAD with the default branch: (description, commit id).

    The default branch is the first that exists of origin/HEAD, main, master, origin/main, origin/master.
    Before the first commit (HEAD unborn) the base is the default branch's tip, or, when there is none
    either, no commit at all: (description, None), an empty fleet, as `git diff --cached` compares a new
    repository's index with the empty tree.

    Raises:
        GitError: when no default branch exists, or HEAD and it share no history.
    """
    from hubctl.adapters.git.repo import as_commit, repository

    repo = repository(repo_path)
    if repo.head_is_unborn:
        for name in DEFAULT_BRANCHES:
            ref = repo.references.get(name)
            if ref is not None:
                return _short(name), str(as_commit(ref.resolve()).id)
        return NO_COMMIT, None
    head = as_commit(repo.head).id
    for name in DEFAULT_BRANCHES:
        ref = repo.references.get(name)
        if ref is None:
            continue
        tip = as_commit(ref.resolve()).id
        base = repo.merge_base(head, tip)
        if base is None:
            raise GitError(f"HEAD and {_short(name)} share no history", hint="pass --base REF")
        return f"merge-base(HEAD, {_short(name)})", str(base)
    raise GitError("no default branch (origin/HEAD, main or master) to compare with", hint="pass --base REF")


def resolve(location: Location, ref: str) -> str:
    """The commit id `ref` names in the repository.

    Raises:
        GitError: when the revision cannot be read.
    """
    from hubctl.spec.sources import GitTreeSource

    return GitTreeSource(location.repo, ref).commit_id


def _short(ref: str) -> str:
    return ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")


def load_side(location: Location | None, directory: Path, ref: str | None, role: str,
              commit: str | None = None) -> Side:
    """Load and render one side: the Git tree of `commit` or `ref`, or the working tree when both are None.

    A revision where the fleet does not exist yet (no hubctl.yaml) is an empty side.

    Raises:
        SpecError: when that side's specs are invalid (the message names the side).
        GitError: when the revision cannot be read.
    """
    from hubctl.spec.sources import GitTreeSource
    from hubctl.usecases.render.fleet import render_fleet
    from hubctl.usecases.validate.loader import load_fleet

    label = ref or WORKING_TREE
    try:
        if commit is None and ref is None:
            fleet, commit_id = load_fleet(directory), None
        else:
            source = GitTreeSource(location.repo, commit or ref)
            commit_id = source.commit_id
            if not _has_fleet(source.tree, location.subdir):
                return Side(label, commit_id, None)
            fleet = load_fleet(GitTreeSource(location.repo, commit_id, subdir=location.subdir))
    except SpecError as exc:
        raise SpecError(exc.problems, f"the {role} ({label}) has {len(exc.problems)} problem"
                        f"{'s' if len(exc.problems) != 1 else ''} in its specs", root=exc.root) from None
    return Side(label, commit_id, fleet, render_fleet(fleet))


def _has_fleet(tree, subdir: str) -> bool:
    path = f"{subdir}/{HUB_FILE}" if subdir else HUB_FILE
    try:
        tree[path]
    except KeyError:
        return False
    return True
