"""A faulty hub (tests/hub/faulty.py) against the real readers and `hubctl status`: deadlines hold, bad
answers end in exit 6 naming the endpoint, memory stays bounded, Retry-After is honoured."""

from __future__ import annotations

import json
import subprocess
import time
import tracemalloc

import pytest

from hubctl.adapters.hub.argocd import ArgoCDReader, ArgoSettings
from hubctl.adapters.hub.http import Deadline
from hubctl.adapters.hub.kube import KubeReader, KubeSettings
from hubctl.base.errors import ExitCode, HubError
from hubctl.emulator import kubeconfig
from hubctl.usecases.status.ancestry import exact
from hubctl.usecases.status.status import Filters, read_once, wait
from tests.hub.conftest import FAST, expected_apps
from tests.hub.faulty import FaultyHub, app_list, application, endless, send, send_json, trickle

TOKEN = "canary-token-5f1e0b"
SOURCES = ("kube", "argocd")
APPS = expected_apps(clusters=("prod-eu-1",))
MARGIN = 10.0  # a bound on top of --timeout, not a speed test


@pytest.fixture
def faulty():
    hubs = []

    def start(answer):
        hubs.append(FaultyHub(answer))
        return hubs[-1]

    yield start
    for hub in hubs:
        hub.stop()


def reader(source: str, hub: FaultyHub, tmp_path, seconds: float = 30.0):
    if source == "kube":
        path = tmp_path / "kubeconfig"
        path.write_text(json.dumps(kubeconfig(hub.url, TOKEN)))
        return KubeReader(KubeSettings(str(path)), FAST, deadline=Deadline(seconds))
    return ArgoCDReader(ArgoSettings(hub.url), FAST, env={"HUBCTL_ARGOCD_TOKEN": TOKEN}, deadline=Deadline(seconds))


def hub_error(source, hub, tmp_path, seconds: float = 30.0) -> str:
    with pytest.raises(HubError) as caught:
        read_once(reader(source, hub, tmp_path, seconds), APPS, None, exact, Filters())
    assert caught.value.exit_code == ExitCode.HUB_UNREACHABLE
    text = str(caught.value)
    assert TOKEN not in text
    return text


# --- the deadline: slow, trickling, silent hubs against `hubctl status --wait --timeout 3s` -------------

def _silent(request, sock):
    time.sleep(3600)  # accepted, never answered (ended by the hub's stop)


def _slow(request, sock):
    time.sleep(30)
    send_json(sock, app_list([]))


def _trickle_body(request, sock):
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
    return trickle(sock, b'{"items": [' + b" " * 99988 + b"]}")


def _trickle_head(request, sock):
    return trickle(sock, b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"a" * 60000 + b"\r\n\r\n{}")


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fault", [_silent, _slow, _trickle_body, _trickle_head], ids=lambda f: f.__name__[1:])
def test_status_wait_timeout_is_a_hard_deadline(hubctl, example_fleet, faulty, tmp_path, monkeypatch, source, fault):
    hub = faulty(fault)
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", TOKEN)
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps(kubeconfig(hub.url, TOKEN)))
    where = ["--kubeconfig", path] if source == "kube" else ["--server", hub.url]
    began = time.monotonic()
    result = hubctl("status", "-C", example_fleet, "--revision", "0" * 40, "--wait", "--timeout", "3s", *where)
    elapsed = time.monotonic() - began
    assert result.code == ExitCode.HUB_UNREACHABLE, result.err
    assert "did not finish answering within the --timeout of 3s" in result.err
    assert "127.0.0.1" in result.err and TOKEN not in result.err + result.out
    assert elapsed < 3 + MARGIN


def test_a_watch_that_goes_silent_ends_the_wait_at_the_deadline(faulty, tmp_path):
    def answer(request, sock):
        if "watch=true" in request.path:
            return _silent(request, sock)
        send_json(sock, app_list([application(APPS[0].name)]))

    began = time.monotonic()
    result = wait(reader("kube", faulty(answer), tmp_path, 2.0), APPS, None, exact, Filters(), timeout=2.0)
    assert (result.exit_code, result.timed_out) == (ExitCode.TIMEOUT, True)
    assert time.monotonic() - began < 2 + MARGIN


def test_argocd_polling_a_hub_that_turns_slow_ends_at_the_deadline(faulty, tmp_path):
    def answer(request, sock):
        if request.number > 0:
            return _slow(request, sock)
        send_json(sock, app_list([application(APPS[0].name)]))

    began = time.monotonic()
    result = wait(reader("argocd", faulty(answer), tmp_path, 2.0), APPS, None, exact, Filters(), timeout=2.0,
                  poll_interval=0.1)
    assert (result.exit_code, result.timed_out) == (ExitCode.TIMEOUT, True)
    assert time.monotonic() - began < 2 + MARGIN


