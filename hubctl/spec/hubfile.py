"""What some commands need from hubctl.yaml before (or without) loading the whole fleet."""

from __future__ import annotations

from hubctl.constants import DEFAULT_RENDER_DIR, HUB_FILE
from hubctl.errors import HubctlError
from hubctl.spec.yamlload import load_documents


def render_dir(source) -> str:
    """spec.renderDir of the fleet's Hub spec, or the default when hubctl.yaml is absent or unreadable.

    A guess that never fails: loading the fleet validates hubctl.yaml properly.
    """
    try:
        raw = source.read(HUB_FILE)
    except (OSError, KeyError, HubctlError):  # a refused file: loading reports it
        return DEFAULT_RENDER_DIR
    docs, _ = load_documents(HUB_FILE, raw)
    for doc in docs:
        if isinstance(doc.data, dict) and doc.data.get("kind") == "Hub":
            value = (doc.data.get("spec") or {}).get("renderDir") if isinstance(doc.data.get("spec"), dict) else None
            if isinstance(value, str) and value:
                return value
    return DEFAULT_RENDER_DIR
