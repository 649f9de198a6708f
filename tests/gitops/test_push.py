"""push against real servers on loopback: file path, file://, git daemon, smart HTTP with basic auth."""

from __future__ import annotations

import threading

import pygit2
import pytest

from hubctl.adapters.git import Credentials, commit_files, push, rebuilder
from hubctl.base.errors import ExitCode, GitError
from tests.gitops.conftest import USERS
from tests.gitops.helpers import assert_pushed, commit_and_push, render
from tests.support.gitservers import bare_repo, free_port, git, read_tree

TOKEN = USERS["alice"]


@pytest.mark.parametrize("kind", ["path", "file-url"])
def test_push_to_a_local_bare_repository(local, bare, kind):
    url = str(bare) if kind == "path" else bare.as_uri()
    outcome = commit_and_push(local, url, render())
    assert outcome.attempts == 1 and not outcome.rebuilt
    assert_pushed(bare, render(), outcome)
    second = commit_and_push(local, url, render(clusters=2, version="v2"))
    assert_pushed(bare, render(clusters=2, version="v2"), second)


def test_push_to_a_named_remote(local, bare):
    git("--git-dir", local, "remote", "add", "origin", bare.as_uri())
    outcome = commit_and_push(local, "origin", render())
    assert outcome.remote == "origin"
    assert_pushed(bare, render(), outcome)


def test_push_to_git_daemon(local, bare, daemon):
    outcome = commit_and_push(local, daemon.url("deploy.git"), render())
    assert_pushed(bare, render(), outcome)
    files = render(version="v2")
    assert_pushed(bare, files, commit_and_push(local, daemon.url("deploy.git"), files))


def test_push_over_smart_http_with_a_token(local, bare, http_server):
    creds = Credentials(token=TOKEN, username="alice")
    outcome = commit_and_push(local, http_server.url("deploy.git"), render(), credentials=creds)
    assert_pushed(bare, render(), outcome)


def test_token_is_read_from_the_environment(local, bare, http_server, monkeypatch):
    monkeypatch.setenv("HUBCTL_GIT_TOKEN", TOKEN)
    monkeypatch.setenv("HUBCTL_GIT_USERNAME", "alice")
    commit_files(local, branch="main", files=render(), prefix="rendered", message="m")
    outcome = push(local, remote=http_server.url("deploy.git"), branch="main", rebuild=lambda head: "")
    assert_pushed(bare, render(), outcome)


def test_wrong_password_is_an_authentication_error_without_the_secret(local, bare, http_server):
    creds = Credentials(token="wrong-secret-value", username="alice")
    with pytest.raises(GitError) as caught:
        commit_and_push(local, http_server.url("deploy.git"), render(), credentials=creds)
    error = caught.value
    assert error.message.startswith("authentication to http://127.0.0.1:")
    assert "HUBCTL_GIT_TOKEN" in error.hint and error.exit_code == ExitCode.GIT
    assert "wrong-secret-value" not in str(error)
    assert git("--git-dir", str(bare), "for-each-ref").decode() == ""


def test_missing_token_says_which_variable_to_set(local, bare, http_server):
    with pytest.raises(GitError, match="HUBCTL_GIT_TOKEN is not set"):
        commit_and_push(local, http_server.url("deploy.git"), render())


def test_secret_in_the_url_is_scrubbed(local, bare, http_server):
    url = http_server.url("deploy.git").replace("http://", "http://alice:url-secret-xyz@")
    url = url.replace(str(http_server.port), str(free_port()))  # nobody listens there
    with pytest.raises(GitError) as caught:
        commit_and_push(local, url, render())
    assert "url-secret-xyz" not in str(caught.value) and "alice:***@" in caught.value.message


def test_unknown_remote_name(local):
    with pytest.raises(GitError, match=r"unknown remote 'upstream' \(known remotes: none configured\)"):
        commit_and_push(local, "upstream", render())


@pytest.mark.parametrize("scheme", ["git", "http"])
def test_unreachable_host(local, scheme):
    url = f"{scheme}://127.0.0.1:{free_port()}/deploy.git"
    with pytest.raises(GitError, match="cannot reach") as caught:
        commit_and_push(local, url, render())
    assert "server runs" in caught.value.hint


@pytest.mark.parametrize("server", ["path", "daemon", "http"])
def test_repository_not_found(local, remote_root, daemon, http_server, server):
    url = {"path": str(remote_root / "missing.git"), "daemon": daemon.url("missing.git"),
           "http": http_server.url("missing.git")}[server]
    with pytest.raises(GitError, match="repository not found"):
        commit_and_push(local, url, render(), credentials=Credentials(token=TOKEN, username="alice"))


# Over file:// and paths libgit2 writes the repository itself, so server hooks only run behind a server.
@pytest.mark.parametrize("server", ["daemon", "http"])
def test_protected_branch_is_refused_with_the_server_message(local, bare, daemon, http_server, server):
    url = {"daemon": daemon.url("deploy.git"), "http": http_server.url("deploy.git")}[server]
    with pytest.raises(GitError) as caught:
        commit_and_push(local, url, render(), branch="protected",
                        credentials=Credentials(token=TOKEN, username="alice"))
    assert "rejected the update of branch protected" in caught.value.message
    assert "protected branch: direct pushes to refs/heads/protected are not allowed" in caught.value.message
    assert "pull request" in caught.value.hint
    assert git("--git-dir", str(bare), "for-each-ref").decode() == ""


