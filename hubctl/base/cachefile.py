"""hubctl's caches on disk: one file per cache and key under $XDG_CACHE_HOME/hubctl/<kind>/.

A cache is something another process could have written (a CI cache restored from another branch, a
shared or hostile directory), so nothing in it is trusted before it is proven to be ours:

- every file carries an HMAC-SHA256 over its content, its place (kind and name), its format and, unless
  the caller opts out, hubctl's code key, made with a per-user key kept outside the cache directory
  (`$XDG_STATE_HOME/hubctl/cache-key`, 0600). The tag is checked *before* the payload is unpickled, so a
  planted file is never deserialised: it is a miss;
- a cache directory, or the key's directory, that another user owns or that group or others may write,
  or that is a symbolic link (it would send writes elsewhere), is not used at all: hubctl runs without
  caches and says so once (`warnings()`);
- a file that is missing, unreadable, truncated, not ours, or written by another build reads as nothing.

Writes are atomic (a temporary file, then a rename), files are 0600 and directories 0700; a failure to
write is ignored: losing a cache costs time, never correctness.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import stat
from pathlib import Path

from hubctl.base.codekey import code_key

MAGIC = b"hubctl-cache 1\n"
_TAG = 32  # bytes of HMAC-SHA256
_KEY = 32
_notes: list[str] = []


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hubctl"


def cache_path(kind: str, key: str) -> Path:
    """The file of cache `kind` for `key` (such as a fleet directory)."""
    return cache_root() / kind / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle")


def warnings() -> list[str]:
    """What made hubctl run without its caches in this process (each said once), then forgotten."""
    out = list(_notes)
    _notes.clear()
    return out


def load(path: Path | None, fmt: int, *, versioned: bool = True):
    """The payload stored at `path` in format `fmt` by this user (and this build, when `versioned`), or None.

    The file's tag is verified before anything in it is unpickled."""
    return load_tagged(path, fmt, versioned=versioned)[0]


def load_tagged(path: Path | None, fmt: int, *, versioned: bool = True) -> tuple:
    """(payload, the head of the file it came from: what `tag` gives while the file is unchanged), or
    (None, None)."""
    key = cache_key() if path is not None and _usable(path.parent) else None
    if key is None:
        return None, None
    with contextlib.suppress(Exception):  # a cache: anything wrong with it means "not cached"
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            if not _owned_private(os.fstat(handle.fileno())):
                return None, None
            data = handle.read()
        tag, body = data[len(MAGIC) : len(MAGIC) + _TAG], memoryview(data)[len(MAGIC) + _TAG :]
        if data.startswith(MAGIC) and hmac.compare_digest(tag, _sign(key, path, fmt, versioned, body)):
            return pickle.loads(body), data[:len(MAGIC) + _TAG]
    return None, None


def tag(path: Path | None) -> bytes | None:
    """The head of the file at `path` (its tag: new with every save of other content), or None when there is
    none; a few bytes read, to know whether the file changed since it was loaded."""
    if path is None:
        return None
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            return handle.read(len(MAGIC) + _TAG)
    return None


def save(path: Path | None, fmt: int, payload, *, versioned: bool = True) -> None:
    """Store `payload` at `path` for this user (and build), atomically."""
    if path is None:
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        key = cache_key() if _usable(path.parent) else None
        if key is None:
            return
        _make_dir(path.parent)
        body = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(FileNotFoundError):  # a leftover of this pid, or a planted link: never opened
            tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + _sign(key, path, fmt, versioned, body))
            handle.write(body)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            tmp.unlink()


def cache_key() -> bytes | None:
    """This user's cache key, made on first use; None (caches off) when it cannot be kept private.

    Read again on every use (a few microseconds for the handful of cache files of a run), so a key or
    directory that stopped being private is noticed."""
    return _read_or_make_key(_key_path())


def _sign(key: bytes, path: Path, fmt: int, versioned: bool, body) -> bytes:
    place = f"{path.parent.name}/{path.name}\0{fmt}\0{code_key() if versioned else ''}\0".encode()
    mac = hmac.new(key, MAGIC + place, hashlib.sha256)
    mac.update(body)  # not concatenated: the body is megabytes
    return mac.digest()


def _key_path() -> Path:
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "hubctl" / "cache-key"


def _read_or_make_key(path: Path) -> bytes | None:
    try:
        if not (_checked(path.parent.parent, follow=True) and _checked(path.parent, follow=False)):
            return None
        _make_dir(path.parent)
        if not path.exists():
            tmp = path.with_name(f".cache-key.{os.getpid()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(_KEY))
            with contextlib.suppress(FileExistsError):  # another process made one first: use theirs
                os.link(tmp, path)
            tmp.unlink()
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            key = handle.read()
            private = _owned_private(os.fstat(handle.fileno()), group_read=False)
    except OSError as exc:
        _note(f"caches are off: cannot keep a cache key in {path.parent} ({exc.strerror})")
        return None
    if not private or len(key) != _KEY:
        _note(f"caches are off: {path} must be a {_KEY}-byte file only you can read and write (delete it "
              "and hubctl makes a new one)")
        return None
    return key


def _make_dir(path: Path) -> None:
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)


def _usable(directory: Path) -> bool:
    """Whether `directory` and its parent (such as hubctl/parsed and hubctl/) are this user's and writable
    by nobody else. A missing directory is usable (it is made 0700); a refused one is said once."""
    return _checked(directory.parent, follow=False) and _checked(directory, follow=False)


def _checked(directory: Path, *, follow: bool) -> bool:
    """Whether `directory` may hold cache files or the key; a refused one is said once. Unless `follow`,
    it must not be a symbolic link (hubctl/ and hubctl/<kind>/ under the cache root, the key's
    directory): through one, a write would land wherever the link points."""
    try:
        st = os.stat(directory) if follow else os.lstat(directory)
    except FileNotFoundError:
        return True
    except OSError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        _note(f"caches are off: {directory} is a symbolic link, so writes would land where it points; "
              "replace it with a directory of your own (mode 0700)")
        return False
    if st is None or not stat.S_ISDIR(st.st_mode) or not _owned_private(st):
        _note(f"caches are off: {directory} is owned by another user or writable by group or others, so "
              "anyone could plant entries in it; make it yours with mode 0700")
        return False
    return True


def _owned_private(st: os.stat_result, *, group_read: bool = True) -> bool:
    """Owned by this user and writable by nobody else (nor readable, unless `group_read`)."""
    forbidden = 0o022 if group_read else 0o077
    return st.st_uid == os.geteuid() and not st.st_mode & forbidden


def _note(message: str) -> None:
    if message not in _notes:
        _notes.append(message)
