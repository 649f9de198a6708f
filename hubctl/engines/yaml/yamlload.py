"""Safe YAML loading with positions, for specs.

ruamel.yaml (its C parser when available) composes nodes; hubctl constructs plain Python data itself so
that it can (a) record the line and column of every key and value, (b) report every duplicate key,
non-scalar key and custom tag instead of stopping at the first, (c) resolve scalars by YAML 1.2 rules
while flagging plain scalars that a YAML 1.1 reader (Go's, used by kubectl and Argo CD) would read
differently, and (d) bound the work: alias bombs and deep nesting are refused, not expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hubctl.base.constants import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES_PER_FILE, PARSER_DEPTH_GUARD
from hubctl.base.problems import Problem, format_path
from hubctl.engines.yaml.yamldepth import nesting_bound, too_deep_line

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_PLAIN = "tag:hubctl.io,2026:plain"  # what our resolver gives a plain scalar; resolved in _Builder.scalar
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")
_YAML11_BOOLISH = {w for b in ("y", "yes", "n", "no", "on", "off") for w in (b, b.capitalize(), b.upper())}
_YAML11_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_YAML11_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


@dataclass
class Document:
    """One YAML document: its data and where every key path sits in the file."""

    file: str
    index: int
    data: object
    positions: dict = field(default_factory=dict)  # tuple(path) -> (line, column), 1-based
    plain_scalars: dict = field(default_factory=dict)  # tuple(path) -> raw text of plain scalars
    valid: bool = True  # False once the document failed its schema
    pruned: tuple = ()  # key paths taken out so that the rest could be checked (spec/salvage.py)

    def where(self, path) -> tuple[int, int]:
        """The closest known position for `path` (walking up to a parent when needed)."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path, message: str, hint: str = "", code: str = "invalid") -> Problem:
        line, column = self.where(path)
        return Problem(self.file, line, column, format_path(path), message, hint, code)


class _Budget(Exception):
    pass


class _Builder:
    """Turns a composed node tree into plain data, collecting problems as it goes."""

    def __init__(self, doc: Document, problems: list[Problem]):
        self.doc = doc
        self.problems = problems
        self.nodes = 0

    def problem(self, node, path, message, hint="", code="invalid"):
        mark = node.start_mark
        self.problems.append(Problem(self.doc.file, mark.line + 1, mark.column + 1, format_path(path),
                                     message, hint, code))

    def build(self, node, path: tuple, depth: int = 0):
        self.nodes += 1
        if self.nodes > MAX_NODES_PER_FILE:
            raise _Budget(f"more than {MAX_NODES_PER_FILE:,} YAML nodes (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise _Budget(f"nesting deeper than {MAX_DEPTH} levels")
        self.doc.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _ALLOWED_TAGS and node.tag != _PLAIN and not node.tag.startswith(_STD + "merge"):
            self.problem(node, path, f"custom YAML tag `{node.tag}` is not allowed in specs",
                         "remove the tag; specs are plain YAML", "yaml-tag")
        kind = node.id
        if kind == "mapping":
            return self.mapping(node, path, depth)
        if kind == "sequence":
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node, path, depth):
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                self.problem(key_node, path, "a mapping key must be a plain string, not a "
                             f"{key_node.id}", "write the key as a string", "yaml-key")
                continue
            if key_node.tag == _STD + "merge" or key_node.value == "<<" and not key_node.style:
                self.problem(key_node, path, "YAML merge keys (`<<`) are not supported in specs",
                             "write the keys out, or use blueprint params and overrides", "yaml-merge")
                continue
            key = key_node.value
            if key in out:
                first = self.doc.positions.get(path + (key,), (0, 0))[0]
                self.problem(key_node, path + (key,), f"duplicate key `{key}` (first defined on line {first})",
                             "remove one of them; YAML keeps only the last, silently", "duplicate-key")
                continue
            self.doc.positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out

    def scalar(self, node, path):
        text = node.value
        if node.style:  # quoted or block scalar: always a string
            return text
        tag = node.tag
        if tag == _PLAIN:
            self.doc.plain_scalars[path] = text
            tag = _resolve_plain(text)
        try:
            if tag == _STD + "null":
                return None
            if tag == _STD + "bool":
                return _BOOL.get(text, text.lower() == "true")
            if tag == _STD + "int":
                return _to_int(text)
            if tag == _STD + "float":
                return float(text.replace("_", "").replace(".inf", "inf").replace(".Inf", "inf")
                             .replace(".INF", "inf").lower().replace(".nan", "nan"))
        except ValueError:
            return text
        return text


