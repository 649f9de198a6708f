"""The prune guard as `hubctl commit` applies it (the rules live in hubctl.review.prune)."""

from __future__ import annotations


def prune_check(*, allow_prune: bool = False, max_deletions: int | None = None):
    """A callable for commit_fleet that refuses a commit deleting more than the limit allows."""

    def check(fleet, plan) -> None:
        try:
            from hubctl.review.prune import check_prune
        except ImportError:  # the review package is optional while it is being built
            return
        before = _committed_render(plan)
        check_prune(before, plan.render, fleet, max_deletions=max_deletions, allow_prune=allow_prune)

    return check


def _committed_render(plan):
    """The render currently on the target branch, as a Render (files only), or None."""
    from hubctl.commit import tree_files
    from hubctl.gitops import open_repository
    from hubctl.render.fleet import Render

    if plan.parent is None:
        return None
    repo = open_repository(plan.target.repo_path)
    blobs = tree_files(repo, plan.parent, plan.target.prefix)
    return Render({rel: repo[oid].data for rel, oid in blobs.items()}, [])
