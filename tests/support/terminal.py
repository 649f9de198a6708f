"""Run hubctl as a user does: in a real pseudo-terminal of a given width, or through a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds: a hung child fails the test instead of the run


@dataclass
class Ran:
    code: int
    out: str
    err: str = ""


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT)
    env["TERM"] = "xterm-256color"
    env.update(extra or {})
    return env


def in_terminal(*args, columns: int = 80, env: dict[str, str] | None = None, cwd=None) -> Ran:
    """`python -m hubctl ARGS` with stdin, stdout and stderr on one pty `columns` wide; `out` holds both."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "hubctl", *map(str, args)], stdin=slave, stdout=slave,
                            stderr=slave, env=_env(env), cwd=cwd, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=TIMEOUT)
    return Ran(code, b"".join(chunks).decode().replace("\r\n", "\n"))


def piped(*args, env: dict[str, str] | None = None, cwd=None) -> Ran:
    """`python -m hubctl ARGS` with stdout and stderr on pipes, as in `hubctl ... | grep`."""
    done = subprocess.run([sys.executable, "-m", "hubctl", *map(str, args)], capture_output=True, text=True,
                          env=_env(env), cwd=cwd, timeout=TIMEOUT)
    return Ran(done.returncode, done.stdout, done.stderr)
