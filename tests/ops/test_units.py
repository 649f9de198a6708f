"""The pure parts: credential references, param scalars, the line patch."""

from __future__ import annotations

import pytest

from hubctl.base.errors import UsageError
from hubctl.usecases.ops.credentials import parse_credentials
from hubctl.usecases.ops.flows import parse_params, scalar
from hubctl.usecases.ops.yamledit import YamlFile, guess_indent, patch_lines


@pytest.mark.parametrize("ref, expected", [
    ("aws-role:arn:aws:iam::123456789012:role/argocd",
     {"awsRole": {"roleARN": "arn:aws:iam::123456789012:role/argocd"}}),
    ("external-secret:vault/clusters/a#config", {"externalSecret": {"store": "vault", "key": "clusters/a",
                                                                     "property": "config"}}),
    ("secret-store:vault/clusters/a", {"externalSecret": {"store": "vault", "storeKind": "SecretStore",
                                                          "key": "clusters/a"}}),
    ("exec:argocd-k8s-auth azure --tenant 'a b'", {"exec": {"command": "argocd-k8s-auth",
                                                            "args": ["azure", "--tenant", "a b"]}}),
    ("exec:argocd-k8s-auth", {"exec": {"command": "argocd-k8s-auth"}}),
])
def test_credentials_references(ref, expected):
    assert parse_credentials(ref) == expected


@pytest.mark.parametrize("ref", ["token:abc", "external-secret:vault", "exec:", "aws-role:", "plain"])
def test_bad_credentials_references(ref):
    with pytest.raises(UsageError):
        parse_credentials(ref)


@pytest.mark.parametrize("raw, value", [
    ("3", 3), ("-2", -2), ("1.5", 1.5), ("true", True), ("false", False), ("null", None),
    ("1.10", "1.10"), ("0755", "0755"), ("1e3", "1e3"), ("yes", "yes"), ("on", "on"), ("inf", "inf"),
    ("1_000", "1_000"), ("", ""), ("ghcr.io/x:1.0", "ghcr.io/x:1.0"), (" 3", " 3"),
])
def test_param_scalars(raw, value):
    assert scalar(raw) == value and type(scalar(raw)) is type(value)


def test_params_follow_the_schema_and_nest():
    schema = {"properties": {"port": {"type": "string"}, "ingress": {"properties": {"port": {"type": "integer"}}}}}
    assert parse_params(["port=8080", "ingress.port=80", "ingress.host=a.example.com", "replicas=2"], schema) == {
        "port": "8080", "ingress": {"port": 80, "host": "a.example.com"}, "replicas": 2}
    with pytest.raises(UsageError):
        parse_params(["a=1", "a.b=2"])
    with pytest.raises(UsageError):
        parse_params(["novalue"])


def test_guess_indent():
    assert guess_indent("a:\n  b:\n  - x\n") == (2, 2, 0)
    assert guess_indent("a:\n    b:\n      - x\n") == (4, 4, 2)
    assert guess_indent("a: 1\n") == (2, 2, 0)


def test_patch_keeps_lines_ruamel_would_rewrite():
    # ruamel re-spaces the flow mapping on the first line; only the edited line may change.
    original = "a: {x: 1,   y: 2}\nb: old   # note\nc: [1,2]\n"
    yaml_file = YamlFile("f.yaml", original)
    yaml_file.docs[0]["b"] = "new"
    assert yaml_file.result() == "a: {x: 1,   y: 2}\nb: new   # note\nc: [1,2]\n"


def test_patch_falls_back_when_the_change_is_in_a_rewritten_region():
    assert patch_lines("A\nb\n", "a\nb\n", "z\nb\n") == "z\nb\n"
    assert patch_lines("A\nb\nc\n", "a\nb\nc\n", "a\nb\nx\nc\n") == "A\nb\nx\nc\n"
