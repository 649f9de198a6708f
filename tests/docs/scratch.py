"""A scratch machine for documentation examples: a home, a Git origin and a hub on 127.0.0.1.

What a reader of the docs has, made real and local:

- `work/`, the current directory the examples run in (empty, or holding a fleet: see `fleet()`);
- `home/.gitconfig` with an identity and a rewrite of the repository URL the fleets name in hubctl.yaml
  (https://git.example.com/platform/fleet.git) to `origin.git`, a bare repository on disk, so
  `git remote add origin https://git.example.com/platform/fleet.git` and `hubctl commit --push` work as
  written (git and libgit2 both honour url.<base>.insteadOf);
- a hub emulator serving what is pushed to `origin.git`, and a kubeconfig (`$KUBECONFIG`) whose current
  context points at it, so `hubctl status` finds it the way it finds a real hub.

Commands run in this process through hubctl.cli.run when they are plain `hubctl ...` lines; anything else
(git, pipes, redirections, globs, `&&`) runs through /bin/sh with a `hubctl` on PATH.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLEET_URL = "https://git.example.com/platform/fleet.git"
_SHELL_SYNTAX = set("|&;<>()$`*?[]{}~!\\\n")
_SHELL_TIMEOUT = 300  # a command that never ends fails the test instead of hanging it


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


class Scratch:
    """One scratch machine (see the module docstring); `run(command)` runs a documented command in it."""

    def __init__(self, base: Path, monkeypatch, capsys, speed: float = 0.05):
        self.base, self.monkeypatch, self.capsys = base, monkeypatch, capsys
        self.work, self.home, self.origin = base / "work", base / "home", base / "origin.git"
        self.work.mkdir(parents=True)
        self.home.mkdir()
        _git(base, "init", "-q", "--bare", "-b", "main", str(self.origin))
        (self.home / ".gitconfig").write_text(
            "[user]\n\tname = Docs Reader\n\temail = reader@example.com\n[init]\n\tdefaultBranch = main\n"
            f'[url "{self.origin}"]\n\tinsteadOf = {FLEET_URL}\n')
        bin_dir = base / "bin"
        bin_dir.mkdir()
        shim = bin_dir / "hubctl"
        shim.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m hubctl "$@"\n')
        shim.chmod(0o755)
        from hubctl.emulator import Emulator, kubeconfig

        self.hub = Emulator(repo=str(self.origin), branch="main", speed=speed)
        self.hub.start()
        (base / "kubeconfig").write_text(json.dumps(kubeconfig(self.hub.url, self.hub.token)))
        for key in [k for k in os.environ if k.startswith(("HUBCTL_", "GIT_", "KUBE"))]:
            monkeypatch.delenv(key)
        for key, value in {"HOME": str(self.home), "KUBECONFIG": str(base / "kubeconfig"),
                           "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "COLUMNS": "120",
                           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"}.items():
            monkeypatch.setenv(key, value)
        monkeypatch.chdir(self.work)
        self._global_config(str(self.home))
        # The kubernetes client reads $KUBECONFIG once, when first imported; a new process (what a reader
        # runs) reads this one, so this process must too.
        from kubernetes.config import kube_config

        monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(base / "kubeconfig"))

    def close(self) -> None:
        self.hub.stop()
        self._global_config(self._saved_search_path)

    def fleet(self, source: Path, *overlays: Path, render: bool = True) -> Path:
        """Make `work/` a fleet repository: `source` (then each overlay) committed on main, with the render
        when `render`, pushed to origin (so origin/main exists)."""
        shutil.copytree(source, self.work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("rendered"))
        for overlay in overlays:
            shutil.copytree(overlay, self.work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected*"))
        _git(self.work, "init", "-q", "-b", "main")
        _git(self.work, "remote", "add", "origin", FLEET_URL)
        if render:
            from hubctl.cli import run

            assert run(["render"]) == 0, "the fleet of a docs scratch directory renders"
        _git(self.work, "add", "-A")
        _git(self.work, "commit", "-q", "-m", "fleet")
        _git(self.work, "push", "-q", "origin", "main")
        _git(self.work, "fetch", "-q", "origin")
        self.capsys.readouterr()
        return self.work

    def run(self, command: str) -> Outcome:
        """Run one documented command line in `work/` and return its exit code and output."""
        steps = _in_process_steps(command)
        if steps is None:
            return self._shell(command)
        from hubctl.cli import run

        code, out, err = 0, [], []
        for words, target in steps:  # `a && b`: b runs when a exited 0
            self.capsys.readouterr()
            code = run(words)
            captured = self.capsys.readouterr()
            if target is None:
                out.append(captured.out)
            else:
                Path(target).write_text(captured.out)
            err.append(captured.err)
            if code:
                break
        return Outcome(code, "".join(out), "".join(err))

    def _shell(self, command: str) -> Outcome:
        shell = subprocess.Popen(["/bin/sh", "-c", command], cwd=os.getcwd(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                                 start_new_session=True)
        try:
            out, err = shell.communicate(timeout=_SHELL_TIMEOUT)
        except subprocess.TimeoutExpired:  # the whole group: a child left running would hold the pipes open
            os.killpg(shell.pid, signal.SIGKILL)
            out, err = shell.communicate()
            return Outcome(124, out, f"{err}(stopped: still running after {_SHELL_TIMEOUT} s)\n")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(shell.pid, signal.SIGKILL)  # nothing a doc starts outlives its line
        done = subprocess.CompletedProcess(shell.args, shell.returncode, out, err)
        if command.split(None, 1)[0] == "cd" and done.returncode == 0:  # `cd DIR` alone moves the session
            self.monkeypatch.chdir(Path(os.getcwd(), shlex.split(command, comments=True)[1]).resolve())
        return Outcome(done.returncode, done.stdout, done.stderr)

    def _global_config(self, path: str) -> None:
        """Point libgit2's global configuration (cached per process) at `path`, remembering the old value."""
        import pygit2

        level = pygit2.enums.ConfigLevel.GLOBAL
        if not hasattr(self, "_saved_search_path"):
            self._saved_search_path = pygit2.settings.search_path[level]
        pygit2.settings.search_path[level] = path


def _in_process_steps(command: str) -> list[tuple[list[str], str | None]] | None:
    """`hubctl A && hubctl B > FILE`: the arguments of each hubctl and the file its stdout goes to; None when
    the line needs a shell (another program, a pipe, a glob, a variable, ...)."""
    lexer = shlex.shlex(command.replace("\\\n", " "), posix=True, punctuation_chars="&|;<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""  # `#` starts a comment only as a word of its own, as in sh (KEY#PROPERTY is a word)
    tokens = list(lexer)
    comment = next((i for i, token in enumerate(tokens) if token.startswith("#")), len(tokens))
    steps, segment = [], []
    for token in [*tokens[:comment], "&&"]:
        if token != "&&":
            segment.append(token)
            continue
        target = None
        if len(segment) > 2 and segment[-2] == ">":
            segment, target = segment[:-2], segment[-1]
        if not segment or segment[0] != "hubctl" or any(set(word) & _SHELL_SYNTAX for word in segment):
            return None
        steps.append((segment[1:], target))
        segment = []
    return steps


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout
