"""Function signatures: how Go's executor converts and checks the arguments of a template function.

Go checks every argument against the function's parameter types (reflect). A FuncSpec records those
types with short kind names so the executor can reproduce Go's errors ("wrong type for value; expected
string; got float64", "invalid value; expected int") and its literal rules (an int parameter takes 3
but not 3.5).

Kinds: any (interface{}), value (reflect.Value: receives MISSING as is), str, int, int64, float, bool,
list ([]interface{}), map (map[string]interface{}).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hubctl.engines.appset.gotmpl.values import MISSING, Int64, StrList, StrMap, type_name

GO_TYPES = {"any": "interface {}", "value": "reflect.Value", "str": "string", "int": "int", "int64": "int64",
            "float": "float64", "bool": "bool", "list": "[]interface {}", "map": "map[string]interface {}"}
NILABLE = frozenset({"any", "value", "list", "map"})


class FuncError(Exception):
    """An error a template function returns (Go: the function's error result, or a recovered panic)."""


class ArgError(Exception):
    """An argument that Go's executor rejects before the call."""


@dataclass(frozen=True, slots=True)
class FuncSpec:
    name: str
    fn: Callable
    params: tuple[str, ...]
    variadic: str | None = None
    lazy: bool = False  # and/or: arguments evaluated one by one


def check(value, kind: str):
    """Go's validateType for a computed value passed to a parameter of `kind`.

    Raises:
        ArgError: the value is missing or not assignable, in Go's words.
    """
    if kind == "any":
        return None if value is MISSING else value
    if kind == "value":
        return value
    if value is MISSING:
        if kind in NILABLE:
            return None
        raise ArgError(f"invalid value; expected {GO_TYPES[kind]}")
    ok = _ASSIGNABLE[kind](value)
    if not ok:
        got = "interface {}" if value is None else type_name(value)
        raise ArgError(f"wrong type for value; expected {GO_TYPES[kind]}; got {got}")
    return value


_ASSIGNABLE = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: type(v) is int,
    "int64": lambda v: type(v) is Int64,
    "float": lambda v: isinstance(v, float),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: v is None or (isinstance(v, list) and not isinstance(v, StrList)),
    "map": lambda v: v is None or (isinstance(v, dict) and not isinstance(v, StrMap)),
}


def registry():
    """A decorator factory collecting FuncSpecs into a dict: @fn("name", "str", "int", variadic="any")."""
    table: dict[str, FuncSpec] = {}

    def fn(name: str, *params: str, variadic: str | None = None):
        def wrap(func):
            table[name] = FuncSpec(name, func, tuple(params), variadic)
            return func
        return wrap

    return table, fn
