"""Go's regexp (RE2 syntax) on Python's re: a translator for the syntax that differs, and the match loops of
Go's FindAll / ReplaceAll / Split, which treat empty matches differently from Python's finditer and sub.

Translated: \\pL \\p{Lu} \\PL (general categories), [[:alpha:]], \\z, \\Q...\\E, \\x{...},
(?<name>...), flags set mid-pattern, Go's ASCII \\s \\d \\w \\b, `$` that only matches at the end of text.
Rejected as Go rejects them, with Go's error text: lookaround, backreferences, atomic groups.
"""

from __future__ import annotations

import re

from hubctl.engines.appset.gotmpl.funcs import FuncError
from hubctl.engines.appset.sprig.re2_classes import PERL, POSIX, WORD, category_ranges

_CACHE: dict[str, re.Pattern] = {}


class RegexError(FuncError):
    """A pattern Go's regexp.Compile rejects; the message is Go's err.Error()."""


def _fail(code: str, expr: str):
    raise RegexError(f"error parsing regexp: {code}: `{expr}`")


class _Translator:
    def __init__(self, pattern: str):
        self.p, self.i, self.out = pattern, 0, []
        self.stack: list[list] = [[]]  # per open group: the flag wrappers opened inside it
        self.multiline = False

    def run(self) -> str:
        p = self.p
        self.last_repeat = None  # where the previous repetition operator started, if it was the last token
        self.has_atom = False  # something to repeat precedes (not the start, "(", "|" or a flag group)
        while self.i < len(p):
            c = p[self.i]
            if c in "*+?{":
                self.repeat(c)
                continue
            self.last_repeat = None
            self.has_atom = c not in "(|"
            if c == "\\":
                self.out.append(self.escape(in_class=False))
            elif c == "[":
                self.out.append(self.char_class())
            elif c == "(":
                self.group()
            elif c == ")":
                self.close_wrappers()
                if len(self.stack) == 1:
                    _fail("unexpected )", p)
                self.stack.pop()
                self.out.append(")")
                self.i += 1
            elif c == "|":
                wrappers = self.stack[-1]
                self.out.append(")" * len(wrappers) + "|" + "".join(wrappers))
                self.i += 1
            elif c == "$":
                self.out.append("$" if self.multiline else r"\Z")
                self.i += 1
            else:
                self.out.append(c)
                self.i += 1
        self.close_wrappers()
        if len(self.stack) > 1:
            _fail("missing closing )", p)
        return "".join(self.out)

    def repeat(self, c: str) -> None:
        """A repetition operator: Go's argument and nesting checks, and `{` that is no repeat is literal."""
        p, start = self.p, self.i
        if c == "{":
            m = re.match(r"\{(\d+)(,(\d*))?\}", p[start:])
            if m is None:
                self.out.append(r"\{")
                self.i += 1
                self.last_repeat = None
                return
            low, high = int(m.group(1)), m.group(3)
            if low > 1000 or (high and int(high) > 1000) or (high and int(high) < low):
                _fail("invalid repeat count", m.group(0))
            end = start + len(m.group(0))
        else:
            end = start + 1
        if end < len(p) and p[end] == "?":
            end += 1
        if self.last_repeat is not None:
            _fail("invalid nested repetition operator", p[self.last_repeat:end])
        if not self.has_atom:
            _fail("missing argument to repetition operator", p[start:end])
        self.out.append(p[start:end])
        self.i, self.last_repeat = end, start

    def close_wrappers(self) -> None:
        self.out.append(")" * len(self.stack[-1]))

    def group(self) -> None:
        p, i = self.p, self.i
        rest = p[i:]
        if rest.startswith("(?P<") or (rest.startswith("(?<") and len(rest) > 4):
            start = 4 if rest.startswith("(?P<") else 3
            end = rest.find(">")
            if end < 0:
                _fail("invalid named capture", rest)
            name = rest[start:end]
            if not re.fullmatch(r"[A-Za-z0-9_]+", name):
                _fail("invalid named capture", rest[:end + 1])
            self.out.append(f"(?P<{name}>")
            self.stack.append([])
            self.i += end + 1
            return
        if not rest.startswith("(?"):
            self.out.append("(")
            self.stack.append([])
            self.i += 1
            return
        m = re.match(r"\(\?([imsU]*)(?:-([imsU]*))?([:)])", rest)
        if m is None or m.group(2) == "":
            bad = re.match(r"\(\?[imsU-]*.?", rest).group(0)
            _fail("invalid or unsupported Perl syntax", bad)
        if "U" in m.group(0):
            raise RegexError(f"the (?U) flag is not supported by the offline preview: `{p}`")
        on, off, kind = m.group(1), m.group(2), m.group(3)
        if "m" in on:
            self.multiline = True
        flags = on + (f"-{off}" if off else "")
        self.i += len(m.group(0))
        if kind == ":":
            self.out.append(f"(?{flags}:" if flags else "(?:")
            self.stack.append([])
        else:
            self.has_atom = False
        if kind == ")" and flags:
            opener = f"(?{flags}:"
            self.out.append(opener)
            self.stack[-1].append(opener)

    def escape(self, in_class: bool) -> str:
        p, i = self.p, self.i
        if i + 1 >= len(p):
            _fail("trailing backslash at end of expression", "")
        c = p[i + 1]
        self.i += 2
        if c in "pP":
            return self.unicode_class(c == "P", in_class)
        if c in PERL:
            body = PERL[c]
            return body if in_class else f"[{body}]"
        if c in "DSW":
            return "\\" + c if in_class else f"[^{PERL[c.lower()]}]"
        if c == "z" and not in_class:
            return r"\Z"
        if c == "Q":
            end = p.find(r"\E", self.i)
            literal = p[self.i:] if end < 0 else p[self.i:end]
            self.i = len(p) if end < 0 else end + 2
            return re.escape(literal)
        if c == "x" and self.i < len(p) and p[self.i] == "{":
            end = p.find("}", self.i)
            if end < 0:
                _fail("invalid escape sequence", p[i:])
            self.i = end + 1
            return f"\\U{int(p[i + 3:end], 16):08x}"
        if c.isdigit() and c != "0":
            _fail("invalid escape sequence", "\\" + c)
        if c == "b" and not in_class:
            return rf"(?:(?<={WORD})(?!{WORD})|(?<!{WORD})(?={WORD}))"
        if c == "B" and not in_class:
            return rf"(?:(?<={WORD})(?={WORD})|(?<!{WORD})(?!{WORD}))"
        if c == "A" and not in_class:
            return "\\A"
        if c in "afnrtvx0123456789" or not c.isalnum():
            return "\\" + c
        _fail("invalid escape sequence", "\\" + c)

    def unicode_class(self, negated: bool, in_class: bool) -> str:
        p, start = self.p, self.i - 2
        if self.i < len(p) and p[self.i] == "{":
            end = p.find("}", self.i)
            if end < 0:
                _fail("invalid character class range", p[start:])
            name, self.i = p[self.i + 1:end], end + 1
        else:
            name, self.i = p[self.i:self.i + 1], self.i + 1
        if name.startswith("^"):
            negated, name = not negated, name[1:]
        try:
            body = category_ranges(name, p[start:self.i])
        except ValueError:
            _fail("invalid character class range", p[start:self.i])
        if in_class:
            if negated:
                raise RegexError(f"negated \\p classes inside brackets are not supported offline: `{p}`")
            return body
        return f"[{'^' if negated else ''}{body}]"

    def char_class(self) -> str:
        p, start = self.p, self.i
        self.i += 1
        parts = ["["]
        if self.i < len(p) and p[self.i] == "^":
            parts.append("^")
            self.i += 1
        first = True
        while True:
            if self.i >= len(p):
                _fail("missing closing ]", p[start:])
            c = p[self.i]
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            posix = re.match(r"\[:(\^?)([a-z]+):\]", p[self.i:])
            if posix:
                if posix.group(2) not in POSIX:
                    _fail("invalid character class range", posix.group(0))
                self.i += len(posix.group(0))
                body = POSIX[posix.group(2)]
                if posix.group(1):
                    raise RegexError(f"negated POSIX classes inside brackets are not supported offline: `{p}`")
                parts.append(body)
            elif c == "\\":
                parts.append(self.escape(in_class=True))
            elif (c == "-" and len(parts) > 1 and len(parts[-1]) == 1 and self.i + 1 < len(p)
                  and p[self.i + 1] not in "]\\[" and p[self.i + 1] < parts[-1]):
                _fail("invalid character class range", f"{parts[-1]}-{p[self.i + 1]}")
            elif c == "[":
                parts.append("\\[")
                self.i += 1
            else:
                parts.append(c)
                self.i += 1
        return "".join(parts) + "]"


