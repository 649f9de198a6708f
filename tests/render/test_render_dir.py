"""Where render may write and what it may delete: renderDir and --out confined, foreign files kept.

The bad-fleet corpus (tests/bad_fleets/render-dir-*) holds the renderDir values validate rejects.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.tree import snapshot, write

GIT_ENV = {"PATH": os.environ.get("PATH", os.defpath), "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}
SPECS = ("hubctl.yaml", "clusters", "spaces", "flows", "blueprints")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def set_render_dir(fleet: Path, value: str) -> None:
    hub = fleet / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("renderDir: rendered", f"renderDir: {value}"))


def specs(fleet: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(fleet).items() if rel.split("/")[0] in SPECS}


@pytest.mark.parametrize(("value", "message"), [
    ("/tmp/hubctl-out", "`/tmp/hubctl-out` is an absolute path"),
    (".", "`.` is the fleet root itself"),
    ("./", "`./` is the fleet root itself"),
    ("../out/../", "`../out/../` contains `..`"),
    ("rendered/../../elsewhere", "`rendered/../../elsewhere` contains `..`"),
    ("flows", "`flows` overlaps `flows`, where the specs are"),
    ("clusters/out", "`clusters/out` overlaps `clusters`"),
    ("hubctl.yaml", "`hubctl.yaml` overlaps `hubctl.yaml`"),
    (".git/rendered", "`.git/rendered` is inside `.git/`"),
])
def test_validate_and_render_reject_a_render_dir_outside_the_fleet_or_over_the_specs(
        hubctl, example_fleet, value, message):
    set_render_dir(example_fleet, value)
    before = snapshot(example_fleet.parent)

    checked = hubctl("validate", "-C", example_fleet)
    rendered = hubctl("render", "-C", example_fleet)

    assert checked.code == 3
    assert f"hubctl.yaml:14:3: spec.renderDir: {message}" in checked.out
    assert "hint: use a relative path inside the fleet that holds no specs" in checked.out
    assert rendered.code == 3 and f"hubctl.yaml:14:3: spec.renderDir: {message}" in rendered.err
    assert "Traceback" not in rendered.err
    assert snapshot(example_fleet.parent) == before, "nothing written, nothing deleted"
    assert hubctl("commit", "-C", example_fleet, "--dry-run").code == 3


def test_a_nested_render_dir_is_fine(hubctl, example_fleet):
    set_render_dir(example_fleet, "out/rendered")
    assert hubctl("validate", "-C", example_fleet).code == 0
    assert hubctl("render", "-C", example_fleet).code == 0
    assert (example_fleet / "out/rendered/hub/root.yaml").is_file()


@pytest.mark.parametrize("link", ["flows", "..", "."])
def test_a_render_dir_that_is_a_symbolic_link_to_the_specs_or_outside_is_refused(hubctl, example_fleet, link):
    (example_fleet / "rendered").symlink_to(link)
    before = snapshot(example_fleet.parent)

    result = hubctl("render", "-C", example_fleet)

    assert result.code == 3, result.err
    assert "hubctl.yaml:14:3 spec.renderDir (really " in result.err
    assert snapshot(example_fleet.parent) == before


@pytest.mark.parametrize("out", [".", "..", "flows", "flows/x", "clusters"])
def test_out_may_not_be_the_fleet_a_directory_above_it_or_a_spec_directory(hubctl, example_fleet, out,
                                                                             monkeypatch):
    monkeypatch.chdir(example_fleet)
    before = specs(example_fleet)

    result = hubctl("render", "--out", out)

    assert result.code == 2, result.err
    assert f"--out {out}" in result.err and "Traceback" not in result.err
    assert specs(example_fleet) == before


def test_render_never_writes_through_a_symbolic_link_inside_the_render_dir(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    spokes = example_fleet / "rendered/spokes"
    shutil.rmtree(spokes)
    spokes.symlink_to("../flows")
    before = specs(example_fleet)

    result = hubctl("render", "-C", example_fleet)

    assert result.code == 3
    assert "rendered/spokes is a file or symbolic link where the render needs a directory" in result.err
    assert specs(example_fleet) == before


def test_render_deletes_only_files_it_wrote(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    out = example_fleet / "rendered"
    planted = {"hub/projects/old-space.yaml": "kind: AppProject\n", "notes/README.md": "mine\n",
               "spokes/prod-eu-1/flows/storefront/web/extra.yaml": "kind: ConfigMap\n"}
    for rel, text in planted.items():
        write(out, rel, text)
    (example_fleet / "flows/settlement.yaml").unlink()
    before = specs(example_fleet)

    result = hubctl("render", "-C", example_fleet, "-o", "json")

    assert result.code == 0
    report = json.loads(result.out)
    assert report["removed"] == ["hub/applicationsets/payments-settlement.yaml",
                                 "spokes/pci-eu-1/flows/payments/settlement/manifests.yaml"]
    assert report["foreign"] == sorted(planted)
    assert {rel: (out / rel).read_text() for rel in planted} == planted
    assert specs(example_fleet) == before
    text = hubctl("render", "-C", example_fleet)
    assert "left 3 file(s) in" in text.err and "that hubctl did not write: hub/projects/old-space.yaml" in text.err
    check = hubctl("render", "-C", example_fleet, "--check")
    assert check.code == 4 and "stale    rendered/notes/README.md" in check.out


def test_without_its_record_render_deletes_only_what_git_holds_unchanged(hubctl, example_fleet, tmp_path,
                                                                         monkeypatch):
    assert hubctl("render", "-C", example_fleet).code == 0
    git(example_fleet, "init", "-q", "-b", "main")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "fleet and render")
    out = example_fleet / "rendered"
    write(out, "hub/projects/untracked.yaml", "kind: AppProject\n")
    edited = out / "spokes/pci-eu-1/flows/payments/settlement/manifests.yaml"
    edited.write_text(edited.read_text() + "# kept by hand\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-cache"))  # a new clone: no ownership record
    (example_fleet / "flows/settlement.yaml").unlink()

    result = hubctl("render", "-C", example_fleet, "-o", "json")

    report = json.loads(result.out)
    assert report["removed"] == ["hub/applicationsets/payments-settlement.yaml"], "committed and unchanged"
    assert report["foreign"] == ["hub/projects/untracked.yaml",
                                 "spokes/pci-eu-1/flows/payments/settlement/manifests.yaml"]
    assert edited.read_text().endswith("# kept by hand\n")
    assert not (out / "hub/applicationsets/payments-settlement.yaml").exists()


def test_a_kept_foreign_file_blocks_nothing_else_and_is_never_adopted(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    write(example_fleet / "rendered", "hub/projects/mine.yaml", "kind: AppProject\n")
    hubctl("render", "-C", example_fleet)
    web = example_fleet / "flows/web.yaml"
    web.write_text(web.read_text().replace("2.14.0", "2.15.0"))

    result = json.loads(hubctl("render", "-C", example_fleet, "-o", "json").out)

    assert result["foreign"] == ["hub/projects/mine.yaml"] and len(result["changed"]) == 8
    assert (example_fleet / "rendered/hub/projects/mine.yaml").exists()
    assert os.path.isfile(example_fleet / "rendered/hub/root.yaml")


@pytest.mark.parametrize("value", ["/srv/rendered", "../rendered"])
def test_the_render_path_in_the_hubs_repository_stays_inside_it(hubctl, example_fleet, value):
    hub = example_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("    branch: main\n", f"    branch: main\n    path: {value}\n"))

    result = hubctl("validate", "-C", example_fleet)

    assert result.code == 3
    assert f"hubctl.yaml:14:5: spec.repo.path: `{value}` " in result.out
    assert "the render's path must stay inside the repository" in result.out


def test_a_directory_where_the_render_writes_a_file_is_refused_before_anything_changes(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    out = example_fleet / "rendered"
    (out / "hub/root.yaml").unlink()
    write(out, "hub/root.yaml/mine.txt", "mine\n")
    web = example_fleet / "flows/web.yaml"
    web.write_text(web.read_text().replace("2.14.0", "2.15.0"))
    before = snapshot(example_fleet)

    result = hubctl("render", "-C", example_fleet)

    assert result.code == 3
    assert "rendered/hub/root.yaml is a directory where the render writes a file" in result.err
    assert snapshot(example_fleet) == before, "refused before the first write: no journal, nothing changed"


PLANTED = {"spokes/prod-eu-1/spaces/.x/rb.yaml": "kind: RoleBinding\nroleRef: {name: cluster-admin}\n",
           "hub/.evil.json": "{}\n", "hub/.hidden/x.yaml": "kind: ConfigMap\n", "hub/planted.yaml": "kind: X\n",
           "hub/.x.hubctl-tmp-1/y.yaml": "kind: X\n"}  # a directory with hubctl's temporary name is no exception


def test_files_the_render_did_not_write_dot_files_included_make_check_and_commit_fail(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    out = example_fleet / "rendered"
    for rel, text in PLANTED.items():
        write(out, rel, text)
    git(example_fleet, "init", "-q", "-b", "main")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "fleet, render and planted files")

    check = hubctl("render", "-C", example_fleet, "--check")
    committed = hubctl("commit", "-C", example_fleet, "--dry-run")
    rendered = hubctl("render", "-C", example_fleet, "-o", "json")

    assert check.code == 4
    for rel in PLANTED:
        assert f"stale    rendered/{rel}" in check.out
    assert committed.code == 4 and "5 stale files" in committed.err
    assert json.loads(rendered.out)["foreign"] == sorted(PLANTED), "kept: Git holds them but hubctl did not write them"
    assert {rel: (out / rel).read_text() for rel in PLANTED} == PLANTED


@pytest.mark.parametrize("head", [None, "HEAD"])
def test_diff_shows_files_in_the_render_dir_that_the_render_does_not_produce(hubctl, example_fleet, head):
    assert hubctl("render", "-C", example_fleet).code == 0
    git(example_fleet, "init", "-q", "-b", "main")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "fleet and render")
    for rel, text in PLANTED.items():
        write(example_fleet / "rendered", rel, text)
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "planted")
    heads = ("--head", head) if head else ()

    text = hubctl("diff", "-C", example_fleet, "--base", "main", *heads)
    data = json.loads(hubctl("diff", "-C", example_fleet, "--base", "main", *heads, "-o", "json").out)
    markdown = hubctl("diff", "-C", example_fleet, "--base", "main", *heads, "-o", "markdown").out

    assert "no changes" not in text.out.lower()
    assert data["changed"] is True and data["unrendered"] == sorted(f"rendered/{rel}" for rel in PLANTED)
    for rel in PLANTED:
        assert f"? rendered/{rel}" in text.out and f"- `rendered/{rel}`" in markdown


def test_a_file_git_holds_that_hubctl_did_not_render_is_never_deleted(hubctl, example_fleet, tmp_path, monkeypatch):
    write(example_fleet, "src/main.py", "print('hi')\n")
    git(example_fleet, "init", "-q", "-b", "main")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "fleet and source")

    result = hubctl("render", "-C", example_fleet, "--out", example_fleet / "src", "-o", "json")

    assert result.code == 0, result.err
    assert json.loads(result.out)["foreign"] == ["main.py"]
    assert (example_fleet / "src/main.py").read_text() == "print('hi')\n"


def test_a_render_dir_inside_a_hidden_directory_is_invalid(hubctl, example_fleet):
    write(example_fleet, ".github/workflows/ci.yml", "on: push\n")
    set_render_dir(example_fleet, ".github")

    checked = hubctl("validate", "-C", example_fleet)
    rendered = hubctl("render", "-C", example_fleet)

    assert checked.code == 3 and "spec.renderDir: `.github` is inside the hidden directory `.github`" in checked.out
    assert rendered.code == 3
    assert (example_fleet / ".github/workflows/ci.yml").read_text() == "on: push\n"


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_link_or_fifo_in_the_render_dir_is_replaced_never_read(hubctl, example_fleet, tmp_path, kind):
    assert hubctl("render", "-C", example_fleet).code == 0
    out = example_fleet / "rendered"
    victim = out / "hub/root.yaml"
    clean = victim.read_bytes()
    victim.unlink()
    target = "/dev/zero"
    if kind == "fifo":
        target = str(tmp_path / "fifo")
        os.mkfifo(target)
    victim.symlink_to(target.rjust(len(clean), "/"))  # as long as the file: size shortcuts would pass it
    web = example_fleet / "flows/web.yaml"
    web.write_text(web.read_text() + "\n")  # new inputs: the render compares instead of trusting the stamp
    git(example_fleet, "init", "-q", "-b", "main")

    check = hubctl("render", "-C", example_fleet, "--check")
    dry = hubctl("commit", "-C", example_fleet, "--dry-run")
    result = hubctl("render", "-C", example_fleet)

    assert check.code == 4 and "rendered/hub/root.yaml" in check.out
    assert dry.code == 4
    assert result.code == 0, result.err
    assert not victim.is_symlink() and victim.read_bytes() == clean


@pytest.mark.parametrize("value", [".", "./out", "out/", "a//b", ".git", "out/.git/x"])
def test_the_render_path_in_the_hubs_repository_is_a_clean_relative_path(hubctl, example_fleet, value):
    hub = example_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text().replace("    branch: main\n", f"    branch: main\n    path: '{value}'\n"))

    result = hubctl("validate", "-C", example_fleet)

    assert result.code == 3, result.out
    assert "hubctl.yaml:14:5: spec.repo.path: " in result.out
