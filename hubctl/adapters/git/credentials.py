"""Credentials for pushing, from the environment (callbacks.py hands them to libgit2).

HTTPS: a token from HUBCTL_GIT_TOKEN (user name HUBCTL_GIT_USERNAME, default "x-access-token").
SSH: the key file HUBCTL_SSH_KEY (passphrase HUBCTL_SSH_PASSPHRASE), else the ssh agent; the server's host
key must be listed in HUBCTL_SSH_KNOWN_HOSTS, else ~/.ssh/known_hosts (hostkeys.py).
Secrets never appear in messages: `scrub` removes them from any text shown to the user.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hubctl.adapters.git.hostkeys import KNOWN_HOSTS_VAR
from hubctl.base.errors import GitError

TOKEN_VAR = "HUBCTL_GIT_TOKEN"
USERNAME_VAR = "HUBCTL_GIT_USERNAME"
SSH_KEY_VAR = "HUBCTL_SSH_KEY"
SSH_PASSPHRASE_VAR = "HUBCTL_SSH_PASSPHRASE"
DEFAULT_USERNAME = "x-access-token"
_URL_SECRET = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^/@:\s]*):(?P<secret>[^/@\s]*)@", re.I)


@dataclass(frozen=True)
class Credentials:
    """What to answer when a server asks who we are, and which ssh host keys to believe (`ssh_known_hosts`,
    default ~/.ssh/known_hosts). `repr` never shows the secrets."""

    token: str | None = field(default=None, repr=False)
    username: str = DEFAULT_USERNAME
    ssh_key: str | None = None
    ssh_passphrase: str | None = field(default=None, repr=False)
    ssh_known_hosts: str | None = None
    token_var: str = TOKEN_VAR

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, token_var: str = TOKEN_VAR) -> Credentials:
        """Read the credentials from `env` (default: the process environment)."""
        from hubctl.base import redact

        env = os.environ if env is None else env
        for name in (token_var, SSH_PASSPHRASE_VAR):
            redact.register(env.get(name))
        return cls(token=env.get(token_var) or None, username=env.get(USERNAME_VAR) or DEFAULT_USERNAME,
                   ssh_key=env.get(SSH_KEY_VAR) or None, ssh_passphrase=env.get(SSH_PASSPHRASE_VAR) or None,
                   ssh_known_hosts=env.get(KNOWN_HOSTS_VAR) or None, token_var=token_var)

    def secrets(self) -> list[str]:
        return [secret for secret in (self.token, self.ssh_passphrase) if secret]


def scrub(text: str, secrets: list[str]) -> str:
    """`text` with every secret and any password embedded in a URL replaced by "***"."""
    text = _URL_SECRET.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class AuthenticationFailed(GitError):
    """Raised inside the credentials callback; push turns it into the user-facing error."""

