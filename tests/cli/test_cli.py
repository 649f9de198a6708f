"""The CLI surface: help, exit codes, output shapes, init and schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hubctl.base.errors import ExitCode


def test_help_lists_the_commands_with_examples(hubctl):
    result = hubctl("--help")
    assert result.code == 0
    for command in ("init", "validate", "schema", "render", "placement", "commit", "status"):
        assert f" {command} " in result.out
    assert "Examples" in hubctl("validate", "--help").out


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "hubctl", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "Usage: hubctl" in result.stdout


def test_usage_error_exits_2(hubctl):
    assert hubctl("validate", "-o", "xml").code == ExitCode.USAGE
    assert hubctl("no-such-command").code == ExitCode.USAGE


def test_missing_directory_is_a_usage_error(hubctl, tmp_path):
    result = hubctl("validate", "-C", tmp_path / "nope")
    assert result.code == ExitCode.USAGE
    assert "does not exist" in result.err and "hint: pass the fleet repository with -C DIR" in result.err


def test_validate_json_shape(hubctl, base_fleet, monkeypatch):
    monkeypatch.chdir(base_fleet)
    ok = json.loads(hubctl("validate", "-o", "json").out)
    assert ok["valid"] is True and ok["problems"] == [] and ok["version"] == 1
    assert ok["summary"] == {"clusters": 2, "spaces": 1, "flows": 1, "blueprints": 1, "placements": 1}
    (base_fleet / "flows" / "api.yaml").write_text((base_fleet / "flows" / "api.yaml").read_text()
                                                   .replace("space: team-a", "spcae: team-a"))
    bad = hubctl("validate", "-o", "json")
    assert bad.code == 3
    body = json.loads(bad.out)
    assert body["valid"] is False
    assert {"file": "flows/api.yaml", "line": 6, "column": 3, "path": "spec.spcae", "message": "unknown key `spcae`",
            "hint": "did you mean `space`?", "code": "unknown-key"} in body["problems"]


def test_github_annotations_escape_properties(hubctl, base_fleet, monkeypatch):
    monkeypatch.chdir(base_fleet)
    (base_fleet / "flows" / "api.yaml").write_text((base_fleet / "flows" / "api.yaml").read_text()
                                                   .replace("space: team-a", "space: team-b"))
    result = hubctl("validate", "-o", "github")
    assert result.out == ("::error file=flows/api.yaml,line=6,col=3,title=hubctl unknown-ref::spec.space: unknown "
                          "space `team-b` (hint: did you mean `team-a`?)\n")


def test_problems_are_sorted_by_file_and_line(hubctl, base_fleet, monkeypatch):
    monkeypatch.chdir(base_fleet)
    (base_fleet / "flows" / "api.yaml").write_text((base_fleet / "flows" / "api.yaml").read_text()
                                                   .replace("space: team-a", "space: team-a\n  foo: 1"))
    (base_fleet / "clusters" / "prod-1.yaml").write_text((base_fleet / "clusters" / "prod-1.yaml").read_text()
                                                         .replace("provider: gke", "provider: gkee"))
    lines = [line for line in hubctl("validate").out.splitlines() if not line.startswith("  ")]
    assert lines == ["clusters/prod-1.yaml:9:3: spec.provider: `gkee` is not allowed here; expected `eks`, `aks`, "
                     "`gke`, `vsphere-rke`, `other`", "flows/api.yaml:7:3: spec.foo: unknown key `foo`"]


def test_init_scaffolds_a_fleet_that_validates_and_renders(hubctl, tmp_path):
    target = tmp_path / "my-fleet"
    result = hubctl("init", target)
    assert result.code == 0
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "README.md", "clusters/dev-1.yaml", "flows/hello.yaml", "hubctl.yaml", "spaces/team-a.yaml"]
    assert hubctl("validate", "-C", target).code == 0
    assert hubctl("render", "-C", target).code == 0


def test_init_never_overwrites(hubctl, tmp_path):
    (tmp_path / "hubctl.yaml").write_text("mine\n")
    assert hubctl("init", tmp_path).code == ExitCode.USAGE
    assert hubctl("init", tmp_path, "--force").code == ExitCode.USAGE
    assert (tmp_path / "hubctl.yaml").read_text() == "mine\n"


def test_schema_prints_the_shipped_json_schema(hubctl):
    result = hubctl("schema", "cluster")
    shipped = (Path(__file__).resolve().parents[2] / "schemas" / "cluster.json").read_text()
    assert result.code == 0 and result.out == shipped
    assert json.loads(result.out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert hubctl("schema").out.split() == ["hub", "cluster", "space", "flow", "blueprint"]


def test_internal_errors_are_one_line_without_traceback(hubctl, base_fleet, monkeypatch):
    import hubctl.usecases.validate.loader as loader

    def boom(path):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(loader, "analyze", boom)
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == ExitCode.FAILURE
    assert "internal error: RuntimeError: kaboom" in result.err and "Traceback" not in result.err
