"""push over ssh to a real OpenSSH sshd on loopback: key files, passphrases, the agent, host key checks.

Every test skips, saying why, where sshd is not installed (tests/support/install-sshd.sh installs it).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from hubctl.adapters.git import Credentials, commit_files, push
from hubctl.base.errors import ExitCode, GitError
from tests.gitops.conftest import PASSPHRASE
from tests.gitops.helpers import assert_pushed, commit_and_push, render
from tests.support.gitservers import SshAgent, bare_repo, git, read_tree, ssh_keypair


def key_file(key, known_hosts, passphrase=None) -> Credentials:
    return Credentials(ssh_key=str(key), ssh_passphrase=passphrase, ssh_known_hosts=str(known_hosts))


def nothing_pushed(bare) -> bool:
    return git("--git-dir", str(bare), "for-each-ref").decode() == ""


def hash_names(known_hosts) -> None:
    """Hash the host names in a known_hosts file, as OpenSSH's HashKnownHosts does (ssh-keygen -H)."""
    subprocess.run(["ssh-keygen", "-q", "-H", "-f", str(known_hosts)], check=True, capture_output=True)


def test_push_with_a_key_file(local, bare, ssh_server, ssh_keys, known_hosts):
    url = ssh_server.url(bare)
    outcome = commit_and_push(local, url, render(), credentials=key_file(ssh_keys.plain, known_hosts))
    assert outcome.remote == url and outcome.attempts == 1
    assert_pushed(bare, render(), outcome)
    files = render(clusters=2, version="v2")
    assert_pushed(bare, files, commit_and_push(local, url, files, credentials=key_file(ssh_keys.plain, known_hosts)))


