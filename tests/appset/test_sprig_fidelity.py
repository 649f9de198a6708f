"""Sprig and Argo CD functions against the Go sources Argo CD v3.5.1 links (expectations cite the Go code)."""

import pytest

from hubctl.base.errors import AppSetError
from hubctl.engines.appset import render_template


def go(text, data=None):
    return render_template(text, data or {}, go_template=True)


def go_error(text, data=None) -> str:
    with pytest.raises(AppSetError) as err:
        go(text, data)
    return str(err.value)


# Masterminds/semver v3.4.0 version.go NewVersion (CoerceNewVersion=true): loose regex, v prefix, missing
# minor/patch read as 0; String() drops the v; Original() keeps the input.
@pytest.mark.parametrize("text,expected", [
    ('{{ semver "v1.2" }}', "1.2.0"),
    ('{{ semver "1" }}|{{ (semver "1").Original }}', "1.0.0|1"),
    ('{{ $v := semver "v1.2.3-rc.1+build.5" }}{{ $v.Major }}.{{ $v.Minor }}.{{ $v.Patch }} {{ $v.Prerelease }} '
     '{{ $v.Metadata }} {{ $v.Original }} {{ $v.String }}',
     "1.2.3 rc.1 build.5 v1.2.3-rc.1+build.5 1.2.3-rc.1+build.5"),
    ('{{ semver "01.02.03" }}', "1.2.3"),  # coercion allows leading zeros in the numeric segments
    ('{{ typeOf (semver "1.2.3") }}', "*semver.Version"),
])
def test_semver(text, expected):
    assert go(text) == expected


@pytest.mark.parametrize("text,message", [
    ('{{ semver "foo" }}', "error calling semver: invalid semantic version"),
    ('{{ semver "1.2.3.4" }}', "error calling semver: invalid semantic version"),
    ('{{ semver "1.2.3-01" }}', "error calling semver: version segment starts with 0"),  # validatePrerelease
    ('{{ semver "99999999999999999999" }}',
     'error parsing version segment: strconv.ParseUint: parsing "99999999999999999999": value out of range'),
    ('{{ semverCompare "foo" "1.0.0" }}', "error calling semverCompare: improper constraint: foo"),
    ('{{ semverCompare "" "1.0.0" }}', "error calling semverCompare: improper constraint: "),
    ('{{ semverCompare "^1" "x" }}', "error calling semverCompare: invalid semantic version"),
])
def test_semver_errors(text, message):
    assert message in go_error(text)


# constraints.go v3.4.0: constraintCaret / constraintTilde / constraintTildeOrEqual / rewriteRange / the
# prerelease rule (a prerelease only passes an AND group naming a prerelease).
@pytest.mark.parametrize("constraint,version,expected", [
    ("^1.2", "1.5.0", True), ("^1.2", "2.0.0", False), ("^1.2.3", "1.2.2", False),
    ("^0.2.3", "0.2.9", True), ("^0.2.3", "0.3.0", False), ("^0.0.3", "0.0.4", False), ("^0", "0.9.0", True),
    ("~1.2.3", "1.2.9", True), ("~1.2.3", "1.3.0", False), ("~1", "1.9.0", True), ("~0", "0.5.0", True),
    ("1.2.x", "1.2.7", True), ("1.2.x", "1.3.0", False), ("*", "0.0.1", True), ("1.x", "1.0.0", True),
    ("=1.2.3", "v1.2.3+meta", True), ("!=1.2.x", "1.2.5", False), ("!=1.2.x", "1.3.0", True),
    (">= 1.2, < 1.4", "1.3.0", True), (">=1.2 <1.4", "1.4.0", False), ("1.2 - 1.4", "1.4.9", True),
    ("1.2 - 1.4", "1.5.0", False), ("~1.2.x || 3", "3.1.0", True), ("<1 || >=2", "1.5.0", False),
    (">11", "11.1.0", False), (">11.1", "11.2.0", True), ("<=1.2", "1.2.9", True), ("<=1.2", "1.3.0", False),
    (">1.0", "1.1.0-beta", False), (">1.0-0", "1.1.0-beta", True), (">=1.0.0-0 <2", "1.5.0-rc.1", True),
    ("<2.0.0", "2.0.0-rc.1", False), ("^1.2.3-alpha", "1.2.3-beta", True),
])
def test_semver_compare(constraint, version, expected):
    assert go(f'{{{{ semverCompare "{constraint}" "{version}" }}}}') == str(expected).lower()


