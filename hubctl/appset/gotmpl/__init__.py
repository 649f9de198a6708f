"""A pure-Python Go text/template: parse once (Go's parse-time checks), execute many times.

    tmpl = Template("{{ .name | upper }}", funcs, options=("missingkey=error",))
    tmpl.execute({"name": "a"})  # "A"
"""

from __future__ import annotations

from hubctl.appset.gotmpl.builtins import BUILTINS
from hubctl.appset.gotmpl.execute import Compiler, ExecError, State
from hubctl.appset.gotmpl.funcs import FuncError, FuncSpec
from hubctl.appset.gotmpl.lexer import TemplateSyntaxError
from hubctl.appset.gotmpl.parser import parse

__all__ = ["ExecError", "FuncError", "FuncSpec", "Template", "TemplateSyntaxError", "missing_mode"]

_MISSING_MODES = {"invalid": "default", "default": "default", "zero": "zero", "error": "error"}


def missing_mode(options) -> str:
    """The missingkey mode from Go template options ("missingkey=error").

    Raises:
        ValueError: an option Go's Template.Option would panic on.
    """
    mode = "default"
    for option in options or ():
        key, sep, value = str(option).partition("=")
        if key != "missingkey" or not sep or value not in _MISSING_MODES:
            raise ValueError(f"unrecognized option: {option}")
        mode = _MISSING_MODES[value]
    return mode


class Template:
    """One parsed and compiled template text.

    Raises (constructor):
        TemplateSyntaxError: the text does not parse.
        ValueError: an unknown option.
    """

    __slots__ = ("text", "missing", "main", "defined", "funcs")

    def __init__(self, text: str, funcs: dict[str, FuncSpec], options=()):
        self.text = text
        self.missing = missing_mode(options)
        table = {**BUILTINS, **funcs}
        if "tpl" in table:
            table["tpl"] = FuncSpec("tpl", self._tpl, ("str", "any"))
        self.funcs = table
        trees = parse(text, table.__contains__)
        compiler = Compiler(text, table)
        self.main = compiler.block(trees.main) if trees.main else None
        self.defined = {name: compiler.block(body) for name, body in trees.defined.items()}

    def execute(self, data) -> str:
        """Run the template with `data` as dot.

        Raises:
            ExecError: execution failed, with Go's message.
        """
        if self.main is None:
            return ""
        out: list[str] = []
        try:
            self.main(State(self.missing, self.defined, data), data, out)
        except RecursionError:
            raise ExecError("template: exceeded maximum template depth (100000)") from None
        return "".join(out)

    def _tpl(self, text: str, values) -> str:
        """Argo CD's `tpl`: render `text` with the same functions, options and defined templates."""
        try:
            inner = Template(text, {k: v for k, v in self.funcs.items() if k not in BUILTINS}, ())
        except TemplateSyntaxError as exc:
            raise FuncError(f"cannot parse template {text!r}: {exc}") from None
        inner.missing = self.missing
        inner.defined = {**self.defined, **inner.defined}
        try:
            return inner.execute(values).replace("<no value>", "")
        except ExecError as exc:
            raise FuncError(f"error during tpl function execution for {text!r}: {exc}") from None
