"""One label-selector model for both forms: the string form of list queries and the structured LabelSelector."""

import random

import pytest

from hubctl.base import selectors
from hubctl.base.errors import UsageError

LABELS = {"app.kubernetes.io/managed-by": "hubctl", "hubctl.io/flow": "api", "hubctl.io/env": "prod"}


@pytest.mark.parametrize("text, expected", [
    ("", True),
    ("hubctl.io/flow=api", True),
    ("hubctl.io/flow==api,hubctl.io/env=prod", True),
    ("hubctl.io/flow!=api", False),
    ("hubctl.io/flow in (web, api)", True),
    ("hubctl.io/flow notin (web,api)", False),
    ("hubctl.io/env in (dev),hubctl.io/flow=api", False),
    ("hubctl.io/space", False),
    ("!hubctl.io/space", True),
    ("hubctl.io/space!=x", True),
])
def test_selector_matching(text, expected):
    assert selectors.matches(selectors.parse(text), LABELS) is expected


def test_invalid_selector_is_a_usage_error():
    with pytest.raises(UsageError, match="invalid label selector"):
        selectors.parse("a in b")


def test_join_skips_unset_values_and_sorts():
    assert selectors.join({"b": "2", "a": "1", "c": None}) == "a=1,b=2"


def test_the_string_form_reads_as_the_structured_form():
    assert selectors.parse("a=1,b!=2,c in (x, y),d notin (z),e,!f").to_dict() == {"matchExpressions": [
        {"key": "a", "operator": "In", "values": ["1"]}, {"key": "b", "operator": "NotIn", "values": ["2"]},
        {"key": "c", "operator": "In", "values": ["x", "y"]}, {"key": "d", "operator": "NotIn", "values": ["z"]},
        {"key": "e", "operator": "Exists"}, {"key": "f", "operator": "DoesNotExist"}]}


def _random_case(rng: random.Random) -> tuple[str, dict, dict]:
    """A selector in both forms (string, structured), and a label map to try it on."""
    keys, values = ["a", "b", "c"], ["1", "2", "3"]
    clauses, labels_part, expressions = [], {}, []
    for key in rng.sample(keys, rng.randint(0, 3)):
        form = rng.choice(["=", "==", "!=", "in", "notin", "exists", "!exists", "label"])
        picked = sorted(rng.sample(values, rng.randint(1, 2)))
        if form == "label":
            clauses.append(f"{key}={picked[0]}")
            labels_part[key] = picked[0]
        elif form in ("=", "==", "!="):
            clauses.append(f"{key}{form}{picked[0]}")
            expressions.append({"key": key, "operator": "NotIn" if form == "!=" else "In", "values": picked[:1]})
        elif form in ("in", "notin"):
            clauses.append(f"{key} {form} ({', '.join(picked)})")
            expressions.append({"key": key, "operator": "In" if form == "in" else "NotIn", "values": picked})
        else:
            clauses.append(("!" if form == "!exists" else "") + key)
            expressions.append({"key": key, "operator": "DoesNotExist" if form == "!exists" else "Exists"})
    labels = {key: rng.choice(values) for key in rng.sample(keys, rng.randint(0, 3))}
    return ",".join(clauses), {"matchLabels": labels_part, "matchExpressions": expressions}, labels


def test_both_forms_the_label_index_and_the_explanation_agree_on_seeded_selectors():
    rng = random.Random(16)
    for _ in range(2000):
        text, structured, labels = _random_case(rng)
        from_text, from_dict = selectors.parse(text), selectors.from_dict(structured)
        verdict = selectors.matches(from_text, labels)
        assert selectors.matches(from_dict, labels) is verdict, (text, structured, labels)
        assert (selectors.LabelIndex({"c": labels}).select(from_dict) == {"c"}) is verdict, (structured, labels)
        assert all(held for held, _ in selectors.explain(from_dict, labels)) is verdict, (structured, labels)


def test_expression_problems_name_each_refused_entry_in_order():
    data = {"matchExpressions": [{"key": "a", "operator": "In", "values": ["1"]}, {"key": "b", "operator": "In"},
                                 {"key": "c", "operator": "Exists", "values": ["x"]}, {"key": "d", "operator": "Has"}]}
    assert list(selectors.expression_problems(data)) == [
        (1, "In", "values missing"), (2, "Exists", "values given"), (3, "Has", "operator")]
    assert list(selectors.expression_problems(None)) == []


def test_the_structured_form_takes_values_as_strings_and_nothing_as_everything():
    assert selectors.from_dict({"matchLabels": {"n": 1}, "matchExpressions": [
        {"key": "v", "operator": "In", "values": [2, "x"]}]}).to_dict() == {
        "matchLabels": {"n": "1"}, "matchExpressions": [{"key": "v", "operator": "In", "values": ["2", "x"]}]}
    assert selectors.from_dict(None).empty and selectors.from_dict({}).empty and selectors.parse(None).empty
    assert selectors.matches(selectors.from_dict(None), None)


def test_the_label_index_selects_exactly_the_matching_names_and_keeps_its_sets():
    rng = random.Random(17)
    population = {f"n{i}": _random_case(rng)[2] for i in range(60)}
    index = selectors.LabelIndex(population)
    pristine = selectors.LabelIndex(population)
    for _ in range(1500):
        _, structured, _ = _random_case(rng)
        selector = selectors.from_dict(structured)
        expected = {name for name, labels in population.items() if selectors.matches(selector, labels)}
        assert index.select(selector) == expected, structured
    assert (index.by_pair, index.by_key, index.all) == (pristine.by_pair, pristine.by_key, pristine.all)
