"""One rule for the exit code of a command run on several hubs (status, prune, commit)."""

from __future__ import annotations

from dataclasses import dataclass

from hubctl.base.errors import ExitCode, HubError, UsageError, fleet_exit_code


@dataclass
class Answer:
    error: object = None
    code: ExitCode = ExitCode.OK

    @property
    def exit_code(self) -> ExitCode:
        return self.error.exit_code if self.error is not None else self.code


def test_some_hubs_failing_is_partial_and_all_failing_is_the_first_failure():
    down, refused = Answer(HubError("down")), Answer(UsageError("refused"))
    assert fleet_exit_code([Answer(), down]) == ExitCode.PARTIAL
    assert fleet_exit_code([down, refused]) == ExitCode.HUB_UNREACHABLE
    assert fleet_exit_code([refused, down]) == ExitCode.USAGE


def test_with_every_hub_answering_the_first_code_of_the_precedence_wins():
    answers = [Answer(code=ExitCode.NOT_DONE), Answer(code=ExitCode.DRIFT), Answer()]
    assert fleet_exit_code(answers, (ExitCode.DEGRADED, ExitCode.DRIFT, ExitCode.NOT_DONE)) == ExitCode.DRIFT
    assert fleet_exit_code(answers, (ExitCode.DEGRADED,)) == ExitCode.OK
    assert fleet_exit_code(answers) == ExitCode.OK, "no precedence: OK unless a hub failed (commit)"
    assert fleet_exit_code([]) == ExitCode.OK
