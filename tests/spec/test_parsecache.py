"""The parse cache never changes a result: edits are seen, a broken cache is ignored."""

from __future__ import annotations

import os
from pathlib import Path


def cache_files() -> list[Path]:
    base = Path(os.environ["XDG_CACHE_HOME"]) / "hubctl" / "parsed"
    return sorted(base.glob("*.pickle"))


def test_an_edit_after_a_cached_run_is_seen(hubctl, base_fleet):
    assert hubctl("validate", "-C", base_fleet).code == 0
    assert cache_files()
    flow = base_fleet / "flows" / "api.yaml"
    flow.write_text(flow.read_text().replace("space: team-a", "space: team-z"))
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == 3 and "unknown space `team-z`" in result.out


def test_a_corrupt_cache_is_ignored_and_replaced(hubctl, base_fleet):
    hubctl("validate", "-C", base_fleet)
    caches = cache_files()
    for cache in caches:
        cache.write_bytes(b"not a pickle")
    assert hubctl("validate", "-C", base_fleet).code == 0
    assert all(cache.read_bytes() != b"not a pickle" for cache in caches)


def test_problems_come_back_from_the_cache(hubctl, base_fleet):
    flow = base_fleet / "flows" / "api.yaml"
    flow.write_text(flow.read_text() + "spec: {}\n")
    first = hubctl("validate", "-C", base_fleet)
    second = hubctl("validate", "-C", base_fleet)
    assert first.code == second.code == 3
    assert first.out == second.out and "duplicate key `spec`" in second.out


def test_after_one_flow_changed_only_the_flows_part_is_written_again(hubctl, base_fleet):
    assert hubctl("validate", "-C", base_fleet).code == 0
    before = {path: (path.stat().st_ino, path.read_bytes()) for path in cache_files()}
    flow = base_fleet / "flows" / "api.yaml"
    flow.write_text(flow.read_text().replace("space: team-a", "space: team-z"))
    assert hubctl("validate", "-C", base_fleet).code == 3
    after = {path: (path.stat().st_ino, path.read_bytes()) for path in cache_files()}
    assert after.keys() == before.keys() and len(after) >= 3  # the top directory, clusters/, spaces/, flows/
    assert len([path for path in after if after[path] != before[path]]) == 1
    cluster = next((base_fleet / "clusters").iterdir())  # and an edit elsewhere is still seen
    cluster.write_text(cluster.read_text() + "bogus: 1\n")
    assert "unknown key `bogus`" in hubctl("validate", "-C", base_fleet).out
