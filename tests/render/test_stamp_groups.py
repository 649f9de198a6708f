"""A render keeps each flow's (and space's) files as one group (fleet.Group); a render that finds a group
signed in the stamp as it makes it leaves the group's files out of the comparison (run.apply_render). Seeded
sequences of renders, with hand edits of the rendered tree in between, check it against an oracle that
knows nothing of stamps: the tree holds exactly the render, the changes reported are those between what was
on disk and the render, the stamp signs each group from its own records, and every group the render did
not change is skipped."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from hubctl.usecases.render import stamp as stamp_module
from hubctl.usecases.render.fleet import TOKEN, Group, LazyMapping, Render, RenderedFiles, Stamper
from hubctl.usecases.render.output import read_stamp
from hubctl.usecases.render.run import apply_render
from hubctl.usecases.render.stamp import full_scan, verify

CLUSTERS = [f"c{i}" for i in range(6)]


def _templates() -> list[str]:
    flows = [f"spokes/{{}}/flows/s{i % 2}/f{i}/manifests.yaml" for i in range(4)]
    spaces = [f"spokes/{{}}/spaces/s{i}.yaml" for i in range(2)]  # the spaces of a cluster share a directory
    return flows + spaces


def _model(rng: random.Random) -> dict:
    groups = {t: {c: "v0" for c in rng.sample(CLUSTERS, rng.randint(1, 4))} for t in _templates()}
    return {"groups": groups, "plain": {"hub/root.yaml": b"root: 0\n", "hub/clusters/c0.yaml": b"c0: 0\n"}}


def _mutate(rng: random.Random, model: dict) -> dict:
    groups = {t: dict(by) for t, by in model["groups"].items()}
    plain = dict(model["plain"])
    for _ in range(rng.randint(1, 3)):
        move = rng.randrange(7)
        template = rng.choice(_templates())
        by = groups.setdefault(template, {})
        if move == 0:  # the flow's text changes for every cluster
            for cluster in by:
                by[cluster] = f"v{rng.randrange(100)}"
        elif move == 1 and by:  # for one cluster only
            by[rng.choice(sorted(by))] = f"w{rng.randrange(100)}"
        elif move == 2:  # placed on one more cluster
            by[rng.choice(CLUSTERS)] = rng.choice([*by.values(), "v0"])
        elif move == 3 and by:  # off one cluster
            del by[rng.choice(sorted(by))]
        elif move == 4:  # the flow goes
            groups.pop(template)
        elif move == 5:
            plain[f"hub/clusters/{rng.choice(CLUSTERS)}.yaml"] = b"c: %d\n" % rng.randrange(100)
        elif plain:
            del plain[rng.choice(sorted(plain))]
    return {"groups": {t: by for t, by in groups.items() if by}, "plain": plain}


def _render(model: dict) -> Render:
    stampers: dict[str, Stamper] = {}
    groups = []
    for template, by in sorted(model["groups"].items()):
        names = sorted(by)
        made = [stampers.setdefault(by[n], Stamper(f"kind: ConfigMap\nname: {TOKEN}\ntext: {by[n]}\n")) for n in names]
        groups.append(Group(template, names, made))
    files = RenderedFiles(dict(model["plain"]), {}, groups)
    return Render(files, [], LazyMapping(files.recipes))


def _on_disk(out: Path) -> dict[str, bytes]:
    return {rel: (out / rel).read_bytes() for rel in full_scan(out)} if out.is_dir() else {}


def _hand_edit(rng: random.Random, out: Path) -> str:
    rels = sorted(full_scan(out))
    rel = rng.choice(rels)
    how = rng.randrange(3)
    if how == 0:
        with open(out / rel, "ab") as handle:
            handle.write(b"# edited by hand\n")
        return f"edited {rel}"
    if how == 1:
        os.unlink(out / rel)
        return f"deleted {rel}"
    (out / rel).write_bytes((out / rel).read_bytes())  # the same bytes written again: a new ctime
    return f"rewrote {rel}"


@pytest.mark.parametrize("seed", range(24))
def test_fuzz_grouped_renders_write_exactly_the_render_and_skip_only_unchanged_groups(tmp_path, seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(stamp_module.SharedCheck, "CHUNK", rng.choice([1, 2, 5, 1000]))
    if seed % 3 == 0:
        monkeypatch.setenv("HUBCTL_NO_FORK", "1")  # the check's chunks all taken by this process
    out = tmp_path / "out"
    model, previous = _model(rng), None
    for step in range(rng.randint(3, 6)):
        edited = _hand_edit(rng, out) if previous is not None and rng.random() < 0.3 else ""
        before = _on_disk(out)
        render = _render(model)
        wanted = {rel: render.files[rel] for rel in render.files}
        _, changes = apply_render(out, f"key{step}", read_stamp(out), lambda render=render: render)
        where = f"seed {seed} step {step} {edited}"
        assert _on_disk(out) == wanted, where
        assert sorted(changes.added) == sorted(wanted.keys() - before.keys()), where
        assert sorted(changes.changed) == sorted(r for r in wanted.keys() & before.keys() if wanted[r] != before[r])
        assert sorted(changes.removed) == sorted(before.keys() - wanted.keys()), where
        assert changes.unchanged == sum(1 for r in wanted if before.get(r) == wanted[r]), where
        stamp = read_stamp(out)
        groups = render.files.groups
        assert verify(out, stamp), where
        assert stamp.groups == stamp.signed([(g.template, g.names) for g in groups]), where
        if previous is not None and not edited:  # every group made as before is left out of the comparison
            same = {g.template for g in groups if previous.get(g.template) == g.signature()}
            assert {g.template for g in changes.skipped} == same, where
        previous = {g.template: g.signature() for g in groups}
        model = _mutate(rng, model)


def test_a_group_file_edited_by_hand_is_written_again_though_its_group_is_unchanged(tmp_path):
    """The stamp signs a group as the render makes it, but the file on disk was edited since: the check of the
    directory fails, nothing is skipped, and the file is written again."""
    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/flows/s/f/manifests.yaml": {"a": "v1", "b": "v1"}}, "plain": {}}
    apply_render(out, "k1", read_stamp(out), lambda: _render(model))
    edited = out / "spokes/b/flows/s/f/manifests.yaml"
    good = edited.read_bytes()
    edited.write_bytes(b"kind: Secret\n")
    _, changes = apply_render(out, "k2", read_stamp(out), lambda: _render(model))
    assert changes.changed == ["spokes/b/flows/s/f/manifests.yaml"] and not changes.skipped
    assert edited.read_bytes() == good


def test_a_stamp_signing_a_group_it_does_not_record_skips_nothing(tmp_path):
    """A group's signature comes from the stamp's records of its files: a file the stamp does not list signs
    as "-", so a stamp missing one of the group's files can never skip the group (its file is added)."""
    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/flows/s/f/manifests.yaml": {"a": "v1", "b": "v1"}}, "plain": {}}
    render = _render(model)
    apply_render(out, "k1", read_stamp(out), lambda: render)
    stamp = read_stamp(out)
    (group,) = render.files.groups
    i = stamp.files.index("spokes/b/flows/s/f/manifests.yaml")
    stamp.files[i] = "elsewhere.yaml"
    assert stamp.signed([(group.template, group.names)])[group.template] != group.signature()


