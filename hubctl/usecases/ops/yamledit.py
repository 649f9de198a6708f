"""Round-trip YAML edits that keep a spec file as its author wrote it.

A file is loaded with ruamel.yaml's round-trip loader (comments, key order, quoting and flow style
are kept), edited in place, and dumped again. ruamel may still normalise parts it was not asked to
touch (an unusual indentation, spacing inside flow collections), so the change is carried back onto
the original text as a line patch: the lines that differ between ruamel's dump of the untouched
documents and its dump of the edited ones replace the matching lines of the original. Everything
else stays byte for byte as it was.
"""

from __future__ import annotations

import difflib
import io
import re

_KEY_LINE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")  # `key:` opening a nested block
_FLOW_UNSAFE = re.compile(r"[:,\[\]{}#]")  # plain scalars with these do not read back inside `{...}` / `[...]`
_COMMENT = re.compile(r"(\s+)(#[^'\"]*)$")  # a trailing comment (no quote after the #)


class YamlFile:
    """One spec file, loaded for round-trip editing.

    Attributes:
        text: the original text.
        docs: the documents (ruamel CommentedMap and friends); edit them in place.
    """

    def __init__(self, rel: str, text: str):
        self.rel = rel
        self.text = text
        self.yaml = _round_trip(text)
        self.docs = list(self.yaml.load_all(text))
        self._untouched = self._dump()
        self.quote = '"' if text.count('"') >= text.count("'") else "'"

    def _dump(self) -> str:
        stream = io.StringIO()
        self.yaml.dump_all(self.docs, stream)
        return stream.getvalue()

    def result(self) -> str:
        """The edited file: the original text with only the changed lines replaced."""
        return patch_lines(self.text, self._untouched, self._dump())

    def string(self, value: str, flow: bool = False):
        """`value` as a scalar that keeps the file's quoting habit when it needs quotes at all (`flow`: it goes
        inside a flow collection, where `:`, `,`, brackets and `#` need them too)."""
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

        from hubctl.engines.yaml.yamlio import needs_quotes

        if not needs_quotes(value) and not (flow and _FLOW_UNSAFE.search(value)):
            return value
        return DoubleQuotedScalarString(value) if self.quote == '"' else SingleQuotedScalarString(value)


def _round_trip(text: str):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the author kept on one line
    mapping, sequence, offset = guess_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    if text.startswith("---"):
        yaml.explicit_start = True
    return yaml


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file uses them; (2, 2, 0) by default."""
    mapping, offset = None, None
    lines = text.splitlines()
    for above, below in zip(lines, lines[1:], strict=False):
        match = _KEY_LINE.match(above)
        if not match or not below.strip() or below.lstrip().startswith("#"):
            continue
        step = len(below) - len(below.lstrip(" ")) - len(match.group(1))
        if below.lstrip().startswith("- "):
            offset = step if offset is None and step >= 0 else offset
        elif step > 0 and mapping is None:
            mapping = step
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = offset or 0
    return mapping, max(mapping, offset + 2), offset


def patch_lines(original: str, untouched: str, edited: str) -> str:
    """Apply the line changes untouched -> edited onto `original` (which may differ from `untouched`).

    Falls back to `edited` itself when a change falls where `original` and `untouched` disagree.
    """
    orig, base, new = original.splitlines(True), untouched.splitlines(True), edited.splitlines(True)
    where: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, base, orig, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            where[block.a + k] = block.b + k
    where[len(base)] = len(orig)
    out, cursor = [], 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start = where.get(i1) if i1 < i2 else _anchor(where, i1)
        if start is None or any(where.get(i) != start + (i - i1) for i in range(i1, i2)) or start < cursor:
            return edited
        out.extend(orig[cursor:start])
        replaced = new[j1:j2]
        if tag == "replace" and i2 - i1 == j2 - j1:
            replaced = [keep_comment_spacing(o, n) for o, n in zip(orig[start:start + i2 - i1], replaced, strict=True)]
        out.extend(replaced)
        cursor = start + (i2 - i1)
    out.extend(orig[cursor:])
    return "".join(out)


def keep_comment_spacing(original: str, edited: str) -> str:
    """`edited` with the spacing before its trailing comment as in `original`, when both end in that comment
    (ruamel puts one space before a comment on a line it re-emits)."""
    old, new = _COMMENT.search(original.rstrip("\n")), _COMMENT.search(edited.rstrip("\n"))
    if not old or not new or old.group(2) != new.group(2) or old.group(1) == new.group(1):
        return edited
    ending = edited[len(edited.rstrip("\n")):]
    return edited.rstrip("\n")[:new.start()] + old.group(1) + new.group(2) + ending


def _anchor(where: dict[int, int], index: int) -> int | None:
    """Where an insertion before base line `index` goes in the original."""
    if index in where:
        return where[index]
    if index - 1 in where:
        return where[index - 1] + 1
    return None
