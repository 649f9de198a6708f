"""The deterministic YAML emitter: every value reads back exactly, in YAML 1.1 and 1.2 readers."""

from __future__ import annotations

import random

import pytest
import yaml
from ruamel.yaml import YAML

from hubctl.engines.yaml.yamlio import dump, dump_all, needs_quotes

TRAPS = ["on", "off", "yes", "no", "y", "n", "Y", "NO", "true", "False", "null", "~", "", "0755", "0o17", "0x1F",
         "1e3", "1_000", "12:30", "1.5", ".5", "-1", "+1", ".inf", ".NaN", "2024-01-01", "- a", "a: b", "#x", "x #y",
         "*ref", "&anchor", "!tag", "%", "@at", "`tick", "[x]", "{x}", "'q'", '"dq"', " lead", "trail ", "a\tb",
         "multi\nline", "ends\n", "é", "|", ">", "?", "-", ":",
         "\n", "\n\n", "\n a", "\n\n  indented", "\nx\n  y", "...", "... x", "---", "--- x", "a" * 1100]


@pytest.mark.parametrize("text", TRAPS)
def test_every_tricky_string_reads_back_as_the_same_string(text):
    doc = {"key": text, "list": [text], text or "empty": 1}
    out = dump(doc)
    assert yaml.safe_load(out) == doc, out
    assert YAML(typ="safe").load(out) == doc, out


@pytest.mark.parametrize("text", ["on", "no", "y", "0755", "1e3", "null", "12:30", "true"])
def test_yaml11_readings_are_quoted(text):
    assert needs_quotes(text)
    assert dump({"v": text}) in (f"v: '{text}'\n", f'v: "{text}"\n')


def _random_value(rng: random.Random, depth: int = 0):
    kinds = ["str", "int", "bool", "none", "float"] + (["dict", "list"] if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        return rng.choice(TRAPS + ["plain", "with space", "ghcr.io/a/b:1.2.3", "x" * rng.randint(0, 5)])
    if kind == "int":
        return rng.randint(-10**6, 10**6)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "float":
        return rng.choice([0.5, -2.25, 1e-7, 3.0])
    if kind == "dict":
        keys = TRAPS + ["k1", "k2", "name"]
        return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


def test_random_documents_round_trip_in_both_readers():
    rng = random.Random(20261122)
    for _ in range(400):
        docs = [_random_value(rng) for _ in range(rng.randint(1, 3))]
        docs = [d if isinstance(d, dict) and d else {"v": d} for d in docs]
        text = dump_all(docs)
        assert list(yaml.safe_load_all(text)) == docs, text
        assert list(YAML(typ="safe").load_all(text)) == docs, text


def test_output_is_conventional_block_yaml():
    text = dump({"metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"ports": [{"port": 80}], "e": []}})
    assert text == "metadata:\n  name: web\n  labels:\n    app: web\nspec:\n  ports:\n  - port: 80\n  e: []\n"


def test_a_key_too_long_for_an_implicit_key_is_written_as_an_explicit_key():
    key = "k" * 1100
    assert dump({key: {"a": 1}}) == f"? {key}\n:\n  a: 1\n"
    assert dump([{key: 1, "b": 2}]) == f"- ? {key}\n  : 1\n  b: 2\n"


def test_a_multiline_string_whose_first_line_is_indented_or_blank_is_double_quoted():
    assert dump({"v": "\n  x"}) == 'v: "\\n  x"\n'
    assert dump({"v": "\n"}) == 'v: "\\n"\n'
    assert dump({"v": "\nx\n  y"}) == "v: |-\n\n  x\n    y\n"
