"""A pure-Python Go text/template: parse once (Go's parse-time checks), execute many times.

    tmpl = Template("{{ .name | upper }}", funcs, options=("missingkey=error",))
    tmpl.execute({"name": "a"})  # "A"
"""

from __future__ import annotations

from hubctl.engines.appset.gotmpl.builtins import BUILTINS
from hubctl.engines.appset.gotmpl.execute import Compiler, ExecError, State
from hubctl.engines.appset.gotmpl.funcs import FuncError, FuncSpec
from hubctl.engines.appset.gotmpl.lexer import NAME, TemplateSyntaxError
from hubctl.engines.appset.gotmpl.parser import parse

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

    __slots__ = ("text", "missing", "main", "defined")

    def __init__(self, text: str, funcs: dict[str, FuncSpec], options=()):
        self.text = text
        self.missing = missing_mode(options)
        table = {**BUILTINS, **funcs}
        table.pop("tpl", None)  # not in Argo CD v3.5.1's function map: `function "tpl" not defined`
        trees = parse(text, table.__contains__)
        self.defined = {name: Compiler(text, table, name).block(body) for name, body in trees.defined.items()}
        self.main = self.defined[NAME]

    def execute(self, data) -> str:
        """Run the template with `data` as dot.

        Raises:
            ExecError: execution failed, with Go's message.
        """
        out: list[str] = []
        try:
            self.main(State(self.missing, self.defined, data), data, out)
        except RecursionError:
            raise ExecError("template: exceeded maximum template depth (100000)") from None
        return "".join(out)
