"""A seeded generator of template cases for the Go oracle: every action, comparisons, printf verbs, each
Sprig group and Argo CD's own functions, and error cases (missing keys, wrong arity, wrong types).

`generate(seed, count)` is deterministic for a seed. Functions whose result depends on the clock, randomness
or the machine (now, date*, rand*, uuidv4, shuffle, genPrivateKey, bcrypt, htpasswd, encryptAES) are left
out; `keys` and `values` (random order in Go) are always sorted before they print.
"""

from __future__ import annotations

import json
import random
import re

from tests.oracle.driver import Case

STRINGS = ["", "a", "Hello World", "hello-world", "http2xx", "Duration2m3s", "some words", "snake_case_x",
           "  padded  ", "ABC def", "héllo wörld", "Foo.Bar/baz", "42", "-7", "1.5", "1e3", "0o17", "01.2.3",
           "true", "yes", "no", "null", "~", "a,b,,c", "x:y", "dir/.hidden", "a/b/../c.txt", "/abs/p.tar.gz",
           "1.2.3", "v1.2.3-beta.1", ">= 1.2.0", "^1.0", "~1.2", "<2.0.0", "foo@bar.com",
           "https://u:p@example.com:8443/p/a?q=1#f", "abc123def456", "a\tb\nc", "<b>&'\"", "日本語",
           "The quick brown fox jumps over the lazy dog", "aGVsbG8=", "NBSWY3DP", "{\"a\": 1}", "[1, 2]",
           "k: v\nn: 1", "- a\n- 2", "a: [1, {b: c}]", "{{ .x }}", "%d items", "UPPER lower",
           "camelCaseString", "HTTPServer", "x-y_z w", "my.app.v2"]
NUMBERS = [0, 1, 2, 3, -1, -3, 5, 10, 2.5, -0.5, 1e21, 255, 1e6, 0.1, 100, 7]
REGEXES = ["a", "[a-z]+", "^h", "o$", "(\\w+)-(\\w+)", "\\d+", "\\pL+", "[", "x*", "(?i)HELLO", ".", "\\s",
           "(a)(b)?", "[[:alpha:]]+", "\\bw"]
SEMVERS = ["1.2.3", "v1.2.3", "1.2", "1.2.3-alpha.1", "2.0.0+build.5", "bad", "", "1.2.3.4", "01.2.3", "v2"]
CONSTRAINTS = [">= 1.2.0", "^1.0", "~1.2", "< 2.0.0", "1.x", "*", ">1.0 <3.0", "!=1.2.3", "bogus", "",
               ">=1.2.3-0", "1.2.3 - 2.0"]
FORMATS = ["%v", "%+v", "%#v", "%T", "%d", "%s", "%q", "%x", "%X", "%o", "%b", "%e", "%f", "%.2f", "%g",
           "%t", "%c", "%U", "%5d", "%-5s|", "%05.1f", "%*d", "%[2]v %[1]v", "%!", "%%", "%v %v", "%08.3f",
           "%+d", "% d", "%#x", "%10.4v", "%-8q", "%[3]d", "%.3s", "%.*f", "%x %X", "%6.2v"]


def _value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(STRINGS)
    if roll < 0.55:
        return rng.choice(NUMBERS)
    if roll < 0.62:
        return rng.choice([True, False])
    if roll < 0.67:
        return None
    if roll < 0.84 and depth < 2:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 2:
        return {rng.choice("abcxyz") + str(i): _value(rng, depth + 1) for i in range(rng.randint(0, 3))}
    return rng.choice(STRINGS)


def _params(rng: random.Random) -> dict:
    """A generator's parameter set: fixed names (so templates can refer to them) with random values."""
    return {"name": rng.choice(STRINGS), "s": rng.choice(STRINGS), "t": rng.choice(STRINGS),
            "n": rng.choice(NUMBERS), "k": rng.choice([0, 1, 2, 3, -1, 5]), "flag": rng.choice([True, False]),
            "items": [_value(rng, 1) for _ in range(rng.randint(0, 4))],
            "words": rng.sample(STRINGS, rng.randint(0, 4)),
            "m": {k: _value(rng, 1) for k in rng.sample(["a", "b", "c", "key", "x"], rng.randint(0, 4))},
            "nil": None, "v": _value(rng),
            "path": {"basename": rng.choice(STRINGS), "segments": rng.sample(STRINGS, 2)},
            "metadata": {"labels": {"env": rng.choice(["prod", "dev", ""]), "tier": "web"}}}


