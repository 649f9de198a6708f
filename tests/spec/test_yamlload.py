"""Loading specs: positions, YAML 1.2 scalars, and hostile input refused cleanly."""

from __future__ import annotations

import os

from hubctl.base.constants import MAX_FILE_BYTES
from hubctl.engines.yaml.yamlload import load_documents, yaml11_trap


def test_positions_of_keys_and_items():
    docs, problems = load_documents("f.yaml", b"a:\n  b: [x, {c: 1}]\n")
    assert not problems
    doc = docs[0]
    assert doc.where(("a", "b")) == (2, 3)
    assert doc.where(("a", "b", 1, "c")) == (2, 11)
    assert doc.where(("a", "nothing", "here")) == (1, 1)


def test_yaml12_scalars():
    docs, _ = load_documents("f.yaml", b"a: [1, 1.5, true, null, on, 0755, 0o17, 0x1f, '1', ~]\n")
    assert docs[0].data == {"a": [1, 1.5, True, None, "on", 755, 15, 31, "1", None]}


def test_yaml11_traps():
    assert yaml11_trap("on") == "a boolean"
    assert yaml11_trap("0755") == "an octal number"
    assert yaml11_trap("1:20") == "a base-60 number"
    assert yaml11_trap("0") is None and yaml11_trap("prod") is None


def test_multi_document_file():
    docs, problems = load_documents("f.yaml", b"a: 1\n---\nb: 2\n---\n")
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}] and not problems
    assert [d.index for d in docs] == [0, 1]


def test_every_duplicate_key_is_reported():
    _, problems = load_documents("f.yaml", b"a: 1\na: 2\nb: {c: 1, c: 2}\n")
    assert [(p.line, p.path, p.code) for p in problems] == [(2, "a", "duplicate-key"), (3, "b.c", "duplicate-key")]


def test_huge_file_is_refused_without_parsing():
    _, problems = load_documents("big.yaml", b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    assert problems[0].code == "file-too-large"


def test_bom_is_accepted():
    docs, problems = load_documents("f.yaml", "\ufeffa: 1\n".encode())
    assert docs[0].data == {"a": 1} and not problems


def test_symlink_out_of_the_repository_is_refused(hubctl, base_fleet, tmp_path, monkeypatch):
    outside = tmp_path / "outside.yaml"
    outside.write_text((base_fleet / "clusters" / "dev-1.yaml").read_text().replace("dev-1", "stolen"))
    os.symlink(outside, base_fleet / "clusters" / "stolen.yaml")
    monkeypatch.chdir(base_fleet)
    result = hubctl("validate")
    assert result.code == 3
    assert result.out.startswith("clusters/stolen.yaml: clusters/stolen.yaml points outside the repository")
