"""Go text/template + fmt fidelity, as Argo CD v3.5.1 runs templates (template name `base`).

GO_CASES (Go's builtins and fmt; Sprig's `slice` replaces the builtin in Argo CD, so none here) were
produced by Go's own text/template (Go 1.23 from bookworm-backports, in a throwaway program:
template.New("base") with a `list` function, executed on DATA; none of them touch what changed up to
Go 1.25, whose range over integers is tested by hand below) and are copied verbatim, so the
differential oracle can re-check them one for one. Expected texts starting with "ERR " are Go's error
message; hubctl's message must end with it.
The Go sources each group follows are named in the comments of the hand-written tables below:
text/template/exec.go (evalPipeline, evalCall, validateType, evalField, walkRange), funcs.go (eq, lt,
index, slice, length, evalArgs, JSEscape), parse/parse.go (Tree.add, operand), fmt/print.go (doPrintf,
printArg, printValue, badVerb) and fmt/format.go (fmtInteger, fmtFloat, fmtSbx).
"""

import pytest

from hubctl.base.errors import AppSetError
from hubctl.engines.appset import render_template

DATA = {"x": None, "l": [], "m": {}, "s": "a", "i": 1, "f": 1.5, "li": [1, "a", None, 2.5],
        "mi": {"b": 1, "a": "x", "c": None}}


def outcome(text, data=DATA, options=()):
    """What hubctl renders, or "ERR " and the error message."""
    try:
        return render_template(text, data, go_template=True, options=options)
    except AppSetError as exc:
        return "ERR " + str(exc)


def check(text, expected, data=DATA, options=()):
    got = outcome(text, data, options)
    if expected.startswith("ERR "):
        assert got.startswith("ERR ") and got.endswith(expected[4:]), got
    else:
        assert got == expected


