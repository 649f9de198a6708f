"""Fixtures for the git adapter: isolated git config, bare repositories, git daemon, smart HTTP and ssh servers."""

from __future__ import annotations

from types import SimpleNamespace

import pygit2
import pytest
from pygit2.enums import ConfigLevel

from tests.support.gitservers import GitDaemon, SmartHttpServer, SshServer, bare_repo, require_sshd, ssh_keypair

IDENTITY_VARS = ("HUBCTL_AUTHOR_NAME", "HUBCTL_AUTHOR_EMAIL", "HUBCTL_COMMITTER_NAME", "HUBCTL_COMMITTER_EMAIL",
                 "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "HUBCTL_GIT_TOKEN", "HUBCTL_GIT_USERNAME", "HUBCTL_SSH_KEY", "HUBCTL_SSH_PASSPHRASE",
                 "HUBCTL_SSH_KNOWN_HOSTS", "SSH_AUTH_SOCK", "EMAIL")
USERS = {"alice": "s3cret-token"}
PASSPHRASE = "pass-phrase-7f3c9e"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory, monkeypatch):
    """No user or system git config leaks in; a fixed identity and dates make commits deterministic."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text("[user]\n\tname = Config User\n\temail = config@example.com\n")
    saved = {level: pygit2.settings.search_path[level] for level in (ConfigLevel.GLOBAL, ConfigLevel.XDG,
                                                                      ConfigLevel.SYSTEM)}
    for level in saved:
        pygit2.settings.search_path[level] = str(home)
    monkeypatch.setenv("HOME", str(home))
    for var in IDENTITY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "@1700000000 +0000")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "@1700000000 +0000")
    yield home
    for level, value in saved.items():
        pygit2.settings.search_path[level] = value


@pytest.fixture
def remote_root(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    return root


@pytest.fixture
def bare(remote_root):
    """A bare deploy repository with `main`; pushes to `protected` are refused by a pre-receive hook."""
    return bare_repo(remote_root / "deploy.git", protected=("protected",))


@pytest.fixture
def daemon(remote_root):
    with GitDaemon(remote_root) as server:
        yield server


@pytest.fixture
def http_server(remote_root):
    with SmartHttpServer(remote_root, users=USERS) as server:
        yield server


@pytest.fixture
def local(tmp_path):
    """A bare local deploy repository hubctl commits into before pushing."""
    return pygit2.init_repository(str(tmp_path / "local.git"), bare=True).path


@pytest.fixture
def ssh_keys(tmp_path):
    """Client keys: `plain` (no passphrase) and `locked` (PASSPHRASE) are authorized by ssh_server, `stranger`
    (also PASSPHRASE) is not."""
    require_sshd()
    keys = tmp_path / "keys"
    keys.mkdir()
    return SimpleNamespace(plain=ssh_keypair(keys / "plain"), locked=ssh_keypair(keys / "locked", PASSPHRASE),
                           stranger=ssh_keypair(keys / "stranger", PASSPHRASE))


@pytest.fixture
def ssh_server(tmp_path, ssh_keys):
    with SshServer(tmp_path / "sshd", clients=[f"{ssh_keys.plain}.pub", f"{ssh_keys.locked}.pub"]) as server:
        yield server


@pytest.fixture
def known_hosts(tmp_path, ssh_server):
    """A known_hosts file that lists ssh_server's host key."""
    path = tmp_path / "known_hosts"
    path.write_text(ssh_server.known_hosts_line())
    return path
