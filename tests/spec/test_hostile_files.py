"""Hostile files in a fleet: each is refused with a clear problem naming the file and exit 3, never a crash,
a hang or unbounded memory. Cases that used to crash or hang the process run hubctl in a subprocess with a
generous timeout, so that a regression fails the test instead of killing or stalling the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hubctl.base.constants import MAX_FILE_BYTES
from hubctl.spec.sources import GitTreeSource
from hubctl.usecases.validate.loader import analyze

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symbolic links")


def run_cli(*args) -> subprocess.CompletedProcess:
    """hubctl in a child process: a crash shows as a signal exit code, a hang as a timeout."""
    return subprocess.run([sys.executable, "-m", "hubctl", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "HUBCTL_DEBUG": ""})


def assert_refused(fleet: Path, expected: str) -> None:
    for command in ("validate", "render"):
        result = run_cli(command, "-C", fleet)
        assert result.returncode == 3, (command, result.returncode, result.stderr[-2000:])
        assert expected in result.stdout + result.stderr, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (fleet / "rendered").exists()


@pytest.mark.parametrize("body", ["x: " + "[" * 30_000, "[" * 30_000 + "]" * 30_000, "x: " + "{a: " * 30_000,
                                  "- " * 30_000 + "x", "".join(" " * i + "- \n" for i in range(0, 1_400, 2))],
                         ids=["flow-seq-open", "flow-seq-closed", "flow-map", "compact-block-seq", "indented-seq"])
def test_deep_nesting_is_refused_before_the_parser_recurses(base_fleet, body):
    (base_fleet / "flows" / "deep.yaml").write_text(body + "\n")
    assert_refused(base_fleet, "flows/deep.yaml:1:1: document refused: nesting deeper than 64 levels")


def test_nesting_just_inside_the_limit_still_loads(base_fleet):
    (base_fleet / "flows" / "api.yaml").write_text(
        (base_fleet / "flows" / "api.yaml").read_text() + "---\n" + "[" * 64 + "]" * 64 + "\n")
    loaded = analyze(base_fleet)
    assert [p.message for p in loaded.problems] == [
        "a spec must be a mapping with apiVersion, kind, metadata and spec"]


def test_link_to_a_device_is_refused_by_validate_and_render(base_fleet):
    os.symlink("/dev/zero", base_fleet / "flows" / "zero.yaml")
    assert_refused(base_fleet, "flows/zero.yaml: flows/zero.yaml points outside the repository (to /dev/zero)")


def test_fifo_is_refused_without_hanging(base_fleet):
    os.mkfifo(base_fleet / "flows" / "pipe.yaml")
    assert_refused(base_fleet, "flows/pipe.yaml: flows/pipe.yaml is a FIFO; specs and blueprints are read "
                               "from regular files only")


def test_link_inside_the_fleet_to_a_fifo_is_refused(base_fleet):
    os.mkfifo(base_fleet / "spaces" / "pipe")
    os.symlink("../spaces/pipe", base_fleet / "flows" / "pipe.yaml")
    assert_refused(base_fleet, "flows/pipe.yaml: flows/pipe.yaml is a FIFO")


def test_hub_file_that_is_a_fifo_is_refused(base_fleet):
    (base_fleet / "hubctl.yaml").unlink()
    os.mkfifo(base_fleet / "hubctl.yaml")
    assert_refused(base_fleet, "hubctl.yaml: hubctl.yaml is a FIFO")
    assert "no Hub spec" not in run_cli("validate", "-C", base_fleet).stdout, "a consequence, not a second problem"


def test_huge_sparse_file_is_refused_without_reading_it(base_fleet):
    with open(base_fleet / "flows" / "huge.yaml", "wb") as handle:
        handle.truncate(3 << 30)  # 3 GiB of holes: reading it would exhaust memory
    assert_refused(base_fleet, f"flows/huge.yaml: file is 3,221,225,472 bytes; the limit is {MAX_FILE_BYTES:,}")


def test_special_files_that_are_not_specs_are_left_alone(base_fleet):
    os.mkfifo(base_fleet / "clusters" / "notes.txt")
    os.symlink("/dev/zero", base_fleet / "clusters" / "zero.txt")
    for command in ("validate", "render"):
        result = run_cli(command, "-C", base_fleet)
        assert result.returncode == 0, result.stdout + result.stderr


def test_link_to_a_regular_file_inside_the_fleet_is_read(base_fleet):
    (base_fleet / "shared").mkdir()
    (base_fleet / "shared" / "dev-2.yaml").write_text(
        (base_fleet / "clusters" / "dev-1.yaml").read_text().replace("dev-1", "dev-2"))
    os.symlink("../shared/dev-2.yaml", base_fleet / "clusters" / "dev-2.yaml")
    loaded = analyze(base_fleet)
    assert not loaded.problems and "dev-2" in loaded.fleet.clusters


def test_blueprint_template_that_is_a_fifo_is_a_problem_of_the_blueprint(base_fleet):
    blueprint = base_fleet / "blueprints" / "tool"
    (blueprint / "templates").mkdir(parents=True)
    (blueprint / "blueprint.yaml").write_text("apiVersion: hubctl.io/v1alpha1\nkind: Blueprint\nmetadata:\n"
                                              "  name: tool\nspec:\n  schema: {type: object}\n")
    os.mkfifo(blueprint / "templates" / "pipe.yaml")
    assert_refused(base_fleet, "blueprints/tool/blueprint.yaml:5:1: spec.templates[0]: "
                               "blueprints/tool/templates/pipe.yaml is a FIFO")


def test_deep_directories_are_listed_without_recursion(base_fleet):
    levels, deep = [], base_fleet / "clusters"
    for _ in range(1_100):  # deeper than Python's recursion limit (pathlib's mkdir(parents=True) recurses)
        deep = deep / "d"
        deep.mkdir()
        levels.append(deep)
    (deep / "dev-9.yaml").write_text((base_fleet / "clusters" / "dev-1.yaml").read_text().replace("dev-1", "dev-9"))
    try:
        loaded = analyze(base_fleet)
        assert not loaded.problems and "dev-9" in loaded.fleet.clusters
    finally:  # shutil.rmtree, which cleans tmp_path, recurses too
        (deep / "dev-9.yaml").unlink()
        for level in reversed(levels):
            level.rmdir()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_git_tree_links_that_loop_or_leave_are_problems(base_fleet):
    flows = base_fleet / "flows"
    os.symlink("b.yaml", flows / "a.yaml")
    os.symlink("a.yaml", flows / "b.yaml")
    os.symlink("../../outside.yaml", flows / "out.yaml")
    (base_fleet / "huge.txt").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    os.symlink("../huge.txt", flows / "big.yaml")
    (flows / "huge.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    _git(base_fleet, "init", "-q")
    _git(base_fleet, "add", "-A")
    _git(base_fleet, "commit", "-qm", "hostile")
    problems = {p.file: p.message for p in analyze(GitTreeSource(base_fleet, "HEAD")).problems}
    assert problems["flows/a.yaml"] == "flows/a.yaml: more than 40 symbolic links in a row (a loop?)"
    assert problems["flows/b.yaml"] == "flows/b.yaml: more than 40 symbolic links in a row (a loop?)"
    assert problems["flows/out.yaml"].startswith("flows/out.yaml points outside the repository")
    assert problems["flows/big.yaml"] == ("flows/big.yaml is a symbolic link to `huge.txt`, which is not a "
                                          "file of the fleet")
    assert problems["flows/huge.yaml"] == f"file is {MAX_FILE_BYTES + 1:,} bytes; the limit is {MAX_FILE_BYTES:,}"


def test_adding_a_cluster_beside_a_fifo_does_not_hang(example_fleet):
    os.mkfifo(example_fleet / "clusters" / "aaa.yaml")  # first in order: read for the siblings' schema comment
    result = run_cli("cluster", "add", "dev-eu-9", "--server", "https://dev-eu-9.k8s.example.com", "--provider",
                     "eks", "-l", "env=dev", "--region", "eu-west",
                     "--credentials", "aws-role:arn:aws:iam::123456789012:role/argocd-dev-eu-9", "-C", example_fleet)
    assert result.returncode == 3, result.stderr
    assert "clusters/aaa.yaml is a FIFO" in result.stdout + result.stderr


def test_a_render_loads_the_bytes_its_inputs_key_hashed(example_fleet):
    """`render` hashes every spec (the key its stamp records) and then loads them: a spec rewritten in between
    must not give a render of new bytes recorded under the key of the old ones. With keep_reads the source
    answers each file with its first read; another source reads the disk again."""
    from hubctl.spec.discover import source_for
    from hubctl.usecases.render.uptodate import inputs_key

    source = source_for(example_fleet)
    source.keep_reads()
    key = inputs_key(source)
    spec = example_fleet / "flows" / "web.yaml"
    before = spec.read_bytes()
    spec.write_bytes(before.replace(b"2.14.0", b"2.15.0"))

    assert source.read("flows/web.yaml") == before and inputs_key(source) == key
    fresh = source_for(example_fleet)
    assert fresh.read("flows/web.yaml") != before and inputs_key(fresh) != key
