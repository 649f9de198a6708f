"""commit_files on bare and non-bare repositories, identity precedence and the lock."""

from __future__ import annotations

import os
import subprocess
import sys

import pygit2
import pytest

from hubctl.adapters.git import Identity, commit_files, repo_lock
from hubctl.base.errors import ExitCode, GitError
from tests.gitops.helpers import render
from tests.support.gitservers import git, read_tree


def commit(repo_path, files, **kwargs):
    kwargs.setdefault("message", "render")
    return commit_files(repo_path, branch=kwargs.pop("branch", "main"), files=files, prefix="rendered", **kwargs)


def test_first_commit_creates_the_branch_without_parent(local):
    outcome = commit(local, render())
    assert outcome.commit and outcome.parent is None
    assert outcome.added == sorted(render())
    assert git("--git-dir", local, "rev-parse", "main").decode().strip() == outcome.commit
    assert git("--git-dir", local, "rev-list", "--count", "main").decode().strip() == "1"
    assert read_tree(local, "main", "rendered") == render()


def test_same_render_is_nothing_to_commit(local):
    first = commit(local, render())
    again = commit(local, render())
    assert again.commit is None and again.parent == first.commit and again.head == first.commit
    assert git("--git-dir", local, "rev-list", "--count", "main").decode().strip() == "1"


def test_changes_are_listed_and_stale_files_removed(local):
    commit(local, render(clusters=3))
    files = render(clusters=2, version="v2")
    files["hub/new.yaml"] = b"kind: AppProject\n"
    outcome = commit(local, files)
    assert outcome.added == ["hub/new.yaml"]
    assert "spokes/c2/spaces/team.yaml" in outcome.removed
    assert outcome.modified == [f"spokes/c{c}/flows/team/flow{f}/manifests.yaml" for c in range(2) for f in range(2)]
    assert read_tree(local, "main", "rendered") == files


def test_files_outside_the_prefix_are_untouched(tmp_path):
    work = tmp_path / "fleet"
    git("init", "--quiet", "--initial-branch=main", str(work))
    (work / "clusters").mkdir()
    (work / "clusters" / "a.yaml").write_bytes(b"kind: Cluster\n")
    git("-C", str(work), "add", "clusters")
    git("-C", str(work), "-c", "user.name=U", "-c", "user.email=u@x", "commit", "--quiet", "-m", "specs")
    before = git("-C", str(work), "rev-parse", "HEAD:clusters").strip()
    outcome = commit(work, render())
    assert git("-C", str(work), "rev-parse", "HEAD:clusters").strip() == before
    assert git("-C", str(work), "rev-parse", "HEAD~1").decode().strip() == outcome.parent


def test_non_bare_checked_out_branch_keeps_status_clean(tmp_path):
    work = tmp_path / "fleet"
    git("init", "--quiet", "--initial-branch=main", str(work))
    for version in ("v1", "v2"):
        files = render(clusters=2 if version == "v2" else 3, version=version)
        _write_tree(work / "rendered", files)
        commit(work, files)
        assert git("-C", str(work), "status", "--porcelain").decode() == ""
    assert read_tree(work / ".git", "HEAD", "rendered") == render(clusters=2, version="v2")


def test_staged_work_outside_the_prefix_is_kept(tmp_path):
    work = tmp_path / "fleet"
    git("init", "--quiet", "--initial-branch=main", str(work))
    (work / "notes.md").write_bytes(b"draft\n")
    git("-C", str(work), "add", "notes.md")
    _write_tree(work / "rendered", render())
    commit(work, render())
    assert git("-C", str(work), "status", "--porcelain").decode() == "A  notes.md\n"


def test_commit_to_a_branch_not_checked_out_leaves_the_index_alone(tmp_path):
    work = tmp_path / "fleet"
    git("init", "--quiet", "--initial-branch=main", str(work))
    outcome = commit(work, render(), branch="deploy")
    assert outcome.commit
    assert git("-C", str(work), "status", "--porcelain", "--untracked-files=no").decode() == ""
    assert read_tree(work / ".git", "deploy", "rendered") == render()


def _write_tree(root, files):
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for existing in sorted(root.rglob("*"), reverse=True):
        rel = existing.relative_to(root).as_posix()
        if existing.is_file() and rel not in files:
            existing.unlink()


def _identity(repo_path, rev="main"):
    return git("--git-dir", str(repo_path), "log", "-1", "--format=%an <%ae>|%cn <%ce>|%at %ct", rev).decode().strip()


def test_identity_comes_from_git_config_last(local):
    commit(local, render())
    assert _identity(local) == "Config User <config@example.com>|Config User <config@example.com>|1700000000 1700000000"


