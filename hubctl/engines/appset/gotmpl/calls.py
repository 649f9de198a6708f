"""Function calls in templates: Go's evalCall/evalArg argument checks, and/or short-circuit."""

from __future__ import annotations

from hubctl.engines.appset.gotmpl import nodes as n
from hubctl.engines.appset.gotmpl.funcs import GO_TYPES, NILABLE, ArgError, FuncError, FuncSpec, check
from hubctl.engines.appset.gotmpl.values import MISSING, truth

MAX_DEPTH = 100000


class _NoFinal:
    """Go's missingVal: the first command of a pipeline has no final argument. Distinct from MISSING
    (an invalid reflect.Value), which a later command *does* receive: `{{ .missing | toJson }}` calls
    toJson(nil) (exec.go evalPipeline / evalCall "Add final value if necessary" / validateType)."""

    __slots__ = ()


NO_FINAL = _NoFinal()


class ExecError(Exception):
    """A template failed while executing (Go's ExecError)."""


class _LiteralError(Exception):
    pass


def failing(message: str):
    """A command closure that fails when (and only when) it runs."""
    def run(st, dot, final):
        raise ExecError(message)
    return run


def failing2(message: str):
    """An operand closure that fails when it runs."""
    def run(st, dot):
        raise ExecError(message)
    return run


class CallCompiler:
    """Mixin for Compiler: function calls and their arguments."""

    def call(self, ident: n.Identifier, args: list, cmd):
        spec = self.funcs[ident.name]
        name = ident.name
        if name == "call" and args:  # exec.go evalCall passes the callee's source text to builtin call
            callee, inner = n.node_source(args[0]), spec.fn
            spec = FuncSpec(name, lambda fn, *rest: inner(fn, *rest, callee=callee), spec.params, spec.variadic)
        fail = self.fail_at
        if spec.lazy:
            return self.lazy_call(spec, args, ident)
        arg_fns = []
        for i, arg in enumerate(args):
            kind = spec.params[i] if i < len(spec.params) else spec.variadic
            if kind is None:
                break
            arg_fns.append(self.argument(arg, kind))
        fixed = len(spec.params)
        # exec.go: arity is checked at the identifier; the final argument's type after the arguments ran,
        # so at the last node they evaluated.
        final_at = n.last_node(args[-1]) if args else ident

        def run(st, dot, final):
            count = len(args) + (final is not NO_FINAL)
            if spec.variadic is None and count != fixed:
                raise ExecError(fail(ident, f"wrong number of args for {name}: want {fixed} got {count}"))
            if spec.variadic is not None and count < fixed:
                raise ExecError(fail(ident, f"wrong number of args for {name}: want at least {fixed} "
                                            f"got {len(args)}"))
            try:
                values = [fn(st, dot) for fn in arg_fns]
                if final is not NO_FINAL:
                    kind = spec.params[-1] if spec.variadic is None else spec.variadic
                    if len(values) < fixed:
                        kind = spec.params[len(values)]
                    try:
                        values.append(check(final, kind))
                    except ArgError as exc:
                        raise ExecError(fail(final_at, str(exc))) from None
            except ArgError as exc:
                raise ExecError(fail(cmd, str(exc))) from None
            try:
                return spec.fn(*values)
            except ExecError:
                raise
            except FuncError as exc:
                raise ExecError(fail(cmd, f"error calling {name}: {exc}")) from None
            except RecursionError:
                raise ExecError(fail(cmd, f"exceeded maximum template depth ({MAX_DEPTH})")) from None
            except Exception as exc:  # noqa: BLE001 - Go recovers a panicking function the same way
                raise ExecError(fail(cmd, f"error calling {name}: {_panic_text(exc)}")) from None
        return run

    def lazy_call(self, spec: FuncSpec, args: list, cmd):
        arg_fns = [self.argument(arg, "value") for arg in args]
        want = spec.name == "or"
        fail = self.fail_at

        def run(st, dot, final):
            if not args and final is NO_FINAL:
                raise ExecError(fail(cmd, f"wrong number of args for {spec.name}: want at least 1 got 0"))
            value = MISSING
            for fn in arg_fns:
                value = fn(st, dot)
                if truth(value) == want:
                    return value
            return final if final is not NO_FINAL else value
        return run

    def argument(self, node, kind: str):
        """A closure evaluating one argument node for a parameter of `kind` (Go's evalArg)."""
        fail = self.fail_at
        if isinstance(node, (n.Dot, n.Field, n.Variable, n.Pipe, n.Chain, n.Identifier)):
            get = self.operand_value(node)

            def computed(st, dot):
                try:
                    return check(get(st, dot), kind)
                except ArgError as exc:
                    raise ExecError(fail(node, str(exc))) from None
            return computed
        if isinstance(node, n.Nil):
            if kind in NILABLE:
                value = MISSING if kind == "value" else None
                return lambda st, dot: value
            return failing2(fail(node, f"cannot assign nil to {GO_TYPES[kind]}"))
        try:
            value = self.literal_for(node, kind)
        except _LiteralError as exc:  # Go reports it when (and only if) the call runs
            return failing2(str(exc))
        return lambda st, dot: value

    def literal_for(self, node, kind: str):
        """A constant argument converted as Go converts it for the parameter type, or an ExecError."""
        source = n.node_source(node)
        if kind in ("any", "value"):
            return self.literal(node)(None, None)
        if kind == "bool" and isinstance(node, n.Bool):
            return node.value
        if kind == "str" and isinstance(node, n.String):
            return node.value
        if kind in ("int", "int64") and isinstance(node, n.Number) and node.is_int:
            return node.int_value
        if kind == "float" and isinstance(node, n.Number) and node.is_float:
            return node.float_value
        expected = {"bool": "bool", "str": "string", "int": "integer", "int64": "integer",
                    "float": "float"}.get(kind)
        message = f"expected {expected}; found {source}" if expected else \
            f"can't handle {source} for arg of type {GO_TYPES[kind]}"
        raise _LiteralError(self.fail_at(node, message))



def _panic_text(exc: Exception) -> str:
    if isinstance(exc, ZeroDivisionError):
        return "runtime error: integer divide by zero"
    if isinstance(exc, IndexError):
        return "runtime error: index out of range"
    return str(exc) or type(exc).__name__
