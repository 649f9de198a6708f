"""Traps a new user walking README.md and docs/ fell into (issue #15), one test each.

Each test is what the newcomer typed, with what they saw then and what they see now.
"""

from __future__ import annotations

import json

from hubctl.base.errors import ExitCode
from tests.support.gitservers import git


def _fresh_fleet(hubctl, tmp_path):
    """`hubctl init` then `git init -b main`, as README.md shows: a repository without a commit yet."""
    fleet = tmp_path / "my-fleet"
    assert hubctl("init", fleet).code == 0
    git("init", "-q", "-b", "main", cwd=fleet)
    return fleet


def test_diff_before_the_first_commit_reviews_the_whole_fleet_as_new(hubctl, tmp_path):
    # every edit ends with "review with `hubctl diff`, then commit"; before the first commit diff said
    # "HEAD has no commit yet" (exit 5) and its hint (pass --base REF) named nothing a new repository has
    fleet = _fresh_fleet(hubctl, tmp_path)
    assert hubctl("render", "-C", fleet).code == 0
    result = hubctl("diff", "-C", fleet, "-o", "json")
    assert result.code == 0, result.err
    review = json.loads(result.out)
    assert review["summary"]["applications_added"] == 1  # hello on dev-1
    assert "no commit yet" in result.err  # a note says what the base is
    text = hubctl("diff", "-C", fleet)
    assert text.code == 0 and "hello (team-a) added" in text.out


def test_diff_on_an_unborn_branch_of_a_clone_compares_with_the_default_branch(hubctl, tmp_path):
    fleet = _fresh_fleet(hubctl, tmp_path)
    assert hubctl("render", "-C", fleet).code == 0
    assert hubctl("commit", "-C", fleet).code == 0
    git("checkout", "-q", "--orphan", "fresh", cwd=fleet)
    result = hubctl("diff", "-C", fleet, "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["summary"]["applications_added"] == 0  # main's fleet is the base


def test_an_edit_refused_does_not_send_the_user_to_validate(hubctl, tmp_path):
    # the refused edit wrote nothing, so `hubctl validate` then says the fleet is valid: the hint misled
    fleet = _fresh_fleet(hubctl, tmp_path)
    result = hubctl("flow", "add", "dashboards", "-C", fleet, "--space", "team-a", "--repo",
                    "https://grafana.github.io/helm-charts", "--helm-chart", "grafana", "--revision", "8.5.2")
    assert result.code == ExitCode.INVALID
    assert "sourceRepos" in result.out + result.err
    assert "hubctl validate" not in result.err
    assert hubctl("validate", "-C", fleet).code == 0


def _leaf_commands(group, path=()):
    subs = getattr(group, "commands", None)
    if not subs:
        yield path, group
        return
    for name, sub in subs.items():
        yield from _leaf_commands(sub, (*path, name))


def test_help_examples_are_whole_commands_a_user_can_paste(hubctl):
    # `flow add --help` showed a command over two lines without a `\`: pasted, it ran without its options
    from hubctl.cli import command

    broken = []
    for path, _ in _leaf_commands(command()):
        text = hubctl(*path, "--help").out
        examples = text.split("Example", 1)[1].split("Arguments:")[0].split("Options:")[0] if "Example" in text else ""
        lines = [line.strip() for line in examples.splitlines()[1:] if line.strip()]
        for before, line in zip(lines, lines[1:], strict=False):
            if not line.startswith(("hubctl ", "source ", "python ", "#")) and not before.endswith("\\"):
                broken.append(f"{' '.join(path)}: {line}")
    assert not broken, broken


def test_metavars_say_what_a_value_is(hubctl):
    # `--repo PATH` for a Helm repository URL, `--helm-chart HELM-CHART`, `--output OUTPUT` without choices
    flow = hubctl("flow", "add", "--help").out
    assert "--repo URL" in flow and "--helm-chart CHART" in flow
    space = hubctl("space", "add", "--help").out
    assert "--owner GROUP" in space and "--viewer GROUP" in space and "--source-repo GLOB" in space
    assert "--description TEXT" in space
    assert "-o, --output [text|wide|json|yaml|name]" in hubctl("status", "--help").out
    assert "-o, --output [text|json]" in hubctl("prune", "--help").out
    assert "--repo PATH" in hubctl("hub", "emulate", "--help").out  # a repository on disk there


def _pushed_from_master(hubctl, tmp_path):
    """README's steps on a machine whose git makes `master` (git before 2.28, or init.defaultBranch): the
    fleet's hubctl.yaml says the hub syncs `main`."""
    from tests.support.gitservers import bare_repo

    origin = bare_repo(tmp_path / "origin.git")
    fleet = tmp_path / "my-fleet"
    assert hubctl("init", fleet).code == 0
    git("-c", "init.defaultBranch=master", "init", "-q", cwd=fleet)
    git("remote", "add", "origin", str(origin), cwd=fleet)
    assert hubctl("render", "-C", fleet).code == 0
    return fleet, hubctl("commit", "-C", fleet, "--push")


def test_a_push_of_a_branch_the_hub_does_not_sync_says_so(hubctl, tmp_path):
    # it pushed `master` and said only "pushed master to origin"; the hub, on `main`, never saw it
    _, pushed = _pushed_from_master(hubctl, tmp_path)
    assert pushed.code == 0, pushed.err
    assert "the hub syncs main" in pushed.err and "master" in pushed.err


def test_waiting_on_a_branch_the_hub_does_not_sync_stops_at_once(hubctl, tmp_path, monkeypatch):
    # it waited for master's head, which the hub never syncs, until the timeout (exit 8), with no hint
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "a-token")
    fleet, _ = _pushed_from_master(hubctl, tmp_path)
    result = hubctl("status", "-C", fleet, "--wait", "--timeout", "5s", "--server", "https://127.0.0.1:9")
    assert result.code == ExitCode.GIT, result.err
    assert "main" in result.err and "master" in result.err and "merge" in result.err
    git("push", "-q", "origin", "master:main", cwd=fleet)  # merged (here: the same commit on main)
    git("fetch", "-q", "origin", cwd=fleet)
    later = hubctl("status", "-C", fleet, "--wait", "--timeout", "1s", "--server", "https://127.0.0.1:9")
    assert later.code == ExitCode.HUB_UNREACHABLE, later.err  # now it asks the hub (here: nothing listens)


