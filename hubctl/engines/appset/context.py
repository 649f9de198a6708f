"""What every generator reads (the Context) and what each adds to its parameter sets (its `values`).

Below the generators and the composites that run them (generators.py, compose.py, git.py), so none of them
imports another to reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hubctl.base.errors import AppSetError
from hubctl.engines.appset.clusters import ClusterSecret
from hubctl.engines.appset.gotmpl.values import StrMap
from hubctl.engines.appset.render import RenderFailure, replace


@dataclass
class Context:
    """What generators read: the cluster Secrets, the local repository, and the set's template mode."""

    clusters: list[ClusterSecret]
    go_template: bool
    options: tuple = ()
    repo: object | None = None  # the repository's trees (hubctl.adapters.git.trees.RepositoryTrees)
    revision: str | None = None
    cache: dict = field(default_factory=dict)


def append_values(values: dict | None, params: dict, ctx: Context, where: str) -> None:
    """Add the generator's `values` (templated with this parameter set) as values.<k> / .values.k."""
    if not values:
        return
    rendered = {}
    for key, text in values.items():
        try:
            rendered[key] = replace(str(text), params, ctx.go_template, ctx.options)
        except RenderFailure as exc:
            raise AppSetError(f"{where}.values.{key}: {exc}") from None
    if ctx.go_template:
        params["values"] = StrMap(rendered)
    else:
        params.update({f"values.{k}": v for k, v in rendered.items()})
