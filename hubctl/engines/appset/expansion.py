"""Expanding a whole ApplicationSet into the Applications the controller would create."""

from __future__ import annotations

import copy

from hubctl.base.constants import ARGO_API_VERSION
from hubctl.base.errors import AppSetError
from hubctl.engines.appset.clusters import load_cluster_secrets
from hubctl.engines.appset.generators import Context, transform
from hubctl.engines.appset.gotmpl import missing_mode
from hubctl.engines.appset.render import RenderFailure, add_default_finalizer, compile_object, replace

_META_KEYS = ("name", "namespace", "labels", "annotations", "finalizers")


def expand(appset: dict, *, clusters, repo=None, revision: str | None = None) -> list[dict]:
    """The Applications `appset` generates, in generator order then parameter order.

    Args:
        appset: an ApplicationSet object (dict).
        clusters: Argo CD cluster Secret dicts (data base64 or stringData) or cluster registrations.
        repo: the local clone git generators read (hubctl.adapters.git.trees.RepositoryTrees).
        revision: use this revision for every git generator instead of the generator's own.

    Raises:
        AppSetError: a generator or a template failed; the whole set fails, as in the controller.
    """
    name = ((appset or {}).get("metadata") or {}).get("name", "?")
    spec = (appset or {}).get("spec") or {}
    go_template = bool(spec.get("goTemplate"))
    options = tuple(spec.get("goTemplateOptions") or ())
    try:
        missing_mode(options)
    except ValueError as exc:
        raise AppSetError(f"ApplicationSet {name}: goTemplateOptions: {exc}") from None
    patch = spec.get("templatePatch")
    if patch and not go_template:
        raise AppSetError(f"ApplicationSet {name}: templatePatch requires goTemplate: true")
    ctx = Context(load_cluster_secrets(clusters), go_template, options, repo, revision)
    namespace = ((appset.get("metadata") or {}).get("namespace"))
    apps: list[dict] = []
    for i, generator in enumerate(spec.get("generators") or []):
        where = f"ApplicationSet {name}: spec.generators[{i}]"
        kind_template = _generator_template(generator)
        template = _merge_templates(kind_template, spec.get("template") or {})
        plan = None
        for params_list in transform(generator, ctx, where):
            for j, params in enumerate(params_list):
                if plan is None and not patch:
                    plan = compile_object(template, go_template, options)
                apps.append(_render_app(template, plan, params, spec, patch, f"{where} parameter set {j}"))
    return _finish(apps, namespace)


def _generator_template(generator: dict) -> dict:
    for value in (generator or {}).values():
        if isinstance(value, dict) and isinstance(value.get("template"), dict):
            return value["template"]
    return {}


def _merge_templates(own: dict, base: dict) -> dict:
    """mergo.Merge(generator template, set template): the generator's non-empty fields win."""
    if not own:
        return base
    out = copy.deepcopy(own)
    for key, value in base.items():
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = _merge_templates(out[key], value)
        elif out.get(key) in (None, "", [], {}, 0, False):
            out[key] = copy.deepcopy(value)
    return out


def _render_app(template: dict, plan, params: dict, spec: dict, patch: str | None, where: str) -> dict:
    """generateApplications: templatePatch first (rendered, then applied), then RenderTemplateParams,
    which hands back a template untouched when there are no parameters."""
    options = tuple(spec.get("goTemplateOptions") or ())
    try:
        if patch:
            template = apply_template_patch(template, replace(patch, params, True, options), where)
        if not params:
            return copy.deepcopy(template)
        app = compile_object(template, True, options)(params) if patch else plan(params)
    except RenderFailure as exc:
        raise AppSetError(f"{where}: {exc}") from None
    add_default_finalizer(app, spec.get("syncPolicy"))
    return app


def apply_template_patch(template: dict, patch_text: str, where: str) -> dict:
    """Apply a rendered templatePatch as a strategic merge patch on an Application: maps merge, lists
    are replaced (metadata.finalizers merge as a set), null deletes.

    Raises:
        AppSetError: the patch is not a YAML/JSON object.
    """
    patch = _load_patch(patch_text, where)
    if patch is None:
        return copy.deepcopy(template)
    if not isinstance(patch, dict):
        raise AppSetError(f"{where}: invalid templatePatch: not an object")
    _check_patch_types(patch, where)
    patched = _smp(copy.deepcopy(template), patch, "")
    # applyTemplatePatch: "Prevent changes to the `project` field"
    project = (template.get("spec") or {}).get("project")
    if isinstance(patched.get("spec"), dict):
        if project is None:
            patched["spec"].pop("project", None)
        else:
            patched["spec"]["project"] = project
    return patched


def _load_patch(text: str, where: str):
    from ruamel.yaml.error import YAMLError

    from hubctl.engines.appset import patchyaml

    if not text.strip():
        return None
    try:
        return patchyaml.load(text)
    except YAMLError as exc:
        raise AppSetError(f"{where}: error while converting template to json: {exc}") from None


def _check_patch_types(patch: dict, where: str) -> None:
    """json.Unmarshal into an Application rejects what its Go types cannot hold (the common cases)."""
    meta = patch.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise AppSetError(f"{where}: invalid templatePatch: metadata must be an object")
    for field in ("labels", "annotations"):
        values = (meta or {}).get(field)
        if values is not None and (not isinstance(values, dict) or not all(
                isinstance(v, str) or v is None for v in values.values())):
            raise AppSetError(f"{where}: invalid templatePatch: json: cannot unmarshal into Go struct field "
                              f"ObjectMeta.metadata.{field} of type string")
    spec = patch.get("spec")
    if spec is not None and not isinstance(spec, dict):
        raise AppSetError(f"{where}: invalid templatePatch: spec must be an object")


def _smp(original: dict, patch: dict, path: str) -> dict:
    for key, value in patch.items():
        here = f"{path}.{key}" if path else key
        if value is None:
            original.pop(key, None)
        elif isinstance(value, dict) and isinstance(original.get(key), dict):
            original[key] = _smp(original[key], value, here)
        elif here == "metadata.finalizers" and isinstance(value, list):
            current = list(original.get(key) or [])
            original[key] = current + [f for f in value if f not in current]
        else:
            original[key] = copy.deepcopy(value)
    return original


def _finish(apps: list[dict], namespace: str | None) -> list[dict]:
    """Shape each app like the controller's Application and drop later duplicates of a name."""
    out: list[dict] = []
    seen: set[str] = set()
    for app in apps:
        meta_in = app.get("metadata") or {}
        meta = {k: meta_in[k] for k in _META_KEYS if meta_in.get(k) not in (None, {}, [], "")}
        if namespace:
            meta["namespace"] = namespace
        meta = {k: meta[k] for k in _META_KEYS if k in meta}
        name = meta.get("name", "")
        if name in seen:
            continue
        seen.add(name)
        out.append({"apiVersion": ARGO_API_VERSION, "kind": "Application", "metadata": meta,
                    "spec": app.get("spec") or {}})
    return out
