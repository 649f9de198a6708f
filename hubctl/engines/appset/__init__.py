"""Offline ApplicationSet preview: expand an ApplicationSet exactly as Argo CD's controller would.

    from hubctl.engines.appset import render_template, generate_params, expand

Pure Python: Go text/template with Sprig and Argo CD's functions, fasttemplate, and the list, clusters,
git, matrix and merge generators. See docs/appset-preview.md for divergences from Argo CD.

An engine: it answers what Argo CD would generate, whatever hubctl's specs say. May import: hubctl.base only.
"""

from __future__ import annotations

from hubctl.base.errors import AppSetError

__all__ = ["expand", "generate_params", "render_template", "secret_from_registration"]


def render_template(template, params: dict, *, go_template: bool, options=()):
    """Render a string, or an Application template object, with one parameter set.

    A string is rendered as Argo CD's Render.Replace does. An object is rendered as
    RenderTemplateParams does with no syncPolicy: every string and map key templated, the resources
    finalizer added when it has none, and returned unchanged when `params` is empty.

    Raises:
        AppSetError: the template does not parse or fails to execute.
    """
    from hubctl.engines.appset.render import RenderFailure, render_object, replace

    try:
        if isinstance(template, str):
            return replace(template, params, go_template, tuple(options))
        return render_object(template, params, go_template, tuple(options))
    except RenderFailure as exc:
        raise AppSetError(str(exc)) from None


def generate_params(generator: dict, *, clusters, repo=None, go_template: bool,
                    options=(), revision: str | None = None) -> list[dict]:
    """The parameter sets one entry of spec.generators produces (post-selector applied).

    Args:
        generator: one entry of spec.generators.
        clusters: cluster Secret dicts (or cluster registrations).
        repo: the local repository git generators read: hubctl.adapters.git.trees.RepositoryTrees(path).
        go_template: the set's goTemplate.
        options: the set's goTemplateOptions.
        revision: override every git generator's revision.

    Raises:
        AppSetError: the generator failed.
    """
    from hubctl.engines.appset.clusters import load_cluster_secrets
    from hubctl.engines.appset.generators import Context, transform

    ctx = Context(load_cluster_secrets(clusters), go_template, tuple(options), repo, revision)
    return [params for group in transform(generator, ctx, "generator") for params in group]


def expand(appset: dict, *, clusters, repo=None, revision: str | None = None) -> list[dict]:
    """The Applications `appset` generates (complete apiVersion/kind/metadata/spec dicts); `repo`, for git
    generators, is hubctl.adapters.git.trees.RepositoryTrees(path).

    Raises:
        AppSetError: a generator or template failed (the whole set fails, as in the controller).
    """
    from hubctl.engines.appset.expansion import expand as _expand

    return _expand(appset, clusters=clusters, repo=repo, revision=revision)


def secret_from_registration(doc: dict) -> dict | None:
    """The Argo CD cluster Secret a rendered registration (Secret or ExternalSecret) stands for."""
    from hubctl.engines.appset.clusters import secret_from_registration as _convert

    return _convert(doc)