def test_git_environment_beats_config(local, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Env Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "env@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Env Committer")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2024-01-02T03:04:05+00:00")
    commit(local, render())
    assert _identity(local) == "Env Author <env@example.com>|Env Committer <config@example.com>|1704164645 1700000000"


def test_hubctl_environment_beats_git_environment(local, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Env Author")
    monkeypatch.setenv("HUBCTL_AUTHOR_NAME", "Hubctl Bot")
    monkeypatch.setenv("HUBCTL_AUTHOR_EMAIL", "bot@example.com")
    commit(local, render())
    assert _identity(local).startswith("Hubctl Bot <bot@example.com>|Config User <config@example.com>")


def test_flags_beat_everything(local, monkeypatch):
    monkeypatch.setenv("HUBCTL_AUTHOR_NAME", "Hubctl Bot")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Env Committer")
    commit(local, render(), author="Flag Author <flag@example.com>", committer=Identity("Flag Committer", "fc@x"))
    assert _identity(local).startswith("Flag Author <flag@example.com>|Flag Committer <fc@x>")


def test_missing_identity_is_a_clear_error(local, isolated_git):
    (isolated_git / ".gitconfig").write_text("")
    with pytest.raises(GitError, match="no author identity") as caught:
        commit(local, render())
    assert caught.value.exit_code == ExitCode.GIT and "HUBCTL_AUTHOR_NAME" in caught.value.hint
    assert git("--git-dir", local, "for-each-ref").decode() == ""


def test_unreadable_date_is_a_clear_error(local, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_DATE", "next tuesday")
    with pytest.raises(GitError, match="GIT_AUTHOR_DATE"):
        commit(local, render())


def test_not_a_repository(tmp_path):
    with pytest.raises(GitError, match="not a git repository"):
        commit(tmp_path, render())


HOLDER = """
import sys
from hubctl.adapters.git.lock import repo_lock
with repo_lock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_lock_held_by_a_live_process_refuses_and_a_killed_holder_leaves_nothing_held(local):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(local)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(GitError, match=f"pid {holder.pid}") as caught:
            commit(local, render())
        assert "hubctl.lock is locked" in caught.value.message and "wait for it" in caught.value.hint
    finally:
        holder.kill()  # SIGKILL: no clean-up of its own runs
        holder.wait()
    assert commit(local, render()).commit  # the kernel released it with the process: nothing stale to detect


RACER = """
import sys
from hubctl.base.errors import GitError
from hubctl.adapters.git.lock import repo_lock
try:
    with repo_lock(sys.argv[1]):
        print("held", flush=True)
        sys.stdin.read()
except GitError as exc:
    print("refused", exc.message, flush=True)
"""


def test_of_many_processes_racing_for_the_lock_exactly_one_holds_it(local):
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(local)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True) for _ in range(6)]
    try:
        answers = [racer.stdout.readline() for racer in racers]  # the holder answers before it waits
    finally:
        for racer in racers:
            racer.stdin.close()
            racer.wait()
    held = [racer.pid for racer, answer in zip(racers, answers, strict=True) if answer == "held\n"]
    assert len(held) == 1, answers
    assert all(f"(pid {held[0]})" in answer or "(pid unknown)" in answer for answer in answers if answer != "held\n")
    assert commit(local, render()).commit


def test_a_lock_file_naming_a_live_process_that_holds_nothing_does_not_block(local):
    # a file left by a killed run whose pid now belongs to another process (or an older hubctl's lock file):
    # only a held lock refuses, whatever the file says
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        with open(os.path.join(local, "hubctl.lock"), "w") as handle:
            handle.write(f"{other.pid} {os.uname().nodename}\n")
        assert commit(local, render()).commit
    finally:
        other.kill()
        other.wait()


def test_lock_is_exclusive_between_threads_and_reentrant_within_one(local):
    import threading

    errors = []
    with repo_lock(local), repo_lock(local):
        thread = threading.Thread(target=lambda: _try_commit(local, errors))
        thread.start()
        thread.join()
    assert len(errors) == 1 and "another hubctl run" in errors[0]
    assert commit(local, render()).commit


def _try_commit(local, errors):
    try:
        commit(local, render())
    except GitError as exc:
        errors.append(exc.message)


def test_commit_on_an_explicit_parent_moves_the_branch(local):
    first = commit(local, render(version="v1"))
    second = commit(local, render(version="v2"))
    rebuilt = commit(local, render(version="v3"), parent=first.commit)
    assert rebuilt.parent == first.commit
    log = git("--git-dir", local, "rev-list", "main").decode().split()
    assert log == [rebuilt.commit, first.commit] and second.commit not in log
    pygit2.Repository(local).get(second.commit)  # still in the object database, just unreferenced
