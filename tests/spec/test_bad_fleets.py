"""The bad-fleet corpus: each case breaks the minimal valid fleet in exactly one way.

A case directory holds the files it changes (`NAME.delete` removes a file, `NAME.b64` holds raw bytes)
and `expected.txt`: the one problem `hubctl validate` must report, as printed. Each case also proves
that nothing was written: validate and render leave the tree byte for byte as it was.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from support.tree import snapshot

CORPUS = Path(__file__).resolve().parent.parent / "bad_fleets"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def build_case(name: str, target: Path) -> tuple[Path, str]:
    shutil.copytree(CORPUS / "_base", target)
    for path in sorted((CORPUS / name).rglob("*")):
        rel = path.relative_to(CORPUS / name).as_posix()
        if path.is_dir() or rel == "expected.txt":
            continue
        if rel.endswith(".delete"):
            (target / rel.removesuffix(".delete")).unlink()
        elif rel.endswith(".b64"):
            dest = target / rel.removesuffix(".b64")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(base64.b64decode(path.read_text()))
        else:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return target, (CORPUS / name / "expected.txt").read_text()


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def test_base_fleet_is_valid(hubctl, base_fleet):
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("name", CASES)
def test_bad_fleet_reports_exactly_its_problem(name, hubctl, tmp_path, monkeypatch):
    fleet, expected = build_case(name, tmp_path / "fleet")
    monkeypatch.chdir(fleet)
    before = snapshot(fleet)

    result = hubctl("validate")

    assert result.code == 3
    assert result.out == expected
    assert "1 problem in 1 file" in result.err
    assert hubctl("render").code == 3
    assert snapshot(fleet) == before, "a failed validate or render must not write anything"


@pytest.mark.parametrize("name", CASES)
def test_bad_fleet_as_github_annotation(name, hubctl, tmp_path, monkeypatch):
    fleet, _ = build_case(name, tmp_path / "fleet")
    monkeypatch.chdir(fleet)
    result = hubctl("validate", "-o", "github")
    assert result.code == 3
    lines = result.out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error ")
