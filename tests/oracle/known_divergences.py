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
    Divergence("oracle-sprig-3.2.3", "oracle",
               "Debian's Sprig 3.2.3 lacks sha512sum, added in Sprig 3.3.0 (which Argo CD v3.5.1 links): the "
               "oracle, not hubctl, is behind here", '{{ sha512sum "a" }}',
               lambda c: 'function "sha512sum" not defined' in c.go.text),
    Divergence("xstrings", "case conversions differ from xstrings",
               "camelcase of words split by punctuation: hubctl follows xstrings v1.5.0 as Sprig 3.3.0 calls it "
               "(ToPascalCase); the oracle links Debian's older Sprig 3.2.3 and xstrings, so this may be the "
               "oracle's gap, unconfirmed",
               '{{ snakecase "http2xx" }}', _uses("snakecase", "kebabcase", "camelcase", "swapcase")),
    Divergence("slice-empty", "(new) Sprig's slice of an empty list",
               "Sprig's slice (which replaces Go's builtin) returns nil for an empty list whatever the indexes; "
               "hubctl reports the out-of-range indexes", "{{ slice (list) 1 5 }}",
               lambda c: _uses("slice")(c) and "slice bounds out of range" in c.hubctl.text and c.go.ok),
    Divergence("negative-counts", "indent/nindent/repeat with negative counts",
               "a negative count is an error (strings.Repeat) in Go; chunk with a negative size makes one "
               "chunk in Go", '{{ indent -2 "a" }}', lambda c: _uses("indent", "nindent", "repeat", "chunk")(c)
               and re.search(r"(?<![\w.])-\d|\.k\b|\.a\d", c.case.template) is not None),
    Divergence("int-overflow", "int 1e21",
               "Go converts a float beyond int64 to the minimum int64 (int, add, mul, max, ...); hubctl keeps "
               "the exact integer", "{{ int 1e21 }}", _huge_int),
    Divergence("float-arithmetic", "(new) float arithmetic: signed zero and decimal rounding",
               "Sprig's float functions go through shopspring/decimal (divf 2 3 is 0.6666666666666667) and "
               "ceil/floor keep a negative zero (-0)", "{{ divf 2 3 }}",
               _uses("addf", "subf", "mulf", "divf", "add1f", "maxf", "minf", "ceil", "floor", "round")),
    Divergence("urlParse", "(new) urlParse validation",
               "net/url rejects control characters and some authorities that hubctl's parser accepts",
               '{{ urlParse "k: v\\nn: 1" }}', _uses("urlParse")),
    Divergence("yaml-v2", "fromYaml/toYaml follow YAML 1.2 and ruamel where Argo CD follows go-yaml v2",
               "YAML 1.1 booleans (yes/on/n), octal 012, quoting of 0o17 and 01.2.3, literal blocks, "
               "non-string keys", '{{ toYaml "0o17" }}', _uses("toYaml", "fromYaml", "fromYamlArray")),
    Divergence("b32dec-errors", "(new) base32/base64 decoding errors",
               "b32dec/b64dec return Go's decoder error text, whose byte offset counts as Go's decoder reads "
               "(in blocks of 8 or 4); hubctl's offset differs", '{{ b32dec "HTTPServer" }}',
               lambda c: _uses("b32dec", "b64dec")(c) and "illegal base" in c.go.text + c.hubctl.text),
    Divergence("b64dec-invalid-utf8", "(new) base32/base64 decoding to invalid UTF-8",
               "decoded bytes that are not UTF-8: Go's string keeps the bytes and json escapes them as \\ufffd; "
               "hubctl decodes with replacement characters", '{{ b64dec "Duration2m3s" | toJson }}',
               lambda c: _uses("b32dec", "b64dec")(c) and "\\ufffd" in c.go.text),
    Divergence("go-types", "(new) Go types of Sprig results",
               "%T of a Sprig result: until/untilStep/seq give []int in Go; hubctl reports []interface {}",
               '{{ printf "%v|%T" (until 2) (until 2) }}', _type_only),
    Divergence("semver-prerelease", "semver and semverCompare",
               "constraints against prerelease versions: hubctl follows Masterminds/semver v3.4.0 as Argo CD "
               "links it; the oracle links Debian's older semver 3.x, whose prerelease rule differs (unconfirmed "
               "which one v3.4.0 gives for `!=`)", '{{ semverCompare "!=1.2.3" "1.2.3-alpha.1" }}',
               lambda c: _uses("semverCompare", "semver")(c) and re.search(r"\d-[0-9A-Za-z]", c.case.template)
               is not None),
    Divergence("oracle-range-over-int", "oracle",
               "text/template ranges over an integer from Go 1.24 (Argo CD v3.5.1 is built with Go 1.25); the "
               "oracle's Go 1.23 refuses it: the oracle, not hubctl, is behind", "{{ range 3 }}x{{ end }}",
               lambda c: not c.go.ok and "range can't iterate over" in c.go.text),
]


def explain(comparison: Comparison) -> Divergence | None:
    """The known divergence that explains a disagreement, or None."""
    return next((d for d in KNOWN if d.matches(comparison)), None)
