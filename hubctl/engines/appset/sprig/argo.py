"""Argo CD's own template functions (applicationset/utils/utils.go): normalize, slugify, toYaml, fromYaml,
fromYamlArray. Argo CD v3.5.1 has no tpl."""

from __future__ import annotations

import re

from hubctl.engines.appset.gotmpl.funcs import FuncError, registry
from hubctl.engines.appset.gotmpl.values import Int64
from hubctl.engines.appset.sprig.convert import NilList, from_json_value, go_json
from hubctl.engines.appset.sprig.words import go_to_lower
from hubctl.engines.appset.sprig.yamlv2 import dump_yaml_v2

FUNCS, fn = registry()

_INVALID_DNS = re.compile(r"[^-a-z0-9.]")
_YAML_FORBIDDEN = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def sanitize_name(name: str) -> str:
    """Argo CD's SanitizeName (the `normalize` function and nameNormalized)."""
    name = _INVALID_DNS.sub("-", "".join(map(go_to_lower, name)))  # strings.ToLower: rune by rune
    data = name.encode()
    if len(data) > 253:
        name = data[:253].decode(errors="ignore")
    return name.strip("-.")


fn("normalize", "str")(sanitize_name)


@fn("slugify", variadic="any")
def slugify(*args):
    """Argo CD's SlugifyName: [maxSize int [smartTruncate bool]] name."""
    max_size, smart, name = 50, True, ""
    for i, arg in enumerate(args):
        if i == len(args) - 1:
            if not isinstance(arg, str):
                raise FuncError(f"interface conversion: interface {{}} is {_tn(arg)}, not string")
            name = arg
        elif i == 0:
            if type(arg) is not int:
                raise FuncError(f"interface conversion: interface {{}} is {_tn(arg)}, not int")
            max_size = arg
        elif i == 1:
            if not isinstance(arg, bool):
                raise FuncError(f"interface conversion: interface {{}} is {_tn(arg)}, not bool")
            smart = arg
    return _slug_make(sanitize_name(name), max_size, smart)


def _slug_make(text: str, max_length: int, smart: bool) -> str:
    """gosimple/slug MakeLang(text, "en") with slug.MaxLength and slug.EnableSmartTruncate set as Argo CD
    sets them: a plain cut happens before the dashes are collapsed and trimmed, so it never ends in "-"."""
    slug = text.strip(" \t\n\v\f\r\x85\xa0").replace("&", "and").replace("@", "at").lower()
    if not smart and len(slug) >= max_length:
        if max_length < 0:
            raise FuncError(f"runtime error: slice bounds out of range [:{max_length}]")
        slug = slug[:max_length]
    slug = re.sub(r"-+", "-", re.sub(r"[^a-zA-Z0-9_-]", "-", slug)).strip("-_")
    if max_length > 0 and smart and len(slug) > max_length:
        cut = slug.rfind("-", 0, max_length + 1)
        slug = slug[:cut] if cut >= 0 else slug[:max_length]
    return slug


def _tn(value) -> str:
    from hubctl.engines.appset.gotmpl.values import type_name

    return "nil" if value is None else type_name(value)


@fn("toYaml", "any")
def to_yaml(value):
    """sigs.k8s.io/yaml Marshal (JSON first, then YAML), without the trailing newline."""
    import json

    text = go_json(value, escape_html=False)
    if _YAML_FORBIDDEN.search(text):  # raw in Go's JSON, and go-yaml's reader refuses them
        raise FuncError("error converting JSON to YAML: yaml: control characters are not allowed")
    data = _fold_nel(json.loads(text))
    return dump_yaml_v2(data).removesuffix("\n")


def _fold_nel(data):
    """Go's JSON leaves U+0085 raw; go-yaml reads it inside a double-quoted scalar as a line break and folds
    it (one break: a space, n breaks: n-1 newlines; blanks around them dropped)."""
    if isinstance(data, dict):
        return {_fold_nel(k): _fold_nel(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_fold_nel(v) for v in data]
    if isinstance(data, str) and "\x85" in data:
        return re.sub(r"[ \t]*((?:\x85[ \t]*)+)", lambda m: " " if m.group(1).count("\x85") == 1
                      else "\n" * (m.group(1).count("\x85") - 1), data)
    return data


def _load_yaml(text: str):
    from hubctl.engines.appset.sprig.yamlv2_load import load_yaml_v2

    return load_yaml_v2(text)


@fn("fromYaml", "str")
def from_yaml(text):
    data = _load_yaml(text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FuncError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                        f"{_json_kind(data)} into Go value of type map[string]interface {{}}")
    return from_json_value(_jsonable(data))


@fn("fromYamlArray", "str")
def from_yaml_array(text):
    data = _load_yaml(text)
    if data is None:
        return NilList()
    if not isinstance(data, list):
        raise FuncError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                        f"{_json_kind(data)} into Go value of type []interface {{}}")
    return from_json_value(_jsonable(data))


def _json_kind(data) -> str:
    if isinstance(data, dict):
        return "object"
    if isinstance(data, list):
        return "array"
    if isinstance(data, str):
        return "string"
    if isinstance(data, bool):
        return "bool"
    return "number"


def _jsonable(data):
    if isinstance(data, dict):
        return {str(k): _jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_jsonable(v) for v in data]
    if data is None or isinstance(data, (bool, int, float, str, Int64)):
        return data
    return str(data)