def test_init_says_the_fleet_needs_git_and_on_which_branch(hubctl, tmp_path):
    # init's next step was only `hubctl validate`; diff and commit then failed with "not in a Git repository",
    # and commit's hint `git init` made `master` on many machines, a branch the hub never syncs
    result = hubctl("init", tmp_path / "my-fleet")
    assert result.code == 0
    assert f"git -C {tmp_path / 'my-fleet'} init -b main" in result.err
    (tmp_path / "inside").mkdir()
    git("init", "-q", "-b", "main", cwd=tmp_path / "inside")
    assert "git -C" not in hubctl("init", tmp_path / "inside" / "fleet").err  # already in a repository
    other = tmp_path / "other"
    assert hubctl("init", other).code == 0
    committed = hubctl("commit", "-C", other)
    assert committed.code == ExitCode.GIT and "git init -b main" in committed.err


def test_the_first_commit_says_what_it_left_out(hubctl, tmp_path):
    # the one-commit workflow left init's README.md untracked, without a word
    fleet = _fresh_fleet(hubctl, tmp_path)
    (fleet / ".gitignore").write_text("notes.txt\n")
    (fleet / "notes.txt").write_text("ignored: not mentioned\n")
    assert hubctl("render", "-C", fleet).code == 0
    result = hubctl("commit", "-C", fleet)
    assert result.code == 0, result.err
    note = [line for line in result.err.splitlines() if "README.md" in line]
    assert note and "git add" in note[0] and "notes.txt" not in result.err and ".gitignore" in note[0]
    git("add", "README.md", ".gitignore", cwd=fleet)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "readme", cwd=fleet)
    (fleet / "flows" / "hello.yaml").write_text((fleet / "flows" / "hello.yaml").read_text().replace("1.0.0", "1.1.0"))
    assert hubctl("render", "-C", fleet).code == 0
    assert "README.md" not in hubctl("commit", "-C", fleet).err  # tracked now: nothing to say


def test_a_command_run_inside_the_fleet_finds_its_root_as_git_does(hubctl, tmp_path, monkeypatch):
    # `cd flows && hubctl validate` said "<fleet>: no hubctl.yaml in the fleet directory" (exit 3)
    fleet = _fresh_fleet(hubctl, tmp_path)
    monkeypatch.chdir(fleet / "flows")
    result = hubctl("validate")
    assert result.code == 0, result.out + result.err
    assert hubctl("render").code == 0 and (fleet / "rendered" / "hub").is_dir()
    assert not (fleet / "flows" / "rendered").exists()
    listing = hubctl("cluster", "list", "-o", "name")
    assert listing.code == 0 and listing.out == "cluster/dev-1\n"


def test_the_search_for_the_fleet_root_stops_at_the_repository(hubctl, tmp_path, monkeypatch):
    # a hubctl.yaml above the Git work tree (a shared /tmp, a home directory) is not this repository's fleet
    assert hubctl("init", tmp_path).code == 0
    inner = tmp_path / "elsewhere"
    inner.mkdir()
    git("init", "-q", "-b", "main", cwd=inner)
    monkeypatch.chdir(inner)
    assert hubctl("validate").code == ExitCode.INVALID


