"""Blueprint templating: safe (no code runs), type-preserving, strict about unknown and missing params.

Syntax, inside any string of a template manifest:
- `${{ params.image }}` is replaced by the value at that dotted path of the context. When a whole scalar
  is one placeholder the value keeps its type (a number, a list, a mapping); inside a longer string it is
  written as text. A placeholder whose value is null removes its key (or list item).
- `$when: <path>` (or `$when: not <path>`) on a mapping keeps that mapping only when the value is truthy;
  on a document's top level it keeps or drops the whole document.
Context roots: params, flow, space, cluster, resilience (see docs/specs.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping

from hubctl.base.errors import RenderError
from hubctl.base.nested import MISSING, dig

PLACEHOLDER = re.compile(r"\$\{\{\s*([^{}]*?)\s*\}\}")
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_][-A-Za-z0-9_]*)*$")
WHEN = "$when"
CONTEXT_ROOTS = ("params", "flow", "space", "cluster", "resilience")
_DROP = object()


class TemplateError(RenderError):
    """A template could not be rendered; `path` is the key path inside the template document."""

    def __init__(self, message: str, path: tuple = (), hint: str = ""):
        super().__init__(message, hint=hint)
        self.path = path


def lookup(context: Mapping, expr: str):
    """The value at dotted `expr` in `context`, or MISSING."""
    return dig(context, expr.split("."))


def _resolve(context: Mapping, expr: str, path: tuple):
    if not _PATH.match(expr):
        raise TemplateError(f"`${{{{ {expr} }}}}` is not a dotted path", path,
                            "placeholders are paths such as params.image; no expressions run")
    value = lookup(context, expr)
    if value is MISSING:
        raise TemplateError(f"missing param `{expr}`", path,
                            "give it a value in the flow's params or the blueprint's defaults")
    return value


def _as_text(value, expr: str, path: tuple) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (int, float, str)):
        return str(value)
    raise TemplateError(f"`{expr}` is a {type(value).__name__}; it can only fill a whole value", path,
                        "put the placeholder alone as the value")


def render_string(text: str, context: Mapping, path: tuple = ()):
    whole = PLACEHOLDER.fullmatch(text)
    if whole:
        return _resolve(context, whole.group(1), path)
    if "${{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: _as_text(_resolve(context, m.group(1), path), m.group(1), path), text)


def _truthy(context: Mapping, expr, path: tuple) -> bool:
    if isinstance(expr, bool):
        return expr
    text = str(expr).strip()
    negate = text.startswith("not ")
    value = _resolve(context, text[4:].strip() if negate else text, path + (WHEN,))
    return (not value) if negate else bool(value)


def render_value(value, context: Mapping, path: tuple = ()):
    """Render one template value; returns _DROP for what `$when` or a null placeholder removes."""
    if isinstance(value, str):
        result = render_string(value, context, path)
        return _DROP if result is None and value.strip().startswith("${{") else result
    if isinstance(value, dict):
        if WHEN in value and not _truthy(context, value[WHEN], path):
            return _DROP
        out = {}
        for key, item in value.items():
            if key == WHEN:
                continue
            rendered = render_value(item, context, path + (key,))
            if rendered is not _DROP:
                out[render_string(key, context, path) if "${{" in key else key] = rendered
        return out
    if isinstance(value, list):
        items = (render_value(item, context, path + (i,)) for i, item in enumerate(value))
        return [item for item in items if item is not _DROP]
    return value


def render_document(doc, context: Mapping):
    """The rendered document, or None when `$when` drops it."""
    result = render_value(doc, context)
    return None if result is _DROP else result


def placeholders(value, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every (path, expression) used by a template document, including `$when` conditions."""
    if isinstance(value, str):
        for match in PLACEHOLDER.finditer(value):
            yield path, match.group(1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == WHEN:
                text = str(item).strip()
                yield path + (WHEN,), text[4:].strip() if text.startswith("not ") else text
                continue
            yield from placeholders(key, path)
            yield from placeholders(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from placeholders(item, path + (i,))


def fingerprint(value) -> str:
    """A stable text key for a params set (to render or validate each distinct set once)."""
    from hubctl.spec.build import thaw

    return json.dumps(thaw(value), sort_keys=True, separators=(",", ":"))
