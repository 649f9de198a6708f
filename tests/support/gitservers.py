"""Real git servers on 127.0.0.1 for tests, and an independent reader of pushed trees (the git CLI).

- bare_repo(path): `git init --bare`, optionally with a pre-receive hook protecting branches.
- GitDaemon(base): `git daemon` with receive-pack enabled, on a free port.
- SmartHttpServer(root, users): `git http-backend` behind http.server, with HTTP basic auth.
- SshServer(workdir, clients): OpenSSH's sshd as the current user, with its own host key and authorized keys;
  ssh_keypair(path) makes keys for it, SshAgent(socket, keys) an ssh-agent holding some.
- read_tree(bare, ref, prefix): {path: bytes} under prefix at ref, read with `git ls-tree` + `git cat-file`.

All need only Debian's `git` package (git daemon and git http-backend ship with it), except SshServer:
openssh-server, which tests/support/install-sshd.sh installs under CI=true (`make test` runs it);
`require_sshd()` skips an ssh test that cannot run, saying why, or fails it under CI=true.
"""

from __future__ import annotations

import base64
import os
import pwd
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

GIT = shutil.which("git") or "git"
# sshd lives in /usr/sbin, which a developer's PATH may lack
SSHD = shutil.which("sshd") or next((path for path in ("/usr/sbin/sshd", "/usr/local/sbin/sshd")
                                      if os.access(path, os.X_OK)), None)
SSH_KEYGEN = shutil.which("ssh-keygen")
_ISOLATED_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(*args: str, cwd: str | os.PathLike | None = None, input: bytes | None = None) -> bytes:
    """Run the git CLI (tests only) and return stdout; raise with stderr on failure."""
    env = {**os.environ, **_ISOLATED_ENV}
    done = subprocess.run([GIT, *args], cwd=cwd, input=input, capture_output=True, env=env)
    if done.returncode:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def bare_repo(path: str | os.PathLike, *, protected: tuple[str, ...] = ()) -> Path:
    """Create a bare repository; pushes to `protected` branches are refused by a pre-receive hook."""
    path = Path(path)
    git("init", "--quiet", "--bare", "--initial-branch=main", str(path))
    git("--git-dir", str(path), "config", "http.receivepack", "true")
    if protected:
        hook = path / "hooks" / "pre-receive"
        refs = " ".join(f"refs/heads/{name}" for name in protected)
        hook.write_text("#!/bin/sh\n"
                        "while read old new ref; do\n"
                        f"  for p in {refs}; do\n"
                        '    if [ "$ref" = "$p" ]; then\n'
                        '      echo "protected branch: direct pushes to $ref are not allowed" >&2\n'
                        "      exit 1\n"
                        "    fi\n"
                        "  done\n"
                        "done\n")
        hook.chmod(0o755)
    return path


def read_tree(git_dir: str | os.PathLike, ref: str, prefix: str) -> dict[str, bytes]:
    """Every file under `prefix` at `ref`, keyed by path relative to the prefix, read by the git CLI."""
    listing = git("--git-dir", str(git_dir), "ls-tree", "-r", "-z", ref, "--", prefix)
    entries = [item.split(b"\t", 1) for item in listing.split(b"\0") if item]
    ids = [meta.split()[2].decode() for meta, _path in entries]
    contents = _cat_blobs(git_dir, ids)
    cut = len(prefix.rstrip("/")) + 1
    return {path.decode()[cut:]: contents[oid] for (_meta, path), oid in zip(entries, ids, strict=True)}


