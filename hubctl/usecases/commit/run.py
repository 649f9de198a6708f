"""`hubctl commit`: validate, render in memory, guard, and commit (and push) the render with pygit2."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base import forked
from hubctl.base.constants import SPACES_APPSET
from hubctl.base.errors import ExitCode, HubctlError, ObjectMismatchError
from hubctl.base.shipped import VERSION as __version__
from hubctl.spec.discover import source_for
from hubctl.spec.model import Fleet
from hubctl.usecases.commit.blobids import forget_blob_ids, rendered_blob_ids
from hubctl.usecases.commit.deploy import DeployTarget, fleet_repository, resolve_target
from hubctl.usecases.commit.secretguard import secret_files
from hubctl.usecases.render.fleet import Render, render_fleet
from hubctl.usecases.render.journal import refuse_interrupted
from hubctl.usecases.render.output import compare, content_digests, existing_files
from hubctl.usecases.render.run import output_dir_guess
from hubctl.usecases.render.stamp import settled
from hubctl.usecases.render.textcache import TextCache, cache_path
from hubctl.usecases.validate.loader import load_fleet

REGULAR = 0o100644  # the mode of every rendered file: another mode in the branch is a change to commit
SOURCE_TRAILER, SOURCE_SELF = "Hubctl-Source", "this commit"  # the specs rendered are the commit's own


class InlineSecretError(HubctlError):
    exit_code = ExitCode.INVALID


class StaleRenderError(HubctlError):
    exit_code = ExitCode.STALE


class UncommittedSpecsError(HubctlError):
    exit_code = ExitCode.STALE


@dataclass
class CommitPlan:
    """What a commit would change, before or after it was made."""

    target: DeployTarget
    render: Render
    message: str
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    apps_added: list[str] = field(default_factory=list)
    apps_removed: list[str] = field(default_factory=list)
    before: Render | None = None  # the render on the branch now (files read lazily), None on a new branch
    commit: str | None = None
    parent: str | None = None
    pushed: object = None
    source: tuple[str, bool] = ("none", True)  # the fleet commit rendered, and whether the specs differed from it
    blob_ids: dict[str, bytes] = field(default_factory=dict, repr=False)  # raw id of every rendered file
    with_specs: bool = False  # the commit holds the specs too (fleet repository, not --render-only)
    specs: list[str] = field(default_factory=list)  # spec files the commit changes (from the repository root)
    spec_files: dict = field(default_factory=dict, repr=False)  # {path: (bytes, mode) or None (deleted)}
    hub_branch: str = ""  # the branch the hub syncs (spec.repo.branch)
    left_out: list[str] = field(default_factory=list)  # untracked files beside the specs (init's README.md)
    # (size, mtime_ns, ctime_ns, inode) of each rendered file in the working tree, found to hold the rendered bytes
    worktree: dict = field(default_factory=dict, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.modified or self.removed or self.specs)


def application_changes(before: Render, after: Render) -> tuple[list[str], list[str]]:
    """Applications added and removed between two renders (names)."""
    from hubctl.usecases.review.hubtrees import flattened
    from hubctl.usecases.review.prune import applications

    old = {name for name, _env in applications(flattened(before)).values()}
    new = {name for name, _env in applications(flattened(after)).values()}
    return sorted(new - old), sorted(old - new)


def _changed_names(fleet: Fleet, paths: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Flows (space/flow), clusters and spaces that the changed render paths belong to."""
    from hubctl.usecases.render.appsets import appset_name

    appsets = {appset_name(f): f"{f.space}/{name}" for name, f in fleet.flows.items()}
    flows, clusters, spaces = set(), set(), set()
    variants = fleet.hub.render_layout == "variants"  # spokes/<cluster>/spaces/ holds one kustomization.yaml
    from hubctl.usecases.review.hubtrees import hub_of

    for rel in paths:
        parts = rel.split("/")[1:] if hub_of(rel) else rel.split("/")  # several hubs: `<hub>/hub/...`
        if parts[0] == "spokes" and len(parts) > 2:
            clusters.add(parts[1])
            if parts[2] == "flows" and len(parts) > 4:
                flows.add(f"{parts[3]}/{parts[4]}")
            elif parts[2] == "spaces" and len(parts) > 3 and not (variants and parts[3] == "kustomization.yaml"):
                spaces.add(parts[3].removesuffix(".yaml"))
        elif parts[0] == "variants" and len(parts) > 3 and parts[2] == "spaces":  # variants/<space>/spaces/...
            spaces.add(parts[1])
        elif parts[0] == "variants" and len(parts) > 3:  # variants/<space>/<flow>/<hash>/...
            flows.add(f"{parts[1]}/{parts[2]}")
        elif parts[:2] == ["hub", "applicationsets"] and len(parts) == 3:
            stem = parts[2].removesuffix(".yaml")
            if stem != SPACES_APPSET:
                flows.add(appsets.get(stem, stem))
        elif parts[:2] == ["hub", "clusters"] and len(parts) == 3:
            clusters.add(parts[2].removesuffix(".yaml"))
        elif parts[:2] == ["hub", "projects"] and len(parts) == 3:
            spaces.add(parts[2].removesuffix(".yaml"))
    spaces.discard(fleet.hub.admin_project)
    return sorted(flows), sorted(clusters), sorted(spaces)


