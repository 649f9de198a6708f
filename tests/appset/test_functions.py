"""Sprig and Argo CD template functions (table-driven)."""

import pytest

from hubctl.base.errors import AppSetError
from hubctl.engines.appset import render_template

DATA = {"name": "Hello World", "n": 3.0, "l": ["b", "a", "b"], "m": {"k": "v", "x": {"y": 1.0}},
        "csv": "a,b,c", "path": "apps/team-a/web"}


def go(text, data=DATA):
    return render_template(text, data, go_template=True)


@pytest.mark.parametrize("text,expected", [
    # strings
    ("{{ upper .name }}|{{ lower .name }}", "HELLO WORLD|hello world"),
    ("{{ .name | lower | replace \" \" \"-\" }}", "hello-world"),
    ('{{ trim "  x  " }}|{{ trimAll "-" "--x--" }}|{{ trimPrefix "a" "abc" }}|{{ trimSuffix "c" "abc" }}',
     "x|x|bc|ab"),
    ('{{ title "hello world-x" }}|{{ untitle "Hello World" }}', "Hello World-X|hello world"),
    ('{{ substr 0 5 .name }}|{{ substr 6 -1 .name }}', "Hello|World"),
    ('{{ trunc 5 .name }}|{{ trunc -5 .name }}|{{ trunc 50 "ab" }}', "Hello|World|ab"),
    ('{{ contains "World" .name }} {{ hasPrefix "He" .name }} {{ hasSuffix "x" .name }}', "true true false"),
    ('{{ splitList "," .csv }}|{{ (split "," .csv)._1 }}|{{ join "-" (splitList "," .csv) }}', "[a b c]|b|a-b-c"),
    ('{{ quote "a" 1 }}|{{ squote "a" }}', '"a" "1"|\'a\''),
    ('{{ indent 2 "a\\nb" }}|{{ nindent 2 "a" }}', "  a\n  b|\n  a"),
    ('{{ repeat 3 "ab" }}|{{ cat "a" 1 nil "b" }}', "ababab|a 1 b"),
    ('{{ abbrev 8 "hello world" }}|{{ wrap 5 "aaa bbb ccc" }}', "hello...|aaa\nbbb\nccc"),
    ('{{ snakecase "HelloWorld" }}|{{ kebabcase "helloWorld" }}|{{ camelcase "hello_world" }}',
     "hello_world|hello-world|HelloWorld"),
    ('{{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }}', "one many"),
    ('{{ nospace "a b\tc" }}|{{ initials "hello world" }}|{{ swapcase "aB" }}', "abc|hw|Ab"),
    # lists
    ('{{ list 1 "a" }}|{{ first .l }}|{{ last .l }}|{{ rest .l }}|{{ initial .l }}', "[1 a]|b|b|[a b]|[b a]"),
    ('{{ append .l "c" }}|{{ prepend .l "z" }}|{{ concat .l (list "q") }}', "[b a b c]|[z b a b]|[b a b q]"),
    ('{{ uniq .l }}|{{ sortAlpha .l }}|{{ reverse .l }}', "[b a]|[a b b]|[b a b]"),
    ('{{ has "a" .l }} {{ has "z" .l }}|{{ without .l "b" }}|{{ compact (list "" "a" 0 nil) }}', "true false|[a]|[a]"),
    ('{{ slice .l 1 }}|{{ slice .l 0 1 }}|{{ until 3 }}', "[a b]|[b]|[0 1 2]"),
    # dicts
    ('{{ $d := dict "a" 1 "b" "c" }}{{ $d }}|{{ get $d "b" }}|{{ get $d "z" }}|{{ hasKey $d "a" }}',
     "map[a:1 b:c]|c||true"),
    ('{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }}|{{ unset $d "a" }}', "map[a:1 b:2]|map[b:2]"),
    ('{{ keys .m | sortAlpha }}|{{ pick .m "k" }}|{{ omit .m "k" }}', "[k x]|map[k:v]|map[x:map[y:1]]"),
    ('{{ dig "x" "y" "def" .m }}|{{ dig "x" "z" "def" .m }}', "1|def"),
    ('{{ merge (dict "a" 1 "b" "") (dict "a" 2 "b" 3 "c" 4) }}', "map[a:1 b:3 c:4]"),
    ('{{ mergeOverwrite (dict "a" 1) (dict "a" 2) }}', "map[a:2]"),
    ('{{ $c := deepCopy .m }}{{ $c.k }}', "v"),
    # defaults
    ('{{ default "d" .missing }}|{{ default "d" "" }}|{{ default "d" "x" }}|{{ .missing | default "p" }}', "d|d|x|p"),
    ('{{ empty .missing }} {{ empty "" }} {{ empty 0 }} {{ empty .l }}', "true true true false"),
    ('{{ coalesce "" 0 "z" }}|{{ ternary "y" "n" true }}|{{ ternary "y" "n" false }}', "z|y|n"),
    # conversion
    ('{{ toJson .m }}|{{ toJson "<&>" }}|{{ toRawJson "<" }}', '{"k":"v","x":{"y":1}}|"\\u003c\\u0026\\u003e"|"<"'),
    ('{{ toPrettyJson (dict "a" 1) }}', '{\n  "a": 1\n}'),
    ('{{ (fromJson "{\\"a\\": 2}").a }}', "2"),
    ('{{ atoi "42" }} {{ int "7" }} {{ int64 3.9 }} {{ float64 "2.5" }} {{ toString 1.5 }}', "42 7 3 2.5 1.5"),
    ('{{ toStrings (list 1 "a") }}', "[1 a]"),
    # math
    ("{{ add 1 2 3 }} {{ sub 5 .n }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 3 }} {{ add1 1 }}", "6 2 6 3 1 2"),
    ("{{ max 1 5 3 }} {{ min 4 2 }} {{ floor 2.7 }} {{ ceil 2.1 }} {{ round 3.14159 2 }}", "5 2 2 3 3.14"),
    # regex
    ('{{ regexMatch "^[a-z]+$" "abc" }} {{ regexMatch "^\\\\d+$" "abc" }}', "true false"),
    ('{{ regexFind "[0-9]+" "ab12cd34" }}|{{ regexFindAll "[0-9]+" "ab12cd34" -1 }}', "12|[12 34]"),
    ('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', "-W-xxW-"),
    ('{{ regexReplaceAllLiteral "a(x*)b" "-ab-" "${1}" }}', "-${1}-"),
    ('{{ regexSplit "z+" "pizza" -1 }}|{{ regexSplit "/" .path 2 }}', "[pi a]|[apps team-a/web]"),
    # encoding and hashing
    ('{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ adler32sum "a" }}', "aGk= hi 6422626"),
    ('{{ sha1sum "a" }}', "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8"),
    ('{{ sha256sum "a" }}', "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"),
    # paths
    ('{{ base .path }} {{ dir .path }} {{ ext "a/b.yaml" }} {{ clean "a//b/../c" }}', "web apps/team-a .yaml a/c"),
    # Argo CD additions
    ('{{ normalize "Foo_Bar.baz-" }}', "foo-bar.baz"),
    ('{{ slugify "Foo Bar.Baz_qux" }}', "foo-bar-baz-qux"),
    ('{{ slugify 10 true "hello-world-again" }}|{{ slugify 10 false "hello-world-again" }}', "hello|hello-worl"),
    ('{{ toYaml .m }}', 'k: v\nx:\n  "y": 1'),
    ('{{ toYaml (list "a" (dict "b" true)) }}', "- a\n- b: true"),
    ('{{ (fromYaml "a: 1\\nb: [x]").b }}', "[x]"),
    ('{{ fromYamlArray "- a\\n- b" }}', "[a b]"),
])
def test_function(text, expected):
    assert go(text) == expected


