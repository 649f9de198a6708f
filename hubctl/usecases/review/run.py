"""Review a change of a fleet repository: resolve both sides, load and render them in memory, compare."""

from __future__ import annotations

from pathlib import Path

from hubctl.usecases.review.core import Review, compute_review
from hubctl.usecases.review.sides import Side, default_base, load_side, locate


def review_directory(directory: Path, *, base: str | None = None, head: str | None = None,
                     max_deletions: int | None = None, allow_prune: bool = False) -> Review:
    """Review the fleet at `directory`: `head` (default: the working tree) against `base` (default: the
    merge base of HEAD with the default branch). Both sides come from Git objects; nothing is checked out.
    A side given as a commit stands for what that commit deploys (hubctl.usecases.review.deployed).

    Raises:
        GitError: when the repository or a revision cannot be read.
        SpecError: when either side's specs are invalid (the message names the side).
    """
    from hubctl.usecases.review.deployed import sources
    from hubctl.usecases.review.parallel import load_both
    from hubctl.usecases.review.sides import resolve

    location = locate(directory)
    how, commit = default_base(location.repo) if base is None else (base, resolve(location, base))
    head_commit = resolve(location, head) if head is not None else None
    if commit is None:  # before the first commit: everything is new
        base_side = Side(how, None, None)
        head_side = load_side(location, directory, head, "head", commit=head_commit)
        notes = [f"{how}: the base is an empty fleet, so everything shows as added"]
    else:
        base_source, head_source, notes = sources(location.repo, location.subdir, commit, head_commit)
        base_side, head_side = load_both(
            lambda: load_side(location, directory, how, "base", commit=base_source),
            lambda: load_side(location, directory, head, "head", commit=head_source))
    review = compute_review(base_side, head_side, max_deletions=max_deletions, allow_prune=allow_prune)
    review.unrendered = unrendered_files(location, head_side, working_tree=head is None)
    review.notes = notes
    return review


def unrendered_files(location, side, *, working_tree: bool) -> list[str]:
    """Files in the side's render directory (the working tree's on disk, a commit's in Git) that its render
    does not produce, as paths relative to the fleet."""
    if side.fleet is None:
        return []
    render_dir = side.fleet.hub.render_dir.strip("/")
    if working_tree:
        from hubctl.usecases.render.output import existing_files

        present = existing_files(side.fleet.root / render_dir)
    else:
        from hubctl.adapters.git.read import tree_entries
        from hubctl.adapters.git.repo import repository

        prefix = f"{location.subdir}/{render_dir}" if location.subdir else render_dir
        present = tree_entries(repository(location.repo), side.commit, prefix)
    return sorted(f"{render_dir}/{rel}" for rel in set(present) - set(side.render.files))
