"""Argo CD cluster Secrets as the cluster generator sees them, and registrations that produce them."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from hubctl.base.constants import ARGO_SECRET_TYPE_LABEL
from hubctl.base.errors import AppSetError
from hubctl.engines.appset.gotmpl.values import StrMap

EXTERNAL_SECRET_API_PREFIX = "external-secrets.io/"


@dataclass(frozen=True, slots=True)
class ClusterSecret:
    """The parts of a cluster Secret the generator reads."""

    secret_name: str
    name: str
    server: str
    project: str | None
    labels: StrMap
    annotations: StrMap


def decode_secret(doc: dict) -> ClusterSecret:
    """Read a Secret dict: `data` is base64, `stringData` wins over it as the API server merges them.

    Raises:
        AppSetError: a data value that is not base64.
    """
    meta = doc.get("metadata") or {}
    values: dict[str, str] = {}
    for key, value in (doc.get("data") or {}).items():
        try:
            values[key] = base64.b64decode(str(value or ""), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise AppSetError(f"Secret {meta.get('name', '?')}: data.{key} is not valid base64",
                              hint="use stringData for plain values") from None
    for key, value in (doc.get("stringData") or {}).items():
        values[key] = "" if value is None else str(value)
    return ClusterSecret(
        secret_name=str(meta.get("name", "")),
        name=values.get("name", ""),
        server=values.get("server", ""),
        project=values.get("project"),
        labels=StrMap({str(k): "" if v is None else str(v) for k, v in (meta.get("labels") or {}).items()}),
        annotations=StrMap({str(k): "" if v is None else str(v)
                            for k, v in (meta.get("annotations") or {}).items()}),
    )


def is_cluster_secret(doc: dict) -> bool:
    labels = (doc.get("metadata") or {}).get("labels") or {}
    return doc.get("kind") == "Secret" and labels.get(ARGO_SECRET_TYPE_LABEL) == "cluster"


def secret_from_registration(doc: dict) -> dict | None:
    """The cluster Secret a rendered cluster registration stands for, or None if `doc` is not one.

    A registration is either a Secret labelled argocd.argoproj.io/secret-type=cluster, or an External
    Secrets Operator ExternalSecret whose spec.target.template (metadata.labels/annotations and data)
    describes such a Secret; its templated data values are taken as literal strings (credentials such as
    `config` are left out: the generator never reads them).
    """
    if not isinstance(doc, dict):
        return None
    if doc.get("kind") == "Secret":
        return doc if is_cluster_secret(doc) else None
    if doc.get("kind") != "ExternalSecret" or not str(doc.get("apiVersion", "")).startswith(
            EXTERNAL_SECRET_API_PREFIX):
        return None
    spec = doc.get("spec") or {}
    target = spec.get("target") or {}
    template = target.get("template") or {}
    tmeta = template.get("metadata") or {}
    labels = dict(tmeta.get("labels") or {})
    if labels.get(ARGO_SECRET_TYPE_LABEL) != "cluster":
        return None
    meta = doc.get("metadata") or {}
    string_data = {k: str(v) for k, v in (template.get("data") or {}).items()
                   if k in ("name", "server", "project", "namespaces", "clusterResources", "shard")}
    secret_meta = {"name": target.get("name") or meta.get("name", ""), "labels": labels}
    if meta.get("namespace"):
        secret_meta["namespace"] = meta["namespace"]
    if tmeta.get("annotations"):
        secret_meta["annotations"] = dict(tmeta["annotations"])
    return {"apiVersion": "v1", "kind": "Secret", "metadata": secret_meta, "type": "Opaque",
            "stringData": string_data}


def load_cluster_secrets(docs) -> list[ClusterSecret]:
    """Decode every cluster Secret among `docs` (Secrets or registrations); others are ignored."""
    out: list[ClusterSecret] = []
    for doc in docs or ():
        secret = secret_from_registration(doc) if isinstance(doc, dict) and doc.get("kind") else doc
        if isinstance(secret, dict) and secret.get("kind") == "Secret":
            out.append(decode_secret(secret))
        elif isinstance(doc, dict) and not doc.get("kind") and ("data" in doc or "stringData" in doc):
            out.append(decode_secret(doc))
    return out
