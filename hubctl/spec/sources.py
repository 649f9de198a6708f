"""Where spec files are read from: a directory on disk, or a tree in a Git repository (no checkout).

Both read only regular files of at most MAX_FILE_BYTES that lie inside the fleet (a symbolic link counts
when it resolves to one): never a device, FIFO or socket, never through a link that leaves the fleet.
Sizes are checked before reading, so a hostile file costs neither memory nor a hang.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from hubctl.base.constants import BLUEPRINTS_DIR, HUB_FILE, MAX_FILE_BYTES, SPEC_DIRS
from hubctl.base.errors import GitError, UsageError
from hubctl.base.regularfile import RefusedFile, _too_large, read_regular_file

_WATCHED = (HUB_FILE, *SPEC_DIRS.values(), BLUEPRINTS_DIR)
_MAX_LINK_HOPS = 40  # as Linux's MAXSYMLINKS

class DirectorySource:
    """Spec files under a directory; symbolic links that leave it are reported, never followed."""

    def __init__(self, root: Path, tops: tuple[str, ...] | None = _WATCHED):
        self.root = root.resolve()
        self.cache_root = self.root  # where hubctl's caches for these files are keyed (see parsecache)
        self.label = str(root)
        self.tops = tops  # the top-level entries that hold specs; None lists everything
        self._plain: set[str] = set()  # listed files with no symbolic link on their way from the root
        self._kept: dict[str, bytes] | None = None  # keep_reads(): each file's bytes as first read

    def keep_reads(self) -> None:
        """From now on, answer each file with the bytes of its first read: a render hashes every spec (its
        inputs key) and then loads them, and both must see the same bytes (and the disk is read once)."""
        if self._kept is None:
            self._kept = {}

    def list(self) -> list[str]:
        """Every file under the watched tops (hidden entries skipped). Symbolic links to directories below
        a top are not followed; a top that is a link is (escape() then tells where its files are)."""
        out: list[str] = []
        tops = self.tops if self.tops is not None else sorted(p.name for p in self.root.iterdir())
        for top in tops:
            path = self.root / top
            if path.is_dir():
                self._walk(str(path), top, not path.is_symlink(), out)
            elif os.path.lexists(path):  # a file, a link, or a FIFO or device that read() refuses
                out.append(top)
                if not path.is_symlink():
                    self._plain.add(top)
        return sorted(out)

    def _walk(self, directory: str, rel_dir: str, plain: bool, out: list[str]) -> None:
        stack = [(directory, rel_dir)]  # not recursive: a hostile tree may be thousands of levels deep
        while stack:
            directory, rel_dir = stack.pop()
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = f"{rel_dir}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel))
                elif not entry.is_dir():  # a file, or a link to one (a link to a directory is not followed)
                    out.append(rel)
                    if plain and not entry.is_symlink():
                        self._plain.add(rel)

    def escape(self, rel: str) -> str | None:
        """Where `rel` really points when that is outside the fleet, else None."""
        if rel in self._plain:
            return None
        resolved = (self.root / rel).resolve()
        return None if resolved.is_relative_to(self.root) else str(resolved)

    def read(self, rel: str) -> bytes:
        """The bytes of `rel`.

        Raises:
            RefusedFile: when it is not a regular file inside the fleet of at most MAX_FILE_BYTES.
        """
        kept = self._kept
        if kept is not None and rel in kept:
            return kept[rel]
        if rel in self._plain:  # listed with no link on its way: O_NOFOLLOW covers the last step
            data = read_regular_file(self.root / rel, rel)
        else:
            real = Path(os.path.realpath(self.root / rel))  # costs a system call per path component
            if not real.is_relative_to(self.root):
                raise RefusedFile(rel, f"{rel} points outside the repository (to {real})",
                                  "replace the symbolic link with the file itself", "path-escape")
            data = read_regular_file(real, rel)
        if kept is not None:
            kept[rel] = data
        return data


class GitTreeSource:
    """Spec files in a Git tree (a commit, branch or tag of a repository), read through pygit2.

    Raises:
        GitError: when the repository or the revision cannot be found.
    """

    def __init__(self, repo_path: Path, revision: str, subdir: str = ""):
        from hubctl.adapters.git.repo import commit_at, git_error, repository

        try:
            self.repo = repository(repo_path)
            commit = commit_at(self.repo, revision)
        except (KeyError, ValueError, git_error()) as exc:
            raise GitError(f"cannot read revision `{revision}` of {repo_path}: {exc}",
                           hint="check the repository path and the ref") from None
        self.commit_id = str(commit.id)
        tree = commit.tree
        if subdir:
            try:
                tree = self.repo[tree[subdir].id]
            except KeyError:
                raise UsageError(f"`{subdir}` does not exist at {revision}") from None
        self.tree = tree
        self.root = Path(self.repo.workdir or repo_path) / subdir
        self.label = f"{revision}:{subdir}" if subdir else revision
        self._entries: dict[str, object] | None = None

    def _walk(self) -> dict[str, object]:
        if self._entries is None:
            entries: dict[str, object] = {}
            stack = [("", self.tree)]
            while stack:
                prefix, tree = stack.pop()
                for entry in tree:
                    rel = f"{prefix}{entry.name}"
                    if not prefix and entry.name not in _WATCHED:
                        continue
                    if entry.type_str == "tree":
                        stack.append((rel + "/", self.repo[entry.id]))
                    elif entry.type_str == "blob":
                        entries[rel] = entry
            self._entries = entries
        return self._entries

    def list(self) -> list[str]:
        return sorted(self._walk())

    def escape(self, rel: str) -> str | None:
        entry = self._walk()[rel]
        if entry.filemode != 0o120000:  # a symbolic link: its blob is the target path
            return None
        target = self.repo[entry.id].data.decode("utf-8", "replace")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
        return target if joined.startswith("../") or joined == ".." or target.startswith("/") else None

    def read(self, rel: str) -> bytes:
        """The bytes of `rel`, following symbolic links that stay among the fleet's files.

        Raises:
            RefusedFile: for a link that leaves them, loops, or a blob larger than MAX_FILE_BYTES.
        """
        entries, path = self._walk(), rel
        for _ in range(_MAX_LINK_HOPS):
            entry = entries.get(path)
            if entry is None:
                raise RefusedFile(rel, f"{rel} is a symbolic link to `{path}`, which is not a file of the fleet",
                                  "replace the symbolic link with the file itself", "path-escape")
            _, size = self.repo.odb.read_header(entry.id)
            if size > MAX_FILE_BYTES:
                raise _too_large(rel, size)
            data = self.repo[entry.id].data
            if entry.filemode != 0o120000:
                return data
            path = posixpath.normpath(posixpath.join(posixpath.dirname(path), data.decode("utf-8", "replace")))
        raise RefusedFile(rel, f"{rel}: more than {_MAX_LINK_HOPS} symbolic links in a row (a loop?)",
                          "replace the symbolic link with the file itself", "path-escape")


def within(base: str, rel: str) -> str | None:
    """`rel` (relative to directory `base`) as a normalised path, or None when it leaves `base`."""
    joined = posixpath.normpath(posixpath.join(base, rel))
    return joined if joined == base or joined.startswith(base.rstrip("/") + "/") else None
