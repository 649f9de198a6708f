"""A push to a repository on this machine adopts (links or copies in whole) the pack the commit wrote. The
pack is a file anyone can damage between `hubctl commit` and `hubctl push`: a damaged pack must never reach
the remote. Whatever happens, the remote passes `git fsck --full`, its branch is unborn or at the pushed
commit with every file's bytes as rendered, and every pack it holds passes `git verify-pack`."""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
from pathlib import Path

import pygit2
import pytest

from hubctl.adapters.git import commit_files, push, rebuilder
from hubctl.base.errors import ExitCode, GitError
from tests.support.gitservers import git, read_tree


def render_of(count: int, version: str) -> dict[str, bytes]:
    return {f"spokes/c{i:04d}/app.yaml": f"cluster: c{i}\nimage: app:{version}\n".encode() * 4 for i in range(count)}


ROOT = Path(__file__).resolve().parents[2]


def _commit(local: str, count: int, version: str, message: str) -> dict[str, bytes]:
    """Commit in another process, as `hubctl commit` before `hubctl push`: this process has never opened the
    pack (libgit2 keeps a pack it opened mapped, and a truncated mapped file is a SIGBUS, not an error)."""
    script = ("import sys; from hubctl.adapters.git import commit_files; "
              "from tests.gitops.test_push_adopt import render_of; "
              "commit_files(sys.argv[1], branch='main', files=render_of(int(sys.argv[2]), sys.argv[3]), "
              "prefix='rendered', message=sys.argv[4])")
    subprocess.run([sys.executable, "-c", script, local, str(count), version, message], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return render_of(count, version)


def _pack(repo: str) -> Path:
    [pack] = Path(repo, "objects", "pack").glob("pack-*.pack")
    return pack


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x10
    path.write_bytes(bytes(data))


def _flip_body(local: str, rng: random.Random) -> None:
    pack = _pack(local)
    _flip(pack, rng.randrange(12, pack.stat().st_size - 20))  # anywhere in the records


def _flip_trailer(local: str, rng: random.Random) -> None:
    pack = _pack(local)
    _flip(pack, pack.stat().st_size - 1 - rng.randrange(20))


def _truncate(local: str, rng: random.Random) -> None:
    pack = _pack(local)
    with open(pack, "r+b") as file:
        file.truncate(pack.stat().st_size - rng.randrange(1, 4000))


def _flip_index(local: str, rng: random.Random) -> None:
    index = _pack(local).with_suffix(".idx")
    _flip(index, rng.randrange(8 + 1024, index.stat().st_size - 40))  # an id, a CRC or an offset


def _foreign_index(local: str, rng: random.Random) -> None:
    """The index of another pack of the same objects (other compression) under this pack's name."""
    pack = _pack(local)
    other = Path(local).parent / "other.git"
    git("init", "-q", "--bare", str(other))
    git("--git-dir", str(other), "fetch", "-q", local, "main:main")
    git("--git-dir", str(other), "-c", "pack.compression=9", "repack", "-a", "-d", "-q", "-F")
    [index] = (other / "objects" / "pack").glob("pack-*.idx")
    pack.with_suffix(".idx").write_bytes(index.read_bytes())


DAMAGE = {"body": _flip_body, "trailer": _flip_trailer, "truncated": _truncate, "index": _flip_index,
          "foreign-index": _foreign_index}


def _assert_sound(bare: Path, files: dict[str, bytes]) -> str | None:
    fsck = subprocess.run(["git", "--git-dir", str(bare), "fsck", "--full", "--strict", "--no-progress"],
                          capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    for index in (bare / "objects" / "pack").glob("pack-*.idx"):
        verify = subprocess.run(["git", "--git-dir", str(bare), "verify-pack", str(index)], capture_output=True,
                                text=True)
        assert verify.returncode == 0, f"the remote holds a damaged pack: {verify.stdout[-400:]}{verify.stderr}"
    head = subprocess.run(["git", "--git-dir", str(bare), "rev-parse", "--verify", "-q", "main"],
                          capture_output=True, text=True).stdout.strip()
    if head:
        assert read_tree(bare, "main", "rendered") == files, "the remote holds other bytes than the render"
    return head or None


@pytest.mark.parametrize("across", [False, True], ids=["link", "copy"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_pack_never_reaches_the_remote(local, bare, damage, across, monkeypatch):
    rng = random.Random(f"adopt-{damage}")
    files = _commit(local, 1500, "v1", "render")
    DAMAGE[damage](local, rng)
    if across:  # the remote on another file system: os.link fails with EXDEV, the pack is copied
        def no_link(*_args, **_kwargs):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        monkeypatch.setattr(os, "link", no_link)

    try:
        push(local, remote=str(bare), branch="main",
             rebuild=rebuilder(local, branch="main", files=files, prefix="rendered", message="render"))
    except GitError as exc:
        assert exc.exit_code == ExitCode.GIT
        assert "local repository" in str(exc), str(exc)
    _assert_sound(bare, files)
    left = [p.name for p in (bare / "objects" / "pack").iterdir() if p.name.startswith("tmp_")]
    assert left == [], "temporary files were left in the remote"


@pytest.mark.parametrize("across", [False, True], ids=["link", "copy"])
def test_a_sound_pack_is_adopted_also_with_a_keep_file_and_objects_the_remote_has(local, bare, across, monkeypatch):
    """The pack is taken whole (its name appears in the remote) when the remote already holds some of its
    objects, and a .keep file beside it changes nothing."""
    files = render_of(1500, "v1")
    shared = {path: files[path] for path in list(files)[:300]}
    commit_files(local, branch="main", files=shared, prefix="rendered", message="some")
    push(local, remote=str(bare), branch="main",
         rebuild=rebuilder(local, branch="main", files=shared, prefix="rendered", message="some"))
    git("--git-dir", local, "update-ref", "-d", "refs/heads/main")
    git("--git-dir", str(bare), "update-ref", "-d", "refs/heads/main")
    commit_files(local, branch="main", files=files, prefix="rendered", message="render")
    [pack] = Path(local, "objects", "pack").glob("pack-*.pack")
    pack.with_suffix(".keep").write_text("kept\n")
    if across:
        def no_link(*_args, **_kwargs):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        monkeypatch.setattr(os, "link", no_link)

    outcome = push(local, remote=str(bare), branch="main",
                   rebuild=rebuilder(local, branch="main", files=files, prefix="rendered", message="render"))

    assert _assert_sound(bare, files) == outcome.commit
    assert (bare / "objects" / "pack" / pack.name).is_file(), "the pack was not adopted"
    assert os.path.samefile(bare / "objects" / "pack" / pack.name, pack) is not across
    adopted = bare / "objects" / "pack" / pack.name
    assert not os.stat(adopted).st_mode & 0o222, "a pack is read-only, as git leaves it (linked or copied)"
    assert pygit2.Repository(str(bare)).references["refs/heads/main"].target == pygit2.Oid(hex=outcome.commit)


def test_at_most_one_pack_is_adopted_so_no_pack_lands_before_one_it_references(local, bare):
    """Two commits, each with its own pack, pushed at once: the second pack's trees name blobs of the first. Were
    both linked in, the second first, a kill in between would leave the remote trees without their children, and
    the next push would not send those (it stops at objects the remote has). One pack is adopted; the other's
    objects are written children first."""
    git("--git-dir", str(bare), "update-ref", "-d", "refs/heads/main")
    _commit(local, 1500, "v1", "first")
    second = {**render_of(1500, "v1"), **{p: d for p, d in list(render_of(1500, "v2").items())[:1200]}}
    commit_files(local, branch="main", files=second, prefix="rendered", message="second")
    local_packs = {p.name for p in Path(local, "objects", "pack").glob("pack-*.pack")}
    assert len(local_packs) == 2

    outcome = push(local, remote=str(bare), branch="main",
                   rebuild=rebuilder(local, branch="main", files=second, prefix="rendered", message="second"))

    assert _assert_sound(bare, second) == outcome.commit
    adopted = {p.name for p in (bare / "objects" / "pack").glob("pack-*.pack")} & local_packs
    assert len(adopted) == 1, adopted
