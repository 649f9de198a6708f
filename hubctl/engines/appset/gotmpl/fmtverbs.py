"""Go's fmt printer for one operand: fmt/print.go printArg/printValue/badVerb and fmt/format.go (padding,
integers, floats incl. %x/%b, strings, quoting). Flags, width and precision apply to every leaf of a
slice or map, never to its brackets; a nil element of an interface container prints `<nil>` unpadded.
"""

from __future__ import annotations

from hubctl.engines.appset.gotmpl.floats import append_float, sharp_float
from hubctl.engines.appset.gotmpl.values import MISSING, NilList, StrList, StrMap, Uint8, type_name

_LOWER = "0123456789abcdefx"
_UPPER = "0123456789ABCDEFX"


class Printer:
    """One fmt.pp with its fmt.fmt flags; `out` collects the text."""

    def __init__(self):
        self.out: list[str] = []
        self.clear()

    def clear(self) -> None:
        self.sharp = self.zero = self.plus = self.minus = self.space = False
        self.sharp_v = self.plus_v = False
        self.wid = self.prec = 0
        self.wid_present = self.prec_present = False

    # -- padding (format.go writePadding/pad) ---------------------------------------------------------
    def padding(self, n: int) -> None:
        if n > 0:
            self.out.append(("0" if self.zero and not self.minus else " ") * n)

    def pad(self, s: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.out.append(s)
            return
        if self.minus:
            self.out.append(s)
            self.padding(self.wid - len(s))
        else:
            self.padding(self.wid - len(s))
            self.out.append(s)

    def pad_nozero(self, s: str) -> None:
        old, self.zero = self.zero, False
        self.pad(s)
        self.zero = old

    # -- operands (print.go printArg / printValue) ----------------------------------------------------
    def print_arg(self, arg, verb: str) -> None:
        if arg is None or arg is MISSING:
            if verb in "Tv":
                self.pad("<nil>")
            else:
                self.out.append(f"%!{verb}(<nil>)")
            return
        if verb == "T":
            self.fmt_s(type_name(arg))
            return
        self.print_value(arg, verb, 0)

    def print_value(self, value, verb: str, depth: int) -> None:
        if value is None or value is MISSING:  # an interface element holding nil
            self.out.append("interface {}(nil)" if self.sharp_v else "<nil>")
        elif isinstance(value, bool):
            self.fmt_bool(value, verb)
        elif isinstance(value, int):
            self.fmt_int(value, verb)
        elif isinstance(value, float):
            self.fmt_float_verb(value, verb)
        elif isinstance(value, str):
            self.fmt_string(value, verb)
        elif isinstance(value, dict):
            self.print_map(value, verb, depth)
        elif isinstance(value, (list, tuple)):
            self.print_list(value, verb, depth)
        else:
            self.fmt_string(str(value), verb)

    def print_map(self, value: dict, verb: str, depth: int) -> None:
        if self.sharp_v:
            self.out.append(type_name(value) + "{")
        else:
            self.out.append("map[")
        for i, key in enumerate(sorted(value, key=str)):
            if i:
                self.out.append(", " if self.sharp_v else " ")
            self.print_value(key, verb, depth + 1)
            self.out.append(":")
            elem = value[key]
            if elem is None and isinstance(value, StrMap):
                elem = ""
            self.print_value(elem, verb, depth + 1)
        self.out.append("}" if self.sharp_v else "]")

    def print_list(self, value, verb: str, depth: int) -> None:
        if self.sharp_v:
            self.out.append(type_name(value))
            if isinstance(value, NilList):
                self.out.append("(nil)")
                return
            self.out.append("{")
        else:
            self.out.append("[")
        for i, elem in enumerate(value):
            if i:
                self.out.append(", " if self.sharp_v else " ")
            if elem is None and isinstance(value, StrList):
                elem = ""
            self.print_value(elem, verb, depth + 1)
        self.out.append("}" if self.sharp_v else "]")

    def bad_verb(self, verb: str, value) -> None:
        self.out.append(f"%!{verb}({type_name(value)}=")
        self.print_value(value, "v", 0)
        self.out.append(")")

    # -- kinds (print.go fmtBool/fmtInteger/fmtFloat/fmtString) ----------------------------------------
    def fmt_bool(self, value: bool, verb: str) -> None:
        if verb in "tv":
            self.pad("true" if value else "false")
        else:
            self.bad_verb(verb, value)

    def fmt_int(self, value: int, verb: str) -> None:
        bases = {"v": 10, "d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}
        if verb == "v" and self.sharp_v and isinstance(value, Uint8):  # print.go fmt0x64 for unsigned %#v
            old, self.sharp = self.sharp, True
            self.fmt_integer(value, 16, verb, _LOWER)
            self.sharp = old
        elif verb in bases:
            self.fmt_integer(value, bases[verb], verb, _UPPER if verb == "X" else _LOWER)
        elif verb == "c":
            self.pad(_rune(value))
        elif verb == "q":
            self.pad(_quote_rune(_rune(value), self.plus))
        elif verb == "U":
            self.fmt_unicode(value)
        else:
            self.bad_verb(verb, value)

    def fmt_integer(self, value: int, base: int, verb: str, digits: str) -> None:
        negative, u = value < 0, abs(value)
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old, self.zero = self.zero, False
                self.padding(self.wid)
                self.zero = old
                return
        elif self.zero and not self.minus and self.wid_present:
            prec = self.wid - (1 if negative or self.plus or self.space else 0)
        body = _to_base(u, base, digits).rjust(prec, "0")
        if self.sharp:
            if base == 2:
                body = "0b" + body
            elif base == 8 and body[0] != "0":
                body = "0" + body
            elif base == 16:
                body = "0" + digits[16] + body
        if verb == "O":
            body = "0o" + body
        sign = "-" if negative else "+" if self.plus else " " if self.space else ""
        self.pad_nozero(sign + body)

    def fmt_unicode(self, value: int) -> None:
        """format.go fmtUnicode: U+ and at least 4 (or the precision) hex digits, %#U adds the rune."""
        digits = max(4, self.prec if self.prec_present else 0)
        text = f"U+{value & 0xFFFFFFFFFFFFFFFF:0{digits}X}"
        if self.sharp and 0 <= value <= 0x10FFFF and _rune(value).isprintable():
            text += f" '{_rune(value)}'"
        self.pad_nozero(text)

    def fmt_float_verb(self, value: float, verb: str) -> None:
        if verb == "v":
            self.fmt_float(value, "g", -1)
        elif verb in "bgGxX":
            self.fmt_float(value, verb, -1)
        elif verb in "fFeE":
            self.fmt_float(value, "f" if verb == "F" else verb, 6)
        else:
            self.bad_verb(verb, value)

    def fmt_float(self, value: float, verb: str, prec: int) -> None:
        if self.prec_present:
            prec = self.prec
        num = append_float(value, verb, prec)
        num = num if num[0] in "+-" else "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad_nozero(num)
            return
        if self.sharp and verb != "b":
            num = sharp_float(num, verb, prec)
        if self.plus or num[0] != "+":
            if self.zero and not self.minus and self.wid_present and self.wid > len(num):
                self.out.append(num[0])
                self.padding(self.wid - len(num))
                self.out.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])

    def fmt_string(self, value: str, verb: str) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(value)
            else:
                self.fmt_s(value)
        elif verb == "s":
            self.fmt_s(value)
        elif verb in "xX":
            self.fmt_sbx(value.encode(), _UPPER if verb == "X" else _LOWER)
        elif verb == "q":
            self.fmt_q(value)
        else:
            self.bad_verb(verb, value)

    def fmt_s(self, value: str) -> None:
        if self.prec_present:
            value = value[:self.prec]
        self.pad(value)

    def fmt_q(self, value: str) -> None:
        if self.prec_present:
            value = value[:self.prec]
        if self.sharp and "`" not in value and all(c == "\t" or (c.isprintable() and c != "\ufeff")
                                                   for c in value):
            self.pad("`" + value + "`")
        else:
            self.pad(quote(value, ascii_only=self.plus))

    def fmt_sbx(self, data: bytes, digits: str) -> None:
        length = len(data)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width == 0:
            if self.wid_present:
                self.padding(self.wid)
            return
        if self.space:
            width = width * (2 if self.sharp else 1) + length - 1
        elif self.sharp:
            width += 2
        if self.wid_present and self.wid > width and not self.minus:
            self.padding(self.wid - width)
        parts = []
        for i in range(length):
            prefix = "0" + digits[16] if self.sharp and (self.space or i == 0) else ""
            sep = " " if self.space and i else ""
            parts.append(sep + prefix + digits[data[i] >> 4] + digits[data[i] & 15])
        self.out.append("".join(parts))
        if self.wid_present and self.wid > width and self.minus:
            self.padding(self.wid - width)


# -- helpers --------------------------------------------------------------------------------------------
def _to_base(u: int, base: int, digits: str) -> str:
    if base == 10:
        return str(u)
    text = format(u, {2: "b", 8: "o", 16: "x"}[base])
    return text.upper() if digits is _UPPER else text


def _rune(value: int) -> str:
    return chr(value) if 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"


def _quote_rune(ch: str, ascii_only: bool) -> str:
    body = quote(ch, ascii_only)[1:-1]
    return "'" + ("\\'" if ch == "'" else '"' if ch == '"' else body) + "'"


def quote(text: str, ascii_only: bool = False) -> str:
    """strconv.Quote (QuoteToASCII when ascii_only)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _ESC:
            out.append(_ESC[ch])
        elif ch.isprintable() and (code < 0x80 or not ascii_only):
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
