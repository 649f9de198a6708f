"""The I/O around `hubctl appset preview`: read ApplicationSets and cluster Secrets from files, expand,
and shape the result for output."""

from __future__ import annotations

from pathlib import Path

from hubctl.base.errors import AppSetError, UsageError


def read_documents(path: Path) -> list[dict]:
    """Every YAML document in `path` (a file) as dicts; non-mapping documents are skipped.

    Raises:
        UsageError: the file is not a regular file of at most 1 MiB, cannot be read, is not YAML, or nests
            deeper than hubctl's YAML limit.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from hubctl.base.constants import MAX_DEPTH, PARSER_DEPTH_GUARD
    from hubctl.engines.yaml.yamldepth import nesting_bound, too_deep_line
    from hubctl.engines.yaml.yamlload import _yaml
    from hubctl.spec.sources import RefusedFile, read_regular_file

    try:
        text = read_regular_file(path.resolve(), str(path)).decode("utf-8")
    except RefusedFile as exc:
        raise UsageError(exc.problem.message.split("; specs")[0]) from None
    except (OSError, RuntimeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    # ruamel recurses once per nesting level: measure the depth on the parser's events first
    if nesting_bound(text) > PARSER_DEPTH_GUARD and too_deep_line(_yaml().parse(text), MAX_DEPTH) is not None:
        raise UsageError(f"{path}: not valid YAML: nested deeper than {MAX_DEPTH} levels")
    try:
        return [doc for doc in YAML(typ="safe", pure=True).load_all(text) if isinstance(doc, dict)]
    except (YAMLError, ValueError) as exc:
        raise UsageError(f"{path}: not valid YAML: {exc}") from None
    except RecursionError:
        raise UsageError(f"{path}: not valid YAML: nested too deeply") from None


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if path.is_file():
        return [path]
    if path.exists():
        raise UsageError(f"{path}: not a regular file or directory (a FIFO, socket or device is never read)")
    raise UsageError(f"{path}: no such file or directory")


def cluster_documents(paths: list[Path], fleet_dir: Path) -> list[dict]:
    """Cluster Secrets/registrations from `paths`, or from the fleet's rendered hub/clusters by default.

    Raises:
        UsageError: a path does not exist, or there is no default to fall back on.
    """
    from hubctl.engines.appset.clusters import secret_from_registration

    if not paths:
        paths = [_default_clusters_dir(fleet_dir)]
    docs: list[dict] = []
    for path in paths:
        for file in _yaml_files(path):
            docs.extend(s for s in (secret_from_registration(d) for d in read_documents(file)) if s)
    return docs


def _default_clusters_dir(fleet_dir: Path) -> Path:
    from hubctl.spec.hubfile import render_dir
    from hubctl.spec.sources import DirectorySource

    path = fleet_dir / render_dir(DirectorySource(fleet_dir)) / "hub" / "clusters"
    if not path.is_dir():
        raise UsageError(f"no cluster registrations at {path}",
                         hint="run `hubctl render` first, or pass --clusters PATH")
    return path


def preview(files: list[Path], cluster_paths: list[Path], fleet_dir: Path, repo: Path | None,
            revision: str | None) -> list[tuple[str, dict]]:
    """(ApplicationSet name, Application) pairs for every ApplicationSet in `files`.

    Raises:
        UsageError: unreadable input or no ApplicationSet in it.
        AppSetError: an ApplicationSet failed to expand.
    """
    from hubctl.adapters.git.trees import RepositoryTrees
    from hubctl.engines.appset import expand

    sets = [doc for file in files for path in _yaml_files(file) for doc in read_documents(path)
            if doc.get("kind") == "ApplicationSet"]
    if not sets:
        raise UsageError("no ApplicationSet found in " + ", ".join(str(f) for f in files))
    clusters = cluster_documents(cluster_paths, fleet_dir)
    if cluster_paths and not clusters and any(_uses_clusters_generator(s) for s in sets):
        raise UsageError(f"--clusters {', '.join(map(str, cluster_paths))}: no cluster Secret found, so the "
                         "clusters generator would select nothing",
                         hint="pass Argo CD cluster Secrets (label argocd.argoproj.io/secret-type: cluster) "
                              "or rendered registrations (RENDER_DIR/hub/clusters)")
    out: list[tuple[str, dict]] = []
    for appset in sets:
        name = (appset.get("metadata") or {}).get("name", "?")
        for app in expand(appset, clusters=clusters, repo=RepositoryTrees(repo) if repo else None, revision=revision):
            out.append((name, app))
    return out


def _uses_clusters_generator(appset: dict) -> bool:
    """Whether a `clusters` generator appears in the set's generators (nested in matrix/merge too)."""
    stack = [(appset.get("spec") or {}).get("generators")]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "clusters" in item:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def table_rows(pairs: list[tuple[str, dict]]) -> list[list]:
    """One row per Application: set, name, project, destination (server or name, namespace) and source
    (repository, path or chart, revision); the last two as lists (hubctl.cli.table joins them)."""
    rows = []
    for appset, app in pairs:
        spec = app.get("spec") or {}
        dest = spec.get("destination") or {}
        sources = spec.get("sources") or ([spec["source"]] if spec.get("source") else [])
        first = sources[0] if sources else {}
        source = [str(x) for x in (first.get("repoURL", ""), first.get("path") or first.get("chart") or "",
                                   first.get("targetRevision", "")) if x]
        where = [str(x) for x in (dest.get("server") or dest.get("name", ""), dest.get("namespace", "")) if x]
        rows.append([appset, app["metadata"].get("name", ""), str(spec.get("project", "")), where, source])
    return rows


__all__ = ["AppSetError", "Path", "cluster_documents", "preview", "table_rows"]
