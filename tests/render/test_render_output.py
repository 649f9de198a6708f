"""`hubctl render` on disk: atomic, incremental, stale files removed, --check, and the up-to-date stamp."""

from __future__ import annotations

import json
import os
from pathlib import Path

from support.tree import snapshot, write

from hubctl.usecases.render.fleet import FlowMemo, render_fleet
from hubctl.usecases.render.flows import flow_manifests
from hubctl.usecases.render.params import base_params, cluster_params
from hubctl.usecases.validate.loader import load_fleet


def test_render_writes_everything_then_only_what_changed(hubctl, example_fleet):
    first = hubctl("render", "-C", example_fleet)
    assert first.code == 0
    assert "rendered: 64 files" in first.err and "(64 added, 0 changed, 0 removed, 0 unchanged)" in first.err
    out = example_fleet / "rendered"
    untouched = out / "hub" / "projects" / "payments.yaml"
    inode, mtime = untouched.stat().st_ino, untouched.stat().st_mtime_ns

    web = example_fleet / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("2.14.0", "2.15.0"))
    second = hubctl("render", "-C", example_fleet)

    assert "(0 added, 8 changed, 0 removed, 56 unchanged)" in second.err
    assert (untouched.stat().st_ino, untouched.stat().st_mtime_ns) == (inode, mtime), "identical files stay"
    assert b"storefront-web:2.15.0" in (out / "spokes/prod-eu-1/flows/storefront/web/manifests.yaml").read_bytes()
    assert not [p for p in out.rglob("*") if ".hubctl-tmp" in p.name]


def test_removed_flow_leaves_no_stale_files_or_empty_directories(hubctl, example_fleet):
    hubctl("render", "-C", example_fleet)
    (example_fleet / "flows" / "settlement.yaml").unlink()

    result = hubctl("render", "-C", example_fleet)

    assert "(0 added, 0 changed, 2 removed, 62 unchanged)" in result.err
    out = example_fleet / "rendered"
    assert not (out / "hub/applicationsets/payments-settlement.yaml").exists()
    assert not (out / "spokes/pci-eu-1/flows/payments/settlement").exists()
    assert (out / "spokes/pci-eu-1/flows/payments/payments-api/manifests.yaml").exists()


def test_invalid_specs_leave_the_previous_output_intact(hubctl, example_fleet):
    hubctl("render", "-C", example_fleet)
    before = snapshot(example_fleet / "rendered")
    write(example_fleet, "flows/web.yaml", (example_fleet / "flows/web.yaml").read_text().replace(
        "space: storefront", "space: storefrnt"))

    result = hubctl("render", "-C", example_fleet)

    assert result.code == 3
    assert "flows/web.yaml:8:3: spec.space: unknown space `storefrnt`" in result.err
    assert snapshot(example_fleet / "rendered") == before


def test_check_lists_stale_files_and_exits_4(hubctl, example_fleet):
    hubctl("render", "-C", example_fleet)
    (example_fleet / "rendered/hub/root.yaml").write_text("edited by hand\n")
    (example_fleet / "rendered/hub/projects/old-space.yaml").write_text("kind: AppProject\n")
    (example_fleet / "rendered/hub/clusters/prod-eu-1.yaml").unlink()
    before = snapshot(example_fleet / "rendered")

    result = hubctl("render", "-C", example_fleet, "--check")

    assert result.code == 4
    assert result.out == ("missing  rendered/hub/clusters/prod-eu-1.yaml\n"
                          "differs  rendered/hub/root.yaml\n"
                          "stale    rendered/hub/projects/old-space.yaml\n")
    assert snapshot(example_fleet / "rendered") == before, "--check writes nothing"
    as_json = json.loads(hubctl("render", "-C", example_fleet, "--check", "-o", "json").out)
    assert as_json["stale"] is True and as_json["removed"] == ["hub/projects/old-space.yaml"]


def test_check_passes_on_a_fresh_render(hubctl, example_fleet):
    hubctl("render", "-C", example_fleet)
    result = hubctl("render", "-C", example_fleet, "--check")
    assert result.code == 0
    assert "is up to date: 64 files" in result.err


