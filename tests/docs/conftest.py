"""A scratch machine per test: working directory, Git origin, hub emulator (tests/docs/scratch.py)."""

from __future__ import annotations

import pytest

from tests.docs.scratch import Scratch


@pytest.fixture
def scratch(tmp_path, monkeypatch, capsys):
    machine = Scratch(tmp_path, monkeypatch, capsys)
    yield machine
    machine.close()
