"""The in-progress marker of a render: a journal in the render directory while it is being changed.

A render that changes files writes `<out>/.hubctl-render-journal` first (the files it will write and
delete), then the files, the stamp, and removes the journal last. A journal that is still there means a
render was killed half-way: the tree may mix old and new files. `commit`, `diff` and `status` refuse such
a tree (exit 4); the next `render` removes the temporary files the journal names and completes the
render. A first render writes into a staging directory beside the output (with its journal inside) and
renames it into place, so a kill leaves either no output or all of it.

A journal is trusted only when it carries an HMAC, made with this user's hubctl key (hubctl.base.cachefile),
over its content and the real path of its directory: a journal that was committed, planted or copied
from elsewhere grants nothing (no file is claimed, no file deleted). commit, diff and status refuse it
like any file the render did not write (exit 4); the next render replaces it. Recovery deletes only
hubctl's own temporary files (`.<name>.hubctl-tmp-<pid>`) of a process that no longer runs, never
through a symbolic link; a killed first render's staging directory is removed only when it is a real
directory of this user whose process is gone and whose journal is authentic.

The journal protects against a killed process, not against a power cut: nothing is fsynced.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import shutil
import stat
from pathlib import Path

from hubctl.base.errors import ExitCode, HubctlError

JOURNAL = ".hubctl-render-journal"
STAGE_SUFFIX = ".hubctl-tmp"  # the same suffix output.py gives its temporary files
MAX_JOURNAL_BYTES = 64 * 1024 * 1024
_OWN_TEMP = re.compile(r"\..+\.hubctl-tmp-\d+\Z", re.S)
_MAGIC = b"hubctl-render-journal 2\0"


class HalfWrittenRenderError(HubctlError):
    """A render was interrupted and left its output half-written (exit 4, like a stale render)."""

    exit_code = ExitCode.STALE


def temp_name(name: str, pid: int | None = None) -> str:
    """The name of hubctl's temporary file (or staging directory) for `name`, unique to process `pid`."""
    return f".{name}{STAGE_SUFFIX}-{pid or os.getpid()}"


def is_own_name(name: str) -> bool:
    """Whether a directory entry's name is one hubctl gives its journal or its temporary files."""
    return name == JOURNAL or _OWN_TEMP.match(name) is not None


def begin(directory: Path, writes, removes=(), tmp: bool = True) -> None:
    """Record, before touching anything else in `directory`, what the render will write and delete.

    `tmp`: the writes go through temporary files beside their targets (temp_name()).
    """
    document = {"version": 2, "pid": os.getpid(), "tmp": tmp, "writes": list(writes), "removes": list(removes)}
    body = json.dumps(document, separators=(",", ":"), sort_keys=True)
    tag = _tag(directory, body.encode())
    path = directory / JOURNAL
    finish(directory)  # a planted journal (or link) is replaced, never written through
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"tag": tag, "body": body}, separators=(",", ":")))


