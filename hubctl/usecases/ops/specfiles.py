"""Find the file a spec lives in, edit its document in place, and write new spec files."""

from __future__ import annotations

import re

from hubctl.base.constants import API_VERSION, SPEC_DIRS
from hubctl.base.errors import HubctlError, UsageError
from hubctl.usecases.ops.yamledit import YamlFile

_SCHEMA_COMMENT = "# yaml-language-server:"
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def check_name(kind: str, name: str) -> None:
    """Refuse a new spec name that is not a DNS-1123 label (it also names a file: no `/`, no `..`).

    Raises:
        UsageError: naming the problem and the rule.
    """
    if len(name) > 63 or not _DNS_LABEL.match(name):
        shown = name if name.isprintable() and len(name) <= 80 else repr(name[:80])
        raise UsageError(f"{kind.lower()} name `{shown}` is not a DNS-1123 label",
                         hint="use at most 63 lower case letters, digits and '-', starting and ending with a "
                              "letter or digit (e.g. prod-eu-3)")


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
    return yaml_file, find_doc(yaml_file, kind, name)


def find_doc(yaml_file: YamlFile, kind: str, name: str):
    """The document of `yaml_file` holding the `kind` spec called `name`.

    Raises:
        UsageError: when the file holds no such spec.
    """
    for doc in yaml_file.docs:
        if isinstance(doc, dict) and doc.get("kind") == kind and (doc.get("metadata") or {}).get("name") == name:
            return doc
    raise UsageError(f"no {kind.lower()} named `{name}` in {yaml_file.rel}")


def drop_path(mapping, keys: tuple) -> bool:
    """Remove mapping.<keys> and the mappings that removal leaves empty; False when it was not there."""
    from collections.abc import Mapping

    chain = [mapping]
    for key in keys[:-1]:
        chain.append(chain[-1].get(key) if isinstance(chain[-1], Mapping) else None)
    if not isinstance(chain[-1], Mapping) or keys[-1] not in chain[-1]:
        return False
    del chain[-1][keys[-1]]
    for parent, key, node in zip(reversed(chain[:-1]), reversed(keys[:-1]), reversed(chain[1:]), strict=True):
        if node:
            break
        del parent[key]
    return True


class SpecEdits:
    """Several specs edited (or removed) in one change, each file loaded once even when it holds several."""

    def __init__(self, ws):
        self.ws = ws
        self.files: dict[str, YamlFile] = {}

    def open(self, kind: str, name: str):
        """The document of the `kind` spec `name`, to edit in place.

        Raises:
            UsageError: when no such spec exists.
        """
        rel = locate(self.ws, kind, name)
        if rel not in self.files:
            self.files[rel] = YamlFile(rel, self.ws.read(rel))
        return find_doc(self.files[rel], kind, name)

    def remove(self, kind: str, name: str) -> str:
        """Remove the spec's document; returns the file it was in.

        Raises:
            UsageError: when no such spec exists.
        """
        doc = self.open(kind, name)
        rel = locate(self.ws, kind, name)
        docs = self.files[rel].docs
        del docs[next(i for i, d in enumerate(docs) if d is doc)]
        return rel

    def texts(self) -> dict[str, str | None]:
        """Each touched file's new text (None when no document is left in it)."""
        return {rel: (yaml_file.result() if any(d is not None for d in yaml_file.docs) else None)
                for rel, yaml_file in sorted(self.files.items())}


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
    check_name(kind, name)
    rel = f"{SPEC_DIRS[kind]}/{name}.yaml"
    taken = any(((d.data.get("metadata") or {}).get("name") == name) for d in ws.loaded.docs.get(kind, [])
                if isinstance(d.data, dict))
    if taken or ws.exists(rel):
        raise UsageError(f"a {kind.lower()} named `{name}` already exists" if taken else f"{rel} already exists",
                         hint=f"pick another name, or edit the existing {kind.lower()}")
    return rel


def new_spec_text(ws, kind: str, body: dict) -> str:
    """A new spec file: the same schema comment its siblings start with (if any), then the document."""
    from hubctl.engines.yaml.yamlio import dump

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
