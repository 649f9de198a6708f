"""Deterministic YAML emission for rendered output.

Rendered manifests are plain data (dict, list, str, int, float, bool, None). This emitter writes
conventional block YAML with a fixed two-space indent, keys in insertion order (renderers build dicts
in a stable order) and conservative quoting: any string that a YAML 1.1 parser (Go's yaml.v2/v3 used
by kubectl and Argo CD) or a YAML 1.2 parser could read as anything but that same string is quoted.
It is about 10x faster than ruamel's C dumper for our documents and has no configuration that could
differ between machines (see docs/architecture.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

# Plain scalars that YAML 1.1 or 1.2 resolves to something other than a string.
_SPECIAL_WORDS = frozenset(
    w for base in ("y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "")
    for w in (base, base.capitalize(), base.upper())
)
_NUMBERISH = re.compile(
    r"""^(?:[-+]?(?:0|[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?   # 12, 1.5, 1e3, 1_000
        |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?                               # .5
        |[-+]?0[xX][0-9a-fA-F_]+|[-+]?0[oO]?[0-7_]+|[-+]?0b[01_]+        # 0x1f 0o755 0755 0b1
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?                # sexagesimal 1:20
        |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
        |\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$""",                              # timestamps
    re.X,
)
_SAFE_PLAIN = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_./@:+=-]*(?: [A-Za-z0-9_./@+=()-]+)*$")


def needs_quotes(text: str) -> bool:
    """True when `text` written bare would not read back as the same string in YAML 1.1 and 1.2."""
    if text in _SPECIAL_WORDS or _NUMBERISH.match(text):
        return True
    if not _SAFE_PLAIN.match(text):
        return True
    return text.endswith(":") or ": " in text or " #" in text


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
        if value != value or value in (float("inf"), float("-inf")):
            return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[repr(value)]
        return repr(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot emit {type(value).__name__} as YAML")
    if needs_quotes(value):
        if "'" not in value and value.isprintable():
            return f"'{value}'"
        return json.dumps(value, ensure_ascii=False)
    return value


def _emit(value, indent: str, out: list[str]) -> None:
    """Append lines for a mapping or sequence value that starts on a new line."""
    if isinstance(value, dict):
        for key, item in value.items():
            _emit_entry(f"{indent}{_scalar(str(key))}:", item, indent, out)
    else:
        for item in value:
            _emit_entry(f"{indent}-", item, indent, out, in_list=True)


def _emit_entry(head: str, item, indent: str, out: list[str], in_list: bool = False) -> None:
    if isinstance(item, dict) and item:
        if in_list:
            lines: list[str] = []
            _emit(item, indent + "  ", lines)
            out.append(head + " " + lines[0].lstrip(" "))
            out.extend(lines[1:])
        else:
            out.append(head)
            _emit(item, indent + "  ", out)
    elif isinstance(item, list) and item:
        out.append(head)
        _emit(item, indent if not in_list else indent + "  ", out)
    elif isinstance(item, dict):
        out.append(head + " {}")
    elif isinstance(item, list):
        out.append(head + " []")
    elif isinstance(item, str) and "\n" in item and _literal_ok(item):
        out.append(head + (" |" if item.endswith("\n") else " |-"))
        pad = indent + "  "
        for line in item.rstrip("\n").split("\n"):
            out.append(pad + line if line else "")
    else:
        out.append(head + " " + _scalar(item))


def _literal_ok(text: str) -> bool:
    """A multi-line string can be a literal block when it has no trailing blanks or odd characters."""
    lines = text.rstrip("\n").split("\n")
    if text.endswith("\n\n") or (lines and lines[0][:1] == " "):
        return False
    return all(line == line.rstrip() and (line.isprintable() or not line) for line in lines)


def dump(doc) -> str:
    """One document as block YAML text, ending in a newline."""
    if isinstance(doc, (dict, list)) and doc:
        out: list[str] = []
        _emit(doc, "", out)
        return "\n".join(out) + "\n"
    return (_scalar(doc) if not isinstance(doc, (dict, list)) else ("{}" if isinstance(doc, dict) else "[]")) + "\n"


def dump_all(docs: Iterable) -> str:
    """Several documents, separated by '---' lines."""
    return "---\n".join(dump(doc) for doc in docs)