def _literal(value) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if not isinstance(value, float) or value != int(value) or abs(value) >= 1e16 else \
            str(int(value)) + ".0"
    return json.dumps(value, ensure_ascii=False)


# Argument kinds: s string, n number, i small int, l list, d dict, r regex, v any, sv semver, c constraint
KIND_VALUES = {
    "s": lambda rng: rng.choice(STRINGS),
    "n": lambda rng: rng.choice(NUMBERS),
    "i": lambda rng: rng.choice([0, 1, 2, 3, 5, -1, -2, 8]),
    "l": lambda rng: [_value(rng, 1) for _ in range(rng.randint(0, 4))],
    "d": lambda rng: {rng.choice("abc") + str(i): _value(rng, 1) for i in range(rng.randint(0, 3))},
    "r": lambda rng: rng.choice(REGEXES),
    "v": lambda rng: _value(rng),
    "sv": lambda rng: rng.choice(SEMVERS),
    "c": lambda rng: rng.choice(CONSTRAINTS),
    "b": lambda rng: rng.choice([True, False]),
}
# Param references by kind (the value in the case's params), besides literals.
KIND_PARAMS = {"s": [".name", ".s", ".t"], "n": [".n"], "i": [".k"], "l": [".items", ".words"], "d": [".m"],
               "v": [".v", ".nil", ".missing", ".m.a", ".items"], "b": [".flag"]}

SPRIG = {
    "strings": {"trim": "s", "trimAll": "ss", "trimPrefix": "ss", "trimSuffix": "ss", "upper": "s",
                "lower": "s", "title": "s", "untitle": "s", "repeat": "is", "substr": "iis", "nospace": "s",
                "trunc": "is", "abbrev": "is", "abbrevboth": "iis", "initials": "s", "wrap": "is",
                "wrapWith": "iss", "contains": "ss", "hasPrefix": "ss", "hasSuffix": "ss", "quote": "v",
                "squote": "v", "cat": "vv", "indent": "is", "nindent": "is", "replace": "sss", "plural": "ssi",
                "snakecase": "s", "camelcase": "s", "kebabcase": "s", "swapcase": "s", "toString": "v",
                "toStrings": "l", "join": "sl", "splitList": "ss", "split": "ss", "splitn": "sis",
                "sortAlpha": "l", "trimall": "ss", "sha512sum": "s"},
    "regex": {"regexMatch": "rs", "regexFindAll": "rsi", "regexFind": "rs", "regexReplaceAll": "rss",
              "regexReplaceAllLiteral": "rss", "regexSplit": "rsi", "regexQuoteMeta": "s",
              "mustRegexMatch": "rs", "mustRegexFind": "rs"},
    "math": {"add": "nn", "add1": "n", "sub": "nn", "div": "nn", "mod": "nn", "mul": "nn", "max": "nn",
             "min": "nn", "floor": "n", "ceil": "n", "round": "ni", "addf": "nn", "add1f": "n", "subf": "nn",
             "divf": "nn", "mulf": "nn", "maxf": "nn", "minf": "nn", "seq": "i", "until": "i",
             "untilStep": "iii", "biggest": "nn"},
    "conversions": {"atoi": "s", "int": "v", "int64": "v", "float64": "v", "toDecimal": "s", "toJson": "v",
                    "toPrettyJson": "v", "toRawJson": "v", "fromJson": "s", "mustFromJson": "s",
                    "mustToJson": "v", "toYaml": "v", "fromYaml": "s", "fromYamlArray": "s", "ternary": "vvb",
                    "typeOf": "v", "kindOf": "v", "typeIs": "sv", "kindIs": "sv", "deepEqual": "vv",
                    "default": "vv", "empty": "v", "coalesce": "vv", "all": "vv", "any": "vv", "duration": "n"},
    "lists": {"list": "vv", "first": "l", "rest": "l", "last": "l", "initial": "l", "append": "lv",
              "prepend": "lv", "concat": "ll", "reverse": "l", "uniq": "l", "without": "lv", "has": "vl",
              "compact": "l", "slice": "lii", "chunk": "il", "mustFirst": "l", "mustRest": "l", "push": "lv",
              "mustAppend": "lv", "mustHas": "vl", "mustUniq": "l"},
    "dicts": {"dict": "svsv", "get": "ds", "set": "dsv", "unset": "ds", "hasKey": "ds", "pluck": "sd",
              "dig": "ssvd", "pick": "ds", "omit": "ds", "merge": "dd", "mergeOverwrite": "dd",
              "deepCopy": "v", "keys": "d", "values": "d", "mustMerge": "dd"},
    "encoding": {"b64enc": "s", "b64dec": "s", "b32enc": "s", "b32dec": "s", "sha1sum": "s", "sha256sum": "s",
                 "adler32sum": "s", "urlParse": "s", "urlJoin": "d", "urlquery": "v", "html": "v", "js": "v",
                 "base": "s", "dir": "s", "ext": "s", "clean": "s", "isAbs": "s"},
    "semver": {"semver": "sv", "semverCompare": "csv"},
    "argo": {"normalize": "s", "slugify": "s"},
    "builtins": {"len": "v", "index": "vv", "print": "vv", "println": "vv", "not": "v", "and": "vv",
                 "or": "vv"},
}
UNSORTED = {"keys", "values"}  # random order in Go


