"""Which ssh host keys a push or fetch trusts: the ones a known_hosts file lists for the host.

The file is HUBCTL_SSH_KNOWN_HOSTS, else ~/.ssh/known_hosts (OpenSSH's format: plain or hashed host names,
`[host]:port` for a port other than 22). An unknown or changed host key stops the transfer before any
credentials are offered. libgit2 (libssh2) makes the comparison itself, on the connection it uses, and only
ever reads `<its home directory>/.ssh/known_hosts`: `trusting` points that home directory at a temporary
one holding the chosen file while the transfer runs.
"""

from __future__ import annotations

import base64
import hmac
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from hubctl.base.errors import GitError

KNOWN_HOSTS_VAR = "HUBCTL_SSH_KNOWN_HOSTS"
DEFAULT_KNOWN_HOSTS = "~/.ssh/known_hosts"
SSH_SCHEMES = ("ssh", "ssh+git", "git+ssh")
_SCP_HOST = re.compile(r"^(?:[^@/]+@)?(?P<host>\[[^\]]+\]|[^:/\[\]]+):")
# libgit2's home directory is one setting for the whole process: one ssh transfer at a time changes it.
_HOME_LOCK = threading.RLock()


class HostKeyNotTrusted(GitError):
    """Raised inside the certificate callback; push reports it as it is."""


@dataclass(frozen=True)
class SshHost:
    """The host and port an ssh URL connects to, and the known_hosts file its key must be listed in."""

    host: str
    port: int
    known_hosts: Path

    @property
    def name(self) -> str:
        """The host as known_hosts names it: `host`, or `[host]:port` for a port other than 22."""
        return self.host if self.port == 22 else f"[{self.host}]:{self.port}"


def ssh_host(url: str, known_hosts: str | None = None) -> SshHost | None:
    """The SshHost of `url` when libgit2 would reach it over ssh (ssh://, git+ssh://, user@host:path), else None.

    `known_hosts` defaults to ~/.ssh/known_hosts.
    """
    file = Path(os.path.expanduser(known_hosts or DEFAULT_KNOWN_HOSTS)).absolute()
    if "://" in url:
        parts = urlsplit(url)
        if parts.scheme.lower() not in SSH_SCHEMES or not parts.hostname:
            return None
        return SshHost(parts.hostname, parts.port or 22, file)
    scp = _SCP_HOST.match(url)
    if scp is None or os.path.exists(url):
        return None
    return SshHost(scp["host"].strip("[]"), 22, file)


@contextmanager
def trusting(host: SshHost | None) -> Iterator[None]:
    """While in the block, libgit2 checks ssh host keys against `host.known_hosts`. No-op for None."""
    if host is None:
        yield
        return
    import pygit2

    with _HOME_LOCK, tempfile.TemporaryDirectory(prefix="hubctl-ssh-") as home:
        ssh_dir = Path(home, ".ssh")
        ssh_dir.mkdir()
        if host.known_hosts.is_file():
            (ssh_dir / "known_hosts").symlink_to(host.known_hosts.resolve())
        previous = pygit2.settings.homedir
        pygit2.settings.homedir = home
        try:
            yield
        finally:
            pygit2.settings.homedir = previous


def untrusted_error(host: SshHost) -> HostKeyNotTrusted:
    """The error for a host key that `host.known_hosts` does not list, or lists with another key."""
    file = host.known_hosts
    if is_listed(file, host.name):
        return HostKeyNotTrusted(
            f"the ssh host key of {host.name} does not match the key {file} lists for it",
            hint="the server's key changed, or someone is intercepting the connection: do not push until you "
            f"know which; if the server's key was replaced, replace the line for {host.name} in {file}")
    why = f"{file} does not exist" if not file.is_file() else f"{file} does not list {host.name}"
    port = "" if host.port == 22 else f"-p {host.port} "
    return HostKeyNotTrusted(
        f"the ssh host key of {host.name} is unknown: {why}",
        hint=f"get the key (ssh-keyscan {port}{host.host}), check its fingerprint (ssh-keygen -lf) against the "
        f"one the server's owner publishes, and add it to {file}, or set {KNOWN_HOSTS_VAR} to a known_hosts "
        "file that lists it")


def unreadable_error(host: SshHost, detail: str) -> GitError:
    """The error for a known_hosts file libssh2 could not read (one line it cannot parse spoils the file)."""
    return GitError(f"cannot read the ssh known_hosts file {host.known_hosts}: {detail}",
                    hint="each line must be `host[,host...] key-type base64-key` (host names plain, `[host]:port` "
                    "or hashed), a @cert-authority or @revoked line, or a # comment; fix or remove the others")


def is_listed(known_hosts: Path, name: str) -> bool:
    """Whether `known_hosts` has a line for `name` (a plain or hashed host name; wildcards are not read)."""
    try:
        lines = known_hosts.read_text(errors="replace").splitlines()
    except OSError:
        return False
    for line in lines:
        fields = line.split()
        if fields and fields[0].startswith("@"):  # @cert-authority, @revoked
            fields = fields[1:]
        patterns = fields[0].split(",") if fields and not fields[0].startswith("#") else []
        if any(_host_matches(pattern, name) for pattern in patterns):
            return True
    return False


def _host_matches(pattern: str, name: str) -> bool:
    if not pattern.startswith("|1|"):
        return pattern.lower() == name.lower()
    salt, _, digest = pattern[3:].partition("|")
    try:
        mac = hmac.new(base64.b64decode(salt), name.encode(), "sha1").digest()
    except ValueError:
        return False
    return hmac.compare_digest(base64.b64encode(mac).decode(), digest)
