"""The executor: compiles a parse tree into Python closures once, then runs them per parameter set.

Semantics follow text/template/exec.go: missingkey options, Go's interface unwrapping between pipeline
stages (a nil becomes "<no value>"), and/or short-circuit, range over slices, maps (sorted keys) and ints
(Go 1.22+), break/continue, variables with lexical scope, {{template}} with its own `$`.
"""

from __future__ import annotations

import contextlib

from hubctl.engines.appset.gotmpl import nodes as n
from hubctl.engines.appset.gotmpl.calls import MAX_DEPTH, NO_FINAL, CallCompiler, ExecError, failing, failing2
from hubctl.engines.appset.gotmpl.fields import FieldCompiler
from hubctl.engines.appset.gotmpl.funcs import FuncSpec
from hubctl.engines.appset.gotmpl.gofmt import quote
from hubctl.engines.appset.gotmpl.lexer import NAME
from hubctl.engines.appset.gotmpl.sprint import print_value
from hubctl.engines.appset.gotmpl.values import MISSING, StrList, StrMap, truth


class _Overflow(Exception):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class State:
    __slots__ = ("vars", "missing", "trees", "depth", "out", "boxed")

    def __init__(self, missing: str, trees: dict, dot):
        self.boxed = False  # dot is an interface{} element (range over []interface{} / map)
        self.vars = [["$", dot]]
        self.missing = missing
        self.trees = trees
        self.depth = 0


