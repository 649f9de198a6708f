"""A render that finds its directory exactly as stamped compares and records only what changed
(output._compare_verified, stamp.restamp). Both must agree with the general path, which builds a full scan:
the same changes reported, and a stamp holding the same record of every entry, equal to a full listing."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from hubctl.usecases.render import output
from hubctl.usecases.render.output import compare, read_stamp, write_output
from hubctl.usecases.render.stamp import Stamp, Verified, full_scan, verify


def _tree(rng: random.Random) -> dict[str, bytes]:
    files = {"hub/root.yaml": b"root\n"}
    for c in range(rng.randint(1, 5)):
        for f in range(rng.randint(1, 5)):
            files[f"spokes/c{c}/flows/s{f % 2}/f{f}/manifests.yaml"] = f"kind: ConfigMap # {c} {f}\n".encode()
        files[f"hub/clusters/c{c}.yaml"] = f"cluster {c}\n".encode()
    return files


def _next(rng: random.Random, files: dict[str, bytes]) -> dict[str, bytes]:
    """The next render: some files with new content, some new (in new directories too), sometimes some gone."""
    wanted = dict(files)
    for rel in rng.sample(sorted(wanted), rng.randint(0, min(4, len(wanted)))):
        wanted[rel] = wanted[rel] + b"# changed %d\n" % rng.randrange(1000)
    for _ in range(rng.randint(0, 3)):
        c, f = rng.randrange(7), rng.randrange(7)
        wanted[f"spokes/c{c}/flows/s{f % 3}/f{f}/manifests.yaml"] = b"kind: Secret # new\n"
    if rng.random() < 0.3:
        for rel in rng.sample(sorted(wanted), rng.randint(1, 2)):
            del wanted[rel]
    return wanted


def _recorded(stamp: Stamp) -> tuple[dict, dict]:
    files = {rel: (tuple(stamp.fsigs[4 * i:4 * i + 4]), stamp.digests[i]) for i, rel in enumerate(stamp.files)}
    dirs = {rel: tuple(stamp.dsigs[2 * i:2 * i + 2]) for i, rel in enumerate(stamp.dirs)}
    assert len(files) == len(stamp.files) and len(dirs) == len(stamp.dirs), "an entry recorded twice"
    return files, dirs


@pytest.mark.parametrize("seed", range(30))
def test_fuzz_the_verified_path_records_what_the_general_path_records(tmp_path, seed, monkeypatch):
    rng = random.Random(seed)
    files = _tree(rng)
    out = tmp_path / "out"
    write_output(files, out, "key")
    for step in range(rng.randint(2, 4)):
        stamp = read_stamp(out)
        assert verify(out, stamp), f"seed {seed} step {step}: the last render's stamp verifies"
        wanted = _next(rng, files)
        digests = output.content_digests(wanted)
        verified = Verified(stamp, time.time_ns())
        assert compare(wanted, out, digests, stamp, verified) == compare(wanted, out, digests, stamp,
                                                                          verified.scan())
        general = tmp_path / f"general-{step}"  # the same render through the general path, on a copy
        _copy(out, general, files)
        write_output(files, general, "key")
        write_output(wanted, general, "key2", current=full_scan(general), stamp=read_stamp(general))
        changes = write_output(wanted, out, "key2", current=verified, stamp=stamp)
        assert {rel: (out / rel).read_bytes() for rel in wanted} == wanted
        ours, theirs = read_stamp(out), read_stamp(general)
        assert verify(out, ours), f"seed {seed} step {step}: {changes}"
        assert _digests(ours) == _digests(theirs) == output.content_digests(wanted)
        listed = full_scan(out)
        files_rec, dirs_rec = _recorded(ours)
        assert {rel: sig for rel, (sig, _) in files_rec.items()} == dict(listed)
        assert dirs_rec.pop("") == (-1, -1) and dirs_rec == {rel: sig for rel, sig in listed.dirs.items() if rel}
        files = wanted


def _digests(stamp: Stamp) -> dict[str, str]:
    return dict(zip(stamp.files, stamp.digests, strict=True))


def _copy(out: Path, to: Path, files: dict[str, bytes]) -> None:
    for rel in files:
        (to / rel).parent.mkdir(parents=True, exist_ok=True)
        (to / rel).write_bytes((out / rel).read_bytes())


def test_a_file_reread_equal_takes_its_new_identifier(tmp_path):
    """A file the stamp recorded by digest that the render now identifies by a recipe is read back once;
    the stamp then records the recipe, so the next render vouches for it without reading it."""
    out = tmp_path / "out"
    write_output({"a/x.yaml": b"x\n", "b/y.yaml": b"y\n"}, out, "A")
    stamp = read_stamp(out)
    recipes = {"a/x.yaml": "r" + "0" * 32 + "/c1"}

    changes = write_output({"a/x.yaml": b"x\n", "b/y.yaml": b"y\n"}, out, "B", recipes=recipes,
                           current=Verified(stamp, time.time_ns()), stamp=stamp)

    assert changes.reread == ["a/x.yaml"] and not changes.dirty
    assert _digests(read_stamp(out))["a/x.yaml"] == recipes["a/x.yaml"]
    assert compare({"a/x.yaml": b"x\n", "b/y.yaml": b"y\n"}, out, {"a/x.yaml": recipes["a/x.yaml"],
                   "b/y.yaml": _digests(read_stamp(out))["b/y.yaml"]}).unchanged == 2


def test_a_file_edited_while_the_render_loads_is_not_vouched_for_on_the_verified_path(tmp_path):
    out = tmp_path / "out"
    files = {"x/a.yaml": b"a: 1\n", "x/b.yaml": b"b: 1\n", "y/c.yaml": b"c: 1\n"}
    write_output(files, out, "A")
    stamp = read_stamp(out)
    verified = Verified(stamp, time.time_ns())
    assert verify(out, stamp)
    (out / "x" / "b.yaml").write_bytes(b"b: 9\n")  # after the check, in a directory the render writes
    (out / "y" / "c.yaml").write_bytes(b"c: 9\n")  # and in one it does not write

    write_output({**files, "x/a.yaml": b"a: 2\n"}, out, "B", current=verified, stamp=stamp)

    assert not verify(out, read_stamp(out))
    assert write_output({**files, "x/a.yaml": b"a: 2\n"}, out, "B").changed == ["x/b.yaml", "y/c.yaml"]
