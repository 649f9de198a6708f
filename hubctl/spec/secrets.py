"""Find inline credentials in specs, blueprint files and rendered documents. Messages never echo the value.

What counts as a credential is decided by hubctl.base.secretscan; this module walks the YAML structure, so a
key's name (or an env entry's `name`) says what its value is, list items are read together (a PEM header
split over two items), and `Cluster.spec.tls.caData` must hold certificates only.
"""

from __future__ import annotations

import base64
import binascii
import re

from hubctl.base.problems import Problem
from hubctl.base.secretscan import credential_key, find_secret, literal_credential, literal_number
from hubctl.engines.yaml.yamlload import Document, load_documents

HINT = ("keep credentials out of Git: reference them (a secretKeyRef / secretRef to a Secret made by an "
        "ExternalSecret; for clusters externalSecret, awsRole, exec), then rotate this credential")
_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]{1,65536}-----END CERTIFICATE-----")
_CA_DATA = ("spec", "tls", "caData")


def _named(mapping: dict):
    """The credential-like name of an entry such as `{name: DB_PASSWORD, value: ...}`, else None."""
    for label in ("name", "key"):
        name = mapping.get(label)
        value = mapping.get("value")
        if isinstance(name, str) and (isinstance(value, str) or literal_number(value)) and credential_key(name):
            return name
    return None


def _walk(value, path):
    """(path, key, value) of every node below `value`; an entry's `value` is keyed by its `name`. Each
    list of several strings comes last, once more as one text (a PEM block split over list items)."""
    stack, lists = [(value, path)], []
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            named = _named(node)
            for key, item in node.items():
                yield where + (key,), (named if named and key == "value" else key), item
                stack.append((item, where + (key,)))
        elif isinstance(node, list):
            texts = [item for item in node if isinstance(item, str)]
            if len(texts) > 1:
                lists.append((where, None, "\n".join(texts)))
            for i, item in enumerate(node):
                yield where + (i,), None, item
                stack.append((item, where + (i,)))
    yield from lists


def value_findings(data) -> list[tuple[tuple, str]]:
    """(key path, message) of every inline credential in a parsed YAML document (a spec, a template or a
    rendered manifest); one per path, a list's joined items only when no item was flagged."""
    found: dict[tuple, str] = {}
    for path, key, value in _walk(data, ()):
        if any(p[:len(path)] == path for p in found):
            continue
        if literal_number(value) and key is not None and not isinstance(key, int) and credential_key(key):
            found[path] = f"`{key}` holds what looks like an inline credential (value hidden)"
            continue
        if not isinstance(value, str):
            continue
        if key is not None and not isinstance(key, int) and credential_key(key) and literal_credential(value, key):
            found[path] = (f"`{key}` gets a credential interpolated into Git (value hidden)" if "${{" in value
                           else f"`{key}` holds what looks like an inline credential (value hidden)")
            continue
        what = find_secret(value)
        if what:
            found[path] = f"this value looks like {what} (value hidden)"
    return sorted(found.items(), key=lambda item: [str(p) for p in item[0]])


def ca_data_problem(data) -> str | None:
    """What is wrong with a Cluster's caData (it lands in the hub's cluster registration Secret, so it may
    hold public certificates only), or None."""
    value = (((data.get("spec") or {}).get("tls") or {}) if isinstance(data, dict) else {}).get("caData")
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        text = base64.b64decode("".join(value.split()), validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return "caData must be base64 of PEM certificates, and it is not"
    rest, count = _CERTIFICATE.subn("", text)
    if count == 0 or rest.strip():
        return "caData must hold only PEM CERTIFICATE blocks (base64), and it holds something else"
    return None


def inline_credentials(doc: Document) -> list[Problem]:
    """Problems for keys named like credentials with a literal value, and values shaped like secrets."""
    out = [doc.problem(path, message, HINT, "inline-secret") for path, message in value_findings(doc.data)]
    if isinstance(doc.data, dict) and doc.data.get("kind") == "Cluster" and not out:
        wrong = ca_data_problem(doc.data)
        if wrong:
            out.append(doc.problem(_CA_DATA, f"{wrong} (value hidden)",
                                   "set caData to the base64 of the API server's CA certificate(s) only",
                                   "inline-secret"))
    return out


def file_credentials(rel: str, raw: bytes) -> list[Problem]:
    """Problems for inline credentials in any file of a blueprint (templates, schemas, notes): read as YAML
    documents (JSON and most plain text are YAML too); what does not parse, line by line."""
    docs, errors = load_documents(rel, raw)
    if not errors:
        return [p for doc in docs for p in inline_credentials(doc)]
    text = raw.decode("utf-8", errors="replace")
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        what = find_secret(line)
        if what:
            out.append(Problem(rel, number, 1, "", f"this line looks like it holds {what} (value hidden)",
                               HINT, "inline-secret"))
    if not out and find_secret(text):  # a block split over lines
        out.append(Problem(rel, 1, 1, "", f"this file looks like it holds {find_secret(text)} (value hidden)",
                           HINT, "inline-secret"))
    return out


def blueprint_credentials(source, rel_dir: str, spec_file: str) -> list[Problem]:
    """Problems for inline credentials in every file of a blueprint directory but its spec (checked as a
    spec): templates, schemas, notes. Files that escape the repository are reported elsewhere; a FIFO or a
    device is never read."""
    from hubctl.spec.sources import DirectorySource

    out = []
    for rel in sorted(r for r in source.list() if r.startswith(f"{rel_dir}/") and r != spec_file):
        if source.escape(rel) or (isinstance(source, DirectorySource) and not (source.root / rel).is_file()):
            continue
        out.extend(file_credentials(rel, source.read(rel)))
    return out
