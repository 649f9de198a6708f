"""What some commands need from hubctl.yaml before (or without) loading the whole fleet."""

from __future__ import annotations

from hubctl.constants import DEFAULT_RENDER_DIR, HUB_FILE
from hubctl.spec.yamlload import load_documents


def render_dir(source) -> str:
    """spec.renderDir of the fleet's Hub spec, or the default when hubctl.yaml is absent or unreadable.

    A guess that never fails: loading the fleet validates hubctl.yaml properly.
    """
    return render_dir_entry(source)[0]


def render_dir_entry(source) -> tuple[str, str]:
    """spec.renderDir (as render_dir()) and where it is set: `hubctl.yaml:7:3 spec.renderDir`, or ""."""
    try:
        raw = source.read(HUB_FILE)
    except (OSError, KeyError):
        return DEFAULT_RENDER_DIR, ""
    docs, _ = load_documents(HUB_FILE, raw)
    for doc in docs:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "Hub":
            value = (doc.data.get("spec") or {}).get("renderDir") if isinstance(doc.data.get("spec"), dict) else None
            if isinstance(value, str) and value:
                line, column = doc.where(("spec", "renderDir"))
                return value, f"{HUB_FILE}:{line}:{column} spec.renderDir"
    return DEFAULT_RENDER_DIR, ""
