"""The git generator over a local repository at a revision, with Argo CD's matching rules.

Directories: every directory of the tree except hidden ones (and what is under them), matched with Go's
path.Match (`*` stops at `/`); an `exclude: true` match removes a path whatever else includes it.
Files: `git ls-files` pathspec globbing (`*` and `**` also cross `/`), excludes removed afterwards, files
read in sorted path order; a YAML/JSON list gives one parameter set per item.
"""

from __future__ import annotations

import posixpath
import re

from hubctl.base.errors import AppSetError
from hubctl.engines.appset.context import Context, append_values
from hubctl.engines.appset.gotmpl.values import StrList
from hubctl.engines.appset.selectors import flatten_params
from hubctl.engines.appset.sprig.argo import sanitize_name
from hubctl.engines.appset.sprig.convert import as_json_value


def git_params(spec: dict, ctx: Context, where: str) -> list[dict]:
    """Parameter sets of one git generator.

    Raises:
        AppSetError: no repository, an unknown revision, or a file that is not YAML/JSON.
    """
    tree = _tree(spec, ctx, where)
    prefix = spec.get("pathParamPrefix") or ""
    out: list[dict] = []
    if spec.get("directories"):
        for path in _filter_dirs(spec["directories"], tree["dirs"]):
            params = _dir_params(path, prefix, ctx.go_template)
            append_values(spec.get("values"), params, ctx, where)
            out.append(params)
    elif spec.get("files"):
        for path in _select_files(spec["files"], tree["files"]):
            for params in _file_params(path, tree["read"](path), prefix, ctx.go_template, where):
                append_values(spec.get("values"), params, ctx, where)
                out.append(params)
    else:
        raise AppSetError(f"{where}: the git generator needs directories or files")
    return out


def _tree(spec: dict, ctx, where: str) -> dict:
    if not ctx.repo:
        raise AppSetError(f"{where}: the git generator needs a local repository",
                          hint="pass --repo PATH (a clone of " + str(spec.get("repoURL", "the repository")) + ")")
    revision = ctx.revision or spec.get("revision") or "HEAD"
    key = ("git", str(ctx.repo), revision)
    if key not in ctx.cache:
        ctx.cache[key] = read_tree(ctx.repo, revision, where)
    return ctx.cache[key]


def read_tree(trees, revision: str, where: str = "git") -> dict:
    """Directories (Go WalkDir order, hidden ones and everything under them skipped, as Argo CD's repo-server
    does), file paths, and a blob reader, from `trees` (hubctl.adapters.git.trees.RepositoryTrees or any object
    with its `tree(revision, where)`)."""
    entries, read = trees.tree(revision, where)
    dirs: list[str] = []
    files: list[str] = []
    hidden: list[str] = []  # prefixes of hidden directories
    for path, is_dir in entries:
        under_hidden = any(path.startswith(prefix) for prefix in hidden)
        if is_dir:
            if under_hidden or path.rsplit("/", 1)[-1].startswith("."):
                hidden.append(path + "/")
            else:
                dirs.append(path)
        else:
            files.append(path)
    return {"dirs": dirs, "files": sorted(files), "read": read}


# -- matching -----------------------------------------------------------------------------------------
def _class(pattern: str, i: int) -> tuple[str, int]:
    j = i + 1
    negate = j < len(pattern) and pattern[j] == "^"
    if negate:
        j += 1
    body = []
    while j < len(pattern) and (pattern[j] != "]" or not body):
        if pattern[j] == "\\" and j + 1 < len(pattern):
            j += 1
        body.append(re.escape(pattern[j]) if pattern[j] != "-" else "-")
        j += 1
    if j >= len(pattern):
        raise ValueError("syntax error in pattern")
    return "[" + ("^" if negate else "") + "".join(body) + "]", j + 1


