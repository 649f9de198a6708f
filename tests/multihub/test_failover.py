"""`hubctl hub failover` and `failback`: reviewed spec edits that never leave two hubs syncing a cluster."""

from __future__ import annotations

import json
import threading

import pytest

from hubctl.base.errors import UsageError
from hubctl.usecases.ops.failover import hub_failover
from hubctl.usecases.ops.plan import apply_plan
from tests.support.multihub import edit, make_multihub


@pytest.fixture
def fleet(example_fleet):
    root = make_multihub(example_fleet)
    second = (root / "hubs" / "us-standby.yaml").read_text().replace("us-standby", "us-standby-2")
    (root / "hubs" / "us-standby-2.yaml").write_text(second)
    return root


def test_failover_writes_only_the_standbys_spec_and_failback_removes_it(hubctl, fleet):
    before = (fleet / "hubs" / "us-standby.yaml").read_text()

    result = hubctl("-C", fleet, "hub", "failover", "us-hub", "--to", "us-standby", "-o", "json")

    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["written"] and doc["files"] == ["hubs/us-standby.yaml"]
    assert doc["details"]["hubs"] == [{"from": "us-hub", "to": "us-standby",
                                       "clusters": ["dev-us-lab", "prod-us-1", "prod-us-2", "staging-us-1"]}]
    assert doc["placements"] == {"added": [], "removed": []} and doc["deletions"] == 0
    assert "    active: true\n" in (fleet / "hubs" / "us-standby.yaml").read_text()
    assert hubctl("-C", fleet, "validate").code == 0

    back = hubctl("-C", fleet, "hub", "failback", "us-standby", "--to", "us-hub")

    assert back.code == 0, back.err
    assert (fleet / "hubs" / "us-standby.yaml").read_text() == before


def test_a_second_standby_cannot_take_over_while_the_first_is_active(hubctl, fleet):
    assert hubctl("-C", fleet, "hub", "failover", "us-hub", "--to", "us-standby").code == 0

    result = hubctl("-C", fleet, "hub", "failover", "us-hub", "--to", "us-standby-2")

    assert result.code == 3  # the edited fleet would have two active hubs for the us clusters
    assert "claimed by 2 active hubs" in result.err and "nothing written" in result.err
    assert "active" not in (fleet / "hubs" / "us-standby-2.yaml").read_text()


def test_two_failovers_prepared_at_once_cannot_both_be_written(fleet):
    first = hub_failover(fleet, "us-hub", "us-standby")
    second = hub_failover(fleet, "us-hub", "us-standby-2")  # both validated against the same fleet

    assert apply_plan(first)
    with pytest.raises(UsageError, match="hubs/us-standby.yaml changed on disk"):
        apply_plan(second)

    assert "active" not in (fleet / "hubs" / "us-standby-2.yaml").read_text()


@pytest.mark.parametrize("seed", range(5))
def test_concurrent_failovers_leave_exactly_one_active_standby(hubctl, fleet, seed):
    import random

    order = ["us-standby", "us-standby-2"]
    random.Random(seed).shuffle(order)
    barrier, outcomes = threading.Barrier(2), {}

    def run(standby):
        plan = hub_failover(fleet, "us-hub", standby)
        barrier.wait()
        try:
            outcomes[standby] = apply_plan(plan)
        except UsageError as exc:
            outcomes[standby] = exc.message

    threads = [threading.Thread(target=run, args=(s,)) for s in order]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(v is True for v in outcomes.values()) == [False, True], outcomes
    assert hubctl("-C", fleet, "validate").code == 0


@pytest.mark.parametrize(("args", "message"), [
    (("us-hub", "--to", "platform-hub"), "`platform-hub` is not a standby of `us-hub`"),
    (("us-hbu", "--to", "us-standby"), "no hub named `us-hbu`"),
    (("us-standby", "--to", "us-hub"), "`us-hub` is not a standby of `us-standby`"),
])
def test_failover_between_hubs_that_are_no_pair_is_a_usage_error(hubctl, fleet, args, message):
    result = hubctl("-C", fleet, "hub", "failover", *args)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_failover_of_a_fleet_that_does_not_validate_changes_nothing(hubctl, fleet):
    edit(fleet / "hubs" / "us-hub.yaml", "matchLabels: {region: us-east}", "matchLabels: {env: prod}")
    before = (fleet / "hubs" / "us-standby.yaml").read_text()

    result = hubctl("-C", fleet, "hub", "failover", "us-hub", "--to", "us-standby")

    assert result.code == 3
    assert (fleet / "hubs" / "us-standby.yaml").read_text() == before


def test_failover_to_an_already_active_standby_changes_nothing(hubctl, fleet):
    assert hubctl("-C", fleet, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    result = hubctl("-C", fleet, "hub", "failover", "us-hub", "--to", "us-standby")
    assert result.code == 0 and "already the active hub" in result.err and "nothing to change" in result.err
