"""Field access in templates: `.a.b`, `$x.a`, `(pipe).a` (exec.go evalFieldChain / evalField)."""

from __future__ import annotations

from hubctl.engines.appset.gotmpl import nodes as n
from hubctl.engines.appset.gotmpl.calls import NO_FINAL, ExecError
from hubctl.engines.appset.gotmpl.values import MISSING, StrMap, type_name


class FieldCompiler:
    """Mixin for Compiler: closures walking field chains."""

    def field_chain(self, node, receiver_fn, idents, args, cmd):
        fail = self.fail_at
        if not args and receiver_fn is None and idents:
            return self._plain_fields(node, idents)
        has_args = bool(args)

        def run(st, dot, final):
            receiver = dot if receiver_fn is None else receiver_fn(st, dot)
            last = len(idents) - 1
            boxed = receiver_fn is None and st.boxed
            for i, name in enumerate(idents):
                if i == last and (has_args or final is not NO_FINAL) and isinstance(receiver, dict):
                    raise ExecError(fail(node, f"{name} is not a method but has arguments"))
                parent = receiver
                receiver = _field(st, receiver, name, node, fail, boxed)
                boxed = isinstance(parent, dict) and not isinstance(parent, StrMap)
            if not idents and (has_args or final is not NO_FINAL):
                raise ExecError(fail(node, "can't give argument to non-function " + n.node_source(node)))
            return receiver
        return run

    def _plain_fields(self, node, idents):
        """`.a.b` with no arguments: the hot path of every ApplicationSet template."""
        fail = self.fail_at
        last = idents[-1]

        def run(st, dot, final):
            receiver = dot
            boxed = st.boxed
            for name in idents:
                if type(receiver) is dict and name in receiver and (name is not last or final is NO_FINAL):
                    receiver = receiver[name]
                    boxed = True
                elif name is last and final is not NO_FINAL and isinstance(receiver, dict):
                    # evalField: a map field given arguments fails before the key is looked up
                    raise ExecError(fail(node, f"{last} is not a method but has arguments"))
                else:
                    receiver = _field(st, receiver, name, node, fail, boxed)
            return receiver
        return run


def _field(st, receiver, name: str, node, fail, boxed: bool = False):
    """exec.go evalField. `boxed`: the receiver is an interface{} element of a map or slice, so Go
    names its static type ("can't evaluate field x in type interface {}")."""
    if isinstance(receiver, dict):
        try:
            return receiver[name]
        except KeyError:
            pass
        mode = st.missing
        if mode == "error":
            raise ExecError(fail(node, f'map has no entry for key "{name}"'))
        if mode == "zero":
            return "" if isinstance(receiver, StrMap) else None
        return MISSING
    if receiver is MISSING:
        if st.missing == "error":
            raise ExecError(fail(node, f'nil data; no entry for key "{name}"'))
        return MISSING
    if receiver is None:
        raise ExecError(fail(node, f"nil pointer evaluating interface {{}}.{name}"))
    go_field = getattr(receiver, "go_field", None)  # Go values with methods (Sprig's *semver.Version)
    if go_field is not None:
        try:
            return go_field(name)
        except KeyError:
            pass
    typ = "interface {}" if boxed else type_name(receiver)
    raise ExecError(fail(node, f"can't evaluate field {name} in type {typ}"))