def _cat_blobs(git_dir, ids: list[str]) -> dict[str, bytes]:
    out = git("--git-dir", str(git_dir), "cat-file", "--batch", input="".join(f"{i}\n" for i in ids).encode())
    blobs, pos = {}, 0
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        oid, _kind, size = out[pos:header_end].decode().split()
        start = header_end + 1
        blobs[oid] = out[start : start + int(size)]
        pos = start + int(size) + 1
    return blobs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class GitDaemon:
    """`git daemon` serving every repository under `base` on git://127.0.0.1:<port>/, push enabled."""

    def __init__(self, base: str | os.PathLike):
        self.base = Path(base)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"

    def __enter__(self) -> GitDaemon:
        self.process = subprocess.Popen(
            [GIT, "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={self.port}", "--export-all",
             "--enable=receive-pack", f"--base-path={self.base}", str(self.base)],
            env={**os.environ, **_ISOLATED_ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


class SmartHttpServer:
    """`git http-backend` as CGI behind a ThreadingHTTPServer, with basic auth for `users` {name: password}.

    Without users, no auth is asked. Repositories are served from `root` at http://127.0.0.1:<port>/<name>.
    """

    def __init__(self, root: str | os.PathLike, users: dict[str, str] | None = None):
        self.root = Path(root)
        self.users = dict(users or {})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def __enter__(self) -> SmartHttpServer:
        self.thread.start()
        wait_for_port(self.port)
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def _handler(owner: SmartHttpServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            body = self._read_body()
            user = self._authenticated_user()
            if user is None:
                self._reply(401, {"WWW-Authenticate": 'Basic realm="hubctl-test"', "Connection": "close"},
                            b"authentication required\n")
                return
            self._run_backend(body, user)

        def _read_body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _authenticated_user(self) -> str | None:
            if not owner.users:
                return ""
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return None
            user, _, password = base64.b64decode(header[6:]).decode(errors="replace").partition(":")
            return user if owner.users.get(user) == password else None

        def _run_backend(self, body: bytes, user: str) -> None:
            path, _, query = self.path.partition("?")
            env = {**os.environ, **_ISOLATED_ENV, "GIT_PROJECT_ROOT": str(owner.root),
                   "GIT_HTTP_EXPORT_ALL": "1", "REMOTE_USER": user or "anonymous", "REMOTE_ADDR": "127.0.0.1",
                   "PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": self.command,
                   "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
                   "GATEWAY_INTERFACE": "CGI/1.1", "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
                   "GIT_PROTOCOL": self.headers.get("Git-Protocol", "")}
            done = subprocess.run([GIT, "http-backend"], input=body, capture_output=True, env=env)
            head, _, payload = done.stdout.partition(b"\r\n\r\n")
            if not _:
                head, _, payload = done.stdout.partition(b"\n\n")
            headers, status = {}, 200
            for line in head.decode(errors="replace").splitlines():
                key, _, value = line.partition(":")
                if key.lower() == "status":
                    status = int(value.split()[0])
                elif key:
                    headers[key.strip()] = value.strip()
            self._reply(status, headers, payload)

        def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            if headers.get("Connection") == "close":
                self.close_connection = True

    return Handler


def require_sshd() -> None:
    """Skip the calling test when sshd cannot run here; under CI=true fail it instead (CI installs sshd,
    so a skip there would hide the ssh and host key tests)."""
    import pytest

    if reason := sshd_missing():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def sshd_missing() -> str | None:
    """Why SshServer cannot run on this machine, or None when it can."""
    import pygit2
    from pygit2.enums import Feature

    if SSHD is None or SSH_KEYGEN is None:
        return ("OpenSSH's sshd is not installed: install openssh-server (`CI=true make test` as root on "
                "Debian installs it through tests/support/install-sshd.sh)")
    if not pygit2.features & Feature.SSH:
        return "this pygit2 was built without ssh support"
    return None


def ssh_keypair(path: str | os.PathLike, passphrase: str = "") -> Path:
    """A new ed25519 key pair, `path` and `path`.pub, made by ssh-keygen; returns the private key's path."""
    path = Path(path)
    done = subprocess.run([SSH_KEYGEN or "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", path.name,
                           "-f", str(path)], capture_output=True, stdin=subprocess.DEVNULL)
    if done.returncode:
        raise AssertionError(f"ssh-keygen failed: {done.stderr.decode(errors='replace')}")
    return path


class SshServer:
    """OpenSSH's sshd on 127.0.0.1:<port>, run as the current user from `workdir`: its own host key,
    sshd_config, pid file and log, and an authorized_keys file holding the public keys `clients` (.pub files).

    Logins run git-upload-pack and git-receive-pack from sshd's default PATH, on a repository named by its
    absolute path: url(repo) is ssh://<user>@127.0.0.1:<port>/<path>.
    """

    def __init__(self, workdir: str | os.PathLike, clients: Iterable[str | os.PathLike]):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.user = pwd.getpwuid(os.getuid()).pw_name
        self.host_key = ssh_keypair(self.workdir / "host_ed25519")
        (self.workdir / "authorized_keys").write_text("".join(Path(key).read_text() for key in clients))
        self.log = self.workdir / "sshd.log"
        self.process: subprocess.Popen | None = None

    def url(self, repo: str | os.PathLike) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}{Path(repo).resolve()}"

    def known_hosts_line(self) -> str:
        """This server's line for a known_hosts file."""
        kind, key = (self.workdir / "host_ed25519.pub").read_text().split()[:2]
        return f"[127.0.0.1]:{self.port} {kind} {key}\n"

    def __enter__(self) -> SshServer:
        config = self._write_config()
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # root's sshd drops privileges there
        check = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, stdin=subprocess.DEVNULL)
        if check.returncode:
            raise AssertionError(f"sshd refuses its config: {check.stderr.decode(errors='replace')}")
        self.process = subprocess.Popen([SSHD, "-D", "-f", str(config), "-E", str(self.log)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        try:
            wait_for_port(self.port)
        except OSError:
            self.__exit__()
            raise AssertionError(f"sshd did not start listening: {self.log.read_text()}") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _write_config(self) -> Path:
        config = self.workdir / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\n"
            f'HostKey "{self.host_key}"\nPidFile "{self.workdir / "sshd.pid"}"\n'
            f'AuthorizedKeysFile "{self.workdir / "authorized_keys"}"\n'
            f"AllowUsers {self.user}\nAuthenticationMethods publickey\nPubkeyAuthentication yes\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
            # not a system daemon: no PAM, and keys in a temporary directory whatever its permissions
            "UsePAM no\nStrictModes no\n"
            "PermitTTY no\nX11Forwarding no\nAllowTcpForwarding no\nAllowAgentForwarding no\nPrintMotd no\n"
            "LogLevel ERROR\n")
        return config


class SshAgent:
    """`ssh-agent` listening on `socket`, holding the private keys `keys` (added with ssh-add)."""

    def __init__(self, socket_path: str | os.PathLike, keys: Iterable[str | os.PathLike]):
        self.socket = Path(socket_path)
        self.keys = [Path(key) for key in keys]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> SshAgent:
        self.process = subprocess.Popen([shutil.which("ssh-agent") or "ssh-agent", "-D", "-a", str(self.socket)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise AssertionError("ssh-agent did not start")
            time.sleep(0.02)
        env = {**os.environ, "SSH_AUTH_SOCK": str(self.socket)}
        for key in self.keys:
            subprocess.run([shutil.which("ssh-add") or "ssh-add", "-q", str(key)], env=env, check=True,
                           capture_output=True, stdin=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
