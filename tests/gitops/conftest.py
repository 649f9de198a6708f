"""Fixtures for the git adapter: isolated git config, bare repositories, git daemon and smart HTTP servers."""

from __future__ import annotations

import pygit2
import pytest
from pygit2.enums import ConfigLevel

from tests.support.gitservers import GitDaemon, SmartHttpServer, bare_repo

IDENTITY_VARS = ("HUBCTL_AUTHOR_NAME", "HUBCTL_AUTHOR_EMAIL", "HUBCTL_COMMITTER_NAME", "HUBCTL_COMMITTER_EMAIL",
                 "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "HUBCTL_GIT_TOKEN", "HUBCTL_GIT_USERNAME", "HUBCTL_SSH_KEY", "EMAIL")
USERS = {"alice": "s3cret-token"}


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
