"""templatePatch text read as Argo CD reads it: utils.ConvertYAMLToJSON, i.e. sigs.k8s.io/yaml over
go-yaml v2 (a libyaml port), not ruamel's YAML 1.2.

Two differences matter: go-yaml v2 resolves YAML 1.1 (yes/no/on/off are booleans, 017 is octal), and its
scanner skips a tab as white space inside a flow collection and after a token that ends a simple key
(a scalar, `]`, `}`) but not at the start of a line or after `-`, `?` or `:` in block context (libyaml's
yaml_parser_scan_to_next_token). ruamel rejects more tabs, so the tabs go-yaml skips become spaces first.
"""

from __future__ import annotations

import re

_BLOCK_SCALAR = re.compile(r"(?:^|[\s:\-?])[|>][0-9+-]*\s*(?:#.*)?$")


def load(text: str):
    """The patch as JSON-shaped data (string keys), or None for an empty document.

    Raises:
        ruamel.yaml.error.YAMLError: text go-yaml v2 would reject too (tab indentation, bad syntax).
    """
    from ruamel.yaml import YAML

    loader = YAML(typ="safe", pure=True)
    loader.version = (1, 1)
    return _json_keys(loader.load(_skippable_tabs_to_spaces(text)))


def _skippable_tabs_to_spaces(text: str) -> str:
    if "\t" not in text:
        return text
    out, flow, block_indent = [], 0, None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            out.append(line)  # block scalar content: tabs are content
            continue
        block_indent = None
        converted, flow = _line(line, flow)
        if flow == 0 and _BLOCK_SCALAR.search(converted.rstrip()):
            block_indent = indent
        out.append(converted)
    return "\n".join(out)


def _line(line: str, flow: int) -> tuple[str, int]:
    chars, quote, prev = list(line), None, ""
    for i, ch in enumerate(chars):
        if quote:
            if ch == quote:
                quote = None
            prev = ch
            continue
        if ch == "#" and (i == 0 or chars[i - 1] in " \t"):
            break
        if ch in "'\"" and prev in ("", " ", "\t", "[", "{", ",", ":"):
            quote = ch
        elif ch in "[{":
            flow += 1
        elif ch in "]}":
            flow = max(flow - 1, 0)
        elif ch == "\t" and prev and (flow or prev not in " \t-?:"):
            chars[i] = " "
            continue
        if ch not in " \t":
            prev = ch
    return "".join(chars), flow


def _json_keys(value):
    if isinstance(value, dict):
        return {_key_text(k): _json_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    return value


def _key_text(key) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)
