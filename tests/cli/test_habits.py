"""Habits users bring from git and kubectl: -C before the command, -o yaml|name|wide, --version, -q,
NO_COLOR and --color, tables that fit a terminal and that grep reads when piped."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from hubctl.base.errors import ExitCode
from tests.support.gitservers import git
from tests.support.terminal import in_terminal, piped

ESC = "\x1b"
LONG = "staging-ap-southeast-region-1"  # longer than the terminal leaves to a column


@pytest.fixture
def fleet(example_fleet, hubctl):
    assert hubctl("cluster", "add", LONG, "--server", f"https://{LONG}.k8s.example.com", "--env", "staging",
                  "--region", "ap-southeast", "-l", "tier=standard", "-C", example_fleet,
                  "--credentials", "aws-role:arn:aws:iam::123456789012:role/argocd").code == 0
    return example_fleet


def test_dir_before_the_command_is_git_dash_c(hubctl, fleet, tmp_path):
    after = hubctl("cluster", "list", "-o", "json", "-C", fleet)
    before = hubctl("-C", fleet, "cluster", "list", "-o", "json")
    assert before.code == after.code == 0 and before.out == after.out
    cwd = os.getcwd()
    nested = hubctl("-C", fleet.parent, "cluster", "list", "-o", "json", "-C", fleet.name)  # relative to -C
    assert nested.out == after.out and os.getcwd() == cwd  # the run changed directory for itself only
    assert json.loads(hubctl("-C", fleet, "placement", "-o", "json").out)["placements"]
    init = hubctl("-C", tmp_path, "init", "new-fleet")
    assert init.code == 0 and (tmp_path / "new-fleet" / "hubctl.yaml").is_file()


def test_dir_before_the_command_must_exist(hubctl, tmp_path):
    result = hubctl("-C", tmp_path / "nope", "validate")
    assert result.code == ExitCode.USAGE
    assert f"error: cannot change to '{tmp_path / 'nope'}': No such file or directory" in result.err
    assert "Traceback" not in result.err


def test_version_like_git_and_kubectl(hubctl):
    from hubctl import __version__

    assert hubctl("--version").out == f"hubctl version {__version__}\n"
    assert hubctl("version").out == f"hubctl version {__version__}\n"
    doc = json.loads(hubctl("version", "-o", "json").out)
    assert doc["hubctl"] == __version__ and doc["version"] == 1
    assert yaml.safe_load(hubctl("version", "-o", "yaml").out) == doc


def test_quiet_keeps_errors_and_data(hubctl, fleet):
    assert hubctl("validate", "-C", fleet).err.startswith("fleet is valid")
    quiet = hubctl("-q", "validate", "-C", fleet)
    assert quiet.code == 0 and quiet.err == "" and quiet.out == ""
    assert hubctl("-q", "cluster", "list", "-C", fleet).err == ""  # the table title is chatter too
    (fleet / "flows" / "web.yaml").write_text("kind: Flow\n")
    bad = hubctl("-q", "validate", "-C", fleet)
    assert bad.code == ExitCode.INVALID and "error:" in bad.err and "flows/web.yaml" in bad.out


def test_verbose_says_where_it_works(hubctl, fleet):
    assert f"working in {fleet}" in hubctl("-v", "-C", fleet, "validate").err
    assert "working in" not in hubctl("-C", fleet, "validate").err


def test_cluster_list_outputs(hubctl, fleet):
    as_json = json.loads(hubctl("cluster", "list", "-o", "json", "-C", fleet).out)
    assert yaml.safe_load(hubctl("cluster", "list", "-o", "yaml", "-C", fleet).out) == as_json
    names = hubctl("cluster", "list", "-o", "name", "-C", fleet).out.splitlines()
    assert names == [f"cluster/{c['name']}" for c in as_json["clusters"]] and f"cluster/{LONG}" in names
    wide = hubctl("cluster", "list", "-o", "wide", "-C", fleet).out.splitlines()
    assert wide[0].split() == ["NAME", "ENV", "REGION", "PROVIDER", "STATE", "PLACEMENTS", "LABELS", "SERVER",
                               "FILE"]
    row = next(line.split() for line in wide if line.startswith(LONG + " "))
    assert row[-2:] == [f"https://{LONG}.k8s.example.com", f"clusters/{LONG}.yaml"]


def test_placement_outputs(hubctl, fleet):
    as_json = json.loads(hubctl("placement", "-o", "json", "-C", fleet).out)
    assert yaml.safe_load(hubctl("placement", "-o", "yaml", "-C", fleet).out) == as_json
    names = hubctl("placement", "-o", "name", "-C", fleet).out.splitlines()
    assert names == [f"application/{p['application']}" for p in as_json["placements"]]
    explained = hubctl("placement", "--explain", "web", "prod-eu-1", "-o", "yaml", "-C", fleet)
    assert yaml.safe_load(explained.out)["placed"] is True
    assert hubctl("placement", "--explain", "web", "prod-eu-1", "-o", "name", "-C", fleet).code == ExitCode.USAGE


def test_piped_tables_are_whole_whitespace_separated_columns(fleet):
    result = piped("cluster", "list", "-C", fleet)
    assert result.code == 0 and ESC not in result.out and result.err == "11 clusters\n"
    header, *rows = result.out.splitlines()
    assert header.split() == ["NAME", "ENV", "REGION", "PROVIDER", "STATE", "PLACEMENTS", "LABELS"]
    assert all(len(row.split()) == 7 for row in rows)  # empty cells are "-", lists are joined by commas
    hit = [row for row in rows if LONG in row]  # `hubctl cluster list | grep NAME`
    assert len(hit) == 1 and hit[0].split()[:5] == [LONG, "staging", "ap-southeast", "other", "ready"]
    placement = piped("placement", "-C", fleet).out.splitlines()
    assert placement[0].split() == ["SPACE", "FLOW", "FROM", "COUNT", "CLUSTERS"]
    web = next(line.split() for line in placement if " web " in line)
    assert web[:2] == ["storefront", "web"] and web[4] == ",".join(sorted(web[4].split(",")))


@pytest.mark.parametrize("columns", [40, 72, 120])
def test_terminal_tables_fit_the_width_without_cutting_names(fleet, columns):
    result = in_terminal("--color", "never", "cluster", "list", "-C", fleet, columns=columns)
    assert result.code == 0
    lines = result.out.splitlines()
    widest = max(len(line.rstrip()) for line in lines)
    # 7 columns of at least 4 and the 29-character name fit in 72; in 40 only the names decide the width
    assert widest <= columns if columns >= 72 else widest == len(LONG) + 6 * (2 + 4)
    assert sum(line.startswith(LONG + " ") for line in lines) == 1  # the name whole, on one line
    for name in json.loads(piped("cluster", "list", "-o", "json", "-C", fleet).out)["clusters"]:
        assert any(line.startswith(name["name"] + " ") for line in lines)


COMMANDS = [("validate",), ("cluster", "list"), ("placement",), ("render",), ("placement", "--explain", "web", "x")]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_color_means_no_escape_bytes_on_a_terminal(fleet, args):
    coloured = in_terminal(*args, "-C", fleet)
    assert ESC in coloured.out  # the terminal does get styles: the test below can fail
    for env, flags in (({"NO_COLOR": "1"}, ()), ({}, ("--color", "never")), ({"FORCE_COLOR": "1"}, ("--color",
                                                                                                      "never"))):
        plain = in_terminal(*flags, *args, "-C", fleet, env=env)
        assert plain.code == coloured.code and ESC not in plain.out, (env, flags, plain.out)


def test_color_flag_wins_over_no_color(fleet):
    assert ESC in piped("--color", "always", "validate", "-C", fleet, env={"NO_COLOR": "1"}).err
    assert ESC not in piped("validate", "-C", fleet).err
    assert ESC not in piped("validate", "-C", fleet, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).err


def _commands(group, prefix=()):
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "commands", None):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


def test_help_shows_metavars_and_required_options(hubctl):
    from hubctl.cli import command

    for path in _commands(command()):
        text = hubctl(*path, "--help").out
        assert "<str>" not in text and "<list" not in text and "<path>" not in text, path
        assert "{" not in text.splitlines()[0], path  # typer's `{NAME}` for a required argument
    add = hubctl("cluster", "add", "--help").out
    assert add.startswith("Usage: hubctl cluster add NAME --server URL --credentials REF [OPTIONS]\n")
    assert "-l, --label KEY=VALUE" in add and "--credentials REF" in add and "-C, --dir DIR" in add
    assert hubctl("flow", "add", "--help").out.startswith(
        "Usage: hubctl flow add NAME --space SPACE [OPTIONS]\n")
    assert "--server URL" in hubctl("status", "--help").out and "--timeout DURATION" in hubctl("status", "-h").out
    assert hubctl("init", "-h").out.startswith("Usage: hubctl init [DIR] [OPTIONS]\n")
    assert "-o, --output [text|wide|json|yaml|name]" in hubctl("cluster", "list", "-h").out


def test_global_flags_may_follow_the_command_as_kubectls_do(hubctl, fleet):
    assert hubctl("validate", "-q", "-C", fleet).err == ""
    assert hubctl("cluster", "list", "-C", fleet, "--quiet").err == ""
    assert ESC in piped("validate", "-C", fleet, "--color", "always").err
    assert ESC not in piped("validate", "-C", fleet, "--color", "never", env={"FORCE_COLOR": "1"}).err
    assert hubctl("validate", "--color", "sometimes").code == ExitCode.USAGE
    assert "--quiet" not in hubctl("validate", "-h").out  # listed once, under the global options


def test_every_reporting_command_speaks_json_and_yaml(hubctl, fleet, tmp_path):
    init = json.loads(hubctl("init", tmp_path / "new", "-o", "json").out)
    assert init["version"] == 1 and "hubctl.yaml" in {os.path.basename(p) for p in init["created"]}
    assert json.loads(hubctl("schema", "-o", "json").out)["kinds"] == ["hub", "cluster", "space", "flow",
                                                                       "blueprint"]
    assert yaml.safe_load(hubctl("schema", "cluster", "-o", "yaml").out) == json.loads(
        hubctl("schema", "cluster", "-o", "json").out)
    git("init", "-q", "-b", "main", cwd=fleet)
    git("add", "-A", cwd=fleet)
    git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "fleet", cwd=fleet)
    for args in (("validate",), ("render", "--check"), ("diff", "--base", "HEAD", "--stat")):
        as_json, as_yaml = hubctl(*args, "-C", fleet, "-o", "json"), hubctl(*args, "-C", fleet, "-o", "yaml")
        assert as_json.code == as_yaml.code and yaml.safe_load(as_yaml.out) == json.loads(as_json.out), args


def test_appset_preview_names_and_piped_table(hubctl, fleet):
    assert hubctl("render", "-C", fleet).code == 0
    sets = fleet / "rendered" / "hub" / "applicationsets"
    names = hubctl("appset", "preview", sets, "-C", fleet, "-o", "name").out.splitlines()
    placed = json.loads(hubctl("placement", "-o", "json", "-C", fleet).out)["placements"]
    flows = [n for n in names if not n.startswith("application/spaces-")]  # each cluster's spaces Application
    assert sorted(flows) == sorted(f"application/{p['application']}" for p in placed)
    table = piped("appset", "preview", sets, "-C", fleet).out.splitlines()
    assert table[0].split() == ["APPSET", "NAME", "PROJECT", "DESTINATION", "SOURCE"]
    assert all(len(line.split()) == 5 for line in table[1:])



def test_every_command_but_two_takes_dash_o_json():
    from hubctl.cli import command

    tree = command()
    for path in _commands(tree):
        leaf = tree
        for name in path:
            leaf = leaf.commands[name]
        output = next((p for p in leaf.params if "--output" in p.opts), None)
        if path in (("hub", "emulate"), ("completion",)):  # a server; a shell script (docs/cli.md)
            assert output is None, path
            continue
        assert output is not None and "-o" in output.opts, path
        described = getattr(output, "type_descriptor", None)
        choices = [str(getattr(c, "value", c)) for c in (described.choices or ())] if described else []
        assert not choices or "json" in choices, path  # a str option (status) checks its value itself


@pytest.mark.parametrize("kind", ["cluster", "flow", "space"])
def test_every_listing_pipes_whole_names_and_speaks_o_name(hubctl, example_fleet, kind):
    """`flow list` and `space list` follow `cluster list`: kubectl's plain columns when piped, `-o name`,
    `-o yaml` with the same keys as `-o json`."""
    import json

    import yaml as pyyaml

    doc = json.loads(hubctl(kind, "list", "-o", "json", "-C", example_fleet).out)
    names = [r["name"] for r in doc[f"{kind}s"]]
    assert names
    table = hubctl(kind, "list", "-C", example_fleet)
    assert table.code == 0 and "\x1b" not in table.out and "━" not in table.out
    assert [line.split()[0] for line in table.out.splitlines()[1:]] == names
    assert hubctl(kind, "list", "-o", "name", "-C", example_fleet).out.split() == [f"{kind}/{n}" for n in names]
    assert pyyaml.safe_load(hubctl(kind, "list", "-o", "yaml", "-C", example_fleet).out) == doc