@pytest.mark.parametrize("text,fragment", [
    ('{{ fail "boom" }}', "error calling fail: boom"),
    ("{{ div 1 0 }}", "integer divide by zero"),
    ('{{ mustRegexMatch "(" "x" }}', "error parsing regexp: missing closing ): `(`"),
    ('{{ now }}', "not supported by the offline preview"),
    ('{{ slice "abc" 1 }}', "should be type of slice or array"),
    ("{{ mustFirst 3 }}", "error calling mustFirst: Cannot find first on type int"),
    ('{{ mustLast (dict "a" 1) }}', "Cannot find last on type map"),
    ('{{ mustRest "abc" }}', "Cannot find rest on type string"),
    ("{{ mustPush 1 2 }}", "Cannot push on type int"),
    ("{{ concat (list 1) 2 }}", "Cannot concat type int as list"),
])
def test_function_errors(text, fragment):
    with pytest.raises(AppSetError) as err:
        go(text)
    assert fragment in str(err.value)


@pytest.mark.parametrize("text,params,expected", [
    ("{{name}}-{{ server }}", {"name": "a", "server": "s"}, "a-s"),
    ("{{missing}}", {"name": "a"}, "{{missing}}"),
    ("{{ metadata.labels.env }}", {"metadata.labels.env": "prod"}, "prod"),
    ("{{ path[1] }}", {"path[1]": "b"}, "b"),
    ("{{n}}", {"n": 3}, "{{n}}"),  # only string parameters are substituted
    ("{{ }}", {"": "x"}, "{{ }}"),
    ("no tags", {"a": "b"}, "no tags"),
    ("{{a}} {{b", {"a": "x"}, None),
])
def test_fasttemplate(text, params, expected):
    if expected is None:
        with pytest.raises(AppSetError, match="Cannot find end tag"):
            render_template(text, params, go_template=False)
    else:
        assert render_template(text, params, go_template=False) == expected
