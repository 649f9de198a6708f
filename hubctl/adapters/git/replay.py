"""When a push loses the race: may hubctl lay its render over the new remote head, or must it stop?

The render replaces the whole render directory. Laid over a remote head whose render came from specs this
render does not contain, it would silently revert the other writer's change. So it is laid over only when
that loses nothing:
- the remote head's render is the one this commit was built on (others changed only other files), or
- in a separate deploy repository, the remote head names a committed source that the source of this
  render contains (equal, or an ancestor in the fleet repository).
When the remote head's source already contains this render's (clean) source, the remote deploys a newer
state of the same history: nothing is pushed and the branch follows the remote. Anything else stops with
exit 5 and what to do. In the fleet repository itself the render sits beside its specs, so a commit on
top of someone else's specs could never be the render of its own specs: it always stops there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hubctl.adapters.git.commit import branch_ref, commit_files, open_repository
from hubctl.adapters.git.tree import subtree_id
from hubctl.base.errors import GitError

_SOURCE = re.compile(r"^Hubctl-Source-Commit: ([0-9a-f]{40})$", re.M)
_DIRTY = re.compile(r"^Hubctl-Source-Dirty: true$", re.M)


@dataclass(frozen=True)
class Source:
    """The fleet commit a render was made from; `dirty` when the specs differed from it."""

    commit: str | None
    dirty: bool

    @classmethod
    def of_message(cls, message: str) -> Source | None:
        """The source a hubctl commit message names, or None for a commit hubctl did not make."""
        found = _SOURCE.search(message)
        return cls(found.group(1), bool(_DIRTY.search(message))) if found else None


def guarded_rebuilder(repo_path: str | os.PathLike, *, branch: str, files: Mapping[str, bytes], prefix: str,
                      message: str, source: Source, fleet_path: Path | None, in_fleet_repo: bool,
                      author=None, committer=None, others=None) -> Callable[[str | None], str]:
    """The `rebuild` callable for push: commit `files` on the remote head when that loses nothing (see the
    module's docstring); return the remote head when it already deploys a newer state.

    Raises (from the callable):
        GitError: the remote head holds a render this one would revert: pull, render, commit.
    """

    def rebuild(remote_head: str | None) -> str:
        repo = open_repository(repo_path)
        if remote_head is not None:
            if in_fleet_repo:
                raise _fleet_moved(branch, remote_head)
            verdict = _judge(repo, branch, remote_head, prefix, source, fleet_path)
            if verdict == "newer":
                return remote_head
        outcome = commit_files(repo_path, branch=branch, files=files, prefix=prefix, message=message,
                               author=author, committer=committer, parent=remote_head, others=others)
        return outcome.head or ""

    return rebuild


def _judge(repo, branch: str, head: str, prefix: str, ours: Source, fleet_path: Path | None) -> str:
    """"replay" or "newer"; raises when neither is safe."""
    tip = repo.references.get(branch_ref(branch))
    base = repo.merge_base(tip.target, head) if tip is not None else None
    if _render_of(repo, head, prefix) == (_render_of(repo, str(base), prefix) if base else None):
        return "replay"
    theirs = Source.of_message(repo[head].message)
    if theirs is None or theirs.dirty or theirs.commit is None:
        raise _moved(branch, head, "a render hubctl did not make from committed specs", "")
    fleet = open_repository(fleet_path) if fleet_path is not None else None
    if fleet is None or not _has(fleet, theirs.commit):
        raise _moved(branch, head, f"the render of source commit {theirs.commit[:12]}",
                     ", which your fleet repository does not have")
    if ours.commit == theirs.commit or (ours.commit and _has(fleet, ours.commit)
                                        and fleet.descendant_of(ours.commit, theirs.commit)):
        return "replay"
    if not ours.dirty and ours.commit and fleet.descendant_of(theirs.commit, ours.commit):
        return "newer"
    raise _moved(branch, head, f"the render of source commit {theirs.commit[:12]}",
                 ", which your specs do not contain")


def _render_of(repo, commit: str, prefix: str) -> str | None:
    return subtree_id(repo, str(repo[commit].tree_id), prefix)


def _has(repo, commit: str) -> bool:
    try:
        repo[commit]
    except (KeyError, ValueError):
        return False
    return True


def _moved(branch: str, head: str, what: str, why: str) -> GitError:
    return GitError(f"the remote branch {branch} moved to {head[:12]} holding {what}{why}; committing this "
                    "render on top would revert it, so nothing was pushed",
                    hint="pull the fleet repository (`git pull`), then run `hubctl commit --push` again (after "
                    "`hubctl render` if you keep the render beside the specs)")


def _fleet_moved(branch: str, head: str) -> GitError:
    return GitError(f"the remote branch {branch} moved to {head[:12]}, which this clone does not have: its specs "
                    "may differ from the ones this render was made from, so nothing was pushed",
                    hint="`git pull --rebase`, then `hubctl render` and `hubctl commit --push` again (on a "
                    "conflict under the render directory, take either side: the render replaces it)")