# --- bodies that are not what a hub sends --------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("body, message", [
    (b'{"items": [', "invalid JSON"),
    (b"<html>proxy error</html>", "invalid JSON"),
    (b"[1, 2, 3]", "a JSON array where an object was expected"),
    (b'"items"', "a JSON string where an object was expected"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_invalid_json_is_exit_6_naming_the_endpoint(faulty, tmp_path, source, body, message):
    text = hub_error(source, faulty(lambda request, sock: send(sock, 200, body)), tmp_path)
    assert message in text and "127.0.0.1" in text


@pytest.mark.parametrize("source", SOURCES)
def test_a_truncated_body_is_retried_then_exit_6(faulty, tmp_path, source):
    def answer(request, sock):
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"items\": [")
        return "close"

    text = hub_error(source, faulty(answer), tmp_path)
    assert "did not answer after 4 attempts" in text and "127.0.0.1" in text


@pytest.mark.parametrize("source", SOURCES)
def test_a_3_gib_body_is_refused_from_its_length(faulty, tmp_path, source):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3221225472\r\n\r\n"
    text = hub_error(source, faulty(lambda request, sock: endless(sock, head)), tmp_path)
    assert "larger than 64 MiB" in text


@pytest.mark.parametrize("source", SOURCES)
def test_an_endless_body_is_read_in_bounded_memory(faulty, tmp_path, source):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"  # no length
    hub = faulty(lambda request, sock: endless(sock, head))
    tracemalloc.start()
    try:
        text = hub_error(source, hub, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "larger than 64 MiB" in text
    assert peak < 200 * 1024 * 1024


# --- a hub that lies ------------------------------------------------------------------------------------

NAME = APPS[0].name
LIES = [
    ({"items": {"a": 1}}, "items is an object, not an array"),
    ({"kind": "PodList", "items": []}, "it is a PodList, not an ApplicationList"),
    (app_list([7]), "items[0] is a number, not an object"),
    (app_list([{**application(NAME), "kind": "Secret"}]), "items[0] is a Secret, not an Application"),
    (app_list([{"metadata": {}}]), "an Application without metadata.name"),
    (app_list([{"metadata": {"name": 42}}]), "metadata.name is a number, not a string"),
    (app_list([{"metadata": {"name": NAME, "labels": "x"}}]), f"Application {NAME}: metadata.labels is a string"),
    (app_list([application(NAME, sync=["Synced"])]), "status.sync is an array, not an object"),
    (app_list([application(NAME, health={"status": 1})]), "status.health.status is a number"),
    (app_list([application(NAME, conditions="boom")]), "status.conditions is a string"),
    (app_list([application(NAME), application(NAME)]), f"listed Application {NAME} twice"),
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("body, message", LIES, ids=[m.split(" ")[0] + str(i) for i, (_, m) in enumerate(LIES)])
def test_a_hub_that_lies_is_exit_6_never_a_traceback(faulty, tmp_path, source, body, message):
    text = hub_error(source, faulty(lambda request, sock: send_json(sock, body)), tmp_path)
    assert message in text and "127.0.0.1" in text


def test_a_continue_token_that_repeats_is_a_pagination_loop(faulty, tmp_path):
    hub = faulty(lambda request, sock: send_json(sock, app_list([application(f"api-c{request.number}")],
                                                                 **{"continue": "again"})))
    text = hub_error("kube", hub, tmp_path)
    assert "a pagination loop" in text
    assert len(hub.requests) == 2


def test_a_page_larger_than_asked_for_is_exit_6(faulty, tmp_path):
    hub = faulty(lambda request, sock: send_json(sock, app_list([application(f"api-c{i}") for i in range(9)])))
    with pytest.raises(HubError, match="sent 9 Applications in a page of at most 8"):
        list(reader("kube", hub, tmp_path).list_applications("a=b", page_size=8))


def test_a_malformed_watch_event_is_exit_6(faulty, tmp_path):
    def answer(request, sock):
        if "watch=true" not in request.path:
            return send_json(sock, app_list([application(NAME)]))
        send(sock, 200, b'{"type": "MODIFIED", "object": {"metadata": {"name": ["x"]}}}\n')

    with pytest.raises(HubError, match="malformed Application: metadata.name is an array"):
        wait(reader("kube", faulty(answer), tmp_path), APPS, None, exact, Filters(), timeout=20)


def test_argocd_session_without_a_token_is_exit_6(faulty, tmp_path):
    hub = faulty(lambda request, sock: send_json(sock, {"session": "?"}))
    argo = ArgoCDReader(ArgoSettings(hub.url, username="admin"), FAST, env={"HUBCTL_ARGOCD_PASSWORD": "pw-canary"},
                        deadline=Deadline(10))
    with pytest.raises(HubError, match="answered without a session token") as caught:
        read_once(argo, APPS, None, exact, Filters())
    assert "pw-canary" not in str(caught.value)


# --- Retry-After --------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(faulty, tmp_path, source, status):
    def answer(request, sock):
        if request.number == 0:
            return send_json(sock, {"message": "slow down"}, status, {"Retry-After": "1"})
        send_json(sock, app_list([application(NAME)]))

    began = time.monotonic()
    result = read_once(reader(source, faulty(answer), tmp_path), APPS, None, exact, Filters())
    assert result.exit_code == ExitCode.NOT_DONE
    assert time.monotonic() - began >= 1.0  # FAST's own backoff is 0.01 s


@pytest.mark.parametrize("source", SOURCES)
def test_retry_after_past_the_deadline_gives_up_at_once(faulty, tmp_path, source):
    hub = faulty(lambda request, sock: send_json(sock, {}, 503, {"Retry-After": "120"}))
    began = time.monotonic()
    text = hub_error(source, hub, tmp_path, seconds=5)
    assert "asked to retry after 120s, past the --timeout" in text
    assert time.monotonic() - began < 5
    assert len(hub.requests) == 1


def test_hub_text_is_printed_as_is_never_as_markup_or_escapes(hubctl, example_fleet, faulty, tmp_path):
    from hubctl.usecases.status.expected import expected_from_fleet

    name = expected_from_fleet(example_fleet)[0][0].name
    message = "hook [/] failed [bold]\x1b[31mred\x1b[0m\u202eevil"
    hub = faulty(lambda request, sock: send_json(sock, app_list([application(name, message)])))
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps(kubeconfig(hub.url, TOKEN)))
    result = hubctl("status", "-C", example_fleet, "--revision", "0" * 40, "--kubeconfig", path)
    assert result.code == ExitCode.DEGRADED, result.err
    assert "hook [/] failed [bold] [31mred [0m evil" in result.out
    assert "\x1b" not in result.out and "\u202e" not in result.out


@pytest.fixture
def certificate(tmp_path):
    cert, key = tmp_path / "hub.crt", tmp_path / "hub.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    return str(cert), str(key)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fault", [_silent, _trickle_body], ids=lambda f: f.__name__[1:])
