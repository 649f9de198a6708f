"""fromYaml / fromYamlArray as Argo CD's utils.go runs them: sigs.k8s.io/yaml Unmarshal, which decodes the
first document with go-yaml v2 (YAML 1.1 resolution of plain scalars, merge keys, non-string keys turned
into strings by convertToJSONableObject) and then goes through JSON (every number a float64).

ruamel.yaml's parser supplies the events; the resolution is go-yaml's (yamlv2_resolve.py), not ruamel's.
"""

from __future__ import annotations

import base64
import binascii
import math

from hubctl.engines.appset.gotmpl.funcs import FuncError
from hubctl.engines.appset.sprig.yamlv2_resolve import FLOAT, MERGE, STR, TIMESTAMP, resolve

_TAG = "tag:yaml.org,2002:"


def _scalar(event):
    tag = event.tag
    plain = event.style is None and (tag is None or tag == "!")
    if tag in (None, "!"):
        return resolve(event.value) if plain else (STR, event.value)
    if not tag.startswith(_TAG):
        return STR, event.value  # an unknown tag: go-yaml keeps the text
    short = tag[len(_TAG):]
    if short == "str":
        return STR, event.value
    if short == "binary":
        try:
            return STR, base64.b64decode("".join(event.value.split())).decode(errors="replace")
        except (binascii.Error, ValueError):
            raise FuncError("error converting YAML to JSON: yaml: !!binary value contains invalid base64 "
                            "data") from None
    kind, value = resolve(event.value)
    if kind == short or (short == "float" and kind == "int"):
        return (FLOAT, float(value)) if short == "float" else (kind, value)
    raise FuncError(f"error converting YAML to JSON: yaml: cannot decode !!{kind} `{event.value}` as a !!{short}")


def _key_string(kind: str, value, entry=None) -> str:
    """convertToJSONableObject's map key conversion."""
    if kind in (STR, TIMESTAMP, MERGE):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        from hubctl.engines.appset.gotmpl.values import format_float

        text = format_float(float(f"{value:.7g}")) if math.isfinite(value) else format_float(value)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    from hubctl.engines.appset.gotmpl.gofmt import quote

    shown = quote(entry) if isinstance(entry, str) else repr(entry)  # Go's %+#v, exact for strings
    raise FuncError("error converting YAML to JSON: Unsupported map key of type: %!s(<nil>), key: <nil>, "
                    f"value: {shown}")


class _Builder:
    def __init__(self):
        self.anchors: dict[str, object] = {}
        self.stack: list[list] = []  # [container, pending key (kind, value) or None, merge target]
        self.root = None
        self.done = False

    def add(self, value, anchor, key_info=None, fresh: bool = False) -> dict | None:
        """Place `value`; for a container still being built as a merge key's value, return the mapping
        to merge it into once it is complete."""
        if anchor:
            self.anchors[anchor] = value
        if not self.stack:
            self.root, self.done = value, True
            return None
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
        elif frame[1] is None:
            frame[1] = key_info or (STR, value)
        else:
            kind, key = frame[1]
            frame[1] = None
            if kind == MERGE:
                if fresh:
                    return container
                _merge(container, value)
            else:
                if isinstance(key, (dict, list)):
                    raise FuncError("error converting YAML to JSON: yaml: invalid map key")
                container[_key_string(kind, key, value)] = value
        return None

    def feed(self, event) -> None:
        name = type(event).__name__
        if name == "ScalarEvent":
            kind, value = _scalar(event)
            self.add(value, event.anchor, (kind, value))
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            container: dict | list = {} if name == "MappingStartEvent" else []
            merge_into = self.add(container, event.anchor, fresh=True)
            self.done = False
            self.stack.append([container, None, merge_into])
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            container, _, merge_into = self.stack.pop()
            if merge_into is not None:
                _merge(merge_into, container)
            self.done = not self.stack
        elif name == "AliasEvent":
            if event.anchor not in self.anchors:
                raise FuncError(f'error converting YAML to JSON: yaml: unknown anchor \'{event.anchor}\' referenced')
            self.add(self.anchors[event.anchor], None)


def _merge(target: dict, value) -> None:
    sources = reversed(value) if isinstance(value, list) else [value]  # earlier maps take precedence
    for source in sources:
        if not isinstance(source, dict):
            raise FuncError("error converting YAML to JSON: yaml: map merge requires map or sequence of maps "
                            "as the value")
        target.update(source)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        text = "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
        raise FuncError(f"error converting YAML to JSON: json: unsupported value: {text}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def load_yaml_v2(text: str):
    """The first document of `text` as Go data after sigs.k8s.io/yaml's YAML -> JSON -> Go round trip.

    Raises:
        FuncError: a YAML syntax error or a value JSON cannot hold.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    builder = _Builder()
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            builder.feed(event)
            if type(event).__name__ == "DocumentEndEvent":
                break
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FuncError(f"error converting YAML to JSON: yaml: {where}{problem}") from None
    return _jsonable(builder.root)
