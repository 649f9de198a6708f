"""Reduce an Application (a dict from either API) to the few fields status needs, as early as possible.

Readers hand over one page of dicts at a time; keeping only a LiveApp per Application is what lets
`hubctl status` read 20,000 Applications in bounded memory.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hubctl.base.constants import LABEL_CLUSTER, LABEL_ENV, LABEL_FLOW, LABEL_SPACE


@dataclass(slots=True)  # not frozen: cheaper to build 20,000 of them
class LiveApp:
    """What the hub says about one Application."""

    name: str
    space: str = ""
    flow: str = ""
    cluster: str = ""
    env: str = ""
    sync: str = "Unknown"  # Synced | OutOfSync | Unknown
    health: str = "Unknown"  # Healthy | Progressing | Degraded | Suspended | Missing | Unknown
    revisions: tuple[str, ...] = ()  # status.sync.revision, or .revisions for multi-source apps
    compared: str = ""  # source_key of status.sync.comparedTo's source(s): what the sync status is about
    operation_source: str = ""  # source_key of the last operation's syncResult source(s)
    operation: str = ""  # operationState.phase: Running | Terminating | Succeeded | Failed | Error | ""
    operation_revisions: tuple[str, ...] = ()
    operation_message: str = ""
    started_at: str = ""
    finished_at: str = ""
    errors: tuple[str, ...] = ()  # "*Error" conditions as "Type: message"
    created_at: str = ""
    deleting: str = ""  # metadata.deletionTimestamp: a deletion is under way (finalizers still on it)


class Malformed(ValueError):
    """The hub sent an Application (or a list of them) of the wrong shape; the message says where."""


_K8S_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
MAX_TEXT = 1000  # characters of one message kept from the hub


def printable(text: str, limit: int = MAX_TEXT) -> str:
    """Hub text made safe to print: control and bidi characters become spaces, at most `limit` characters."""
    if len(text) <= limit and text.isprintable():  # the common case, at C speed
        return text
    text = _UNPRINTABLE.sub(" ", text[:limit + 1])
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def _kind(value) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _map(value, path: str) -> dict:
    if type(value) is dict:  # noqa: E721 - the common case first: this runs for every field of 20,000 apps
        return value
    if value is None:
        return {}
    raise Malformed(f"{path} is {_kind(value)}, not an object")


def _list(value, path: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{path} is {_kind(value)}, not an array")
    return value


def _text(value, path: str, limit: int = MAX_TEXT) -> str:
    if type(value) is str:  # noqa: E721 - as in _map
        return value if len(value) <= limit and value.isprintable() else printable(value, limit)
    if value is None:
        return ""
    raise Malformed(f"{path} is {_kind(value)}, not a string")


def _revisions(block: dict, path: str) -> tuple[str, ...]:
    revisions = _list(block.get("revisions"), f"{path}.revisions")
    if revisions:
        return tuple(_text(r, f"{path}.revisions[{i}]", 200) for i, r in enumerate(revisions) if r)
    revision = _text(block.get("revision"), f"{path}.revision", 200)
    return (revision,) if revision else ()


def application_list(body: dict, where: str) -> tuple[list[dict], str]:
    """(the items, the list's resourceVersion) of an ApplicationList answered by `where`.

    Raises:
        HubError: not an ApplicationList, or items that are not objects (or not Applications).
    """
    from hubctl.base.errors import HubError

    try:
        kind = _text(body.get("kind"), "kind", 100)
        if kind not in ("", "ApplicationList"):
            raise Malformed(f"it is a {kind}, not an ApplicationList")
        version = _text(_map(body.get("metadata"), "metadata").get("resourceVersion"), "metadata.resourceVersion")
        items = _list(body.get("items"), "items")
        for index, item in enumerate(items):
            _map(item, f"items[{index}]")
            if _text(item.get("kind"), f"items[{index}].kind", 100) not in ("", "Application"):
                raise Malformed(f"items[{index}] is a {printable(item['kind'], 100)}, not an Application")
    except Malformed as exc:
        raise HubError(f"{where} answered with a malformed list of Applications: {exc}",
                       hint="is this a hub? check the URL, and any proxy in between") from None
    return items, version


def _pruned(value):
    """`value` without empty fields (None, "", {}, []), as Argo CD's API omits them."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", {}, [])}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def source_key(block: dict) -> str:
    """A canonical text of the source(s) in `block` (an Application spec, comparedTo or syncResult):
    equal texts mean equal sources. "" when there is none."""
    sources = block.get("sources") or ([block["source"]] if block.get("source") else [])
    if not sources:
        return ""
    return json.dumps(_pruned(sources), sort_keys=True, separators=(",", ":"))


def live_from_object(obj: dict) -> LiveApp:
    """A LiveApp from an Application dict; missing fields become empty.

    Raises:
        Malformed: a field status reads has the wrong type, or the Application has no name.
    """
    meta = _map(obj, "the Application") and _map(obj.get("metadata"), "metadata")
    name = _text(meta.get("name"), "metadata.name", 253)
    if not name:
        raise Malformed("an Application without metadata.name")
    if not _K8S_NAME.match(name):  # a rewritten name would be acted on (prune) or split (-o name | xargs)
        raise Malformed(f"metadata.name {printable(name, 80)!r} is not a Kubernetes name (a DNS-1123 subdomain)")
    try:
        return _live(obj, meta, name)
    except RecursionError:
        raise Malformed(f"Application {name}: nested too deeply") from None
    except Malformed as exc:
        raise Malformed(f"Application {name}: {exc}") from None


def _live(obj: dict, meta: dict, name: str) -> LiveApp:
    labels = _map(meta.get("labels"), "metadata.labels")
    status = _map(obj.get("status"), "status")
    sync = _map(status.get("sync"), "status.sync")
    op = _map(status.get("operationState"), "status.operationState")
    result = _map(op.get("syncResult"), "status.operationState.syncResult")
    operation = _map(_map(op.get("operation"), "status.operationState.operation").get("sync"),
                     "status.operationState.operation.sync")
    conditions = [_map(c, f"status.conditions[{i}]")
                  for i, c in enumerate(_list(status.get("conditions"), "status.conditions"))]

    def label(key: str) -> str:
        return _text(labels.get(key), f"metadata.labels[{key}]", 63)

    return LiveApp(
        name=name, space=label(LABEL_SPACE), flow=label(LABEL_FLOW), cluster=label(LABEL_CLUSTER),
        env=label(LABEL_ENV),
        sync=_text(sync.get("status"), "status.sync.status", 40) or "Unknown",
        health=_text(_map(status.get("health"), "status.health").get("status"), "status.health.status", 40)
        or "Unknown",
        revisions=_revisions(sync, "status.sync"),
        compared=source_key(_map(sync.get("comparedTo"), "status.sync.comparedTo")),
        operation_source=source_key(result),
        operation=_text(op.get("phase"), "status.operationState.phase", 40),
        operation_revisions=_revisions(operation, "status.operationState.operation.sync")
        or _revisions(result, "status.operationState.syncResult"),
        operation_message=_text(op.get("message"), "status.operationState.message"),
        started_at=_text(op.get("startedAt"), "status.operationState.startedAt", 40),
        finished_at=_text(op.get("finishedAt"), "status.operationState.finishedAt", 40),
        errors=tuple(f"{_text(c.get('type'), 'status.conditions.type', 100)}: "
                     f"{_text(c.get('message'), 'status.conditions.message')}" for c in conditions
                     if str(c.get("type", "")).endswith("Error")),
        created_at=_text(meta.get("creationTimestamp"), "metadata.creationTimestamp", 40),
        deleting=_text(meta.get("deletionTimestamp"), "metadata.deletionTimestamp", 40),
    )
