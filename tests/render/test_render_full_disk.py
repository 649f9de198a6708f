"""A render the file system refuses midway (a full disk, a quota, a file-size limit): a clear error with
the file named and exit 12, never a traceback, and nothing half-written taken for finished.

A real process under RLIMIT_FSIZE stands in for a full disk: the kernel refuses every write past the limit
with EFBIG, as it refuses one past the free space with ENOSPC, and hubctl treats the two alike.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support.tree import snapshot

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 2048  # bytes: the journal fits, the bigger manifests do not


def hubctl_process(*args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    def restrict():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write is an error, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "HUBCTL_NO_FORK": "1"}
    return subprocess.run([sys.executable, "-m", "hubctl", *args], capture_output=True, text=True, env=env,
                          preexec_fn=restrict if limit else None, timeout=300)


@pytest.fixture
def rendered_fleet(example_fleet):
    assert hubctl_process("render", "-C", str(example_fleet)).returncode == 0
    return example_fleet


def test_a_render_the_disk_refuses_is_exit_12_and_marked_until_the_next_render(rendered_fleet):
    out = rendered_fleet / "rendered"
    before = snapshot(out)
    for flow in (rendered_fleet / "flows").glob("*.yaml"):  # every flow changes: many large files to write
        flow.write_text(flow.read_text().replace("replicas: 2", "replicas: 5").replace("replicas: 3", "replicas: 4"))

    refused = hubctl_process("render", "-C", str(rendered_fleet), limit=LIMIT)

    assert refused.returncode == 12, refused.stderr
    assert "File too large" in refused.stderr and str(rendered_fleet) in refused.stderr
    assert "Traceback" not in refused.stderr and "internal error" not in refused.stderr
    # every byte goes to temporary files first (phase 1), so a refused write leaves the previous render as
    # it was: no new file, no temporary file, no journal
    assert snapshot(out) == before
    assert not (out / ".hubctl-render-journal").exists()

    assert hubctl_process("render", "-C", str(rendered_fleet)).returncode == 0
    assert hubctl_process("render", "-C", str(rendered_fleet), "--check").returncode == 0
    assert snapshot(out) != before