GO_CASES = [
    ('{{ printf "%5d" (list 1 2) }}', '[    1     2]'),
    ('{{ printf "%-5d|" (list 1 2) }}', '[1     2    ]|'),
    ('{{ printf "%05d" (list 1 -2) }}', '[00001 -0002]'),
    ('{{ printf "%.2f" (list 1.5 2.25) }}', '[1.50 2.25]'),
    ('{{ printf "%6.2f" .mi }}',
     'map[%!f(string=     a):%!f(string=     x) %!f(string=     b):%!f(int=    01) %!f(string=     c):<nil>]'),
    ('{{ printf "%d" .li }}', '[1 %!d(string=a) <nil> %!d(float64=2.5)]'),
    ('{{ printf "%s" .li }}', '[%!s(int=1) a <nil> %!s(float64=2.5)]'),
    ('{{ printf "%v" .li }}', '[1 a <nil> 2.5]'),
    ('{{ printf "%x" .li }}', '[1 61 <nil> 0x1.4p+01]'),
    ('{{ printf "%5v" .mi }}', 'map[    a:    x     b:    1     c:<nil>]'),
    ('{{ printf "%[2]d %[1]d" 1 2 }}', '2 1'),
    ('{{ printf "%[3]d" 1 2 }}', '%!d(BADINDEX)'),
    ('{{ printf "%[0]d" 1 }}', '%!d(BADINDEX)'),
    ('{{ printf "%[x]d" 1 }}', '%!d(BADINDEX)'),
    ('{{ printf "%[1]d %d" 1 2 }}', '1 2'),
    ('{{ printf "%[2]*[1]d" 12 5 }}', '   12'),
    ('{{ printf "%*d" 5 1 }}', '    1'),
    ('{{ printf "%-*d|" 5 1 }}', '1    |'),
    ('{{ printf "%*d|" -5 1 }}', '1    |'),
    ('{{ printf "%*d" "x" 1 }}', '%!(BADWIDTH)1'),
    ('{{ printf "%*d" 1.5 1 }}', '%!(BADWIDTH)1'),
    ('{{ printf "%.*f" 2 3.14159 }}', '3.14'),
    ('{{ printf "%.*f" -1 3.14159 }}', '%!(BADPREC)3.141590'),
    ('{{ printf "%.*f" "a" 3.14159 }}', '%!(BADPREC)3.141590'),
    ('{{ printf "%*d" 10000000 1 }}', '%!(BADWIDTH)1'),
    ('{{ printf "%z" 1 }}', '%!z(int=1)'),
    ('{{ printf "%5z" 1 }}', '%!z(int=    1)'),
    ('{{ printf "%z" "a" }}', '%!z(string=a)'),
    ('{{ printf "%z" nil }}', '%!z(<nil>)'),
    ('{{ printf "%d" nil }}', '%!d(<nil>)'),
    ('{{ printf "%v" nil }}', '<nil>'),
    ('{{ printf "%s" nil }}', '%!s(<nil>)'),
    ('{{ printf "%T" nil }}', '<nil>'),
    ('{{ printf "%x" 1.5 }}', '0x1.8p+00'),
    ('{{ printf "%X" 1.5 }}', '0X1.8P+00'),
    ('{{ printf "%b" 1.5 }}', '6755399441055744p-52'),
    ('{{ printf "%x" -0.1 }}', '-0x1.999999999999ap-04'),
    ('{{ printf "%.3x" 1.0 }}', '0x1.000p+00'),
    ('{{ printf "%b" 0.0 }}', '0p-1074'),
    ('{{ printf "%#v" .mi }}', 'map[string]interface {}{"a":"x", "b":1, "c":interface {}(nil)}'),
    ('{{ printf "%#v" .li }}', '[]interface {}{1, "a", interface {}(nil), 2.5}'),
    ('{{ printf "%#v" .m }}', 'map[string]interface {}{}'),
    ('{{ printf "%#v" "a" }}', '"a"'),
    ('{{ printf "%#v" 1.0 }}', '1'),
    ('{{ printf "%#v" 1 }}', '1'),
    ('{{ printf "%#v" true }}', 'true'),
    ('{{ printf "%#v" nil }}', '<nil>'),
    ('{{ printf "%d" }}', '%!d(MISSING)'),
    ('{{ printf "%d %s" 1 }}', '1 %!s(MISSING)'),
    ('{{ printf "%d" 1 2 }}', '1%!(EXTRA int=2)'),
    ('{{ printf "%d" 1 nil "a" }}', '1%!(EXTRA <nil>, string=a)'),
    ('{{ printf "%" }}', '%!(NOVERB)'),
    ('{{ printf "%5" 1 }}', '%!(NOVERB)%!(EXTRA int=1)'),
    ('{{ printf "%!" 1 }}', '%!!(int=1)'),
    ('{{ printf "%d%%" 1 }}', '1%'),
    ('{{ printf "%5%" }}', '%'),
    ('{{ printf "%e" 1 }}', '%!e(int=1)'),
    ('{{ printf "%f" "a" }}', '%!f(string=a)'),
    ('{{ printf "%t" 1 }}', '%!t(int=1)'),
    ('{{ printf "%q" 65 }}', "'A'"),
    ('{{ printf "%c" 65 }}', 'A'),
    ('{{ printf "%U" 65 }}', 'U+0041'),
    ('{{ printf "%#x" 255 }}', '0xff'),
    ('{{ printf "%#o" 8 }}', '010'),
    ('{{ printf "%O" 8 }}', '0o10'),
    ('{{ printf "%#b" 5 }}', '0b101'),
    ('{{ printf "%+d" 5 }}', '+5'),
    ('{{ printf "% d" 5 }}', ' 5'),
    ('{{ printf "%08.3f" -3.14159 }}', '-003.142'),
    ('{{ printf "%+.2e" 12345.678 }}', '+1.23e+04'),
    ('{{ printf "%g" 100000000.0 }}', '1e+08'),
    ('{{ printf "%G" 1e-7 }}', '1E-07'),
    ('{{ printf "%10.4g|" 3.14159 }}', '     3.142|'),
    ('{{ printf "%-10s|" "ab" }}', 'ab        |'),
    ('{{ printf "%010s|" "ab" }}', '00000000ab|'),
    ('{{ printf "%.1s" "日本" }}', '日'),
    ('{{ printf "%5s|" "日本" }}', '   日本|'),
    ('{{ printf "%q" "a\\"b" }}', '"a\\"b"'),
    ('{{ printf "%#q" "ab" }}', '`ab`'),
    ('{{ printf "%x" "hi" }}', '6869'),
    ('{{ printf "% x" "hi" }}', '68 69'),
    ('{{ printf "%#x" "hi" }}', '0x6869'),
    ('{{ printf "%X" "hi" }}', '6869'),
    ('{{ printf "%.0d" 0 }}', ''),
    ('{{ printf "%.3d" 7 }}', '007'),
    ('{{ printf "%6.3d|" -7 }}', '  -007|'),
    ('{{ printf "%t" true }}', 'true'),
    ('{{ printf "%5t|" true }}', ' true|'),
    ('{{ printf "%v" .mi }}', 'map[a:x b:1 c:<nil>]'),
    ('{{ printf "%s" .mi }}', 'map[a:x b:%!s(int=1) c:<nil>]'),
    ('{{ printf "%d" .mi }}', 'map[%!d(string=a):%!d(string=x) %!d(string=b):1 %!d(string=c):<nil>]'),
    ('{{ printf "%v %v" .l .m }}', '[] map[]'),
    ('{{ printf "%d" (list true) }}', '[%!d(bool=true)]'),
    ('{{ printf "%s" 1 }}', '%!s(int=1)'),
    ('{{ printf "%s" 1.5 }}', '%!s(float64=1.5)'),
    ('{{ printf "%d" 1.5 }}', '%!d(float64=1.5)'),
    ('{{ printf "%x" -255 }}', '-ff'),
    ('{{ printf "%v" 1e21 }}', '1e+21'),
    ('{{ printf "%v" 100000.0 }}', '100000'),
    ('{{ printf "%.2v" 3.14159 }}', '3.1'),
    ('{{ printf "%5.1v|" "abc" }}', '    a|'),
    ('{{ printf "%T" .li }}', '[]interface {}'),
    ('{{ printf "%T" .mi }}', 'map[string]interface {}'),
    ('{{ printf "%T" 1.5 }}', 'float64'),
    ('{{ printf "%08d" -5 }}', '-0000005'),
    ('{{ printf "%-08d|" -5 }}', '-5      |'),
    ('{{ printf "%+q" "é" }}', '"\\u00e9"'),
    ('{{ printf "%q" "é\\x01" }}', '"é\\x01"'),
    ('{{ printf "%x" (list "ab" 1) }}', '[6162 1]'),
    ('{{ printf "%q" (list "ab" 1) }}', '["ab" \'\\x01\']'),
    ('{{ printf "%e" 0.0 }}', '0.000000e+00'),
    ('{{ printf "%.0f" 2.5 }}', '2'),
    ('{{ printf "%.0f" 3.5 }}', '4'),
    ('{{ printf "%6.2f%%" 12.3456 }}', ' 12.35%'),
    ('{{ printf "%+v" .li }}', '[1 a <nil> 2.5]'),
    ('{{ printf "%#5x" 10 }}', '  0xa'),
    ('{{ printf "%#08x" 10 }}', '0x0000000a'),
    ('{{ printf "% 05d" 42 }}', ' 0042'),
    ('{{ printf "%+05d" 42 }}', '+0042'),
    ('{{ printf "%v" "s" 1 }}', 's%!(EXTRA int=1)'),
    ('{{ printf "%d %[1]d" 1 2 }}', '1 1'),
    ('{{ printf "%.[2]d" 1 2 }}', '2'),
    ('{{ printf "%[1]" 1 }}', '%!(NOVERB)'),
    ('{{ .missing }}', '<no value>'),
    ('{{ .x }}', '<no value>'),
    ('{{ .l }}', '[]'),
    ('{{ .m }}', 'map[]'),
    ('{{ .li }}', '[1 a <nil> 2.5]'),
    ('{{ .mi }}', 'map[a:x b:1 c:<nil>]'),
    ('{{ .missing | print }}', '<nil>'),
    ('{{ .x | printf "%v" }}', '<nil>'),
    ('{{ .missing | len }}',
     'ERR template: base:1:14: executing "base" at <len>: error calling len: reflect: call of reflect.Va'
     'lue.Type on zero Value'),
    ('{{ len .x }}', 'ERR template: base:1:3: executing "base" at <len .x>: error calling len: len of nil pointer'),
    ('{{ len .missing }}',
     'ERR template: base:1:3: executing "base" at <len .missing>: error calling len: reflect: call of re'
     'flect.Value.Type on zero Value'),
    ('{{ len nil }}',
     'ERR template: base:1:3: executing "base" at <len nil>: error calling len: reflect: call of reflect'
     '.Value.Type on zero Value'),
    ('{{ len .s }}', '1'),
    ('{{ len .i }}', 'ERR template: base:1:3: executing "base" at <len .i>: error calling len: len of type int'),
    ('{{ eq .x "a" }}', 'false'),
    ('{{ eq .missing "a" }}', 'false'),
    ('{{ eq .x .missing }}', 'true'),
    ('{{ eq .x nil }}', 'true'),
    ('{{ eq 1 1.0 }}',
     'ERR template: base:1:3: executing "base" at <eq 1 1.0>: error calling eq: incompatible types for c'
     'omparison'),
    ('{{ eq 1 2 1 }}', 'true'),
    ('{{ eq "a" "b" "a" }}', 'true'),
    ('{{ eq .l .l }}',
     'ERR template: base:1:3: executing "base" at <eq .l .l>: error calling eq: non-comparable type []: '
     '[]interface {}'),
    ('{{ eq .l .m }}',
     'ERR template: base:1:3: executing "base" at <eq .l .m>: error calling eq: non-comparable types []:'
     ' []interface {}, map[string]interface {}: map[]'),
    ('{{ eq .l .x }}', 'false'),
    ('{{ eq .i }}',
     'ERR template: base:1:3: executing "base" at <eq .i>: error calling eq: missing argument for comparison'),
    ('{{ ne .x 1 }}', 'true'),
    ('{{ ne 1 1.0 }}',
     'ERR template: base:1:3: executing "base" at <ne 1 1.0>: error calling ne: incompatible types for c'
     'omparison'),
    ('{{ lt 1 2 }}', 'true'),
    ('{{ lt 1 2.0 }}',
     'ERR template: base:1:3: executing "base" at <lt 1 2.0>: error calling lt: incompatible types for c'
     'omparison'),
    ('{{ lt .x 1 }}',
     'ERR template: base:1:3: executing "base" at <lt .x 1>: error calling lt: invalid type for comparison'),
    ('{{ lt true false }}',
     'ERR template: base:1:3: executing "base" at <lt true false>: error calling lt: invalid type for co'
     'mparison'),
    ('{{ lt true 1 }}',
     'ERR template: base:1:3: executing "base" at <lt true 1>: error calling lt: incompatible types for '
     'comparison'),
    ('{{ lt "a" "b" }}', 'true'),
    ('{{ le 2 2 }}', 'true'),
    ('{{ gt 3 2 }}', 'true'),
    ('{{ ge .l 1 }}',
     'ERR template: base:1:3: executing "base" at <ge .l 1>: error calling ge: invalid type for comparison'),
    ('{{ index .mi "a" }}', 'x'),
    ('{{ index .mi "zz" }}', '<no value>'),
    ('{{ index .mi .x }}',
     'ERR template: base:1:3: executing "base" at <index .mi .x>: error calling index: value is nil; sho'
     'uld be of type string'),
    ('{{ index .mi 1 }}',
     'ERR template: base:1:3: executing "base" at <index .mi 1>: error calling index: value has type int'
     '; should be string'),
    ('{{ index .li 0 }}', '1'),
    ('{{ index .li 2 }}', '<no value>'),
    ('{{ index .li 2 0 }}',
     'ERR template: base:1:3: executing "base" at <index .li 2 0>: error calling index: index of nil pointer'),
    ('{{ index .li 4 }}',
     'ERR template: base:1:3: executing "base" at <index .li 4>: error calling index: reflect: slice ind'
     'ex out of range'),
    ('{{ index .li -1 }}',
     'ERR template: base:1:3: executing "base" at <index .li -1>: error calling index: index out of range: -1'),
    ('{{ index .li "a" }}',
     'ERR template: base:1:3: executing "base" at <index .li "a">: error calling index: cannot index sli'
     'ce/array with type string'),
    ('{{ index .li nil }}',
     'ERR template: base:1:3: executing "base" at <index .li nil>: error calling index: cannot index sli'
     'ce/array with nil'),
    ('{{ index .s 0 }}', '97'),
    ('{{ index .x 0 }}',
     'ERR template: base:1:3: executing "base" at <index .x 0>: error calling index: index of untyped nil'),
    ('{{ index .missing 0 }}',
     'ERR template: base:1:3: executing "base" at <index .missing 0>: error calling index: index of untyped nil'),
    ('{{ index .i 0 }}',
     'ERR template: base:1:3: executing "base" at <index .i 0>: error calling index: can\'t index item o'
     'f type int'),
    ('{{ index .li }}', '[1 a <nil> 2.5]'),
    ('{{ html "<a href=\'x\'>&\\"" }}', '&lt;a href=&#39;x&#39;&gt;&amp;&#34;'),
    ('{{ html 1 2 }}', '1 2'),
    ('{{ html .x }}', '&lt;no value&gt;'),
    ('{{ js "a\'b\\"c<>&=`\\\\\\n" }}', 'a\\\'b\\"c\\u003C\\u003E\\u0026\\u003D`\\\\\\u000A'),
    ('{{ js "é\\u2028" }}', 'é\\u2028'),
    ('{{ urlquery "a b&c=d/é~" }}', 'a+b%26c%3Dd%2F%C3%A9~'),
    ('{{ urlquery 1 "x" }}', '1x'),
    ('{{ print 1 2 "a" 3 "b" "c" }}', '1 2a3bc'),
    ('{{ print nil 1 }}', '<nil> 1'),
    ('{{ print .x .x }}', '<nil> <nil>'),
    ('{{ println 1 "a" 2 }}', '1 a 2\n'),
    ('{{ print }}', ''),
    ('{{ print 1.5 true }}', '1.5 true'),
    ('{{ and 1 0 2 }}', '0'),
    ('{{ and 1 2 }}', '2'),
    ('{{ or 0 "" 3 }}', '3'),
    ('{{ or 0 "" }}', ''),
    ('{{ and 0 .missing.x.y }}', '0'),
    ('{{ or 1 (index .li 9) }}', '1'),
    ('{{ and }}',
     'ERR template: base:1:3: executing "base" at <and>: wrong number of args for and: want at least 1 got 0'),
    ('{{ 1 | and 2 }}', '1'),
    ('{{ 0 | or "" }}', '0'),
    ('{{ not .x }}', 'true'),
    ('{{ not .missing }}', 'true'),
    ('{{ not .l }}', 'true'),
    ('{{ range .li }}{{ if not . }}{{ continue }}{{ end }}{{ . }};{{ end }}', '1;a;2.5;'),
    ('{{ range .li }}{{ if not . }}{{ break }}{{ end }}{{ . }};{{ end }}', '1;a;'),
    ('{{ range $k, $v := .mi }}{{ $k }}={{ $v }};{{ end }}', 'a=x;b=1;c=<no value>;'),
    ('{{ range .x }}x{{ else }}e{{ end }}', 'e'),
    ('{{ range .s }}x{{ end }}', 'ERR template: base:1:9: executing "base" at <.s>: range can\'t iterate over a'),
    ('{{ range 1.5 }}x{{ end }}',
     'ERR template: base:1:9: executing "base" at <1.5>: range can\'t iterate over 1.5'),
    ('{{ range true }}x{{ end }}',
     'ERR template: base:1:9: executing "base" at <true>: range can\'t iterate over true'),
    ('{{ break }}', 'ERR template: base:1: {{break}} outside {{range}}'),
    ('{{ with .x }}y{{ else }}n{{ end }}', 'n'),
    ('{{ with $x := .mi }}{{ $x.a }}{{ end }}', 'x'),
    ('{{ .mi.zz.q }}', '<no value>'),
    ('{{ .s.x }}',
     'ERR template: base:1:5: executing "base" at <.s.x>: can\'t evaluate field x in type interface {}'),
    ('{{ .i.x }}',
     'ERR template: base:1:5: executing "base" at <.i.x>: can\'t evaluate field x in type interface {}'),
    ('{{ .x.y }}', 'ERR template: base:1:5: executing "base" at <.x.y>: nil pointer evaluating interface {}.y'),
    ('{{ .li.x }}',
     'ERR template: base:1:6: executing "base" at <.li.x>: can\'t evaluate field x in type interface {}'),
    ('{{ $x := 1 }}{{ $x = 2 }}{{ $x }}', '2'),
    ('{{ nil }}', 'ERR template: base:1:3: executing "base" at <nil>: nil is not a command'),
    ('{{ print nil }}', '<nil>'),
    ('{{ 1 2 }}', 'ERR template: base:1:3: executing "base" at <1>: can\'t give argument to non-function 1'),
    ('{{ . | printf "%T" }}', 'map[string]interface {}'),
    ('{{ .mi | len }}', '3'),
    ('{{ "x" | len }}', '1'),
    ('{{ 3 | printf "%d-%d" 1 }}', '1-3'),
    ('{{ define "x" }}{{ .q.r }}{{ end }}{{ template "x" .mi }}', '<no value>'),
    ('{{ define "x" }}{{ .zz }}{{ end }}{{ template "x" 1 }}',
     'ERR template: base:1:19: executing "x" at <.zz>: can\'t evaluate field zz in type int'),
    ('{{ template "nope" }}',
     'ERR template: base:1:12: executing "base" at <{{template "nope"}}>: template "nope" not defined'),
    ('{{ define "base" }}x{{ end }}y', 'ERR template: base:1: template: multiple definition of template "base"'),
    ('{{ define "base" }}x{{ end }}', 'x'),
    ('{{ define "base" }}{{ end }}y', 'y'),
    ('{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}',
     'ERR template: base:1: template: multiple definition of template "a"'),
    ('{{ call .x }}', 'ERR template: base:1:3: executing "base" at <call .x>: error calling call: call of nil'),
    ('{{ call .i 1 }}',
     'ERR template: base:1:3: executing "base" at <call .i 1>: error calling call: non-function .i of type int'),
    ('{{ printf "%d" .x }}', '%!d(<nil>)'),
    ('{{ printf "%v" .missing }}', '<nil>'),
    ('{{ print .l .m .x }}', '[] map[] <nil>'),
    ('{{ print "a" .x "b" }}', 'a<nil>b'),
    ('{{ 1.0 }}', '1'),
    ('{{ 1e6 }}', '1e+06'),
    ('{{ 0x10 }}', '16'),
    ("{{ 'a' }}", '97'),
    ('{{ -0 }}', '0'),
    ('{{ 1e21 }}', '1e+21'),
    ('{{ 123456789.0 }}', '1.23456789e+08'),
    ('{{ 0.000012 }}', '1.2e-05'),
    ('{{ .f }}', '1.5'),
    ('{{ printf "%v" 1e100 }}', '1e+100'),
    ("{{ eq 'a' 97 }}", 'true'),
    ('{{ eq 1.0 1.0 }}', 'true'),
    ('{{ index "abc" 1 }}', '98'),
    ('{{ printf "%T" \'a\' }}', 'int'),
    ('{{ printf "%T" 1e3 }}', 'float64'),
    ('{{ printf "%T" 1000 }}', 'int'),
    ('{{ range .li }}{{ .x }}{{ end }}',
     'ERR template: base:1:18: executing "base" at <.x>: can\'t evaluate field x in type interface {}'),
    ('{{ range .mi }}{{ .x }}{{ end }}',
     'ERR template: base:1:18: executing "base" at <.x>: can\'t evaluate field x in type interface {}'),
    ('{{ with .s }}{{ .x }}{{ end }}',
     'ERR template: base:1:16: executing "base" at <.x>: can\'t evaluate field x in type string'),
    ('{{ range .li }}{{ with . }}{{ .x }}{{ end }}{{ end }}',
     'ERR template: base:1:30: executing "base" at <.x>: can\'t evaluate field x in type int'),
    ('{{ $x := .s }}{{ $x.y }}',
     'ERR template: base:1:19: executing "base" at <$x.y>: can\'t evaluate field y in type string'),
    ('{{ .mi.a.b }}',
     'ERR template: base:1:6: executing "base" at <.mi.a.b>: can\'t evaluate field b in type interface {}'),
    ('{{ .a.b.c }}', '<no value>'),
    ('{{ $.s.x }}',
     'ERR template: base:1:4: executing "base" at <$.s.x>: can\'t evaluate field x in type interface {}'),
    ('{{ printf "%.10U|%#U|%#8U|%-8U|" 97 97 97 97 }}', "U+0000000061|U+0061 'a'|U+0061 'a'|U+0061  |"),
    ('{{ printf "% 5.10[1]U-%+ [0]5.0[1]q" 123456789 .li }}', 'U+00075BCD15-%!q(BADINDEX)'),
    ('{{ printf "%+05.10U-" .mi }}',
     'map[%!U(string=0000a):%!U(string=0000x) %!U(string=0000b):U+0000000001 %!U(string=0000c):<nil>]-'),
    ('{{ printf "%0#*.10U " .missing 123456789 }}', '%!(BADWIDTH)U+00075BCD15 '),
]


