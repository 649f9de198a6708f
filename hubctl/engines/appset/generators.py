"""Generators: each entry of spec.generators becomes a list of parameter sets, as Argo CD's Transform does
(the generator itself, then its post-selector)."""

from __future__ import annotations

from hubctl.base.constants import ARGO_SECRET_TYPE_LABEL, IN_CLUSTER_SERVER
from hubctl.base.errors import AppSetError
from hubctl.engines.appset import compose, git
from hubctl.engines.appset.clusters import ClusterSecret
from hubctl.engines.appset.context import Context, append_values
from hubctl.engines.appset.gotmpl.values import StrMap
from hubctl.engines.appset.render import RenderFailure, compile_object, go_replace, replace
from hubctl.engines.appset.selectors import compile_selector, flatten_params, is_empty_selector
from hubctl.engines.appset.sprig.argo import sanitize_name
from hubctl.engines.appset.sprig.convert import as_json_value

# ApplicationSetGenerator field order: Transform visits the set fields in this order.
GENERATOR_KINDS = ("list", "clusters", "git", "scmProvider", "clusterDecisionResource", "pullRequest",
                   "matrix", "merge", "plugin")
OFFLINE_UNSUPPORTED = {"scmProvider", "clusterDecisionResource", "pullRequest", "plugin"}


def kinds_of(generator: dict, where: str) -> list[str]:
    """The generator kinds set in one entry, in Argo CD's order.

    Raises:
        AppSetError: the entry names no generator Argo CD knows.
    """
    if not isinstance(generator, dict):
        raise AppSetError(f"{where}: a generator must be a mapping")
    found = [k for k in GENERATOR_KINDS if generator.get(k) is not None]
    unknown = sorted(k for k in generator if k not in GENERATOR_KINDS and k not in ("selector", "values"))
    if not found:
        names = ", ".join(unknown) or "none"
        raise AppSetError(f"{where}: unrecognized generators: {names}",
                          hint="use list, clusters, git, matrix or merge")
    return found


def transform(generator: dict, ctx: Context, where: str, interpolate: dict | None = None) -> list[list[dict]]:
    """Parameter sets per generator kind in the entry, post-selector applied (Argo's Transform).

    Raises:
        AppSetError: the generator failed; the message names `where`.
    """
    kinds = kinds_of(generator, where)
    selector = generator.get("selector")
    matches = compile_selector(selector, f"{where}.selector") if selector is not None else None
    if interpolate:
        generator = interpolate_generator(generator, interpolate, ctx, where)
    results = []
    for kind in kinds:
        params = run_generator(kind, generator[kind], ctx, f"{where}.{kind}")
        if matches is not None:
            params = [p for p in params if matches(flatten_params(p))]
        results.append(params)
    return results


def run_generator(kind: str, spec, ctx: Context, where: str) -> list[dict]:
    if kind in OFFLINE_UNSUPPORTED:
        raise AppSetError(f"{where}: the {kind} generator needs a live service and cannot be previewed "
                          "offline", hint="replace it with a list generator for the preview")
    if kind in ("matrix", "merge"):  # they run their children through transform
        composite = compose.matrix_params if kind == "matrix" else compose.merge_params
        return composite(spec or {}, ctx, where, transform)
    handler = {"list": list_params, "clusters": cluster_params, "git": git.git_params}[kind]
    return handler(spec or {}, ctx, where)


def interpolate_generator(generator: dict, params: dict, ctx: Context, where: str) -> dict:
    """Render a matrix's later child with an earlier child's parameters (RenderGeneratorParams).

    `values` entries are rendered only if they resolve with missingkey=error; otherwise they stay
    templates for the child's own parameters (Argo CD 3.4+).
    """
    def render(node, path):
        try:
            return compile_object(node, ctx.go_template, ctx.options, path)(params)
        except RenderFailure as exc:
            raise AppSetError(f"{where}: failed to interpolate the generator with the previous generator's "
                              f"parameters: {exc}") from None

    out = {}
    for key, value in generator.items():
        if isinstance(value, dict) and isinstance(value.get("values"), dict):
            rest = {k: v for k, v in value.items() if k != "values"}
            out[key] = render(rest, key)
            out[key]["values"] = {k: _try_resolve(v, params, ctx) for k, v in value["values"].items()}
        else:
            out[key] = render(value, key)
    return out


