"""Adversarial checks of the stamp: concurrent renders, a killed render, odd names.

Each test interleaves what two renders (or a render and a person) do in the order a busy CI machine could,
deterministically: the steps are called one after the other, as run.py does them (the stamp read and the
directory scanned without the lock, which is taken only to write).
"""

from __future__ import annotations

import os
from pathlib import Path

from hubctl.usecases.render import journal
from hubctl.usecases.render.output import compare, read_stamp, write_output
from hubctl.usecases.render.stamp import full_scan, scan, verify


def _on_disk(out: Path) -> dict[str, bytes]:
    return {rel: (out / rel).read_bytes() for rel in full_scan(out)}


def _vouches_truly(out: Path, wanted: dict[str, bytes]) -> None:
    """The stamp never says "as rendered" of a directory that is not."""
    stamp = read_stamp(out)
    if verify(out, stamp) or not compare(wanted, out).dirty:
        assert _on_disk(out) == wanted, "the stamp vouches for files another render wrote"


def test_a_render_that_ran_between_the_scan_and_the_lock_is_not_trusted(tmp_path):
    out = tmp_path / "out"
    write_output({"x/a.yaml": b"a: 1\n", "x/b.yaml": b"b: 1\n"}, out, "A")
    stamp = read_stamp(out)  # render 1 reads the stamp and scans, before it takes the lock (run.py)
    current = scan(out, stamp)
    # render 2 runs to completion meanwhile: the lock is free again when render 1 asks for it
    write_output({"x/a.yaml": b"a: 2\n", "x/b.yaml": b"b: 1\n", "z/c.yaml": b"c: 1\n"}, out, "B")
    wanted = {"x/a.yaml": b"a: 1\n", "x/b.yaml": b"b: 3\n"}

    write_output(wanted, out, "C", current=current, stamp=stamp)

    assert _on_disk(out) == wanted, "render 1 kept what render 2 wrote, or its file"
    _vouches_truly(out, wanted)


def test_a_render_killed_between_the_scan_and_the_lock_is_not_trusted(tmp_path):
    out = tmp_path / "out"
    write_output({"x/a.yaml": b"a: 1\n", "x/b.yaml": b"b: 1\n"}, out, "A")
    stamp = read_stamp(out)
    current = scan(out, stamp)
    journal.begin(out, ["x/a.yaml"])  # render 2 replaced x/a.yaml, then was killed before its stamp
    (out / "x" / ".a.yaml.tmp").write_bytes(b"a: 2\n")
    os.replace(out / "x" / ".a.yaml.tmp", out / "x" / "a.yaml")
    wanted = {"x/a.yaml": b"a: 1\n", "x/b.yaml": b"b: 3\n"}

    write_output(wanted, out, "C", current=current, stamp=stamp)

    assert _on_disk(out) == wanted
    _vouches_truly(out, wanted)


def test_a_render_in_between_is_seen_also_without_a_usable_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "cache" / "hubctl").mkdir(parents=True)
    os.chmod(tmp_path / "cache" / "hubctl", 0o777)  # others may write it: hubctl runs without caches (no stamp)
    out = tmp_path / "out"
    write_output({"x/a.yaml": b"a: 1\n"}, out, "A")
    stamp = read_stamp(out)
    current = scan(out, stamp)
    write_output({"x/a.yaml": b"a: 1\n", "z/c.yaml": b"c: 1\n"}, out, "B")
    wanted = {"x/a.yaml": b"a: 1\n"}

    changes = write_output(wanted, out, "C", current=current, stamp=stamp)

    assert "z/c.yaml" in changes.foreign, "a file render 1 did not scan is reported, not silently left"


def test_a_file_edited_while_the_render_loads_is_not_vouched_for_by_its_stamp(tmp_path):
    """run.py scans while the specs load (seconds at scale): a person's edit after the scan, in a directory the
    render then writes, must not be recorded as the render's content."""
    out = tmp_path / "out"
    write_output({"x/a.yaml": b"a: 1\n", "x/b.yaml": b"b: 1\n", "y/c.yaml": b"c: 1\n"}, out, "A")
    stamp = read_stamp(out)
    current = scan(out, stamp)
    (out / "x" / "b.yaml").write_bytes(b"b: 9\n")  # edited after the scan, before the render writes
    (out / "y" / "c.yaml").write_bytes(b"c: 9\n")  # and one in a directory the render does not write
    wanted = {"x/a.yaml": b"a: 2\n", "x/b.yaml": b"b: 1\n", "y/c.yaml": b"c: 1\n"}

    write_output(wanted, out, "C", current=current, stamp=stamp)

    assert not verify(out, read_stamp(out))
    assert compare(wanted, out).changed == ["x/b.yaml", "y/c.yaml"], "render --check sees both edits"
    assert write_output(wanted, out, "C").changed == ["x/b.yaml", "y/c.yaml"]
    assert _on_disk(out) == wanted
    _vouches_truly(out, wanted)


def _plant_deep(directory: Path) -> None:
    """A tree whose path is longer than the system allows (PATH_MAX), made one directory at a time."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        for _ in range(18):
            os.mkdir("d" * 250, dir_fd=fd)
            deeper = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        os.close(os.open("x.yaml", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd))
    finally:
        os.close(fd)


def test_a_path_too_long_to_read_in_the_render_directory_is_a_filesystem_error_not_a_crash(hubctl, example_fleet):
    assert hubctl("render", "-C", example_fleet).code == 0
    _plant_deep(example_fleet / "rendered" / "spokes")

    for args in (["--check"], []):
        result = hubctl("render", "-C", example_fleet, *args)

        assert result.code == 12, result.err
        assert "internal error" not in result.err and "File name too long" in result.err
        assert "rendered/spokes/ddd" in result.err and "shorten or remove it" in result.err


def test_a_render_directory_swapped_while_it_is_checked_is_not_vouched_for(tmp_path, monkeypatch):
    """verify looks entries up from the directory it opened: when another directory is moved to the path
    meanwhile (a `mv new out` of a deploy script), what was checked is no longer what is there."""
    from hubctl.usecases.render import stamp as stamp_module

    files = {"x/a.yaml": b"a: 1\n", "y/b.yaml": b"b: 1\n"}
    out = tmp_path / "out"
    write_output(files, out, "A")
    other = tmp_path / "other"
    write_output({"x/a.yaml": b"a: 2\n", "y/b.yaml": b"b: 1\n"}, other, "B")
    stamp = read_stamp(out)
    assert verify(out, stamp)
    real_open = os.open

    def open_then_swap(path, *args, **kwargs):
        fd = real_open(path, *args, **kwargs)
        if str(path) == str(out):  # right after the check opened it, the directory is replaced
            os.rename(out, tmp_path / "old")
            os.rename(other, out)
        return fd

    monkeypatch.setattr(stamp_module.os, "open", open_then_swap)
    assert not verify(out, stamp)
    monkeypatch.undo()
    assert write_output(files, out, "A").changed == ["x/a.yaml"]
