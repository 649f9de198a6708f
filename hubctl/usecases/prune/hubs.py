"""`hubctl prune` for a fleet of several hubs: each hub pruned on itself, from its own committed render.

Every active hub (or only `--hub NAME`) is planned at once, each as the single-hub prune plans it: the
orphans are its `status` orphans (the hub's Applications labelled managed-by=hubctl that its view of the
fleet does not expect), and a removal is allowed by the `Hubctl-Allowed-Removal` trailers of the history of
that hub's committed render (its tree in the fleet repository, or its own deploy repository). Each hub is
reached with its own connection (hub_reach: its kube context, or its pinned Argo CD server and
$HUBCTL_ARGOCD_TOKEN_<HUB>), and its deletions go to it alone.

An orphan that another hub generates (its committed render or the specs place the same Application on
that hub) is never deleted: cascading would remove the workload that hub runs now (a failover, a cluster
moved between hubs, whose old hub's guard recorded removals in its own deploy repository); it is
`hubctl hub release`'s, which deletes without cascading. One confirmation covers every hub; a hub that fails
(unreachable, refusing, lying) is its own row while the others' deletions stand, the exit code is PARTIAL
(13), and running prune again converges (what is gone is no orphan any more).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.constants import LABEL_CLUSTER
from hubctl.base.errors import ExitCode, HubctlError, HubError, UsageError, fleet_exit_code
from hubctl.usecases.prune.items import PruneItem, PruneResult


@dataclass
class HubPrune:
    """One hub's prune: its result (what was planned and done), and the error that stopped it, if any."""

    hub: str
    result: PruneResult | None = None
    error: HubctlError | None = None
    reader: object = field(default=None, repr=False)

    @property
    def exit_code(self) -> ExitCode:
        return self.error.exit_code if self.error is not None else self.result.exit_code


@dataclass
class FleetPrune:
    hubs: list[HubPrune]
    dry_run: bool = False
    cascade: bool = True

    @property
    def exit_code(self) -> ExitCode:
        return fleet_exit_code(self.hubs, (ExitCode.DRIFT,))


def prune_hubs(options, fleet, *, dry_run: bool = False, cascade: bool = True, confirm=lambda items: True,
               on_deleted=lambda item: None) -> FleetPrune:
    """Plan every active hub of `fleet` (or only `options.hub`) at once, ask `confirm(items)` once for all
    of them, then delete each hub's allowed orphans on that hub, the hubs in parallel.

    Raises:
        UsageError: an unknown --hub, --server/--context without --hub, $HUBCTL_ARGOCD_TOKEN that would go to
            several hubs, or nothing confirmed (then nothing was deleted on any hub). The filters are not checked
            against the fleet: a drained cluster has no expected Application left.
    """
    from hubctl.spec.hubs import owner_of
    from hubctl.usecases.release.owners import committed_owners
    from hubctl.usecases.status.expected import expected_of
    from hubctl.usecases.status.fleetstatus import active_hubs, check_connection_flags, check_shared_token

    check_connection_flags(options, options.hub)
    names = active_hubs(fleet, options.hub)
    check_shared_token(options, names)
    owners = committed_owners(fleet, strict=False)
    cluster_owner = owner_of(fleet)
    in_specs = {app.name: cluster_owner.get(app.cluster) for app in expected_of(fleet)}

    def others(hub: str, application: str) -> list[str]:
        """The other hubs that generate `application` (committed, or in the specs): its workload is theirs."""
        spec_owner = in_specs.get(application)
        return sorted(set(owners.generating(hub, application)) | ({spec_owner} - {None, hub}))

    def unread(hub: str) -> list[tuple[str, str]]:
        """The other hubs whose committed render could not be read, and why: any of them may generate an orphan."""
        return sorted((name, why) for name, why in owners.unread.items() if name != hub)

    answers: list[HubPrune] = []
    try:
        with _pool(names) as pool:
            answers = list(pool.map(lambda name: _plan(options, fleet, name, others, unread, dry_run, cascade), names))
        result = FleetPrune(answers, dry_run, cascade)
        todo = [item for a in answers if a.result for item in a.result.items if item.result == "planned"]
        if dry_run or not todo:
            return result
        if not confirm(todo):
            raise UsageError("nothing was deleted", hint="answer y, or pass --yes (--dry-run shows the plan)")
        busy = [a for a in answers if a.result and any(i.result == "planned" for i in a.result.items)]
        with _pool(busy) as pool:
            list(pool.map(lambda answer: _delete(answer, cascade, on_deleted), busy))
        return result
    finally:
        for answer in answers:
            if answer.reader is not None:
                answer.reader.deadline.close()


