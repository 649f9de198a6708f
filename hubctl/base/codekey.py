"""A key for hubctl's own code and shipped data: what hubctl computed from a file may differ by build."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from hubctl.base.shipped import PACKAGE, VERSION, data_dir

# Libraries whose behaviour shapes what hubctl caches (parsing specs and templates, schema problems), by
# distribution and import name.
LIBRARIES = (("ruamel.yaml", "ruamel.yaml"), ("jsonschema", "jsonschema"), ("jsonschema_rs", "jsonschema_rs"),
             ("detect_secrets", "detect_secrets"))


@cache
def code_key() -> str:
    """hubctl's version, Python's, the versions of LIBRARIES, and the content of every file of the package
    and its shipped data (content, not mtimes: builds with normalised timestamps still differ)."""
    import platform

    digest = hashlib.sha256(f"{VERSION}\0{platform.python_version()}\0".encode())
    for dist, module in LIBRARIES:
        digest.update(f"{_installed(dist, module)}\0".encode())
    for base in (PACKAGE, data_dir("blueprints"), data_dir("schemas")):
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(base)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _installed(dist: str, module: str) -> str:
    """Where `module` is imported from and the name of its distribution's metadata directory, which holds
    the version (importlib.metadata.version reads the same, in ~50 ms instead of ~1)."""
    from importlib.util import find_spec

    try:
        spec = find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return f"{dist}: not installed"
    origin = Path(spec.origin)
    for site in origin.parents:
        found = sorted(p.name for p in site.glob(f"{dist.replace('.', '[._]')}-*.dist-info"))
        if found:
            return f"{origin}: {' '.join(found)}"
    return str(origin)