def test_a_skipped_groups_file_in_a_directory_the_render_writes_keeps_its_record(tmp_path):
    """Spaces share a directory per cluster: when one space's files change, the stamp lists those directories
    again, and the other space's files there (left out of the comparison) keep their content identifier."""
    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/spaces/a.yaml": {"c1": "v1", "c2": "v1"},
                        "spokes/{}/spaces/b.yaml": {"c1": "v1", "c2": "v1"}}, "plain": {}}
    apply_render(out, "k1", read_stamp(out), lambda: _render(model))
    model["groups"]["spokes/{}/spaces/a.yaml"] = {"c1": "v2", "c2": "v2"}
    render = _render(model)
    _, changes = apply_render(out, "k2", read_stamp(out), lambda: render)
    assert [g.template for g in changes.skipped] == ["spokes/{}/spaces/b.yaml"]
    stamp = read_stamp(out)
    recorded = dict(zip(stamp.files, stamp.digests, strict=True))
    assert recorded == render.files.stamped_ids() and stamp.may_verify() and verify(out, stamp)
    _, changes = apply_render(out, "k3", read_stamp(out), lambda: render)
    assert len(changes.skipped) == 2 and not changes.dirty


@pytest.mark.parametrize("first", ["child", "parent"])
@pytest.mark.parametrize("edit", [None, 0, -1])
def test_the_shared_check_finds_a_change_in_either_processs_chunks(tmp_path, monkeypatch, first, edit):
    """SharedCheck hands out the stamp's entries in chunks to the forked child (from the first) and to the
    parent (from the last): whichever takes the chunk with the changed file, the check fails for both, and
    the child then sends back a scan; with nothing changed the child sends None and the parent's part holds."""
    monkeypatch.setattr(stamp_module.SharedCheck, "CHUNK", 1)
    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/flows/s/f/manifests.yaml": {c: "v1" for c in CLUSTERS}}, "plain": {}}
    apply_render(out, "k1", read_stamp(out), lambda: _render(model))
    stamp = read_stamp(out)
    if edit is not None:
        with open(out / stamp.files[edit], "ab") as handle:
            handle.write(b"# edited\n")
    check = stamp_module.SharedCheck(out, lambda: stamp, stamp)
    try:
        if first == "child":
            origin, child = check.child()
            check.help()
        else:
            check.help()
            origin, child = check.child()
        passed = check.passed()
    finally:
        check.close()
    assert origin == stamp.origin
    if edit is None:
        assert child is None and passed
    else:
        assert child is not None and stamp.files[edit] in child and not passed


