"""templatePatch text read as Argo CD reads it: utils.ConvertYAMLToJSON, i.e. sigs.k8s.io/yaml over
go-yaml v2 (a libyaml port), not ruamel's YAML 1.2.

Two differences matter: go-yaml v2 resolves YAML 1.1 (yes/no/on/off are booleans, 017 is octal), and its
scanner skips a tab as white space inside a flow collection and after a token that ends a simple key
(a simple key's `:`, `]`, `}`) but not as indentation or after `-`, `?` or a complex key's `:` in block
context (scannerc.go, yaml_parser_scan_to_next_token); a tab between words of a plain scalar is content.
ruamel rejects more tabs, so the tabs go-yaml skips become spaces first.
"""

from __future__ import annotations

import datetime
import re
import warnings

_CONTENT_TAB = "\ue000"  # a tab go-yaml keeps inside a plain scalar, hidden from ruamel's scanner
_BLOCK_SCALAR = re.compile(r"(?:^|[\s:\-?])[|>][0-9+-]*\s*(?:#.*)?$")


def load(text: str):
    """The patch as JSON-shaped data (string keys), or None for an empty document.

    Raises:
        ruamel.yaml.error.YAMLError: text go-yaml v2 would reject too (tab indentation, bad syntax).
    """
    from ruamel.yaml import YAML

    loader = YAML(typ="safe", pure=True)
    loader.version = (1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ruamel warns about YAML 1.1 floats without a dot; go-yaml reads them
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
    chars, quote, prev, lead = list(line), None, "", True
    for i, ch in enumerate(chars):
        if quote:
            quote = None if ch == quote else quote
            prev = ch
            continue
        if ch == "#" and (i == 0 or chars[i - 1] in " \t"):
            break
        if ch in "'\"" and prev in ("", "[", "{", ",", ":", "-", "?"):
            quote = ch
        elif ch in "[{":
            flow += 1
        elif ch in "]}":
            flow = max(flow - 1, 0)
        elif ch == "\t" and prev:
            after = _next_token(line, i)
            if _skipped(prev, lead, after, flow):
                chars[i] = " "
                continue
            if prev not in "-?:[{,":
                chars[i] = _CONTENT_TAB
                continue
        if ch not in " \t":
            lead, prev = lead and ch in "-?:", ch
    return "".join(chars), flow


def _next_token(line: str, i: int) -> str:
    rest = line[i:].lstrip(" \t")
    return rest[:1]


def _skipped(prev: str, lead: bool, after: str, flow: int) -> bool:
    """Whether go-yaml skips this tab as white space rather than reading it as content or failing."""
    if not prev:
        return False  # indentation
    if after in ("", "#"):
        return True  # trailing white space or before a comment
    if flow:
        return prev in "[{,:" or after in "]},:"
    # after a simple key's ':' or a closing bracket the scanner no longer allows a simple key; after
    # '-', '?' or the ':' of a complex key it does, and a tab there is an error
    return (prev == ":" and not lead) or prev in "]}"


def _json_keys(value):
    """YAMLToJSON's conversion: string keys, timestamps as text, content tabs restored."""
    if isinstance(value, dict):
        return {_key_text(k): _json_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_keys(v) for v in value]
    if isinstance(value, str):
        return value.replace(_CONTENT_TAB, "\t")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()  # go-yaml v2 keeps a timestamp as its text when decoding into interface{}
    return value


def _key_text(key) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(_json_keys(key))
