import pytest

from hubctl.errors import UsageError
from hubctl.hub import selectors

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