def _arg(rng: random.Random, kind: str) -> tuple[str, object | None]:
    """(template text, param value or None) for one argument; sometimes a param, sometimes a wrong kind."""
    if rng.random() < 0.08:
        kind = rng.choice(list(KIND_VALUES))  # a bad type, now and then
    if kind in KIND_PARAMS and rng.random() < 0.35:
        return rng.choice(KIND_PARAMS[kind]), None
    value = KIND_VALUES[kind](rng)
    if isinstance(value, (list, dict)):
        return None, value  # passed through a param: Go has no list or map literals
    return _literal(value), None


def sprig_case(rng: random.Random, case_id: int) -> Case:
    group = rng.choice(list(SPRIG))
    name = rng.choice(list(SPRIG[group]))
    kinds = _split_kinds(SPRIG[group][name])
    if rng.random() < 0.07:  # wrong arity
        kinds = kinds[:-1] if kinds and rng.random() < 0.5 else kinds + ["v"]
    params = _params(rng)
    args = []
    for index, kind in enumerate(kinds):
        text, value = _arg(rng, kind)
        if text is None:
            params[f"a{index}"] = value
            text = f".a{index}"
        args.append(text)
    piped = args and rng.random() < 0.3  # the last argument through a pipeline, now and then
    expr = f"{args[-1]} | {' '.join([name, *args[:-1]])}" if piped else " ".join([name, *args])
    if name in UNSORTED:
        expr = f"{expr} | sortAlpha"
    wrap = rng.random()
    if wrap < 0.25:
        expr = f"{expr} | toJson"
    elif wrap < 0.35:
        expr = f"printf \"%v|%T\" ({expr}) ({expr})"
    options = ("missingkey=error",) if rng.random() < 0.5 else ()
    return Case(case_id, "{{ " + expr + " }}", params, options, f"{group}:{name}")


def _split_kinds(spec: str) -> list[str]:
    kinds, i = [], 0
    while i < len(spec):
        if spec[i:i + 2] == "sv":
            kinds.append("sv")
            i += 2
        else:
            kinds.append(spec[i])
            i += 1
    return kinds


def printf_case(rng: random.Random, case_id: int) -> Case:
    fmt = rng.choice(FORMATS)
    params = _params(rng)
    args = []
    for index in range(rng.randint(0, 3)):
        text, value = _arg(rng, rng.choice(["s", "n", "i", "v", "l", "d", "b"]))
        if text is None:
            params[f"a{index}"] = value
            text = f".a{index}"
        args.append(text)
    verb = fmt.split("%")[1][:4] if "%" in fmt else fmt
    return Case(case_id, "{{ printf " + json.dumps(fmt) + " " + " ".join(args) + " }}", params, (),
                f"printf:{verb}")


