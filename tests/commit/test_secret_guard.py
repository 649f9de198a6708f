"""The commit guard (hubctl.usecases.commit.secretguard) end to end: a Secret that validate cannot see as one is still
never committed, wrapped in a `kind: List` or not."""

from __future__ import annotations

import pytest
from fleetgit import IDENTITY, git

LISTED_SECRET = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: plain}
  data: {mode: fast}
- apiVersion: v1
  kind: Secret
  metadata: {name: db}
  data:
    settings: c2V0dGluZ3MtZm9yLSR7e2Zsb3cubmFtZX19
"""


@pytest.fixture
def fleet_with_listed_secret(example_fleet, monkeypatch):
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    bp = example_fleet / "blueprints" / "listed"
    (bp / "templates").mkdir(parents=True)
    (bp / "blueprint.yaml").write_text("apiVersion: hubctl.io/v1alpha1\nkind: Blueprint\nmetadata:\n"
                                       "  name: listed\nspec:\n  schema: {type: object}\n")
    (bp / "templates" / "list.yaml").write_text(LISTED_SECRET)
    web = example_fleet / "flows" / "web.yaml"
    text = web.read_text().replace("blueprint: http-service", "blueprint: listed")
    web.write_text(text.split("  params:")[0] + "  placement:" + text.split("  placement:")[1].split("  overrides:")[0])
    git(example_fleet, "init", "-q", "-b", "main")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "specs")
    return example_fleet


def test_a_list_wrapping_a_secret_is_refused_before_render(hubctl, fleet_with_listed_secret):
    # validate refuses every List kind (docs/security.md, tenant isolation), so no List reaches a commit
    result = hubctl("validate", "-C", fleet_with_listed_secret)

    assert result.code == 3
    assert "kind: `List` wraps objects in a list" in result.out
    assert "c2V0dGluZ3M" not in result.out + result.err
    assert hubctl("commit", "-C", fleet_with_listed_secret).code == 3
    assert git(fleet_with_listed_secret, "rev-list", "--count", "HEAD").strip() == "1"


def test_the_commit_guard_sees_a_secret_inside_a_list():
    # the guard is the last line should a List ever get past validation and render
    from hubctl.usecases.commit.secretguard import secret_files

    plain = LISTED_SECRET.split("- apiVersion: v1\n  kind: Secret")[0]
    files = {"spokes/a/flows/s/f/manifests.yaml": LISTED_SECRET.encode(),
             "spokes/a/flows/s/g/manifests.yaml": plain.encode()}

    assert secret_files(files) == ["spokes/a/flows/s/f/manifests.yaml"]
