"""The git identity and CLI helper the commit tests share (git is the reference tool here, not hubctl's)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

IDENTITY = {"GIT_AUTHOR_NAME": "Fleet Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
            "GIT_COMMITTER_NAME": "Fleet Bot", "GIT_COMMITTER_EMAIL": "bot@example.com"}


def git(cwd: Path, *args: str) -> str:
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(cwd), **IDENTITY}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def commit_specs_repo(fleet: Path, monkeypatch) -> Path:
    """`fleet` as a Git repository on main with one commit of its specs; hubctl commits as Fleet Bot."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    git(fleet, "init", "-q", "-b", "main")
    git(fleet, "add", "-A")
    git(fleet, "commit", "-q", "-m", "specs")
    return fleet
