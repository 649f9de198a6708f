"""Helpers for the ops tests: golden files compared byte for byte, and a fingerprint of a fleet."""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(case: str, fleet: Path, rel: str, update: bool) -> None:
    """The file `rel` of `fleet` equals tests/ops/golden/<case>/<rel> byte for byte."""
    actual = (fleet / rel).read_bytes()
    expected_path = GOLDEN / case / rel
    if update:
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_bytes(actual)
        return
    expected = expected_path.read_bytes()
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.decode().splitlines(True), actual.decode().splitlines(True),
                                            f"golden/{case}/{rel}", f"actual/{rel}"))
        raise AssertionError(f"{rel} differs from its golden file (pytest --update-golden rewrites it):\n{diff}")


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under `root` (relative path -> sha256): compare to prove nothing changed."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def changed_lines(before: str, after: str) -> list[str]:
    """The +/- lines of the diff between two texts."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
