"""Deterministic YAML emission for rendered output.

Rendered manifests are plain data (dict, list, str, int, float, bool, None). This emitter writes
conventional block YAML with a fixed two-space indent, keys in insertion order (renderers build dicts
in a stable order) and conservative quoting: any string that a YAML 1.1 parser (Go's yaml.v2/v3 used
by kubectl and Argo CD) or a YAML 1.2 parser could read as anything but that same string is quoted.
On rendered manifests it emits about 34x as many documents per CPU second as ruamel's C dumper and 11x
as many as PyYAML's (benchmarks/RESULTS-yaml.md), and has no configuration that could differ between
machines (see docs/architecture.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

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
    if text in _SPECIAL_WORDS or _NUMBERISH.fullmatch(text):
        return True
    if not _SAFE_PLAIN.fullmatch(text):
        return True
    # '... x' at the start of a line ends the document (a top-level key or a scalar document)
    return text.endswith(":") or ": " in text or " #" in text or text.startswith("...")


_SCALARS: dict[str, str] = {}


def _scalar(value) -> str:
    kind = type(value)
    if kind is str:
        text = _SCALARS.get(value)
        if text is None:
            text = _quote(value) if needs_quotes(value) else value
            if len(_SCALARS) > 500_000:
                _SCALARS.clear()
            _SCALARS[value] = text
        return text
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[repr(value)]
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if e and "." not in mantissa:  # YAML 1.1 floats need a dot: 1e-07 would read as a string
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, str):
        return _scalar(str(value))
    if isinstance(value, (int, float)):
        return _scalar(int(value) if isinstance(value, int) else float(value))
    raise TypeError(f"cannot emit {kind.__name__} as YAML")


def _quote(value: str) -> str:
    if "'" not in value and value.isprintable():
        return f"'{value}'"
    text = json.dumps(value, ensure_ascii=False)
    if text.isprintable():
        return text
    # JSON leaves DEL, C1 controls, U+2028/U+2029 and non-characters raw; YAML rejects or breaks on them
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
                   for ch in text)


# YAML 1.1 readers (PyYAML, yaml.v2) take an implicit key only within 1024 characters of its ':'
_IMPLICIT_KEY_MAX = 1000


_KEY_HEADS: dict[str, str] = {}  # str key -> "key:" (only keys short enough to be implicit)


def _key_head(key, indent: str, out: list[str]) -> str:
    """'key:' for a mapping key; a key too long to be implicit goes on a '? key' line of its own."""
    text = _scalar(key if type(key) is str else str(key))
    if len(text) > _IMPLICIT_KEY_MAX:
        out.append(indent + "? " + text)
        return ":"
    if type(key) is str:
        if len(_KEY_HEADS) > 100_000:
            _KEY_HEADS.clear()
        _KEY_HEADS[key] = text + ":"
    return text + ":"


def _emit(value, indent: str, out: list[str]) -> None:
    """Append lines for a mapping or sequence value that starts on a new line."""
    if type(value) is dict:
        heads = _KEY_HEADS
        for key, item in value.items():
            head = heads.get(key)  # only str keys are stored: an int or bool key never finds one
            if head is None:
                head = _key_head(key, indent, out)
            _emit_entry(indent + head, item, indent, out)
    else:
        for item in value:
            _emit_entry(indent + "-", item, indent, out, True)


_PLAIN_TYPES = (int, float, bool, type(None))


def _emit_entry(head: str, item, indent: str, out: list[str], in_list: bool = False) -> None:
    kind = type(item)
    if kind is str:
        if "\n" in item and _literal_ok(item):
            out.append(head + (" |" if item.endswith("\n") else " |-"))
            pad = indent + "  "
            for line in item.rstrip("\n").split("\n"):
                out.append(pad + line if line else "")
        else:
            out.append(head + " " + _scalar(item))
    elif kind is dict or kind is list:
        if not item:
            out.append(head + (" {}" if kind is dict else " []"))
        elif kind is dict and in_list:
            start = len(out)
            _emit(item, indent + "  ", out)
            out[start] = head + " " + out[start][len(indent) + 2:]
        elif kind is dict:
            out.append(head)
            _emit(item, indent + "  ", out)
        else:
            out.append(head)
            _emit(item, indent + "  " if in_list else indent, out)
    elif kind in _PLAIN_TYPES:
        out.append(head + " " + _scalar(item))
    elif isinstance(item, Mapping):
        _emit_entry(head, dict(item), indent, out, in_list)
    elif isinstance(item, tuple):
        _emit_entry(head, list(item), indent, out, in_list)
    else:
        out.append(head + " " + _scalar(item))


def _literal_ok(text: str) -> bool:
    """A multi-line string can be a literal block when it has no trailing blanks or odd characters, and
    its first non-empty line is not indented (a reader takes the block's indentation from that line)."""
    lines = text.rstrip("\n").split("\n")
    first = next((line for line in lines if line), "")
    if text.endswith("\n\n") or first[:1] in ("", " "):
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
