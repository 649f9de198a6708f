"""Review before merge: what a change does to every cluster (`hubctl diff`), and the prune guard.

    from hubctl.usecases.review import review_directory, check_prune

The core (compute_review, placement_delta, version_changes, spoke_groups, check_prune) is pure: two renders in,
values out.
"""

from __future__ import annotations

from hubctl.usecases.review.core import Review, compute_review
from hubctl.usecases.review.prune import Deletion, PruneGuardError, PruneReport, check_prune, deletions
from hubctl.usecases.review.run import review_directory
from hubctl.usecases.review.sides import Side

__all__ = ["Deletion", "PruneGuardError", "PruneReport", "Review", "Side", "check_prune", "compute_review",
           "deletions", "review_directory"]
