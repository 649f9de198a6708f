"""Which orphans a removal in Git allowed: the `Hubctl-Allowed-Removal` trailers of the deploy branch.

No state is kept (no "last pruned revision" on the hub or in Git). For each orphan, the first-parent
history of the deployed revision is walked back to the most recent commit whose render still generates
the Application; the removal is allowed when a hubctl commit after that one (and up to the deployed
revision) names it in a trailer. So:
- a trailer in a commit that is not on the deployed revision's first-parent history (another branch, the
  second parent of a merge) is never read;
- a trailer older than the last time the Application was rendered (removed, re-added, removed again by
  hand) allows nothing;
- a commit without the trailer (a render committed with plain git, a cluster Secret relabelled on the hub)
  allows nothing, and its orphans stay drift.
Only commits that carry hubctl's `Hubctl-Spec-Hash` trailer are read for permissions, and only their
trailer paragraph (the last, as Git reads trailers: hubctl.adapters.git.trailers). This is not a
signature: whoever may push the deploy branch may write any message, so that branch must be protected;
the point is that a removal the prune guard never judged is not executed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

TRAILER = re.compile(r"^Hubctl-Allowed-Removal: ([a-z0-9][-a-z0-9.]*)(?: \(.*\))?$", re.M)
_HUBCTL_COMMIT = re.compile(r"^Hubctl-Spec-Hash: sha256:[0-9a-f]+$", re.M)
MAX_COMMITS = 5000  # commits read back from the deployed revision; an orphan not resolved by then stays


def allowed_removals(repo_path: str | Path, revision: str, prefix: str, names: Iterable[str],
                     max_commits: int = MAX_COMMITS) -> dict[str, str]:
    """{orphan name: the commit whose trailer allows deleting it} for the `names` a removal allowed.

    `prefix` is the render directory inside the repository. A revision the repository does not have
    allows nothing.
    """
    from hubctl.adapters.git.repo import commit_at, first_parent, git_error, repository
    from hubctl.adapters.git.trailers import trailer_block

    pending, named, out = set(names), {}, {}
    if not pending:
        return out
    repo = repository(repo_path)
    try:
        commit = commit_at(repo, revision)
    except (KeyError, ValueError, git_error()):
        return out
    generated_by_render: dict[str, frozenset[str]] = {}
    for _ in range(max_commits):
        generated = _generated(repo, commit, prefix, generated_by_render)
        for name in sorted(pending & generated):  # rendered here: only a later trailer counts
            if name in named:
                out[name] = named[name]
            pending.discard(name)
        if not pending:
            break
        trailers = trailer_block(commit.message)
        if _HUBCTL_COMMIT.search(trailers):
            for name in TRAILER.findall(trailers):
                if name in pending:
                    named.setdefault(name, str(commit.id))
        commit = first_parent(commit)  # None where a shallow clone ends
        if commit is None:
            break
    return out


def on_first_parent_history(repo_path: str | Path, head: str, revision: str,
                            max_commits: int = MAX_COMMITS) -> bool:
    """True when `revision` is `head` or one of its first-parent ancestors (within `max_commits`).

    Only there are trailers the prune guard wrote: a commit of another branch (a pull request's) or one
    merged in as a second parent may carry any message.
    """
    from hubctl.adapters.git.repo import commit_at, first_parent, git_error, repository

    repo = repository(repo_path)
    try:
        commit = commit_at(repo, head)
    except (KeyError, ValueError, git_error()):
        return False
    for _ in range(max_commits):
        if str(commit.id) == revision:
            return True
        commit = first_parent(commit)  # None where a shallow clone ends
        if commit is None:
            return False
    return False


def _generated(repo, commit, prefix: str, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    """The Applications the render at `commit` generates (flows' and spokes' spaces), by render tree."""
    from hubctl.adapters.git.read import CommittedFiles, blob_ids
    from hubctl.adapters.git.tree import subtree_id
    from hubctl.usecases.commit.prune_hook import spaces_clusters
    from hubctl.usecases.render.appsets import spaces_app_name
    from hubctl.usecases.render.fleet import Render
    from hubctl.usecases.review.prune import applications

    tree = subtree_id(repo, str(commit.tree_id), prefix) or ""
    if tree not in cache:
        render = Render(CommittedFiles(repo, blob_ids(repo, str(commit.id), prefix)), []) if tree else Render()
        names = {name for name, _env in applications(render).values()}
        names |= {spaces_app_name(c) for c in spaces_clusters(render)}
        cache[tree] = frozenset(names)
    return cache[tree]
