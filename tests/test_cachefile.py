"""hubctl's cache files: only what this user's hubctl wrote is ever unpickled; anything else is a miss."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from hubctl.base import cachefile

PAYLOAD = {"texts": ["a", "b"], "n": 3}


class Poison:
    """Unpickling this creates `marker`: proof that a cache file was deserialised."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def poisons(marker: Path) -> list[bytes]:
    """A planted file in every shape: the old pickle format, the new header with a forged tag."""
    raw = pickle.dumps({"format": 1, "code": "x", "payload": Poison(marker)})
    return [raw, pickle.dumps(Poison(marker)), cachefile.MAGIC + b"\0" * 32 + raw, cachefile.MAGIC + raw]


@pytest.fixture
def path() -> Path:
    return cachefile.cache_path("unit", "fleet")


def test_a_saved_payload_loads_back_and_the_file_is_private(path):
    cachefile.save(path, 1, PAYLOAD)
    assert cachefile.load(path, 1) == PAYLOAD
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    key = Path(os.environ["XDG_STATE_HOME"]) / "hubctl" / "cache-key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    assert not key.is_relative_to(cachefile.cache_root())  # a shared cache directory never holds the key


def test_another_format_or_place_is_a_miss(path):
    cachefile.save(path, 1, PAYLOAD)
    assert cachefile.load(path, 2) is None
    moved = cachefile.cache_path("unit", "another fleet")
    moved.write_bytes(path.read_bytes())
    assert cachefile.load(moved, 1) is None


def test_planted_files_are_never_unpickled(path, tmp_path):
    marker = tmp_path / "marker"
    path.parent.mkdir(parents=True, mode=0o700)
    for poison in poisons(marker):
        path.write_bytes(poison)
        os.chmod(path, 0o600)
        assert cachefile.load(path, 1) is None
    assert not marker.exists()


def test_a_file_signed_with_another_users_key_is_a_miss(path, tmp_path, monkeypatch):
    cachefile.save(path, 1, PAYLOAD)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-runner"))
    assert cachefile.load(path, 1) is None


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_files_are_misses(path, damage):
    cachefile.save(path, 1, PAYLOAD)
    data = path.read_bytes()
    damaged = {"truncate": data[: len(data) // 2], "flip": data[:-1] + bytes([data[-1] ^ 1]),
               "garbage": os.urandom(len(data)), "empty": b""}[damage]
    path.write_bytes(damaged)
    assert cachefile.load(path, 1) is None
    cachefile.save(path, 1, PAYLOAD)  # and it is replaced by the next save
    assert cachefile.load(path, 1) == PAYLOAD


def test_a_file_others_may_write_or_a_symlink_is_a_miss(path, tmp_path):
    cachefile.save(path, 1, PAYLOAD)
    os.chmod(path, 0o666)
    assert cachefile.load(path, 1) is None
    os.chmod(path, 0o600)
    link = path.with_name("link.pickle")
    link.symlink_to(path)
    assert cachefile.load(link, 1) is None


@pytest.mark.parametrize("level", ["hubctl", "kind"])
def test_a_directory_others_may_write_turns_caches_off_with_one_warning(path, level):
    cachefile.save(path, 1, PAYLOAD)
    shared = path.parent if level == "kind" else path.parent.parent
    os.chmod(shared, 0o777)
    assert cachefile.load(path, 1) is None
    cachefile.save(path.with_name("other.pickle"), 1, PAYLOAD)
    assert not path.with_name("other.pickle").exists()
    notes = cachefile.warnings()
    assert len(notes) == 1 and f"caches are off: {shared} is owned by another user or writable" in notes[0]
    assert cachefile.warnings() == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_a_directory_another_user_owns_turns_caches_off(path):
    cachefile.save(path, 1, PAYLOAD)
    os.chown(path.parent, 65534, 65534)
    assert cachefile.load(path, 1) is None
    assert "caches are off" in cachefile.warnings()[0]


def test_a_key_others_may_read_turns_caches_off(path):
    cachefile.save(path, 1, PAYLOAD)
    key = Path(os.environ["XDG_STATE_HOME"]) / "hubctl" / "cache-key"
    os.chmod(key, 0o644)
    assert cachefile.load(path, 1) is None
    assert "must be a 32-byte file only you can read and write" in cachefile.warnings()[0]


@pytest.mark.parametrize("level", ["hubctl", "kind"])
def test_a_symlinked_cache_directory_is_never_written_through(path, level, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    linked = path.parent if level == "kind" else path.parent.parent
    linked.parent.mkdir(parents=True, exist_ok=True)
    linked.symlink_to(target, target_is_directory=True)

    cachefile.save(path, 1, PAYLOAD)

    assert list(target.rglob("*")) == []
    assert cachefile.load(path, 1) is None
    notes = cachefile.warnings()
    assert len(notes) == 1 and f"caches are off: {linked} is a symbolic link" in notes[0]


def test_a_symlinked_key_directory_turns_caches_off(path, tmp_path, monkeypatch):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    (tmp_path / "keys").mkdir(mode=0o700)
    (state / "hubctl").symlink_to(tmp_path / "keys", target_is_directory=True)
    monkeypatch.setenv("XDG_STATE_HOME", str(state))

    cachefile.save(path, 1, PAYLOAD)

    assert list((tmp_path / "keys").iterdir()) == []
    assert not path.exists()
    notes = cachefile.warnings()
    assert len(notes) == 1 and f"caches are off: {state / 'hubctl'} is a symbolic link" in notes[0]
