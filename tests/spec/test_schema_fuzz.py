"""Validation never accepts what schemas/ rejects: the fast check (jsonschema-rs) and the explaining path
(jsonschema) agree on every mutant of the valid specs and blueprint params, and what either rejects is a
problem. The fuzzer is seeded; the default run is bounded (20,000 mutants), a bigger one is marked slow."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from hubctl.base.constants import KINDS
from hubctl.engines.yaml.yamlload import load_documents
from hubctl.spec.ecma import ecma_regex, explaining_validator
from hubctl.spec.fastcheck import compile_schema
from hubctl.spec.schema import data_dir, quick_check, schema_text, validator

ROOT = Path(__file__).resolve().parents[2]
# Values that probe every keyword the schemas use: empty and blank strings, a trailing newline (Python's
# `$` matches before it), line and space characters ECMA-262 and Python classify differently, non-ASCII
# digits, lengths at the limits, every JSON type, numbers at and past the bounds.
VALUES = ["", " ", "x", "X", "a\n", "\n", "-a", "a-", "a.b", "a_b", "UPPER", "x" * 63, "x" * 64, "x" * 254,
          "https://", "https://a b", "https://h/p", "https://h/\r", "https://h\x1c", "https://h\ufeff",
          "https://h\x85", "a\u2028", "\u0661\u0662", "10%\n", "\u00e9", "0", 0, -1, 1, 1.5, 65536, 2**70, True,
          False, None, [], {}, [""], {"": ""}, {"a": 1}, "arn:aws:iam::123456789012:role/x",
          "arn:aws:iam::123456789012:role/\n", "10%", "100%", "1000%", "eu-west-1", "a" * 63 + "\n", "/", "/x\n"]
STRING_EDITS = "\n -_.A/\r"


def spec_documents() -> list[tuple[str, object]]:
    """(kind, data) of every spec in the example fleet and the bad-fleet base, and (blueprint, params) of
    every flow that uses a built-in blueprint."""
    out = []
    for base in (ROOT / "examples" / "fleet", ROOT / "tests" / "bad_fleets" / "_base"):
        for path in sorted(base.rglob("*.yaml")):
            if "rendered" not in path.relative_to(base).parts:
                docs, _ = load_documents(path.name, path.read_bytes())
                out += [(d.data["kind"], d.data) for d in docs if isinstance(d.data, dict) and "kind" in d.data]
    out += [(f"blueprint:{data['spec']['blueprint']}", data["spec"]["params"]) for kind, data in list(out)
            if kind == "Flow" and data["spec"].get("params") and data["spec"].get("blueprint")]
    return out


def builtin_param_schema(name: str) -> dict:
    docs, _ = load_documents("b.yaml", (data_dir("blueprints") / name / "blueprint.yaml").read_bytes())
    return docs[0].data["spec"]["schema"]


def checkers(kind: str):
    """(fast check, explaining validator) for a spec kind or `blueprint:NAME` params."""
    if kind.startswith("blueprint:"):
        schema = builtin_param_schema(kind.split(":", 1)[1])
        return compile_schema(schema), explaining_validator(schema)
    return quick_check(kind), validator(kind)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def mutate(data, rng: random.Random):
    """`data` with one to three random edits: replace, delete, add a key, edit a string, grow a list."""
    data = copy.deepcopy(data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        paths = list(_paths(data))[1:]
        if not paths:
            return rng.choice(VALUES)
        path = rng.choice(paths)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key, current, roll = path[-1], parent[path[-1]], rng.random()
        if roll < 0.5:
            parent[key] = copy.deepcopy(rng.choice(VALUES))
        elif roll < 0.6:
            del parent[key]
        elif roll < 0.7 and isinstance(parent, dict):
            parent[rng.choice(["extra", f"{key}s", key[:-1], f"X{key}", ""])] = copy.deepcopy(rng.choice(VALUES))
        elif roll < 0.85 and isinstance(current, str):
            edit = rng.choice(STRING_EDITS)
            parent[key] = rng.choice([current + edit, edit + current, current[:-1], current.upper(), current * 10])
        elif isinstance(current, list):
            parent[key] = current + current[:1]
        else:
            parent[key] = copy.deepcopy(rng.choice(VALUES))
    return data


def fuzz(seed: int, count: int) -> tuple[list[str], int]:
    """Disagreements between the two paths over `count` mutants, and how many were rejected."""
    rng, corpus = random.Random(seed), spec_documents()
    disagreements, rejected = [], 0
    for _ in range(count):
        kind, data = rng.choice(corpus)
        mutant = mutate(data, rng)
        fast, explaining = checkers(kind)
        accepted = fast.verdict(mutant)
        explained = next(iter(explaining.iter_errors(mutant)), None) is None
        rejected += not accepted
        if accepted is not explained:
            disagreements.append(f"{kind}: fast={accepted} jsonschema={explained}: {json.dumps(mutant)[:300]}")
    return disagreements, rejected


def test_fast_check_and_jsonschema_agree_on_20000_mutants():
    disagreements, rejected = fuzz(seed=12, count=20_000)
    assert disagreements == []
    assert 2_000 < rejected < 19_000, "the mutants must exercise both verdicts"


@pytest.mark.slow
def test_fast_check_and_jsonschema_agree_on_100000_more_mutants():
    disagreements, _ = fuzz(seed=7, count=100_000)
    assert disagreements == []


def test_every_shipped_schema_is_2020_12_and_compiles():
    for kind in KINDS:
        assert json.loads(schema_text(kind))["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert quick_check(kind) is not None


def test_remote_refs_are_never_fetched():
    assert compile_schema({"$ref": "https://schemas.example.invalid/params.json"}) is None


@pytest.mark.parametrize(("pattern", "text", "matches"), [
    ("^a$", "a\n", False), ("^a$", "a", True), ("^a.$", "a\r", False), ("^a.$", "ab", True),
    (r"^[^\s/]+$", "h\ufeff", False), (r"^[^\s/]+$", "h\x1c", True), (r"^\d$", "\u0661", False),
    (r"^\w+$", "\u00e9", False), (r"^\S+$", "ab", True), ("^[$.]+$", "$.", True)])
def test_patterns_follow_ecma_262(pattern, text, matches):
    assert bool(ecma_regex(pattern).search(text)) is matches


def _cluster(base_fleet: Path, **changes: str) -> None:
    path = base_fleet / "clusters" / "dev-1.yaml"
    text = path.read_text()
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)


def test_empty_region_next_to_a_ref_is_rejected(hubctl, base_fleet):
    text = (base_fleet / "clusters" / "dev-1.yaml").read_text()
    region = next(line for line in text.splitlines() if line.strip().startswith("region:"))
    _cluster(base_fleet, **{region: region.split(":")[0] + ': ""'})
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == 3
    assert "spec.region" in result.out and "region" in result.out
    assert hubctl("render", "-C", base_fleet).code == 3


def test_label_value_with_a_trailing_newline_is_rejected(hubctl, base_fleet):
    _cluster(base_fleet, **{"name: dev-1": 'name: "dev-1\\n"'})
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == 3
    assert 'metadata.name: `dev-1\n` is not a DNS-1123 label' in result.out


def test_blueprint_param_with_a_trailing_newline_is_rejected(hubctl, example_fleet):
    flow = next(p for p in sorted((example_fleet / "flows").glob("*.yaml")) if "http-service" in p.read_text())
    text = flow.read_text()
    params_at = text.index("  params:\n") + len("  params:\n")
    flow.write_text(text[:params_at] + '    healthPath: "/x"\n' + text[params_at:])
    assert hubctl("validate", "-C", example_fleet).code == 0, "the flow must be valid before the edit"
    flow.write_text(text[:params_at] + '    healthPath: "x\\n"\n' + text[params_at:])
    result = hubctl("validate", "-C", example_fleet)
    assert result.code == 3
    assert "spec.params.healthPath" in result.out and "bad-param" not in result.err
