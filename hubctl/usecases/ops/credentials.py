"""`--credentials REF`: a cluster's credentials, always by reference, in one short string.

    aws-role:ROLE_ARN                   IAM role the hub assumes (EKS; awsAuthConfig)
    external-secret:STORE/KEY[#PROP]    External Secrets Operator, ClusterSecretStore STORE, remote KEY
    secret-store:STORE/KEY[#PROP]       the same with a namespaced SecretStore
    exec:COMMAND [ARG ...]              an exec credential plugin (argocd-k8s-auth azure, ...)
"""

from __future__ import annotations

import shlex

from hubctl.base.errors import UsageError

SCHEMES = ("aws-role", "external-secret", "secret-store", "exec")
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
        return {"externalSecret": _external_secret(rest, scheme == "secret-store")}
    if scheme == "exec" and rest.strip():
        try:
            words = shlex.split(rest)
        except ValueError as exc:
            raise UsageError(f"--credentials exec: {exc}", hint=f"use {SYNTAX}") from None
        return {"exec": {"command": words[0], **({"args": words[1:]} if words[1:] else {})}}
    # never echo the value: a rejected reference is most often a pasted token or password
    what = f"`{scheme}:` needs a value" if scheme in SCHEMES else "the value is not a credentials reference"
    raise UsageError(f"--credentials: {what} (not shown, in case it is a secret)",
                     hint=f"use {SYNTAX} (never a token or password)")


def _external_secret(rest: str, namespaced: bool) -> dict:
    path, _, prop = rest.partition("#")
    store, _, key = path.partition("/")
    if not store or not key:
        raise UsageError(f"--credentials {'secret-store' if namespaced else 'external-secret'}: needs a store "
                         "and a key (STORE/KEY)",
                         hint="e.g. external-secret:vault/clusters/prod-eu-3")
    out = {"store": store}
    if namespaced:
        out["storeKind"] = "SecretStore"
    out["key"] = key
    if prop:
        out["property"] = prop
    return out
