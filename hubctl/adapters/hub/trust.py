"""What a kubeconfig inside the fleet repository may do: nothing a pull request could turn into running a
program or reading a file of the machine that runs hubctl (docs/security.md, "Nothing a pull request can
change runs code").

hubctl reads kubeconfigs only from the person or CI job running it (--kubeconfig, $KUBECONFIG,
~/.kube/config); hubctl.yaml cannot name one. When one of those nonetheless lies inside the repository
(say `--kubeconfig hub.kubeconfig` from a checkout), its users may not use `exec` credential plugins or
`auth-provider`s, and neither its users nor its clusters may refer to files (tokenFile, client-certificate,
client-key, certificate-authority): only inline data. It is checked before the kubernetes client loads it,
since loading is what runs a plugin.
"""

from __future__ import annotations

import os
from pathlib import Path

from hubctl.base.errors import UsageError

MAX_KUBECONFIG_BYTES = 1024 * 1024
CODE_KEYS = ("exec", "auth-provider")
FILE_KEYS = ("tokenFile", "client-certificate", "client-key", "certificate-authority")


def kubeconfig_paths(kubeconfig: str | None, env=os.environ) -> list[Path]:
    """The files the kubernetes client would read, in its order of precedence."""
    if kubeconfig:
        return [Path(kubeconfig).expanduser()]
    if env.get("KUBECONFIG"):
        return [Path(p).expanduser() for p in env["KUBECONFIG"].split(os.pathsep) if p]
    return [Path("~/.kube/config").expanduser()]


def read_local_file(path: str | Path, flag: str) -> bytes:
    """The bytes of a file the runner named (`flag` says how: "--token-file", "--ca-file", ...), when it is a
    regular file of at most 1 MiB: a FIFO, device or endless file would hold `status` past its deadline.

    Raises:
        UsageError: anything else, or it cannot be read (naming the flag and the file).
    """
    from hubctl.base.regularfile import RefusedFile, read_regular_file

    shown = f"{flag} {path}"
    try:
        return read_regular_file(Path(path).expanduser().resolve(), shown)
    except RefusedFile as exc:
        message = exc.problem.message.replace("; specs and blueprints are read from regular files only",
                                              ", not a regular file; hubctl reads only regular files here")
        raise UsageError(message if message.startswith(shown) else f"{shown}: {message}",
                         hint="name a regular file") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        raise UsageError(f"{shown} cannot be read ({exc})") from None


def check_kubeconfig_files(paths: list[Path], flag: str) -> None:
    """Refuse a kubeconfig that is not a regular file of at most 1 MiB holding YAML the kubernetes client
    can load (it would hang on a FIFO, or fail with a traceback on bad YAML). Missing files are left to
    the client, which says so.

    Raises:
        UsageError: naming the file and what is wrong.
    """
    import yaml  # PyYAML, as the kubernetes client reads kubeconfigs with it

    for path in paths:
        if not os.path.lexists(path):
            continue
        data = read_local_file(path, flag)
        try:
            yaml.safe_load(data)
        except yaml.YAMLError as exc:
            raise UsageError(f"{flag} {path} is not valid YAML: {' '.join(str(exc).split())[:200]}",
                             hint="check the file (a kubeconfig is YAML)") from None
        except RecursionError:
            raise UsageError(f"{flag} {path} is not valid YAML: nested too deeply",
                             hint="check the file (a kubeconfig is YAML)") from None


def repository_root(start: Path) -> Path:
    """The top of the git work tree holding `start` (or `start` itself outside one)."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def check_kubeconfigs(paths: list[Path], repository: Path) -> None:
    """Refuse a kubeconfig inside `repository` that would run a program or read a file.

    Raises:
        UsageError: such a kubeconfig (naming it, the user or cluster, and the key).
    """
    repository = repository.resolve()
    for path in paths:
        resolved = path.resolve()
        if resolved.is_relative_to(repository) and resolved.is_file():
            problem = _problem(_read(resolved))
            if problem:
                raise UsageError(f"kubeconfig {path} is inside the repository {repository}, and {problem}: "
                                 "hubctl does not run programs or read files named by repository content",
                                 hint="keep kubeconfigs with credential plugins outside the repository "
                                      "(pass --kubeconfig or set $KUBECONFIG; docs/security.md)")


def _read(path: Path) -> dict:
    import yaml  # PyYAML, as the kubernetes client itself reads kubeconfigs with it

    with open(path, "rb") as handle:
        data = handle.read(MAX_KUBECONFIG_BYTES + 1)
    if len(data) > MAX_KUBECONFIG_BYTES:
        raise UsageError(f"kubeconfig {path} is larger than 1 MiB")
    try:
        doc = yaml.safe_load(data)
    except yaml.YAMLError:
        return {}  # the kubernetes client reports it (and runs nothing)
    return doc if isinstance(doc, dict) else {}


def _problem(doc: dict) -> str:
    for section, inner in (("users", "user"), ("clusters", "cluster")):
        for entry in doc.get(section) or []:
            if not isinstance(entry, dict):
                continue
            body = entry.get(inner) if isinstance(entry.get(inner), dict) else {}
            name = entry.get("name", "?")
            for key in (*CODE_KEYS, *FILE_KEYS):
                if body.get(key):
                    what = "a program" if key in CODE_KEYS else "a file"
                    return f'its {inner} "{name}" has `{key}` (which would make hubctl use {what})'
    return ""
