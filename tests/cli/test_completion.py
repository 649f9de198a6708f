"""Shell completion driven through the real shells (bash, zsh, fish) and typer's protocol."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.terminal import ROOT

TIMEOUT = 120


@pytest.fixture
def bindir(tmp_path) -> Path:
    """A directory holding an executable `hubctl` that runs this checkout, to put on PATH."""
    target = tmp_path / "bin"
    target.mkdir()
    exe = target / "hubctl"
    exe.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m hubctl "$@"\n')
    exe.chmod(0o755)
    return target


def _env(bindir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_HUBCTL") and k != "_TYPER_COMPLETE_ARGS"}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    return env


def script(shell: str, bindir: Path) -> str:
    done = subprocess.run(["hubctl", "completion", shell], capture_output=True, text=True, env=_env(bindir),
                          timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    return done.stdout


def bash(bindir: Path, line: str, cwd: Path) -> list[str]:
    """What bash offers for `line` (the last word is being completed), with hubctl's script sourced."""
    words = line.split(" ")
    program = (script("bash", bindir) + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")\n"
               f"COMP_CWORD={len(words) - 1}\n_hubctl_completion hubctl\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, cwd=cwd,
                          env=_env(bindir), timeout=TIMEOUT)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return [w for w in done.stdout.splitlines() if w]


def test_bash_completes_commands_flags_and_fleet_names(bindir, example_fleet, tmp_path):
    assert bash(bindir, "hubctl pla", tmp_path) == ["placement"]
    assert set(bash(bindir, "hubctl cluster ", tmp_path)) >= {"add", "list", "cordon", "drain", "label"}
    assert "--output" in bash(bindir, "hubctl cluster list --", tmp_path)
    assert bash(bindir, "hubctl cluster list -o ", tmp_path) == ["text", "wide", "json", "yaml", "name"]
    # names come from the fleet at -C, before or after the command, or from the current directory
    assert bash(bindir, "hubctl cluster cordon prod-eu", example_fleet) == ["prod-eu-1", "prod-eu-2"]
    assert bash(bindir, f"hubctl -C {example_fleet} status --flow pay", tmp_path) == ["payments-api"]
    assert bash(bindir, f"hubctl status -C {example_fleet} --space ", tmp_path) == ["analytics", "payments",
                                                                                   "storefront"]
    assert bash(bindir, f"hubctl -C {example_fleet.parent} flow promote -C {example_fleet.name} da",
                tmp_path) == ["dashboards"]
    assert bash(bindir, "hubctl rollout approve w", example_fleet) == ["web"]
    assert bash(bindir, "hubctl rollout status we", example_fleet) == ["web"]


def test_an_invalid_or_missing_fleet_completes_no_names(bindir, example_fleet, tmp_path):
    assert bash(bindir, "hubctl cluster cordon ", tmp_path) == []  # no fleet here
    (example_fleet / "clusters" / "prod-eu-1.yaml").write_text("kind: Cluster\nspec: [\n")
    assert bash(bindir, "hubctl cluster cordon prod", example_fleet) == []
    (example_fleet / "clusters" / "prod-eu-1.yaml").unlink()
    (example_fleet / "clusters" / "prod-eu-1.yaml").symlink_to("/etc/passwd")  # out of the repository
    assert bash(bindir, "hubctl cluster cordon prod", example_fleet) == []
    (example_fleet / "hubctl.yaml").unlink()
    (example_fleet / "hubctl.yaml").mkdir()
    assert bash(bindir, "hubctl cluster cordon prod", example_fleet) == []


def test_a_malformed_request_is_quiet(bindir, tmp_path):
    env = {**_env(bindir), "_HUBCTL_COMPLETE": "complete_bash", "COMP_WORDS": "hubctl st", "COMP_CWORD": "x"}
    done = subprocess.run(["hubctl"], capture_output=True, text=True, env=env, timeout=TIMEOUT, cwd=tmp_path)
    assert done.returncode != 0 and done.stdout == "" and done.stderr == ""


def _need(shell: str) -> None:
    """Skip without the shell, except under CI=true, where `make test` installs it (install-shells.sh)."""
    if shutil.which(shell) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{shell} is not installed: tests/support/install-shells.sh should have installed it")
        pytest.skip(f"{shell} is not installed (apt-get install {shell}; CI=true make test installs it)")


def test_zsh_completes_fleet_names(bindir, example_fleet):
    _need("zsh")
    # `_arguments` is zsh's completion builtin: a stand-in prints what hubctl's answer hands to it
    program = ("compdef() { :; }\n" + script("zsh", bindir) + "\n_arguments() { print -r -- \"$@\"; }\n"
               "words=(hubctl cluster cordon prod-eu); CURRENT=4\n_hubctl_completion\n")
    done = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, cwd=example_fleet,
                          env=_env(bindir), timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == '*: :(("prod-eu-1" "prod-eu-2"))\n'


def test_fish_completes_commands_and_fleet_names(bindir, example_fleet):
    _need("fish")
    program = script("fish", bindir) + "\ncomplete -C 'hubctl cluster cordon prod-eu'\ncomplete -C 'hubctl pla'\n"
    done = subprocess.run(["fish", "--no-config", "-c", program], capture_output=True, text=True,
                          cwd=example_fleet, env=_env(bindir), timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    offered = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert offered == ["prod-eu-1", "prod-eu-2", "placement"], done.stdout
