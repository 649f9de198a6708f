"""`hubctl hub emulate` serves the Argo CD API on loopback until interrupted."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request

import pygit2
import pytest


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_emulate_serves_until_interrupted(tmp_path, signum):
    pygit2.init_repository(str(tmp_path / "deploy.git"), bare=True)
    proc = subprocess.Popen([sys.executable, "-m", "hubctl", "hub", "emulate", "--repo", str(tmp_path / "deploy.git"),
                             "--port", "0"], stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))  # as in a CI job
    try:
        line = proc.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        request = urllib.request.Request(f"{url}/api/v1/applications",
                                         headers={"Authorization": "Bearer hubctl-emulator-token"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["items"] == []
    finally:
        proc.send_signal(signum)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0
