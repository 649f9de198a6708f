"""A compiled yes/no check for the JSON Schema subset hubctl's own schemas use.

jsonschema explains errors well but costs about 1.5 ms per spec; on a 1,000-file fleet that is most of
`hubctl validate`. Valid documents (nearly all of them) pass this compiled check in microseconds; only a
document that fails it goes through jsonschema for the full explanation. Schemas using a keyword outside
the subset compile to None and always take the jsonschema path, so the result never differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Check = Callable[[object], bool]
_SUPPORTED = {"$schema", "$id", "$defs", "$ref", "title", "description", "default", "examples", "type",
              "properties", "additionalProperties", "required", "enum", "const", "pattern", "items",
              "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "propertyNames",
              "uniqueItems", "minProperties", "maxProperties", "oneOf"}
_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class _Unsupported(Exception):
    pass


def compile_schema(schema: dict) -> Check | None:
    """A function telling whether a document is valid, or None when the schema is outside the subset."""
    defs = schema.get("$defs", {})
    try:
        return _compile(schema, defs)
    except _Unsupported:
        return None


def _compile(schema, defs) -> Check:
    if schema is True or schema == {}:
        return lambda v: True
    if not isinstance(schema, dict) or set(schema) - _SUPPORTED:
        raise _Unsupported
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/") or len(schema) > 2:
            raise _Unsupported
        return _compile(defs[ref[len("#/$defs/"):]], defs)
    checks: list[Check] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        tests = [_TYPES[k] for k in kinds]
        checks.append(lambda v: any(t(v) for t in tests))
    checks += _object_checks(schema, defs) + _scalar_checks(schema) + _array_checks(schema, defs)
    if "oneOf" in schema:
        options = [_compile(s, defs) for s in schema["oneOf"]]
        checks.append(lambda v: sum(1 for o in options if o(v)) == 1)
    return lambda v: all(c(v) for c in checks)


def _object_checks(schema, defs) -> list[Check]:
    out: list[Check] = []
    props = {k: _compile(s, defs) for k, s in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = None if extra is False else _compile(extra, defs) if isinstance(extra, dict) else None
    required = schema.get("required", [])
    names = _compile(schema["propertyNames"], defs) if "propertyNames" in schema else None
    lo, hi = schema.get("minProperties"), schema.get("maxProperties")

    def check(v) -> bool:
        if not isinstance(v, dict):
            return True
        if any(r not in v for r in required) or (lo is not None and len(v) < lo) or (hi is not None and len(v) > hi):
            return False
        for key, item in v.items():
            if names is not None and not names(key):
                return False
            sub = props.get(key)
            if sub is not None:
                if not sub(item):
                    return False
            elif extra is False or (extra_check is not None and not extra_check(item)):
                return False
        return True

    if props or required or extra is not True or names or lo is not None or hi is not None:
        out.append(check)
    return out


def _scalar_checks(schema) -> list[Check]:
    out: list[Check] = []
    if "enum" in schema:
        allowed = schema["enum"]
        out.append(lambda v: any(v == a and type(v) is type(a) for a in allowed))
    if "const" in schema:
        const = schema["const"]
        out.append(lambda v: v == const and type(v) is type(const))
    if "pattern" in schema:
        regex = re.compile(schema["pattern"])
        out.append(lambda v: not isinstance(v, str) or regex.search(v) is not None)
    lo, hi = schema.get("minLength"), schema.get("maxLength")
    if lo is not None or hi is not None:
        out.append(lambda v: not isinstance(v, str) or ((lo is None or len(v) >= lo) and (hi is None or len(v) <= hi)))
    mn, mx = schema.get("minimum"), schema.get("maximum")
    if mn is not None or mx is not None:
        out.append(lambda v: isinstance(v, bool) or not isinstance(v, (int, float))
                   or ((mn is None or v >= mn) and (mx is None or v <= mx)))
    return out


def _array_checks(schema, defs) -> list[Check]:
    out: list[Check] = []
    items = _compile(schema["items"], defs) if "items" in schema else None
    lo, hi, unique = schema.get("minItems"), schema.get("maxItems"), schema.get("uniqueItems", False)

    def check(v) -> bool:
        if not isinstance(v, list):
            return True
        if (lo is not None and len(v) < lo) or (hi is not None and len(v) > hi):
            return False
        if unique and len({repr(x) for x in v}) != len(v):
            return False
        return items is None or all(items(x) for x in v)

    if items is not None or lo is not None or hi is not None or unique:
        out.append(check)
    return out
