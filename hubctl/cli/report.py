"""Problems as text, JSON and GitHub annotations (pure: returns strings)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hubctl.base.problems import Problem

JSON_SCHEMA_VERSION = 1


def display_path(root: Path, file: str) -> str:
    """A problem's file as the user should see it: relative to the current directory when possible."""
    if not file or file.startswith("<"):
        return file
    full = root / file
    try:
        return os.path.relpath(full, Path.cwd()) if full.is_relative_to(Path.cwd()) else file
    except ValueError:
        return file


def _where(root: Path, p: Problem) -> str:
    if not p.file:
        return "<fleet>"
    name = display_path(root, p.file)
    return f"{name}:{p.line}:{p.column}" if p.line else name


def problems_text(root: Path, problems: list[Problem]) -> str:
    lines = []
    for p in problems:
        at = f" {p.path}:" if p.path else ""
        lines.append(f"{_where(root, p)}:{at} {p.message}")
        if p.hint:
            lines.append(f"  hint: {p.hint}")
    return "\n".join(lines)


def summary_line(problems: list[Problem]) -> str:
    files = {p.file for p in problems}
    n = len(problems)
    return f"{n} problem{'s' if n != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}"


def problems_json(root: Path, problems: list[Problem], summary: dict | None = None) -> str:
    body = {
        "version": JSON_SCHEMA_VERSION,
        "valid": not problems,
        "root": str(root),
        "problems": [{**p.to_dict(), "file": display_path(root, p.file)} for p in problems],
    }
    if summary is not None:
        body["summary"] = summary
    return json.dumps(body, indent=2, ensure_ascii=False)


def _escape_property(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def problems_github(root: Path, problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: one `::error` annotation per problem."""
    lines = []
    for p in problems:
        props = [f"file={_escape_property(display_path(root, p.file))}"] if p.file else []
        if p.line:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={_escape_property('hubctl ' + p.code)}")
        message = f"{p.path}: {p.message}" if p.path else p.message
        if p.hint:
            message += f" (hint: {p.hint})"
        lines.append(f"::error {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines)
