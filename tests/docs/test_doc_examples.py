"""Every command example of README.md and docs/*.md runs, in document order, and does what the doc says.

The convention is in tests/docs/examples.py and docs/README.md ("Documentation examples"). Each doc
file gets one scratch machine (tests/docs/scratch.py): a working directory, a Git origin the fleets' URL
leads to and a hub emulator behind $KUBECONFIG. A command that cannot run here is listed in NOT_RUN with
the reason; nothing is skipped silently, and an entry no doc holds any more fails the test too.
"""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main

from hubctl.cli import app
from tests.docs.cliparse import problem
from tests.docs.examples import (
    ROOT,
    all_blocks,
    doc_files,
    examples,
    inline_commands,
    output_matches,
    synopsis_violations,
)
from tests.docs.scratch import Scratch

EXAMPLE_FLEET = ROOT / "examples" / "fleet"
BAD_FLEETS = ROOT / "tests" / "bad_fleets"

# Where each file's examples start: None is an empty directory (README begins with `hubctl init`);
# otherwise the fleet copied there (with overlays), rendered unless it is meant to be invalid, committed and
# pushed to origin. Files not listed run in the example fleet.
SETUPS = {
    "README.md": None,
    "docs/security.md": ((BAD_FLEETS / "_base", BAD_FLEETS / "secret-env-entry-by-name"), False),
    "docs/hubs.md": ((EXAMPLE_FLEET, ROOT / "tests" / "docs" / "fleets" / "multihub"), True),
}
DEFAULT_SETUP = ((EXAMPLE_FLEET,), True)

NOT_RUN = {
    ("docs/cli.md", "source <(hubctl completion bash)"): "changes the user's shell; tests/cli/test_completion.py "
                                                         "runs the scripts in real bash, zsh and fish",
    ("docs/cli.md", 'hubctl completion zsh > "${fpath[1]}/_hubctl"'): "writes into zsh's function path; "
                                                                      "tests/cli/test_completion.py runs it",
    ("docs/cli.md", "hubctl completion fish > ~/.config/fish/completions/hubctl.fish"):
        "writes into the user's fish config; tests/cli/test_completion.py runs it",
    ("README.md", "pip install ."): "installs hubctl into the environment; these tests run the checkout itself",
    ("README.md", "make demo"): "runs examples/demo.py, the same path as tests/cli/test_first_hour.py, in .demo/",
    ("README.md", "make test"): "the whole suite, this test included",
    ("README.md", "make lint"): "ruff over the checkout: CI runs it as its own step",
    ("README.md", ".venv/bin/nox -s tests lint"): "the whole suite and ruff again, through nox",
    ("README.md", ".venv/bin/python -m pytest tests/spec --update-golden"): "rewrites the golden files",
    ("README.md", '.venv/bin/python -m pytest -m "not slow"'): "the suite less its slow tests, this test included",
    ("docs/git.md", "ssh-keyscan -t ed25519 github.com > known_hosts"): "asks github.com (network)",
    ("docs/git.md", "ssh-keygen -lf known_hosts"): "reads the file the previous, network-bound line writes",
    ("docs/git.md", "export HUBCTL_SSH_KNOWN_HOSTS=$PWD/known_hosts"): "sets up the push to github.com below",
    ("docs/git.md", "export HUBCTL_SSH_KEY=$RUNNER_TEMP/deploy_key"): "a deploy key from a CI secret",
    ("docs/git.md", "export HUBCTL_SSH_PASSPHRASE=..."): "a placeholder for a secret",
    ("docs/git.md", "hubctl commit --push --remote git@github.com:acme/fleet-deploy.git"):
        "pushes to github.com over ssh (the ssh path runs against a local sshd in tests/commit)",
    ("docs/bootstrap.md", "HUBCTL_ARGOCD_TOKEN=$(argocd account generate-token --account hubctl) hubctl status "
                          "--source argocd --server https://argocd.example.com --wait"):
        "a token from a real Argo CD (the Argo CD API path runs against the emulator in tests/hub)",
}

# Programs whose every documented use needs something a test machine does not have.
NOT_RUN_PROGRAMS = {
    "kubectl": "needs a real hub cluster (docs/bootstrap.md); the emulator serves only the Applications API",
    "argocd": "needs a real Argo CD API server",
}

BLOCKS = all_blocks()


def _key(example) -> tuple[str, str]:
    return example.file, re.sub(r"\s+#.*$", "", example.command)


def _doc_examples() -> dict[str, list]:
    found: dict[str, list] = {}
    for block in BLOCKS:
        found.setdefault(block.file, []).extend(examples(block))
    return {doc: runs for doc, runs in found.items() if runs}


DOC_EXAMPLES = _doc_examples()


def _not_run(example) -> bool:
    return _key(example) in NOT_RUN or example.command.split(None, 1)[0] in NOT_RUN_PROGRAMS