def test_a_hand_edit_is_repaired_even_when_the_stamp_says_up_to_date(hubctl, example_fleet):
    hubctl("render", "-C", example_fleet)
    root = example_fleet / "rendered/hub/root.yaml"
    good = root.read_bytes()
    root.write_bytes(good + b"# hand edit\n")

    result = hubctl("render", "-C", example_fleet)

    assert "(0 added, 1 changed, 0 removed, 63 unchanged)" in result.err
    assert root.read_bytes() == good


def test_out_elsewhere_touches_nothing_else(hubctl, example_fleet, tmp_path):
    before = snapshot(example_fleet)
    result = hubctl("render", "-C", example_fleet, "--out", tmp_path / "out")
    assert result.code == 0
    assert snapshot(example_fleet) == before
    assert len([p for p in (tmp_path / "out").rglob("*") if p.is_file()]) == 64
    assert sorted(os.listdir(tmp_path)) == ["fleet", "out"]


def test_memoized_flow_render_equals_rendering_each_cluster(example_fleet):
    fleet = load_fleet(example_fleet)
    memo = FlowMemo(fleet)
    from hubctl.usecases.render.fleet import _file

    for p in render_fleet(fleet).placements:
        flow, cluster = fleet.flows[p.flow], fleet.clusters[p.cluster]
        if flow.blueprint is None:
            continue
        direct = _file(flow.origin.file, flow_manifests(fleet, flow, cluster,
                                                       cluster_params(base_params(fleet, flow), flow, cluster)))
        made = memo.for_flow(flow, base_params(fleet, flow))(cluster)
        assert (made if isinstance(made, bytes) else made.make(cluster.name)) == direct, (p.flow, p.cluster)


def test_recipes_and_content_digests_agree_on_what_changed(example_fleet, tmp_path):
    """A stamp written with content digests (or recipes) still proves unchanged files unchanged when the
    next render identifies them the other way; a real change is found either way."""
    from hubctl.usecases.render.output import write_output

    render = render_fleet(load_fleet(example_fleet))
    assert render.recipes and set(render.recipes) < set(render.files)
    out = tmp_path / "out"
    write_output(render.files, out)  # content digests only
    again = write_output(render.files, out, recipes=render.recipes)
    assert (again.changed, again.added, again.removed, again.unchanged) == ([], [], [], len(render.files))
    once_more = write_output(render.files, out)  # and back
    assert not once_more.dirty and once_more.unchanged == len(render.files)
    stamped = next(iter(render.recipes))
    files = dict(render.files)
    files[stamped] = files[stamped].replace(b"hubctl.io/", b"hubctl.io/x-", 1)
    changed = write_output(files, out, recipes={k: v for k, v in render.recipes.items() if k != stamped})
    assert changed.changed == [stamped] and (out / stamped).read_bytes() == files[stamped]
    back = write_output(render.files, out, recipes=render.recipes)
    assert back.changed == [stamped] and (out / stamped).read_bytes() == render.files[stamped]


def test_render_is_deterministic_across_processes(example_fleet, tmp_path):
    import subprocess
    import sys

    code = ("import sys, hashlib; from hubctl.usecases.validate.loader import load_fleet; "
            "from hubctl.usecases.render.fleet import "
            "render_fleet; r = render_fleet(load_fleet(sys.argv[1])); "
            "print(hashlib.sha256(b''.join(k.encode() + v for k, v in r.files.items())).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code, str(example_fleet)], check=True, capture_output=True,
                              text=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "random")}
    assert len(digests) == 1


def test_root_application_syncs_the_hub_directory(example_fleet):
    files = render_fleet(load_fleet(example_fleet)).files
    root = files["hub/root.yaml"].decode()
    assert "path: rendered/hub\n" in root and "exclude: root.yaml" in root
    assert Path("hub/projects/hub-admin.yaml").as_posix() in files


def test_render_dir_from_hubctl_yaml(hubctl, example_fleet):
    hub = example_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("  renderDir: rendered", "  renderDir: 'out/deploy'"))
    assert hubctl("render", "-C", example_fleet).code == 0
    assert (example_fleet / "out/deploy/hub/root.yaml").is_file() and not (example_fleet / "rendered").exists()
    again = hubctl("render", "-C", example_fleet)
    assert "(0 added, 0 changed, 0 removed, 64 unchanged)" in again.err
    assert hubctl("appset", "preview", example_fleet / "out/deploy/hub/applicationsets/storefront-web.yaml",
                  "-C", example_fleet, "-o", "json").code == 0
