"""Go's fmt entry points used by templates: Sprint, Sprintln and Sprintf (fmt/print.go doPrint, doPrintln,
doPrintf with argument indexes `%[n]`, `*` widths and precisions, and Go's `%!` error annotations)."""

from __future__ import annotations

from hubctl.engines.appset.gotmpl.fmtverbs import Printer, quote
from hubctl.engines.appset.gotmpl.values import MISSING, type_name

__all__ = ["quote", "sprint", "sprintf", "sprintln"]

_FLAGS = {"#": "sharp", "0": "zero", "+": "plus", "-": "minus", " ": "space"}


def sprint(*args) -> str:
    """fmt.Sprint: a space between operands when neither side is a string."""
    p = Printer()
    for i, arg in enumerate(args):
        if i and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            p.out.append(" ")
        p.print_arg(arg, "v")
    return "".join(p.out)


def sprintln(*args) -> str:
    """fmt.Sprintln: spaces between all operands, then a newline."""
    p = Printer()
    for i, arg in enumerate(args):
        if i:
            p.out.append(" ")
        p.print_arg(arg, "v")
    return "".join(p.out) + "\n"


def _parsenum(fmt: str, i: int, end: int) -> tuple[int, bool, int]:
    num, isnum = 0, False
    while i < end and "0" <= fmt[i] <= "9":
        if num > 1_000_000:
            return 0, False, end
        num, isnum, i = num * 10 + ord(fmt[i]) - 48, True, i + 1
    return num, isnum, i


class _Scan:
    """doPrintf's cursor state."""

    def __init__(self, fmt: str, args: tuple):
        self.fmt, self.args, self.end = fmt, args, len(fmt)
        self.i = self.arg_num = 0
        self.reordered = self.good = False

    def arg_number(self) -> bool:
        """print.go argNumber: an explicit `[n]` index; returns whether one was found."""
        fmt, i = self.fmt, self.i
        if i >= self.end or fmt[i] != "[":
            return False
        self.reordered = True
        close = fmt.find("]", i + 1)
        if close < 0:
            self.good, self.i = False, i + 1
            return False
        num, ok, newi = _parsenum(fmt, i + 1, close)
        ok = ok and newi == close
        self.i = close + 1
        if ok and 0 <= num - 1 < len(self.args):
            self.arg_num = num - 1
            return True
        self.good = False
        return ok

    def int_arg(self) -> tuple[int, bool]:
        """print.go intFromArg."""
        if self.arg_num >= len(self.args):
            return 0, False
        value = self.args[self.arg_num]
        self.arg_num += 1
        if isinstance(value, int) and not isinstance(value, bool) and -1_000_000 <= value <= 1_000_000:
            return value, True
        return 0, False


def sprintf(fmt: str, *args) -> str:
    """fmt.Sprintf."""
    p, s = Printer(), _Scan(fmt, args)
    while s.i < s.end:
        pct = fmt.find("%", s.i)
        if pct < 0:
            p.out.append(fmt[s.i:])
            break
        p.out.append(fmt[s.i:pct])
        s.i, s.good = pct + 1, True
        p.clear()
        if not _one_verb(p, s):
            break
    if not s.reordered and s.arg_num < len(args):
        p.clear()
        p.out.append("%!(EXTRA ")
        for k, arg in enumerate(args[s.arg_num:]):
            if k:
                p.out.append(", ")
            if arg is None or arg is MISSING:
                p.out.append("<nil>")
            else:
                p.out.append(type_name(arg) + "=")
                p.print_arg(arg, "v")
        p.out.append(")")
    return "".join(p.out)


def _one_verb(p: Printer, s: _Scan) -> bool:
    """One directive after its `%`; False when the format ended without a verb."""
    fmt, end = s.fmt, s.end
    while s.i < end and fmt[s.i] in _FLAGS:
        setattr(p, _FLAGS[fmt[s.i]], True)
        if fmt[s.i] == "-":
            p.zero = False
        elif fmt[s.i] == "0":
            p.zero = not p.minus
        s.i += 1
    after_index = s.arg_number()
    if s.i < end and fmt[s.i] == "*":
        s.i += 1
        p.wid, p.wid_present = s.int_arg()
        if not p.wid_present:
            p.out.append("%!(BADWIDTH)")
        if p.wid < 0:
            p.wid, p.minus, p.zero = -p.wid, True, False
        after_index = False
    else:
        p.wid, p.wid_present, s.i = _parsenum(fmt, s.i, end)
        if after_index and p.wid_present:
            s.good = False
    if s.i + 1 < end and fmt[s.i] == ".":
        s.i += 1
        if after_index:
            s.good = False
        after_index = s.arg_number()
        if s.i < end and fmt[s.i] == "*":
            s.i += 1
            p.prec, p.prec_present = s.int_arg()
            if p.prec < 0:
                p.prec, p.prec_present = 0, False
            if not p.prec_present:
                p.out.append("%!(BADPREC)")
            after_index = False
        else:
            p.prec, p.prec_present, s.i = _parsenum(fmt, s.i, end)
            if not p.prec_present:
                p.prec, p.prec_present = 0, True
    if not after_index:
        after_index = s.arg_number()
    if s.i >= end:
        p.out.append("%!(NOVERB)")
        return False
    verb = fmt[s.i]
    s.i += 1
    if verb == "%":
        p.out.append("%")
    elif not s.good:
        p.out.append(f"%!{verb}(BADINDEX)")
    elif s.arg_num >= len(s.args):
        p.out.append(f"%!{verb}(MISSING)")
    else:
        if verb == "v":
            p.sharp_v, p.sharp = p.sharp, False
            p.plus_v, p.plus = p.plus, False
        p.print_arg(s.args[s.arg_num], verb)
        s.arg_num += 1
    return True
