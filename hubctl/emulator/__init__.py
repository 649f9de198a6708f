"""A hub on 127.0.0.1: the Kubernetes and Argo CD API subsets hubctl reads, fed from a Git repository.

    with running(repo="fleet", branch="main", speed=0.5) as hub:
        print(hub.url, hub.token)        # point a kubeconfig or --server at it

The Applications come from a pluggable `applications_at(commit_id) -> list[dict]`; the default expands
the committed ApplicationSets with hubctl.engines.appset (source.py). Over simulated time (`step()`, or a ticker
every `speed` seconds) each app moves OutOfSync -> Running -> Synced/Progressing -> Synced/Healthy at the
committed revision, and new commits on the branch start a new rollout. See docs/status.md.

The emulator layer (a test and demo tool; `hubctl hub emulate` starts it). May import: hubctl.adapters,
hubctl.engines and hubctl.base; never the use cases, the spec model or pygit2 (it reads Git through the
git adapter).
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from hubctl.emulator.faults import Faults
from hubctl.emulator.lifecycle import FINAL_STAGE, AppState, application
from hubctl.emulator.policy import (
    ControllerPolicy,
    allows_delete,
    allows_update,
    cascades,
    owner_of,
    workload_key,
)
from hubctl.emulator.store import Store
from hubctl.emulator.writes import Writes

DEFAULT_TOKEN = "hubctl-emulator-token"


class Emulator(Writes):
    """The emulated hub. Start it with `start()` or use it as a context manager."""

    def __init__(self, *, repo: str | None = None, branch: str = "main", path: str = "rendered",
                 applications_at: Callable[[str], list[dict]] | None = None,
                 applicationsets_at: Callable[[str], list[dict]] | None = None,
                 namespace: str = "argocd", token: str | None = DEFAULT_TOKEN,
                 users: dict[str, str] | None = None, speed: float = 1.0, faults: Faults | None = None,
                 clock: Callable[[], datetime] | None = None, auto: bool = True,
                 controller: ControllerPolicy | None = None):
        self.repo, self.branch, self.namespace, self.token = repo, branch, namespace, token
        self.path = path.strip("/")  # the render directory inside the repository (hubctl.yaml spec.repo.path)
        self.users = users if users is not None else {"admin": "admin-password"}
        self.speed, self.auto = speed, auto
        self.faults = faults or Faults()
        self.controller = controller or ControllerPolicy()
        self.store = Store()
        self._workloads: dict[str, str] = {}  # cluster/namespace/name on the spokes -> Application
        self.url = ""
        self._clock = clock or (lambda: datetime.now(UTC))
        self._applications_at = applications_at
        self._applicationsets_at = applicationsets_at
        self._states: dict[str, AppState] = {}
        self._released: set[str] = set()  # Applications whose ApplicationSet released them (no owner)
        self._sessions: set[str] = set()
        self._head: str | None = None
        self._lock = threading.RLock()
        self._server = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- authentication -------------------------------------------------------------------------
    def accepts(self, token: str | None) -> bool:
        """True when `token` may read; every token is accepted when the emulator has none."""
        return self.token is None or token == self.token or token in self._sessions

    def login(self, username: str, password: str) -> str | None:
        if username not in self.users or not secrets.compare_digest(self.users[username], password):
            return None
        token = f"session-{secrets.token_hex(16)}"
        self._sessions.add(token)
        return token

    # -- simulated Argo CD ------------------------------------------------------------------------
    def now(self) -> str:
        return self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")

    def head(self) -> str | None:
        """The commit the branch points to now, or None without a repository."""
        if not self.repo:
            return None
        from hubctl.adapters.git.repo import repository

        ref = repository(self.repo).references.get(f"refs/heads/{self.branch}")
        return str(ref.resolve().target) if ref is not None else None

    def refresh(self) -> bool:
        """Pick up a new commit on the branch; True when there was one."""
        commit = self.head()
        if commit is None or commit == self._head:
            return False
        self.sync_to(commit)
        return True

    def sync_to(self, commit: str) -> None:
        """Make the hub's Applications (and ApplicationSets) those of `commit`, rolling out from stage 0.

        With ApplicationSets known (the default source, or `applicationsets_at`), the controller's
        policies decide what is updated and deleted (policy.py); Applications of a flat `applications_at`
        without sets are mirrored: created, updated and deleted.
        """
        source = self._applications_at or self._default_source().applications_at
        manifests = {m["metadata"]["name"]: m for m in source(commit)}
        appsets = self._appsets_at(commit)
        with self._lock:
            self._head = commit
            if appsets is not None:
                self._release_orphans(appsets)
            for name in sorted(set(self._states) - set(manifests)):
                if self._may(allows_delete, self._states[name].manifest, appsets):
                    self._delete(name)
            self._released -= set(manifests)
            now = self.now()
            for name, manifest in sorted(manifests.items()):
                manifest["metadata"]["namespace"] = self.namespace
                state = self._states.get(name)
                if state is None:
                    state = self._states[name] = AppState(manifest, commit, created_at=now, health_since=now)
                # without update the Application keeps its spec but still tracks its branch
                keep = not self._may(allows_update, state.manifest, appsets)
                state.retarget(commit, state.manifest if keep else manifest, now)
                self._publish(state)
            if appsets is not None:
                self._store_appsets(appsets)

    def _may(self, allowed, manifest: dict, appsets: dict | None) -> bool:
        if manifest["metadata"]["name"] in self._released:
            return False  # no controller owns it any more: nothing updates or deletes it
        owner = owner_of(manifest)
        if appsets is None or owner is None or owner not in appsets:
            return True  # no sets known, not generated, or its set was pruned: garbage-collected
        return allowed(self.controller.effective(appsets[owner]))

    def _delete(self, name: str) -> None:
        self._released.discard(name)
        state = self._states.pop(name)
        self.store.delete("applications", self.namespace, name)
        if cascades(state.manifest) and self._workloads.get(workload_key(state.manifest)) == name:
            self._workloads.pop(workload_key(state.manifest), None)

    def workloads(self) -> list[str]:
        """What the Applications have put on the spokes and not removed: cluster/namespace/name."""
        with self._lock:
            return sorted(self._workloads)

    def _appsets_at(self, commit: str) -> dict[str, dict] | None:
        source = self._applicationsets_at
        if source is None and self._applications_at is None:
            source = self._default_source().applicationsets_at
        if source is None:
            return None
        return {a["metadata"]["name"]: a for a in source(commit)}

    def _store_appsets(self, wanted: dict[str, dict]) -> None:
        for old in self.store.objects("applicationsets"):
            if old["metadata"]["name"] not in wanted:
                self.store.delete("applicationsets", self.namespace, old["metadata"]["name"])
        for appset in wanted.values():
            appset["metadata"]["namespace"] = self.namespace
            self.store.put("applicationsets", appset)

    def _default_source(self):
        from hubctl.emulator.source import GitSource

        return GitSource(self.repo, render_dir=self.path, namespace=self.namespace)

    def seed(self, manifests: Iterable[dict], revision: str, stage: int = FINAL_STAGE) -> None:
        """Put Applications straight in (no repository), already at `stage` of rolling out `revision`."""
        now = self.now()
        with self._lock:
            self._head = revision
            for manifest in manifests:
                manifest["metadata"]["namespace"] = self.namespace
                state = AppState(manifest, revision, created_at=now, started_at=now, finished_at=now,
                                 health_since=now)
                while state.stage < stage and state.advance(now):
                    pass
                self._states[state.name] = state
                self._publish(state)

    def step(self, count: int = 1) -> int:
        """Advance every Application `count` stages (faults permitting); returns how many changed."""
        changed = 0
        for _ in range(count):
            with self._lock:
                now = self.now()
                changed += self._finish_deletions()
                for state in self._states.values():
                    state.fault = self.faults.app_fault(state.name)
                    if state.advance(now):
                        self._publish(state)
                        changed += 1
        return changed

    def settle(self) -> None:
        """Step until nothing moves: every app reaches its final state."""
        while self.step():
            pass

    def _publish(self, state: AppState) -> None:
        state.fault = self.faults.app_fault(state.name)
        if state.stage >= 2 and state.fault != "failed":
            self._workloads[workload_key(state.manifest)] = state.name
        self.store.put("applications", application(state, self.now()))

    # -- serving ------------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0, tls: tuple[str, str] | None = None) -> str:
        """Serve on host:port (0 = any free port) in background threads; returns the base URL.

        `tls` = (certificate file, key file) serves HTTPS, to exercise certificate verification.
        """
        from http.server import ThreadingHTTPServer

        from hubctl.emulator.server import Handler

        if self.repo:
            self.refresh()
        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._server.emulator = self
        self._server.handle_error = _quiet_on_hang_up(self._server.handle_error)
        scheme = "http"
        if tls is not None:
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://{host}:{self._server.server_address[1]}"
        self._spawn(lambda: self._server.serve_forever(poll_interval=0.05))
        if self.auto:
            self.start_clock()
        return self.url

    def start_clock(self, speed: float | None = None) -> None:
        """Let simulated time run: every `speed` seconds pick up new commits and step once."""
        self.speed = speed or self.speed
        self._spawn(self._tick_forever)

    def _spawn(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True, name="hubctl-emulator")
        thread.start()
        self._threads.append(thread)

    def _tick_forever(self) -> None:
        while not self._stop.wait(self.speed):
            self.refresh()
            self.step()

    def stop(self) -> None:
        self._stop.set()
        self.store.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> Emulator:
        if not self.url:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _quiet_on_hang_up(report):
    """The server's error report, silent for a client that hung up (a deadline, a retry): no hub prints that."""
    import sys

    def handle_error(request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            report(request, client_address)

    return handle_error


@contextlib.contextmanager
def running(**kwargs) -> Iterator[Emulator]:
    """An emulator serving on 127.0.0.1 for the duration of the block (`.url`, `.token`)."""
    emulator = Emulator(**kwargs)
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def kubeconfig(url: str, token: str | None, namespace: str = "argocd", context: str = "emulator") -> dict:
    """A kubeconfig document pointing at the emulator (write it with yamlio.dump or json)."""
    user = {"token": token} if token else {}
    return {
        "apiVersion": "v1", "kind": "Config", "current-context": context,
        "clusters": [{"name": "emulator", "cluster": {"server": url}}],
        "users": [{"name": "hubctl-ci", "user": user}],
        "contexts": [{"name": context, "context": {"cluster": "emulator", "user": "hubctl-ci",
                                                   "namespace": namespace}}],
    }