# Parsing and lexing (parse.go, lex.go: lexical errors surface only when the parser reaches them, number
# literals as newNumber/idealConstant see them), field chains and error locations (exec.go); also from Go.
GO_PARSE_CASES = [
    ('{{ 9223372036854775808 }}',
     'ERR template: base:1:3: executing "base" at <9223372036854775808>: 9223372036854775808 overflows int'),
    ('{{ 99999999999999999999 }}', 'ERR template: base:1: integer overflow: "99999999999999999999"'),
    ('{{ 1e400 }}', 'ERR template: base:1: illegal number syntax: "1e400"'),
    ('{{ -9223372036854775808 }}', '-9223372036854775808'),
    ('{{ 0x1p4 }}', '16'),
    ('{{ 1_000 }}', '1000'),
    ('{{ 0b101 }}', '5'),
    ('{{ 0o17 }}', '15'),
    ('{{ 017 }}', '15'),
    ("{{ 'a' }}", '97'),
    ('{{ .s ) }}', 'ERR template: base:1: unexpected right paren'),
    ('{{ ( .s }}', 'ERR template: base:1: unclosed left paren'),
    ('{{ | .s }}', 'ERR template: base:1: unexpected "|" in command'),
    ('{{ .s | }}', 'a'),
    ('{{ .s\\ }}', "ERR template: base:1: bad character U+005C '\\'"),
    ('{{ .[ }}', "ERR template: base:1: bad character U+005B '['"),
    ('{{ $x = 2 }}', 'ERR template: base:1:8: executing "base" at <2>: undefined variable: $x'),
    ('{{ $x := 1 }}{{ $y }}', 'ERR template: base:1: undefined variable "$y"'),
    ('{{ (1).x }}', 'ERR template: base:1:4: executing "base" at <1>: can\'t evaluate field x in type int'),
    ('{{ ("a").x.y }}',
     'ERR template: base:1:4: executing "base" at <"a">: can\'t evaluate field x in type string'),
    ('{{ (.mi).zz.q }}', '<no value>'),
    ('{{ else }}', 'ERR template: base:1: unexpected {{else}}'),
    ('{{ end }}', 'ERR template: base:1: unexpected {{end}}'),
    ('{{ break }}', 'ERR template: base:1: {{break}} outside {{range}}'),
    ('{{ range .li }}{{ continue }}{{ end }}{{ continue }}',
     'ERR template: base:1: {{continue}} outside {{range}}'),
    ('{{ if .x }}', 'ERR template: base:1: unexpected EOF'),
    ('{{ "unterminated }}', 'ERR template: base:1: unterminated quoted string'),
    ('{{ "abc" "def" }}',
     'ERR template: base:1:3: executing "base" at <"abc">: can\'t give argument to non-function "abc"'),
    ('{{ .s 1 }}', 'ERR template: base:1:3: executing "base" at <.s>: s is not a method but has arguments'),
    ('{{ .mi.a 1 }}', 'ERR template: base:1:6: executing "base" at <.mi.a>: a is not a method but has arguments'),
    ('{{ 1 | .mi.a }}',
     'ERR template: base:1:10: executing "base" at <.mi.a>: a is not a method but has arguments'),
    ('{{ nil }}', 'ERR template: base:1:3: executing "base" at <nil>: nil is not a command'),
    ('{{ nil | print }}', 'ERR template: base:1:3: executing "base" at <nil>: nil is not a command'),
    ('{{ print nil }}', '<nil>'),
    ('{{ define "t" }}{{ .zz }}{{ end }}{{ template "t" 1 }}',
     'ERR template: base:1:19: executing "t" at <.zz>: can\'t evaluate field zz in type int'),
    ('{{ define "t" }}{{ .q.r }}{{ end }}{{ template "t" .mi }}', '<no value>'),
    ('{{ template "nope" }}',
     'ERR template: base:1:12: executing "base" at <{{template "nope"}}>: template "nope" not defined'),
    ('{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}',
     'ERR template: base:1: template: multiple definition of template "a"'),
    ('{{ block "b" . }}B{{ end }}', 'B'),
    ('{{ $x := 1 }}{{ $x.a }}',
     'ERR template: base:1:18: executing "base" at <$x.a>: can\'t evaluate field a in type int'),
    ('{{ range $i, $e := .li }}{{ $i }}{{ $e }}{{ end }}', '011a2<no value>32.5'),
    ('{{ with $x := .s }}{{ $x }}{{ end }}{{ $x }}', 'ERR template: base:1: undefined variable "$x"'),
    ('{{ .s.x }}',
     'ERR template: base:1:5: executing "base" at <.s.x>: can\'t evaluate field x in type interface {}'),
    ('{{ .li.x }}',
     'ERR template: base:1:6: executing "base" at <.li.x>: can\'t evaluate field x in type interface {}'),
    ('{{ range .li }}{{ .x }}{{ end }}',
     'ERR template: base:1:18: executing "base" at <.x>: can\'t evaluate field x in type interface {}'),
    ('{{ with .s }}{{ .x }}{{ end }}',
     'ERR template: base:1:16: executing "base" at <.x>: can\'t evaluate field x in type string'),
    ('{{ .x.y }}', 'ERR template: base:1:5: executing "base" at <.x.y>: nil pointer evaluating interface {}.y'),
    ('{{ .mi.a.b }}',
     'ERR template: base:1:6: executing "base" at <.mi.a.b>: can\'t evaluate field b in type interface {}'),
    ('{{ $.s.x }}',
     'ERR template: base:1:4: executing "base" at <$.s.x>: can\'t evaluate field x in type interface {}'),
    ('{{ call .i 1 }}',
     'ERR template: base:1:3: executing "base" at <call .i 1>: error calling call: non-function .i of type int'),
    ('{{ call .x }}', 'ERR template: base:1:3: executing "base" at <call .x>: error calling call: call of nil'),
    ('{{ lt .s }}', 'ERR template: base:1:3: executing "base" at <lt>: wrong number of args for lt: want 2 got 1'),
    ('{{ .li | len 1 }}',
     'ERR template: base:1:9: executing "base" at <len>: wrong number of args for len: want 1 got 2'),
    ('{{ and }}',
     'ERR template: base:1:3: executing "base" at <and>: wrong number of args for and: want at least 1 got 0'),
    ('{{ index "abc" 1 }}', '98'),
    ('{{ printf "%T %v %d %c %x" (index "abc" 1) (index "abc" 1) (index "abc" 1) (index "abc" 1) (index "abc" 1) }}',
     'uint8 98 98 b 62'),
    ('{{ eq (index "abc" 1) 98 }}', 'true'),
    ('{{ eq 98 (index "abc" 1) }}', 'true'),
    ('{{ lt (index "abc" 1) 99 }}', 'true'),
    ('{{ lt -1 (index "abc" 1) }}', 'true'),
    ('{{ eq (index "abc" 1) 98.0 }}',
     'ERR template: base:1:3: executing "base" at <eq (index "abc" '
     '1) 98.0>: error calling eq: incompatible types for comparison'),
    ('{{ print (index "abc" 0) (index "abc" 1) }}', '97 98'),
    ('{{ index (index "abc" 1) 0 }}',
     'ERR template: base:1:3: executing "base" at <index (index "ab'
     'c" 1) 0>: error calling index: can\'t index item of type uint8'),
    ('{{ len (index "abc" 1) }}',
     'ERR template: base:1:3: executing "base" at <len (index "abc" 1)>: error calling len: len of type uint8'),
    ('{{ if index "abc" 1 }}t{{ end }}', 't'),
    ('{{ printf "%q" (index "abc" 1) }}', "'b'"),
    ('{{ printf "%#v" (index "abc" 1) }}', '0x62'),
]


