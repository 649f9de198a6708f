"""The redaction boundary: the registry (hubctl.base.redact) and every printing function of hubctl.cli.console."""

from __future__ import annotations

import pytest
from rich.table import Table
from rich.text import Text

from hubctl.base import redact
from hubctl.cli import console

SECRET = "CANARY-unit-" + "q7Wz3kP9xR2mV8nB4tY6" * 4  # long: a table cell must wrap it


@pytest.fixture(autouse=True)
def registered():
    redact.register(SECRET)


def fragments(secret: str, size: int = 8) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def leaked(text: str) -> list[str]:
    flat = "".join(text.split())  # a wrapped secret, joined back
    return sorted(f for f in fragments(SECRET) if f in text or f in flat)


def test_registered_secrets_and_each_of_their_lines_are_removed():
    redact.register("CANARY-first-line\nCANARY-second-line\n")
    assert redact.redact("a CANARY-first-line b CANARY-second-line") == "a [REDACTED] b [REDACTED]"
    assert redact.redact(f"x {SECRET} y") == "x [REDACTED] y"


def test_short_values_are_not_registered_so_words_survive():
    redact.register("abc")
    assert redact.redact("abc abcdef") == "abc abcdef"


@pytest.mark.parametrize(("text", "shown"), [
    ("http://user:pa55word@host/x", "http://user:[REDACTED]@host/x"),
    ("push to https://ghp_0123456789abcdef@github.com/o/r.git", "push to https://[REDACTED]@github.com/o/r.git"),
    ("ssh://git@github.com/o/r.git", "ssh://git@github.com/o/r.git"),  # an ssh user name is not a secret
    ("Invalid header value b'Bearer eyJhbGciOi\\nsecond'", "Invalid header value b'[REDACTED]'".replace(
        "[REDACTED]", "Bearer [REDACTED]")),
    ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic [REDACTED]"),
    ("a Bearer token is read from a file", "a Bearer token is read from a file"),
])
def test_credentials_recognised_without_registration(text, shown):
    assert redact.redact(text) == shown


def test_credential_variables_are_registered_from_the_environment():
    redact.register_environment({"HUBCTL_ARGOCD_TOKEN": "CANARY-env-argo-77", "HUBCTL_AUTHOR_NAME": "Jane Doe"})
    assert redact.redact("CANARY-env-argo-77 by Jane Doe") == "[REDACTED] by Jane Doe"


def test_every_printing_function_redacts(capsys):
    console.data(f"data {SECRET}")
    console.print_json({"token": SECRET})
    console.line(f"[bold]line[/bold] {SECRET}")
    console.rich(f"rich {SECRET}")
    for show in (console.info, console.success, console.warn, console.error):
        show(f"message {SECRET}")
    console.error("failed", hint=f"hint {SECRET}")
    out, err = capsys.readouterr()
    assert not leaked(out) and not leaked(err)
    assert out.count("[REDACTED]") == 4 and err.count("[REDACTED]") == 5


def test_a_table_cell_that_wraps_the_secret_never_shows_a_piece_of_it(capsys):
    table = Table(title=f"title {SECRET}")
    table.add_column("NAME")
    table.add_column(f"MESSAGE {SECRET}", overflow="fold", max_width=20)
    table.add_row("a", f"refused {SECRET} by the server")
    table.add_row(Text(f"x {SECRET}", style="red"), Text.assemble("styled ", (SECRET, "bold")))
    console.rich(table)
    out = capsys.readouterr().out
    assert "refused" in out and "[REDACTED]" in "".join(out.split()).replace("│", "")
    assert not leaked(out)


def test_a_traceback_is_redacted(capsys):
    try:
        raise RuntimeError(f"failed with {SECRET}")
    except RuntimeError as exc:
        console.traceback(exc)
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError: failed with [REDACTED]" in err
    assert not leaked(err)


def test_containers_are_scrubbed_too(capsys):
    from rich.console import Group
    from rich.panel import Panel

    table = Table()
    table.add_column("MESSAGE", overflow="fold", max_width=16)
    table.add_row(f"see {SECRET}")
    console.rich(Panel(Group(table, f"[bold]{SECRET}[/bold]", Text(SECRET)), width=30))
    out = capsys.readouterr().out
    assert not leaked(out) and "[REDACTED]" in out.replace("│", "").replace("\n", "").replace(" ", "")


def test_a_large_text_is_redacted_line_by_line():
    filler = "    repoURL: https://git.example.com/fleet.git\n" * 100_000  # 4.7 MB, a URL on every line
    text = f"{filler}push to https://u:pa55word@host/ with Bearer abcdefghijkl and {SECRET}\n{filler}"
    shown = redact.redact(text)
    assert shown == text.replace("pa55word", "[REDACTED]").replace("abcdefghijkl", "[REDACTED]").replace(
        SECRET, "[REDACTED]")
