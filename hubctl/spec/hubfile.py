"""What some commands need from hubctl.yaml before (or without) loading the whole fleet."""

from __future__ import annotations

from hubctl.base.constants import DEFAULT_RENDER_DIR, HUB_FILE
from hubctl.base.errors import HubctlError
from hubctl.engines.yaml.yamlload import load_documents


def render_dir(source) -> str:
    """spec.renderDir of the fleet's Hub spec, or the default when hubctl.yaml is absent or unreadable.

    A guess that never fails: loading the fleet validates hubctl.yaml properly.
    """
    return render_dir_entry(source)[0]


def render_dir_entry(source) -> tuple[str, str]:
    """spec.renderDir (as render_dir()) and where it is set: `hubctl.yaml:7:3 spec.renderDir`, or ""."""
    try:
        raw = source.read(HUB_FILE)
    except (OSError, KeyError, HubctlError):  # a refused file: loading reports it
        return DEFAULT_RENDER_DIR, ""
    docs, _ = load_documents(HUB_FILE, raw)
    for doc in docs:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "Hub":
            value = (doc.data.get("spec") or {}).get("renderDir") if isinstance(doc.data.get("spec"), dict) else None
            if isinstance(value, str) and value:
                line, column = doc.where(("spec", "renderDir"))
                return value, f"{HUB_FILE}:{line}:{column} spec.renderDir"
    return DEFAULT_RENDER_DIR, ""


def max_deletions(raw: bytes) -> dict[str, int] | None:
    """spec.maxDeletions of the Hub spec in the bytes of a hubctl.yaml ({} when it sets none); None when
    the bytes hold no readable Hub spec. Entries that are not non-negative integers are left out."""
    docs, _ = load_documents(HUB_FILE, raw)
    for doc in docs:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "Hub":
            spec = doc.data.get("spec")
            limits = spec.get("maxDeletions") if isinstance(spec, dict) else None
            if not isinstance(limits, dict):
                return {}
            return {str(env): n for env, n in limits.items() if type(n) is int and n >= 0}
    return None
