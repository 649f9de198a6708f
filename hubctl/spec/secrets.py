"""Find anything that looks like an inline credential in specs. Messages never echo the value."""

from __future__ import annotations

import re

from hubctl.spec.problems import Problem
from hubctl.spec.yamlload import Document

_SECRET_KEYS = re.compile(
    r"^(secret|pass|auth|credentials?)$|(password|passwd|token|apikey|accesskey|secretkey|clientsecret|"
    r"privatekey|keydata|webhookurl)$"
)
_SECRET_VALUES = [
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), "a JSON Web Token"),
    (re.compile(r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}"), "a GitHub token"),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), "a GitLab token"),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key"),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"\bsk_live_[A-Za-z0-9]{16,}"), "a Stripe key"),
    (re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"), "a URL with a password in it"),
]
_ANY_SECRET_VALUE = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _SECRET_VALUES))
_HINT = ("keep credentials out of Git: reference them (externalSecret, awsRole, exec) or use a "
         "secret manager, then rotate this credential")


def _normal(key) -> str:
    return str(key).lower().replace("-", "").replace("_", "")


def _walk(value, path):
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), key, item
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield path + (i,), None, item
            yield from _walk(item, path + (i,))


def inline_credentials(doc: Document) -> list[Problem]:
    """Problems for keys named like credentials with a literal value, and values shaped like secrets."""
    out = []
    for path, key, value in _walk(doc.data, ()):
        if not isinstance(value, str) or not value:
            continue
        if key is not None and _SECRET_KEYS.search(_normal(key)) and "${{" not in value:
            out.append(doc.problem(path, f"`{key}` holds what looks like an inline credential (value hidden)",
                                   _HINT, "inline-secret"))
            continue
        if not _ANY_SECRET_VALUE.search(value):
            continue
        for pattern, what in _SECRET_VALUES:
            if pattern.search(value):
                out.append(doc.problem(path, f"this value looks like {what} (value hidden)", _HINT,
                                       "inline-secret"))
                break
    return out