@pytest.mark.parametrize("text,expected", GO_CASES + GO_PARSE_CASES)
def test_matches_go(text, expected):
    check(text, expected)


# exec.go evalPipeline/evalCall: a nil or missing value is passed on as the final argument (it is not
# Go's missingVal); validateType turns it into nil for interface{} parameters and rejects it for string.
@pytest.mark.parametrize("text,expected", [
    ("{{ .missing | toJson }}", "null"),
    ("{{ .x | toJson }}", "null"),
    ("{{ .missing | toYaml }}", "null"),
    ("{{ .missing | toString }}", "<nil>"),
    ("{{ .missing | empty }}", "true"),
    ("{{ .missing | int }}", "0"),
    ("{{ .x | default \"d\" }}", "d"),
    ("{{ .x | quote }}", ""),
    ("{{ .missing | kindOf }}", "invalid"),
    ("{{ .missing | typeOf }}", "<nil>"),
    ("{{ .missing | printf \"%v\" }}", "<nil>"),
    ("{{ .missing | b64enc }}", 'ERR template: base:1:14: executing "base" at <b64enc>: invalid value; '
                                "expected string"),
    ("{{ .missing | len }}", 'ERR template: base:1:14: executing "base" at <len>: error calling len: '
                             "reflect: call of reflect.Value.Type on zero Value"),
    ("{{ eq .x \"a\" }}", "false"),
    ("{{ eq .missing .x }}", "true"),
])
def test_nil_reaches_functions(text, expected):
    check(text, expected)