# huandu/xstrings v1.5.0 convert.go (doc-comment samples) and Sprig v3.3.0 functions.go
# ("camelcase": xstrings.ToPascalCase).
@pytest.mark.parametrize("func,given,expected", [
    ("snakecase", "http2xx", "http_2xx"), ("snakecase", "HTTP20xOK", "http_20x_ok"),
    ("snakecase", "Duration2m3s", "duration_2m3s"), ("snakecase", "Bld4Floor3rd", "bld4_floor_3rd"),
    ("snakecase", "FirstName", "first_name"), ("snakecase", "HTTPServer", "http_server"),
    ("snakecase", "NoHTTPS", "no_https"), ("snakecase", "GO PATH", "go_path"), ("snakecase", "GO-PATH", "go_path"),
    ("kebabcase", "Duration2m3s", "duration-2m3s"), ("kebabcase", "HTTP20xOK", "http-20x-ok"),
    ("kebabcase", "GO_PATH", "go-path"),
    ("camelcase", "some words", "SomeWords"), ("camelcase", "http_server", "HttpServer"),
    ("camelcase", "no_https", "NoHttps"), ("camelcase", "_complex__case_", "_Complex_Case_"),
    ("camelcase", "GOLANG_IS_GREAT", "GolangIsGreat"), ("camelcase", "a", "A"),
    # goutils.SwapCase, Uncapitalize, Initials
    ("swapcase", "Hello World", "hELLO wORLD"), ("untitle", "Hello World", "hello world"),
    ("initials", "hello  big World", "hbW"),
])
def test_case_conversions(func, given, expected):
    assert go(f'{{{{ {func} "{given}" }}}}') == expected


# goutils WrapCustom: Sprig's wrap passes wrapLongWords=false, wrapWith passes true; AbbreviateFull.
@pytest.mark.parametrize("text,expected", [
    ('{{ wrapWith 5 "|" "aaaaaaaaaaaa bb" }}', "aaaaa|aaaaa|aa bb"),
    ('{{ wrap 5 "aaaaaaaaaa bb cc" }}', "aaaaaaaaaa\nbb cc"),
    ('{{ wrap 0 "a b" }}', "a\nb"),
    ('{{ abbrev 8 "hello world" }}|{{ abbrev 3 "hello world" }}', "hello...|hello world"),
    ('{{ abbrevboth 5 10 "1234567890abcdefghij" }}', "...6789..."),
    ('{{ abbrevboth 0 6 "1234567890" }}', "123..."),
])
def test_goutils_words(text, expected):
    assert go(text) == expected


# Sprig list.go: mustRest/mustInitial return nil for an empty list (prints [], toJson null); regex.go
# regexFindAll returns Regexp.FindAllString, nil without a match; Split returns nil for n == 0.
@pytest.mark.parametrize("text,expected", [
    ("{{ rest (list) }}|{{ rest (list) | toJson }}|{{ rest (list 1) | toJson }}", "[]|null|[]"),
    ("{{ initial (list) }}|{{ initial (list) | toJson }}", "[]|null"),
    ("{{ compact (list) | toJson }}|{{ uniq (list) | toJson }}|{{ without (list 1) 1 | toJson }}", "[]|[]|[]"),
    ('{{ regexFindAll "x" "abc" -1 }}|{{ regexFindAll "x" "abc" -1 | toJson }}', "[]|null"),
    ('{{ regexFindAll "b" "abcb" 0 | toJson }}|{{ regexSplit "b" "abc" 0 | toJson }}', "null|null"),
])
def test_nil_lists(text, expected):
    assert go(text) == expected


