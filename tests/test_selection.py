"""Names on the command line that the fleet does not have: exit 2 with a did-you-mean, in every command."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("args,message,hint", [
    (["placement", "--explain", "webb", "prod-eu-1"], "no flow named `webb` in the fleet", "did you mean `web`?"),
    (["placement", "--explain", "web", "prod-eu-9"], "no cluster named `prod-eu-9` in the fleet",
     "did you mean `prod-eu-"),
    (["flow", "promote", "dashboards", "--from", "stagin", "--to", "prod", "--dry-run"],
     "no cluster has environment `stagin`", "did you mean `staging`?"),
    (["flow", "promote", "webb", "--from", "staging", "--to", "prod", "--dry-run"], "no flow named `webb`",
     "did you mean `web`?"),
    (["cluster", "cordon", "prod-eu-9", "--dry-run"], "no cluster named `prod-eu-9`", "did you mean `prod-eu-"),
])
def test_an_unknown_name_is_a_usage_error_with_a_did_you_mean(hubctl, example_fleet, args, message, hint):
    result = hubctl(*args, "-C", example_fleet)
    assert result.code == 2, result.err
    assert message in result.err and hint in result.err


def test_did_you_mean_falls_back_when_nothing_is_close():
    from hubctl.usecases.selection import did_you_mean

    assert did_you_mean("paymnets", ["payments", "web"], "see the list") == "did you mean `payments`?"
    assert did_you_mean("zzz", ["payments", "web"], "see the list") == "see the list"
