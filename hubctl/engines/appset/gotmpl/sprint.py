"""fmt.Sprint for one operand (%v), and what a template action prints: scalars here, containers through
the fmt port (fmtverbs.py). Above values.py and fmtverbs.py, so neither imports the other back."""

from __future__ import annotations

from hubctl.engines.appset.gotmpl.fmtverbs import Printer
from hubctl.engines.appset.gotmpl.values import MISSING, format_float


def sprint_value(value) -> str:
    """fmt.Sprint(value) / %v for one operand (containers via the fmt port in fmtverbs)."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return format_float(value)
    if value is None or value is MISSING:
        return "<nil>"
    printer = Printer()
    printer.print_arg(value, "v")
    return "".join(printer.out)


def print_value(value) -> str:
    """What a template action prints for a pipeline's final value."""
    if type(value) is str:
        return value
    if value is MISSING:
        return "<no value>"
    return sprint_value(value)
