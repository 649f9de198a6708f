"""`hubctl validate PATH...`: the named spec files (or directories) checked in the context of their fleet, and
`hubctl validate FILE` for a file that holds a whole fleet on its own (docs/specs.md: `hubctl validate fleet.yaml`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "fleet"


def fleet(tmp_path: Path) -> Path:
    root = tmp_path / "fleet"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("rendered"))
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))


def test_a_file_reports_only_its_own_problems_and_counts_the_rest(hubctl, tmp_path, monkeypatch):
    root = fleet(tmp_path)
    edit(root, "flows/web.yaml", "space: storefront", "space: storefrnt")
    edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")
    monkeypatch.chdir(root)

    result = hubctl("validate", "flows/web.yaml")

    assert result.code == 3
    assert result.out.startswith("flows/web.yaml:8:3: spec.space: unknown space `storefrnt`\n")
    assert "ingest" not in result.out
    assert "1 problem in 1 file" in result.err
    assert "1 more problem elsewhere in the fleet" in result.err


def test_a_valid_file_in_an_invalid_fleet_exits_0_and_says_so(hubctl, tmp_path, monkeypatch):
    root = fleet(tmp_path)
    edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")
    monkeypatch.chdir(root)

    result = hubctl("validate", "flows/web.yaml", "clusters/prod-eu-1.yaml", "-o", "json")

    assert result.code == 0, result.out + result.err
    answer = json.loads(result.out)
    assert answer["valid"] is True and answer["problems"] == [] and answer["elsewhere"] == 1
    assert answer["files"] == ["clusters/prod-eu-1.yaml", "flows/web.yaml"]


def test_references_are_checked_against_the_fleet(hubctl, tmp_path):
    root = fleet(tmp_path)
    edit(root, "clusters/pci-eu-1.yaml", "dedicatedTo: payments", "dedicatedTo: paymnts")

    result = hubctl("validate", "-C", root, "clusters/pci-eu-1.yaml", "-o", "json")

    assert result.code == 3
    assert [(p["path"], p["hint"]) for p in json.loads(result.out)["problems"]] == [
        ("spec.dedicatedTo", "did you mean `payments`?")]


def test_a_directory_of_the_fleet_and_the_hub_file(hubctl, tmp_path, monkeypatch):
    root = fleet(tmp_path)
    edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")
    monkeypatch.chdir(root)

    assert hubctl("validate", "flows").code == 3
    assert hubctl("validate", "spaces/", "hubctl.yaml").code == 0


def test_a_file_that_holds_a_whole_fleet_is_validated_on_its_own(hubctl, tmp_path, monkeypatch):
    root = fleet(tmp_path)
    docs = [root / "hubctl.yaml", root / "clusters" / "prod-eu-1.yaml", root / "spaces" / "storefront.yaml",
            root / "flows" / "catalog-api.yaml"]
    single = tmp_path / "elsewhere" / "fleet.yaml"
    single.parent.mkdir()
    single.write_text("---\n".join(d.read_text() for d in docs))
    monkeypatch.chdir(single.parent)

    ok = hubctl("validate", "fleet.yaml")
    assert ok.code == 0, ok.out + ok.err
    assert "fleet is valid: 1 cluster, 1 space, 1 flow" in ok.err + ok.out

    single.write_text(single.read_text().replace("space: storefront", "space: storefrnt"))
    bad = hubctl("validate", "fleet.yaml")
    assert bad.code == 3
    assert "fleet.yaml:" in bad.out and "unknown space `storefrnt`" in bad.out


def test_a_path_that_does_not_exist_is_a_usage_error(hubctl, tmp_path):
    root = fleet(tmp_path)
    result = hubctl("validate", "-C", root, "flows/nope.yaml")
    assert result.code == 2
    assert "flows/nope.yaml does not exist" in result.err


def test_a_non_spec_file_among_spec_files_is_a_usage_error(hubctl, tmp_path, monkeypatch):
    root = fleet(tmp_path)
    (root / "README.md").write_text("# fleet\n")
    monkeypatch.chdir(root)
    result = hubctl("validate", "flows/web.yaml", "README.md")
    assert result.code == 2
    assert "README.md is not a spec file (or a directory of spec files) of the fleet" in result.err


def test_a_fifo_a_device_or_a_link_out_of_the_fleet_is_refused_never_read_blocking(hubctl, tmp_path, monkeypatch):
    import os

    root = fleet(tmp_path)
    os.mkfifo(root / "flows" / "pipe.yaml")
    outside = tmp_path / "outside.yaml"
    outside.write_text((root / "flows" / "web.yaml").read_text())
    (root / "flows" / "link.yaml").symlink_to(outside)
    monkeypatch.chdir(root)

    fifo = hubctl("validate", "flows/pipe.yaml", "-o", "json")
    assert fifo.code == 3 and [p["code"] for p in json.loads(fifo.out)["problems"]] == ["not-a-file"]
    assert hubctl("validate", "/dev/null").code == 2
    link = hubctl("validate", "flows/link.yaml", "-o", "json")
    assert link.code == 3 and [p["code"] for p in json.loads(link.out)["problems"]] == ["path-escape"]


def test_github_annotations_cover_only_the_named_files(hubctl, tmp_path, monkeypatch):
    root = fleet(tmp_path)
    edit(root, "flows/web.yaml", "space: storefront", "space: storefrnt")
    edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")
    monkeypatch.chdir(root)

    result = hubctl("validate", "flows/web.yaml", "-o", "github")

    assert result.code == 3
    assert result.out.count("::error ") == 1 and "file=flows/web.yaml" in result.out


def test_a_spec_file_name_with_a_line_break_is_refused_and_injects_nothing_into_the_render(hubctl, tmp_path):
    # a pull request adds a flow whose file name carries YAML: the name lands in the header comment of every
    # file rendered from it, so a line break in it would add an object the hub (or the spoke) applies
    root = fleet(tmp_path)
    injected = "x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: pwn, namespace: argocd}\n---\n#.yaml"
    for name in (injected, "y\u2028kind: Secret.yaml", "z\rq.yaml"):
        (root / "flows" / name).write_text((root / "flows" / "web.yaml").read_text()
                                           .replace("name: web\n", f"name: web{len(name)}\n", 1))

    result = hubctl("-C", root, "validate", "-o", "json")

    assert result.code == 3, result.err
    found = json.loads(result.out)["problems"]
    assert [p["code"] for p in found] == ["bad-file-name"] * 3
    assert all("rename" in p["hint"] and "\n" not in p["file"] and "\r" not in p["file"] for p in found)
    assert "pwn" not in result.out or "\\n" in result.out
    assert hubctl("-C", root, "render").code == 3
    assert not (root / "rendered").exists()
    assert "Traceback" not in result.err


def test_the_render_header_keeps_a_hostile_source_name_on_one_comment_line():
    from hubctl.usecases.render.fleet import header

    text = header("flows/x\n---\nkind: Secret\u2028y.yaml")
    assert text.count("\n") == 1 and text.startswith("# ") and "\\n---\\nkind: Secret\\u2028y.yaml" in text
