"""A curated corpus for the Go oracle: the situations Argo CD's own tests exercise (applicationset/utils
unit tests of Render.Replace, slugify and normalize; the ApplicationSet e2e templates over list, cluster, git
and matrix parameters), restated here with our own data, plus the examples issue 14 names for each known
mismatch class. Every entry is only a template, parameters and options: the expected answer is whatever real
Go says, never written down here.
"""

from __future__ import annotations

from tests.oracle.driver import Case

E = ("missingkey=error",)
IMAGE = {"replicas": 4, "image": {"name": "nginx", "tag": "1.27"},
         "scaling": {"on": True, "min": 2, "max": 9}, "disks": [{"name": "data", "size": "1Gi"},
                                                                 {"name": "logs", "size": "2Gi"}]}
CLUSTER = {"name": "prod-eu-1", "nameNormalized": "prod-eu-1", "server": "https://10.0.0.1:6443",
           "metadata": {"labels": {"env": "prod", "region": "eu", "argocd.argoproj.io/secret-type": "cluster"},
                        "annotations": {"team": "payments"}}}
GIT = {"path": {"path": "apps/web-shop", "basename": "web-shop", "basenameNormalized": "web-shop",
                "segments": ["apps", "web-shop"], "filename": "config.json", "filenameNormalized": "config.json"},
       "values": {"replicas": "2"}, "app": {"chart": "web", "version": "0.3.1"}}

