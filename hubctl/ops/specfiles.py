"""Find the file a spec lives in, edit its document in place, and write new spec files."""

from __future__ import annotations

from hubctl.constants import API_VERSION, SPEC_DIRS
from hubctl.errors import HubctlError, UsageError
from hubctl.ops.yamledit import YamlFile

_SCHEMA_COMMENT = "# yaml-language-server:"


def locate(ws, kind: str, name: str) -> str:
    """The relative path of the file that holds the `kind` spec called `name`.

    Raises:
        UsageError: when no such spec exists.
    """
    for doc in ws.loaded.docs.get(kind, []):
        meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
        if isinstance(meta, dict) and meta.get("name") == name:
            return doc.file
    known = sorted(str((d.data.get("metadata") or {}).get("name")) for d in ws.loaded.docs.get(kind, []))
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean `{close[0]}`?" if close else f"see `hubctl {kind.lower()} list`" if kind == "Cluster" \
        else "check the name"
    raise UsageError(f"no {kind.lower()} named `{name}`", hint=hint)


def open_spec(ws, kind: str, name: str) -> tuple[YamlFile, object]:
    """The file holding the spec and its document (a ruamel CommentedMap to edit in place).

    Raises:
        UsageError: when no such spec exists.
    """
    rel = locate(ws, kind, name)
    yaml_file = YamlFile(rel, ws.read(rel))
    for doc in yaml_file.docs:
        if isinstance(doc, dict) and doc.get("kind") == kind and (doc.get("metadata") or {}).get("name") == name:
            return yaml_file, doc
    raise UsageError(f"no {kind.lower()} named `{name}` in {rel}")


def child(mapping, key: str, after: tuple[str, ...] = ()):
    """`mapping[key]`, created as an empty mapping right after the first of `after` present (else last)."""
    from ruamel.yaml.comments import CommentedMap

    if key in mapping:
        return mapping[key]
    node = CommentedMap()
    keys = list(mapping)
    position = len(keys)
    for anchor in after:
        if anchor in keys:
            position = keys.index(anchor) + 1
            break
    mapping.insert(position, key, node)
    return node


def new_spec_path(ws, kind: str, name: str) -> str:
    """Where a new spec goes: <dir>/<name>.yaml.

    Raises:
        UsageError: when a spec of that kind and name, or that file, already exists.
    """
    rel = f"{SPEC_DIRS[kind]}/{name}.yaml"
    taken = any(((d.data.get("metadata") or {}).get("name") == name) for d in ws.loaded.docs.get(kind, [])
                if isinstance(d.data, dict))
    if taken or ws.exists(rel):
        raise UsageError(f"a {kind.lower()} named `{name}` already exists" if taken else f"{rel} already exists",
                         hint=f"pick another name, or edit the existing {kind.lower()}")
    return rel


def new_spec_text(ws, kind: str, body: dict) -> str:
    """A new spec file: the same schema comment its siblings start with (if any), then the document."""
    from hubctl.yamlio import dump

    head = ""
    directory = ws.root / SPEC_DIRS[kind]
    for sibling in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        try:  # through the source: a FIFO or a link out of the fleet is never opened
            raw = ws.source.read(f"{SPEC_DIRS[kind]}/{sibling.name}")
        except HubctlError:
            continue
        first = raw.decode("utf-8", errors="replace").split("\n", 1)[0]
        if first.startswith(_SCHEMA_COMMENT):
            head = first + "\n"
            break
    return head + dump({"apiVersion": API_VERSION, "kind": kind, **body})
