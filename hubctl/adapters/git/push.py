"""Push a branch, rebuilding on the remote head and retrying when someone else pushed first.

On a non-fast-forward, fetch the remote head and let the caller decide (`rebuild`): commit on top of it
when that loses nothing, or raise. A push counts as done only once the remote branch is seen to hold the
commit (it, or a descendant of it): a server that accepts the push but keeps the old branch is an error.
Repositories on this machine are updated with a compare-and-swap (localpush.py), never a forced write.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.adapters.git import failures, hostkeys
from hubctl.adapters.git.commit import branch_ref, open_repository
from hubctl.adapters.git.credentials import Credentials, scrub
from hubctl.adapters.git.localpush import local_path, push_local
from hubctl.adapters.git.lock import repo_lock
from hubctl.base.errors import GitError

_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:")


@dataclass(frozen=True)
class PushOutcome:
    """What push did: the commit the remote branch now points at, after how many attempts."""

    remote: str
    branch: str
    commit: str
    attempts: int
    rebuilt: list[str] = field(default_factory=list)
    up_to_date: bool = False


def push(repo_path: str | os.PathLike, *, remote: str, branch: str, rebuild: Callable[[str | None], str],
         credentials: Credentials | None = None, max_attempts: int = 5) -> PushOutcome:
    """Push `branch` to `remote` (a remote name, a path, or a file://, git://, https://, ssh:// or
    user@host:path URL). On a non-fast-forward rejection, fetch the remote branch, call
    `rebuild(remote_head_or_None)` for the commit to push instead, and try again. Over ssh the server's host
    key must be listed in `credentials.ssh_known_hosts` (default ~/.ssh/known_hosts).

    Raises:
        GitError: unknown remote, unreachable host, unknown or changed ssh host key, repository not found,
            authentication failed, the server rejected the update (protected branch, hook), or every
            attempt lost the race.
    """
    repo = open_repository(repo_path)
    ref_name = branch_ref(branch)
    creds = credentials or Credentials.from_env()
    with repo_lock(repo.path):
        target, where = resolve_remote(repo, remote, creds)
        link = _Link(target, where, creds, hostkeys.ssh_host(target.url, creds.ssh_known_hosts))
        rebuilt: list[str] = []
        for attempt in range(1, max_attempts + 1):
            local = _tip_or_fail(repo, ref_name, branch)
            with hostkeys.trusting(link.ssh_host):  # only around the transfers: it moves libgit2's home
                pushed = _push_once(repo, link, ref_name, branch, local)
                if pushed:
                    _check_landed(repo, link, ref_name, branch, local)
                head = None if pushed else _fetch_head(repo, link, branch)
            if pushed:
                _track(repo, remote, branch, local)
                return PushOutcome(where, branch, local, attempt, rebuilt)
            new = rebuild(head)  # reads git config (the committer identity) with the real home directory
            if new == head:
                _point(repo, ref_name, new)
                _track(repo, remote, branch, new)
                return PushOutcome(where, branch, new, attempt, rebuilt, up_to_date=True)
            _point(repo, ref_name, new)
            rebuilt.append(new)
        raise failures.exhausted_error(where, branch, max_attempts)


@dataclass(frozen=True)
class _Link:
    """The remote of one push: the pygit2 Remote, its name for messages, credentials, and the ssh host."""

    target: object
    where: str
    credentials: Credentials
    ssh_host: hostkeys.SshHost | None

    def callbacks(self):
        """A pygit2 RemoteCallbacks that supplies the credentials once, records per-reference rejections and,
        over ssh, accepts only a host key its known_hosts file lists."""
        from hubctl.adapters.git.callbacks import PushCallbacks  # imports pygit2: only when pushing

        return PushCallbacks(self.credentials, self.ssh_host)


def resolve_remote(repo, remote: str, credentials: Credentials):
    """The pygit2 Remote for a remote name or URL, and how to name it in messages (no secrets).

    Raises:
        GitError: `remote` is neither a configured remote nor something that looks like a URL or path.
    """
    names = list(repo.remotes.names())
    if remote in names:
        return repo.remotes[remote], remote
    url = _as_url(remote)
    if url is None:
        known = ", ".join(names) if names else "none configured"
        raise GitError(f"unknown remote {remote!r} (known remotes: {known})",
                       hint="pass a configured remote name, or a URL such as https://host/org/repo.git, "
                       "git@host:org/repo.git or a path to a repository")
    where = scrub(remote, credentials.secrets())
    local_path = url[len("file://"):] if url.startswith("file://") else None if "://" in url else url
    if local_path is not None and not _SCP_LIKE.match(url) and not os.path.isdir(local_path):
        raise GitError(f"repository not found at {where}: no such directory",
                       hint="check the path; create the repository with `git init --bare` first")
    return repo.remotes.create_anonymous(url), where


def _as_url(remote: str) -> str | None:
    if "://" in remote or _SCP_LIKE.match(remote):
        return remote
    if remote.startswith(("/", "./", "../", "~")) or os.path.isdir(remote):
        return str(Path(remote).expanduser().resolve())
    return None


def _push_once(repo, link: _Link, ref_name: str, branch: str, local: str) -> bool:
    """Push once: True when the remote took it, False on a non-fast-forward (the caller fetches).

    Raises:
        GitError: any other failure.
    """
    import pygit2

    path = local_path(link.target.url)
    if path is not None:
        return push_local(repo, path, ref_name, local)
    callbacks = link.callbacks()
    try:
        link.target.push([f"{ref_name}:{ref_name}"], callbacks=callbacks)
    except (pygit2.GitError, GitError, OSError) as exc:
        error = failures.transport_error(exc, where=link.where, credentials=link.credentials, ssh_host=link.ssh_host)
        if isinstance(error, failures.NonFastForward):
            return False
        raise error from None
    message = callbacks.rejected.get(ref_name)
    if message is None:
        return True
    if failures.is_non_fast_forward(message):
        return False
    raise failures.rejection_error(link.where, branch, message, callbacks.remote_messages, link.credentials)


def _check_landed(repo, link: _Link, ref_name: str, branch: str, local: str) -> None:
    """Read the remote branch back: it must hold `local` (or a commit built on it).

    Raises:
        GitError: the server reported success but its branch does not contain the commit.
    """
    import pygit2

    try:
        heads = {head.name: str(head.oid) for head in link.target.list_heads(callbacks=link.callbacks())}
    except (pygit2.GitError, GitError, OSError) as exc:
        raise failures.transport_error(exc, where=link.where, credentials=link.credentials,
                                       ssh_host=link.ssh_host) from None
    now = heads.get(ref_name)
    if now == local:
        return
    if now is not None:
        fetched = _fetch_head(repo, link, branch)
        if fetched is not None and repo.descendant_of(fetched, local):
            return
    raise failures.not_kept_error(link.where, branch, local, now)


def _fetch_head(repo, link: _Link, branch: str) -> str | None:
    """Fetch the remote branch and return its commit id, or None when the remote has no such branch.

    Raises:
        GitError: the fetch failed.
    """
    import pygit2

    fetch_head = Path(repo.path) / "FETCH_HEAD"
    fetch_head.unlink(missing_ok=True)
    try:
        link.target.fetch([f"refs/heads/{branch}"], callbacks=link.callbacks())
    except (pygit2.GitError, GitError, OSError) as exc:
        raise failures.transport_error(exc, where=link.where, credentials=link.credentials,
                                       ssh_host=link.ssh_host) from None
    if not fetch_head.exists():
        return None
    for line in fetch_head.read_text().splitlines():
        oid, _, rest = line.partition("\t")
        if f"'{branch}'" in rest or f"refs/heads/{branch}" in rest:
            return oid
    return None


def _tip_or_fail(repo, ref_name: str, branch: str) -> str:
    ref = repo.references.get(ref_name)
    if ref is None:
        raise GitError(f"branch {branch} does not exist locally: nothing to push", hint="commit first")
    return str(ref.resolve().target)


def _track(repo, remote: str, branch: str, commit_id: str) -> None:
    """Move the remote-tracking ref `<remote>/<branch>` to what the remote now holds, as `git push` does, so
    `git status` and `hubctl status` know it is there. Only for a configured remote (not a URL)."""
    import pygit2

    if remote not in repo.remotes.names():
        return
    name = f"refs/remotes/{remote}/{branch}"
    repo.references.create(name, pygit2.Oid(hex=commit_id), force=True)


def _point(repo, ref_name: str, commit_id: str) -> None:
    import pygit2

    if str(repo.references[ref_name].target) != commit_id:
        repo.references[ref_name].set_target(pygit2.Oid(hex=commit_id), "hubctl push: rebuilt on remote head")
