"""Which revision the hub will see: the deploy branch as the remote the hub tracks holds it, not the local one.

A commit that was never pushed never reaches the hub, so waiting for it can only time out. The remote is the
one whose URL is the repository the hub syncs (hubctl.yaml), else the branch's upstream, else `origin`, else
the only one; a repository without remotes is read by the hub itself (an emulator on this machine, say), and
its local branch is the answer. The remote branch is known from its remote-tracking ref
(`refs/remotes/<remote>/<branch>`), which `hubctl commit --push`, `git push` and `git fetch` keep current.
"""

from __future__ import annotations

from hubctl.base.errors import GitError


class NotPushedError(GitError):
    """The render of the deploy branch is not on the remote the hub tracks."""


def tracked_revision(repo, branch: str, prefix: str, urls: tuple[str, ...] = ()) -> tuple[str, NotPushedError | None]:
    """The revision to wait for, and why the hub cannot see it (None when it can).

    The local head when the remote branch holds it (or a commit built on it); the newest commit the remote
    branch shares with the local one when the local commits since then change nothing under `prefix` (the
    render the hub would get is already there); otherwise the local head and a NotPushedError that says
    to push.
    """
    local = str(repo.references[f"refs/heads/{branch}"].resolve().target)
    remote = tracked_remote(repo, branch, urls)
    if remote is None:
        return local, None
    tracking = repo.references.get(f"refs/remotes/{remote}/{branch}")
    push = f"push it: `hubctl commit --push --remote {remote}` or `git push {remote} {branch}`"
    if tracking is None:
        return local, NotPushedError(
            f"the deploy branch {branch} is not on the remote {remote} (there is no {remote}/{branch}): the hub "
            f"cannot see {local[:12]}", hint=f"{push}; `git fetch {remote}` if someone pushed it elsewhere")
    from hubctl.adapters.git.repo import git_error

    remote_head = str(tracking.resolve().target)
    try:
        if remote_head == local or repo.descendant_of(remote_head, local):
            return local, None
        base = repo.merge_base(local, remote_head)
        if base is not None and _render(repo, local, prefix) == _render(repo, str(base), prefix):
            return str(base), None
    except (KeyError, ValueError, git_error()):  # the tracking ref names a commit this clone lacks
        pass
    return local, NotPushedError(
        f"the render on {branch} ({local[:12]}) is not on the remote: {remote}/{branch} is at "
        f"{remote_head[:12]}, so the hub cannot see it and a wait would only time out",
        hint=f"{push} (`git fetch {remote}` first if it was pushed from elsewhere); or pass --revision")


def off_hub_branch(repo, branch: str, hub_branch: str, revision: str,
                   urls: tuple[str, ...] = ()) -> NotPushedError | None:
    """Why the hub cannot see `revision` of `branch` when it syncs another branch (spec.repo.branch), or None
    when that branch holds it already (merged). A repository without remotes is read through its local
    branch, as in tracked_revision."""
    from hubctl.adapters.git.repo import git_error

    remote = tracked_remote(repo, hub_branch, urls)
    name = f"refs/remotes/{remote}/{hub_branch}" if remote else f"refs/heads/{hub_branch}"
    ref = repo.references.get(name)
    try:
        if ref is not None:
            tip = str(ref.resolve().target)
            if tip == revision or repo.descendant_of(tip, revision):
                return None
    except (KeyError, ValueError, git_error()):  # a ref naming a commit this clone lacks
        pass
    shown = name.removeprefix("refs/remotes/").removeprefix("refs/heads/")
    return NotPushedError(
        f"you are on branch {branch}, but the hub syncs {hub_branch} (hubctl.yaml spec.repo.branch): {shown} does "
        f"not hold {revision[:12]}, so the hub cannot see it and a wait would only time out",
        hint=f"merge {branch} into {hub_branch} (a pull request) and wait again (`git fetch` first if it was "
        f"merged elsewhere), or pass --revision")


def tracked_remote(repo, branch: str, urls: tuple[str, ...]) -> str | None:
    names = list(repo.remotes.names())
    if not names:
        return None
    wanted = {_plain(url) for url in urls if url}
    for name in names:
        if _plain(repo.remotes[name].url or "") in wanted:
            return name
    try:
        upstream = repo.config[f"branch.{branch}.remote"]
    except KeyError:
        upstream = None
    if upstream in names:
        return upstream
    if "origin" in names:
        return "origin"
    return names[0] if len(names) == 1 else None


def _plain(url: str) -> str:
    return url.rstrip("/").removesuffix(".git").removeprefix("file://")


def _render(repo, commit: str, prefix: str) -> str | None:
    from hubctl.adapters.git.tree import subtree_id

    return subtree_id(repo, str(repo[commit].tree_id), prefix)
