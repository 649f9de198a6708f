"""The libgit2 callbacks of a push or fetch. Imports pygit2, so it is only imported when pushing."""

from __future__ import annotations

import os

import pygit2
from pygit2.enums import CredentialType

from hubctl.gitops.credentials import AuthenticationFailed, Credentials


class PushCallbacks(pygit2.RemoteCallbacks):
    """Hands out credentials once per kind (a second request means they were refused) and collects
    the server's verdict per reference and its sideband messages (hook output)."""

    def __init__(self, credentials: Credentials):
        super().__init__()
        self.hubctl_credentials = credentials
        self.asked: set[int] = set()
        self.rejected: dict[str, str] = {}
        self.remote_messages: list[str] = []

    def credentials(self, url, username_from_url, allowed_types):
        kind = self._pick(allowed_types)
        if kind in self.asked:
            raise AuthenticationFailed("the server refused the credentials")
        self.asked.add(kind)
        creds = self.hubctl_credentials
        if kind == CredentialType.USERPASS_PLAINTEXT:
            if not creds.token:
                raise AuthenticationFailed(f"the server asks for credentials and {creds.token_var} is not set")
            return pygit2.UserPass(username_from_url or creds.username, creds.token)
        user = username_from_url or "git"
        if kind == CredentialType.USERNAME:
            return pygit2.Username(user)
        if kind == CredentialType.SSH_KEY and creds.ssh_key:
            public = creds.ssh_key + ".pub"
            return pygit2.Keypair(user, public if os.path.exists(public) else None, creds.ssh_key,
                                  creds.ssh_passphrase or "")
        if kind == CredentialType.SSH_KEY:
            return pygit2.KeypairFromAgent(user)
        raise AuthenticationFailed(f"the server asks for an unsupported kind of credentials ({allowed_types!r})")

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
