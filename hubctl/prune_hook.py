"""The prune guard as `hubctl commit` applies it (the rules live in hubctl.review.prune)."""

from __future__ import annotations


def prune_check(*, allow_prune: bool = False, max_deletions: int | None = None):
    """A callable for commit_fleet that refuses a commit deleting more than the limit allows."""

    def check(fleet, plan) -> None:
        from hubctl.review.prune import check_prune

        check_prune(plan.before, plan.render, fleet, max_deletions=max_deletions, allow_prune=allow_prune)

    return check