def test_an_edit_names_every_step_before_the_commit(hubctl, tmp_path):
    # `cluster drain` printed "rendered: 3 changed, ..." and "review with `hubctl diff`, then commit"; it had
    # rendered nothing, so diff listed the drained cluster's files as planted and commit refused (exit 4)
    fleet = _fresh_fleet(hubctl, tmp_path)
    assert hubctl("render", "-C", fleet).code == 0
    added = hubctl("cluster", "add", "dev-2", "-C", fleet, "--server", "https://dev-2.k8s.example.com",
                   "--env", "dev", "--region", "eu-west", "--credentials", "aws-role:arn:aws:iam::123456789012:role/a")
    assert added.code == 0, added.err
    steps = added.err.strip().splitlines()[-1]
    assert "hubctl render" in steps and steps.index("hubctl render") < steps.index("hubctl diff"), steps
    assert hubctl("render", "-C", fleet).code == 0 and hubctl("diff", "-C", fleet).code == 0
    assert hubctl("commit", "-C", fleet).code == 0


def test_cluster_add_help_marks_what_it_requires(hubctl, tmp_path):
    # --credentials showed as optional; leaving it out then said "needs credentials" (the issue's own bullet)
    text = hubctl("cluster", "add", "--help").out
    assert text.startswith("Usage: hubctl cluster add NAME --server URL --credentials REF [OPTIONS]\n")
    options = text.split("Options:")[1]
    assert "[required]" in options[options.index("--credentials REF"):].split("\n  -")[0]
    for flag in ("--environment", "--region"):  # or from -l env=E / -l region=R
        assert "required unless -l" in options[options.index(flag):].split("\n  -")[0], flag
    fleet = _fresh_fleet(hubctl, tmp_path)
    missing = hubctl("cluster", "add", "dev-2", "-C", fleet, "--server", "https://dev-2.example.com")
    assert missing.code == ExitCode.USAGE and "--credentials" in missing.err


def test_prune_after_an_unpushed_commit_stops_before_the_hub(hubctl, tmp_path, monkeypatch):
    # prune read the removals a local, never pushed commit allowed: the hub's ApplicationSets still generate
    # those Applications, so deleting them (cascading to the spokes) only made Argo CD create them again
    from tests.support.gitservers import bare_repo

    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", "a-token")
    fleet = _fresh_fleet(hubctl, tmp_path)
    git("remote", "add", "origin", str(bare_repo(tmp_path / "origin.git")), cwd=fleet)
    assert hubctl("cluster", "add", "staging-1", "-C", fleet, "--server", "https://staging-1.example.com",
                  "--env", "staging", "--region", "eu-west",
                  "--credentials", "aws-role:arn:aws:iam::123456789012:role/s").code == 0
    assert hubctl("render", "-C", fleet).code == 0
    assert hubctl("commit", "-C", fleet, "--push").code == 0
    hello = fleet / "flows" / "hello.yaml"
    hello.write_text(hello.read_text().replace("env: dev", "env: staging"))  # hello leaves dev-1
    assert hubctl("render", "-C", fleet).code == 0
    assert hubctl("commit", "-C", fleet).code == 0  # not pushed
    result = hubctl("prune", "-C", fleet, "--dry-run", "--server", "https://127.0.0.1:9")
    assert result.code == ExitCode.GIT, result.err  # not 6: the hub is not asked
    assert "push" in result.err


def test_a_removal_says_removed(hubctl, tmp_path):
    # `flow remove api` said "wrote flows/api.yaml" of the file it deleted
    fleet = _fresh_fleet(hubctl, tmp_path)
    assert hubctl("flow", "add", "api", "-C", fleet, "--space", "team-a", "--blueprint", "http-service",
                  "-p", "image=ghcr.io/example/api:1.0.0", "-l", "env=dev").code == 0
    removed = hubctl("flow", "remove", "api", "-C", fleet)
    assert removed.code == 0 and not (fleet / "flows" / "api.yaml").exists()
    assert "removed flows/api.yaml" in removed.err and "wrote flows/api.yaml" not in removed.err


def test_the_first_validate_speaks_english(hubctl, tmp_path):
    # the first line a new user reads said "fleet is valid: 1 clusters, 1 spaces, 1 flows, 1 blueprints"
    fleet = _fresh_fleet(hubctl, tmp_path)
    line = hubctl("validate", "-C", fleet).err.strip()
    assert line == "fleet is valid: 1 cluster, 1 space, 1 flow, 1 blueprint, 1 placement", line


def test_placement_counts_the_clusters_it_uses(hubctl, tmp_path):
    # with a cluster no flow lands on, it said "placement: 1 Applications on 2 clusters"
    fleet = _fresh_fleet(hubctl, tmp_path)
    assert hubctl("cluster", "add", "staging-1", "-C", fleet, "--server", "https://staging-1.example.com",
                  "--env", "staging", "--region", "eu-west",
                  "--credentials", "aws-role:arn:aws:iam::123456789012:role/s").code == 0
    title = hubctl("placement", "-C", fleet).err.splitlines()[0]
    assert title == "placement: 1 Application on 1 of 2 clusters", title
