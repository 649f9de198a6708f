r"""JSON Schema `pattern` with ECMA-262 semantics for jsonschema, which hands patterns to Python's `re`.

The two differ where specs are attacked: Python's `$` also matches before a final newline (so `a\n`
passed as a DNS label), its `.` matches `\r` and U+2028, and its `\s`, `\d` and `\w` are Unicode classes
that ECMA-262 defines otherwise. jsonschema-rs follows ECMA-262; translating each pattern makes the
explaining path agree with it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASSES = {"d": "0-9", "w": "A-Za-z0-9_", "s": _SPACE}
_OUTSIDE = {"$": r"\Z", ".": "[^\\n\\r\\u2028\\u2029]"}


@lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern:
    """`pattern` (ECMA-262) compiled for Python's `re` with ECMA-262's meaning of `$ . \\d \\w \\s`."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            letter = pattern[i + 1]
            body = _CLASSES.get(letter.lower())
            if body is None or (in_class and letter.isupper()):
                out.append(pattern[i:i + 2])
            elif in_class:
                out.append(body)
            else:
                out.append(f"[{'^' if letter.isupper() else ''}{body}]")
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            char = _OUTSIDE.get(char, char)
        out.append(char)
        i += 1
    return re.compile("".join(out))


def explaining_validator(schema: dict):
    """A jsonschema Draft 2020-12 validator of `schema` whose `pattern` follows ECMA-262."""
    return _validator_class()(schema)


@lru_cache(maxsize=1)
def _validator_class():
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator, value, instance, _schema):
        if validator.is_type(instance, "string") and not ecma_regex(value).search(instance):
            yield ValidationError(f"{instance!r} does not match {value!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})