def _listed(label: str, names: list[str], limit: int = 20) -> list[str]:
    if not names:
        return []
    shown = ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")
    return [f"{label}: {shown}"]


def source_commit(fleet: Fleet) -> tuple[str, bool]:
    """The fleet repository's HEAD commit, and whether the files hubctl reads for the render (the YAML under
    hubctl.yaml, clusters/, spaces/, flows/, blueprints/ and every blueprint template) differ from it:
    changed, added or deleted since HEAD, compared by the bytes hubctl reads (a symbolic link by what it
    points to). Other files cannot change the render; the rendered directory is not read at all."""
    from hubctl.adapters.git.repo import as_commit
    from hubctl.spec.discover import YAML_SUFFIXES
    from hubctl.spec.sources import DirectorySource

    repo = fleet_repository(fleet.root)
    if repo is None or repo.head_is_unborn:
        return "none", True
    head = str(repo.head.target)
    workdir = Path(repo.workdir or repo.path).resolve()
    root = fleet.root.resolve()
    if not root.is_relative_to(workdir):
        return head, True
    prefix = root.relative_to(workdir).as_posix()
    templates = {rel for bp in fleet.blueprints.values() if not bp.builtin for rel, _text in bp.templates}

    def read_here(rel: str) -> bool:
        return rel.endswith(YAML_SUFFIXES) or rel in templates

    source = DirectorySource(root)
    on_disk = [rel for rel in source.list() if read_here(rel)]
    listed = _committed_specs(repo, head, prefix, source.tops)
    if set(on_disk) != {rel for rel in listed if read_here(rel)}:
        return head, True
    tree = as_commit(repo[head]).tree

    def committed_id(rel: str) -> str | None:
        oid, mode = listed[rel]
        return oid if mode != 0o120000 else _committed_blob(repo, tree, _join(prefix, rel))

    return head, any(_hash(source.read(rel)) != committed_id(rel) for rel in on_disk)


def spec_changes(fleet: Fleet, repo, parent: str | None) -> dict[str, tuple[bytes, int] | None]:
    """The spec files to lay over `parent` so that the commit holds the specs this render was made from:
    {path from the repository root: (bytes, mode) or None for a deletion}, only where they differ.

    The files are the ones hubctl reads (see source_commit), as the working tree holds them, whatever is
    staged (as `git commit PATH` does): a symbolic link as a link, with the file it points to inside the
    fleet; nothing else is staged: no other file, no hidden one. A file the
    parent has under the spec directories and hubctl would read, but that is gone from disk, is deleted.
    """
    import os
    import stat

    from hubctl.spec.sources import DirectorySource

    workdir = Path(repo.workdir).resolve()
    prefix = fleet.root.resolve().relative_to(workdir).as_posix()
    read_here = _spec_reader(fleet)
    source = DirectorySource(fleet.root)
    root = fleet.root.resolve()
    committed = _committed_specs(repo, parent, prefix, source.tops) if parent else {}
    tree = repo[parent].peel(_commit_type()).tree if parent else None
    out: dict[str, tuple[bytes, int] | None] = {}
    staged: set[str] = set()  # every path staged, as git holds it (from the fleet root)

    def stage(rel: str, hops: int = 8) -> None:
        path = fleet.root / rel
        real_dir = path.parent.resolve()
        if real_dir != root / Path(rel).parent:  # under a linked directory (a top): git holds the file where
            if real_dir.is_relative_to(root):  # the link points, so it is staged there (the link by itself)
                stage((real_dir / path.name).relative_to(root).as_posix(), hops)
            return
        if rel in staged:
            return
        staged.add(rel)
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            link = os.readlink(path)
            change = (link.encode(), 0o120000)
            target = os.path.normpath(os.path.join(os.path.dirname(rel), link))
            if hops and not os.path.isabs(link) and not target.startswith("..") and not (root / target).is_dir():
                stage(Path(target).as_posix(), hops - 1)  # what the link points to, so the commit holds it
        else:
            change = (path.read_bytes(), 0o100755 if info.st_mode & stat.S_IXUSR else 0o100644)
        listed = committed.get(rel)  # one walk of the spec trees, not a path lookup per file
        entry = (listed[1], listed[0]) if listed else _tree_blob(tree, _join(prefix, rel))
        if entry is None or entry != (change[1], _hash(change[0])):
            out[_join(prefix, rel)] = change

    linked = [top for top in source.tops if (fleet.root / top).is_symlink()]
    for rel in source.list():
        if read_here(rel):
            stage(rel)
    for top in linked:  # the link itself: what makes hubctl read the files where it points
        stage(top)
    if tree is not None:  # the files committed where a linked top points (they are read through it)
        for top in linked:
            real = (fleet.root / top).resolve()
            if real.is_dir() and real.is_relative_to(root) and real != root:
                where = real.relative_to(root).as_posix()
                committed.update({rel: found for rel, found in _committed_specs(repo, parent, prefix, (where,)).items()
                                  if rel not in committed})
    for rel in committed:
        if rel not in staged and read_here(rel):
            out[_join(prefix, rel)] = None
    return out


