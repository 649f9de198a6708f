"""hubctl: run a fleet of Kubernetes clusters the GitOps way, hub and spoke, with Argo CD.

The Python API mirrors the CLI:

    import hubctl
    fleet = hubctl.load_fleet("fleet/")      # raises hubctl.base.errors.SpecError
    problems = hubctl.validate("fleet/")     # [] when valid
"""

from __future__ import annotations

from hubctl.base.shipped import VERSION as __version__

__all__ = ["load_fleet", "validate", "render_fleet", "__version__"]


def __getattr__(name: str):  # lazy: `import hubctl` stays cheap for the CLI
    if name in ("load_fleet", "validate"):
        from hubctl.usecases.validate import loader

        return getattr(loader, name)
    if name == "render_fleet":
        from hubctl.usecases.render.fleet import render_fleet

        return render_fleet
    raise AttributeError(name)