def _glob_regex(pattern: str, star: str, any_char: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(star)
            i += 1
        elif ch == "?":
            out.append(any_char)
            i += 1
        elif ch == "[":
            text, i = _class(pattern, i)
            out.append(text)
        elif ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out) + r"\Z", re.S)


def go_path_match(pattern: str, name: str) -> bool:
    """Go's path.Match: `*` and `?` never match `/`. A malformed pattern matches nothing."""
    try:
        return _glob_regex(pattern, "[^/]*", "[^/]").match(name) is not None
    except (ValueError, re.error):
        return False


def pathspec_match(pattern: str, path: str) -> bool:
    """git ls-files pathspec: wildmatch without FNM_PATHNAME, or a literal path / leading directory."""
    pattern = pattern.lstrip("/")
    if not any(c in pattern for c in "*?["):
        return path == pattern or path.startswith(pattern.rstrip("/") + "/")
    try:
        return _glob_regex(pattern, ".*", ".").match(path) is not None
    except (ValueError, re.error):
        return False


def _filter_dirs(items: list[dict], dirs: list[str]) -> list[str]:
    out = []
    for path in dirs:
        include = exclude = False
        for item in items:
            if go_path_match(str(item.get("path", "")), path):
                if item.get("exclude"):
                    exclude = True
                else:
                    include = True
        if include and not exclude:
            out.append(path)
    return out


def _select_files(items: list[dict], files: list[str]) -> list[str]:
    chosen: set[str] = set()
    for item in items:
        if not item.get("exclude"):
            chosen.update(f for f in files if pathspec_match(str(item.get("path", "")), f))
    for item in items:
        if item.get("exclude"):
            chosen.difference_update(f for f in files if pathspec_match(str(item.get("path", "")), f))
    return sorted(chosen)


# -- parameters ---------------------------------------------------------------------------------------
def _dir_params(path: str, prefix: str, go_template: bool) -> dict:
    base = posixpath.basename(path)
    if go_template:
        info = {"path": path, "basename": base, "basenameNormalized": sanitize_name(base),
                "segments": StrList(path.split("/"))}
        return {prefix: {"path": info}} if prefix else {"path": info}
    name = f"{prefix}.path" if prefix else "path"
    params = {name: path, f"{name}.basename": base, f"{name}.basenameNormalized": sanitize_name(base)}
    params.update({f"{name}[{i}]": seg for i, seg in enumerate(path.split("/")) if seg})
    return params


def _file_params(path: str, content: bytes, prefix: str, go_template: bool, where: str) -> list[dict]:
    objects = _parse_file(path, content, where)
    directory = posixpath.dirname(path) or "."
    out = []
    for obj in objects:
        base, filename = posixpath.basename(directory) or directory, posixpath.basename(path)
        if go_template:
            params = dict(obj)
            info = {"path": directory, "basename": base, "filename": filename,
                    "basenameNormalized": sanitize_name(base), "filenameNormalized": sanitize_name(filename),
                    "segments": StrList(directory.split("/"))}
            if prefix:
                params[prefix] = {"path": info}
            else:
                params["path"] = info
        else:
            params = flatten_params(obj)
            name = f"{prefix}.path" if prefix else "path"
            params.update({name: directory, f"{name}.basename": base, f"{name}.filename": filename,
                           f"{name}.basenameNormalized": sanitize_name(base),
                           f"{name}.filenameNormalized": sanitize_name(filename)})
            params.update({f"{name}[{i}]": seg for i, seg in enumerate(directory.split("/")) if seg})
        out.append(params)
    return out


def _parse_file(path: str, content: bytes, where: str) -> list[dict]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(content.decode("utf-8"))
    except (YAMLError, UnicodeDecodeError) as exc:
        raise AppSetError(f"{where}: unable to process file '{path}': unable to parse file: {exc}") from None
    data = as_json_value(data)
    if data is None or data == []:
        return [{}]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        return data
    raise AppSetError(f"{where}: unable to process file '{path}': unable to parse file: not an object "
                      "or a list of objects")

