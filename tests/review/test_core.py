"""The review core as a library: prune guard API, folding, markdown cap, base loaded in a child process."""

from __future__ import annotations

import json

import pytest

from hubctl.base.errors import ExitCode
from hubctl.usecases.render.fleet import Render, render_fleet
from hubctl.usecases.review import PruneGuardError, check_prune, deletions, review_directory
from hubctl.usecases.review.markdown import review_markdown
from hubctl.usecases.review.textdiff import normalise
from hubctl.usecases.validate.loader import load_fleet
from tests.review.changes import CASES


def _renders(fleet_dir, change):
    before_fleet = load_fleet(fleet_dir)
    before = render_fleet(before_fleet)
    change(fleet_dir)
    after_fleet = load_fleet(fleet_dir)
    return before, render_fleet(after_fleet), after_fleet


def test_check_prune_raises_over_the_limit_and_lists_deletions(fleet_repo):
    before, after, fleet = _renders(fleet_repo, CASES["removed-flow"][0])
    with pytest.raises(PruneGuardError) as caught:
        check_prune(before, after, fleet)
    assert caught.value.exit_code == ExitCode.PRUNE_GUARD == 10
    assert "Application ingest-prod-eu-1 on prod-eu-1 (prod)" in caught.value.message
    assert "Namespace analytics" not in caught.value.message  # dev and staging are within their limit
    report = check_prune(before, after, fleet, allow_prune=True)
    assert report.over == ["prod"] and report.counts == {"dev": 2, "prod": 2, "staging": 1}
    assert check_prune(before, after, fleet, max_deletions=2).over == []


def test_first_commit_deletes_nothing(fleet_repo):
    after = render_fleet(load_fleet(fleet_repo))
    assert check_prune(None, after, None).deletions == []


def test_deletions_read_from_a_render_without_placements(fleet_repo):
    """`hubctl commit` may hand over the previous render read back from Git: files only."""
    before, after, fleet = _renders(fleet_repo, CASES["removed-flow"][0])
    files_only = Render(dict(before.files))
    assert deletions(files_only, after, fleet) == deletions(before, after, fleet)
    assert len(deletions(files_only, after, None)) == 5


def test_deregistered_cluster_counts_with_its_applications(fleet_repo):
    before, after, fleet = _renders(fleet_repo, lambda d: (d / "clusters/dev-us-lab.yaml").unlink())
    found = {(d.kind, d.name) for d in deletions(before, after, fleet)}
    assert ("Cluster", "dev-us-lab") in found
    assert ("Application", "node-agent-dev-us-lab") in found
    assert ("Namespace", "platform") in found


def test_names_fold_only_when_whole():
    tokens = {"prod-eu-1": "<cluster>"}
    assert normalise("prod-eu-1 web-prod-eu-1 prod-eu-10 xprod-eu-1", tokens) == (
        "<cluster> web-<cluster> prod-eu-10 xprod-eu-1")


def test_markdown_is_cut_below_the_limit_with_a_note(fleet_repo):
    CASES["label-move"][0](fleet_repo)
    review = review_directory(fleet_repo)
    full = review_markdown(review)
    cut = review_markdown(review, limit=4000)
    assert len(cut) <= 4000 < len(full)
    assert "Cut at 4,000 characters" in cut and "Cut at" not in full


def test_base_loaded_in_a_child_process_gives_the_same_review(fleet_repo, hubctl, monkeypatch):
    CASES["permission-widening"][0](fleet_repo)
    forked = hubctl("diff", "-C", fleet_repo, "-o", "json").out
    monkeypatch.setenv("HUBCTL_NO_FORK", "1")
    assert json.loads(hubctl("diff", "-C", fleet_repo, "-o", "json").out) == json.loads(forked)


def test_applications_read_from_appsets_match_placements(fleet_repo):
    from hubctl.usecases.review.prune import _parsed_appset_placements, applications

    render = render_fleet(load_fleet(fleet_repo))
    from_files = applications(Render(dict(render.files)))
    assert from_files == {k: (name, env) for k, (name, env) in applications(render).items()}
    parsed = {pair for path, data in render.files.items() if path.startswith("hub/applicationsets/")
              for pair in _parsed_appset_placements(data)}
    assert parsed == set(from_files)


def test_the_base_really_loads_in_the_child_and_comes_back_whole(fleet_repo):
    import os
    from dataclasses import replace
    from pathlib import Path

    from hubctl.base.forked import can_fork
    from hubctl.usecases.review.parallel import load_both
    from hubctl.usecases.review.sides import load_side, locate

    if not can_fork():
        pytest.skip("no fork here")
    location = locate(Path(fleet_repo))

    def base():
        side = load_side(location, Path(fleet_repo), "main", "base")
        return replace(side, ref=f"pid {os.getpid()}")

    loaded, head = load_both(base, lambda: load_side(location, Path(fleet_repo), None, "head"))
    assert loaded.ref != f"pid {os.getpid()}"  # not the fallback in this process
    assert loaded.render.files == head.render.files and loaded.render.placements == head.render.placements
    assert loaded.fleet.spaces["payments"].quota["cpu"] == head.fleet.spaces["payments"].quota["cpu"]
    assert render_fleet(loaded.fleet).files == head.render.files



def test_versions_list_only_the_clusters_whose_source_version_moves(fleet_repo):
    """A new base chart version reaches prod; staging keeps the version its override pins."""
    from hubctl.usecases.review import Side, compute_review
    from tests.review.changes import edit

    before = load_fleet(fleet_repo)
    edit(fleet_repo / "flows/dashboards.yaml", "      version: 8.5.2\n", "      version: 8.5.3\n")
    after = load_fleet(fleet_repo)
    review = compute_review(Side("base", None, before, render_fleet(before)),
                            Side("head", None, after, render_fleet(after)))
    assert [(c.flow, c.key, c.old, c.new, c.clusters) for c in review.versions] == [
        ("dashboards", "source.helm.version", "8.5.2", "8.5.3", ("prod-eu-1", "prod-eu-2"))]
    assert review.risk.production_clusters == ["prod-eu-1", "prod-eu-2"]