def _try_resolve(text, params: dict, ctx: Context):
    if not isinstance(text, str) or "{{" not in text:
        return text
    if not ctx.go_template:
        return replace(text, params, False)
    try:
        return go_replace(text, params, tuple(ctx.options) + ("missingkey=error",))
    except RenderFailure:
        return text


# -- list ---------------------------------------------------------------------------------------------
def list_params(spec: dict, ctx: Context, where: str) -> list[dict]:
    out: list[dict] = []
    for i, element in enumerate(spec.get("elements") or []):
        if not isinstance(element, dict):
            raise AppSetError(f"{where}.elements[{i}]: error unmarshling list element: not an object")
        element = as_json_value(element)
        if ctx.go_template:
            out.append(element)
            continue
        params: dict = {}
        for key, value in element.items():
            if key == "values":
                if not isinstance(value, dict):
                    raise AppSetError(f"{where}.elements[{i}]: error parsing values map")
                for k, v in value.items():
                    if not isinstance(v, str):
                        raise AppSetError(f"{where}.elements[{i}].values.{k}: error parsing value as string")
                    params[f"values.{k}"] = v
            elif not isinstance(value, str):
                raise AppSetError(f"{where}.elements[{i}].{key}: error parsing value as string",
                                  hint="quote it, or set goTemplate: true")
            else:
                params[key] = value
        out.append(params)
    if spec.get("elementsYaml"):
        out.extend(_elements_yaml(spec["elementsYaml"], where))
    return out


def _elements_yaml(text: str, where: str) -> list[dict]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise AppSetError(f"{where}.elementsYaml: error unmarshling decoded ElementsYaml: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise AppSetError(f"{where}.elementsYaml: error unmarshling decoded ElementsYaml: not a list of objects")
    return as_json_value(data)


# -- clusters -----------------------------------------------------------------------------------------
def cluster_params(spec: dict, ctx: Context, where: str) -> list[dict]:
    selector = dict(spec.get("selector") or {})
    selector["matchLabels"] = {**(selector.get("matchLabels") or {}), ARGO_SECRET_TYPE_LABEL: "cluster"}
    matches = compile_selector(selector, f"{where}.selector")
    by_name: dict[str, ClusterSecret] = {}
    for secret in ctx.clusters:
        if matches(secret.labels):
            by_name[secret.name] = secret
    out: list[dict] = []
    values = spec.get("values")
    if is_empty_selector(spec.get("selector")) and not any(s.server == IN_CLUSTER_SERVER for s in by_name.values()):
        params = {"name": "in-cluster", "nameNormalized": "in-cluster", "server": IN_CLUSTER_SERVER, "project": ""}
        append_values(values, params, ctx, where)
        out.append(params)
    for name in sorted(by_name):
        params = _secret_params(by_name[name], ctx.go_template)
        append_values(values, params, ctx, where)
        out.append(params)
    if spec.get("flatList"):
        return [{"clusters": out}]
    return out


def _secret_params(secret: ClusterSecret, go_template: bool) -> dict:
    params = {"name": secret.name, "nameNormalized": sanitize_name(secret.name), "server": secret.server,
              "project": secret.project or ""}
    if go_template:
        meta = {}
        if secret.annotations:
            meta["annotations"] = StrMap(secret.annotations)
        if secret.labels:
            meta["labels"] = StrMap(secret.labels)
        params["metadata"] = meta
    else:
        for key, value in secret.annotations.items():
            params[f"metadata.annotations.{key}"] = value
        for key, value in secret.labels.items():
            params[f"metadata.labels.{key}"] = value
    return params