COMPARATORS = ["eq", "ne", "lt", "le", "gt", "ge"]


def comparison_case(rng: random.Random, case_id: int) -> Case:
    op = rng.choice(COMPARATORS)
    params = _params(rng)
    operands = []
    for index in range(rng.choice([2, 2, 2, 3, 1])):
        text, value = _arg(rng, rng.choice(["s", "n", "i", "v", "b"]))
        if text is None:
            params[f"a{index}"] = value
            text = f".a{index}"
        operands.append(text)
    return Case(case_id, "{{ " + " ".join([op, *operands]) + " }}", params, (), f"compare:{op}")


def _expr(rng: random.Random) -> str:
    return rng.choice([".name", ".s", ".n", ".k", ".flag", ".items", ".words", ".m", ".m.a", ".nil", ".v",
                       ".missing", "$", "$.name", ".path.basename", "(index .path.segments 0)",
                       "(len .items)", "(.name | upper)", "(eq .k 1)", "(not .flag)", "true", "0", '"lit"',
                       "(printf \"%s-%v\" .name .n)", "(and .flag .name)", "(or .nil .s)"])


def _body(rng: random.Random, depth: int) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if depth > 2 or roll < 0.35:
            parts.append(rng.choice(["x", " ", "-", "\n", "{{ . }}", "{{ .name }}", "{{ $ }}", "{{ $.n }}",
                                     "{{- . -}}", "{{/* c */}}", "{{- /* c */ -}}", "{{ $v }}", "{{ $i }}"]))
        else:
            parts.append(_action(rng, depth + 1))
    return "".join(parts)


def _action(rng: random.Random, depth: int) -> str:
    kind = rng.choice(["if", "if-else", "else-if", "with", "with-else", "range", "range-else", "range-kv",
                       "range-int", "var", "assign", "break", "pipeline", "trim", "block", "template",
                       "define", "comment"])
    e = _expr(rng)
    dash_l, dash_r = rng.choice(["", "-"]), rng.choice(["", "-"])
    if kind == "if":
        return f"{{{{{dash_l} if {e} {dash_r}}}}}{_body(rng, depth)}{{{{ end }}}}"
    if kind == "if-else":
        return f"{{{{ if {e} }}}}{_body(rng, depth)}{{{{ else }}}}{_body(rng, depth)}{{{{ end }}}}"
    if kind == "else-if":
        return (f"{{{{ if {e} }}}}a{{{{ else if {_expr(rng)} }}}}{_body(rng, depth)}"
                f"{{{{ else }}}}c{{{{ end }}}}")
    if kind == "with":
        return f"{{{{ with {e} }}}}{_body(rng, depth)}{{{{ end }}}}"
    if kind == "with-else":
        return f"{{{{ with {e} }}}}{_body(rng, depth)}{{{{ else }}}}{_body(rng, depth)}{{{{ end }}}}"
    if kind == "range":
        return f"{{{{ range {e} }}}}{_body(rng, depth)}{{{{ end }}}}"
    if kind == "range-else":
        return f"{{{{ range {e} }}}}{_body(rng, depth)}{{{{ else }}}}empty{{{{ end }}}}"
    if kind == "range-kv":
        return f"{{{{ range $i, $v := {e} }}}}[{{{{ $i }}}}={{{{ $v }}}}]{_body(rng, depth)}{{{{ end }}}}"
    if kind == "range-int":
        count = rng.choice(["3", "0", ".k", "-1", "2.5", "len .items"])
        return f"{{{{ range $i := {count} }}}}{{{{ $i }}}}{{{{ end }}}}"
    if kind == "var":
        return f"{{{{ $v := {e} }}}}{{{{ $v }}}}{_body(rng, depth)}"
    if kind == "assign":
        return f"{{{{ $v := 1 }}}}{{{{ if {e} }}}}{{{{ $v = 2 }}}}{{{{ end }}}}{{{{ $v }}}}"
    if kind == "break":
        word = rng.choice(["break", "continue"])
        return (f"{{{{ range $i, $v := {e} }}}}{{{{ if eq $i 1 }}}}{{{{ {word} }}}}{{{{ end }}}}"
                f"{{{{ $v }}}}{{{{ end }}}}")
    if kind == "pipeline":
        fn = rng.choice(["upper", "quote", "len", "toString", "lower | title", "printf \"%q\"", "toJson",
                         "default \"d\"", "print", "html", "urlquery"])
        return f"{{{{ {e} | {fn} }}}}"
    if kind == "trim":
        return f"a {{{{- {e} -}}}} b {{{{- \" \" }}}} c"
    if kind == "block":
        return f"{{{{ block \"blk\" {e} }}}}{_body(rng, depth)}{{{{ end }}}}"
    if kind == "template":
        name = rng.choice(["t", "undefined", "base"])
        return f"{{{{ define \"t\" }}}}<{{{{ . }}}}>{{{{ end }}}}{{{{ template \"{name}\" {e} }}}}"
    if kind == "define":
        return f"{{{{ define \"{rng.choice(['d1', 'base'])}\" }}}}D{{{{ end }}}}x"
    return "{{/* a comment */}}" + ("{{ ." if rng.random() < 0.1 else "")


