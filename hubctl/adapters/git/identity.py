"""Who authors and commits: flags, then environment, then git config; dates from the environment.

Each of name and email is resolved on its own, first match wins:
  author:    the `author` argument > HUBCTL_AUTHOR_NAME/EMAIL > GIT_AUTHOR_NAME/EMAIL > git config user.*
  committer: the `committer` argument > HUBCTL_COMMITTER_NAME/EMAIL > GIT_COMMITTER_NAME/EMAIL
             > git config user.* > the author's
Dates: GIT_AUTHOR_DATE / GIT_COMMITTER_DATE when set (as git reads them), else now.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from hubctl.base.errors import GitError

_IDENT = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*$")


@dataclass(frozen=True)
class Identity:
    """A name and an email; either may be empty, meaning "look further down the precedence"."""

    name: str = ""
    email: str = ""

    @classmethod
    def parse(cls, text: str) -> Identity:
        """Parse "Name <email>" (as given to `--author`).

        Raises:
            GitError: the text is not of the form "Name <email>".
        """
        match = _IDENT.match(text)
        if not match:
            raise GitError(f"invalid identity {text!r}", hint='write it as "Name <email@example.com>"')
        return cls(match["name"], match["email"])


def signatures(repo, *, author: Identity | str | None = None, committer: Identity | str | None = None,
               env: Mapping[str, str] | None = None):
    """Resolve the author and committer pygit2 Signatures for a commit in `repo`.

    Raises:
        GitError: no name or email could be found anywhere, or a GIT_*_DATE cannot be read.
    """
    import pygit2

    env = os.environ if env is None else env
    config = _config_identity(repo)
    author = _as_identity(author)
    committer = _as_identity(committer)
    author_name = _first(author.name, env.get("HUBCTL_AUTHOR_NAME"), env.get("GIT_AUTHOR_NAME"), config.name)
    author_email = _first(author.email, env.get("HUBCTL_AUTHOR_EMAIL"), env.get("GIT_AUTHOR_EMAIL"),
                          config.email)
    committer_name = _first(committer.name, env.get("HUBCTL_COMMITTER_NAME"), env.get("GIT_COMMITTER_NAME"),
                            config.name, author_name)
    committer_email = _first(committer.email, env.get("HUBCTL_COMMITTER_EMAIL"),
                             env.get("GIT_COMMITTER_EMAIL"), config.email, author_email)
    if not (author_name and author_email):
        raise GitError("no author identity for the commit",
                       hint="pass --author \"Name <email>\", set HUBCTL_AUTHOR_NAME and HUBCTL_AUTHOR_EMAIL, "
                       "or run `git config --global user.name ...` and `... user.email ...`")
    author_when = parse_date(env.get("GIT_AUTHOR_DATE"), "GIT_AUTHOR_DATE")
    committer_when = parse_date(env.get("GIT_COMMITTER_DATE"), "GIT_COMMITTER_DATE")
    return (pygit2.Signature(author_name, author_email, *author_when),
            pygit2.Signature(committer_name, committer_email, *committer_when))


def parse_date(text: str | None, variable: str = "date") -> tuple[int, int]:
    """Read a git date ("@1700000000 +0100", "1700000000 +0100", ISO 8601, RFC 2822) as (seconds, offset).

    None or "" means now, in the local timezone. The offset is in minutes east of UTC.

    Raises:
        GitError: the text is in none of these forms.
    """
    if not text:
        now = datetime.now().astimezone()
        return int(now.timestamp()), int(now.utcoffset().total_seconds() // 60)
    raw = re.match(r"^@?(\d+)(?:\s+([+-])(\d\d)(\d\d))?$", text.strip())
    if raw:
        sign = -1 if raw[2] == "-" else 1
        return int(raw[1]), sign * (int(raw[3] or 0) * 60 + int(raw[4] or 0))
    parsed = _parse_datetime(text.strip())
    if parsed is None:
        raise GitError(f"{variable}={text!r} is not a date git understands",
                       hint='use "@<unix seconds> +0000" or ISO 8601 like 2024-01-02T03:04:05+00:00')
    offset = parsed.utcoffset()
    return int(parsed.timestamp()), int(offset.total_seconds() // 60) if offset is not None else 0


def _parse_datetime(text: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return parsed if parsed.tzinfo else parsed.astimezone()


def _config_identity(repo) -> Identity:
    config = repo.config
    return Identity(_config_value(config, "user.name"), _config_value(config, "user.email"))


def _config_value(config, key: str) -> str:
    try:
        return config[key]
    except KeyError:
        return ""


def _as_identity(value: Identity | str | None) -> Identity:
    if value is None:
        return Identity()
    return Identity.parse(value) if isinstance(value, str) else value


def _first(*values: str | None) -> str:
    return next((value for value in values if value), "")
