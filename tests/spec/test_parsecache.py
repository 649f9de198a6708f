"""The parse cache never changes a result: edits are seen, a broken cache is ignored."""

from __future__ import annotations

import os
from pathlib import Path


def cache_files() -> list[Path]:
    base = Path(os.environ["XDG_CACHE_HOME"]) / "hubctl" / "parsed"
    return sorted(base.glob("*.pickle"))


def test_an_edit_after_a_cached_run_is_seen(hubctl, base_fleet):
    assert hubctl("validate", "-C", base_fleet).code == 0
    assert len(cache_files()) == 1
    flow = base_fleet / "flows" / "api.yaml"
    flow.write_text(flow.read_text().replace("space: team-a", "space: team-z"))
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == 3 and "unknown space `team-z`" in result.out


def test_a_corrupt_cache_is_ignored_and_replaced(hubctl, base_fleet):
    hubctl("validate", "-C", base_fleet)
    [cache] = cache_files()
    cache.write_bytes(b"not a pickle")
    assert hubctl("validate", "-C", base_fleet).code == 0
    assert cache.read_bytes() != b"not a pickle"


def test_problems_come_back_from_the_cache(hubctl, base_fleet):
    flow = base_fleet / "flows" / "api.yaml"
    flow.write_text(flow.read_text() + "spec: {}\n")
    first = hubctl("validate", "-C", base_fleet)
    second = hubctl("validate", "-C", base_fleet)
    assert first.code == second.code == 3
    assert first.out == second.out and "duplicate key `spec`" in second.out
