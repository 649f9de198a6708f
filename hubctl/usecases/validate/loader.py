"""Load a fleet: files -> documents -> schema -> dataclasses -> semantic checks, collecting every problem."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from hubctl.base.collector import fewer_collections
from hubctl.base.constants import API_VERSION, BLUEPRINTS_DIR, HUB_FILE, KINDS
from hubctl.base.errors import SpecError
from hubctl.base.problems import Problem
from hubctl.engines.yaml.yamlload import Document, load_documents
from hubctl.spec import build
from hubctl.spec.discover import YAML_SUFFIXES, SpecFile, discover, source_for
from hubctl.spec.hubs import all_hubs, in_hubs_dir
from hubctl.spec.model import Blueprint, Fleet, Hub
from hubctl.spec.schema import data_dir, schema_problems, yaml_trap_problems
from hubctl.spec.secrets import blueprint_credentials, inline_credentials
from hubctl.spec.sources import DirectorySource, RefusedFile, within
from hubctl.spec.unresolved import HUB, declared_by_data, declared_by_text, others_read


@dataclass
class Loaded:
    """Everything a load produced: the documents per kind, the fleet when it could be built, problems."""

    root: Path
    docs: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)
    fleet: Fleet | None = None  # set when the fleet could be built from a hub spec
    digest: str = ""
    # (kind, name) of specs that exist but could not be read, and what they declare (spec/unresolved.py):
    # references to them, and conclusions that depended on them, are not reported again.
    unresolved: set[tuple[str, str]] = field(default_factory=set)
    # The fleet as far as it could be built (a stand-in hub when hubctl.yaml is broken), for checks and for
    # `placement --explain` on an invalid fleet; equal to `fleet` when the hub spec loaded.
    draft: Fleet | None = None


def _classify(doc: Document, problems: list[Problem]) -> str | None:
    data = doc.data
    if not isinstance(data, dict):
        problems.append(doc.problem((), "a spec must be a mapping with apiVersion, kind, metadata and spec",
                                    "start the document with `apiVersion: hubctl.io/v1alpha1`", "not-a-spec"))
        return None
    kind = data.get("kind")
    if kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(str(kind), KINDS, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"use one of {', '.join(KINDS)}"
        problems.append(doc.problem(("kind",), f"unknown kind `{kind}`" if kind else "missing `kind`", hint,
                                    "unknown-kind"))
        return None
    if data.get("apiVersion") != API_VERSION:
        problems.append(doc.problem(("apiVersion",), f"apiVersion must be `{API_VERSION}`",
                                    f"set `apiVersion: {API_VERSION}`", "api-version"))
        return None
    return kind


@dataclass
class CheckedFile:
    """One spec file parsed and checked on its own: a pure function of its bytes (so it is cached)."""

    docs: list[tuple[str, Document]]  # (kind, document) of each document that is a spec
    problems: list[Problem]
    unresolved: set[tuple[str, str]]


def check_file(rel: str, raw: bytes) -> CheckedFile:
    """Parse one file and check each document's kind, apiVersion, schema, YAML 1.1 traps and inline
    credentials."""
    from hubctl.spec.salvage import salvaged
    from hubctl.spec.schema import validator

    docs, problems = load_documents(rel, raw)
    problems = list(problems)
    unresolved = declared_by_text(rel, raw.decode("utf-8", errors="replace")) if problems else set()
    kept = []
    for doc in docs:
        kind = _classify(doc, problems)
        if kind is None:
            unresolved |= declared_by_data(rel, doc.data, _meant_kind(doc.data))
            continue
        errors = schema_problems(kind, doc)
        problems.extend(errors)
        flagged = {p.path for p in errors}
        problems.extend(p for p in yaml_trap_problems(doc) if p.path not in flagged)
        problems.extend(inline_credentials(doc))
        if errors:
            checked = salvaged(doc, validator(kind))
            if checked is None or any(others_read(kind, path) for path in checked.pruned):
                unresolved |= declared_by_data(rel, doc.data, kind)
            doc = checked or doc
            doc.valid = checked is not None
        kept.append((kind, doc))
    return CheckedFile(kept, problems, unresolved)


def _meant_kind(data) -> str | None:
    """The kind a document that failed `_classify` most likely meant (`Flwo` -> Flow), if any."""
    import difflib

    kind = data.get("kind") if isinstance(data, dict) else None
    close = difflib.get_close_matches(str(kind), KINDS, n=1) if kind else []
    return close[0] if close else None


def _read_files(loaded: Loaded, source, files: list[SpecFile]) -> None:
    from hubctl.spec.parsecache import ParseCache

    digest = hashlib.sha256()
    # a directory's files (also under an edit's overlay); a Git tree of the same fleet (diff's base) would
    # evict them on every run, so it has none
    cache = ParseCache(getattr(source, "cache_root", None), check_file)
    for spec_file in files:
        try:
            raw = source.read(spec_file.rel)
        except RefusedFile as exc:
            loaded.problems.append(exc.problem)
            loaded.unresolved |= declared_by_text(spec_file.rel, "")
            digest.update(spec_file.rel.encode() + b"\0" + exc.problem.message.encode() + b"\1")
            continue
        digest.update(spec_file.rel.encode() + b"\0" + raw + b"\0")
        checked = cache.load(spec_file.rel, raw)
        loaded.problems.extend(checked.problems)
        loaded.unresolved |= checked.unresolved
        for kind, doc in checked.docs:
            loaded.docs[kind].append(doc)
    loaded.digest = digest.hexdigest()
    cache.save({f.rel for f in files})


def _blueprint_templates(source, rel_dir: str, doc: Document, problems) -> list[tuple[str, str]]:
    """The (path, text) of a blueprint's templates, read from `source`, never from outside rel_dir."""
    names = (doc.data.get("spec") or {}).get("templates")
    if names is None:
        prefix = f"{rel_dir}/templates/"
        rels = [r for r in source.list() if r.startswith(prefix) and "/" not in r[len(prefix):]
                and r.endswith(YAML_SUFFIXES)]
    else:
        rels = [within(rel_dir, name) or "" for name in names]
    listed = set(source.list())
    out = []
    for index, rel in enumerate(rels):
        if not rel or (rel in listed and source.escape(rel)):
            shown = names[index] if names is not None else rel
            problems.append(doc.problem(("spec", "templates", index), f"template `{shown}` is outside the "
                                        "blueprint directory", "keep templates inside blueprints/<name>/",
                                        "path-escape"))
            continue
        if rel not in listed:
            problems.append(doc.problem(("spec", "templates", index), f"template `{rel}` does not exist",
                                        "fix the file name", "missing-file"))
            continue
        try:
            out.append((rel, source.read(rel).decode("utf-8", errors="replace")))
        except RefusedFile as exc:
            problems.append(doc.problem(("spec", "templates", index), exc.problem.message, exc.hint,
                                        exc.problem.code))
    return out