def _pool(items) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, min(len(items), 16)), thread_name_prefix="hubctl-prune")


def _plan(options, fleet, name: str, others, unread, dry_run: bool, cascade: bool) -> HubPrune:
    """Hub `name`'s orphans and which of them its committed render's history allows to delete."""
    from hubctl.usecases.prune.removals import allowed_removals
    from hubctl.usecases.release.owners import hub_tree
    from hubctl.usecases.render.hubsplit import hub_view
    from hubctl.usecases.status.expected import expected_of
    from hubctl.usecases.status.fleetstatus import hub_reach
    from hubctl.usecases.status.service import make_reader
    from hubctl.usecases.status.status import read_once

    answer = HubPrune(name)
    try:
        view = hub_view(fleet, name)
        repo_path, revision, prefix, matcher = _revision(options, fleet, name, hub_tree)
        hub_options, env = hub_reach(options, name, view.hub.api_server)
        answer.reader = make_reader(hub_options, view.hub, Path(options.fleet_dir), env=env)
        tracker = read_once(answer.reader, expected_of(view), revision, matcher, options.filters).tracker
    except HubctlError as exc:
        answer.error = exc
        return answer
    orphans = [s for s in tracker.sorted_statuses() if s.state == "orphaned"]
    allowed = allowed_removals(repo_path, revision, prefix, [s.name for s in orphans])
    items = [PruneItem(s.name, s.space, s.flow, s.cluster, allowed.get(s.name, ""), hub=name) for s in orphans]
    for item in items:
        elsewhere = others(name, item.name)
        if elsewhere:  # never cascade: that hub runs the workload now
            item.note = (f"hub {elsewhere[0]} generates {item.name} now: deleting it with cascade would remove the "
                         f"workload that hub runs; left alone (`hubctl hub release {name}` deletes it without "
                         "cascading)")
        elif item.allowed_by and unread(name):  # it may be theirs: deleting is never a guess
            other, why = unread(name)[0]
            item.note = (f"hub {other}'s committed render could not be read ({why}): it may generate "
                         f"{item.name}; left alone until it can be read")
        elif item.allowed_by:
            item.result = "planned"
    answer.result = PruneResult(revision, items, dry_run, cascade)
    return answer


def _revision(options, fleet, name: str, hub_tree):
    """(repository, revision, render directory, RevisionMatcher) of hub `name`'s committed render.

    Raises:
        UsageError, GitError (a render the hub cannot see, unless --revision names the deployed commit).
    """
    from hubctl.usecases.prune.removals import on_first_parent_history
    from hubctl.usecases.status.ancestry import RevisionMatcher

    notes: list = []
    repo_path, head, prefix = hub_tree(fleet, name, notes)
    if notes and not options.revision:  # the hub's ApplicationSets still generate what that commit removed
        raise notes[0]
    matcher = RevisionMatcher(repo_path)
    revision = matcher.resolve(options.revision) if options.revision else head
    if options.revision and not on_first_parent_history(repo_path, head, revision):
        raise UsageError(f"--revision {options.revision} ({revision[:12]}) is not on the first-parent history of "
                         f"hub {name}'s deploy branch (head {head[:12]})", hint="pass a commit of the deploy branch "
                         "(merged), or omit --revision to use its head")
    return repo_path, revision, prefix, matcher


def _delete(answer: HubPrune, cascade: bool, on_deleted) -> None:
    """Delete the planned items on the answer's hub; a failure becomes the hub's error (naming what went)."""
    from hubctl.usecases.prune.delete import delete_application

    hub, done = answer.hub, []
    for item in (i for i in answer.result.items if i.result == "planned"):
        def still(labels: dict, item=item) -> bool:  # read again: relabelled since the listing
            return labels.get(LABEL_CLUSTER) == item.cluster  # (another hub's were never planned: _plan)

        try:
            outcome = delete_application(answer.reader, item.name, cascade, still=still,
                                         rerun=f"hubctl prune --hub {hub}")
        except HubError as exc:
            before = f" (deleted before it: {', '.join(done)})" if done else " (nothing was deleted on it)"
            answer.error = HubError(f"{exc.message}{before}", hint=exc.hint)
            return
        if outcome in ("adopted", "changed"):
            item.result, item.note = "kept", ("no longer labelled managed-by=hubctl on the hub: left alone"
                                              if outcome == "adopted" else
                                              "relabelled since the listing: left alone (run prune again)")
            continue
        item.result = outcome
        done.append(item.name)
        on_deleted(item)
