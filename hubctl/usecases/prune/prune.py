"""`hubctl prune` as a library call: delete the orphans whose removal a guarded commit allowed.

The orphans are `status`'s (labelled `managed-by=hubctl` on the hub, not expected by the fleet). Each one
named by a `Hubctl-Allowed-Removal` trailer on the deployed revision's history since it was last rendered
(hubctl.usecases.prune.removals) is deleted with the resources finalizer, so Argo CD removes its workload from the
spoke; the others are left alone and stay drift (exit 9). See docs/architecture.md, "Removals".
"""

from __future__ import annotations

from pathlib import Path

from hubctl.base.errors import HubError
from hubctl.usecases.prune.items import PruneItem, PruneResult

__all__ = ["PruneItem", "PruneResult", "prune_fleet"]


def prune_fleet(options, *, dry_run: bool = False, cascade: bool = True, confirm=lambda items: True,
                on_deleted=lambda item: None):
    """List the orphans of the fleet at `options.fleet_dir` (StatusOptions) and delete the allowed ones; a
    PruneResult, or for a fleet of several hubs a hubctl.usecases.prune.hubs.FleetPrune (one per hub).

    `confirm(items)` is asked before the first deletion (False: nothing is deleted, UsageError).

    Raises:
        SpecError, GitError, UsageError, HubError (exit 6: unreachable, refused, or a hub that answered a
            deletion it did not do; the Applications deleted before it are reported in the message).
    """
    from hubctl.usecases.prune.removals import allowed_removals, on_first_parent_history
    from hubctl.usecases.status.ancestry import RevisionMatcher
    from hubctl.usecases.status.expected import deploy_head, expected_of
    from hubctl.usecases.status.service import make_reader
    from hubctl.usecases.status.status import read_once
    from hubctl.usecases.validate.loader import load_fleet

    fleet = load_fleet(Path(options.fleet_dir))
    if len(fleet.hubs) > 1:  # each hub pruned on itself, from its own committed render
        from hubctl.usecases.prune.hubs import prune_hubs

        return prune_hubs(options, fleet, dry_run=dry_run, cascade=cascade, confirm=confirm, on_deleted=on_deleted)
    if options.hub is not None:
        from hubctl.usecases.render.hubsplit import check_hub

        check_hub(fleet, options.hub)
    expected = expected_of(fleet)
    notes: list = []
    repo_path, head = deploy_head(fleet, notes)
    if notes and not options.revision:  # the hub's ApplicationSets still generate what that commit removed
        raise notes[0]
    matcher = RevisionMatcher(repo_path)
    revision = matcher.resolve(options.revision) if options.revision else head
    if options.revision and repo_path is not None and not on_first_parent_history(repo_path, head, revision):
        from hubctl.base.errors import UsageError

        raise UsageError(f"--revision {options.revision} ({revision[:12]}) is not on the first-parent history of "
                         f"the deploy branch (head {head[:12]}): its Hubctl-Allowed-Removal trailers were never "
                         "checked by the prune guard", hint="pass a commit of the deploy branch (merged), or omit "
                         "--revision to use its head")
    reader = make_reader(options, fleet.hub, Path(options.fleet_dir))
    try:
        tracker = read_once(reader, expected, revision, matcher, options.filters).tracker
        orphans = [s for s in tracker.sorted_statuses() if s.state == "orphaned"]
        allowed = (allowed_removals(repo_path, revision, _render_prefix(fleet), [s.name for s in orphans])
                   if repo_path is not None and revision else {})
        items = [PruneItem(s.name, s.space, s.flow, s.cluster, allowed.get(s.name, "")) for s in orphans]
        result = PruneResult(revision, items, dry_run, cascade)
        todo = [item for item in items if item.allowed_by]
        for item in todo:
            item.result = "planned"
        if dry_run or not todo:
            return result
        if not confirm(todo):
            from hubctl.base.errors import UsageError

            raise UsageError("nothing was deleted", hint="answer y, or pass --yes (--dry-run shows the plan)")
        _delete_all(reader, todo, cascade, on_deleted)
        return result
    finally:
        reader.deadline.close()


def _delete_all(reader, todo: list[PruneItem], cascade: bool, on_deleted) -> None:
    from hubctl.usecases.prune.delete import delete_application

    done: list[str] = []
    for item in todo:
        try:
            item.result = delete_application(reader, item.name, cascade)
            if item.result == "adopted":
                item.result, item.note = "kept", "no longer labelled managed-by=hubctl on the hub: left alone"
                continue
        except HubError as exc:
            before = f" (deleted before it: {', '.join(done)})" if done else " (nothing was deleted)"
            raise HubError(f"{exc.message}{before}", hint=exc.hint) from None
        done.append(item.name)
        on_deleted(item)


def _render_prefix(fleet) -> str:
    """The render directory inside the deploy repository (as `hubctl commit` writes it)."""
    from hubctl.usecases.commit.deploy import resolve_target

    return resolve_target(fleet).prefix
