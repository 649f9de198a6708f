"""`hubctl status` across several hubs, and failover end to end, against emulated hubs on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.multihub.conftest import git, start_emulator, write_kubeconfig
from tests.support.multihub import US_CLUSTERS


def status(hubctl, repo, config, *args):
    result = hubctl("-C", repo, "status", "--kubeconfig", config, *args)
    assert "Traceback" not in result.err
    return result


def by_hub(doc) -> dict:
    return {h["hub"]: h for h in doc["hubs"]}


def test_status_reads_every_active_hub_with_its_own_context(hubctl, multihub_repo, emulated_hubs):
    hubs, config, _ = emulated_hubs

    result = status(hubctl, multihub_repo, config, "--wait", "--timeout", "2m", "-o", "json")

    assert result.code == 0, result.out + result.err
    doc = json.loads(result.out)
    assert (doc["kind"], doc["result"], doc["exitCode"]) == ("FleetStatus", "done", 0)
    answers = by_hub(doc)
    assert sorted(answers) == ["platform-hub", "us-hub"]  # the passive standby is not asked
    us = {app["cluster"] for app in answers["us-hub"]["applications"]}
    assert us == set(US_CLUSTERS) - {"dev-us-lab"}  # the lab cluster carries no placement
    assert not us & {app["cluster"] for app in answers["platform-hub"]["applications"]}
    assert hubs["us-hub"].token not in result.out + result.err


def test_a_hub_that_is_down_leaves_the_others_answer_and_exits_partial(hubctl, multihub_repo, emulated_hubs):
    hubs, config, _ = emulated_hubs
    assert status(hubctl, multihub_repo, config, "--wait", "--timeout", "2m").code == 0
    hubs["us-hub"].stop()

    result = status(hubctl, multihub_repo, config, "-o", "json")

    assert result.code == 13
    answers = by_hub(json.loads(result.out))
    assert answers["platform-hub"]["result"] == "done" and answers["platform-hub"]["summary"]["done"] > 0
    assert answers["us-hub"]["result"] == "unreachable" and answers["us-hub"]["exitCode"] == 6
    text = status(hubctl, multihub_repo, config)
    assert text.code == 13
    assert "hub us-hub: not read:" in text.out and "fleet: 1/2 hubs read: partial" in text.out


class Liar(BaseHTTPRequestHandler):
    """A 'hub' that answers every list with Applications of the wrong shape."""

    def do_GET(self):  # noqa: N802 - http.server's name
        body = json.dumps({"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationList",
                           "metadata": {"resourceVersion": "1"}, "items": [{"metadata": 7, "spec": []}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_lying_hub_is_reported_as_such_and_the_other_answer_kept(hubctl, multihub_repo, emulated_hubs, tmp_path):
    hubs, _, _ = emulated_hubs
    liar = ThreadingHTTPServer(("127.0.0.1", 0), Liar)
    threading.Thread(target=liar.serve_forever, daemon=True).start()
    try:
        class Fake:
            url, token = f"http://127.0.0.1:{liar.server_address[1]}", "liar-token"

        config = write_kubeconfig(tmp_path / "lying", {**hubs, "us-hub": Fake})
        assert status(hubctl, multihub_repo, config, "--wait", "--hub", "platform-hub", "--timeout", "2m").code == 0

        result = status(hubctl, multihub_repo, config, "-o", "json")
    finally:
        liar.shutdown()
        liar.server_close()

    assert result.code == 13
    answers = by_hub(json.loads(result.out))
    assert answers["platform-hub"]["result"] == "done"
    assert answers["us-hub"]["result"] == "unreachable" and "malformed" in answers["us-hub"]["error"]


def test_one_connection_flag_for_several_hubs_is_a_usage_error(hubctl, multihub_repo, emulated_hubs):
    _, config, _ = emulated_hubs
    result = status(hubctl, multihub_repo, config, "--context", "us-hub")
    assert result.code == 2 and "pass --hub NAME" in result.err
    assert status(hubctl, multihub_repo, config, "--hub", "us-hbu").code == 2


def test_fail_over_to_the_standby_with_the_primary_gone_then_fail_back(hubctl, multihub_repo, emulated_hubs,
                                                                         tmp_path):
    hubs, config, started = emulated_hubs
    repo = multihub_repo
    assert status(hubctl, repo, config, "--wait", "--timeout", "2m").code == 0
    hubs["us-hub"].stop()  # the primary is gone

    dry = hubctl("-C", repo, "hub", "failover", "us-hub", "--to", "us-standby", "--dry-run")
    assert dry.code == 0, dry.err
    assert "hub us-hub -> us-standby: 4 clusters (dev-us-lab, prod-us-1, prod-us-2, staging-us-1)" in dry.out
    assert "+    active: true" in dry.out
    assert hubctl("-C", repo, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    assert hubctl("-C", repo, "render").code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fail over us-hub to us-standby")

    result = status(hubctl, repo, config, "--wait", "--timeout", "2m", "-o", "json")

    assert result.code == 0, result.out + result.err
    answers = by_hub(json.loads(result.out))
    assert sorted(answers) == ["platform-hub", "us-standby"]
    assert {app["cluster"] for app in answers["us-standby"]["applications"]} == set(US_CLUSTERS) - {"dev-us-lab"}
    assert all(app["state"] == "done" for app in answers["us-standby"]["applications"])

    # the primary is back (rebuilt): fail back, and it manages its clusters again
    hubs["us-hub"] = start_emulator(repo, "us-hub")
    started.append(hubs["us-hub"])
    config = write_kubeconfig(tmp_path / "back", hubs)
    assert hubctl("-C", repo, "hub", "failback", "us-standby", "--to", "us-hub").code == 0
    assert hubctl("-C", repo, "render").code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fail back to us-hub")

    back = status(hubctl, repo, config, "--wait", "--timeout", "2m", "-o", "json")

    assert back.code == 0, back.out + back.err
    assert sorted(by_hub(json.loads(back.out))) == ["platform-hub", "us-hub"]


def test_prune_of_a_rolled_out_fleet_of_several_hubs_deletes_nothing(hubctl, multihub_repo, emulated_hubs):
    hubs, config, _ = emulated_hubs
    assert status(hubctl, multihub_repo, config, "--wait", "--timeout", "2m").code == 0
    before = {name: len(hub.store.objects("applications")) for name, hub in hubs.items()}

    result = hubctl("-C", multihub_repo, "prune", "--kubeconfig", config)

    assert result.code == 0, result.out + result.err
    assert "hub us-hub: no orphaned Applications" in result.out and "fleet: 2/2 hubs pruned" in result.out
    assert before == {name: len(hub.store.objects("applications")) for name, hub in hubs.items()}
    assert before["us-hub"] > 0


def test_argocd_source_uses_each_hubs_server_and_its_own_token(hubctl, multihub_repo, monkeypatch):
    from hubctl.emulator import Emulator
    from tests.support.multihub import edit

    hubs = {name: Emulator(repo=str(multihub_repo), branch="main", path=f"rendered/{name}", auto=True, speed=0.02,
                           token=f"token-of-{name}") for name in ("platform-hub", "us-hub")}
    try:
        for hub in hubs.values():
            hub.start()
        edit(multihub_repo / "hubctl.yaml", "    project: hub-admin\n",
             f"    project: hub-admin\n    server: {hubs['platform-hub'].url}\n")
        edit(multihub_repo / "hubs" / "us-hub.yaml", "    namespace: argocd\n",
             f"    namespace: argocd\n    server: {hubs['us-hub'].url}\n")
        monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN_PLATFORM_HUB", "token-of-platform-hub")
        monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN_US_HUB", "token-of-us-hub")
        for name, hub in hubs.items():  # the runner pins where each hub's token may go
            monkeypatch.setenv("HUBCTL_ARGOCD_SERVER_" + name.upper().replace("-", "_"), hub.url + "/")
        monkeypatch.delenv("HUBCTL_ARGOCD_TOKEN", raising=False)

        result = hubctl("-C", multihub_repo, "status", "--source", "argocd", "--wait", "--timeout", "2m",
                        "--revision", "HEAD", "-o", "json")

        assert result.code == 0, result.out + result.err
        assert sorted(by_hub(json.loads(result.out))) == ["platform-hub", "us-hub"]
        assert "token-of-" not in result.out + result.err  # never printed

        monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN_US_HUB", "token-of-platform-hub")  # the wrong hub's token
        wrong = hubctl("-C", multihub_repo, "status", "--source", "argocd", "--revision", "HEAD", "-o", "json")

        assert wrong.code == 13
        answers = by_hub(json.loads(wrong.out))
        assert answers["us-hub"]["result"] == "unreachable" and answers["platform-hub"]["result"] == "done"
        assert "token-of-" not in wrong.out + wrong.err
    finally:
        for hub in hubs.values():
            hub.stop()


def test_a_hub_server_named_only_by_the_specs_gets_no_credential(hubctl, multihub_repo, monkeypatch):
    """A pull request can change spec.argocd.server; status run on its checkout must not send the runner's
    token there. The token goes only to a server the runner pins ($HUBCTL_ARGOCD_SERVER_<HUB> or --server)."""
    import http.server
    import threading

    from tests.support.multihub import edit

    seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seen.append(self.headers.get("Authorization", "") + self.headers.get("Cookie", ""))
            self.send_response(401)
            self.end_headers()

        def log_message(self, *args):
            pass

    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{attacker.server_address[1]}"
    try:
        edit(multihub_repo / "hubs" / "us-hub.yaml", "    namespace: argocd\n",
             f"    namespace: argocd\n    server: {url}\n")
        monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN_US_HUB", "secret-token-of-us-hub")
        monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "secret-generic-token")
        monkeypatch.delenv("HUBCTL_ARGOCD_SERVER_US_HUB", raising=False)

        result = hubctl("-C", multihub_repo, "status", "--source", "argocd", "--hub", "us-hub", "--revision", "HEAD")

        assert result.code == 2, result.out + result.err
        assert "HUBCTL_ARGOCD_SERVER_US_HUB" in result.err and url in result.err
        assert seen == []  # not one request, so no token
        assert "secret-" not in result.out + result.err

        monkeypatch.setenv("HUBCTL_ARGOCD_SERVER_US_HUB", "https://argocd.us.example.com")  # pinned elsewhere
        differs = hubctl("-C", multihub_repo, "status", "--source", "argocd", "--hub", "us-hub", "--revision", "HEAD")

        assert differs.code == 2 and "https://argocd.us.example.com" in differs.err, differs.err
        assert seen == []
        for command in (["hub", "release", "us-hub", "--source", "argocd", "--dry-run"],):
            assert hubctl("-C", multihub_repo, *command).code == 2
        assert seen == []
    finally:
        attacker.shutdown()


@pytest.fixture
def held_back(multihub_repo, tmp_path):
    """(hubs, kubeconfig): platform-hub rolls out on its own; us-hub has picked up the commit but moves only
    when the test steps it, so a wait across both can only end after the test lets us-hub go."""
    from hubctl.emulator import Emulator
    from tests.multihub.conftest import start_emulator, write_kubeconfig

    platform = start_emulator(multihub_repo, "platform-hub")
    held = Emulator(repo=str(multihub_repo), branch="main", path="rendered/us-hub", auto=False)
    held.start()
    hubs = {"platform-hub": platform, "us-hub": held}
    try:
        yield hubs, write_kubeconfig(tmp_path / "kubeconfig", hubs)
    finally:
        for hub in hubs.values():
            hub.stop()


def waiting(repo, config, err_path):
    """`hubctl status --wait` in a child process, its stdout a pipe read line by line (no terminal)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PYTHONUNBUFFERED": "1"}
    with err_path.open("w") as err:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "hubctl", "-C", str(repo), "status", "--wait", "--timeout",
                                 "2m", "--progress-interval", "1s", "--kubeconfig", str(config)],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=env)