def _builtin_blueprints(problems: list[Problem]) -> list[Blueprint]:
    source = DirectorySource(data_dir(BLUEPRINTS_DIR), tops=None)
    out = []
    for rel in source.list():
        parts = rel.split("/")
        if len(parts) != 2 or parts[1] != "blueprint.yaml":
            continue
        docs, errs = load_documents(f"<builtin>/{rel}", source.read(rel))
        problems.extend(errs)
        for doc in docs:
            templates = _blueprint_templates(source, parts[0], doc, problems)
            templates = [(f"<builtin>/{name}", text) for name, text in templates]
            out.append(build.build_blueprint(doc, source.root / parts[0], templates, builtin=True))
    return out


def _build(loaded: Loaded, source) -> None:
    from hubctl.usecases.validate.checks import duplicate_name_problems

    problems = loaded.problems
    problems.extend(duplicate_name_problems(loaded.docs))
    valid = {kind: [d for d in _first_of_each_name(docs) if d.valid] for kind, docs in loaded.docs.items()}
    mains = [d for d in valid.get("Hub", []) if not in_hubs_dir(d.file)]
    hub: Hub | None = build.build_hub(mains[0]) if mains else None
    # a hubctl.yaml that could not be read or parsed is already reported; "no Hub" would follow from it
    unreadable_hub = not any(d.file == HUB_FILE for docs in loaded.docs.values() for d in docs) and any(
        p.file == HUB_FILE for p in problems)
    if not any(not in_hubs_dir(d.file) for d in loaded.docs.get("Hub", ())) and not unreadable_hub \
            and not any(p.code == "no-hub" for p in problems):
        problems.append(Problem("", 0, 0, "", "no Hub spec (hubctl.yaml)", "run `hubctl init`", "no-hub"))
    others = [d for d in valid.get("Hub", []) if in_hubs_dir(d.file)]
    hubs = all_hubs(mains[0], hub, others) if hub is not None else {}
    hub = hubs.get(hub.name, hub) if hub is not None else None
    spaces = {s.name: s for s in map(build.build_space, valid.get("Space", []))}
    clusters = {c.name: c for c in map(build.build_cluster, valid.get("Cluster", []))}
    policy = hub.sync_policy if hub is not None else None
    flows = {f.name: f for f in (build.build_flow(d, spaces, policy) for d in valid.get("Flow", []))}
    blueprints = {b.name: b for b in _builtin_blueprints(problems)}
    for doc in valid.get("Blueprint", []):
        rel_dir = Path(doc.file).parent.as_posix()
        templates = _blueprint_templates(source, rel_dir, doc, problems)
        problems.extend(blueprint_credentials(source, rel_dir, doc.file))
        blueprints[doc.data["metadata"]["name"]] = build.build_blueprint(
            doc, loaded.root / rel_dir, templates, builtin=False)
    if hub is None:  # its problem is reported; the rest of the fleet is still checked, against a stand-in
        loaded.unresolved.add(HUB)
    draft = Fleet(loaded.root, hub or _stand_in_hub(), clusters, spaces, flows, blueprints, loaded.digest,
                  hubs=hubs)
    loaded.draft = draft
    if hub is not None:
        loaded.fleet = draft