def finish(directory: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (directory / JOURNAL).unlink()


def interrupted(directory: Path) -> bool:
    """Whether `directory` holds a journal (authentic or not)."""
    return os.path.lexists(directory / JOURNAL)


def authentic(directory: Path) -> dict | None:
    """The journal of `directory` when this user's hubctl wrote it there, else None."""
    from hubctl.usecases.render.safeio import read_regular

    data = read_regular(directory / JOURNAL, MAX_JOURNAL_BYTES)
    try:
        outer = json.loads(data) if data is not None else None
        body, tag = outer["body"], outer["tag"]
        expected = _tag(directory, body.encode())
        if not isinstance(tag, str) or expected is None or not hmac.compare_digest(tag, expected):
            return None
        document = json.loads(body)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return document if isinstance(document, dict) else None


def recover(directory: Path) -> set[str]:
    """Undo what an interrupted render left behind in `directory`: remove the temporary files its journal
    names (none other). Returns the files it was writing: those belong to hubctl too. An unauthentic
    journal claims nothing and removes nothing. The journal stays until the render that recovers completes."""
    document = authentic(directory)
    if document is None:
        return set()
    writes = [rel for rel in document.get("writes", []) if _safe(rel)]
    pid = document.get("pid")
    if document.get("tmp", True) and isinstance(pid, int) and not _alive(pid):
        for rel in writes:
            head, _, name = rel.rpartition("/")
            _unlink_own_temp(directory, f"{head}/{temp_name(name, pid)}" if head else temp_name(name, pid))
    return set(writes)


def recover_stages(out: Path) -> None:
    """Remove the staging directories of first renders of `out` that were killed: only a real directory of
    this user named `.<out>.hubctl-tmp-<pid>`, whose process is gone and whose journal is authentic;
    removed without following any symbolic link inside it."""
    prefix = f".{out.name}{STAGE_SUFFIX}-"
    try:
        names = [n for n in os.listdir(out.parent) if n.startswith(prefix) and n[len(prefix):].isdigit()]
    except OSError:
        return
    for name in names:
        stage = out.parent / name
        try:
            st = os.lstat(stage)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or _alive(int(name[len(prefix):])):
            continue
        document = authentic(stage)
        if document is None or document.get("pid") != int(name[len(prefix):]):
            continue
        with contextlib.suppress(OSError):
            shutil.rmtree(stage)  # never follows links (and refuses a stage that is one)


def refuse_interrupted(out: Path, label: str | None = None) -> None:
    """Raise when a render of `out` was interrupted and the tree may be half-written, or when it holds a
    journal hubctl cannot vouch for.

    Raises:
        HalfWrittenRenderError: a journal is in `out` (exit 4).
    """
    if not interrupted(out):
        return
    if authentic(out) is None:
        raise HalfWrittenRenderError(
            f"{label or out} holds {JOURNAL}, which this user's hubctl did not write (committed, copied or "
            "planted): it is not the render's", hint="run `hubctl render` (it replaces that file), review, then "
            "run this command again")
    raise HalfWrittenRenderError(
        f"the render in {label or out} was interrupted and is half-written (old and new files mixed; "
        f"{JOURNAL} is still there)",
        hint="run `hubctl render` to complete it, review the result, then run this command again")


def refuse_half_written_render(fleet_dir: Path) -> None:
    """refuse_interrupted() for the render directory of the fleet at `fleet_dir` (spec.renderDir).

    Raises:
        HalfWrittenRenderError: a render there was interrupted.
        UsageError: `fleet_dir` does not exist.
    """
    from hubctl.spec.discover import source_for
    from hubctl.spec.hubfile import render_dir
    from hubctl.spec.renderdir import render_dir_problem

    if not Path(fleet_dir).is_dir():
        return  # the command itself reports a missing fleet its own way
    source = source_for(Path(fleet_dir))
    value = render_dir(source)
    if render_dir_problem(value) is None:  # an invalid renderDir is the command's own validation's to report
        refuse_interrupted(source.root / value, f"{value}/")


def _tag(directory: Path, body: bytes) -> str | None:
    from hubctl.base.cachefile import cache_key

    key = cache_key()
    if key is None:  # caches off: no journal can be vouched for, so none grants anything
        return None
    place = str(Path(directory).resolve()).encode()
    return hmac.new(key, _MAGIC + place + b"\0" + body, hashlib.sha256).hexdigest()


def _alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by another user
    return True


def _unlink_own_temp(directory: Path, rel: str) -> None:
    """Unlink `directory/rel` when every directory on its way is a real directory (no link followed) and
    the entry is a regular file with hubctl's temporary name."""
    parts = rel.split("/")
    if not is_own_name(parts[-1]):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        for part in parts[:-1]:
            nxt = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = nxt
        if stat.S_ISREG(os.lstat(parts[-1], dir_fd=fd).st_mode):
            os.unlink(parts[-1], dir_fd=fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _safe(rel) -> bool:
    """A journal entry is a plain relative path (a damaged or planted journal must not steer deletes)."""
    return (isinstance(rel, str) and bool(rel) and not rel.startswith("/")
            and not any(part in ("", ".", "..") for part in rel.split("/")))
