"""Run the emulator in the foreground (for `hubctl hub emulate` and `python -m hubctl.hub.emulator`)."""

from __future__ import annotations

import signal
import threading


def serve_until_interrupted(repo: str, branch: str, port: int, namespace: str, speed: float,
                            faults: list[str], announce=None, path: str = "rendered") -> int:
    """Serve on 127.0.0.1:port until Ctrl-C or SIGTERM; `announce(text)` is told the URL and token once."""
    from hubctl.hub.emulator import Emulator
    from hubctl.hub.emulator.faults import Faults

    emulator = Emulator(repo=repo, branch=branch, path=path, namespace=namespace, speed=speed,
                        faults=Faults.parse(faults))
    url = emulator.start(port=port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # set explicitly: a background job inherits SIGINT ignored;
        # before the announcement: a caller may signal as soon as it reads the URL
        signal.signal(signum, lambda *_: stop.set())
    (announce or print)(f"hub emulator on {url} (namespace {namespace}); token in HUBCTL_ARGOCD_TOKEN form: "
                        f"{emulator.token}\nkubeconfig: server {url}, bearer token as above. Ctrl-C stops.")
    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0