def test_push_with_a_passphrase_protected_key_all_from_the_environment(local, bare, ssh_server, ssh_keys,
                                                                         known_hosts, monkeypatch):
    monkeypatch.setenv("HUBCTL_SSH_KEY", str(ssh_keys.locked))
    monkeypatch.setenv("HUBCTL_SSH_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("HUBCTL_SSH_KNOWN_HOSTS", str(known_hosts))
    commit_files(local, branch="main", files=render(), prefix="rendered", message="m")
    outcome = push(local, remote=ssh_server.url(bare), branch="main", rebuild=lambda head: "")
    assert_pushed(bare, render(), outcome)


def test_a_private_key_without_its_public_half_is_enough(local, bare, ssh_server, ssh_keys, known_hosts, tmp_path):
    # CI secrets often hold only the private key; libssh2 derives the public key from it
    alone = tmp_path / "deploy_key"
    shutil.copy(ssh_keys.locked, alone)
    outcome = commit_and_push(local, ssh_server.url(bare), render(),
                              credentials=key_file(alone, known_hosts, PASSPHRASE))
    assert_pushed(bare, render(), outcome)


def test_push_through_the_ssh_agent(local, bare, ssh_server, ssh_keys, known_hosts, tmp_path, monkeypatch):
    with SshAgent(tmp_path / "agent.sock", [ssh_keys.plain]) as agent:
        monkeypatch.setenv("SSH_AUTH_SOCK", str(agent.socket))
        outcome = commit_and_push(local, ssh_server.url(bare), render(),
                                  credentials=Credentials(ssh_known_hosts=str(known_hosts)))
    assert_pushed(bare, render(), outcome)


def test_a_rejected_push_is_rebuilt_after_a_fetch_over_ssh(tmp_path, bare, ssh_server, ssh_keys, known_hosts):
    someone = bare_repo(tmp_path / "someone.git")
    commit_files(someone, branch="main", files={"other.yaml": b"theirs\n"}, prefix="notes", message="theirs")
    push(someone, remote=str(bare), branch="main", rebuild=lambda head: "")
    local = bare_repo(tmp_path / "local.git")
    outcome = commit_and_push(local, ssh_server.url(bare), render(), credentials=key_file(ssh_keys.plain, known_hosts))
    assert outcome.attempts == 2 and outcome.rebuilt == [outcome.commit]
    assert_pushed(bare, render(), outcome)
    assert read_tree(bare, "main", "notes") == {"other.yaml": b"theirs\n"}


def test_server_hooks_run_behind_ssh(local, remote_root, ssh_server, ssh_keys, known_hosts):
    bare = bare_repo(remote_root / "guarded.git", protected=("main",))
    with pytest.raises(GitError) as caught:
        commit_and_push(local, ssh_server.url(bare), render(), credentials=key_file(ssh_keys.plain, known_hosts))
    assert "rejected the update of branch main" in caught.value.message
    assert "remote: protected branch: direct pushes to refs/heads/main are not allowed" in caught.value.message
    assert nothing_pushed(bare)


def test_an_unauthorized_key_is_an_authentication_error(local, bare, ssh_server, ssh_keys, known_hosts):
    with pytest.raises(GitError) as caught:
        commit_and_push(local, ssh_server.url(bare), render(),
                        credentials=key_file(ssh_keys.stranger, known_hosts, PASSPHRASE))
    error = caught.value
    assert error.message == (f"authentication to {ssh_server.url(bare)} failed: the server refused the key "
                             f"{ssh_keys.stranger} (HUBCTL_SSH_KEY), or the key could not be unlocked "
                             "(HUBCTL_SSH_PASSPHRASE wrong or missing)")
    assert "HUBCTL_SSH_KEY" in error.hint and error.exit_code == ExitCode.GIT
    assert PASSPHRASE not in str(error)
    assert nothing_pushed(bare)


@pytest.mark.parametrize("public_half", [True, False])
def test_a_wrong_passphrase_is_an_authentication_error_that_never_shows_it(local, bare, ssh_server, ssh_keys,
                                                                           known_hosts, tmp_path, public_half):
    key = ssh_keys.locked
    if not public_half:
        key = tmp_path / "alone"
        shutil.copy(ssh_keys.locked, key)
    with pytest.raises(GitError) as caught:
        commit_and_push(local, ssh_server.url(bare), render(),
                        credentials=key_file(key, known_hosts, "wrong-passphrase-4d1a"))
    assert caught.value.message.startswith(f"authentication to {ssh_server.url(bare)} failed: ")
    assert caught.value.exit_code == ExitCode.GIT
    assert "wrong-passphrase-4d1a" not in str(caught.value) and PASSPHRASE not in str(caught.value)
    assert nothing_pushed(bare)


def test_a_missing_key_file_is_named(local, bare, ssh_server, known_hosts, tmp_path):
    with pytest.raises(GitError, match=r"failed: the key file .*/no-such-key \(HUBCTL_SSH_KEY\) does not exist"):
        commit_and_push(local, ssh_server.url(bare), render(), credentials=key_file(tmp_path / "no-such-key",
                                                                                     known_hosts))


def test_no_key_and_no_agent_says_what_to_set(local, bare, ssh_server, known_hosts):
    with pytest.raises(GitError, match=r"HUBCTL_SSH_KEY is not set and no ssh agent is running"):
        commit_and_push(local, ssh_server.url(bare), render(),
                        credentials=Credentials(ssh_known_hosts=str(known_hosts)))


def test_host_key_in_the_default_known_hosts_is_trusted(local, bare, ssh_server, ssh_keys, isolated_git):
    (isolated_git / ".ssh").mkdir()
    (isolated_git / ".ssh" / "known_hosts").write_text(ssh_server.known_hosts_line())  # ~ is isolated_git
    outcome = commit_and_push(local, ssh_server.url(bare), render(),
                              credentials=Credentials(ssh_key=str(ssh_keys.plain)))
    assert_pushed(bare, render(), outcome)


def test_a_hashed_known_hosts_line_is_trusted(local, bare, ssh_server, ssh_keys, known_hosts):
    hash_names(known_hosts)
    assert "127.0.0.1" not in known_hosts.read_text()
    outcome = commit_and_push(local, ssh_server.url(bare), render(), credentials=key_file(ssh_keys.plain, known_hosts))
    assert_pushed(bare, render(), outcome)


@pytest.mark.parametrize("case", ["default file missing", "file missing", "host not listed"])
def test_an_unknown_host_key_is_refused(local, bare, ssh_server, ssh_keys, tmp_path, case):
    file = {"default file missing": None, "file missing": tmp_path / "absent",
            "host not listed": tmp_path / "known_hosts"}[case]
    if case == "host not listed":
        file.write_text(ssh_server.known_hosts_line().replace(f":{ssh_server.port}", ":2222"))
    with pytest.raises(GitError) as caught:
        commit_and_push(local, ssh_server.url(bare), render(),
                        credentials=Credentials(ssh_key=str(ssh_keys.plain), ssh_known_hosts=file and str(file)))
    name = f"[127.0.0.1]:{ssh_server.port}"
    assert caught.value.message.startswith(f"the ssh host key of {name} is unknown: ")
    assert f"ssh-keyscan -p {ssh_server.port} 127.0.0.1" in caught.value.hint
    assert "HUBCTL_SSH_KNOWN_HOSTS" in caught.value.hint and caught.value.exit_code == ExitCode.GIT
    assert nothing_pushed(bare)


@pytest.mark.parametrize("hashed", [False, True])
def test_a_changed_host_key_is_refused_as_a_possible_interception(local, bare, ssh_server, ssh_keys, tmp_path,
                                                                  hashed):
    other = ssh_keypair(tmp_path / "other_host_key")
    kind, key = other.with_name("other_host_key.pub").read_text().split()[:2]
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{ssh_server.port} {kind} {key}\n")
    if hashed:
        hash_names(known_hosts)
    with pytest.raises(GitError) as caught:
        commit_and_push(local, ssh_server.url(bare), render(), credentials=key_file(ssh_keys.plain, known_hosts))
    assert caught.value.message == (f"the ssh host key of [127.0.0.1]:{ssh_server.port} does not match the key "
                                    f"{known_hosts} lists for it")
    assert "intercepting" in caught.value.hint
    assert nothing_pushed(bare)


def test_a_known_hosts_file_libssh2_cannot_parse_is_named(local, bare, ssh_server, ssh_keys, known_hosts):
    known_hosts.write_text("not a known_hosts line\n" + known_hosts.read_text())
    with pytest.raises(GitError) as caught:
        commit_and_push(local, ssh_server.url(bare), render(), credentials=key_file(ssh_keys.plain, known_hosts))
    assert caught.value.message.startswith(f"cannot read the ssh known_hosts file {known_hosts}: ")
    assert "key-type base64-key" in caught.value.hint
    assert nothing_pushed(bare)
