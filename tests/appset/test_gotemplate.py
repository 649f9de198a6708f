"""Go text/template semantics, as Argo CD runs them (table-driven)."""

import pytest

from hubctl.base.errors import AppSetError
from hubctl.engines.appset import render_template

DATA = {"name": "a", "n": 3.0, "big": 1e6, "small": 1.5e-5, "i": 5, "m": {"b": 2.0, "a": "x"},
        "l": ["x", "y"], "null": None, "t": True, "empty": "", "nested": {"deep": {"k": "v"}}}


def go(text, data=DATA, options=()):
    return render_template(text, data, go_template=True, options=options)


@pytest.mark.parametrize("text,expected", [
    ("{{ .name }}-{{.n}}", "a-3"),
    ("{{ .big }}", "1e+06"),
    ("{{ .small }}", "1.5e-05"),
    ("{{ .m }}", "map[a:x b:2]"),
    ("{{ .l }}", "[x y]"),
    ("{{ .missing }}", "<no value>"),
    ("{{ .null }}", "<no value>"),
    ("{{ .missing.deeper }}", "<no value>"),
    ("{{ .nested.deep.k }}", "v"),
    ("{{ .t }}", "true"),
    ("a  {{- .name -}}  b", "aab"),
    ("a {{- /* comment */ -}} b", "ab"),
    ("x{{/* c */}}y", "xy"),
    ("{{ if .t }}yes{{ else }}no{{ end }}", "yes"),
    ("{{ if .empty }}yes{{ else if .name }}elif{{ end }}", "elif"),
    ("{{ with .m }}{{ .a }}{{ end }}", "x"),
    ("{{ with .missing }}x{{ else }}none{{ end }}", "none"),
    ("{{ with .missing }}x{{ else with .name }}{{ . }}{{ end }}", "a"),
    ("{{ range $i, $e := .l }}{{ $i }}={{ $e }};{{ end }}", "0=x;1=y;"),
    ("{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}", "a:x b:2 "),
    ("{{ range .missing }}x{{ else }}empty{{ end }}", "empty"),
    ("{{ range 3 }}{{ . }}{{ end }}", "012"),
    ("{{ range $i := 2 }}{{ $i }}{{ end }}", "01"),
    ("{{ range .l }}{{ if eq . \"y\" }}{{ break }}{{ end }}{{ . }}{{ end }}", "x"),
    ("{{ range .l }}{{ if eq . \"x\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", "y"),
    ("{{ $x := .name }}{{ $x }}{{ $x = \"b\" }}{{ $x }}", "ab"),
    ("{{ range .l }}{{ $.name }}{{ end }}", "aa"),
    ('{{ define "T" }}[{{ . }}]{{ end }}{{ template "T" .name }}', "[a]"),
    ('{{ block "B" .name }}<{{ . }}>{{ end }}', "<a>"),
    ("{{ and 1 0 }} {{ or 0 \"\" \"z\" }} {{ not .l }} {{ and .t .name }}", "0 z false a"),
    ("{{ len .l }} {{ len .name }} {{ len \"é\" }}", "2 1 2"),
    ("{{ index .l 1 }} {{ index .m \"a\" }} {{ index .nested \"deep\" \"k\" }}", "y x v"),
    ("{{ index .m \"nope\" }}", "<no value>"),
    ('{{ printf "%s-%05.2f|%d|%q|%x|%v|%t|%5s|%-3d|" .name 3.14159 7 "q" 255 .l true "r" 1 }}',
     'a-03.14|7|"q"|ff|[x y]|true|    r|1  |'),
    ('{{ printf "%d" "s" }}', "%!d(string=s)"),
    ('{{ printf "%s %s" "a" }}', "a %!s(MISSING)"),
    ("{{ print 1 2 \"a\" 3 }}", "1 2a3"),
    ("{{ println \"a\" 1 }}", "a 1\n"),
    ("{{ .name | printf \"%s!\" }}", "a!"),
    ("{{ eq .name \"a\" }} {{ eq .name \"b\" \"a\" }} {{ ne .i 5 }}", "true true false"),
    ("{{ eq .missing \"x\" }}", "false"),
    ("{{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 2.5 }}", "true true true false"),
    ('{{ html "<a href=\'x\'>&" }}', "&lt;a href=&#39;x&#39;&gt;&amp;"),
    ('{{ js "a\'b<" }}', "a\\'b\\u003C"),
    ('{{ urlquery "a b&c" }}', "a+b%26c"),
    ("{{ 1.5 }} {{ 1e3 }} {{ 0x10 }} {{ 'a' }} {{ -3 }}", "1.5 1000 16 97 -3"),
    ('{{ "a\\tb" }}|{{ `raw\\n` }}', "a\tb|raw\\n"),
    ("{{ (index .l 0) }}{{ (.m).a }}", "xx"),
    ("plain text", "plain text"),
])
def test_render(text, expected):
    assert go(text) == expected


