"""A parser for Go's text/template with the checks Go makes at parse time.

Unknown functions, undefined variables, {{break}} outside {{range}}, and malformed actions fail here, as
template.Parse fails in Go, so an ApplicationSet with a typo fails before any parameter set is rendered.
"""

from __future__ import annotations

from hubctl.engines.appset.gotmpl import nodes as n
from hubctl.engines.appset.gotmpl.fmtverbs import quote
from hubctl.engines.appset.gotmpl.lexer import NAME, Lexer, TemplateSyntaxError, Token
from hubctl.engines.appset.gotmpl.literals import parse_number, unquote

_OPERAND_START = {"bool", "char", "dot", "field", "ident", "number", "nil", "rawstring", "string", "var", "lparen"}


class Parser:
    """Turns tokens into a main tree plus {{define}}d trees."""

    def __init__(self, text: str, has_function):
        self.text = text
        self.tokens = Lexer(text).run()
        self.i = 0
        self.has_function = has_function
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.trees = n.TreeSet()

    # -- token helpers -----------------------------------------------------------------------------------
    def fail(self, message: str, token: Token | None = None):
        token = token or self.tokens[min(self.i, len(self.tokens) - 1)]
        line = self.text.count("\n", 0, token.pos) + 1
        raise TemplateSyntaxError(f"template: {NAME}:{line}: {message}")

    def next(self) -> Token:
        tok = self.peek()
        self.i += 1
        return tok

    def peek(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind == "error":
            raise TemplateSyntaxError(tok.value)
        return tok

    def next_non_space(self) -> Token:
        tok = self.next()
        while tok.kind == "space":
            tok = self.next()
        return tok

    def peek_non_space(self) -> Token:
        j = self.i
        while self.tokens[j].kind == "space":
            j += 1
        self.i = j
        return self.peek()

    def expect(self, kind: str, context: str) -> Token:
        tok = self.next_non_space()
        if tok.kind != kind:
            self.unexpected(tok, context)
        return tok

    def unexpected(self, tok: Token, context: str):
        what = _item_text(tok)
        self.fail(f"unexpected {what} in {context}", tok)

    # -- structure ----------------------------------------------------------------------------------------
    def parse(self) -> n.TreeSet:
        root = self.trees.main
        while self.peek().kind != "eof":
            if self.peek().kind == "left":
                save = self.i
                self.next()
                tok = self.next_non_space()
                if tok.kind == "keyword" and tok.value == "define":
                    self.parse_definition()
                    continue
                self.i = save
            node = self.text_or_action()
            if isinstance(node, n.Marker):
                self.fail(f"unexpected {{{{{node.kind}}}}}")
            root.append(node)
        # Go's Tree.add after Parse: the text itself is the tree named "base", competing with any
        # {{define "base"}} (parse.go add / IsEmptyTree).
        self.add_tree(NAME, root)
        return self.trees

    def parse_definition(self) -> None:
        tok = self.next_non_space()
        if tok.kind not in ("string", "rawstring"):
            self.unexpected(tok, "define clause")
        name = unquote(tok.value)
        self.expect("right", "define clause")
        saved_vars, self.vars = self.vars, ["$"]
        body, end = self.item_list()
        self.vars = saved_vars
        if end.kind != "end":
            self.fail(f"unexpected {{{{{end.kind}}}}} in define clause")
        self.add_tree(name, body)

    def add_tree(self, name: str, body: list) -> None:
        old = self.trees.defined.get(name)
        if old is not None and not _is_empty(old) and not _is_empty(body):
            self.fail(f"template: multiple definition of template {name!r}".replace("'", '"'))
        if old is None or _is_empty(old):
            self.trees.defined[name] = body

    def item_list(self) -> tuple[list, n.Marker]:
        items: list = []
        while self.peek_non_space().kind != "eof":
            node = self.text_or_action()
            if isinstance(node, n.Marker):
                return items, node
            items.append(node)
        self.fail("unexpected EOF")

    def text_or_action(self):
        tok = self.next_non_space()
        if tok.kind == "text":
            return n.Text(tok.value)
        if tok.kind == "left":
            return self.action(tok)
        self.unexpected(tok, "input")

    def action(self, left: Token):
        tok = self.next_non_space()
        if tok.kind == "keyword":
            handler = getattr(self, "control_" + tok.value, None)
            if handler is None:
                self.fail(f"unexpected <{tok.value}> in command", tok)
            return handler(tok)
        self.i -= 1
        pipe = self.pipeline("command", "right")
        return n.Action(pipe, left.pos, n.node_source(pipe))

    def control_end(self, tok):
        self.expect("right", "end")
        return n.Marker("end", tok.pos)

    def control_else(self, tok):
        peek = self.peek_non_space()
        if peek.kind == "keyword" and peek.value in ("if", "with"):
            return n.Marker("else", tok.pos)
        self.expect("right", "else")
        return n.Marker("else", tok.pos)

    def control_break(self, tok):
        if self.range_depth == 0:
            self.fail("{{break}} outside {{range}}", tok)
        self.expect("right", "{{break}}")
        return n.Break(tok.pos)

    def control_continue(self, tok):
        if self.range_depth == 0:
            self.fail("{{continue}} outside {{range}}", tok)
        self.expect("right", "{{continue}}")
        return n.Continue(tok.pos)

    def control_if(self, tok):
        return self.parse_control("if", tok)

    def control_with(self, tok):
        return self.parse_control("with", tok)

    def control_range(self, tok):
        return self.parse_control("range", tok)

    def parse_control(self, context: str, tok: Token) -> n.Branch:
        depth = len(self.vars)
        try:
            pipe = self.pipeline(context, "right")
            if context == "range":
                self.range_depth += 1
            body, marker = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_body = None
            if marker.kind == "else":
                peek = self.peek()
                if context in ("if", "with") and peek.kind == "keyword" and peek.value == context:
                    self.next()
                    else_body = [self.parse_control(context, peek)]
                else:
                    else_body, end = self.item_list()
                    if end.kind != "end":
                        self.fail("expected end; found {{else}}")
            return n.Branch(context, pipe, body, else_body, tok.pos)
        finally:
            del self.vars[depth:]

    def control_template(self, tok):
        name_tok = self.next_non_space()
        if name_tok.kind not in ("string", "rawstring"):
            self.unexpected(name_tok, "template clause")
        pipe = None
        if self.next_non_space().kind != "right":
            self.i -= 1
            pipe = self.pipeline("template clause", "right")
        return n.TemplateCall(unquote(name_tok.value), pipe, name_tok.pos)

    def control_block(self, tok):
        name_tok = self.next_non_space()
        if name_tok.kind not in ("string", "rawstring"):
            self.unexpected(name_tok, "block clause")
        name = unquote(name_tok.value)
        pipe = self.pipeline("block clause", "right")
        saved_vars, saved_depth = self.vars, self.range_depth
        self.vars, self.range_depth = ["$"], 0
        body, end = self.item_list()
        self.vars, self.range_depth = saved_vars, saved_depth
        if end.kind != "end":
            self.fail("unexpected {{else}} in block clause")
        self.add_tree(name, body)
        return n.TemplateCall(name, pipe, name_tok.pos)

    def control_define(self, tok):
        self.fail("unexpected <define> in command", tok)

    # -- pipelines ----------------------------------------------------------------------------------------
    def pipeline(self, context: str, end: str) -> n.Pipe:
        pipe = n.Pipe([], False, [], self.peek_non_space().pos)
        self._declarations(pipe, context)
        while True:
            tok = self.next_non_space()
            if tok.kind == end:
                self._check_pipeline(pipe, context)
                return pipe
            if tok.kind in _OPERAND_START:
                self.i -= 1
                pipe.cmds.append(self.command())
            else:
                self.unexpected(tok, context)

    def _declarations(self, pipe: n.Pipe, context: str) -> None:
        while self.peek_non_space().kind == "var":
            start = self.i
            var = self.next()
            nxt = self.peek_non_space()
            if nxt.kind in ("assign", "declare"):
                pipe.is_assign = nxt.kind == "assign"
                self.next_non_space()
                pipe.decl.append(var.value)
                self.vars.append(var.value)
                return
            if nxt.kind == "comma":
                self.next_non_space()
                pipe.decl.append(var.value)
                self.vars.append(var.value)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().kind in ("var", "right", "rparen"):
                        continue
                    self.fail("range can only initialize variables")
                self.fail(f"too many declarations in {context}")
            self.i = start  # "$x foo": $x is an argument, not a declaration
            return

    def _check_pipeline(self, pipe: n.Pipe, context: str) -> None:
        if not pipe.cmds:
            self.fail(f"missing value for {context}")
        for index, cmd in enumerate(pipe.cmds[1:]):
            if isinstance(cmd.args[0], (n.Bool, n.Dot, n.Nil, n.Number, n.String)):
                self.fail(f"non executable command in pipeline stage {index + 2}")

    def command(self) -> n.Command:
        cmd = n.Command([], self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            tok = self.next()
            if tok.kind == "space":
                continue
            if tok.kind in ("right", "rparen"):
                self.i -= 1
            elif tok.kind != "pipe":
                self.unexpected(tok, "operand")
            break
        if not cmd.args:
            self.fail("empty command")
        return cmd

    def operand(self):
        node = self.term()
        if node is None or self.peek().kind != "field":
            return node
        fields = []
        pos = self.peek().pos  # parse.go operand: newChain(t.peek().pos, ...) positions the whole chain
        while self.peek().kind == "field":
            fields.append(self.next().value[1:])
        if isinstance(node, n.Field):
            return n.Field(node.idents + tuple(fields), pos)
        if isinstance(node, n.Variable):
            return n.Variable(node.idents + tuple(fields), pos)
        if isinstance(node, (n.Bool, n.String, n.Number, n.Nil, n.Dot)):
            self.fail(f"unexpected . after term {n.node_source(node)!r}".replace("'", '"'))
        return n.Chain(node, tuple(fields), pos)

    def term(self):
        tok = self.next_non_space()
        kind = tok.kind
        if kind == "ident":
            if not self.has_function(tok.value):
                self.fail(f'function "{tok.value}" not defined', tok)
            return n.Identifier(tok.value, tok.pos)
        if kind == "dot":
            return n.Dot(tok.pos)
        if kind == "nil":
            return n.Nil(tok.pos)
        if kind == "var":
            if tok.value not in self.vars:
                self.fail(f'undefined variable "{tok.value}"', tok)
            return n.Variable((tok.value,), tok.pos)
        if kind == "field":
            return n.Field((tok.value[1:],), tok.pos)
        if kind == "bool":
            return n.Bool(tok.value == "true", tok.pos)
        if kind in ("number", "char"):
            try:
                return parse_number(tok.value, kind == "char", tok.pos)
            except ValueError as exc:
                self.fail(str(exc), tok)
        if kind == "lparen":
            return self.pipeline("parenthesized pipeline", "rparen")
        if kind in ("string", "rawstring"):
            try:
                return n.String(tok.value, unquote(tok.value), tok.pos)
            except ValueError as exc:
                self.fail(str(exc), tok)
        self.i -= 1
        return None


def _item_text(tok: Token) -> str:
    """lex.go item.String(): EOF, keywords (with . and nil) in <>, anything else %q (cut at 10 chars)."""
    if tok.kind == "eof":
        return "EOF"
    if tok.kind in ("keyword", "dot", "nil"):
        return f"<{tok.value}>"
    value = tok.value
    if len(value) > 10:
        return quote(value[:10]) + "..."
    return quote(value)


def _is_empty(body: list) -> bool:
    return all(isinstance(node, n.Text) and not node.text.strip() for node in body)


def parse(text: str, has_function) -> n.TreeSet:
    """Parse `text`; `has_function(name)` says whether a function name is defined.

    Raises:
        TemplateSyntaxError: the template does not parse, as Go's template.Parse would fail.
    """
    return Parser(text, has_function).parse()
