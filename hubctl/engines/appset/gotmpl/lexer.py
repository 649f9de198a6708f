"""Tokens of Go's text/template: text, actions with trim markers, comments, and the words inside actions."""

from __future__ import annotations

from dataclasses import dataclass

KEYWORDS = frozenset({"block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"})
_SPACE = " \t\r\n"
_PUNCT = {"|": "pipe", "(": "lparen", ")": "rparen", ",": "comma", "=": "assign"}


NAME = "base"  # Argo CD parses every string as template.New("base") (applicationset/utils Render.Replace)


class TemplateSyntaxError(Exception):
    """A template that Go's parser would reject."""


@dataclass(slots=True)
class Token:
    kind: str  # text, left, right, space, ident, keyword, field, var, string, rawstring, char, number,
    #           bool, nil, dot, pipe, lparen, rparen, comma, declare, assign, eof
    value: str
    line: int
    pos: int


def _sharp_u(ch: str) -> str:
    """fmt's %#U."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if ch.isprintable() else code


def _is_alnum(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


class Lexer:
    """Splits a template into tokens the way text/template/parse/lex.go does."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []
        self.trim_next = False

    def line_at(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def fail(self, message: str, pos: int | None = None):
        raise TemplateSyntaxError(f"template: {NAME}:{self.line_at(self.pos if pos is None else pos)}: {message}")

    def emit(self, kind: str, value: str, pos: int) -> None:
        self.tokens.append(Token(kind, value, self.line_at(pos) if "\n" in self.text else 1, pos))

    def run(self) -> list[Token]:
        """All tokens; a lexical error becomes a final "error" token, which the parser raises only when
        it reaches it (Go's lexer runs in step with the parser, so earlier parse errors win)."""
        try:
            return self._run()
        except TemplateSyntaxError as exc:
            self.tokens.append(Token("error", str(exc), 0, self.pos))
            return self.tokens

    def _run(self) -> list[Token]:
        text = self.text
        while True:
            start = self.pos
            idx = text.find("{{", start)
            if idx < 0:
                self._emit_text(text[start:], start)
                break
            trim_left = text.startswith("-", idx + 2) and idx + 3 < len(text) and text[idx + 3] in _SPACE
            chunk = text[start:idx]
            if trim_left:
                chunk = chunk.rstrip(_SPACE)
            self._emit_text(chunk, start)
            self.pos = idx + (4 if trim_left else 2)
            if self._comment_ahead():
                self._lex_comment(idx)
            else:
                self.emit("left", "{{", idx)
                self._lex_action()
        self.emit("eof", "", len(text))
        return self.tokens

    def _emit_text(self, chunk: str, pos: int) -> None:
        if self.trim_next:
            chunk = chunk.lstrip(_SPACE)
            self.trim_next = False
        if chunk:
            self.emit("text", chunk, pos)

    def _comment_ahead(self) -> bool:
        return self.text.startswith("/*", self.pos)

    def _lex_comment(self, start: int) -> None:
        end = self.text.find("*/", self.pos + 2)
        if end < 0:
            self.fail("unclosed comment", start)
        self.pos = end + 2
        if self._right_trim_here():
            self.pos += 4
            self.trim_next = True
        elif self.text.startswith("}}", self.pos):
            self.pos += 2
        else:
            self.fail("comment ends before closing delimiter", start)

    def _right_trim_here(self) -> bool:
        text, pos = self.text, self.pos
        return pos < len(text) and text[pos] in _SPACE and text.startswith("-}}", pos + 1)

    def _lex_action(self) -> None:
        text = self.text
        depth = 0
        while True:
            if self._right_trim_here():
                self.pos += 4
                self.trim_next = True
                self.emit("right", "}}", self.pos - 2)
                return
            if text.startswith("}}", self.pos):
                if depth:
                    self.fail("unclosed left paren")
                self.pos += 2
                self.emit("right", "}}", self.pos - 2)
                return
            if self.pos >= len(text):
                self.fail("unclosed action")
            ch = text[self.pos]
            start = self.pos
            if ch in _SPACE:
                while self.pos < len(text) and text[self.pos] in _SPACE and not self._right_trim_here():
                    self.pos += 1
                self.emit("space", text[start:self.pos], start)
            elif ch == ":":
                if not text.startswith(":=", self.pos):
                    self.fail("expected :=")
                self.pos += 2
                self.emit("declare", ":=", start)
            elif ch in _PUNCT:
                depth += {"(": 1, ")": -1}.get(ch, 0)
                if depth < 0:
                    self.fail("unexpected right paren")
                self.pos += 1
                self.emit(_PUNCT[ch], ch, start)
            elif ch == '"':
                self._lex_quote(start, '"', "string", "unterminated quoted string")
            elif ch == "`":
                end = text.find("`", self.pos + 1)
                if end < 0:
                    self.fail("unterminated raw quoted string")
                self.pos = end + 1
                self.emit("rawstring", text[start:self.pos], start)
            elif ch == "'":
                self._lex_quote(start, "'", "char", "unterminated character constant")
            elif ch == "$":
                self.pos += 1
                self._lex_word(start, "var")
            elif ch == "." and self.pos + 1 < len(text) and text[self.pos + 1].isdigit():
                self._lex_number(start)
            elif ch == ".":
                self.pos += 1
                if self.pos < len(text) and _is_alnum(text[self.pos]):
                    self._lex_word(start, "field")
                else:
                    self._check_terminator()
                    self.emit("dot", ".", start)
            elif ch in "+-" or ch.isdigit():
                self._lex_number(start)
            elif _is_alnum(ch):
                self._lex_word(start, "ident")
            elif ch < "\x7f" and ch.isprintable():  # lex.go: any other printable ASCII is an itemChar
                self.pos += 1
                self.emit("char_item", ch, start)
            else:
                self.fail(f"unrecognized character in action: {_sharp_u(ch)}")

    def _lex_quote(self, start: int, quote: str, kind: str, message: str) -> None:
        text = self.text
        pos = self.pos + 1
        while True:
            if pos >= len(text) or text[pos] == "\n":
                self.fail(message, start)
            if text[pos] == "\\":
                pos += 2
                continue
            if text[pos] == quote:
                break
            pos += 1
        self.pos = pos + 1
        self.emit(kind, text[start:self.pos], start)

    def _lex_word(self, start: int, kind: str) -> None:
        text = self.text
        while self.pos < len(text) and _is_alnum(text[self.pos]):
            self.pos += 1
        word = text[start:self.pos]
        self._check_terminator()
        if kind == "ident":
            if word in KEYWORDS:
                kind = "keyword"
            elif word in ("true", "false"):
                kind = "bool"
            elif word == "nil":
                kind = "nil"
        self.emit(kind, word, start)

    def _check_terminator(self) -> None:
        """lex.go atTerminator: a word must end at space, EOF, one of .,|:() or the right delimiter."""
        text, pos = self.text, self.pos
        if pos >= len(text) or text[pos] in _SPACE or text[pos] in ".,|:()" or text.startswith("}}", pos):
            return
        self.fail(f"bad character {_sharp_u(text[pos])}")

    def _lex_number(self, start: int) -> None:
        text = self.text
        pos = self.pos
        if text[pos] in "+-":
            pos += 1
        while pos < len(text) and (_is_alnum(text[pos]) or text[pos] == "." or
                                   (text[pos] in "+-" and text[pos - 1] in "eEpP")):
            pos += 1
        self.pos = pos
        self.emit("number", text[start:pos], start)