# (template, params, options, class)
ENTRIES = [
    # Render.Replace unit-test situations
    ("{{ .who }}", {"who": "ops"}, (), "corpus:substitution"),
    ("{{.who}}{{.who}}", {"who": "ops"}, (), "corpus:substitution"),
    ("{{.a}} {{.b}}", {"a": '"quoted" text', "b": "plain"}, (), "corpus:substitution"),
    ("{{ .who }}", {"who": "{{ .who }}"}, (), "corpus:substitution"),
    ("{{ .image.name }}:{{ .image.tag }}", IMAGE, (), "corpus:depth"),
    ("{{ if .scaling.on }}{{ .scaling.max }}{{ else }}{{ .replicas }}{{ end }}", IMAGE, (), "corpus:if"),
    ("{{ if not .scaling.on }}{{ .scaling.max }}{{ else }}{{ .replicas }}{{ end }}", IMAGE, (), "corpus:if"),
    ("{{ range .disks }}<{{ .name }}={{ .size }}>{{ end }}", IMAGE, (), "corpus:range"),
    ('{{ index .keys "with-dash" }}/{{ index .keys "other-key" }}',
     {"keys": {"with-dash": 'back\\slash "q"', "other-key": "v"}}, (), "corpus:index"),
    ("{{.q}}", {"q": '"'}, (), "corpus:substitution"),
    ("{{.absent}}", {}, (), "corpus:missing"),
    ("[{{.absent}}]", {"unused": "x"}, (), "corpus:missing"),
    ("[{{.absent}}]", {"unused": "x"}, E, "corpus:missing"),
    ("[{{.absent}}]", {"unused": "x"}, ("missingkey=zero",), "corpus:missing"),
    ("{{nosuchfunction}}", {"a": "b"}, (), "corpus:parse-error"),
    ("{{ env \"HOME\" }}", {"a": "b"}, (), "corpus:parse-error"),
    ("{{ expandenv \"$HOME\" }}", {"a": "b"}, (), "corpus:parse-error"),
    ("{{ getHostByName \"localhost\" }}", {"a": "b"}, (), "corpus:parse-error"),
    ("{{ tpl \"{{ .a }}\" . }}", {"a": "b"}, (), "corpus:parse-error"),
    ("{{.text.field}}", {"text": "a string"}, (), "corpus:exec-error"),
    ("{{ toYaml . | indent 2 }}", {"top": {"inner": {"yes": True, "count": 3, "label": "Hi there"}}}, (),
     "corpus:toYaml"),
    ("{{ toYaml .list }}", {"list": ["a", 1, 2.5, None, {"k": "v"}, []]}, (), "corpus:toYaml"),
    ("{{ toYaml .s }}", {"s": "yes"}, (), "corpus:toYaml"),
    ("{{ toYaml .s }}", {"s": "0o17"}, (), "corpus:toYaml"),
    ("{{ toYaml .s }}", {"s": "01.2.3"}, (), "corpus:toYaml"),
    ("{{ toYaml .s }}", {"s": "multi\nline\n"}, (), "corpus:toYaml"),
    ('{{ get (fromYaml .doc) "greeting" }}', {"doc": "greeting: hello"}, (), "corpus:fromYaml"),
    ('{{ get (fromYaml .doc) "greeting" }}', {"doc": "not\n valid\n mapping"}, (), "corpus:fromYaml"),
    ("{{ fromYaml .doc | toJson }}", {"doc": "on: yes\noff: no\nn: 012\nf: 1e3\nd: 2024-01-02"}, (),
     "corpus:fromYaml"),
    ("{{ fromYaml .doc | toJson }}", {"doc": "a: [1, 2\n"}, (), "corpus:fromYaml"),
    ("{{ fromYaml .doc | toJson }}", {"doc": "1: one\n2.5: two\ntrue: three"}, (), "corpus:fromYaml"),
    ("{{ fromYamlArray .doc | last }}", {"doc": "- first item\n- second item"}, (), "corpus:fromYamlArray"),
    ("{{ fromYamlArray .doc | last }}", {"doc": "not\n valid\n list"}, (), "corpus:fromYamlArray"),
    ("{{ fromYamlArray .doc | toJson }}", {"doc": "[]"}, (), "corpus:fromYamlArray"),
    ("{{ fromYamlArray .doc | toJson }}", {"doc": ""}, (), "corpus:fromYamlArray"),
    # normalize and slugify (Argo CD's SanitizeName and SlugifyName tests)
    ("{{ normalize .n }}", {"n": "Project_Alpha.Beta--Gamma"}, (), "corpus:normalize"),
    ("{{ normalize .n }}", {"n": "--Leading.and.trailing.--"}, (), "corpus:normalize"),
    ("{{ normalize .n }}", {"n": "x" * 300}, (), "corpus:normalize"),
    ("{{ slugify .n }}", {"n": "Hello, World! Nice to see you"}, (), "corpus:slugify"),
    ("{{ slugify 20 .n }}", {"n": "a very long name that needs cutting somewhere"}, (), "corpus:slugify"),
    ("{{ slugify 20 false .n }}", {"n": "a very long name that needs cutting somewhere"}, (), "corpus:slugify"),
    ("{{ slugify 10 true .n }}", {"n": "abcdefghijklmnop-qr"}, (), "corpus:slugify"),
    ("{{ slugify 12 true .n }}", {"n": "team-a-service-b-c"}, (), "corpus:slugify"),
    ("{{ slugify 7 true .n }}", {"n": "abc-def-ghi"}, (), "corpus:slugify"),
    ("{{ slugify 8 true .n }}", {"n": "abc-def-ghi"}, (), "corpus:slugify"),
    ("{{ slugify .n }}", {"n": "Ünïcödé Nâme & more"}, (), "corpus:slugify"),
    ('{{ slugify "20" .n }}', {"n": "x"}, (), "corpus:slugify"),
    # e2e-style templates over generator parameters
    ("{{.name}}-guestbook", CLUSTER, E, "corpus:cluster"),
    ("{{ .metadata.labels.env }}-{{ .nameNormalized }}", CLUSTER, E, "corpus:cluster"),
    ('{{ index .metadata.labels "argocd.argoproj.io/secret-type" }}', CLUSTER, E, "corpus:cluster"),
    ('{{ index .metadata.labels "absent" }}', CLUSTER, E, "corpus:cluster"),
    ('{{ index .metadata.annotations "team" | default "none" }}', CLUSTER, E, "corpus:cluster"),
    ("{{ .metadata.labels.absent }}", CLUSTER, E, "corpus:cluster"),
    ("{{ .path.basename }}", GIT, E, "corpus:git"),
    ("{{ index .path.segments 1 }}", GIT, E, "corpus:git"),
    ("{{ index .path.segments 5 }}", GIT, E, "corpus:git"),
    ("{{ .path.path }}/{{ .path.filename }}", GIT, E, "corpus:git"),
    ("{{ .app.chart }}-{{ .app.version | replace \".\" \"-\" }}", GIT, E, "corpus:git"),
    ("{{ .values.replicas | int | add 1 }}", GIT, E, "corpus:git"),
    ("{{ if eq .metadata.labels.env \"prod\" }}main{{ else }}HEAD{{ end }}", CLUSTER, E, "corpus:matrix"),
    ("{{ .name }}-{{ .path.basename }}", {**CLUSTER, **GIT}, E, "corpus:matrix"),
    ("{{- range $k, $v := .metadata.labels }}{{ $k }}={{ $v }};{{ end -}}", CLUSTER, E, "corpus:range"),
    ("{{ dig \"metadata\" \"labels\" \"env\" \"none\" . }}", CLUSTER, E, "corpus:dig"),
    ("{{ .replicas | printf \"%v\" }} {{ .replicas | printf \"%d\" }}", IMAGE, (), "corpus:printf"),
    ("{{ .replicas | int }} {{ .replicas | toString }} {{ .replicas }}", IMAGE, (), "corpus:numbers"),
    # issue 14's examples, one per known mismatch class
    ("{{ .missing | toJson }}", {}, (), "issue:nil-arg"),
    ("{{ .missing | toYaml }}", {}, (), "issue:nil-arg"),
    ("{{ .missing | toString }}", {}, (), "issue:nil-arg"),
    ("{{ .missing | empty }}", {}, (), "issue:nil-arg"),
    ("{{ .missing | int }}", {}, (), "issue:nil-arg"),
    ("{{ .missing | b64enc }}", {}, (), "issue:nil-arg"),
    ('{{ eq .x "a" }}', {"x": None}, (), "issue:nil-arg"),
    ('{{ printf "%5.2f|" (list 1.0 2.5) }}', {}, (), "issue:printf"),
    ('{{ printf "%[2]s %[1]s" "a" "b" }}', {}, (), "issue:printf"),
    ('{{ printf "%*d|" 5 42 }}', {}, (), "issue:printf"),
    ('{{ printf "%*d|" "x" 42 }}', {}, (), "issue:printf"),
    ('{{ printf "%!" }}', {}, (), "issue:printf"),
    ('{{ printf "%x %b" 2.5 2.5 }}', {}, (), "issue:printf"),
    ('{{ printf "%#v" .m }}', {"m": {"a": [1, "b"]}}, (), "issue:printf"),
    ('{{ semver "1.2.3-beta.1" }}', {}, (), "issue:semver"),
    ('{{ (semver "1.2.3").Major }}', {}, (), "issue:semver"),
    ('{{ semverCompare ">=1.2.0" "1.3.0" }}', {}, (), "issue:semver"),
    ('{{ semverCompare "^1.0" "2.0.0" }}', {}, (), "issue:semver"),
    ('{{ snakecase "http2xx" }}', {}, (), "issue:xstrings"),
    ('{{ kebabcase "Duration2m3s" }}', {}, (), "issue:xstrings"),
    ('{{ camelcase "some words" }}', {}, (), "issue:xstrings"),
    ("{{ rest (list) }}", {}, (), "issue:empty-list"),
    ('{{ regexFindAll "z" "abc" -1 }}', {}, (), "issue:empty-list"),
    ("{{ merge .a .b | toJson }}", {"a": {"x": None}, "b": {"x": 1, "y": None}}, (), "issue:merge"),
    ('{{ ext "dir/.hidden" }}', {}, (), "issue:path"),
    ('{{ indent -2 "a" }}', {}, (), "issue:negative-count"),
    ('{{ nindent -1 "a" }}', {}, (), "issue:negative-count"),
    ('{{ repeat -1 "a" }}', {}, (), "issue:negative-count"),
    ("{{ int 1e21 }}", {}, (), "issue:int-overflow"),
    ('{{ wrapWith 5 "\\n" "averyveryverylongword and more" }}', {}, (), "issue:wrapWith"),
    ('{{ regexMatch "[" "a" }}', {}, (), "issue:regex"),
    ('{{ regexFind "\\\\pL+" "héllo 123" }}', {}, (), "issue:regex"),
    ('{{ define "base" }}x{{ end }}y', {}, (), "issue:define-base"),
    ("{{ keys .m | sortAlpha }} {{ values .m | sortAlpha }}", {"m": {"b": "2", "a": "1"}}, (), "issue:keys"),
]


def corpus(first_id: int = 1_000_000) -> list[Case]:
    """The curated cases, numbered from `first_id` (apart from the generated ones)."""
    return [Case(first_id + i, text, params, options, cls)
            for i, (text, params, options, cls) in enumerate(ENTRIES)]
