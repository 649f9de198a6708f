"""Seeded fuzzing of the YAML emitter: every string, as a key or a value in every position the emitter
writes, must read back identical under a YAML 1.1 reader (PyYAML) and a YAML 1.2 reader (ruamel.yaml).

Strings are built from fragments that break naive emitters: control characters, blank lines, leading and
trailing spaces and newlines, indentation, document markers, unicode line breaks, BOM, tabs, indicators,
quotes, YAML 1.1 booleans, octals and sexagesimals, long keys. Surrogates are excluded (not UTF-8).
"""

from __future__ import annotations

import random

import pytest
import yaml
from ruamel.yaml import YAML

from hubctl.engines.yaml.yamlio import dump_all

FRAGMENTS = [
    "a", "b", "Z", "0", "7", "9", "x1", "web", "é", "ß", "日本", "\U0001f600",
    " ", "  ", "    ", "\t", "\n", "\n\n", "\r", "\r\n", "\n  ", "\n    x", "\n- ", "\n#",
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x9f", "\xa0", "\xad",
    "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\ue000", "\U0010fffd",
    "---", "...", "--- ", "... ", "%YAML 1.2", "%TAG",
    "#", " #", "# ", ":", ": ", "::", "-", "- ", "?", "? ", ",", "[", "]", "{", "}", "|", "|-", ">", ">+",
    "!", "!!str", "&a", "*a", "%", "@", "`", "'", "''", '"', "\\", "\\n", "\\x", "<<", "=", "~",
    "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "NULL", "Null",
    "0", "00", "0755", "0o17", "0x1F", "0b101", "1_000", "1e3", "1E-3", "1.", ".5", "+1", "-0", "1:20",
    "190:20:30", "1:60", "2024-01-01", "2024-1-1 10:00", ".inf", "-.Inf", ".NaN", "1__0", "0.1_0",
]

# the fixed keys of the fuzz document; a fuzzed string equal to one of them is placed elsewhere
_FIXED = frozenset({"list", "nested", "items", "lists"})


def fuzz_string(rng: random.Random) -> str:
    """A random string of fragments, now and then with random code points or a long run."""
    roll = rng.random()
    if roll < 0.05:  # any code point but surrogates
        return "".join(chr(rng.choice((rng.randrange(0x20), rng.randrange(0xD800), rng.randrange(0xE000, 0x110000))))
                       for _ in range(rng.randint(1, 6)))
    if roll < 0.06:  # long strings around the 1024-character limit of implicit keys
        return rng.choice("ab ") * rng.randint(990, 1040) + rng.choice(FRAGMENTS)
    return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 6)))


def fuzz_document(strings: list[str]) -> dict:
    """One document placing each string in one of the emitter's positions (top-level key, list item,
    nested key, first key of a mapping in a list, item of a list in a list)."""
    doc: dict = {"list": [], "nested": {"a": {"b": {}}}, "items": [], "lists": []}
    for i, text in enumerate(strings):
        shape = i % 5 if text not in _FIXED else 1
        if shape == 0:
            doc[text] = text
        elif shape == 1:
            doc["list"].append(text)
        elif shape == 2:
            doc["nested"]["a"]["b"][text] = [text, {"k": text}]
        elif shape == 3:
            doc["items"].append({text: text, "k": {"v": text}})
        else:
            doc["lists"].append([text, [text]])
    return doc


def _readers(pure: bool):
    if pure:
        return {"PyYAML (YAML 1.1)": lambda text: list(yaml.load_all(text, Loader=yaml.SafeLoader)),
                "ruamel.yaml (YAML 1.2)": YAML(typ="safe", pure=True).load_all}
    return {"PyYAML (YAML 1.1, libyaml)": lambda text: list(yaml.load_all(text, Loader=yaml.CSafeLoader)),
            "ruamel.yaml (YAML 1.2)": YAML(typ="safe").load_all}


def round_trip_failures(strings: list[str], readers) -> list[str]:
    """The strings that do not read back identical, as messages (empty when all do)."""
    docs = [fuzz_document(strings), *strings[:50]]  # the first strings as scalar documents too
    text = dump_all(docs)
    if all(_reads_back(read, text, docs) for read in readers.values()):
        return []
    failures = []
    for one in strings:  # narrow down to the strings at fault
        single = [fuzz_document([one] * 5), one]
        single_text = dump_all(single)
        for name, read in readers.items():
            if not _reads_back(read, single_text, single):
                failures.append(f"{one!r} under {name}:\n{single_text}")
    return failures or [f"the batch does not read back but no single string fails:\n{text}"]


def _reads_back(read, text: str, docs: list) -> bool:
    try:
        return list(read(text)) == docs
    except yaml.YAMLError:
        return False
    except Exception as error:  # ruamel.yaml's errors do not share one public root class
        if type(error).__module__.startswith("ruamel"):
            return False
        raise


def run_fuzz(seed: int, count: int, *, pure: bool = False, batch: int = 2000) -> None:
    rng = random.Random(seed)
    readers = _readers(pure)
    for _ in range(0, count, batch):
        failures = round_trip_failures([fuzz_string(rng) for _ in range(batch)], readers)
        assert not failures, "\n".join(failures[:5])


def test_the_fuzzer_catches_a_string_that_does_not_read_back():
    """A test that cannot fail is a defect: a value changed on the way must be reported."""
    readers = _readers(pure=False)
    # what the emitter wrote for "\n" and for a top-level key "... x" before they were fixed
    assert not _reads_back(readers["PyYAML (YAML 1.1, libyaml)"], "k: |\n\n", [{"k": "\n"}])
    assert not _reads_back(readers["ruamel.yaml (YAML 1.2)"], "... x: 1\n", [{"... x": 1}])


def test_200000_fuzzed_strings_read_back_identical_with_libyaml_readers():
    run_fuzz(seed=20261204, count=200_000)


def test_fuzzed_strings_read_back_identical_with_pure_python_readers():
    """The pure-Python scanners differ from libyaml's (unicode line breaks, BOM); ruamel's is YAML 1.2."""
    run_fuzz(seed=12, count=20_000, pure=True)


@pytest.mark.slow
def test_millions_of_fuzzed_strings_read_back_identical():
    run_fuzz(seed=7, count=1_500_000)
    run_fuzz(seed=8, count=60_000, pure=True)
