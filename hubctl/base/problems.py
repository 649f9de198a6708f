"""A Problem: one thing wrong with the specs, located precisely enough to fix without searching."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the specs.

    Attributes:
        file: path relative to the fleet root ("" when not tied to a file).
        line: 1-based line (0 when unknown).
        column: 1-based column (0 when unknown).
        path: key path inside the document, e.g. "spec.placement.selector.matchLabels.env".
        message: what is wrong.
        hint: what to do about it.
        code: a stable identifier for the kind of problem (documented in docs/specs.md).
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    code: str = "invalid"

    @property
    def location(self) -> str:
        if not self.file:
            return "<fleet>"
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def to_dict(self) -> dict:
        return asdict(self)


def format_path(parts) -> str:
    """("spec", "labels", "env") -> "spec.labels.env"; list indexes as [0]."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            if "." in text or not text:
                text = f'"{text}"'
            out += f".{text}" if out else text
    return out