def _spec_reader(fleet: Fleet):
    from hubctl.spec.discover import YAML_SUFFIXES

    templates = {rel for bp in fleet.blueprints.values() if not bp.builtin for rel, _text in bp.templates}
    return lambda rel: rel.endswith(YAML_SUFFIXES) or rel in templates


def _commit_type():
    from hubctl.adapters.git.repo import commit_type

    return commit_type()


def _hash(data: bytes) -> str:
    from hubctl.adapters.git.repo import blob_id

    return blob_id(data)


def _tree_blob(tree, path: str) -> tuple[int, str] | None:
    if tree is None:
        return None
    try:
        entry = tree[path]
    except KeyError:
        return None
    return (entry.filemode, str(entry.id)) if entry.type_str == "blob" else None


def blob_ids_key(target: DeployTarget) -> str:
    """Which remembered blob ids a target's commits use (usecases/commit/blobids.py)."""
    return f"{Path(target.repo_path).resolve()}\0{target.prefix}"


def _join(prefix: str, rel: str) -> str:
    return rel if prefix in ("", ".") else f"{prefix}/{rel}"


def _committed_blob(repo, tree, path: str, hops: int = 8) -> str | None:
    """The id of the blob at `path` in `tree`, following symbolic links inside the tree; None when absent.
    Compared with the hash of the bytes on disk, so that no committed spec file has to be read."""
    import posixpath

    try:
        entry = tree[path]
    except KeyError:
        return None
    if entry.type_str != "blob":
        return None
    if entry.filemode == 0o120000 and hops:
        link = repo[entry.id].data.decode("utf-8", "replace")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
        return None if target.startswith("../") else _committed_blob(repo, tree, target, hops - 1)
    return str(entry.id)


def _committed_specs(repo, commit: str, prefix: str, tops) -> dict[str, tuple[str, int]]:
    """{path relative to the fleet root: (blob id, mode)} of the files under `tops` at `commit` (hidden ones
    skipped, as DirectorySource skips them), from one walk of their trees: a path lookup per file re-reads
    the directories on its way each time (libgit2 caches no tree over 4 kB, such as clusters/ with 4,000
    entries), 2 ms a file."""
    from hubctl.adapters.git.read import tree_entries
    from hubctl.adapters.git.repo import as_commit

    tree = as_commit(repo[commit]).tree
    out: dict[str, tuple[str, int]] = {}
    for top in tops:
        path = _join(prefix, top)
        try:
            entry = tree[path]
        except KeyError:
            continue
        if entry.type_str == "tree":
            out.update({f"{top}/{rel}": found for rel, found in tree_entries(repo, commit, path).items()
                        if not any(part.startswith(".") for part in rel.split("/"))})
        else:
            out[top] = (str(entry.id), entry.filemode)
    return out


