"""Checks of blueprints: their param schema, their templates and the placeholders they use."""

from __future__ import annotations

from hubctl.render.blueprints import CLUSTER_SCOPED_KINDS, template_documents
from hubctl.render.template import CONTEXT_ROOTS, placeholders
from hubctl.spec.build import thaw
from hubctl.spec.model import Blueprint, Fleet
from hubctl.spec.problems import Problem


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


def _template_problems(blueprint: Blueprint) -> list[Problem]:
    docs, out = template_documents(blueprint.templates)
    out = list(out)
    declared = blueprint.schema.get("properties")
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or not data.get("kind") or not data.get("apiVersion"):
            out.append(doc.problem((), "a template document must be a Kubernetes object with apiVersion and kind",
                                   "add apiVersion, kind and metadata.name", "template"))
            continue
        if data["kind"] in CLUSTER_SCOPED_KINDS:
            out.append(doc.problem(("kind",), f"`{data['kind']}` is cluster-scoped; flows may only create "
                                   "namespaced objects", "leave cluster-scoped objects to the platform",
                                   "cluster-scoped"))
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
    for _, blueprint in sorted(fleet.blueprints.items()):
        doc = index.get((blueprint.origin.file, blueprint.origin.doc))
        if doc is not None and not blueprint.builtin:  # built-ins are checked by hubctl's own tests
            out += _schema_problems(blueprint, doc)
        if not blueprint.templates and doc is not None:
            out.append(doc.problem(("spec",), "the blueprint has no templates",
                                   "add blueprints/<name>/templates/*.yaml", "template"))
        if doc is not None:
            out += _template_problems(blueprint)
    return out
