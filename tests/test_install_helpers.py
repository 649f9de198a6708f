"""The installers `make test` runs (tests/support/install-*.sh) and the helper they share (tests/support/apt.sh).

They are run with the real sh; nothing here installs anything: the paths that would (CI=true, root, apt-get)
are reached only with a PATH that has no apt-get, or where the tool is already installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SUPPORT = Path(__file__).resolve().parent / "support"
SH = shutil.which("sh")
pytestmark = pytest.mark.skipif(SH is None, reason="no POSIX sh")


def sh(script: str, *, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([SH, "-c", script, "sh"], env=env, capture_output=True, text=True, timeout=60,
                          cwd=SUPPORT)


def test_without_ci_nothing_may_be_installed_and_the_message_says_which_tests_skip():
    env = {"PATH": os.environ["PATH"]}
    done = sh('. ./apt.sh; apt_may_install install-x "x is not installed" "the x tests"', env=env)
    assert done.returncode == 1
    assert done.stderr == ("install-x: x is not installed; the x tests will skip "
                           "(CI=true installs what they need, as root on Debian)\n")


def test_under_ci_without_apt_get_the_message_says_the_tests_will_fail(tmp_path):
    bin_dir = tmp_path / "bin"  # `id` and nothing else: no apt-get
    bin_dir.mkdir()
    (bin_dir / "id").symlink_to(shutil.which("id"))
    env = {"PATH": str(bin_dir), "CI": "true"}
    done = sh('. ./apt.sh; apt_may_install install-x "x is not installed" "the x tests"', env=env)
    assert done.returncode == 1
    assert done.stderr == "install-x: x is not installed and this is not a root Debian machine: the x tests will fail\n"


@pytest.mark.parametrize(("script", "present"), [
    ("install-sshd.sh", lambda: shutil.which("sshd") or Path("/usr/sbin/sshd").exists()),
    ("install-shells.sh", lambda: shutil.which("zsh") and shutil.which("fish")),
])
def test_an_installer_whose_tool_is_there_does_nothing_even_under_ci(script, present):
    if not present():
        pytest.skip(f"{script}'s tool is not installed here: running it under CI=true would install it")
    done = subprocess.run([SH, str(SUPPORT / script)], env={"PATH": os.environ["PATH"], "CI": "true"},
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.parametrize("script", ["install-sshd.sh", "install-go.sh", "install-shells.sh"])
def test_an_installer_never_fails_and_changes_nothing_without_ci(script):
    done = subprocess.run([SH, str(SUPPORT / script)], env={"PATH": os.environ["PATH"]},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout == ""
    assert done.stderr == "" or "will skip (CI=true installs what they need" in done.stderr
