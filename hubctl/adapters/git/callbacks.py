"""The libgit2 callbacks of a push or fetch. Imports pygit2, so it is only imported when pushing."""

from __future__ import annotations

import os

import pygit2
from pygit2.enums import CredentialType

from hubctl.adapters.git.credentials import SSH_KEY_VAR, SSH_PASSPHRASE_VAR, AuthenticationFailed, Credentials
from hubctl.adapters.git.hostkeys import SshHost, untrusted_error


class PushCallbacks(pygit2.RemoteCallbacks):
    """Hands out credentials once per kind (a second request means they were refused), accepts an ssh host
    key only when known_hosts lists it, and collects the server's verdict per reference and its sideband
    messages (hook output)."""

    def __init__(self, credentials: Credentials, ssh_host: SshHost | None = None):
        super().__init__()
        self.hubctl_credentials = credentials
        self.ssh_host = ssh_host
        self.asked: set[int] = set()
        self.rejected: dict[str, str] = {}
        self.remote_messages: list[str] = []

    def credentials(self, url, username_from_url, allowed_types):
        kind = self._pick(allowed_types)
        if kind in self.asked:
            raise AuthenticationFailed(self._refused(kind))
        self.asked.add(kind)
        creds = self.hubctl_credentials
        if kind == CredentialType.USERPASS_PLAINTEXT:
            if not creds.token:
                raise AuthenticationFailed(f"the server asks for credentials and {creds.token_var} is not set")
            return pygit2.UserPass(username_from_url or creds.username, creds.token)
        user = username_from_url or "git"
        if kind == CredentialType.USERNAME:
            return pygit2.Username(user)
        if kind == CredentialType.SSH_KEY:
            return self._ssh_key(user)
        raise AuthenticationFailed(f"the server asks for an unsupported kind of credentials ({allowed_types!r})")

    def certificate_check(self, certificate, valid, host):
        # pygit2 hands no certificate over; `valid` is libgit2's own verdict: the TLS chain for https, for ssh
        # the known_hosts file hostkeys.trusting chose. What libgit2 did not verify is never accepted (left
        # to pygit2, an unverified ssh host key would be).
        if valid:
            return True
        if self.ssh_host is not None:
            raise untrusted_error(self.ssh_host)
        return False

    def _ssh_key(self, user: str):
        creds = self.hubctl_credentials
        if creds.ssh_key:
            if not os.path.isfile(creds.ssh_key):
                raise AuthenticationFailed(f"the key file {creds.ssh_key} ({SSH_KEY_VAR}) does not exist")
            public = creds.ssh_key + ".pub"
            return pygit2.Keypair(user, public if os.path.exists(public) else None, creds.ssh_key,
                                  creds.ssh_passphrase or "")
        if not os.environ.get("SSH_AUTH_SOCK"):
            raise AuthenticationFailed(f"the server asks for an ssh key: {SSH_KEY_VAR} is not set and no ssh "
                                       "agent is running (SSH_AUTH_SOCK is not set)")
        return pygit2.KeypairFromAgent(user)

    def _refused(self, kind: int) -> str:
        key = self.hubctl_credentials.ssh_key
        if kind != CredentialType.SSH_KEY:
            return "the server refused the credentials"
        if key:
            return (f"the server refused the key {key} ({SSH_KEY_VAR}), or the key could not be unlocked "
                    f"({SSH_PASSPHRASE_VAR} wrong or missing)")
        return "the server refused every key the ssh agent offered (SSH_AUTH_SOCK)"

    @staticmethod
    def _pick(allowed) -> int:
        for kind in (CredentialType.USERPASS_PLAINTEXT, CredentialType.SSH_KEY, CredentialType.USERNAME):
            if allowed & kind:
                return kind
        return int(allowed)

    def push_update_reference(self, refname, message):
        if message:
            self.rejected[refname] = message

    def sideband_progress(self, string):
        self.remote_messages.append(string)