def commit_message(fleet: Fleet, plan: CommitPlan, subject: str | None, source: tuple[str, bool]) -> str:
    """The commit message: a summary of what changed and trailers that trace it back to the specs."""
    paths = plan.added + plan.modified + plan.removed
    flows, clusters, spaces = _changed_names(fleet, paths)
    counts = f"+{len(plan.apps_added)} -{len(plan.apps_removed)} Applications"
    title = subject or f"hubctl: render {fleet.hub.name} ({counts})"
    body = _listed("Flows", flows) + _listed("Clusters", clusters) + _listed("Spaces", spaces)
    body.append(f"Files: {len(plan.added)} added, {len(plan.modified)} changed, {len(plan.removed)} removed.")
    body += _listed("Applications added", plan.apps_added) + _listed("Applications removed", plan.apps_removed)
    body += _listed("Specs", plan.specs)
    commit_id, dirty = source
    if plan.with_specs:  # the render of the specs in this very commit
        trailers = [f"{SOURCE_TRAILER}: {SOURCE_SELF}"]
    else:
        trailers = [f"Hubctl-Source-Commit: {commit_id}"] + (["Hubctl-Source-Dirty: true"] if dirty else [])
    trailers += [f"Hubctl-Spec-Hash: sha256:{fleet.spec_hash}", f"Hubctl-Version: {__version__}"]
    return "\n".join([title, "", *body, "", *trailers]) + "\n"


def plan_commit(fleet_dir: Path, *, branch: str | None = None, subject: str | None = None,
                deploy_clone: str | Path | None = None, render_only: bool = False,
                allow_dirty: bool = False, fleet: Fleet | None = None) -> tuple[Fleet, CommitPlan]:
    """Validate, render in memory and work out what the commit would change, writing nothing.

    In the fleet repository the commit holds the changed spec files too, unless `render_only`. For a
    separate deploy repository the specs must be committed (the trailer names their commit), unless
    `allow_dirty`. `fleet`: the fleet at `fleet_dir` when the caller loaded it already (not loaded again).

    Raises:
        SpecError: the specs do not validate.
        InlineSecretError: the render (or a spec file to commit) holds a Secret or a credential.
        StaleRenderError: the render on disk is stale (when it lives beside the specs).
        UncommittedSpecsError: the specs differ from their commit and the render goes to a deploy repository.
        GitError: the repository cannot be opened.
    """
    source = source_for(Path(fleet_dir))
    out = output_dir_guess(source, None)
    refuse_interrupted(out, f"{out.relative_to(source.root)}/")  # never commit a killed render's half-written tree
    with forked.start(lambda: existing_files(out)) as scan:  # the freshness check's scan, while loading
        return _plan(source, out, scan, branch, subject, deploy_clone, render_only, allow_dirty, fleet)


def _plan(source, out: Path, scan, branch: str | None, subject: str | None,
          deploy_clone: str | Path | None = None, render_only: bool = False,
          allow_dirty: bool = False, fleet: Fleet | None = None) -> tuple[Fleet, CommitPlan]:
    fleet = fleet if fleet is not None else load_fleet(source)
    texts = TextCache(cache_path(fleet.root))
    render = render_fleet(fleet, texts)
    texts.save()
    bad = secret_files(render.files, render.recipes)
    if bad:
        raise InlineSecretError(f"the render holds a Secret with inline secret material: {', '.join(bad[:5])}",
                                hint="reference credentials (ExternalSecret, workload identity); never commit them")
    target = resolve_target(fleet, branch, deploy_clone)
    if target.fleet_repo:
        render_dir = fleet.root / fleet.hub.render_dir
        current = scan.result() if render_dir == out else None
        stale = compare(render.files, render_dir, content_digests(render.files, render.recipes), current=current)
        if stale.dirty:
            raise StaleRenderError(f"the render in {fleet.hub.render_dir}/ is not fresh ({len(stale.added)} missing, "
                             f"{len(stale.changed)} changed, {len(stale.removed)} stale files)",
                             hint="run `hubctl render`, review, then commit")
        plan = plan_for_target(fleet, render, target, subject, render_only, allow_dirty)
        # every file is fresh: its index entry can take the stat it was found with, without a read, unless
        # that stat is too young to tell a later change (a file read back right after a change)
        plan.worktree = settled(stale.seen)
        return fleet, plan
    return fleet, plan_for_target(fleet, render, target, subject, render_only, allow_dirty)


