"""Known credentials, removed from every message hubctl prints (docs/security.md).

Whatever reads a credential (a hub token, a git token, an ssh passphrase) registers it here the moment it
is read; console.py passes every line it prints through `redact`, and the CLI's error boundary does the
same for tracebacks. Passwords in URLs (`scheme://user:password@host`) are removed whether registered or
not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

REDACTED = "[REDACTED]"
_MIN_LENGTH = 4  # shorter values would blank out ordinary words; no real credential is this short
_secrets: set[str] = set()
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\s:]*):[^/@\s]*@")
# https://TOKEN@host: over HTTP a user name alone is a token (GitHub, GitLab and Azure DevOps accept one)
_HTTP_USER = re.compile(r"(?P<head>\bhttps?://)[^/@\s:\[\]]+@", re.IGNORECASE)
# An Authorization header value, also as Python shows bytes (a repr holds "\\n" for a newline)
_AUTH_HEADER = re.compile(r"\b(?P<head>(?:Bearer|Basic) )[A-Za-z0-9._~+/=:\\-]{8,}")
_WHOLE_TEXT = 64 * 1024  # longer texts are searched line by line
# The environment variables that hold credentials hubctl (or a library it drives) may read.
ENV_CREDENTIALS = ("HUBCTL_GIT_TOKEN", "HUBCTL_SSH_PASSPHRASE", "HUBCTL_ARGOCD_TOKEN", "HUBCTL_ARGOCD_PASSWORD")


def register(secret: str | None) -> None:
    """Remember `secret` (and each of its lines) so that no later message shows it."""
    if not secret:
        return
    for part in {secret, secret.strip(), *secret.splitlines()}:
        part = part.strip()
        if len(part) >= _MIN_LENGTH:
            _secrets.add(part)


def forget_all() -> None:
    """Forget every registered secret: for a long-lived process (a test run, a service calling hubctl
    as a library) whose next unit of work holds other credentials."""
    _secrets.clear()


def register_environment(env: Mapping[str, str] | None = None) -> None:
    """Register the value of every variable of ENV_CREDENTIALS set in `env` (default: os.environ)."""
    env = os.environ if env is None else env
    for name in ENV_CREDENTIALS:
        register(env.get(name))


def redact(text: str) -> str:
    """`text` with every registered secret, every URL password, every user name of an http(s) URL and
    every Bearer or Basic credential replaced by [REDACTED]."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _sub(_AUTH_HEADER, lambda m: f"{m.group('head')}{REDACTED}", text, ("Bearer ", "Basic "))
    if "://" not in text:
        return text
    text = _sub(_URL_PASSWORD, lambda m: f"{m.group('head')}:{REDACTED}@", text, ("@",))
    return _sub(_HTTP_USER, lambda m: f"{m.group('head')}{REDACTED}@", text, ("@",))


def _sub(pattern: re.Pattern, repl, text: str, needles: tuple[str, ...]) -> str:
    """pattern.sub, run only where one of `needles` occurs: on a large text (a diff of a whole render), only
    on its lines that hold one (none of the patterns spans lines; a regex pass over 20 MB takes 0.4 s)."""
    if not any(needle in text for needle in needles):
        return text
    if len(text) <= _WHOLE_TEXT:
        return pattern.sub(repl, text)
    return "".join([pattern.sub(repl, line) if any(needle in line for needle in needles) else line
                    for line in text.splitlines(keepends=True)])


def _escaped(secret: str) -> set[str]:
    """How JSON and YAML write `secret` inside a quoted string (backslash and quote escapes)."""
    json_form = secret.replace("\\", "\\\\").replace('"', '\\"')
    return {json_form, secret.replace("'", "''")} - {secret}


def needs_tree_redaction(text: str) -> bool:
    """True when `text`, a serialized document, holds a credential: as written (redact would change it)
    or escaped by the serializer (which redact cannot see). Then the document is redacted value by value
    (`redact_tree`) and serialized again, so it stays parsable and holds no credential."""
    return redact(text) != text or any(form in text for secret in _secrets for form in _escaped(secret))


def redact_tree(value):
    """`value` (dicts, lists, strings, scalars) with every string, keys included, passed through redact."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_tree(k): redact_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_tree(v) for v in value]
    return value
