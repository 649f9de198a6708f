"""The text cache is kept per kind of text (hub objects, flow manifests, variants): after one flow changed,
only the flows' texts are written again, and the render is exactly what a render without caches gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def text_files() -> dict[Path, tuple[int, bytes]]:
    base = Path(os.environ["XDG_CACHE_HOME"]) / "hubctl" / "texts"
    return {path: (path.stat().st_ino, path.read_bytes()) for path in sorted(base.glob("*.pickle"))}


def rendered(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_one_flow_changed_rewrites_the_flow_texts_only_and_renders_as_without_cache(
        hubctl, example_fleet, tmp_path, monkeypatch):
    assert hubctl("render", "-C", example_fleet).code == 0
    before = text_files()
    flow = example_fleet / "flows" / "cart-worker.yaml"
    flow.write_text(flow.read_text().replace("cart-worker:0.9.1", "cart-worker:0.9.2"))
    assert hubctl("render", "-C", example_fleet).code == 0
    after = text_files()
    assert after.keys() == before.keys() and len(after) == 2  # hub objects, flow manifests
    assert len([path for path in after if after[path] != before[path]]) == 1

    control = tmp_path / "control"
    shutil.copytree(example_fleet, control)
    shutil.rmtree(control / "rendered")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-cache-yet"))
    assert hubctl("render", "-C", control).code == 0
    assert rendered(control / "rendered") == rendered(example_fleet / "rendered")
    assert b"cart-worker:0.9.2" in b"".join(rendered(control / "rendered").values())
