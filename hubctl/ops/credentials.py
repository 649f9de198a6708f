"""`--credentials REF`: a cluster's credentials, always by reference, in one short string.

    aws-role:ROLE_ARN                   IAM role the hub assumes (EKS; awsAuthConfig)
    external-secret:STORE/KEY[#PROP]    External Secrets Operator, ClusterSecretStore STORE, remote KEY
    secret-store:STORE/KEY[#PROP]       the same with a namespaced SecretStore
    exec:COMMAND [ARG ...]              an exec credential plugin (argocd-k8s-auth azure, ...)
"""

from __future__ import annotations

import shlex

from hubctl.errors import UsageError

SYNTAX = "aws-role:ARN | external-secret:STORE/KEY[#PROPERTY] | secret-store:STORE/KEY[#PROPERTY] | exec:COMMAND [ARGS]"


def parse_credentials(ref: str) -> dict:
    """The spec.credentials mapping for `ref`.

    Raises:
        UsageError: when `ref` does not follow the syntax.
    """
    scheme, _, rest = ref.partition(":")
    if scheme == "aws-role" and rest:
        return {"awsRole": {"roleARN": rest}}
    if scheme in ("external-secret", "secret-store") and rest:
        return {"externalSecret": _external_secret(ref, rest, scheme == "secret-store")}
    if scheme == "exec" and rest.strip():
        try:
            words = shlex.split(rest)
        except ValueError as exc:
            raise UsageError(f"--credentials `{ref}`: {exc}", hint=f"use {SYNTAX}") from None
        return {"exec": {"command": words[0], **({"args": words[1:]} if words[1:] else {})}}
    raise UsageError(f"--credentials `{ref}` is not a credentials reference",
                     hint=f"use {SYNTAX} (never a token or password)")


def _external_secret(ref: str, rest: str, namespaced: bool) -> dict:
    path, _, prop = rest.partition("#")
    store, _, key = path.partition("/")
    if not store or not key:
        raise UsageError(f"--credentials `{ref}` needs a store and a key",
                         hint="e.g. external-secret:vault/clusters/prod-eu-3")
    out = {"store": store}
    if namespaced:
        out["storeKind"] = "SecretStore"
    out["key"] = key
    if prop:
        out["property"] = prop
    return out