def plan_for_target(fleet: Fleet, render: Render, target: DeployTarget, subject: str | None,
                    render_only: bool = False, allow_dirty: bool = False) -> CommitPlan:
    """What committing `render` to `target` would change (the specs too in the fleet repository, unless
    `render_only`).

    Raises:
        InlineSecretError: a spec file to commit holds a credential.
        UncommittedSpecsError: the specs differ from their commit and `target` is a deploy repository.
        GitError: the repository cannot be opened.
    """
    from hubctl.adapters.git import open_repository
    from hubctl.adapters.git.read import CommittedFiles, tree_entries

    repo = open_repository(target.repo_path)
    ref = repo.references.get(f"refs/heads/{target.branch}")
    parent = str(ref.resolve().target) if ref is not None else None
    entries = tree_entries(repo, parent, target.prefix, cached=True)
    old = {rel: oid for rel, (oid, _mode) in entries.items()}
    plan_ids = rendered_blob_ids(render.files, render.recipes, blob_ids_key(target))
    new = {rel: raw.hex() for rel, raw in plan_ids.items()}
    plan = CommitPlan(target, render, "", parent=parent, blob_ids=plan_ids, hub_branch=fleet.hub.repo_branch,
                      added=sorted(set(new) - set(old)), removed=sorted(set(old) - set(new)),
                      modified=sorted(rel for rel in new if rel in old and entries[rel] != (new[rel], REGULAR)))
    plan.before = Render(CommittedFiles(repo, old), []) if parent else None
    plan.apps_added, plan.apps_removed = application_changes(plan.before or Render(), render)
    if target.fleet_repo and not render_only:
        plan.with_specs = True
        plan.spec_files = spec_changes(fleet, repo, parent)
        plan.specs = sorted(plan.spec_files)
        plan.left_out = _untracked_beside_specs(fleet.root, repo, target.repo_path)
        plan.source = (parent or "none", bool(plan.spec_files))  # the specs compared with the branch tip
        _guard_specs(plan.spec_files)
    else:
        plan.source = source_commit(fleet)
        if not target.fleet_repo and plan.source[1] and not allow_dirty:
            raise _uncommitted(fleet, plan.source[0])
    plan.message = commit_message(fleet, plan, subject, plan.source)
    return plan


def _untracked_beside_specs(root: Path, repo, workdir: Path) -> list[str]:
    """Files at the fleet's top level, not specs, that Git neither tracks nor ignores (init's README.md): the
    commit leaves them out, as `git commit PATH` would, and says so. Only the top level is read: cheap on
    any fleet."""
    import os

    from hubctl.base.constants import HUB_FILE

    def shown(name: str) -> bool:  # dot-files are private, but a .gitignore is shared like a README
        return name != HUB_FILE and (not name.startswith(".") or name == ".gitignore")

    try:
        names = sorted(e.name for e in os.scandir(root) if e.is_file(follow_symlinks=False) and shown(e.name))
    except OSError:
        return []
    index = repo.index
    prefix = Path(os.path.relpath(root.resolve(), workdir.resolve())).as_posix()
    left = []
    for name in names:
        rel = name if prefix == "." else f"{prefix}/{name}"
        if rel not in index and not repo.path_is_ignored(rel):
            left.append(rel)
    return left


def _guard_specs(files: dict) -> None:
    """The commit's secret guard, on the spec files it stages (the loader checked them as specs already)."""
    from hubctl.usecases.commit.secretguard import credential_files

    staged = {path: change[0] for path, change in files.items() if change is not None and change[1] != 0o120000}
    bad = credential_files(staged)
    if bad:
        raise InlineSecretError(f"a spec file to commit holds a credential: {', '.join(bad[:5])}",
                                hint="reference credentials (ExternalSecret, workload identity); never commit them")


def _uncommitted(fleet: Fleet, head: str) -> UncommittedSpecsError:
    where = fleet_repository(fleet.root)
    if where is None:
        what, hint = f"{fleet.root} is in no git repository", "keep the specs in git (`git init`, commit them)"
    elif head == "none":
        what, hint = "the specs have no commit yet", "commit them (`git add -A && git commit`)"
    else:
        what, hint = f"the specs differ from their commit {head[:12]}", "commit them (`git commit -a`) first"
    return UncommittedSpecsError(
        f"{what}: the render would go to the deploy repository without a source commit that holds its specs",
        hint=f"{hint}, then run `hubctl commit` again; --allow-dirty commits anyway (trailer "
        "Hubctl-Source-Dirty: true)")


