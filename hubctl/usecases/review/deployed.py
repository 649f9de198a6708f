"""What a commit deploys, for `hubctl diff --base A --head B` over histories that mix spec and render commits.

A commit of a fleet repository that keeps its render beside the specs (rendered/) deploys the render it
holds, and that render may be older than its specs: a spec commit that was not rendered yet still deploys
the render before it. So a side given as a commit is the specs that render was made from, rendered again:
- the render committed at the commit is followed down its first parents while it stays the same, to the
  hubctl commit that brought it; that commit's `Hubctl-Spec-Hash` trailer names the specs it was made of;
- the nearest commit on that stretch whose specs have that hash (the commit itself when its render is up
  to date; the hubctl commit when it holds its specs; a later spec commit when the render was made from
  specs committed only afterwards) is the side's source;
- when none has them on that stretch, the other side's source is taken if it deploys the very same render
  tree (a render committed before its specs: both sides deploy the same thing);
- otherwise, and for a commit without a committed render (a separate deploy repository, or nothing
  committed by hubctl yet), the side is the specs at the commit itself, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hubctl.base.constants import DEFAULT_RENDER_DIR, HUB_FILE
from hubctl.base.errors import HubctlError

_SPEC_HASH = re.compile(r"^Hubctl-Spec-Hash: sha256:([0-9a-f]+)$", re.M)
WALK_LIMIT = 200  # first parents followed while the render stays the same


@dataclass(frozen=True)
class Deployed:
    """The commit given, the id of the render tree committed there (None: none), and the commit whose specs
    made that render (None: not found)."""

    commit: str
    render: str | None
    source: str | None


def deployed(repo_path: Path, commit: str, subdir: str) -> Deployed:
    """What `commit` deploys (see the module's docstring)."""
    from hubctl.adapters.git.repo import as_commit, git_error, repository
    from hubctl.adapters.git.tree import subtree_id

    repo = repository(repo_path)
    prefix = "/".join(part for part in (subdir, _render_dir(repo, commit, subdir)) if part)

    def render_of(oid) -> str | None:
        return subtree_id(repo, str(as_commit(repo[oid]).tree_id), prefix)

    render = render_of(commit)
    if render is None:
        return Deployed(commit, None, None)
    stretch = [as_commit(repo[commit])]
    while len(stretch) < WALK_LIMIT and stretch[-1].parent_ids:
        parent = stretch[-1].parent_ids[0]
        try:
            if render_of(parent) != render:
                break
            stretch.append(as_commit(repo[parent]))
        except (KeyError, git_error()):  # a shallow clone ends here
            break
    found = _SPEC_HASH.search(stretch[-1].message)
    if found is None:
        return Deployed(commit, render, None)
    for candidate in stretch:
        if spec_hash_at(repo_path, str(candidate.id), subdir) == found.group(1):
            return Deployed(commit, render, str(candidate.id))
    return Deployed(commit, render, None)


def sources(repo_path: Path, subdir: str, base: str, head: str | None) -> tuple[str, str | None, list[str]]:
    """The commits whose specs stand for `base` and `head` (None: the working tree), and a note for each
    side that is not the commit given."""
    sides = [deployed(repo_path, base, subdir)] + ([deployed(repo_path, head, subdir)] if head else [])
    chosen = []
    for side in sides:
        source = side.source
        if source is None and side.render is not None:
            source = next((o.source for o in sides if o is not side and o.render == side.render and o.source),
                          None)
        chosen.append(source or side.commit)
    notes = []
    for role, side, source in zip(("base", "head"), sides, chosen, strict=False):
        if source != side.commit:
            notes.append(f"the {role} {side.commit[:12]} deploys the render of the specs at {source[:12]}: "
                         "comparing those")
        elif side.render is not None and side.source is None:
            notes.append(f"the render committed at the {role} {side.commit[:12]} was made from specs no commit "
                         "near it holds: comparing its own specs")
    return chosen[0], chosen[1] if head else None, notes


def _render_dir(repo, commit: str, subdir: str) -> str:
    """spec.renderDir of hubctl.yaml at `commit` (the default when unreadable)."""
    from hubctl.engines.yaml.yamlload import load_documents

    try:
        blob = repo.revparse_single(f"{commit}:{subdir + '/' if subdir else ''}{HUB_FILE}")
        docs, _ = load_documents(HUB_FILE, blob.data)
        spec = docs[0].data.get("spec") if docs and isinstance(docs[0].data, dict) else None
        value = spec.get("renderDir") if isinstance(spec, dict) else None
    except (KeyError, ValueError, AttributeError):
        return DEFAULT_RENDER_DIR
    return value.strip("/") if isinstance(value, str) and value.strip("/") else DEFAULT_RENDER_DIR


def spec_hash_at(repo_path: Path, commit: str, subdir: str) -> str | None:
    """The spec hash of the fleet at `commit` (Fleet.spec_hash, as the loader computes it over the spec files
    it reads, without parsing them), None when there is no fleet there."""
    import hashlib

    from hubctl.spec.discover import discover
    from hubctl.spec.sources import GitTreeSource, RefusedFile

    try:
        source = GitTreeSource(repo_path, commit, subdir=subdir)
    except HubctlError:
        return None
    files, problems = discover(source)
    if any(problem.code == "no-hub" for problem in problems):
        return None
    digest = hashlib.sha256()
    for spec_file in files:
        try:
            digest.update(spec_file.rel.encode() + b"\0" + source.read(spec_file.rel) + b"\0")
        except RefusedFile as exc:
            digest.update(spec_file.rel.encode() + b"\0" + exc.problem.message.encode() + b"\1")
    return digest.hexdigest()
