"""A YAML emitter shaped like go-yaml v2 (what sigs.k8s.io/yaml uses for Argo CD's toYaml).

Sorted keys, two-space indent, sequences inside mappings not indented, plain scalars when go-yaml would
use them, double quotes for strings that YAML 1.1 resolves to another type, single quotes for strings the
emitter cannot write plain, literal blocks for multi-line strings.
"""

from __future__ import annotations

import json
import re

_RESOLVES = re.compile(
    r"""^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)
    |[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|<<)$""",
    re.X,
)
_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`")


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or text[0] in _PLAIN_UNSAFE_START:
        if text[:1] in "-?:" and len(text) > 1 and text[1] != " ":
            pass
        else:
            return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if any(c in text for c in ",[]{}") and False:
        return False
    return all(c.isprintable() for c in text)


def _scalar(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    text = str(value)
    if text == "" or _RESOLVES.match(text):
        return json.dumps(text, ensure_ascii=False)
    if _plain_ok(text):
        return text
    if all(c.isprintable() for c in text):
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def _emit(value, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            _entry(f"{pad}{_scalar(str(key))}:", value[key], indent, out, False)
    else:
        for item in value:
            _entry(f"{pad}-", item, indent, out, True)


def _entry(head: str, item, indent: int, out: list[str], in_list: bool) -> None:
    if isinstance(item, dict) and item:
        if in_list:
            lines: list[str] = []
            _emit(item, indent + 2, lines)
            out.append(head + " " + lines[0].lstrip(" "))
            out.extend(lines[1:])
        else:
            out.append(head)
            _emit(item, indent + 2, out)
    elif isinstance(item, list) and item:
        out.append(head)
        _emit(item, indent + 2 if in_list else indent, out)
    elif isinstance(item, dict):
        out.append(head + " {}")
    elif isinstance(item, list):
        out.append(head + " []")
    elif isinstance(item, str) and "\n" in item:
        chomp = "" if item.endswith("\n") else "-"
        keep = "+" if item.endswith("\n\n") else chomp
        lead = "2" if item[:1] == " " else ""
        out.append(f"{head} |{lead}{keep}")
        body = item[:-1] if item.endswith("\n") else item
        for line in body.split("\n"):
            out.append((" " * (indent + 2) + line) if line else "")
    else:
        out.append(head + " " + _scalar(item))


def dump_yaml_v2(value) -> str:
    """One document, ending in a newline."""
    if isinstance(value, (dict, list)) and value:
        out: list[str] = []
        _emit(value, 0, out)
        return "\n".join(out) + "\n"
    if isinstance(value, dict):
        return "{}\n"
    if isinstance(value, list):
        return "[]\n"
    return _scalar(value) + "\n"
