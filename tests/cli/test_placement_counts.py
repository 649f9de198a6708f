"""`placement` and `status` count the same Applications: the spaces Applications (`spaces-<cluster>`, one per
spoke that runs flows) are listed by placement, not hidden."""

from __future__ import annotations

import json

from hubctl.usecases.status.expected import expected_from_fleet


def test_placement_json_lists_the_applications_status_expects(hubctl, example_fleet):
    doc = json.loads(hubctl("placement", "-o", "json", "-C", example_fleet).out)
    apps, *_ = expected_from_fleet(example_fleet)
    listed = {p["application"] for p in doc["placements"]} | {s["application"] for s in doc["spacesApplications"]}
    assert listed == {app.name for app in apps}
    assert len(doc["placements"]) + len(doc["spacesApplications"]) == len(apps) == 38
    assert {"application": "spaces-pci-eu-1", "cluster": "pci-eu-1"} in doc["spacesApplications"]
    assert "spaces-dev-us-lab" not in {s["application"] for s in doc["spacesApplications"]}  # no flow runs there


def test_placement_text_explains_the_spaces_applications(hubctl, example_fleet):
    result = hubctl("placement", "-C", example_fleet)
    assert result.code == 0
    text = " ".join((result.out + result.err).split())  # piped: title and note on stderr, rows on stdout
    assert "placement: 29 Applications on 9 of 10 clusters" in text  # as many as spaces Applications
    assert "+ 9 spaces Applications (spaces-<cluster>: each spoke's namespaces, quotas, RBAC); " \
           "status counts 38" in text


def test_the_counts_follow_an_edit(hubctl, example_fleet):
    assert hubctl("cluster", "remove", "staging-us-1", "-C", example_fleet).code == 0
    doc = json.loads(hubctl("placement", "-o", "json", "-C", example_fleet).out)
    apps, *_ = expected_from_fleet(example_fleet)
    assert len(doc["placements"]) + len(doc["spacesApplications"]) == len(apps) == 38 - 3
