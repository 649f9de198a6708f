"""Two processes pushing to one repository on this machine (path and file://) at the same moment.

libgit2's local transport reads the remote branch when it connects and overwrites it later without
checking: two pushes that both connected before either wrote both "succeeded" and one commit was gone.
Each writer here sends enough new objects that both are connected while either is still copying.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pygit2
import pytest

from tests.support.gitservers import git, read_tree

ROOT = Path(__file__).resolve().parents[2]
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from hubctl.adapters.git import Credentials, commit_files, push, rebuilder
    local, url, name, go = sys.argv[1:5]
    files = {f"f{i:05}.yaml": f"{name} {i}\\n".encode() * 40 for i in range(4000)}
    commit_files(local, branch="main", files=files, prefix=name, message=name)
    Path(go + "." + name).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    rebuild = rebuilder(local, branch="main", files=files, prefix=name, message=name)
    outcome = push(local, remote=url, branch="main", rebuild=rebuild, credentials=Credentials())
    print(outcome.commit, outcome.attempts)
""")


@pytest.mark.parametrize("kind", ["path", "file"])
def test_two_local_pushes_at_once_both_land(tmp_path, bare, kind):
    seed = pygit2.init_repository(str(tmp_path / "seed.git"), bare=True).path
    from tests.gitops.helpers import commit_and_push

    commit_and_push(seed, str(bare), {"seed.yaml": b"seed\n"})
    url = str(bare) if kind == "path" else bare.as_uri()
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_ in range(2):
        names = [f"r{round_}a", f"r{round_}b"]
        writers = []
        for name in names:
            local = pygit2.clone_repository(str(bare), str(tmp_path / f"{name}.git"), bare=True).path
            writers.append(subprocess.Popen([sys.executable, "-c", WRITER, local, url, name, str(go)], env=env,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        while not all(Path(f"{go}.{name}").exists() for name in names) and all(w.poll() is None for w in writers):
            time.sleep(0.005)
        go.touch()
        results = [(w.wait(timeout=120), *w.communicate()) for w in writers]
        go.unlink()
        assert [code for code, _out, _err in results] == [0, 0], results
        for name in names:  # both exited 0: both renders are on the remote branch
            assert len(read_tree(bare, "main", name)) == 4000, f"{name} reported pushed but is not on the remote"
        assert git("--git-dir", str(bare), "fsck", "--strict", "--no-dangling").decode() == ""


def test_a_branch_lock_held_by_another_writer_is_a_lost_race_not_a_crash(tmp_path, bare):
    # the moment two local pushes meet: the other writer holds refs/heads/main.lock (pygit2 raises OSError)
    from hubctl.adapters.git.localpush import push_local
    from tests.gitops.helpers import commit_and_push

    seed = pygit2.init_repository(str(tmp_path / "seed.git"), bare=True).path
    commit_and_push(seed, str(bare), {"seed.yaml": b"seed\n"})
    local = pygit2.clone_repository(str(bare), str(tmp_path / "local.git"), bare=True)
    head = local.head.target
    tree = local.TreeBuilder(local[head].tree).write()
    signature = pygit2.Signature("t", "t@example.com")
    commit = local.create_commit("refs/heads/main", signature, signature, "next", tree, [head])
    lock = bare / "refs" / "heads" / "main.lock"
    lock.write_text("")

    assert push_local(local, str(bare), "refs/heads/main", str(commit)) is False

    lock.unlink()
    assert push_local(local, str(bare), "refs/heads/main", str(commit)) is True
    assert str(pygit2.Repository(str(bare)).references["refs/heads/main"].target) == str(commit)
