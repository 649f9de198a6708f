"""One error root and the exit codes every command shares.

Exit codes are part of hubctl's contract with CI scripts: they never change meaning.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, the same for every command (docs/cli.md)."""

    OK = 0
    FAILURE = 1  # an unexpected internal error (a bug: please report it)
    USAGE = 2  # bad flags or arguments
    INVALID = 3  # the specs did not validate
    STALE = 4  # `render --check`: committed output differs from a fresh render
    GIT = 5  # a git operation failed (repository, remote, push, lock)
    HUB_UNREACHABLE = 6  # the hub could not be reached, or refused the credentials
    DEGRADED = 7  # `status`: an Application is degraded or its operation failed
    TIMEOUT = 8  # `status --wait`: the timeout passed before the rollout finished
    DRIFT = 9  # `status`: Applications missing on the hub or orphaned there
    PRUNE_GUARD = 10  # a change deletes more than the prune limit allows
    NOT_DONE = 11  # `status` without --wait: the rollout is still in progress
    FILESYSTEM = 12  # the file system refused a read or write: disk full, quota, permission, read-only
    PARTIAL = 13  # several hubs: some answered (or were pushed to), others could not be reached


class HubctlError(Exception):
    """An error meant for the user: what is wrong, where, and what to do next.

    Attributes:
        message: what went wrong, in one line.
        hint: what to do about it, or "".
        exit_code: the ExitCode the CLI exits with.
    """

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, hint: str = "", exit_code: ExitCode | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(HubctlError):
    exit_code = ExitCode.USAGE


class SpecError(HubctlError):
    """The specs are invalid; `problems` holds every problem found."""

    exit_code = ExitCode.INVALID

    def __init__(self, problems, message: str | None = None, root=None, hint: str | None = None):
        self.root = root
        count = len(problems)
        super().__init__(message or f"{count} problem{'s' if count != 1 else ''} in the specs",
                         hint="run `hubctl validate` for the full list" if hint is None else hint)
        self.problems = list(problems)


class RenderError(HubctlError):
    exit_code = ExitCode.INVALID


class GitError(HubctlError):
    exit_code = ExitCode.GIT


class ObjectMismatchError(GitError):
    """A git object's bytes do not hash to the id given for them: nothing that names it is written. `kind`:
    "blob" or "tree"."""

    def __init__(self, message: str, *, hint: str = "", kind: str = ""):
        super().__init__(message, hint=hint)
        self.kind = kind


class HubError(HubctlError):
    exit_code = ExitCode.HUB_UNREACHABLE


class AppSetError(HubctlError):
    """An ApplicationSet could not be expanded (bad template, generator or parameters)."""

    exit_code = ExitCode.INVALID


def fleet_exit_code(answers, precedence: tuple = ()) -> ExitCode:
    """The exit code of a command run on several hubs, from each hub's answer (its `error`, else its
    `exit_code`): PARTIAL (13) when some hubs failed and others did not, the first failure's code when all
    failed; else the first code of `precedence` any hub answered, OK when none."""
    failed = [answer for answer in answers if answer.error is not None]
    if failed:
        return ExitCode.PARTIAL if len(failed) < len(answers) else failed[0].error.exit_code
    codes = {answer.exit_code for answer in answers} if precedence else set()
    return next((code for code in precedence if code in codes), ExitCode.OK)