# Go regexp (RE2): allMatches drops an empty match right after a match; replaceAll likewise; `$` matches
# only at the end of text; \pL classes; (?i) mid-pattern applies to the rest of the group; (?<name>) (Go 1.22).
@pytest.mark.parametrize("text,expected", [
    ('{{ regexFindAll "a*" "baaa" -1 | toJson }}', '["","aaa"]'),
    ('{{ regexReplaceAll "a*" "baaa" "X" }}', "XbX"),
    ('{{ regexSplit "a*" "baaab" -1 | toJson }}', '["b","b"]'),
    ('{{ regexMatch "a$" "a\\n" }}|{{ regexMatch "a\\\\z" "a" }}', "false|true"),
    ('{{ regexFind "\\\\pL+" "12été3" }}|{{ regexFind "\\\\PL+" "ab12cd" }}|{{ regexFind "\\\\p{Lu}" "abC" }}',
     "été|12|C"),
    ('{{ regexMatch "x(?i)b|C" "c" }}|{{ regexMatch "(?i)ABC" "xabc" }}', "true|true"),
    ('{{ regexReplaceAll "(?<n>b+)" "abbc" "<${n}>" }}|{{ regexReplaceAll "(?P<n>b+)" "abbc" "$1$$" }}',
     "a<bb>c|abb$c"),
    ('{{ regexFind "[[:digit:]]+" "ab42" }}|{{ regexFind "\\\\s+" "a \\v b" }}', "42| "),
    ('{{ regexMatch "(" "x" }}|{{ regexMatch "a(?=b)" "ab" }}', "false|false"),  # regexMatch drops the error
])
def test_re2(text, expected):
    assert go(text) == expected