def read_until(proc, prefix: str) -> list[str]:
    lines = []
    for line in proc.stdout:  # bounded by --timeout: the wait ends by itself at the latest
        lines.append(line)
        if line.startswith(prefix):
            break
    return lines


def test_a_hub_that_refuses_is_reported_at_once_while_the_others_are_waited_for(multihub_repo, tmp_path):
    from hubctl.emulator import Emulator

    held = Emulator(repo=str(multihub_repo), branch="main", path="rendered/platform-hub", auto=False)
    refusing = start_emulator(multihub_repo, "us-hub")
    held.start()
    hubs = {"platform-hub": held, "us-hub": refusing}
    config = write_kubeconfig(tmp_path / "kubeconfig", hubs)
    refusing.token = "another-token"  # the kubeconfig's token is refused: 401
    proc = waiting(multihub_repo, config, tmp_path / "stderr")
    try:
        before = read_until(proc, "hub us-hub: not read: ")
        assert before and before[-1].startswith("hub us-hub: not read: "), "".join(before)
        assert proc.poll() is None and not any(line.startswith("hub platform-hub") for line in before)
        held.settle()
        after = proc.stdout.read()
        code = proc.wait(timeout=120)
    finally:
        proc.kill() if proc.poll() is None else None
        for hub in hubs.values():
            hub.stop()
    out = "".join(before) + after
    assert code == 13, out
    assert out.count("hub us-hub: not read: ") == 1 and out.count("hub platform-hub (kube): ") == 1
    assert out.rstrip().splitlines()[-1] == "fleet: 1/2 hubs read: partial"
    assert "another-token" not in out + (tmp_path / "stderr").read_text()


