"""Blueprint templates parsed once per process, shared by validation and rendering."""

from __future__ import annotations

from functools import lru_cache

from hubctl.base.problems import Problem
from hubctl.engines.yaml.yamlload import Document, load_documents
from hubctl.usecases.render.tenancy import CLUSTER_SCOPED_KINDS as _CLUSTER_SCOPED_KINDS

# Kinds a tenant's flow may not create unless the hub grants them (kept here for older imports).
CLUSTER_SCOPED_KINDS = _CLUSTER_SCOPED_KINDS


@lru_cache(maxsize=256)
def _parse(rel: str, text: str) -> tuple[tuple[Document, ...], tuple[Problem, ...]]:
    docs, problems = load_documents(rel, text.encode("utf-8"))
    return tuple(docs), tuple(problems)


def template_documents(templates: tuple[tuple[str, str], ...]) -> tuple[list[Document], list[Problem]]:
    """The parsed documents of a blueprint's `templates` (in file order) and any parse problems."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for rel, text in templates:
        parsed, errs = _parse(rel, text)
        docs.extend(parsed)
        problems.extend(errs)
    return docs, problems