def _resolve_plain(text: str) -> str:
    """YAML 1.2 core schema resolution of a plain scalar."""
    if text in _NULL:
        return _STD + "null"
    if text in _BOOL:
        return _STD + "bool"
    first = text[:1]
    if first.isdigit() or first in "-+.":
        if _INT.match(text):
            return _STD + "int"
        if _FLOAT.match(text):
            return _STD + "float"
    return _STD + "str"


_TAGS: dict = {}


def _tag(text: str):
    """A ruamel Tag with its text precomputed (its lazy URI decoding dominates parse time otherwise)."""
    tag = _TAGS.get(text)
    if tag is None:
        from ruamel.yaml.tag import Tag

        tag = Tag(suffix=text)
        tag._trval = tag._uri_decoded_suffix = text
        _TAGS[text] = tag
    return tag


class _Resolver:
    """Tags every implicit scalar as plain and leaves resolution to _Builder (ruamel's is slow)."""

    def __init__(self, *args, **kwargs):
        self.loadumper = kwargs.get("loadumper")

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind.id == "mapping":
            return _tag(_STD + "map")
        if kind.id == "sequence":
            return _tag(_STD + "seq")
        if implicit and implicit[0]:
            return _tag(_PLAIN)
        return _tag(_STD + "str")

    @property
    def processing_version(self):
        return (1, 2)


_yaml_instance = None


def _yaml():
    """One ruamel YAML object per process (building one costs more than parsing a small file)."""
    global _yaml_instance
    if _yaml_instance is None:
        from ruamel.yaml import YAML

        _yaml_instance = YAML(typ="safe", pure=False)
        _yaml_instance.Resolver = _Resolver
    return _yaml_instance


def _to_int(text: str) -> int:
    clean = text.replace("_", "")
    sign = -1 if clean.startswith("-") else 1
    body = clean.lstrip("+-")
    if body[:2] in ("0o", "0O"):
        return sign * int(body[2:], 8)
    if body[:2] in ("0x", "0X"):
        return sign * int(body[2:], 16)
    if body[:2] in ("0b", "0B"):
        return sign * int(body[2:], 2)
    return sign * int(body, 10)


def yaml11_trap(text: str) -> str | None:
    """What a YAML 1.1 reader would make of a plain scalar that YAML 1.2 reads otherwise, or None."""
    if text in _YAML11_BOOLISH:
        return "a boolean"
    if _YAML11_OCTAL.match(text) and text not in ("0", "+0", "-0"):
        return "an octal number"
    if _YAML11_SEXAGESIMAL.match(text):
        return "a base-60 number"
    return None


def load_documents(file: str, raw: bytes) -> tuple[list[Document], list[Problem]]:
    """Parse `raw` (the bytes of `file`) into documents, never raising for bad input."""
    problems: list[Problem] = []
    if len(raw) > MAX_FILE_BYTES:
        return [], [Problem(file, 0, 0, "", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                            "split it into several files", "file-too-large")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return [], [Problem(file, line, column, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                            "save the file as UTF-8", "encoding")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return [], [Problem(file, 1, 1, "", "the file is empty", "add a spec or delete the file", "empty")]
    tab_line = next((n for n, ln in enumerate(text.splitlines(), 1) if ln[: len(ln) - len(ln.lstrip())].count("\t")), 0)
    if tab_line:
        return [], [Problem(file, tab_line, 1, "", "a tab is used for indentation; YAML allows only spaces",
                            "indent with spaces", "yaml-tab")]
    return _compose(file, text, problems), problems


def _compose(file: str, text: str, problems: list[Problem]) -> list[Document]:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    docs: list[Document] = []
    if nesting_bound(text) > PARSER_DEPTH_GUARD:
        line = too_deep_line(_yaml().parse(text), MAX_DEPTH)
        if line is not None:
            problems.append(Problem(file, line, 1, "", f"document refused: nesting deeper than {MAX_DEPTH} levels",
                                    "simplify the document", "yaml-limit"))
            return docs
    try:
        for index, node in enumerate(_yaml().compose_all(text)):
            doc = Document(file, index, None)
            if node is None or (node.id == "scalar" and node.value == "" and not node.style):
                continue  # an empty document (a trailing `---`)
            builder = _Builder(doc, problems)
            try:
                doc.data = builder.build(node, ())
            except _Budget as exc:
                problems.append(Problem(file, node.start_mark.line + 1, 1, "", f"document refused: {exc}",
                                        "simplify the document", "yaml-limit"))
                continue
            docs.append(doc)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = (exc.problem or exc.context or "invalid YAML").strip()
        problems.append(Problem(file, line, column, "", f"YAML syntax error: {what}",
                                "fix the YAML syntax at this position", "yaml-syntax"))
    except (YAMLError, RecursionError, ValueError) as exc:
        problems.append(Problem(file, 0, 0, "", f"YAML error: {str(exc).splitlines()[0]}",
                                "fix the YAML syntax", "yaml-syntax"))
    return docs
