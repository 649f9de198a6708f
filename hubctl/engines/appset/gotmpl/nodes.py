"""Parse tree nodes of a Go template (the shapes of text/template/parse/node.go)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Text:
    text: str


@dataclass(slots=True)
class Command:
    args: list
    pos: int = 0


@dataclass(slots=True)
class Pipe:
    decl: list[str]
    is_assign: bool
    cmds: list[Command]
    pos: int = 0


@dataclass(slots=True)
class Action:
    pipe: Pipe
    pos: int = 0
    source: str = ""


@dataclass(slots=True)
class Field:
    idents: tuple[str, ...]
    pos: int = 0


@dataclass(slots=True)
class Variable:
    idents: tuple[str, ...]  # idents[0] is the variable name, "$x"
    pos: int = 0


@dataclass(slots=True)
class Chain:
    node: object
    fields: tuple[str, ...]
    pos: int = 0


@dataclass(slots=True)
class Identifier:
    name: str
    pos: int = 0


@dataclass(slots=True)
class Dot:
    pos: int = 0


@dataclass(slots=True)
class Nil:
    pos: int = 0


@dataclass(slots=True)
class Bool:
    value: bool
    pos: int = 0


@dataclass(slots=True)
class Number:
    text: str
    is_int: bool
    is_float: bool
    int_value: int = 0
    float_value: float = 0.0
    is_char: bool = False
    pos: int = 0
    is_uint: bool = False  # fits uint64 but not int64: valid syntax, "overflows int" when executed


@dataclass(slots=True)
class String:
    quoted: str
    value: str
    pos: int = 0


@dataclass(slots=True)
class Branch:
    kind: str  # if, with, range
    pipe: Pipe
    body: list
    else_body: list | None = None
    pos: int = 0


@dataclass(slots=True)
class TemplateCall:
    name: str
    pipe: Pipe | None
    pos: int = 0


@dataclass(slots=True)
class Break:
    pos: int = 0


@dataclass(slots=True)
class Continue:
    pos: int = 0


@dataclass(slots=True)
class Marker:
    """The end of an itemList: {{end}} or {{else}}."""

    kind: str  # end, else
    pos: int = 0


@dataclass
class TreeSet:
    main: list = field(default_factory=list)
    defined: dict[str, list] = field(default_factory=dict)


def node_source(node) -> str:
    """A short Go-like rendering of a node for error messages (`at <...>`)."""
    if isinstance(node, Field):
        return "." + ".".join(node.idents)
    if isinstance(node, Variable):
        return ".".join(node.idents)
    if isinstance(node, Identifier):
        return node.name
    if isinstance(node, Dot):
        return "."
    if isinstance(node, Nil):
        return "nil"
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, Number):
        return node.text
    if isinstance(node, String):
        return node.quoted
    if isinstance(node, Chain):
        return node_source(node.node) + "".join("." + f for f in node.fields)
    if isinstance(node, Command):
        return " ".join(f"({node_source(a)})" if isinstance(a, Pipe) else node_source(a) for a in node.args)
    if isinstance(node, Pipe):
        decl = ", ".join(node.decl)
        body = " | ".join(node_source(c) for c in node.cmds)
        if decl:
            return f"{decl} {'=' if node.is_assign else ':='} {body}"
        return body
    if isinstance(node, TemplateCall):
        pipe = f" {node_source(node.pipe)}" if node.pipe is not None else ""
        return "{{template " + _go_quote(node.name) + pipe + "}}"
    return type(node).__name__


def last_evaluated(pipe: Pipe):
    """The node Go's state.at last points to after evaluating `pipe` (where walkRange reports errors):
    the last argument of the last command's call, or its first word."""
    args = pipe.cmds[-1].args
    return last_node(args[-1] if isinstance(args[0], Identifier) else args[0])


def last_node(node):
    """The node Go's state.at last points to after evaluating the argument `node`."""
    if isinstance(node, Pipe):
        return last_evaluated(node)
    if isinstance(node, Chain):
        return last_node(node.node)
    return node


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