def test_wait_prints_each_hubs_rows_as_that_hub_settles(multihub_repo, held_back, tmp_path):
    """Without a terminal, as the one-hub wait: each hub's first summary and `still waiting` lines on stderr,
    and a hub's rows on stdout as soon as it is done, while another hub is still waited for."""
    hubs, config = held_back
    err = tmp_path / "stderr"
    proc = waiting(multihub_repo, config, err)
    try:
        before = read_until(proc, "hub platform-hub (kube): ")
        assert before and before[-1].startswith("hub platform-hub (kube): "), "".join(before)
        assert proc.poll() is None and not any(line.startswith("hub us-hub") for line in before)
        hubs["us-hub"].settle()  # let the held hub go only now
        after = proc.stdout.read()
        code = proc.wait(timeout=120)
    finally:
        proc.kill() if proc.poll() is None else None
    out = "".join(before) + after
    assert code == 0, out + err.read_text()
    assert out.count("hub platform-hub (kube): ") == 1 and out.count("hub us-hub (kube): ") == 1, out
    assert out.index("hub platform-hub (kube): ") < out.index("hub us-hub (kube): ")
    assert out.rstrip().splitlines()[-1] == "fleet: 2/2 hubs read: done"
    progress = err.read_text()
    assert "hub us-hub: [" in progress and "hub platform-hub: [" in progress, progress
    assert "Traceback" not in progress


