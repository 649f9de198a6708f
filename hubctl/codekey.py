"""A key for hubctl's own code and shipped data: what hubctl computed from a file may differ by build."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path


@cache
def code_key() -> str:
    """The version plus the path, size and mtime of every file of the package and its shipped data."""
    import hubctl
    from hubctl.spec.schema import data_dir

    digest = hashlib.sha256(hubctl.__version__.encode())
    for base in (Path(hubctl.__file__).parent, data_dir("blueprints"), data_dir("schemas")):
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return digest.hexdigest()
