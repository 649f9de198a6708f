"""The command examples of README.md and docs/*.md, as the documentation tests run them.

The convention (docs/README.md, "Documentation examples"):

- A fenced block tagged `console` is a session: each `$ ` line is a command (a trailing `\\` continues
  it); the lines after it, up to the next `$ ` line, are the output it prints (stdout, then stderr).
  `...` in the output stands for any text, and a line holding only `...` for any number of lines.
- A fenced block tagged `sh`, `bash` or `shell` holds commands only: every line that is not blank or a
  comment is a command, with an optional `# comment` after it.
- A command exits 0 unless its comment starts with `# exit N` (more text may follow).
- Blocks without a tag are synopses (`hubctl status [-C DIR] [--wait]`) or output, never run; a line of
  such a block that starts with `hubctl ` must read as a synopsis (a `[`, `...`, `|` or an upper-case
  placeholder such as FILE), so a concrete example cannot hide there unrun. `text` blocks are output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_TAGS = {"console", "sh", "bash", "shell"}
SHELL_TAGS = RUN_TAGS - {"console"}
_FENCE = re.compile(r"^(```|~~~)\s*([\w+-]*)")
_EXIT = re.compile(r"\s#\s*exit\s+(\d+)\b[^\n]*$")
_PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]{2,}\b|[\[|<]|\.\.\.")


@dataclass(frozen=True)
class Block:
    file: str
    line: int  # of the first line inside the fence
    tag: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    file: str
    line: int
    command: str  # as a shell reads it, the `# exit N` comment included
    exit_code: int = 0
    output: str | None = None  # console blocks only: the output the document shows

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def doc_files(root: Path = ROOT) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def blocks(text: str, file: str) -> list[Block]:
    """Every fenced code block of a Markdown text, with its tag and the line it starts on."""
    found, current, fence, tag, start = [], None, "", "", 0
    for number, line in enumerate(text.splitlines(), 1):
        match = _FENCE.match(line.lstrip())
        if current is None and match:
            fence, tag, start, current = match.group(1), match.group(2).lower(), number + 1, []
        elif current is not None and line.strip() == fence:
            found.append(Block(file, start, tag, tuple(current)))
            current = None
        elif current is not None:
            current.append(line)
    return found


def examples(block: Block) -> list[Example]:
    """The commands of a runnable block, in order; [] for blocks that are not run."""
    if block.tag == "console":
        return _console(block)
    if block.tag in SHELL_TAGS:
        return [_example(block.file, line, text, None) for line, text in _logical_lines(block, prompt=None)]
    return []


def synopsis_violations(block: Block) -> list[str]:
    """Lines of an untagged block that look like a concrete hubctl command rather than a synopsis."""
    if block.tag:
        return []
    return [f"{block.file}:{block.line + offset}: {line.strip()}" for offset, line in enumerate(block.lines)
            if line.startswith(("hubctl ", "$ hubctl ")) and not _PLACEHOLDER.search(line)]


def output_matches(expected: str, actual: str) -> bool:
    """True when `actual` is `expected` with each `...` standing for any text (a lone `...` line: any lines).

    Trailing blanks of each line and blank lines at the end do not count."""
    def tidy(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())

    pattern = []
    for line in tidy(expected).split("\n"):
        if line.strip() == "...":
            pattern.append(r"(?:.*\n)*?")  # any number of whole lines
        else:
            pattern.append(".*?".join(re.escape(part) for part in line.split("...")) + r"\n")
    return re.fullmatch("".join(pattern), tidy(actual) + "\n") is not None


def _console(block: Block) -> list[Example]:
    found: list[Example] = []
    command: list[str] = []
    first, output = 0, []
    for offset, line in enumerate(block.lines):
        if command and command[-1].endswith("\\"):
            command.append(line)
        elif line.startswith("$ "):
            if command:
                found.append(_example(block.file, first, "\n".join(command), output))
            first, command, output = block.line + offset, [line[2:]], []
        elif command:
            output.append(line)
    if command:
        found.append(_example(block.file, first, "\n".join(command), output))
    return found


def _logical_lines(block: Block, prompt: str | None):
    pending: list[str] = []
    first = 0
    for offset, line in enumerate(block.lines):
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not pending:
            first = block.line + offset
        pending.append(line)
        if not line.rstrip().endswith("\\"):
            yield first, "\n".join(pending)
            pending = []
    if pending:
        yield first, "\n".join(pending)


def _example(file: str, line: int, command: str, output: list[str] | None) -> Example:
    match = _EXIT.search(command)
    shown = "\n".join(output).strip("\n") if output is not None else None
    return Example(file, line, command.strip(), int(match.group(1)) if match else 0, shown or None)


def all_blocks(root: Path = ROOT) -> list[Block]:
    return [b for path in doc_files(root) for b in blocks(path.read_text(), str(path.relative_to(root)))]


_INLINE = re.compile(r"(?<!`)`(hubctl [^`\n]+)`(?!`)")
_OUTPUT_BEFORE = re.compile(r"\b(prints?|says?|shows?|outputs?)\s*:?\s*$")


def inline_commands(text: str, file: str) -> list[tuple[str, str]]:
    """(file:line, command) of each concrete `hubctl ...` in inline code outside fenced blocks (no `[`, `|`,
    `<` or `...`: those are synopses; none right after "prints", "says", "shows": that is output)."""
    found, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in _INLINE.finditer(line):
            command = match.group(1).strip()
            if _OUTPUT_BEFORE.search(line[:match.start()]):  # "prints `hubctl version 1.0`": output
                continue
            if not any(mark in command for mark in ("[", "|", "<", "...")):
                found.append((f"{file}:{number}", command))
    return found