class Compiler(FieldCompiler, CallCompiler):
    """Builds closures for one template text and its {{define}}d templates."""

    def __init__(self, text: str, funcs: dict[str, FuncSpec], name: str = NAME):
        self.text = text
        self.funcs = funcs
        self.name = name

    def fail_at(self, node, message: str):
        pos = getattr(node, "pos", 0)
        line = self.text.count("\n", 0, pos) + 1
        col = pos - (self.text.rfind("\n", 0, pos) + 1)
        src = n.node_source(node)  # parse.go ErrorContext: the node's full text, never truncated
        return f'template: {NAME}:{line}:{col}: executing {quote(self.name)} at <{src}>: {message}'

    # -- lists and control -----------------------------------------------------------------------------
    def block(self, items: list):
        parts = [self.item(item) for item in items]
        if len(parts) == 1:
            return parts[0]

        def run(st, dot, out):
            for part in parts:
                part(st, dot, out)
        return run

    def item(self, node):
        if isinstance(node, n.Text):
            text = node.text
            return lambda st, dot, out: out.append(text)
        if isinstance(node, n.Action):
            return self.action(node)
        if isinstance(node, n.Branch):
            return self.range_(node) if node.kind == "range" else self.if_with(node)
        if isinstance(node, n.TemplateCall):
            return self.template_call(node)
        if isinstance(node, n.Break):
            def brk(st, dot, out):
                raise _Break
            return brk
        if isinstance(node, n.Continue):
            def cont(st, dot, out):
                raise _Continue
            return cont
        raise AssertionError(node)

    def action(self, node: n.Action):
        pipe = self.pipeline(node.pipe)
        if node.pipe.decl:
            return lambda st, dot, out: pipe(st, dot)

        def run(st, dot, out):
            out.append(print_value(pipe(st, dot)))
        return run

    def if_with(self, node: n.Branch):
        pipe = self.pipeline(node.pipe)
        body = self.block(node.body)
        other = self.block(node.else_body) if node.else_body is not None else None
        is_with = node.kind == "with"

        def run(st, dot, out):
            mark = len(st.vars)
            value = pipe(st, dot)
            if truth(value) and is_with:
                saved, st.boxed = st.boxed, False  # walkIfOrWith: dot is the unwrapped pipeline value
                try:
                    body(st, value, out)
                finally:
                    st.boxed = saved
            elif truth(value):
                body(st, dot, out)
            elif other is not None:
                other(st, dot, out)
            del st.vars[mark:]
        return run

    def range_(self, node: n.Branch):
        pipe = self.pipeline(node.pipe)
        body = self.block(node.body)
        other = self.block(node.else_body) if node.else_body is not None else None
        decl, is_assign = node.pipe.decl, node.pipe.is_assign
        fail = self.fail_at
        at = n.last_evaluated(node.pipe)

        def one(st, index, elem, out):
            if decl:
                if is_assign:
                    _set_var(st, decl[0], index if len(decl) > 1 else elem, lambda m: fail(at, m))
                else:
                    st.vars[-1][1] = elem
            if len(decl) > 1:
                if is_assign:
                    _set_var(st, decl[1], elem, lambda m: fail(at, m))
                else:
                    st.vars[-2][1] = index
            mark = len(st.vars)
            with contextlib.suppress(_Continue):
                body(st, elem, out)
            del st.vars[mark:]

        def run(st, dot, out):
            mark = len(st.vars)
            value = pipe(st, dot)
            pairs = _iterate(value, len(decl), lambda m: fail(at, m))
            ran = False
            saved, st.boxed = st.boxed, _boxes(value)
            try:
                for index, elem in pairs:
                    ran = True
                    one(st, index, elem, out)
            except _Break:
                pass
            finally:
                st.boxed = saved
            if not ran and other is not None:
                other(st, dot, out)
            del st.vars[mark:]
        return run

    def template_call(self, node: n.TemplateCall):
        pipe = self.pipeline(node.pipe) if node.pipe is not None else None
        name = node.name
        fail = self.fail_at

        def run(st, dot, out):
            body = st.trees.get(name)
            if body is None:
                raise ExecError(fail(node, f'template "{name}" not defined'))
            new_dot = pipe(st, dot) if pipe is not None else MISSING
            if st.depth >= MAX_DEPTH:
                raise ExecError(fail(node, f"exceeded maximum template depth ({MAX_DEPTH})"))
            saved, boxed = st.vars, st.boxed
            st.vars, st.boxed = [["$", new_dot]], False
            st.depth += 1
            try:
                body(st, new_dot, out)
            except RecursionError:
                raise ExecError(fail(node, f"exceeded maximum template depth ({MAX_DEPTH})")) from None
            finally:
                st.vars, st.boxed = saved, boxed
                st.depth -= 1
        return run

    # -- pipelines and commands ------------------------------------------------------------------------
    def pipeline(self, pipe: n.Pipe):
        cmds = [self.command(cmd) for cmd in pipe.cmds]
        decl, is_assign = pipe.decl, pipe.is_assign
        at = n.last_evaluated(pipe)
        if len(cmds) == 1 and not decl:
            only = cmds[0]

            def single(st, dot):
                value = only(st, dot, NO_FINAL)
                return MISSING if value is None else value
            return single

        def run(st, dot):
            value = NO_FINAL
            for cmd in cmds:
                value = cmd(st, dot, value)
                if value is None:
                    value = MISSING
            for name in decl:
                if is_assign:
                    _set_var(st, name, value, lambda m: self.fail_at(at, m))
                else:
                    st.vars.append([name, value])
            return value
        return run

    def command(self, cmd: n.Command):
        first, rest = cmd.args[0], cmd.args[1:]
        if isinstance(first, n.Field):
            return self.field_chain(first, None, first.idents, rest, cmd)
        if isinstance(first, n.Chain):
            at = n.last_node(first.node)  # evalChainNode: field errors point into the chained operand
            return self.field_chain(at, self.operand_value(first.node), first.fields, rest, cmd)
        if isinstance(first, n.Variable):
            return self.field_chain(first, self.variable(first.idents[0]), first.idents[1:], rest, cmd)
        if isinstance(first, n.Identifier):
            return self.call(first, rest, cmd)
        if isinstance(first, n.Pipe):
            if rest:
                raise_at = self.fail_at(first, "can't give argument to non-function " + n.node_source(first))
                return failing(raise_at)
            inner = self.pipeline(first)
            return lambda st, dot, final: _no_final(inner(st, dot), final, self.fail_at(cmd, "can't give "
                                                    "argument to non-function " + n.node_source(first)))
        if isinstance(first, n.Nil):
            return failing(self.fail_at(first, "nil is not a command"))
        value_fn = self.literal(first)
        message = self.fail_at(first, "can't give argument to non-function " + n.node_source(first))
        if rest:
            return failing(message)
        return lambda st, dot, final: _no_final(value_fn(st, dot), final, message)

    def literal(self, node):
        if isinstance(node, n.Dot):
            return lambda st, dot: dot
        if isinstance(node, (n.Bool, n.String)):
            value = node.value
        elif isinstance(node, n.Number):
            try:
                value = self.ideal(node)
            except _Overflow as exc:
                return failing2(str(exc))
        else:
            raise AssertionError(node)
        return lambda st, dot: value

    def ideal(self, node: n.Number):
        """exec.go idealConstant: float if it looks like one, else int; a uint-only value fails."""
        if node.is_float and not node.is_char and not node.text.lower().startswith(("0x", "-0x", "+0x")) \
                and any(c in node.text for c in ".eEpP"):
            return node.float_value
        if node.is_int:
            return node.int_value
        if node.is_uint:
            raise _Overflow(self.fail_at(node, f"{node.text} overflows int"))
        return MISSING

    def variable(self, name: str):
        fail = self.fail_at

        def get(st, dot):
            for entry in reversed(st.vars):
                if entry[0] == name:
                    return entry[1]
            raise ExecError(fail(n.Variable((name,)), f"undefined variable: {name}"))
        return get

    def operand_value(self, node):
        """A closure computing the value of an operand (no arguments)."""
        if isinstance(node, n.Pipe):
            return self.pipeline(node)
        if isinstance(node, n.Field):
            chain = self.field_chain(node, None, node.idents, [], node)
            return lambda st, dot: chain(st, dot, NO_FINAL)
        if isinstance(node, n.Variable):
            chain = self.field_chain(node, self.variable(node.idents[0]), node.idents[1:], [], node)
            return lambda st, dot: chain(st, dot, NO_FINAL)
        if isinstance(node, n.Chain):
            at = n.last_node(node.node)
            chain = self.field_chain(at, self.operand_value(node.node), node.fields, [], node)
            return lambda st, dot: chain(st, dot, NO_FINAL)
        if isinstance(node, n.Identifier):
            call = self.call(node, [], node)
            return lambda st, dot: call(st, dot, NO_FINAL)
        if isinstance(node, n.Nil):
            return failing2(self.fail_at(node, "nil is not a command"))
        return self.literal(node)


def _no_final(value, final, message: str):
    if final is not NO_FINAL:
        raise ExecError(message)
    return value


def _boxes(value) -> bool:
    """Whether range elements of `value` are interface{} (not []string / map[string]string / int)."""
    return isinstance(value, (list, tuple, dict)) and not isinstance(value, (StrList, StrMap))


def _set_var(st: State, name: str, value, fail=None) -> None:
    for entry in reversed(st.vars):
        if entry[0] == name:
            entry[1] = value
            return
    message = f"undefined variable: {name}"
    raise ExecError(fail(message) if fail else message)


def _iterate(value, ndecl: int, fail):
    if value is MISSING or value is None:
        return ()
    if isinstance(value, dict):
        return [(k, value[k]) for k in sorted(value)]
    if isinstance(value, (list, tuple)):
        return list(enumerate(value))
    if isinstance(value, int) and not isinstance(value, bool):
        if ndecl > 1:
            raise ExecError(fail(f"can't use {value} to iterate over more than one variable"))
        kind = type(value)  # exec.go walkRange: val.Seq() yields values of the ranged integer type
        return [(MISSING, kind(i)) for i in range(value)]
    raise ExecError(fail(f"range can't iterate over {print_value(value)}"))