def _first_of_each_name(docs: list[Document]) -> list[Document]:
    """The documents that are not a second definition of a name (that is reported as a duplicate, and is
    not also checked as the spec it repeats)."""
    seen, out = set(), []
    for doc in docs:
        meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
        name = meta.get("name") if isinstance(meta, dict) else None
        if isinstance(name, str):
            if name in seen:
                continue
            seen.add(name)
        out.append(doc)
    return out


def _stand_in_hub() -> Hub:
    return build.build_hub(Document(HUB_FILE, 0, {"metadata": {"name": "hub"}, "spec": {"repo": {"url": ""}}}))


@fewer_collections()
def analyze(path_or_source) -> Loaded:
    """Load and check a fleet, collecting every problem (never raises for bad specs).

    `path_or_source` is a directory (or a file in it), or a source such as GitTreeSource.

    Raises:
        UsageError: when a path does not exist.
    """
    source = path_or_source if hasattr(path_or_source, "read") else source_for(Path(path_or_source))
    files, problems = discover(source)
    loaded = Loaded(source.root, problems=problems)
    _read_files(loaded, source, files)
    _build(loaded, source)
    from hubctl.usecases.validate.checks import fleet_problems

    loaded.problems.extend(fleet_problems(loaded.draft, loaded.docs, loaded.unresolved))
    loaded.problems = sorted(set(loaded.problems))
    return loaded


def validate(path) -> list[Problem]:
    """Every problem in the fleet at `path`, sorted by file and line (empty when valid)."""
    return analyze(path).problems


def load_fleet(path) -> Fleet:
    """The validated fleet at `path`.

    Raises:
        SpecError: when any problem was found (its `problems` lists them all).
        UsageError: when `path` does not exist.
    """
    loaded = analyze(path)
    if loaded.problems or loaded.fleet is None:
        raise SpecError(loaded.problems, root=loaded.root)
    return loaded.fleet
