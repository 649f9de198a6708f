"""Rendering strings and Application templates with parameters, as Argo CD's Render does.

With goTemplate every string (and every map key) is a Go template; without it, fasttemplate replaces
`{{ key }}` tags whose key is a string parameter and leaves other tags alone. Templates are compiled once
per (text, options) and reused for every parameter set.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hubctl.base.constants import ARGO_FINALIZER
from hubctl.engines.appset.gotmpl import ExecError, Template, TemplateSyntaxError
from hubctl.engines.appset.sprig import ARGO_FUNCS


class RenderFailure(Exception):
    """A template failed to parse or execute; the message is Argo CD's."""


_TAGGED = re.compile(r"\{\{.*\}\}")  # Go's `.*{{.*}}.*`: `.` stops at newlines


@lru_cache(maxsize=8192)
def compiled(text: str, options: tuple = ()) -> Template:
    """The parsed and compiled Go template for `text` (cached).

    Raises:
        RenderFailure: the text does not parse, or an option is unknown.
    """
    try:
        return Template(text, ARGO_FUNCS, options)
    except TemplateSyntaxError as exc:
        raise RenderFailure(f"failed to parse template {text}: {exc}") from None
    except ValueError as exc:
        raise RenderFailure(str(exc)) from None


def go_replace(text: str, params: dict, options: tuple = ()) -> str:
    """Render one string as a Go template (Argo CD's Render.Replace with goTemplate).

    Raises:
        RenderFailure: parse or execution error.
    """
    template = compiled(text, options)
    try:
        return template.execute(params)
    except ExecError as exc:
        raise RenderFailure(f"failed to execute go template {text}: {exc}") from None


def fast_replace(text: str, params: dict) -> str:
    """fasttemplate with `{{`/`}}`: replace tags naming string parameters, keep the others verbatim.

    Raises:
        RenderFailure: an opening tag without a closing one (when the text looks templated at all).
    """
    if not _TAGGED.search(text):
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        end = text.find("}}", start + 2)
        if end < 0:
            raise RenderFailure(f'invalid template: Cannot find end tag="}}}}" in the template="{text}" '
                                f'starting from "{text[start + 2:]}"')
        out.append(text[pos:start])
        tag = text[start + 2:end]
        value = params.get(tag.strip(" \t\n\r\v\f"))
        out.append(value if tag.strip() and isinstance(value, str) else "{{" + tag + "}}")
        pos = end + 2


def replace(text: str, params: dict, go_template: bool, options: tuple = ()) -> str:
    """Render one string the way Argo CD renders a template field."""
    return go_replace(text, params, options) if go_template else fast_replace(text, params)


# -- objects ------------------------------------------------------------------------------------------
def compile_object(obj, go_template: bool, options: tuple = (), path: str = ""):
    """A function params -> rendered copy of `obj`: every string leaf and every map key templated.

    None values inside mappings are dropped, as Go's reflection walk skips nil map values. Errors raise
    RenderFailure naming the field path.
    """
    if isinstance(obj, str):
        return _compile_string(obj, go_template, options, path or "<root>")
    if isinstance(obj, dict):
        entries = [(_compile_string(k, go_template, options, f"{path}[key {k!r}]") if isinstance(k, str)
                    else (lambda p, k=k: k), compile_object(v, go_template, options, _join(path, k)))
                   for k, v in obj.items() if v is not None]

        def render_dict(params):
            return {key(params): value(params) for key, value in entries}
        return render_dict
    if isinstance(obj, list):
        items = [compile_object(v, go_template, options, f"{path}[{i}]") for i, v in enumerate(obj)]
        return lambda params: [item(params) for item in items]
    return lambda params: obj


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def _compile_string(text: str, go_template: bool, options: tuple, path: str):
    if "{{" not in text:
        return lambda params: text
    if not go_template:
        def fast(params):
            try:
                return fast_replace(text, params)
            except RenderFailure as exc:
                raise RenderFailure(f"{path}: {exc}") from None
        return fast
    try:
        template = compiled(text, options)
    except RenderFailure as exc:
        message = f"{path}: {exc}"

        def broken(params):
            raise RenderFailure(message)
        return broken

    def run(params):
        try:
            return template.execute(params)
        except ExecError as exc:
            raise RenderFailure(f"{path}: failed to execute go template {text}: {exc}") from None
    return run


def add_default_finalizer(app: dict, sync_policy: dict | None) -> None:
    """The controller adds the resources finalizer unless the template has finalizers or the set
    preserves resources on deletion."""
    meta = app.setdefault("metadata", {})
    if (sync_policy or {}).get("preserveResourcesOnDeletion"):
        return
    if not meta.get("finalizers"):
        meta["finalizers"] = [ARGO_FINALIZER]


def render_object(template: dict, params: dict, go_template: bool, options: tuple = (),
                  sync_policy: dict | None = None) -> dict:
    """Render an Application template (RenderTemplateParams): empty params return it unchanged."""
    import copy

    if not params:
        return copy.deepcopy(template)
    app = compile_object(template, go_template, tuple(options))(params)
    if "metadata" in app or "spec" in app:
        add_default_finalizer(app, sync_policy)
    return app
