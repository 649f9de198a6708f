"""The disagreements between hubctl's engine and real Go that are known, each tied to its issue-14 mismatch
class, with the reason and a case that shows it (docs/appset-preview.md, "Fidelity against real Go").

The differential test fails on any disagreement no entry here explains. As fixes land, an entry that no
longer matches any disagreement is reported as stale: delete it, and raise the agreement floor in
test_differential.py to the figure the test prints. Entries match by what a case uses (a function, a verb)
and how the two sides differ, never by case number, so that one fixed class cannot hide another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tests.oracle.driver import Comparison


@dataclass(frozen=True)
class Divergence:
    name: str
    issue_class: str  # the heading of issue 14's "Known mismatch classes" it belongs to, or "oracle"
    reason: str
    example: str
    matches: Callable[[Comparison], bool]


def _uses(*names: str) -> Callable[[Comparison], bool]:
    pattern = re.compile(r"(?<![\w.$])(" + "|".join(map(re.escape, names)) + r")\b")
    return lambda c: bool(pattern.search(c.case.template))


def _nil_involved(c: Comparison) -> bool:
    """The case hands a missing or null value to something (a param that is null, .missing, or nil)."""
    text = c.case.template
    if re.search(r"\.(nil|missing)\b|(?<![\w.])nil\b", text):
        return True
    params = c.case.params
    nulls = {k for k, v in params.items() if v is None or (isinstance(v, dict) and None in v.values())}
    if any(re.search(rf"\.{re.escape(k)}\b", text) for k in nulls):
        return True
    for name, key in re.findall(r"\.(\w+)\.(\w+)", text):  # a key the map lacks is a missing value
        if isinstance(params.get(name), dict) and params[name].get(key) is None:
            return True
    return bool(re.search(r"\.(first|last|items)\b", text) and ("null" in c.go.text or "<nil>" in c.go.text))


def _go_prints_nothing_as(c: Comparison) -> bool:
    markers = ("<nil>", "no value", "no+value", "null", "\\u003cnil", "&lt;nil")
    return c.go.ok and c.hubctl.ok and any(m in c.go.text and m not in c.hubctl.text for m in markers)


def _arity_disagreement(c: Comparison) -> bool:
    return c.go.ok != c.hubctl.ok and any("wrong number of args" in o.text or "incompatible types" in o.text
                                           for o in (c.go, c.hubctl) if not o.ok)


def _type_only(c: Comparison) -> bool:
    if '"%v|%T"' not in c.case.template or not (c.go.ok and c.hubctl.ok):
        return False
    return c.go.text.rsplit("|", 1)[0] == c.hubctl.text.rsplit("|", 1)[0]


def _huge_int(c: Comparison) -> bool:
    huge = any(isinstance(v, float) and abs(v) >= 2 ** 63 for v in c.case.params.values())
    return ("1e+21" in c.case.template or "1e21" in c.case.template or
            (huge and re.search(r"\.n\b", c.case.template) is not None))


KNOWN: list[Divergence] = [
    Divergence("template-name-base", "define \"base\" conflicts with Argo CD's template name",
               "Argo CD names every template `base`, so defining or redefining `base` is a parse error there; "
               "hubctl's engine names the template \"\"", '{{ define "base" }}x{{ end }}y',
               lambda c: '"base"' in c.case.template),
    Divergence("oracle-sprig-3.2.3", "oracle",
               "Debian's Sprig 3.2.3 lacks sha512sum, added in Sprig 3.3.0 (which Argo CD v3.5.1 links): the "
               "oracle, not hubctl, is behind here", '{{ sha512sum "a" }}',
               lambda c: 'function "sha512sum" not defined' in c.go.text),
    Divergence("semver", "semver and semverCompare are not implemented",
               "hubctl refuses semver and semverCompare", '{{ semverCompare ">=1.2.0" "1.3.0" }}',
               _uses("semver", "semverCompare")),
    Divergence("unsupported-duration", "(new) duration is not implemented",
               "hubctl refuses `duration` (\"not supported by the offline preview\"); Go renders a time.Duration",
               "{{ duration 95 }}", lambda c: "not supported by the offline preview" in c.hubctl.text),
    Divergence("printf", "printf",
               "fmt verbs: width and precision inside lists and maps, %[n] indexes, * widths, unknown verbs, "
               "%x/%b on floats, %#v, flags on bad-type verbs", '{{ printf "%[2]s %[1]s" "a" "b" }}',
               lambda c: c.case.cls.startswith("printf:") or (
                   "printf" in c.case.template and '"%v|%T"' not in c.case.template)),
    Divergence("go-types", "(new) Go types of Sprig results",
               "%T of a Sprig result: chunk is [][]interface {}, untilStep/until/seq []int, regexSplit "
               "[]string in Go; hubctl reports []interface {}",
               '{{ printf "%v|%T" (chunk 2 (list 1 2 3)) (chunk 2 (list 1 2 3)) }}', _type_only),
    Divergence("xstrings", "case conversions differ from xstrings",
               "snakecase, kebabcase, camelcase follow huandu/xstrings' word splitting in Go",
               '{{ snakecase "http2xx" }}', _uses("snakecase", "kebabcase", "camelcase", "swapcase")),
    Divergence("empty-lists", "empty lists from Sprig print differently",
               "an empty list from rest/initial/regexFindAll prints [] in Go, <no value> in hubctl",
               "{{ rest (list) }}", lambda c: c.go.ok and c.hubctl.ok and c.go.text.startswith("[]")
               and (c.hubctl.text in ("", "<no value>") or c.hubctl.text.startswith("<nil>"))),
    Divergence("slice-empty", "(new) Sprig's slice of an empty list",
               "Sprig's slice (which replaces Go's builtin) returns nil for an empty list whatever the indexes; "
               "hubctl reports the out-of-range indexes", "{{ slice (list) 1 5 }}",
               lambda c: _uses("slice")(c) and "slice bounds out of range" in c.hubctl.text and c.go.ok),
    Divergence("toDecimal", "(new) toDecimal parsing",
               "toDecimal parses with strconv.ParseInt(s, 8, 64), which rejects a 0o prefix (0); hubctl accepts it",
               '{{ toDecimal "0o17" }}', _uses("toDecimal")),
    Divergence("merge-null", "merge with null values",
               "mergo drops null values from the sources; hubctl keeps them", "{{ merge .a .b | toJson }}",
               _uses("merge", "mustMerge", "mergeOverwrite", "mustMergeOverwrite")),
    Divergence("regex", "regexMatch with an invalid pattern; RE2 classes such as \\pL",
               "Go's regexMatch ignores a bad pattern (false); RE2 syntax (\\pL, [[:alpha:]]) and empty-match "
               "splitting differ from Python's re", '{{ regexFind "\\\\pL+" "héllo" }}',
               _uses("regexMatch", "mustRegexMatch", "regexFind", "mustRegexFind", "regexFindAll",
                     "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit")),
    Divergence("negative-counts", "indent/nindent/repeat with negative counts",
               "a negative count is an error (strings.Repeat) in Go; chunk with a negative size makes one "
               "chunk in Go", '{{ indent -2 "a" }}', lambda c: _uses("indent", "nindent", "repeat", "chunk")(c)
               and re.search(r"(?<![\w.])-\d|\.k\b|\.a\d", c.case.template) is not None),
    Divergence("int-overflow", "int 1e21",
               "Go converts a float beyond int64 to the minimum int64 (int, add, mul, max, ...); hubctl keeps "
               "the exact integer", "{{ int 1e21 }}", _huge_int),
    Divergence("wrapWith", "wrapWith on long words",
               "goutils WrapCustom breaks long words (and handles width 0 and odd separators) differently",
               '{{ wrapWith 5 "\\n" "averyverylongword" }}', _uses("wrapWith", "wrap")),
    Divergence("path-ext", "ext \"dir/.hidden\"", "path.Ext of a dot file is the whole name in Go",
               '{{ ext "dir/.hidden" }}', _uses("ext")),
    Divergence("float-arithmetic", "(new) float arithmetic: signed zero and decimal rounding",
               "Sprig's float functions go through shopspring/decimal (divf 2 3 is 0.6666666666666667) and "
               "ceil/floor keep a negative zero (-0)", "{{ divf 2 3 }}",
               _uses("addf", "subf", "mulf", "divf", "add1f", "maxf", "minf", "ceil", "floor", "round")),
    Divergence("b32dec-errors", "(new) base32/base64 decoding errors",
               "b32dec/b64dec return Go's decoder error text, which names the offending byte",
               '{{ b32dec "HTTPServer" }}', _uses("b32dec", "b64dec")),
    Divergence("urlParse", "(new) urlParse validation",
               "net/url rejects control characters and some authorities that hubctl's parser accepts",
               '{{ urlParse "k: v\\nn: 1" }}', _uses("urlParse")),
    Divergence("yaml-v2", "fromYaml/toYaml follow YAML 1.2 and ruamel where Argo CD follows go-yaml v2",
               "YAML 1.1 booleans (yes/on/n), octal 012, quoting of 0o17 and 01.2.3, literal blocks, "
               "non-string keys", '{{ toYaml "0o17" }}', _uses("toYaml", "fromYaml", "fromYamlArray")),
    Divergence("tpl", "tpl exists in hubctl but not in Argo CD v3.5.1",
               "Argo CD's function map has no tpl: a parse error there", '{{ tpl "x" . }}', _uses("tpl")),
    Divergence("nil-args", "a missing or null value piped into a one-argument function",
               "Go passes a nil (or missing) value to a function as an argument (toJson gives null, html "
               "'<no value>', eq with nil is false); hubctl drops it (an arity error) or prints nothing",
               "{{ .missing | toJson }}",
               lambda c: _arity_disagreement(c) or _go_prints_nothing_as(c) or _nil_involved(c)),
]


def explain(comparison: Comparison) -> Divergence | None:
    """The known divergence that explains a disagreement, or None."""
    return next((d for d in KNOWN if d.matches(comparison)), None)
