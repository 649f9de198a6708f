"""`hubctl diff --base A --head B` compares what each commit deploys, on histories that mix spec commits and
render commits (docs/review.md "Commits as sides"). The histories are made with hubctl commit and git."""

from __future__ import annotations

import json

import pytest

from tests.review.fleetrepo import ENV, git

NO_CHANGES = "no changes: both sides render the same files"


@pytest.fixture(autouse=True)
def _identity(monkeypatch):
    for key, value in ENV.items():
        if key != "HOME":
            monkeypatch.setenv(key, value)


def head(repo) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def bump_web(fleet, replicas: str = "5") -> None:
    web = fleet / "flows" / "web.yaml"
    web.write_text(web.read_text().replace("replicas: 4", f"replicas: {replicas}", 1))


def render_commit(hubctl, fleet, *extra: str) -> str:
    assert hubctl("render", "-C", fleet).code == 0
    result = hubctl("commit", "-C", fleet, *extra)
    assert result.code == 0, result.err
    return head(fleet)


def web_changes(hubctl, fleet, base: str, head_ref: str) -> tuple[bool, list[str], str]:
    result = hubctl("diff", "-C", fleet, "--base", base, "--head", head_ref, "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    files = sorted(f for group in doc["manifests"] for f in group["files"])
    return doc["changed"], files, result.err


@pytest.fixture
def mixed(example_fleet, hubctl):
    """The old way: specs committed with git, the render committed by `hubctl commit --render-only`.
    S0 specs -> R0 render of S0 -> S1 spec change (web) -> R1 render of S1."""
    fleet = example_fleet
    git(fleet, "init", "-q", "-b", "main")
    git(fleet, "add", "-A")
    git(fleet, "commit", "-q", "-m", "specs")
    r0 = render_commit(hubctl, fleet, "--render-only")
    bump_web(fleet)
    git(fleet, "commit", "-q", "-am", "web: 5 replicas")
    s1 = head(fleet)
    r1 = render_commit(hubctl, fleet, "--render-only")
    return fleet, r0, s1, r1


def test_a_spec_commit_against_its_render_commit_shows_the_change_it_deploys(mixed, hubctl):
    fleet, r0, s1, r1 = mixed

    changed, files, err = web_changes(hubctl, fleet, s1, r1)

    assert changed, "S1 still deploys R0's render: R1 is the change the hub gets"
    assert files and all("/flows/storefront/web/" in f for f in files)
    assert f"the base {s1[:12]} deploys the render of the specs at {r0[:12]}: comparing those" in err


def test_a_render_commit_against_the_next_spec_commit_deploys_nothing_new(mixed, hubctl):
    fleet, r0, s1, _r1 = mixed

    result = hubctl("diff", "-C", fleet, "--base", r0, "--head", s1)

    assert result.code == 0, result.err
    assert NO_CHANGES in result.out, "S1 changes no render: the hub is given the same as at R0"


def test_the_render_committed_before_its_specs_is_the_same_deployment(example_fleet, hubctl):
    """A fresh fleet's first push held the render only; the specs came in the next commit."""
    fleet = example_fleet
    git(fleet, "init", "-q", "-b", "main")
    first = render_commit(hubctl, fleet, "--render-only")
    git(fleet, "add", "clusters", "flows", "spaces", "hubctl.yaml")
    git(fleet, "commit", "-q", "-m", "the specs, at last")
    second = head(fleet)

    result = hubctl("diff", "-C", fleet, "--base", first, "--head", second)

    assert result.code == 0, result.err
    assert NO_CHANGES in result.out, "the flows were deployed by the first commit already: none is added"
    assert f"the base {first[:12]} deploys the render of the specs at {second[:12]}" in result.err


def test_specs_and_render_in_one_commit_each_side_is_its_own(example_fleet, hubctl):
    fleet = example_fleet
    git(fleet, "init", "-q", "-b", "main")
    first = render_commit(hubctl, fleet)
    bump_web(fleet)
    second = render_commit(hubctl, fleet)

    changed, files, err = web_changes(hubctl, fleet, first, second)

    assert changed and files and all("/flows/storefront/web/" in f for f in files)
    assert "note:" not in err
    changed, _files, _err = web_changes(hubctl, fleet, "HEAD~1", "HEAD")
    assert changed


def test_a_render_made_from_specs_never_committed_falls_back_to_the_commits_specs(example_fleet, hubctl):
    fleet = example_fleet
    git(fleet, "init", "-q", "-b", "main")
    git(fleet, "add", "-A")
    git(fleet, "commit", "-q", "-m", "specs")
    bump_web(fleet, "7")
    dirty = render_commit(hubctl, fleet, "--render-only")  # a render of edits that were never committed
    git(fleet, "checkout", "-q", "--", "flows")

    result = hubctl("diff", "-C", fleet, "--base", "HEAD~1", "--head", dirty)

    assert result.code == 0, result.err
    assert f"the render committed at the head {dirty[:12]} was made from specs no commit near it holds" in result.err


def test_the_spec_hash_read_from_a_commit_is_the_loaders(mixed):
    from hubctl.spec.sources import GitTreeSource
    from hubctl.usecases.review.deployed import spec_hash_at
    from hubctl.usecases.validate.loader import load_fleet

    fleet, r0, s1, r1 = mixed
    for commit in (r0, s1, r1):
        assert spec_hash_at(fleet, commit, "") == load_fleet(GitTreeSource(fleet, commit)).spec_hash