# missingkey options (exec.go evalField): zero gives the map's zero element, error names the key.
@pytest.mark.parametrize("text,options,expected", [
    ("{{ .missing | toJson }}", ("missingkey=zero",), "null"),
    ("{{ .missing }}", ("missingkey=zero",), "<no value>"),
    ("{{ len .missing }}", ("missingkey=zero",), 'ERR template: base:1:3: executing "base" at <len .missing>: '
                                                 "error calling len: len of nil pointer"),
    ("{{ .missing }}", ("missingkey=error",), 'ERR template: base:1:3: executing "base" at <.missing>: '
                                              'map has no entry for key "missing"'),
])
def test_missingkey(text, options, expected):
    check(text, expected, options=options)


# Go 1.24+ range over an integer (Argo CD v3.5.1 is built with Go 1.25; exec.go walkRange, val.Seq()):
# 0..n-1 of the ranged integer type, the else branch for n <= 0, one variable only. Go 1.23 refuses it.
@pytest.mark.parametrize("text,expected", [
    ("{{ range 3 }}{{ . }}{{ end }}", "012"),
    ("{{ range $i := 2 }}{{ $i }}{{ end }}", "01"),
    ("{{ range -2 }}x{{ else }}none{{ end }}", "none"),
    ('{{ range 2 }}{{ printf "%T" . }}{{ end }}|{{ range (index "ab" 0) }}{{ if eq . 1 }}{{ printf "%T" . }}{{ end }}'
     "{{ end }}", "intint|uint8"),
    ("{{ range $i, $e := 3 }}{{ $i }}{{ end }}", 'ERR template: base:1:19: executing "base" at <3>: '
                                                 "can't use 3 to iterate over more than one variable"),
])
def test_range_over_int(text, expected):
    check(text, expected)


# parse.go Tree.add: the text is the tree "base"; a non-empty {{define "base"}} beside a non-empty text
# is a redefinition. Argo CD v3.5.1 registers no `tpl`.
@pytest.mark.parametrize("text,expected", [
    ('{{ define "base" }}x{{ end }}y', 'ERR template: base:1: template: multiple definition of template "base"'),
    ('{{ define "base" }}x{{ end }}', "x"),
    ('{{ define "base" }}{{ end }}y', "y"),
    ('{{ tpl "x" . }}', 'ERR template: base:1: function "tpl" not defined'),
    ('{{ template "base" }}', 'ERR template: base:1:12: executing "base" at <{{template "base"}}>: '
                              "exceeded maximum template depth (100000)"),
])
def test_template_named_base(text, expected):
    check(text, expected)


# Sprig returns a nil []interface{} (values.NilList) for these; fmt prints it as [].
@pytest.mark.parametrize("text,expected", [
    ("{{ rest (list) }}", "[]"),
    ('{{ regexFindAll "z" "abc" -1 }}', "[]"),
])
def test_nil_lists_print_empty(text, expected):
    check(text, expected)
