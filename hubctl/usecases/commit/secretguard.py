"""The last check before a render is committed: no rendered document may carry a credential.

Specs and blueprint files were scanned when they were loaded; this scans what they became, so that no
path from a spec to Git (a template that assembles a value, a `kind: List` wrapping a Secret) skips it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re

from hubctl.base.secretscan import find_secret

_FORMAT = 1
_SECRET_KIND = re.compile(rb"""^[ \t]*(?:-[ \t]+)?kind:[ \t]*["']?Secret["']?[ \t]*\r?$""", re.M)
_SECRET_MARKS = (b"\nkind: Secret\n", b"\nkind: Secret\r\n")  # our emitter starts every document with a line


def _objects(data):
    """A rendered document and, for a `kind: List` (at any depth), each of its items."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            if node.get("kind") == "List" and isinstance(node.get("items"), list):
                stack.extend(node["items"])


def _holds_secret(rel: str, data: bytes) -> bool:
    from hubctl.engines.yaml.yamlload import load_documents

    docs, _ = load_documents(rel, data)
    return any(obj.get("kind") == "Secret" and holds_secret_material(obj)
               for doc in docs for obj in _objects(doc.data))


def secret_files(files, recipes: dict[str, str] | None = None) -> list[str]:
    """Rendered files holding a Secret with inline material (alone or inside a List) or any text shaped
    like a credential.

    A file is known by its recipe when it was stamped from a shared text (one scan for every cluster), else
    by its SHA-256; the keys found clean are cached, so a commit after a small change scans only what
    changed.
    """
    from hubctl.base import cachefile

    path = cachefile.cache_path("secretscan", "clean")
    known = cachefile.load(path, _FORMAT) or set()
    clean, bad = set(), []
    for rel in files:
        key = (recipes or {}).get(rel, "").partition("/")[0]
        if key and (key in clean or key in known):
            clean.add(key)
            continue
        data = files[rel]
        key = key or hashlib.sha256(data).hexdigest()
        if key in clean or key in known:
            clean.add(key)
        elif _holds_credential(rel, data):
            bad.append(rel)
        else:
            clean.add(key)
    if clean != known:
        cachefile.save(path, _FORMAT, clean)
    return bad


def _holds_credential(rel: str, data: bytes) -> bool:
    return bool((_SECRET_KIND.search(data) and _holds_secret(rel, data))
                or find_secret(data.decode("utf-8", errors="replace"), assignments=False))


def credential_files(files) -> list[str]:
    """secret_files without its cache, for a few files outside the render (the spec files a commit stages):
    the cache holds what the last render scan found clean, and a smaller scan must not replace it."""
    return [rel for rel, data in files.items() if _holds_credential(rel, data)]


_REGISTRATION_KEYS = {"name", "server", "config", "namespaces", "clusterResources", "project", "shard"}
_CONFIG_KEYS = {"awsAuthConfig", "execProviderConfig", "tlsClientConfig", "proxyUrl", "disableCompression"}
_TLS_KEYS = {"insecure", "caData", "serverName"}


def _secret_payload(body: dict) -> dict[str, str] | None:
    """The Secret's values (data decoded from base64), or None when data is not readable as text."""
    values: dict[str, str] = {}
    for key, value in (body.get("data") or {}).items():
        try:
            values[key] = base64.b64decode(str(value or ""), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
    values.update({k: "" if v is None else str(v) for k, v in (body.get("stringData") or {}).items()})
    return values


def holds_secret_material(body: dict) -> bool:
    """True unless the Secret is an Argo CD cluster registration whose config names an identity only."""
    payload = _secret_payload(body)
    if payload is None or set(payload) - _REGISTRATION_KEYS:
        return True
    if "config" not in payload:
        return False
    try:
        config = json.loads(payload["config"])
    except ValueError:
        return True
    return (not isinstance(config, dict) or bool(set(config) - _CONFIG_KEYS)
            or bool(set(config.get("tlsClientConfig") or {}) - _TLS_KEYS))


def inline_secret_files(files: dict[str, bytes]) -> list[str]:
    """Rendered files holding a Secret with inline secret material (never allowed into Git)."""
    from hubctl.engines.yaml.yamlload import load_documents

    bad = []
    for rel, data in files.items():
        if not (data.startswith(b"kind: Secret") or any(mark in data for mark in _SECRET_MARKS)):
            continue
        docs, _ = load_documents(rel, data)
        if any(isinstance(d.data, dict) and d.data.get("kind") == "Secret" and holds_secret_material(d.data)
               for d in docs):
            bad.append(rel)
    return bad
