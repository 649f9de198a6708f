"""A large render is committed and pushed as a stream: its bytes are never all held at once, and every byte
written is checked against its id. Memory is measured with tracemalloc (exact Python allocations, no timing)."""

from __future__ import annotations

import random
import subprocess
import tracemalloc
from collections.abc import Mapping

import pygit2
import pytest

from hubctl.adapters.git import commit_files, push, rebuilder, write_tree
from hubctl.adapters.git.objects import BATCH_BYTES, object_id, write_pack
from hubctl.base.errors import GitError
from tests.support.gitservers import git, read_tree

FILES, SIZE = 400, 100_000  # 40 MB of incompressible bytes: ten times the pack writer's batch


class LazyRender(Mapping):
    """A render whose files are made when read and never kept, as hubctl's RenderedFiles (seeded bytes)."""

    def __init__(self, count: int = FILES, size: int = SIZE, seed: int = 17):
        self.paths = [f"spokes/c{i:03d}/flows/team/app/manifests.yaml" for i in range(count)]
        self.index = {path: i for i, path in enumerate(self.paths)}
        self.size, self.seed = size, seed

    def __getitem__(self, path: str) -> bytes:
        return random.Random(self.seed * 100_003 + self.index[path]).randbytes(self.size)

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def peak_bytes(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_first_commit_holds_a_fraction_of_the_render(tmp_path):
    files = LazyRender()
    total = FILES * SIZE
    assert total >= 8 * BATCH_BYTES
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    written = {}

    peak = peak_bytes(lambda: written.update(tree=write_tree(repo, files, prefix="rendered").tree_id))

    assert peak < total / 2, f"held {peak:,} bytes for a render of {total:,}"
    git("--git-dir", repo.path, "fsck", "--strict", "--no-dangling", "--no-progress", written["tree"])
    path = files.paths[123]
    assert git("--git-dir", repo.path, "cat-file", "blob", f"{written['tree']}:rendered/{path}") == files[path]


def test_a_push_of_a_large_render_holds_a_fraction_of_it(local, bare):
    files = LazyRender()
    total = FILES * SIZE
    commit_files(local, branch="main", files=files, prefix="rendered", message="render")
    rebuild = rebuilder(local, branch="main", files=files, prefix="rendered", message="render")
    pushed = {}

    peak = peak_bytes(lambda: pushed.update(outcome=push(local, remote=str(bare), branch="main", rebuild=rebuild)))

    assert peak < total / 2, f"held {peak:,} bytes to push a render of {total:,}"
    assert git("--git-dir", str(bare), "rev-parse", "main").decode().strip() == pushed["outcome"].commit
    git("--git-dir", str(bare), "fsck", "--strict", "--no-dangling", "--no-progress")
    assert read_tree(bare, "main", "rendered") == dict(files.items())


def test_a_body_that_does_not_have_its_id_is_never_packed(tmp_path):
    """A lying id (a caller's bug, a stale cache) stops the write; no pack, no temporary file is left."""
    objects = [("blob", object_id("blob", b"a\n"), b"a\n"), ("blob", object_id("blob", b"b\n"), b"not b\n")]
    with pytest.raises(GitError, match="does not hold the bytes given for it"):
        write_pack(tmp_path / "objects", iter(objects), len(objects))
    assert list((tmp_path / "objects" / "pack").iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_pack_is_read_only_and_readable_as_the_umask_allows_as_git_leaves_it(tmp_path, umask):
    """A pack linked into a shared bare remote must be readable by its other users (git: 0444 less the umask)."""
    import os
    import stat

    objects = [("blob", object_id("blob", b"a\n"), b"a\n")]
    before = os.umask(umask)
    try:
        name = write_pack(tmp_path / "objects", iter(objects), len(objects))
    finally:
        os.umask(before)
    for suffix in (".pack", ".idx"):
        mode = stat.S_IMODE(os.stat(tmp_path / "objects" / "pack" / f"{name}{suffix}").st_mode)
        assert mode == 0o444 & ~umask, (suffix, oct(mode))


def test_a_pack_announced_with_another_count_is_never_written(tmp_path):
    objects = [("blob", object_id("blob", b"a\n"), b"a\n")]
    with pytest.raises(GitError, match="a pack of 2 objects got 1"):
        write_pack(tmp_path / "objects", iter(objects), 2)
    assert list((tmp_path / "objects" / "pack").iterdir()) == []


def test_a_render_of_mixed_value_types_is_refused_by_path(tmp_path):
    repo = pygit2.init_repository(str(tmp_path / "r.git"), bare=True)
    with pytest.raises(GitError, match="rendered file 'b.yaml' holds str, not bytes"):
        write_tree(repo, {"a.yaml": b"a\n", "b.yaml": "b\n"}, prefix="rendered")


def render_of(count: int, version: str) -> dict[str, bytes]:
    return {f"spokes/c{i:04d}/app.yaml": f"cluster: c{i}\nimage: app:{version}\n".encode() for i in range(count)}


def test_a_push_never_carries_objects_of_another_branch(local, bare):
    """The commit's pack is linked into the target whole only when it holds nothing else the target lacks:
    after `git repack -a -d` puts a private branch's secret into the same pack, that pack is not copied."""
    files = render_of(1500, "v1")
    commit_files(local, branch="private", files={"secret.txt": b"token=never-leaves-this-repository\n"},
                 prefix="", message="private")
    secret = git("--git-dir", local, "rev-parse", "private:secret.txt").decode().strip()
    commit_files(local, branch="main", files=files, prefix="rendered", message="render")
    git("--git-dir", local, "repack", "-a", "-d", "-q")

    push(local, remote=str(bare), branch="main",
         rebuild=rebuilder(local, branch="main", files=files, prefix="rendered", message="render"))

    assert read_tree(bare, "main", "rendered") == files
    missing = subprocess.run(["git", "--git-dir", str(bare), "cat-file", "-e", secret], capture_output=True)
    assert missing.returncode != 0, "an object of another branch reached the target"


def test_history_the_target_lacks_lands_before_the_commits_that_reach_it(local, bare):
    """Two commits pushed at once, each with its own pack, into an empty repository: whatever order the
    objects and packs are written in, git finds every object every commit reaches."""
    first, second = render_of(1500, "v1"), render_of(1500, "v2")
    commit_files(local, branch="main", files=first, prefix="rendered", message="one")
    commit_files(local, branch="main", files={**second, "extra.yaml": b"x\n"}, prefix="rendered", message="two")
    files = {**second, "extra.yaml": b"x\n"}

    outcome = push(local, remote=str(bare), branch="main",
                   rebuild=rebuilder(local, branch="main", files=files, prefix="rendered", message="two"))

    git("--git-dir", str(bare), "fsck", "--strict", "--no-dangling", "--no-progress")
    assert read_tree(bare, "main", "rendered") == files
    assert read_tree(bare, f"{outcome.commit}~1", "rendered") == first