def action_case(rng: random.Random, case_id: int) -> Case:
    text = _action(rng, 0)
    if rng.random() < 0.2:
        text = _body(rng, 1) + text
    options = rng.choice([(), (), ("missingkey=error",), ("missingkey=zero",), ("missingkey=default",),
                          ("missingkey=invalid",)])
    first = text.split("{{", 1)[-1].strip(" -").split(" ", 1)[0].strip("}") or "text"
    return Case(case_id, text, _params(rng), options, f"action:{first}")


# `range` over something that may be an integer: a literal, len, or .k (a float64 from JSON, an error in
# every Go, but kept out with the rest so the test stays simple).
_RANGE_OVER_INT = re.compile(r"range (\$\w+(, \$\w+)? := )?\(?(-?\d|len |\.k\b)")


def _object(rng: random.Random, depth: int):
    """A free-form JSON object of the kind RenderTemplateParams walks (helm valuesObject, a patch)."""
    roll = rng.random()
    if depth > 1 or roll < 0.5:
        return rng.choice(["{{ .name }}", "{{ .n }}", "plain", "{{ .missing }}", "{{ .m | toJson }}",
                           "{{ if .flag }}yes{{ end }}", "{{ .name | normalize }}", "{{ .nil }}", None, 3, True,
                           "{{ index .path.segments 0 }}", "{{ .x.y }}", "{{ bad", "", 2.5])
    if roll < 0.7:
        return [_object(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["k", "{{ .name }}", "{{ .s | upper }}", "{{ .k }}", "{{ .nil }}", "x{{ .missing }}"]
    return {f"{rng.choice(keys)}-{i}": _object(rng, depth + 1) for i in range(rng.randint(0, 3))}


def object_case(rng: random.Random, case_id: int) -> Case:
    obj = {f"{rng.choice(['values', 'patch', '{{ .name }}', 'parameters'])}-{i}": _object(rng, 0)
           for i in range(rng.randint(1, 3))}
    params = {} if rng.random() < 0.15 else _params(rng)
    options = ("missingkey=error",) if rng.random() < 0.3 else ()
    return Case(case_id, json.dumps(obj, ensure_ascii=False), params, options, "object:walk", obj)


def generate(seed: int, count: int, *, range_over_int: bool = True) -> list[Case]:
    """`count` cases from `seed`: actions, Sprig calls, printf, comparisons, and objects walked field by field.

    range_over_int: include `range` over an integer (Go 1.22+ text/template; Argo CD is built with 1.25).
    """
    rng = random.Random(seed)
    makers = [action_case] * 4 + [sprig_case] * 6 + [printf_case] + [comparison_case] + [object_case]
    cases: list[Case] = []
    while len(cases) < count:
        case = rng.choice(makers)(rng, len(cases))
        if not range_over_int and _RANGE_OVER_INT.search(case.template):
            continue
        cases.append(case)
    return cases
