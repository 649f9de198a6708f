"""The stamp is kept as a base file and a delta (output.write_stamp): a render that changed a few entries
writes only what differs from the base. Reading brings the base up to the delta only when the delta was
made on that very base; anything else about a delta (another base, a damaged one) leaves the base alone,
which the directory then no longer matches: the render scans, and rewrites the stamp in full."""

from __future__ import annotations

import time

from hubctl.base import cachefile
from hubctl.usecases.render import output
from hubctl.usecases.render.output import (
    STAMP_VERSION,
    delta_path,
    read_stamp,
    stale_since,
    stamp_path,
    write_output,
)
from hubctl.usecases.render.stamp import Verified, full_scan, verify


def _files(n: int, version: int = 0) -> dict[str, bytes]:
    return {f"spokes/c{i}/flows/s/f/manifests.yaml": b"v: %d\n" % version for i in range(n)}


def _restamped(files: dict[str, bytes], out, key: str):
    """write_output as a render that found `out` exactly as stamped does (the path that restamps)."""
    stamp = read_stamp(out)
    assert verify(out, stamp)
    return write_output(files, out, key, stamp=stamp, current=Verified(stamp, time.time_ns()))


def _recorded(stamp) -> dict:
    return {rel: (tuple(stamp.fsigs[4 * i:4 * i + 4]), stamp.digests[i]) for i, rel in enumerate(stamp.files)}


def test_a_small_change_writes_a_delta_and_leaves_the_base_file_alone(tmp_path):
    out = tmp_path / "out"
    files = _files(50)
    write_output(files, out, "k1")
    base = stamp_path(out).read_bytes()
    assert not delta_path(out).exists()
    files["spokes/c3/flows/s/f/manifests.yaml"] = b"v: 1\n"
    files["spokes/c9/new/manifests.yaml"] = b"new\n"
    _restamped(files, out, "k3")
    assert stamp_path(out).read_bytes() == base, "the base file was rewritten"
    assert delta_path(out).exists()
    stamp = read_stamp(out)
    assert stamp.inputs == "k3" and verify(out, stamp)
    listed = full_scan(out)
    assert {rel: sig for rel, (sig, _) in _recorded(stamp).items()} == dict(listed)


def test_a_delta_past_its_limit_is_folded_into_a_new_base(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "DELTA_MIN", 3)
    monkeypatch.setattr(output, "DELTA_SHARE", 1000)
    out = tmp_path / "out"
    files = _files(20)
    write_output(files, out, "k1")
    for version in range(1, 4):
        files = {rel: b"v: %d\n" % version if i < 2 else data for i, (rel, data) in enumerate(files.items())}
        _restamped(files, out, f"k{version + 1}")
    assert not delta_path(out).exists(), "more changed entries than the limit: one base file, no delta"
    stamp = read_stamp(out)
    assert stamp.base is not None and not stamp.changed_files and verify(out, stamp)


def test_a_delta_made_on_another_base_is_not_applied(tmp_path):
    out, other = tmp_path / "out", tmp_path / "other"
    files = _files(10)
    write_output(files, out, "k1")
    files["spokes/c1/flows/s/f/manifests.yaml"] = b"v: 2\n"
    _restamped(files, out, "k2")
    assert delta_path(out).exists()
    delta = delta_path(out).read_bytes()
    write_output(_files(10, 7), other, "o1")  # another base, under out's name: the delta's base is gone
    stamp_path(out).write_bytes(stamp_path(other).read_bytes())
    assert not read_stamp(out), "another directory's stamp, signed for its own name, reads as nothing"
    write_output(files, out, "k3")  # a full stamp again (no delta: the render listed everything)
    delta_path(out).write_bytes(delta)  # the old delta back, beside a base it was not made on
    stamp = read_stamp(out)
    assert stamp.inputs == "k3" and not stamp.changed_files and verify(out, stamp)


def test_a_damaged_delta_leaves_the_base_alone(tmp_path):
    out = tmp_path / "out"
    files = _files(10)
    write_output(files, out, "k1")
    stamp = read_stamp(out)
    bad = {**stamp.delta_document(), "fidx": (b"\x07" + b"\0" * 7) * 2, "files": "a\0b", "fsigs": b"",
           "digests": "x\0y"}
    cachefile.save(delta_path(out), STAMP_VERSION, bad, versioned=False)
    again = read_stamp(out)
    assert again.inputs == "k1" and again.files == stamp.files and verify(out, again)
    bad = {**stamp.delta_document(), "fidx": (b"\x63" + b"\0" * 7), "files": "far", "fsigs": b"\0" * 32,
           "digests": "x"}  # an entry added past the end: not the next position
    cachefile.save(delta_path(out), STAMP_VERSION, bad, versioned=False)
    assert read_stamp(out).files == stamp.files


def test_a_delta_written_since_the_stamp_was_read_makes_it_stale(tmp_path):
    out = tmp_path / "out"
    files = _files(10)
    write_output(files, out, "k1")
    first = read_stamp(out)
    files["spokes/c1/flows/s/f/manifests.yaml"] = b"v: 2\n"
    _restamped(files, out, "k2")
    assert delta_path(out).exists() and stale_since(out, first) and not stale_since(out, read_stamp(out))


def test_the_stamp_of_a_deleted_render_directory_is_not_read(tmp_path):
    """A render directory deleted since its last render: its stamp (60 MB at 4,000 clusters) vouches for
    nothing there and is not loaded; the next render writes the tree and a stamp of its own."""
    import shutil

    out = tmp_path / "out"
    write_output(_files(5), out, "k1")
    assert read_stamp(out)
    shutil.rmtree(out)
    assert not read_stamp(out) and stamp_path(out).exists()
    write_output(_files(5, 1), out, "k2")
    stamp = read_stamp(out)
    assert stamp.inputs == "k2" and verify(out, stamp) and not delta_path(out).exists()


def test_a_delta_applies_only_positions_that_fit_its_base(tmp_path):
    """Replaced entries keep their positions and added ones come right after the base's, in order: a delta
    with positions out of order, repeated, negative or past a gap is refused as a whole."""
    from array import array

    out = tmp_path / "out"
    write_output(_files(3), out, "k1")
    base = read_stamp(out)
    n = len(base.files)

    def delta(positions):
        doc = base.delta_document()
        return {**doc, "fidx": array("q", positions).tobytes(), "files": "\0".join(f"f{i}" for i in positions),
                "fsigs": b"\0" * 32 * len(positions), "digests": "\0".join("d" for _ in positions)}

    for good in ([0], [0, n - 1], [n], [1, n, n + 1]):
        assert read_stamp(out).apply(delta(good)), good
    for bad in ([n + 1], [n, n + 2], [1, 0], [0, 0], [-1]):
        stamp = read_stamp(out)
        assert not stamp.apply(delta(bad)) and stamp.files == base.files, bad
