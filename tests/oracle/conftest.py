"""The Go oracle, built once per test session (tests/oracle/driver.py). Without Go the oracle tests skip,
saying why; under CI=true they fail instead (tests/support/install-go.sh installs Go there)."""

from __future__ import annotations

import os

import pytest

from tests.oracle.driver import build_goref, go_missing


@pytest.fixture(scope="session")
def goref(tmp_path_factory):
    """The path of the reference renderer binary."""
    if reason := go_missing():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return build_goref(tmp_path_factory.mktemp("goref"))
