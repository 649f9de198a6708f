"""Known credentials, removed from every message hubctl prints (docs/security.md).

Whatever reads a credential (a hub token, a git token, an ssh passphrase) registers it here the moment it
is read; console.py passes every line it prints through `redact`, and the CLI's error boundary does the
same for tracebacks. Passwords in URLs (`scheme://user:password@host`) are removed whether registered or
not.
"""

from __future__ import annotations

import re

REDACTED = "[REDACTED]"
_MIN_LENGTH = 4  # shorter values would blank out ordinary words; no real credential is this short
_secrets: set[str] = set()
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\s:]*):[^/@\s]*@")


def register(secret: str | None) -> None:
    """Remember `secret` (and each of its lines) so that no later message shows it."""
    if not secret:
        return
    for part in {secret, secret.strip(), *secret.splitlines()}:
        part = part.strip()
        if len(part) >= _MIN_LENGTH:
            _secrets.add(part)


def redact(text: str) -> str:
    """`text` with every registered secret and every URL password replaced by [REDACTED]."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}:{REDACTED}@", text)