def test_wait_in_a_terminal_shows_every_hubs_rows_live_then_the_verdict(multihub_repo, emulated_hubs):
    from tests.support.terminal import in_terminal

    hubs, config, _ = emulated_hubs

    ran = in_terminal("-C", multihub_repo, "status", "--wait", "--timeout", "2m", "--kubeconfig", config,
                      columns=160)

    assert ran.code == 0, ran.out
    assert "hub platform-hub (kube): " in ran.out and "hub us-hub (kube): " in ran.out
    assert "fleet: 2/2 hubs read: done" in ran.out and "Traceback" not in ran.out


@pytest.fixture
def recording_hubs(multihub_repo, monkeypatch):
    """Both active hubs named by spec.argocd.server and pinned by the runner, each a server on 127.0.0.1 that
    records what reaches it (GET: the Authorization header; POST: the body) and answers 401; no token set.
    Yields {hub: [what it received]}."""
    import http.server
    import threading

    from tests.support.multihub import edit

    seen: dict[str, list[str]] = {"platform-hub": [], "us-hub": []}

    def recorder(name):
        class Recorder(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                seen[name].append(self.headers.get("Authorization", ""))
                self.send_response(401)
                self.end_headers()

            def do_POST(self):  # noqa: N802 - http.server's name
                seen[name].append(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
                self.send_response(401)
                self.end_headers()

            def log_message(self, *args):
                pass
        return Recorder

    servers = {name: http.server.ThreadingHTTPServer(("127.0.0.1", 0), recorder(name)) for name in seen}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = {name: f"http://127.0.0.1:{server.server_address[1]}" for name, server in servers.items()}
    try:
        edit(multihub_repo / "hubctl.yaml", "    project: hub-admin\n",
             f"    project: hub-admin\n    server: {urls['platform-hub']}\n")
        edit(multihub_repo / "hubs" / "us-hub.yaml", "    namespace: argocd\n",
             f"    namespace: argocd\n    server: {urls['us-hub']}\n")
        for name, url in urls.items():  # pinned by the runner: only where credentials go is in question
            monkeypatch.setenv("HUBCTL_ARGOCD_SERVER_" + name.upper().replace("-", "_"), url)
        for variable in ("HUBCTL_ARGOCD_TOKEN", "HUBCTL_ARGOCD_TOKEN_PLATFORM_HUB", "HUBCTL_ARGOCD_TOKEN_US_HUB"):
            monkeypatch.delenv(variable, raising=False)
        yield seen
    finally:
        for server in servers.values():
            server.shutdown()


@pytest.mark.parametrize("flag", ["--token-file", "--username"])
def test_one_hubs_credential_flag_is_never_sent_to_every_hub(hubctl, multihub_repo, recording_hubs, monkeypatch,
                                                             tmp_path, flag):
    """--token-file and --username (with its password) are one Argo CD's credentials: a token works only on the
    hub that issued it. Sent to every hub, each hub's server (a dev hub, say) would receive the others'."""
    monkeypatch.setenv("HUBCTL_ARGOCD_PASSWORD", "secret-password-of-platform-hub")
    (tmp_path / "token").write_text("secret-token-of-platform-hub\n")
    value = str(tmp_path / "token") if flag == "--token-file" else "admin"

    for command in (["status"], ["prune", "--dry-run"]):
        result = hubctl("-C", multihub_repo, *command, "--source", "argocd", flag, value, "--revision", "HEAD")

        assert result.code == 2, result.out + result.err
        assert f"{flag} names one hub's credentials" in result.err and "--hub" in result.err
        assert recording_hubs == {"platform-hub": [], "us-hub": []}, "a credential went to a hub"
        assert "secret-" not in result.out + result.err


@pytest.mark.parametrize(("pinned", "spec", "same"), [
    ("https://argocd.example.com", "https://ARGOCD.example.com:443/", True),
    ("https://argocd.example.com./", "https://argocd.example.com", True),
    ("https://[2001:db8::1]", "https://[2001:DB8:0:0::1]:443", True),
    ("https://argocd.example.com/path", "https://argocd.example.com/PATH", False),
    ("https://argocd.example.com", "https://argocd.example.com:8443", False),
])
def test_a_pinned_server_matches_the_spec_however_either_spells_it(pinned, spec, same):
    """The pin and spec.argocd.server are compared as the servers they name (spec.servers.normalize_server,
    as duplicate servers are found), not as text: a valid pin is never refused, another server always is."""
    from types import SimpleNamespace

    from hubctl.base.errors import UsageError
    from hubctl.usecases.status.fleetstatus import hub_server

    options = SimpleNamespace(server=None, source="argocd")
    env = {"HUBCTL_ARGOCD_SERVER_US_HUB": pinned}
    if same:
        assert hub_server(options, "us-hub", spec, env) == pinned
    else:
        with pytest.raises(UsageError, match="pins"):
            hub_server(options, "us-hub", spec, env)


def test_a_token_named_for_no_hub_is_not_sent_to_several_hubs(hubctl, multihub_repo, recording_hubs, monkeypatch):
    """$HUBCTL_ARGOCD_TOKEN is one hub's credential: with several hubs reached through their Argo CD APIs and no
    token of their own, status and prune refuse (exit 2) before any request, as for --token-file without --hub.
    One hub may take it: with --hub, or when the other hubs have their own."""
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "secret-token-of-platform-hub")

    for command in (["status"], ["prune", "--dry-run"]):
        refused = hubctl("-C", multihub_repo, *command, "--source", "argocd", "--revision", "HEAD")
        assert refused.code == 2, refused.out + refused.err
        assert "HUBCTL_ARGOCD_TOKEN_US_HUB" in refused.err and "--hub" in refused.err
        assert "secret-" not in refused.out + refused.err
    assert recording_hubs == {"platform-hub": [], "us-hub": []}, "not one request, so no token sent"

    one = hubctl("-C", multihub_repo, "status", "--source", "argocd", "--hub", "platform-hub", "--revision", "HEAD")
    assert one.code != 2 and recording_hubs["us-hub"] == [] and recording_hubs["platform-hub"], one.err
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN_US_HUB", "secret-token-of-us-hub")
    both = hubctl("-C", multihub_repo, "status", "--source", "argocd", "--revision", "HEAD")
    assert both.code != 2, both.err
    assert "Bearer secret-token-of-us-hub" in recording_hubs["us-hub"]
    assert "Bearer secret-token-of-platform-hub" not in recording_hubs["us-hub"]
