"""Golden files: compare rendered output with files under tests/golden/, or rewrite them on request."""

from __future__ import annotations

import difflib
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def check_tree(name: str, files: dict[str, bytes], update: bool) -> None:
    """Assert that tests/golden/<name>/ holds exactly `files` (with --update-golden: make it so)."""
    base = GOLDEN / name
    existing = {p.relative_to(base).as_posix(): p for p in base.rglob("*") if p.is_file()} if base.exists() else {}
    if update:
        for rel, data in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
        for rel in set(existing) - set(files):
            existing[rel].unlink()
        return
    missing = sorted(set(files) - set(existing))
    stale = sorted(set(existing) - set(files))
    assert not missing and not stale, f"golden {name}: new files {missing[:10]}, gone {stale[:10]} (--update-golden)"
    for rel, data in files.items():
        expected = existing[rel].read_bytes()
        if expected != data:
            diff = "".join(difflib.unified_diff(expected.decode().splitlines(True), data.decode().splitlines(True),
                                                f"golden/{name}/{rel}", "rendered"))
            raise AssertionError(f"rendered {rel} differs from its golden file (--update-golden):\n{diff}")


def check_text(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    expected = path.read_text()
    if expected != text:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(path), "actual"))
        raise AssertionError(f"output differs from {path} (--update-golden):\n{diff}")
