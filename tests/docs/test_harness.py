"""The documentation harness itself: what it reads as an example, how it matches output, and that a doc
which drifts from the CLI fails."""

from __future__ import annotations

from tests.docs.examples import Block, blocks, examples, output_matches, synopsis_violations
from tests.docs.test_doc_examples import first_failure

DOC = """\
# A page

```console
$ hubctl init my-fleet
created my-fleet/hubctl.yaml
...
fleet scaffolded in my-fleet; next: ...
$ hubctl validate -C my-fleet \\
    -o json                       # exit 3
```

```sh
# a comment line is not a command
hubctl render -C my-fleet         # writes rendered/

git status                        # exit 1: a comment may go on after the code
```

```
hubctl status [-C DIR] [--wait]
hubctl validate -C my-fleet
```

```yaml
run: hubctl validate
```
"""


def test_console_and_shell_blocks_are_examples_in_order():
    found = [e for b in blocks(DOC, "page.md") for e in examples(b)]
    assert [(e.line, e.command.split("#")[0].strip(), e.exit_code) for e in found] == [
        (4, "hubctl init my-fleet", 0),
        (8, "hubctl validate -C my-fleet \\\n    -o json", 3),
        (14, "hubctl render -C my-fleet", 0),
        (16, "git status", 1),
    ]
    assert found[0].output.splitlines()[0] == "created my-fleet/hubctl.yaml" and found[1].output is None


def test_a_concrete_command_in_an_untagged_block_is_reported():
    (synopses,) = [b for b in blocks(DOC, "page.md") if b.tag == ""]
    assert synopsis_violations(synopses) == ["page.md:21: hubctl validate -C my-fleet"]
    assert synopsis_violations(Block("p.md", 1, "text", ("hubctl validate -C x",))) == []


def test_output_matching_with_ellipses():
    assert output_matches("a\n...\nd", "a\nb\nc\nd\n")
    assert output_matches("a\n...\nb", "a\nb")  # a lone `...` may stand for no line at all
    assert output_matches("rendered: ... files", "rendered: 8 files  \n\n")
    assert not output_matches("rendered: ... files", "rendered: 8 files\nmore")
    assert not output_matches("a\nc", "a\nb\nc")
    assert not output_matches("x (y)", "x y")  # the doc's text is literal, not a pattern


def test_a_doc_that_drifts_fails_with_its_line(scratch):
    runs = [e for b in blocks(DOC, "page.md") for e in examples(b)]
    assert first_failure(scratch, runs[:1]) is None
    failure = first_failure(scratch, runs[1:2])
    assert failure.startswith("page.md:8: `hubctl validate -C my-fleet") and "exited 0, the doc implies 3" in failure
    wrong = blocks("```console\n$ hubctl validate -C my-fleet\nfleet is broken\n```\n", "wrong.md")
    failure = first_failure(scratch, examples(wrong[0]))
    assert failure.startswith("wrong.md:2: ") and "fleet is valid: 1 cluster" in failure


def test_shell_lines_run_through_sh_with_hubctl_on_path(scratch):
    text = "```sh\nhubctl init f && cd f\ncd f\nhubctl validate -o json > report.json && test -s report.json\n```\n"
    runs = examples(blocks(text, "sh.md")[0])
    assert first_failure(scratch, runs) is None
    assert (scratch.work / "f" / "report.json").read_text().startswith("{")


def test_and_chains_and_redirections_run_in_process(scratch):
    text = """```console
$ hubctl init f && hubctl validate -C f -o json > report.json && hubctl placement -C nowhere   # exit 2
...
error: ...nowhere...
...
$ hubctl cluster add dev-2 -C f --server https://dev-2.k8s.example.com --env dev --region eu-west \\
    --credentials external-secret:vault/clusters#dev-2
```
"""
    assert first_failure(scratch, examples(blocks(text, "chain.md")[0])) is None
    assert '"valid": true' in (scratch.work / "report.json").read_text()
    assert "property: dev-2" in (scratch.work / "f" / "clusters" / "dev-2.yaml").read_text()  # `#` in a word


def test_command_lines_are_checked_against_the_cli():
    from tests.docs.cliparse import problem

    assert problem("hubctl placement --explain web prod-eu-1 -o json") is None  # --explain takes two values
    assert problem("hubctl status --flow/--space/--cluster") is None
    assert problem("hubctl diff --base origin/main -o markdown > comment.md") is None
    assert problem("hubctl --help") is None
    assert problem("hubctl render fleet.yaml") == "`hubctl render` takes 0 argument(s), the line gives 1"
    assert problem("hubctl render --chek") == "`hubctl render` has no option --chek"
    assert problem("hubctl cluster evict dev-1") == "`hubctl cluster` has no command 'evict'"


def test_inline_commands_in_prose():
    from tests.docs.examples import inline_commands

    text = ("Run `hubctl validate -C fleet` or `hubctl status [--wait]`; `--version` prints `hubctl version 1.0`.\n"
            "```sh\n`hubctl render`\n```\n")
    assert inline_commands(text, "p.md") == [("p.md:1", "hubctl validate -C fleet")]


def test_a_command_that_never_ends_is_stopped_with_its_children(scratch, monkeypatch):
    from tests.docs import scratch as machine

    monkeypatch.setattr(machine, "_SHELL_TIMEOUT", 0.5)
    outcome = scratch.run("sleep 600 & sleep 600")
    assert outcome.code == 124 and "still running after 0.5 s" in outcome.err
