"""`hubctl diff` explains why it cannot find the two sides to compare (exit 5), and what it compares
before the first commit."""

from __future__ import annotations

import subprocess

from hubctl.base.errors import ExitCode


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_outside_a_repository(hubctl, example_fleet):
    result = hubctl("diff", "-C", example_fleet)
    assert result.code == ExitCode.GIT and "is not in a Git repository" in result.err


def test_no_commit_yet_compares_with_an_empty_fleet(hubctl, example_fleet):
    # as `git diff --cached` in a new repository: everything is added (tests/cli/test_newuser_traps.py)
    git(example_fleet, "init", "-q", "-b", "trunk")
    result = hubctl("diff", "-C", example_fleet, "--stat")
    assert result.code == ExitCode.OK and "note: no commit yet: the base is an empty fleet" in result.err
    assert "Applications: +" in result.out and " -0" in result.out


def test_no_default_branch_and_an_unknown_base(hubctl, example_fleet):
    git(example_fleet, "init", "-q", "-b", "trunk")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "specs")
    result = hubctl("diff", "-C", example_fleet)
    assert result.code == ExitCode.GIT and "no default branch (origin/HEAD, main or master)" in result.err
    result = hubctl("diff", "-C", example_fleet, "--base", "no-such-ref")
    assert result.code == ExitCode.GIT and "cannot read revision `no-such-ref`" in result.err
    assert hubctl("diff", "-C", example_fleet, "--base", "trunk").code == ExitCode.OK