def first_failure(scratch: Scratch, runs) -> str | None:
    """Run `runs` in order in `scratch`; the first one that does not do what its doc says, explained."""
    for example in runs:
        if _not_run(example):
            continue
        outcome = scratch.run(example.command)
        if outcome.code != example.exit_code:
            return (f"{example.where}: `{example.command}` exited {outcome.code}, the doc implies "
                    f"{example.exit_code} (annotate other codes with `# exit N`)\n{outcome.text}")
        if example.output is not None and not output_matches(example.output, outcome.text):
            return f"{example.where}: `{example.command}` printed\n{outcome.text}\nthe doc shows\n{example.output}"
    return None


@pytest.mark.parametrize("doc", sorted(DOC_EXAMPLES))
def test_examples_run_as_documented(doc, scratch):
    setup = SETUPS.get(doc, DEFAULT_SETUP)
    if setup is not None:
        (source, *overlays), render = setup
        scratch.fleet(source, *overlays, render=render)
    failure = first_failure(scratch, DOC_EXAMPLES[doc])
    assert failure is None, failure


def test_not_run_list_names_only_documented_commands():
    documented = {_key(e) for runs in DOC_EXAMPLES.values() for e in runs}
    assert not set(NOT_RUN) - documented, "NOT_RUN lists commands no doc holds any more: remove them"
    programs = {e.command.split(None, 1)[0] for runs in DOC_EXAMPLES.values() for e in runs}
    assert not set(NOT_RUN_PROGRAMS) - programs, "NOT_RUN_PROGRAMS lists programs no doc runs any more"


def test_untagged_blocks_hold_synopses_only():
    """A concrete command in an untagged block would never run: tag it ```console or ```sh."""
    assert [v for block in BLOCKS for v in synopsis_violations(block)] == []


def test_synopses_name_real_commands_and_options():
    """`hubctl status [-C DIR] [--wait]` in an untagged block: the command and each option exist (the
    arguments are placeholders, not counted)."""
    checked, wrong = 0, []
    for block in BLOCKS:
        for offset, line in enumerate(block.lines if not block.tag else ()):
            if not line.startswith("hubctl "):
                continue
            words = re.sub(r"[\[\]]|\.\.\.", " ", line.split("  #")[0]).split()
            words = [w.split("|")[0] if i < 3 and not w.startswith("-") else w for i, w in enumerate(words)]
            words = [part for w in words for part in (w.split("|") if w.startswith("-") else [w])]  # -y|--yes
            why = problem(" ".join(words))
            if why and "argument" not in why:
                wrong.append(f"{block.file}:{block.line + offset}: {why}")
            checked += 1
    assert checked > 20 and not wrong, wrong


def _ci_commands():
    """(file:line, words after `hubctl`) of each hubctl command in the CI jobs of docs/ci.md (YAML blocks)."""
    for block in BLOCKS:
        if block.file != "docs/ci.md" or block.tag != "yaml":
            continue
        for offset, line in enumerate(block.lines):
            match = re.search(r"(?:^|[-:]\s|&&\s)\s*hubctl\s(.*)", line)
            if not match:
                continue
            command = re.split(r"\s[>|]\s|\s&&\s|\s#", match.group(1))[0].rstrip("\\ ")
            command = re.sub(r'"[^"]*"|\$\{\{[^}]*\}\}|\$\w+', "VALUE", command)
            yield f"{block.file}:{block.line + offset}", shlex.split(command)


def test_ci_job_commands_parse():
    """The CI jobs run in CI, not here; each hubctl command in them still has to name a real command and
    options it has (an option on the continuation line of a job is not seen: the first line is checked)."""
    command = typer.main.get_command(app)
    checked = []
    for where, words in _ci_commands():
        node, rest = command, list(words)
        while getattr(node, "commands", None) and rest and rest[0] in node.commands:
            node = node.commands[rest.pop(0)]
        assert not getattr(node, "commands", None), f"{where}: `hubctl {' '.join(words)}` names no command"
        options = {opt for param in node.params for opt in param.opts} | {"-h", "--help"}
        unknown = [w for w in rest if w.startswith("-") and w.split("=", 1)[0] not in options]
        assert not unknown, f"{where}: `hubctl {' '.join(words)}`: no such option {unknown}"
        checked.append(where)
    assert len(checked) >= 8, f"expected the CI jobs' hubctl commands, found {checked}"


# Commands the prose names before they exist: each waits for the work named; when it lands the test asks
# for the entry to go.
PLANNED: dict[tuple[str, str], str] = {}


def test_commands_in_prose_name_real_commands_and_options():
    """Inline `hubctl ...` in prose is not run, but must be a command line the CLI accepts."""
    found = {(where, command): problem(command) for path in doc_files()
             for where, command in inline_commands(path.read_text(), str(path.relative_to(ROOT)))}
    assert len(found) > 50
    wrong = {f"{where}: `{command}`: {why}" for (where, command), why in found.items()
             if why and (where.split(":")[0], command) not in PLANNED}
    assert not wrong, "\n".join(sorted(wrong))
    still = {(where.split(":")[0], command) for (where, command), why in found.items() if why}
    landed = [key for key in PLANNED if key not in still]
    assert not landed, f"these planned commands work now (or moved): remove them from PLANNED: {landed}"
