"""A flow held by an active deny sync window is `waiting` (for its window), not progressing forever: read from
Argo CD's GET /api/v1/applications/{name}/syncwindows (canSync false), which the emulator answers for the
Applications of its `window` fault. The Kubernetes API cannot say (Argo CD only logs it): progressing there."""

from __future__ import annotations

import dataclasses

import pytest

from hubctl.base.errors import ExitCode, HubError
from hubctl.emulator.faults import Faults
from hubctl.usecases.status.ancestry import exact
from hubctl.usecases.status.status import Filters, read_once, wait, waiting_line
from tests.hub.conftest import REV1, argo_reader, expected_apps, kube_reader

APPS = [dataclasses.replace(app, windowed=True) for app in expected_apps()]  # their space has sync windows
HELD = "api-prod-eu-1"


def _hub(start_hub, **faults):
    hub = start_hub(APPS, faults=Faults(window=(HELD,), **faults))
    hub.sync_to(REV1)
    hub.settle()
    return hub


def test_an_app_held_by_a_deny_window_is_waiting_for_its_window(start_hub):
    hub = _hub(start_hub)
    result = read_once(argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token}), APPS, REV1, exact, Filters())
    held = result.tracker.statuses[HELD]
    assert held.state == "waiting"
    assert held.message == "waiting for its sync window: deny window `0 22 * * 5` for 56h is active"
    assert {s.state for n, s in result.tracker.statuses.items() if n != HELD} == {"done"}
    assert result.exit_code == ExitCode.NOT_DONE
    assert result.tracker.summary()["waiting"] == 1
    assert f"{HELD} (waiting for its sync window" in waiting_line(result.tracker)


def test_the_kubernetes_api_cannot_tell_so_the_app_stays_progressing(tmp_path, start_hub):
    hub = _hub(start_hub)
    result = read_once(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters())
    assert result.tracker.statuses[HELD].state == "progressing"


def test_an_out_of_sync_app_without_a_window_stays_progressing(start_hub):
    hub = start_hub(APPS, faults=Faults(outofsync=(HELD,)))
    hub.sync_to(REV1)
    hub.settle()
    result = read_once(argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token}), APPS, REV1, exact, Filters())
    assert result.tracker.statuses[HELD].state == "progressing"


@pytest.mark.parametrize("answer", ['{"canSync": "no"}', '[]', '{"canSync": false, "activeWindows": {}}'])
def test_a_lying_syncwindows_answer_is_a_hub_error_naming_the_endpoint(start_hub, answer):
    hub = _hub(start_hub)
    hub.faults.window_answer = answer
    with pytest.raises(HubError) as exc:
        read_once(argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token}), APPS, REV1, exact, Filters())
    assert f"/api/v1/applications/{HELD}/syncwindows" in exc.value.message


def test_the_window_fault_parses_from_the_command_line_and_a_typo_is_refused():
    from hubctl.base.errors import UsageError

    assert Faults.parse(["window=api-prod-*"]).app_fault("api-prod-eu-2") == "window"
    with pytest.raises(UsageError):
        Faults.parse(["windows=api-*"])


def test_a_wait_through_an_active_window_ends_at_its_timeout_with_the_app_waiting(start_hub):
    hub = start_hub(APPS, auto=True, speed=0.05, faults=Faults(window=(HELD,)))
    hub.sync_to(REV1)
    result = wait(argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token}), APPS, REV1, exact, Filters(),
                  timeout=1.5, poll_interval=0.1)
    assert (result.exit_code, result.timed_out) == (ExitCode.TIMEOUT, True)
    assert result.tracker.statuses[HELD].state == "waiting"
    assert {s.state for n, s in result.tracker.statuses.items() if n != HELD} == {"done"}


def test_apps_of_spaces_without_windows_are_never_asked(start_hub):
    """One request per Application on every poll: only the Applications of spaces that declare sync windows are
    asked (a rendered AppProject has windows only from the space's spec), so a held app of a space without
    windows cannot be seen, and a fleet without windows costs no request at all."""
    hub = _hub(start_hub)
    hub.faults.window_answer = "not json"  # asking at all would be a hub error
    plain = [dataclasses.replace(app, windowed=False) for app in APPS]
    result = read_once(argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token}), plain, REV1, exact, Filters())
    assert result.tracker.statuses[HELD].state == "progressing"