@pytest.mark.parametrize("text,fragment", [
    ("{{ nofunc }}", 'function "nofunc" not defined'),
    ("{{ $y }}", 'undefined variable "$y"'),
    ("{{ if .t }}x", "unexpected EOF"),
    ("{{ break }}", "{{break}} outside {{range}}"),
    ("{{ .name", "unclosed action"),
    ("{{ .name | 3 }}", "non executable command in pipeline stage 2"),
    ("{{ }}", "missing value for command"),
    ("{{ env \"HOME\" }}", 'function "env" not defined'),
    ("{{ expandenv \"$HOME\" }}", 'function "expandenv" not defined'),
    ("{{ getHostByName \"x\" }}", 'function "getHostByName" not defined'),
])
def test_parse_errors(text, fragment):
    with pytest.raises(AppSetError, match="failed to parse template") as err:
        go(text)
    assert fragment in str(err.value)


@pytest.mark.parametrize("text,fragment", [
    ("{{ .null.x }}", "nil pointer evaluating interface {}.x"),
    ("{{ .name.x }}", "can't evaluate field x in type interface {}"),
    ("{{ eq .n 3 }}", "incompatible types for comparison"),
    ("{{ index .l 5 }}", "index out of range: 5"),
    ("{{ len .n }}", "len of type float64"),
    ("{{ upper .n }}", "wrong type for value; expected string; got float64"),
    ("{{ upper .missing }}", "invalid value; expected string"),
    ("{{ trunc 1.5 .name }}", "expected integer; found 1.5"),
    ('{{ template "nope" }}', 'template "nope" not defined'),
    ("{{ range .n }}{{ end }}", "range can't iterate over 3"),
])
def test_exec_errors(text, fragment):
    with pytest.raises(AppSetError, match="failed to execute go template") as err:
        go(text)
    assert fragment in str(err.value)


@pytest.mark.parametrize("options,expected", [
    ((), "<no value>"),
    (("missingkey=default",), "<no value>"),
    (("missingkey=invalid",), "<no value>"),
    (("missingkey=zero",), "<no value>"),  # map[string]interface{}: the zero value is a nil interface
])
def test_missingkey_modes(options, expected):
    assert go("{{ .missing }}", options=options) == expected


def test_missingkey_error():
    with pytest.raises(AppSetError, match='map has no entry for key "missing"'):
        go("{{ .missing }}", options=("missingkey=error",))


def test_missingkey_error_does_not_apply_to_index():
    assert go('{{ index .m "missing" }}', options=("missingkey=error",)) == "<no value>"


def test_unknown_option_is_an_error():
    with pytest.raises(AppSetError, match="unrecognized option"):
        go("{{ .name }}", options=("missingkey=bogus",))


def test_typed_string_map_zero_value_is_empty_string():
    from hubctl.engines.appset.gotmpl.values import StrMap

    data = {"metadata": {"labels": StrMap({"env": "prod"})}}
    assert go('{{ index .metadata.labels "nope" }}|{{ .metadata.labels.env }}', data) == "|prod"
    assert go("{{ .metadata.labels.nope }}", data, ("missingkey=zero",)) == ""
