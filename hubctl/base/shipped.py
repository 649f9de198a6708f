"""What hubctl ships: its version, its package directory, and its data (schemas, blueprints).

The data is under `_data/` in a wheel (pyproject.toml's force-include) and beside the package in a source
checkout. `__version__` of `hubctl` is VERSION; pyproject.toml states it too.
"""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"
PACKAGE = Path(__file__).resolve().parent.parent
_PACKAGE_DATA = PACKAGE / "_data"
_REPO_ROOT = PACKAGE.parent


def data_dir(name: str) -> Path:
    """The directory of shipped data (schemas, blueprints): in the wheel, or in a source checkout."""
    packaged = _PACKAGE_DATA / name
    return packaged if packaged.is_dir() else _REPO_ROOT / name
