"""Which host an ssh URL reaches, named as a known_hosts file names it; other URLs have no ssh host."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubctl.adapters.git.hostkeys import ssh_host


@pytest.mark.parametrize(("url", "name"), [
    ("ssh://git@github.com/org/deploy.git", "github.com"),
    ("ssh://git@127.0.0.1:2222/srv/deploy.git", "[127.0.0.1]:2222"),
    ("ssh://git@[::1]:2222/srv/deploy.git", "[::1]:2222"),
    ("git+ssh://git@Git.Example.com:22/deploy.git", "git.example.com"),
    ("git@github.com:org/deploy.git", "github.com"),
    ("deploy.example.com:org/deploy.git", "deploy.example.com"),
    ("https://github.com/org/deploy.git", None),
    ("git://127.0.0.1:9418/deploy.git", None),
    ("file:///srv/deploy.git", None),
    ("/srv/deploy.git", None),
])
def test_ssh_host_is_named_as_known_hosts_names_it(url, name):
    host = ssh_host(url)
    assert (host and host.name) == name


def test_known_hosts_defaults_to_the_users_file(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert ssh_host("git@github.com:org/deploy.git").known_hosts == tmp_path / ".ssh" / "known_hosts"
    chosen = ssh_host("git@github.com:org/deploy.git", "pinned_hosts").known_hosts
    assert chosen == Path.cwd() / "pinned_hosts"