def test_a_check_of_a_stamp_written_meanwhile_is_not_used(tmp_path, monkeypatch):
    """The forked check reads the stamp on its own. When another render writes the stamp between that read
    and this process's, the child's verdict is about another stamp: the render scans instead of trusting it,
    and still writes exactly its files."""
    from hubctl.usecases.render import run as run_module

    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/flows/s/f/manifests.yaml": {"a": "v1", "b": "v1"}}, "plain": {"x.yaml": b"1\n"}}
    apply_render(out, "k1", read_stamp(out), lambda: _render(model))
    older = read_stamp(out)
    model["plain"]["x.yaml"] = b"2\n"
    apply_render(out, "k2", read_stamp(out), lambda: _render(model))
    newer = read_stamp(out)
    assert older.origin != newer.origin
    scans = []
    real_scan = run_module.scan
    monkeypatch.setattr(run_module, "scan", lambda *a: scans.append(a) or real_scan(*a))
    check = stamp_module.SharedCheck(out, lambda: older)  # the child's read: the stamp before the last write
    pending = run_module.forked.start(check.child)
    check.use(newer)
    model["plain"]["x.yaml"] = b"3\n"
    _, changes = apply_render(out, "k3", newer, lambda: _render(model), found=(
        lambda: run_module._checked(check, pending, out, newer), check.started))
    check.close()
    assert scans, "the child's verdict on another stamp was used"
    assert changes.changed == ["x.yaml"] and (out / "x.yaml").read_bytes() == b"3\n"


