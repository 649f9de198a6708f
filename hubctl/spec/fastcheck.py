"""The yes/no schema check every spec document and every set of blueprint params goes through first.

jsonschema explains errors well but costs about 0.22 ms of CPU a document (benchmarks/RESULTS-schema.md).
jsonschema-rs (a complete JSON Schema 2020-12 implementation in Rust) answers valid or not in about 1 us;
only what it rejects goes through jsonschema for the explanation. It replaced a hand-written compiler of
the subset hubctl's schemas use, which was slower and silently dropped every keyword next to a `$ref`
(docs/performance.md, "Schema validation"). Patterns follow ECMA-262 in both paths (spec/ecma.py), so the
two agree on every document; tests/spec/test_schema_fuzz.py holds them to it.
"""

from __future__ import annotations

# Python values jsonschema-rs cannot take (a lone surrogate in a string, a non-string key): no verdict.
_UNCONVERTIBLE = (ValueError, TypeError, OverflowError, UnicodeError)


class FastCheck:
    """A compiled schema: `verdict(value)` is True (valid), False (invalid) or None (cannot tell)."""

    def __init__(self, validator):
        self._validator = validator

    def verdict(self, value) -> bool | None:
        try:
            return self._validator.is_valid(value)
        except _UNCONVERTIBLE:
            return None

    def errors(self, value) -> list[tuple[tuple, str]]:
        """(path, message) of every violation, for what jsonschema does not explain."""
        try:
            return [(tuple(e.instance_path), e.message) for e in self._validator.iter_errors(value)]
        except _UNCONVERTIBLE:
            return []


def compile_schema(schema: dict) -> FastCheck | None:
    """The fast check of `schema`, or None when jsonschema-rs cannot compile it (then jsonschema decides).

    Never touches the network: a schema with a remote `$ref` does not compile.
    """
    import jsonschema_rs

    try:
        return FastCheck(jsonschema_rs.Draft202012Validator(schema, offline=True))
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, *_UNCONVERTIBLE):
        return None

