"""The stamp: a render with nothing to do checks one lstat per entry, yet misses no change made behind its back.

Each test renders, changes the render directory the way a person, an editor, `git checkout`, `rsync -t` or
an attacker would, and checks that `render --check` and `render` see it although the specs did not change
(so the up-to-date check is what is tested). The fuzzer checks the mechanism itself: after any sequence of
changes, the scan the stamp guides finds exactly what a full listing finds, and `verify` says "unchanged"
only when nothing changed.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from hubctl.usecases.render.output import read_stamp, stamp_path, write_output
from hubctl.usecases.render.stamp import Scan, full_scan, scan, verify

LEAF = "rendered/spokes/prod-eu-1/flows/storefront/web"


def _fresh(hubctl, fleet: Path) -> None:
    assert hubctl("render", "-C", fleet).code == 0
    assert hubctl("render", "-C", fleet).code == 0  # a second one: the stamp is the up-to-date one
    assert verify(fleet / "rendered", read_stamp(fleet / "rendered"))


def test_a_file_planted_in_a_leaf_directory_is_stale_for_check_and_foreign_for_render(hubctl, example_fleet):
    _fresh(hubctl, example_fleet)
    (example_fleet / LEAF / "extra.yaml").write_text("kind: ConfigMap\n")

    check = hubctl("render", "-C", example_fleet, "--check")
    render = hubctl("render", "-C", example_fleet, "-o", "json")

    assert check.code == 4 and f"stale    {LEAF}/extra.yaml" in check.out
    assert json.loads(render.out)["foreign"] == [LEAF.removeprefix("rendered/") + "/extra.yaml"]
    again = hubctl("render", "-C", example_fleet, "--check")
    assert again.code == 4, "a stamp that records a foreign file never says up to date"


def test_a_file_planted_at_the_top_is_seen(hubctl, example_fleet):
    _fresh(hubctl, example_fleet)
    (example_fleet / "rendered/evil.yaml").write_text("kind: ConfigMap\n")

    check = hubctl("render", "-C", example_fleet, "--check")

    assert check.code == 4 and "stale    rendered/evil.yaml" in check.out


def test_an_edit_that_keeps_size_and_puts_the_mtime_back_is_repaired(hubctl, example_fleet):
    _fresh(hubctl, example_fleet)
    target = example_fleet / LEAF / "manifests.yaml"
    good = target.read_bytes()
    before = os.lstat(target)
    forged = good.replace(b"nginx", b"evilx", 1)
    assert forged != good and len(forged) == len(good)
    with open(target, "r+b") as handle:  # in place: same inode, same size
        handle.write(forged)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `rsync -t` or `touch -d` would

    check = hubctl("render", "-C", example_fleet, "--check")
    render = hubctl("render", "-C", example_fleet)

    assert check.code == 4 and f"differs  {LEAF}/manifests.yaml" in check.out
    assert "1 changed" in render.err and target.read_bytes() == good


def test_a_directory_made_empty_then_filled_later_is_seen(hubctl, example_fleet):
    _fresh(hubctl, example_fleet)
    (example_fleet / "rendered/spokes/prod-eu-1/later").mkdir()
    assert hubctl("render", "-C", example_fleet).code == 0  # records the empty directory
    assert hubctl("render", "-C", example_fleet, "--check").code == 0
    (example_fleet / "rendered/spokes/prod-eu-1/later/x.yaml").write_text("kind: ConfigMap\n")

    check = hubctl("render", "-C", example_fleet, "--check")

    assert check.code == 4 and "stale    rendered/spokes/prod-eu-1/later/x.yaml" in check.out


def test_a_directory_replaced_by_a_link_is_seen(hubctl, example_fleet, tmp_path):
    _fresh(hubctl, example_fleet)
    leaf = example_fleet / LEAF
    elsewhere = tmp_path / "elsewhere"
    leaf.rename(elsewhere)
    leaf.symlink_to(elsewhere)

    check = hubctl("render", "-C", example_fleet, "--check")

    assert check.code == 4


def test_an_old_stamp_is_read_for_ownership_and_vouches_for_nothing(hubctl, example_fleet):
    """After an upgrade, the version-2 stamp still says which files hubctl wrote (so a removed flow's files
    are deleted), but it has no ctime, so every file is read back once."""
    from hubctl.base import cachefile

    assert hubctl("render", "-C", example_fleet).code == 0
    out = example_fleet / "rendered"
    stamp = read_stamp(out)
    sigs = Scan.of_stamp(stamp, 0)
    old = {rel: (*sigs[rel][:2], sigs[rel][3], digest) for rel, digest in zip(stamp.files, stamp.digests, strict=True)
           if digest}
    stamp_path(out).unlink()
    cachefile.save(stamp_path(out), 2, {"version": 2, "inputs": "x", "summary": {}, "files": old}, versioned=False)
    (example_fleet / "flows/settlement.yaml").unlink()

    result = json.loads(hubctl("render", "-C", example_fleet, "-o", "json").out)

    assert "hub/applicationsets/payments-settlement.yaml" in result["removed"]
    assert result["foreign"] == []
    assert verify(out, read_stamp(out)), "the render wrote a version-3 stamp"


def test_a_stamp_with_mismatched_parts_is_no_stamp(tmp_path):
    from hubctl.usecases.render.stamp import Stamp

    out = tmp_path / "out"
    write_output({"a/b.yaml": b"x: 1\n"}, out)
    document = read_stamp(out).document()
    document["counts"] = [document["counts"][0], 7]
    assert not Stamp.from_document(document)
    assert not Stamp.from_document({"version": 3, "counts": "x"})
    assert not Stamp.from_document(None)


# The fuzzer: random changes to a rendered tree; the guided scan must equal a full listing, and verify must
# say "unchanged" exactly when nothing changed.

def _tree(rng: random.Random) -> dict[str, bytes]:
    files = {}
    for c in range(rng.randint(1, 4)):
        for f in range(rng.randint(1, 4)):
            files[f"spokes/c{c}/flows/s/f{f}/manifests.yaml"] = f"kind: ConfigMap # {c} {f}\n".encode()
        files[f"hub/clusters/c{c}.yaml"] = f"cluster {c}\n".encode()
    files["hub/root.yaml"] = b"root\n"
    return files


def _mutate(rng: random.Random, out: Path) -> str:
    """One change anyone could make to the tree; returns what it did."""
    found = full_scan(out)
    files = sorted(found)
    dirs = sorted(d for d in found.dirs if d)
    kind = rng.choice(["edit", "edit-keep-mtime", "add", "add-top", "remove", "rename", "mkdir", "mkdir-fill",
                       "rmdir-tree", "link", "chmod", "touch"])
    pick_file = lambda: out / rng.choice(files)  # noqa: E731
    pick_dir = lambda: out / rng.choice(dirs) if dirs else out  # noqa: E731
    if kind == "edit" and files:
        path = pick_file()
        path.write_bytes(path.read_bytes() + b"# edited\n")
    elif kind == "edit-keep-mtime" and files:
        path = pick_file()
        st = os.lstat(path)
        data = path.read_bytes()
        with open(path, "r+b") as handle:
            handle.write(bytes([data[0] ^ 1]) + data[1:])
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
    elif kind == "add":
        (pick_dir() / f"planted-{rng.randrange(1000)}.yaml").write_text("kind: Secret\n")
    elif kind == "add-top":
        (out / f"top-{rng.randrange(1000)}.yaml").write_text("kind: Secret\n")
    elif kind == "remove" and files:
        pick_file().unlink()
    elif kind == "rename" and files:
        path = pick_file()
        path.rename(path.with_name(path.name + ".moved"))
    elif kind == "mkdir":
        (pick_dir() / f"empty-{rng.randrange(1000)}").mkdir(exist_ok=True)
    elif kind == "mkdir-fill":
        fresh = pick_dir() / f"full-{rng.randrange(1000)}"
        (fresh / "deep").mkdir(parents=True, exist_ok=True)
        (fresh / "deep" / "x.yaml").write_text("x\n")
    elif kind == "rmdir-tree" and dirs:
        victim = pick_dir()
        for root, subdirs, names in os.walk(victim, topdown=False):
            for name in names:
                os.unlink(os.path.join(root, name))
            for name in subdirs:
                path = os.path.join(root, name)
                os.unlink(path) if os.path.islink(path) else os.rmdir(path)
        os.rmdir(victim)
    elif kind == "link" and files:
        path = pick_file()
        path.unlink()
        path.symlink_to("/etc/hostname")
    elif kind == "chmod" and files:
        os.chmod(pick_file(), 0o600)
    elif kind == "touch" and files:
        os.utime(pick_file())
    else:
        return "nothing"
    return kind


def _same(a: Scan, b: Scan) -> bool:
    return dict(a) == dict(b) and a.dirs.keys() == b.dirs.keys()


@pytest.mark.parametrize("seed", range(40))
def test_fuzz_the_guided_scan_equals_a_full_listing_and_verify_misses_nothing(tmp_path, seed):
    rng = random.Random(seed)
    out = tmp_path / "out"
    files = _tree(rng)
    write_output(files, out, "key")
    for _ in range(rng.randint(1, 3)):  # some renders, with changes between them
        stamp = read_stamp(out)
        assert verify(out, stamp) or any(d == "" for d in stamp.digests)
        before = full_scan(out)
        did = [_mutate(rng, out) for _ in range(rng.randint(1, 3))]
        after = full_scan(out)
        guided = scan(out, stamp)
        assert _same(guided, after), f"seed {seed}: {did}"
        for rel, sig in after.items():
            assert guided[rel] == sig, f"seed {seed}: {did}: {rel}"
        changed = not (_same(before, after) and dict(before) == dict(after))
        if changed:
            assert not verify(out, stamp), f"seed {seed}: {did} went unseen"
        changes = write_output(files, out, "key", stamp=stamp)
        assert {rel: (out / rel).read_bytes() for rel in files} == files
        assert set(changes.foreign) == {rel for rel in full_scan(out) if rel not in files}



def test_an_entry_seen_within_a_tick_of_its_change_is_racy_until_looked_at_later():
    from hubctl.usecases.render.stamp import TICK_NS, _racy

    start = 10**18 + 123_456_789  # not whole seconds: a fine-grained filesystem
    found = Scan({"a/old.yaml": (1, 1, start - 10 * TICK_NS, 5), "a/new.yaml": (1, 1, start - TICK_NS // 2, 6),
                  "b/written.yaml": (1, 1, start + 5 * TICK_NS, 7)},
                 {"": (start - 10 * TICK_NS, 1), "a": (start - 10 * TICK_NS, 2), "b": (start + 5 * TICK_NS, 3)},
                 started=start)

    assert _racy(found, start, {}) == {"a", "b"}, "changed less than a tick before it was seen, or after"
    assert _racy(found, start, {"b": start + 7 * TICK_NS}) == {"a"}, "b was listed again a tick later"


def test_a_racy_entry_is_looked_at_again_before_it_is_recorded(tmp_path):
    """What a scan saw less than a tick after the change it records may hide a later change in the same tick:
    settle lists its directory again after the tick and records what is there then."""
    import time

    from hubctl.usecases.render.stamp import file_sig, settle

    out = tmp_path / "out"
    write_output({"a/b.yaml": b"x: 1\n", "c/d.yaml": b"x: 2\n"}, out, "key")
    found = full_scan(out)
    found.started = time.time_ns()
    real = found["a/b.yaml"]
    found["a/b.yaml"] = (real[0], real[1], found.started - 1000, real[3])  # seen 1 us after a change
    (out / "a" / "b.yaml").write_bytes(b"x: 9\n")  # the change in the same tick

    settle(out, found, set())

    assert found["a/b.yaml"] == file_sig(os.lstat(out / "a" / "b.yaml")) != real
    assert found["c/d.yaml"] == full_scan(out)["c/d.yaml"]


@pytest.mark.parametrize("tick", ["real", "1ns"])
@pytest.mark.parametrize("seed", range(5))
def test_a_first_render_records_exactly_what_a_full_listing_finds(tmp_path, seed, tick, monkeypatch):
    """The first render's stamp is made from the fstat of each file it wrote and an lstat of each directory,
    not from listing the new tree: it must hold what a listing finds, entry for entry. With a 1 ns tick no
    entry is racy, so nothing is listed again before the stamp is recorded."""
    if tick == "1ns":
        monkeypatch.setattr("hubctl.usecases.render.stamp.TICK_NS", 1)
    rng = random.Random(seed)
    files = {}
    for i in range(rng.randrange(1, 300)):
        depth = rng.randrange(0, 5)
        parts = [f"d{rng.randrange(4)}" for _ in range(depth)]
        files["/".join([*parts, f"f{i}.yaml"])] = b"x: %d\n" % rng.randrange(10**9) * rng.randrange(1, 50)
    out = tmp_path / "out"

    write_output(files, out, "key")

    stamp, listed = read_stamp(out), full_scan(out)
    recorded = Scan.of_stamp(stamp, 0)
    assert dict(recorded) == dict(listed) and len(listed) == len(files)
    assert recorded.dirs.pop("") == (-1, -1) and recorded.dirs == {rel: sig for rel, sig in listed.dirs.items() if rel}
    assert verify(out, stamp)


@pytest.mark.parametrize("change", ["planted", "edited"])
def test_a_change_right_after_a_first_render_is_seen(hubctl, example_fleet, change):
    assert hubctl("render", "-C", example_fleet).code == 0  # a first render only: the stamp it recorded
    target = example_fleet / LEAF / "manifests.yaml"
    if change == "planted":
        (example_fleet / LEAF / "extra.yaml").write_text("kind: ConfigMap\n")
    else:
        good = target.read_bytes()
        with open(target, "r+b") as handle:  # in place, same size, within a tick of the render
            handle.write(good.replace(b"nginx", b"evilx", 1))

    check = hubctl("render", "-C", example_fleet, "--check")

    expected = f"stale    {LEAF}/extra.yaml" if change == "planted" else f"differs  {LEAF}/manifests.yaml"
    assert check.code == 4 and expected in check.out
