"""The function table Argo CD's ApplicationSet controller gives Go templates: Sprig v3's generic functions
without env, expandenv and getHostByName, plus normalize, slugify, toYaml, fromYaml, fromYamlArray
(Argo CD v3.5.1 has no tpl)."""

from __future__ import annotations

from hubctl.engines.appset.sprig import argo, collections, convert, durations, misc, semver, strings, words

ARGO_FUNCS = {**strings.FUNCS, **convert.FUNCS, **collections.FUNCS, **misc.FUNCS, **argo.FUNCS,
              **semver.FUNCS, **words.FUNCS, **durations.FUNCS}
for _removed in ("env", "expandenv", "getHostByName"):
    ARGO_FUNCS.pop(_removed, None)

__all__ = ["ARGO_FUNCS"]
