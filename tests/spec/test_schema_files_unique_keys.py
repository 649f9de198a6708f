"""The shipped JSON Schemas hold each key once: json.load keeps the last of two, so a duplicated property
block (as a merge can leave) silently drops the first one's fields from validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCHEMAS = sorted((Path(__file__).resolve().parents[2] / "schemas").rglob("*.json"))


def _no_duplicates(pairs):
    keys = [key for key, _ in pairs]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    assert not twice, f"duplicate keys {twice}"
    return dict(pairs)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_no_key_twice_in_one_object(path):
    json.loads(path.read_text(), object_pairs_hook=_no_duplicates)


def test_the_schemas_were_found():
    assert len(SCHEMAS) >= 5