def test_a_chunk_taken_by_a_child_that_dies_is_not_counted_as_checked(tmp_path, monkeypatch):
    """The forked child takes a chunk and dies before checking it (killed for memory, say): the chunk holds a
    hand-edited file. The check passes only when every chunk was counted as matching, so the render scans and
    writes the file again, instead of trusting the stamp."""
    monkeypatch.setattr(stamp_module.SharedCheck, "CHUNK", 1)
    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/flows/s/f/manifests.yaml": {c: "v1" for c in ("a", "b", "c")}},
             "plain": {"hub/x.yaml": b"x1\n"}}
    apply_render(out, "k1", read_stamp(out), lambda: _render(model))
    stamp = read_stamp(out)
    victim = next(i for i, rel in enumerate(stamp.files) if rel.startswith("spokes/b/"))
    good = (out / stamp.files[victim]).read_bytes()
    (out / stamp.files[victim]).write_bytes(b"kind: Secret\n")
    parent, real = os.getpid(), stamp_module._matches

    def dying(base, checked, dirs, files):
        if os.getpid() != parent and files[0] <= victim < files[1]:
            os._exit(9)  # the chunk it took is never checked
        return real(base, checked, dirs, files)

    monkeypatch.setattr(stamp_module, "_matches", dying)
    model["plain"]["hub/x.yaml"] = b"x2\n"
    render = _render(model)

    def slow():  # the child reaches the edited file's chunk before this process helps
        time.sleep(0.5)
        return render

    _, changes = apply_render(out, "k2", read_stamp(out), slow)
    assert (out / stamp.files[victim]).read_bytes() == good
    assert stamp.files[victim] in changes.changed and not changes.skipped


def test_a_child_that_dies_holding_the_lock_does_not_hang_the_render(tmp_path, monkeypatch):
    """The chunks are handed out under a lock the kernel releases when its holder dies: a child killed while
    holding it leaves this process free to check the rest (here: everything) and render."""
    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/flows/s/f/manifests.yaml": {c: "v1" for c in "abc"}}, "plain": {"x.yaml": b"1\n"}}
    apply_render(out, "k1", read_stamp(out), lambda: _render(model))
    parent, real_get = os.getpid(), stamp_module.SharedCheck._get

    def get(self, i):
        if os.getpid() != parent:
            os._exit(9)  # killed while holding the lock
        return real_get(self, i)

    monkeypatch.setattr(stamp_module.SharedCheck, "_get", get)
    model["plain"]["x.yaml"] = b"2\n"
    render = _render(model)

    def slow():
        time.sleep(0.5)
        return render

    def alarm(*_):
        raise TimeoutError("the render waits for a lock a dead process held")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    try:
        _, changes = apply_render(out, "k2", read_stamp(out), slow)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert changes.changed == ["x.yaml"] and (out / "x.yaml").read_bytes() == b"2\n"


@pytest.mark.parametrize("fork", [True, False])
def test_without_a_file_to_lock_the_child_checks_everything(tmp_path, monkeypatch, fork):
    """No anonymous file to lock (no memfd, an unwritable temporary directory): the child alone takes the
    chunks, and a hand edit is still found and repaired."""
    monkeypatch.setattr(stamp_module, "_lock_file", lambda: None)
    monkeypatch.setattr(stamp_module.SharedCheck, "CHUNK", 2)
    if not fork:
        monkeypatch.setenv("HUBCTL_NO_FORK", "1")
    out = tmp_path / "out"
    model = {"groups": {"spokes/{}/flows/s/f/manifests.yaml": {c: "v1" for c in CLUSTERS}}, "plain": {"x.yaml": b"1\n"}}
    apply_render(out, "k1", read_stamp(out), lambda: _render(model))
    edited = out / "spokes/c5/flows/s/f/manifests.yaml"
    good = edited.read_bytes()
    edited.write_bytes(b"kind: Secret\n")
    _, changes = apply_render(out, "k2", read_stamp(out), lambda: _render(model))
    assert changes.changed == ["spokes/c5/flows/s/f/manifests.yaml"] and edited.read_bytes() == good
    _, changes = apply_render(out, "k3", read_stamp(out), lambda: _render(model))
    assert not changes.dirty and len(changes.skipped) == 1