def _remember_render(target: DeployTarget, tree_id: str, blob_ids: dict[str, bytes]) -> None:
    """Keep the listing of the render just committed: the next commit's plan starts from it."""
    from hubctl.adapters.git import open_repository
    from hubctl.adapters.git.read import remember_listing
    from hubctl.adapters.git.tree import subtree_id

    repo = open_repository(target.repo_path)
    prefix_tree = subtree_id(repo, tree_id, target.prefix)
    if prefix_tree is not None:
        remember_listing(repo, prefix_tree, {rel: (raw.hex(), REGULAR) for rel, raw in blob_ids.items()})


def commit_fleet(fleet_dir: Path, *, branch: str | None = None, subject: str | None = None, push: bool = False,
                 remote: str = "origin", dry_run: bool = False, author: str | None = None,
                 committer: str | None = None, prune_check=None, deploy_clone: str | Path | None = None,
                 render_only: bool = False, allow_dirty: bool = False, fleet: Fleet | None = None) -> CommitPlan:
    """`hubctl commit`: one reviewable, traceable commit of the render (and a push when asked). `fleet`: the
    fleet at `fleet_dir` when the caller loaded it already.

    `prune_check(fleet, plan)` may refuse the change (the prune guard) by raising; the trailers it returns
    (what it allowed: `Hubctl-Allowed-Removal`) end the commit message.

    Raises:
        SpecError, InlineSecretError, UsageError, GitError, and whatever prune_check raises.
    """
    fleet, plan = plan_commit(fleet_dir, branch=branch, subject=subject, deploy_clone=deploy_clone,
                              render_only=render_only, allow_dirty=allow_dirty, fleet=fleet)
    return carry_out(fleet, plan, push=push, remote=remote, dry_run=dry_run, author=author, committer=committer,
                     prune_check=prune_check)


def carry_out(fleet: Fleet, plan: CommitPlan, *, push: bool = False, remote: str = "origin", dry_run: bool = False,
              author: str | None = None, committer: str | None = None, prune_check=None) -> CommitPlan:
    """Check the prune guard, then make the planned commit and push it (each as `hubctl commit` does).

    Raises:
        UsageError, GitError, and whatever prune_check raises.
    """
    from hubctl.adapters.git import commit_files
    from hubctl.adapters.git import push as push_branch
    from hubctl.adapters.git.commit import finish_interrupted
    from hubctl.adapters.git.replay import Source, guarded_rebuilder

    if prune_check is not None:
        allowed = prune_check(fleet, plan) or []
        if allowed:
            plan.message = plan.message.rstrip("\n") + "\n" + "\n".join(allowed) + "\n"
    if dry_run:
        return plan
    target = plan.target
    if plan.changed or plan.parent is None:
        try:
            outcome = commit_files(target.repo_path, branch=target.branch, files=plan.render.files,
                                   prefix=target.prefix, message=plan.message, author=author, committer=committer,
                                   blob_ids=plan.blob_ids, others=plan.spec_files, worktree=plan.worktree)
        except ObjectMismatchError as exc:
            if exc.kind != "blob":  # a tree hubctl built itself: no cache to blame, a bug to report
                raise ObjectMismatchError(f"nothing was committed: {exc.message}", kind=exc.kind,
                                          hint="this is a bug in hubctl: please report it with the command "
                                          "and `hubctl version`") from None
            forget_blob_ids(blob_ids_key(target))  # a remembered blob id was wrong (a damaged or hand-made cache)
            raise ObjectMismatchError(f"nothing was committed: {exc.message}", kind=exc.kind,
                                      hint="hubctl forgot the blob ids it remembered for rendered files; run the "
                                      "same command again (it hashes every file)") from None
        plan.commit = outcome.commit
        if outcome.commit is None:  # another run committed this very tree meanwhile: nothing left to commit
            plan.added, plan.modified, plan.removed, plan.specs, plan.parent = [], [], [], [], outcome.parent
        _remember_render(target, outcome.tree, plan.blob_ids)
    elif target.fleet_repo:
        finish_interrupted(target.repo_path)  # a killed run may have committed this render but not the index
    if push:
        commit_id, dirty = plan.source
        fleet_repo = fleet_repository(fleet.root)
        rebuild = guarded_rebuilder(target.repo_path, branch=target.branch, files=plan.render.files,
                                    prefix=target.prefix, message=plan.message, author=author, committer=committer,
                                    source=Source(None if commit_id == "none" else commit_id, dirty),
                                    fleet_path=Path(fleet_repo.path) if fleet_repo is not None else None,
                                    in_fleet_repo=target.fleet_repo, others=plan.spec_files)
        plan.pushed = push_branch(target.repo_path, remote=remote, branch=target.branch, rebuild=rebuild)
    return plan