def go_regex(pattern: str) -> re.Pattern:
    """regexp.Compile: the pattern translated for Python's re.

    Raises:
        RegexError: Go rejects the pattern; the message is Go's.
    """
    compiled = _CACHE.get(pattern)
    if compiled is None:
        translated = _Translator(pattern).run()
        try:
            compiled = re.compile(translated)
        except re.error as exc:
            raise RegexError(_go_message(str(exc), pattern)) from None
        _CACHE[pattern] = compiled
    return compiled


def _go_message(python: str, pattern: str) -> str:
    for fragment, code in (("nothing to repeat", "missing argument to repetition operator"),
                           ("multiple repeat", "invalid nested repetition operator"),
                           ("bad character range", "invalid character class range"),
                           ("bad escape", "invalid escape sequence")):
        if fragment in python:
            return f"error parsing regexp: {code}: `{pattern}`"
    return f"error parsing regexp: {python}: `{pattern}`"


def must_compile(pattern: str) -> re.Pattern:
    """regexp.MustCompile: Go panics with the pattern quoted, and the template reports the panic."""
    try:
        return go_regex(pattern)
    except RegexError as exc:
        quoted = f"`{pattern}`" if "`" not in pattern else '"' + pattern.replace('"', '\\"') + '"'
        raise FuncError(f"regexp: Compile({quoted}): {exc}") from None


def find_all(rx: re.Pattern, s: str, n: int = -1) -> list[re.Match]:
    """Go's allMatches: an empty match right after the previous match is dropped."""
    out: list[re.Match] = []
    pos, prev_end = 0, -1
    while pos <= len(s) and (n < 0 or len(out) < n):
        m = rx.search(s, pos)
        if m is None:
            break
        accept = True
        if m.end() == pos:
            accept = m.start() != prev_end
            pos += 1
        else:
            pos = m.end()
        prev_end = m.end()
        if accept:
            out.append(m)
    return out


def replace_all(rx: re.Pattern, s: str, repl) -> str:
    """Go's Regexp.replaceAll loop; `repl` maps a match to its replacement."""
    out, last, pos = [], 0, 0
    while pos <= len(s):
        m = rx.search(s, pos)
        if m is None:
            break
        out.append(s[last:m.start()])
        if m.end() > last or m.start() == 0:
            out.append(repl(m))
        last = m.end()
        pos = pos + 1 if pos + 1 > m.end() else m.end()
    out.append(s[last:])
    return "".join(out)
