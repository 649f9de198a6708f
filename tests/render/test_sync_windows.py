"""Maintenance windows: a space's `syncWindows` render as Argo CD sync windows in its AppProject (every space's
Applications, or a cluster group by selector); bad schedules, durations, time zones and selectors are problems
with file:line and the fix. The golden fleet does not use them, so its render is unchanged."""

from __future__ import annotations

from pathlib import Path

import yaml

from hubctl import load_fleet
from hubctl.base.errors import ExitCode
from hubctl.usecases.render.fleet import render_fleet

SPACE = """\
apiVersion: hubctl.io/v1alpha1
kind: Space
metadata:
  name: team-a
spec:
  owners: [team-a]
  sourceRepos: ["https://charts.example.com/*"]
  syncWindows:
  - kind: deny
    schedule: "0 22 * * 5"
    duration: 56h
    timeZone: Europe/Berlin
    manualSync: true
    description: weekend freeze
  - kind: allow
    schedule: "0 6 * * 1-5"
    duration: 2h
    clusters:
      matchLabels:
        env: prod
"""


def _windows(root: Path) -> list:
    render = render_fleet(load_fleet(root))
    return yaml.safe_load(render.files["hub/projects/team-a.yaml"])["spec"].get("syncWindows")


def test_space_windows_render_into_its_appproject_with_the_cluster_group_resolved(base_fleet):
    assert _windows(base_fleet) is None
    (base_fleet / "spaces" / "team-a.yaml").write_text(SPACE)
    assert _windows(base_fleet) == [
        {"kind": "deny", "schedule": "0 22 * * 5", "duration": "56h", "applications": ["*"],
         "manualSync": True, "timeZone": "Europe/Berlin", "description": "weekend freeze"},
        {"kind": "allow", "schedule": "0 6 * * 1-5", "duration": "2h", "clusters": ["prod-1"],
         "manualSync": False, "timeZone": "UTC"},
    ]


def test_the_render_is_byte_identical_run_to_run(base_fleet):
    (base_fleet / "spaces" / "team-a.yaml").write_text(SPACE)
    one = render_fleet(load_fleet(base_fleet)).files["hub/projects/team-a.yaml"]
    assert one == render_fleet(load_fleet(base_fleet)).files["hub/projects/team-a.yaml"]


def test_bad_windows_are_problems_with_line_and_fix_all_in_one_run(hubctl, base_fleet):
    bad = SPACE.replace('"0 22 * * 5"', '"0 22 * *"').replace("56h", "two days") \
        .replace("Europe/Berlin", "Mars/Olympus").replace("env: prod", "env: moon")
    (base_fleet / "spaces" / "team-a.yaml").write_text(bad)
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.INVALID
    out = " ".join(result.out.split() + result.err.split())
    for expected in (
        "spaces/team-a.yaml:10:5: spec.syncWindows[0].schedule: schedule `0 22 * *` is not a 5-field cron "
        "expression (minute hour day-of-month month day-of-week) hint: for example \"0 22 * * 5\"",
        "spaces/team-a.yaml:11:5: spec.syncWindows[0].duration: duration `two days` is not a Go duration",
        "spaces/team-a.yaml:12:5: spec.syncWindows[0].timeZone: unknown time zone `Mars/Olympus`",
        "spaces/team-a.yaml:18:5: spec.syncWindows[1].clusters: the window's cluster selector selects no "
        "cluster of space `team-a`",
    ):
        assert expected in out, expected


def test_cron_duration_and_zone_checks_follow_what_argo_cd_parses():
    from hubctl.usecases.validate.checks_windows import cron_ok, duration_ok, zone_ok

    assert all(cron_ok(s) for s in ("0 22 * * 5", "*/15 * * * *", "0 6 * * MON-FRI", "0 0 1 JAN,JUL *",
                                    "30 2 1-7 * 0", "0 0 * * 7"))
    assert not any(cron_ok(s) for s in ("0 22 * *", "@daily", "60 * * * *", "0 24 * * *", "0 0 0 * *",
                                        "0 0 * 13 *", "5-1 * * * *", "*/0 * * * *", "0 0 * * * *", ""))
    assert all(duration_ok(s) for s in ("1h", "90m", "1h30m", "56h", "1.5h"))
    assert not any(duration_ok(s) for s in ("", "2 days", "h", "0h", "-1h", "1d"))
    assert zone_ok("Europe/Berlin") and zone_ok("UTC")
    assert not any(zone_ok(z) for z in ("Mars/Olympus", "../../etc/passwd", "/etc/localtime", ""))


def test_the_rendered_appproject_passes_argo_cds_appproject_schema(base_fleet):
    from support import k8s_schemas as ks

    (base_fleet / "spaces" / "team-a.yaml").write_text(SPACE)
    project = yaml.safe_load(render_fleet(load_fleet(base_fleet)).files["hub/projects/team-a.yaml"])
    assert project["spec"]["syncWindows"]
    assert ks.errors(project) == []
    broken = {**project, "spec": {**project["spec"], "syncWindows": [{"kind": "deny", "manualSync": "yes"}]}}
    assert ks.errors(broken)  # the check can fail


def test_the_documented_space_example_with_its_windows_matches_the_space_schema():
    import json

    from jsonschema import Draft202012Validator

    root = Path(__file__).resolve().parents[2]
    section = (root / "docs" / "specs.md").read_text().split("## Space (`spaces/*.yaml`)", 1)[1]
    example = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    schema = json.loads((root / "schemas" / "space.json").read_text())
    assert [e.message for e in Draft202012Validator(schema).iter_errors(example)] == []
    assert [w["kind"] for w in example["spec"]["syncWindows"]] == ["deny", "allow"]


def test_status_asks_about_windows_only_for_the_spaces_that_have_them(base_fleet):
    """The expected Applications of a space with windows are marked, so `status` asks Argo CD about those only."""
    from hubctl.usecases.status.expected import expected_of

    assert not any(app.windowed for app in expected_of(load_fleet(base_fleet)))
    (base_fleet / "spaces" / "team-a.yaml").write_text(SPACE)
    apps = expected_of(load_fleet(base_fleet))
    assert {app.space for app in apps if app.windowed} == {"team-a"}
