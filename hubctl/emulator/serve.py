"""Run the emulator in the foreground (for `hubctl hub emulate` and `python -m hubctl.emulator`)."""

from __future__ import annotations

import os
import shlex
import signal
import tempfile
import threading
from pathlib import Path

CONTEXT = "hubctl-emulator"  # the context of the kubeconfig it writes: what it may overwrite


def serve_until_interrupted(repo: str, branch: str, port: int, namespace: str, speed: float,
                            faults: list[str], announce=None, path: str = "rendered",
                            kubeconfig: str | None = None) -> int:
    """Serve on 127.0.0.1:port until Ctrl-C or SIGTERM; `announce(text)` is told the URL once, with a
    ready-to-run `hubctl status` command. With `kubeconfig`, a kubeconfig for the emulator is written there
    (0600) and the token is not announced.

    Raises:
        UsageError: `kubeconfig` names a file this command did not write (it is never overwritten).
    """
    from hubctl.emulator import Emulator
    from hubctl.emulator.faults import Faults

    if kubeconfig:
        check_overwritable(Path(kubeconfig))
    emulator = Emulator(repo=repo, branch=branch, path=path, namespace=namespace, speed=speed,
                        faults=Faults.parse(faults))
    url = emulator.start(port=port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # set explicitly: a background job inherits SIGINT ignored;
        # before the announcement: a caller may signal as soon as it reads the URL
        signal.signal(signum, lambda *_: stop.set())
    try:
        if kubeconfig:
            write_kubeconfig(Path(kubeconfig), url, emulator.token, namespace)
        (announce or print)(announcement(repo, url, namespace, emulator.token, kubeconfig))
    except BaseException:
        emulator.stop()
        raise
    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


def announcement(repo: str, url: str, namespace: str, token: str | None, kubeconfig: str | None) -> str:
    """What the emulator says on start: where it is, and the `hubctl status` command that reads it."""
    words = ["hubctl", "status"]
    if (Path(repo) / "hubctl.yaml").is_file():  # the fleet repository itself: status can run against it
        words += ["-C", str(Path(repo).resolve())]
    if namespace != "argocd":
        words += ["--namespace", namespace]
    if kubeconfig:
        where = Path(kubeconfig).resolve()
        lines = [f"hub emulator on {url} (namespace {namespace}); kubeconfig written to {where} "
                 f"(context {CONTEXT}). Ctrl-C stops."]
        lines += inside_repository_warning(where)
        command = shlex.join([*words, "--kubeconfig", str(where)])
    else:
        lines = [f"hub emulator on {url} (namespace {namespace}); token in HUBCTL_ARGOCD_TOKEN form: {token}",
                 f"kubeconfig: server {url}, bearer token as above (or pass --kubeconfig FILE). Ctrl-C stops."]
        command = shlex.join([*words, "--server", url])
        command = f"HUBCTL_ARGOCD_TOKEN={shlex.quote(token)} {command}" if token else command
    return "\n".join([*lines, f"status: {command}"])


def inside_repository_warning(path: Path) -> list[str]:
    from hubctl.adapters.hub.trust import repository_root

    top = repository_root(path.parent)
    if not (top / ".git").exists():
        return []
    return [f"warning: {path} is inside the git repository {top}: keep it out of commits (add it to .gitignore)"]


def check_overwritable(path: Path) -> None:
    """Refuse to replace a file that is not a kubeconfig this command wrote (say, ~/.kube/config).

    Raises:
        UsageError: naming the file.
    """
    import yaml

    from hubctl.adapters.hub.trust import read_local_file
    from hubctl.base.errors import UsageError

    if not os.path.lexists(path):
        return
    try:
        doc = yaml.safe_load(read_local_file(path, "--kubeconfig"))
    except yaml.YAMLError:
        doc = None
    if not (isinstance(doc, dict) and doc.get("current-context") == CONTEXT and len(doc.get("clusters") or []) == 1):
        raise UsageError(f"--kubeconfig {path} exists and is not a kubeconfig hubctl hub emulate wrote; "
                         "it is left as it is", hint="name a new file (e.g. emulator.kubeconfig)")


def write_kubeconfig(path: Path, url: str, token: str | None, namespace: str) -> None:
    """The emulator's kubeconfig at `path`: readable by its owner only, replaced atomically."""
    from hubctl.emulator import kubeconfig
    from hubctl.engines.yaml.yamlio import dump

    data = dump(kubeconfig(url, token, namespace, context=CONTEXT)).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)  # as kubectl does for ~/.kube
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
