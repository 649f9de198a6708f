"""Checks of blueprints: their param schema, their templates and the placeholders they use."""

from __future__ import annotations

from hubctl.base.problems import Problem
from hubctl.spec.build import thaw
from hubctl.spec.model import Blueprint, Fleet
from hubctl.usecases.render.blueprints import template_documents
from hubctl.usecases.render.template import CONTEXT_ROOTS, placeholders
from hubctl.usecases.render.tenancy import group_of, is_cluster_scoped, is_denied


def _schema_problems(blueprint: Blueprint, doc) -> list[Problem]:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(thaw(blueprint.schema))
    except SchemaError as exc:
        return [doc.problem(("spec", "schema") + tuple(exc.absolute_path), f"invalid param schema: {exc.message}",
                            "spec.schema must be a JSON Schema (2020-12)", "blueprint-schema")]
    declared = blueprint.schema.get("properties") or {}
    closed = blueprint.schema.get("additionalProperties", True) is False
    return [doc.problem(("spec", "defaults", key), f"default for undeclared param `{key}`",
                        "declare it under spec.schema.properties", "blueprint-schema")
            for key in blueprint.defaults if closed and key not in declared]


def _kind_problems(doc, granted_kinds: set) -> list[Problem]:
    """A template's kind: written literally, not a list, not a kind the platform keeps to itself."""
    data, out = doc.data, []
    for key in ("apiVersion", "kind"):
        if not isinstance(data[key], str) or "${{" in data[key]:
            out.append(doc.problem((key,), f"`{key}` must be written literally, not come from params",
                                   "a flow's kinds are checked against its space before rendering; write it out",
                                   "templated-kind"))
    for key in data:
        if isinstance(key, str) and "${{" in key:
            out.append(doc.problem((key,), "a template's top-level keys must be written literally",
                                   "write the key out", "templated-kind"))
    if out:
        return out
    kind, group = data["kind"], group_of(data["apiVersion"])
    if kind.endswith("List") or "items" in data:
        return [doc.problem(("kind",) if kind.endswith("List") else ("items",), f"`{kind}` wraps objects in a "
                            "list, past the checks of each object", "write each object as its own YAML document",
                            "list-kind")]
    if is_denied(group, kind):
        return [doc.problem(("kind",), f"`{kind}` ({group or 'core'}) belongs to the platform: tenant AppProjects "
                            "deny it", "the space spec sets quotas, limits, RBAC and network policy", "denied-kind")]
    if is_cluster_scoped(group, kind) and (group, kind) not in granted_kinds:
        return [doc.problem(("kind",), f"`{kind}` is cluster-scoped; flows may only create namespaced objects",
                            "leave cluster-scoped objects to the platform, or grant the kind to a space in the "
                            "hub spec (spec.tenancy.clusterScopedKinds)", "cluster-scoped")]
    return []


def _template_problems(blueprint: Blueprint, granted_kinds: set) -> list[Problem]:
    docs, out = template_documents(blueprint.templates)
    out = list(out)
    declared = blueprint.schema.get("properties")
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or not data.get("kind") or not data.get("apiVersion"):
            out.append(doc.problem((), "a template document must be a Kubernetes object with apiVersion and kind",
                                   "add apiVersion, kind and metadata.name", "template"))
            continue
        out += _kind_problems(doc, granted_kinds)
        for path, expr in placeholders(data):
            root, _, rest = expr.partition(".")
            if root not in CONTEXT_ROOTS:
                out.append(doc.problem(path, f"unknown placeholder root `{root}` in `{expr}`",
                                       f"use one of {', '.join(CONTEXT_ROOTS)}", "template"))
            elif root == "params" and declared is not None and rest.split(".")[0] not in declared:
                out.append(doc.problem(path, f"unknown param `{rest.split('.')[0]}` in `{expr}`",
                                       "declare it in the blueprint's spec.schema.properties", "unknown-param"))
    return out


def blueprint_problems(fleet: Fleet, index) -> list[Problem]:
    out = []
    granted = {pair for pairs in fleet.hub.cluster_scoped_grants.values() for pair in pairs}
    for _, blueprint in sorted(fleet.blueprints.items()):
        doc = index.get((blueprint.origin.file, blueprint.origin.doc))
        if doc is not None and not blueprint.builtin:  # built-ins are checked by hubctl's own tests
            out += _schema_problems(blueprint, doc)
        if not blueprint.templates and doc is not None:
            out.append(doc.problem(("spec",), "the blueprint has no templates",
                                   "add blueprints/<name>/templates/*.yaml", "template"))
        if doc is not None:
            out += _template_problems(blueprint, granted)
    return out