def test_the_deadline_holds_over_tls(certificate, tmp_path, source, fault):
    hub = FaultyHub(fault, tls=certificate)
    try:
        if source == "kube":
            path = tmp_path / "kubeconfig"
            path.write_text(json.dumps(kubeconfig(hub.url, TOKEN)))
            hub_reader = KubeReader(KubeSettings(str(path), ca_file=certificate[0]), FAST, deadline=Deadline(2))
        else:
            hub_reader = ArgoCDReader(ArgoSettings(hub.url, ca_file=certificate[0]), FAST,
                                      env={"HUBCTL_ARGOCD_TOKEN": TOKEN}, deadline=Deadline(2))
        began = time.monotonic()
        with pytest.raises(HubError, match="did not finish answering within the --timeout of 2s"):
            read_once(hub_reader, APPS, None, exact, Filters())
        assert time.monotonic() - began < 2 + MARGIN
        assert hub.requests  # the handshake was done: the deadline cut a request, not the connect
    finally:
        hub.stop()


# --- header values that are digits only to str.isdigit ("²", sent as the byte 0xb2) -------------------

@pytest.mark.parametrize("source", SOURCES)
def test_a_retry_after_of_superscript_two_is_treated_as_absent(faulty, tmp_path, source):
    def answer(request, sock):
        if request.number == 0:
            return sock.sendall(b"HTTP/1.1 503 X\r\nContent-Length: 2\r\nRetry-After: \xb2\r\n\r\n{}")
        send_json(sock, app_list([application(NAME)]))

    result = read_once(reader(source, faulty(answer), tmp_path), APPS, None, exact, Filters())
    assert result.exit_code == ExitCode.NOT_DONE


@pytest.mark.parametrize("source", SOURCES)
def test_a_content_length_of_superscript_two_is_treated_as_absent(faulty, tmp_path, source):
    def answer(request, sock):
        body = json.dumps(app_list([application(NAME)])).encode()
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \xb2\r\n"
                     b"Connection: close\r\n\r\n" + body)
        return "close"

    result = read_once(reader(source, faulty(answer), tmp_path), APPS, None, exact, Filters())
    assert result.exit_code == ExitCode.NOT_DONE