def test_non_fast_forward_is_rebuilt_on_the_remote_head(tmp_path, bare):
    someone = bare_repo(tmp_path / "someone.git")
    commit_files(someone, branch="main", files={"other.yaml": b"theirs\n"}, prefix="notes", message="theirs")
    push(someone, remote=str(bare), branch="main", rebuild=lambda head: "")
    local = bare_repo(tmp_path / "local.git")
    outcome = commit_and_push(local, str(bare), render())
    assert outcome.attempts == 2 and outcome.rebuilt == [outcome.commit]
    assert_pushed(bare, render(), outcome)
    assert read_tree(bare, "main", "notes") == {"other.yaml": b"theirs\n"}  # their work is kept


def test_rebuild_that_matches_the_remote_is_up_to_date(tmp_path, bare):
    first = bare_repo(tmp_path / "first.git")
    commit_and_push(first, str(bare), render())
    second = bare_repo(tmp_path / "second.git")
    outcome = commit_and_push(second, str(bare), render(), message="the same render, made elsewhere")
    assert outcome.up_to_date and outcome.attempts == 1
    assert git("--git-dir", str(bare), "rev-list", "--count", "main").decode().strip() == "1"


def test_retries_exhausted_is_a_clear_error(tmp_path, bare):
    other = bare_repo(tmp_path / "other.git")
    counter = iter(range(100))

    def rival_pushes_first(head):
        # every time we rebuild, a rival pushes again before us
        n = next(counter)
        commit_files(other, branch="main", files={f"r{n}.yaml": b"x\n"}, prefix="rival", message="rival",
                     parent=head)
        push(other, remote=str(bare), branch="main", rebuild=lambda h: "")
        return commit_files(local, branch="main", files=render(), prefix="rendered", message="m",
                            parent=head).head

    local = bare_repo(tmp_path / "local.git")
    commit_and_push(other, str(bare), {"seed.yaml": b"x\n"})
    commit_files(local, branch="main", files=render(), prefix="rendered", message="m")
    with pytest.raises(GitError, match="kept moving") as caught:
        push(local, remote=str(bare), branch="main", rebuild=rival_pushes_first, credentials=Credentials(),
             max_attempts=3)
    assert "3 attempts" in caught.value.message


@pytest.mark.parametrize("server", ["daemon", "http"])
def test_race_two_committers_both_land(tmp_path, bare, daemon, http_server, server):
    url = daemon.url("deploy.git") if server == "daemon" else http_server.url("deploy.git")
    creds = Credentials(token=TOKEN, username="alice")
    seed = bare_repo(tmp_path / "seed.git")
    commit_and_push(seed, url, {"seed.yaml": b"seed\n"}, credentials=creds)
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def committer(name):
        local = pygit2.clone_repository(str(bare), str(tmp_path / f"{name}.git"), bare=True).path
        files = {f"{name}.yaml": f"work of {name}\n".encode()}
        try:
            commit_files(local, branch="main", files=files, prefix=name, message=f"{name} work")
            barrier.wait()
            rebuild = rebuilder(local, branch="main", files=files, prefix=name, message=f"{name} work")
            results[name] = push(local, remote=url, branch="main", rebuild=rebuild, credentials=creds)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=committer, args=(name,)) for name in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    first, second = sorted(result.attempts for result in results.values())
    assert first == 1 and second >= 2  # both started from the seed: the loser was rejected and rebuilt
    head = git("--git-dir", str(bare), "rev-parse", "main").decode().strip()
    history = git("--git-dir", str(bare), "log", "--format=%s", "main").decode().split("\n")
    assert sorted(history[:2]) == ["ann work", "bob work"] and history[2] == "render"
    assert head in {results["ann"].commit, results["bob"].commit}
    assert read_tree(bare, "main", "ann") == {"ann.yaml": b"work of ann\n"}
    assert read_tree(bare, "main", "bob") == {"bob.yaml": b"work of bob\n"}
    assert read_tree(bare, "main", "rendered") == {"seed.yaml": b"seed\n"}


@pytest.mark.parametrize("server", ["daemon", "http"])
def test_a_server_that_reports_success_but_keeps_the_old_branch_is_an_error(local, bare, daemon, http_server,
                                                                           server):
    url = daemon.url("deploy.git") if server == "daemon" else http_server.url("deploy.git")
    creds = Credentials(token=TOKEN, username="alice")
    first = commit_and_push(local, url, render(), credentials=creds)
    hook = bare / "hooks" / "post-receive"  # runs after the update is reported: puts the old commit back
    hook.write_text('#!/bin/sh\nwhile read old new ref; do git update-ref "$ref" "$old"; done\n')
    hook.chmod(0o755)
    with pytest.raises(GitError) as caught:
        commit_and_push(local, url, render(version="v2"), credentials=creds)
    assert caught.value.exit_code == ExitCode.GIT
    assert f"accepted the push but its branch main is at {first.commit[:12]}" in caught.value.message
    assert "the change is not on the remote" in caught.value.message
    assert "hubctl commit --push" in caught.value.hint
