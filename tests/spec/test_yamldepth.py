"""The depth pre-check: `nesting_bound` never underestimates what the parser nests, and the exact check on
the parser's events refuses exactly what composing would."""

from __future__ import annotations

import io
import random

import pytest
from ruamel.yaml import YAML

from hubctl.engines.yaml import yamlload
from hubctl.engines.yaml.yamldepth import nesting_bound, too_deep_line


def _value(rng: random.Random, depth: int):
    if depth == 0 or rng.random() < 0.15:
        return rng.choice(["x", 1, "[not] {flow}", "a: b", "- c", "", None, "? d"])
    if rng.random() < 0.5:
        return [_value(rng, depth - 1) for _ in range(rng.randint(1, 3))]
    return {f"k{i}": _value(rng, depth - 1) for i in range(rng.randint(1, 3))}


def _dumped(rng: random.Random, data) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = rng.choice([False, True, None])
    offset = rng.choice([0, 1, 2])
    yaml.indent(mapping=rng.choice([1, 2, 4]), sequence=offset + rng.choice([2, 3]), offset=offset)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _handwritten(rng: random.Random) -> str:
    depth = rng.randint(1, 80)
    return rng.choice([
        "- " * depth + "x\n",
        "".join(" " * i + "- \n" for i in range(depth)),
        "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n",
        "".join(" " * (2 * i) + f"k{i}:\n" + " " * (2 * i) + "- " for i in range(depth)) + "x\n",
        "? " * depth + "x\n",
        "x: " + "[" * depth + "1" + "]" * depth + "\n",
        "x: " + "{a: " * depth + "1" + "}" * depth + "\n",
        "- " * depth + "[" * depth + "{a: [b]}" + "]" * depth + "\n",
    ])


def _measured_depth(text: str) -> int:
    deepest = depth = 0
    try:
        for event in yamlload._yaml().parse(text):
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                deepest = max(deepest, depth)
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except Exception:  # noqa: BLE001 - a syntax error ends the events; the depth reached so far counts
        pass
    return deepest


def test_the_bound_never_underestimates_the_depth():
    rng = random.Random(3)
    for case in range(600):
        text = _handwritten(rng) if case % 2 else _dumped(rng, _value(rng, rng.randint(1, 12)))
        assert _measured_depth(text) <= nesting_bound(text), text


@pytest.mark.parametrize("levels", [63, 64, 65, 66])
def test_the_event_check_refuses_exactly_what_composing_refuses(levels, monkeypatch):
    text = ("x: " + "[" * levels + "1" + "]" * levels + "\n").encode()
    composed = yamlload.load_documents("f.yaml", text)[1]
    monkeypatch.setattr(yamlload, "PARSER_DEPTH_GUARD", 0)  # every file takes the event check
    checked = yamlload.load_documents("f.yaml", text)[1]
    assert [p.message for p in checked] == [p.message for p in composed]
    assert bool(composed) is (levels >= 64)


def test_a_syntax_error_is_left_to_composing():
    assert too_deep_line(yamlload._yaml().parse("x: [[[\n"), 64) is None