@pytest.mark.parametrize("text,message", [
    ('{{ mustRegexMatch "(" "x" }}', "error calling mustRegexMatch: error parsing regexp: missing closing ): `(`"),
    ('{{ regexFind "(" "x" }}', "error calling regexFind: regexp: Compile(`(`): error parsing regexp: "
                                "missing closing ): `(`"),
    ('{{ mustRegexFind "a(?=b)" "ab" }}', "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
    ('{{ mustRegexFind "a(?!b)" "ab" }}', "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"),
    ('{{ mustRegexFind "(?<=a)b" "ab" }}', "error parsing regexp: invalid named capture: `(?<=a)b`"),
    ('{{ mustRegexFind "(a)\\\\1" "aa" }}', "error parsing regexp: invalid escape sequence: `\\1`"),
    ('{{ mustRegexFind "[a" "a" }}', "error parsing regexp: missing closing ]: `[a`"),
    ('{{ mustRegexFind "a)" "a" }}', "error parsing regexp: unexpected ): `a)`"),
])
def test_re2_errors(text, message):
    assert message in go_error(text)


# path/filepath.Ext and path.Clean/Dir (Go); Sprig strings.go indent/repeat via strings.Repeat (panics on a
# negative count, reported as the call's error).
@pytest.mark.parametrize("text,expected", [
    ('{{ ext "dir/.hidden" }}|{{ ext "a.b/c" }}|{{ ext "x.tar.gz" }}|{{ ext "noext" }}', ".hidden||.gz|"),
    ('{{ dir "//a" }}|{{ clean "//a//b/" }}|{{ dir "a" }}|{{ dir "a/b/" }}|{{ clean "" }}', "/|/a/b|.|a/b|."),
])
def test_paths(text, expected):
    assert go(text) == expected


@pytest.mark.parametrize("func", ["indent", "nindent", "repeat"])
def test_negative_repeat_counts(func):
    assert f"error calling {func}: strings: negative Repeat count" in go_error(f'{{{{ {func} -1 "a" }}}}')


# spf13/cast v1.7.1 ToInt64/ToFloat64 (caste.go: trimZeroDecimal, strconv.ParseInt base 0, int(float64) on
# amd64 gives the minimum int64 out of range); strconv.Atoi clamps on overflow.
@pytest.mark.parametrize("text,expected", [
    ("{{ int 1e21 }}|{{ int64 -1e300 }}|{{ int 3.9 }}", "-9223372036854775808|-9223372036854775808|3"),
    ('{{ int "0x1F" }}|{{ int "017" }}|{{ int "0b11" }}|{{ int "1_000" }}|{{ int "12.00" }}', "31|15|3|1000|12"),
    ('{{ int "12." }}|{{ int " 1" }}|{{ int "99999999999999999999" }}|{{ int "x" }}', "0|0|0|0"),
    ('{{ atoi "99999999999999999999" }}|{{ atoi "1_0" }}|{{ atoi "-7" }}', "9223372036854775807|0|-7"),
    ('{{ float64 "1e400" }}|{{ float64 " 2" }}|{{ float64 "2.5" }}|{{ float64 "Inf" }}', "0|0|2.5|+Inf"),
])
def test_cast(text, expected):
    assert go(text) == expected


# mergo v1.0 deepMerge (map case) as Sprig's merge / mergeOverwrite call it.
@pytest.mark.parametrize("text,expected", [
    ('{{ merge (dict) (dict "a" nil) }}', "map[]"),  # a nil source value is skipped
    ('{{ mergeOverwrite (dict "a" 1) (dict "a" nil) }}', "map[a:<nil>]"),  # ...or written when overwriting
    ('{{ merge (dict "a" "" "b" 0 "c" false) (dict "a" 2 "b" 3 "c" true) }}', "map[a:2 b:3 c:true]"),
    ('{{ mergeOverwrite (dict "a" 1) (dict "a" "") }}', "map[a:]"),
    ('{{ merge (dict "m" (dict "x" 1)) (dict "m" (dict "x" 2 "y" 3)) }}', "map[m:map[x:1 y:3]]"),
    ('{{ merge (dict "m" "s") (dict "m" (dict "x" 2)) }}', "map[m:s]"),
    ('{{ mergeOverwrite (dict "m" "s") (dict "m" (dict "x" 2)) }}', "map[m:map[x:2]]"),
    ('{{ merge (dict "l" (list 1)) (dict "l" (list 2)) }}|{{ mergeOverwrite (dict "l" (list 1)) (dict "l" (list)) }}',
     "map[l:[1]]|map[l:[]]"),
])
def test_merge(text, expected):
    assert go(text) == expected


# Argo CD utils.SlugifyName -> gosimple/slug MakeLang: without smart truncation the cut comes before the
# dashes are collapsed and trimmed, so the result never ends in "-"; smart truncation cuts at a dash.
@pytest.mark.parametrize("text,expected", [
    ('{{ slugify 6 false "hello-world" }}', "hello"),
    ('{{ slugify 10 true "hello-world-again" }}|{{ slugify 10 false "hello-world-again" }}', "hello|hello-worl"),
    ('{{ slugify 3 false "a_-b" }}|{{ slugify "Foo Bar.Baz_qux" }}', "a|foo-bar-baz-qux"),
])
def test_slugify(text, expected):
    assert go(text) == expected


# Argo CD utils.go toYAML = sigs.k8s.io/yaml Marshal: JSON, then go-yaml v2. encode.go stringv double-quotes
# strings that resolve.go reads as another type (YAML 1.1 bools, base-0 ints such as 0o17, floats,
# timestamps); libyaml's analyze_scalar falls back to single quotes (indicators, edge spaces) or double
# quotes (tabs, characters outside its printable set); keyList.Less orders digit runs numerically.
@pytest.mark.parametrize("value,expected", [
    ({"o": "0o17", "v": "01.2.3", "i": "017", "u": "1_000", "f": "1e5", "t": "2024-01-02"},
     'f: "1e5"\ni: "017"\no: "0o17"\nt: "2024-01-02"\nu: "1_000"\nv: 01.2.3'),
    ({"y": "yes", "n": "no", "on": "On", "e": "", "nul": "~"}, 'e: ""\n"n": "no"\nnul: "~"\n"on": "On"\n"y": "yes"'),
    ({"a": "-", "b": "it's: x", "c": " x", "d": "a #b", "e": "a\tb", "f": "😀"},
     "a: '-'\nb: 'it''s: x'\nc: ' x'\nd: 'a #b'\ne: \"a\\tb\"\nf: \"\\U0001F600\""),
    ({"k10": 1, "k2": 2, "_x": 3, "Z": 4}, "_x: 3\nZ: 4\nk2: 2\nk10: 1"),
    ({"f": 1.5e-7, "g": 1e21, "h": 2.0}, "f: 1.5e-07\ng: 1e+21\nh: 2"),
    ({"m": "l1\nl2\n", "p": "l1\nl2", "k": "l1\n\n", "s": " l1\nl2", "t": "a\n\tb"},
     'k: |+\n  l1\n\nm: |\n  l1\n  l2\np: |-\n  l1\n  l2\ns: |2-\n   l1\n  l2\nt: "a\\n\\tb"'),
    ({"l": [[1, [2]], {"a": 1}]}, "l:\n- - 1\n  - - 2\n- a: 1"),
    ({"long": "word " * 30 + "end"},
     "long: " + " ".join(["word"] * 16) + "\n  " + " ".join(["word"] * 14) + " end"),
])
def test_to_yaml(value, expected):
    assert go("{{ toYaml .v }}", {"v": value}) == expected


# Checked against gopkg.in/yaml.v2 (Marshal of the JSON decoded by yaml.v2, as sigs.k8s.io/yaml does):
# libyaml's is_bom tests the first character only, so every character of such a string is escaped; U+2028
# is written raw in single quotes and the next character indented; Go's JSON leaves U+0085 raw and
# go-yaml folds it into a space; other C1 controls make go-yaml's reader fail.
@pytest.mark.parametrize("value,expected", [
    ({"bom": "\ufeffx", "ls": "a\u2028b", "nel": "a\x85b", "cr": "a\rb"},
     'bom: "\\uFEFF\\x78"\ncr: "a\\rb"\nls: \'a\u2028  b\'\nnel: a b'),
    ({"multisp": "a  b", "b60": "1:20", "dot": ".", "ddd": "...", "q3": "? x", "bs": "a\\b"},
     'b60: "1:20"\nbs: a\\b\nddd: \'...\'\ndot: .\nmultisp: a  b\nq3: \'? x\''),
])
def test_to_yaml_against_go(value, expected):
    assert go("{{ toYaml .v }}", {"v": value}) == expected


def test_to_yaml_control_characters():
    assert "error converting JSON to YAML: yaml: control characters are not allowed" in go_error(
        "{{ toYaml .v }}", {"v": {"c": "a\x80b"}})


# Argo CD utils.go fromYAML/fromYAMLArray = sigs.k8s.io/yaml Unmarshal: go-yaml v2 decodes the first
# document (resolve.go: YAML 1.1 booleans, base-0 ints, timestamps kept as text; merge keys, earlier maps of
# a merge sequence winning), convertToJSONableObject turns non-string keys into strings, JSON makes every
# number float64 and rejects infinities.
@pytest.mark.parametrize("text,expected", [
    ('a: yes\nb: 0o17\nc: 017\nd: "yes"\ne: 1_000\nf: 2024-01-02\ng: ~\nh: !!str 12\ni: [1, 2.5]',
     '{"a":true,"b":15,"c":15,"d":"yes","e":1000,"f":"2024-01-02","g":null,"h":"12","i":[1,2.5]}'),
    ("yes: 1\n1.5: x\n017: y\nn: 01.2.3", '{"1.5":"x","15":true,"false":"01.2.3","true":1}'),
    ("a: &a {k: 1, z: 1}\nb: &b {k: 2}\nm:\n  <<: [*b, *a]\n  z: 3", '{"a":{"k":1,"z":1},"b":{"k":2},'
     '"m":{"k":2,"z":3}}'),
    ("a: 1\n---\nb: [", '{"a":1}'),
])
def test_from_yaml(text, expected):
    assert go("{{ fromYaml .t | toJson }}", {"t": text}) == expected


def test_from_yaml_array_and_errors():
    assert go('{{ fromYamlArray "" | toJson }}|{{ fromYamlArray "- on\\n- 1e3" | toJson }}') == "null|[true,1000]"
    assert "error calling fromYaml: error converting YAML to JSON: json: unsupported value: +Inf" in go_error(
        '{{ fromYaml "a: .inf" }}')
    assert "error converting YAML to JSON: yaml: line 1:" in go_error('{{ fromYaml "a: [" }}')


def test_argo_function_map():
    """applicationset/utils/utils.go: Sprig's GenericFuncMap minus env/expandenv/getHostByName, plus
    normalize, slugify, toYaml, fromYaml, fromYamlArray; no tpl in v3.5.1. SanitizeName lowers rune by rune."""
    assert 'function "tpl" not defined' in go_error('{{ tpl "x" . }}')
    assert 'function "env" not defined' in go_error('{{ env "HOME" }}')
    assert go('{{ normalize "İstanbul_App..x" }}') == "istanbul-app..x"


# Checked against gopkg.in/yaml.v2 + sigs.k8s.io/yaml's convertToJSONableObject and a JSON round trip.
@pytest.mark.parametrize("text,expected", [
    ("a: 0x1F\nb: 08\nc: 1e3\nd: .5\ne: +1\nf: -0b11\ng: 1:20\nh: 2024-1-2 3:04:05\ni: 12345678901234567890",
     '{"a":31,"b":8,"c":1000,"d":0.5,"e":1,"f":-3,"g":"1:20","h":"2024-1-2 3:04:05","i":12345678901234567000}'),
    ("a: Off\nb: NULL\nd: y\ne: Y\nf: n", '{"a":false,"b":null,"d":true,"e":true,"f":false}'),
    ('a: !!float 1\nb: !!int "3"\nc: !!binary aGk=', '{"a":1,"b":3,"c":"hi"}'),
    ("0.1: a\n1e3: b\ntrue: c", '{"0.1":"a","1000":"b","true":"c"}'),
    ("m:\n  z: 3\n  <<: {z: 4, q: 1}", '{"m":{"q":1,"z":4}}'),
    ("a: 2006-01-02T15:04:05Z\nb: 2006-01-02t15:04:05+01:00",
     '{"a":"2006-01-02T15:04:05Z","b":"2006-01-02t15:04:05+01:00"}'),
])
def test_from_yaml_against_go(text, expected):
    assert go("{{ fromYaml .t | toJson }}", {"t": text}) == expected


def test_from_yaml_null_key():
    assert ('Unsupported map key of type: %!s(<nil>), key: <nil>, value: "d"'
            in go_error("{{ fromYaml .t }}", {"t": "~: d"}))


# Checked against Go's regexp: ASCII \b, `{` that is no repeat spec is literal, repeat counts up to 1000,
# and the parse errors name the offending fragment.
@pytest.mark.parametrize("text,expected", [
    ('{{ regexReplaceAll "\\\\bfoo\\\\b" "a foo éfoo" "X" }}', "a X éX"),
    ('{{ regexFindAll "a{,2}" "a{,2}" -1 | toJson }}|{{ regexFind "a{2,}" "aaaa a" }}', '["a{,2}"]|aaaa'),
    ('{{ regexReplaceAll "(a|ab)(c|bcd)(d*)" "abcd" "$3" }}', ""),
    ('{{ regexSplit "ab|" "xab" -1 | toJson }}', '["x",""]'),
])
def test_re2_against_go(text, expected):
    assert go(text) == expected


@pytest.mark.parametrize("pattern,message", [
    ("a**", "invalid nested repetition operator: `**`"),
    ("x{1001}", "invalid repeat count: `{1001}`"),
    ("*a", "missing argument to repetition operator: `*`"),
    ("a|*", "missing argument to repetition operator: `*`"),
    ("[z-a]", "invalid character class range: `z-a`"),
])
def test_re2_error_fragments(pattern, message):
    assert "error parsing regexp: " + message in go_error(f'{{{{ mustRegexMatch "{pattern}" "a" }}}}')


# Sprig v3.3.0 date.go `duration`: int64 or decimal string seconds, anything else 0, times time.Second
# in int64 (wrapping), printed by time.Duration.String. Expected texts are Go 1.23's output for the same
# templates and data (int64 data: Go's json-free int64 values).
@pytest.mark.parametrize("text,expected", [
    ("{{ duration 5 }}", "0s"),  # a template literal is a Go int, not int64
    ('{{ duration "5" }}', "5s"),
    ("{{ duration .i }}", "25h1m1s"),
    ("{{ duration .neg }}", "-1s"),
    ("{{ duration .big }}", "-1s"),  # MaxInt64 * 1e9 wraps
    ('{{ duration "99999999999999999999" }}', "-1s"),  # ParseInt clamps to MaxInt64
    ('{{ duration "x" }}', "0s"),
    ('{{ duration "3600" }}', "1h0m0s"),
    ('{{ duration "-61" }}', "-1m1s"),
    ('{{ duration "60" }}', "1m0s"),
    ('{{ duration "+7" }}', "7s"),
])
def test_duration_prints_as_go(text, expected):
    from hubctl.engines.appset.gotmpl.values import Int64

    assert go(text, {"i": Int64(90061), "neg": Int64(-1), "big": Int64(9223372036854775807)}) == expected


def test_sub_second_durations_print_like_go():
    from hubctl.engines.appset.sprig.durations import duration_string

    # time/time_test.go durationTests
    assert [duration_string(d) for d in (0, 1, 1100, 2_200_000, 3_300_000_000, 4 * 60_000_000_000 + 5_000_000_000,
                                         -(1 << 63))] == ["0s", "1ns", "1.1µs", "2.2ms", "3.3s", "4m5s",
                                                          "-2562047h47m16.854775808s"]


def test_a_semver_version_marshals_to_its_string():
    assert go('{{ semver "1.2" | toJson }}') == '"1.2.0"'
    assert go('{{ semver "v1.2.3-rc.1+b5" | toJson }}') == '"1.2.3-rc.1+b5"'
