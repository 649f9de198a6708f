"""Turn what libgit2 and the server say into one clear GitError per kind of failure, secrets removed."""

from __future__ import annotations

from hubctl.adapters.git.credentials import AuthenticationFailed, Credentials, scrub
from hubctl.adapters.git.hostkeys import SshHost, unreadable_error
from hubctl.base.errors import GitError

NON_FAST_FORWARD = ("non-fastforward", "non-fast-forward", "not present locally", "fetch first",
                    "failed to update ref", "cannot lock ref", "failed to lock", "stale info",
                    "incorrect old value", "is at ", "but expected")
_AUTH = ("authentication", "401", "403", "unauthorized", "credentials", "permission denied (publickey",
         "refused the credentials", "too many redirects or authentication replays",
         "failed to authenticate ssh session")
_UNREACHABLE = ("connection refused", "failed to connect", "could not connect", "failed to resolve address",
                "could not resolve", "name or service not known", "timed out", "network is unreachable",
                "no route to host", "connection reset")
_NOT_FOUND = ("404", "not found", "does not appear to be a git repository", "could not find repository",
              "not exported", "no such file or directory", "failed to resolve path", "not a git repository",
              "access denied", "repository not found")


class NonFastForward(GitError):
    """The remote branch moved on: fetch, rebuild on top of it and push again."""


def is_non_fast_forward(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in NON_FAST_FORWARD)


def transport_error(exc: Exception, *, where: str, credentials: Credentials,
                    ssh_host: SshHost | None = None) -> GitError:
    """The GitError for a failed connection, fetch or push to `where` (a remote name or URL; `ssh_host`
    when it is reached over ssh)."""
    if isinstance(exc, AuthenticationFailed):
        return _auth_error(where, exc.message, credentials)
    if isinstance(exc, GitError):
        return exc
    text = scrub(str(exc), credentials.secrets())
    lowered = text.lower()
    if ssh_host is not None and "known_hosts" in lowered:
        return unreadable_error(ssh_host, text)
    if is_non_fast_forward(text):
        return NonFastForward(f"{where}: the remote branch has commits hubctl does not have ({text})")
    if any(marker in lowered for marker in _AUTH):
        return _auth_error(where, text, credentials)
    if any(marker in lowered for marker in _UNREACHABLE):
        return GitError(f"cannot reach {where}: {text}",
                        hint="check the host name and port, that the server runs, and your network or proxy")
    if any(marker in lowered for marker in _NOT_FOUND):
        return GitError(f"repository not found at {where}: {text}",
                        hint="check the URL or path; the repository must exist (create it bare) and be exported")
    return GitError(f"git transfer with {where} failed: {text}")


def _auth_error(where: str, detail: str, credentials: Credentials) -> GitError:
    return GitError(f"authentication to {where} failed: {scrub(detail, credentials.secrets())}",
                    hint=f"for https set {credentials.token_var} (a token with write access) and "
                    "HUBCTL_GIT_USERNAME if the server needs a user name; for ssh set HUBCTL_SSH_KEY (and "
                    "HUBCTL_SSH_PASSPHRASE) or load the key into ssh-agent, and have the server accept its public "
                    "key with write access (a deploy key)")


def rejection_error(where: str, branch: str, message: str, remote_lines: list[str],
                    credentials: Credentials) -> GitError:
    """The GitError for a reference update the server refused (hook, protected branch, policy)."""
    detail = scrub(message, credentials.secrets())
    said = scrub("".join(remote_lines), credentials.secrets()).strip()
    text = f"{where} rejected the update of branch {branch}: {detail}"
    if said:
        text += "\nremote: " + "\nremote: ".join(line for line in said.splitlines() if line.strip())
    return GitError(text, hint="the branch is protected or a server-side hook refused the push; push to "
                    "another branch and open a pull request, or ask the repository's admins")


def exhausted_error(where: str, branch: str, attempts: int) -> GitError:
    return GitError(f"{where} kept moving: {branch} was updated by someone else on each of {attempts} attempts",
                    hint="try again later; each attempt rebuilt the render on the newest remote commit")


def not_kept_error(where: str, branch: str, commit: str, now: str | None) -> GitError:
    """The server said the push succeeded, but reading the branch back shows it does not hold the commit."""
    held = f"is at {now[:12]}" if now else "does not exist"
    return GitError(f"{where} accepted the push but its branch {branch} {held}, which does not contain "
                    f"{commit[:12]}: the change is not on the remote",
                    hint="check the server's hooks and logs; then `git pull`, `hubctl render` and "
                    "`hubctl commit --push` again")
