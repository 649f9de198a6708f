"""An edit writes only inside the fleet: a spec directory that is a symbolic link out of the repository
(a pull request can commit one) is refused before anything is written, as reading through it is."""

from __future__ import annotations

import shutil


def test_flow_add_never_writes_through_a_spec_directory_linked_out_of_the_fleet(hubctl, example_fleet, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(example_fleet / "flows")
    (example_fleet / "flows").symlink_to(outside, target_is_directory=True)
    assert hubctl("validate", "-C", example_fleet).code == 0  # no flows yet: a valid fleet

    result = hubctl("flow", "add", "loki", "--space", "analytics", "--repo", "https://grafana.github.io/helm-charts",
                    "--helm-chart", "loki", "--revision", "6.16.0", "-l", "region=eu-west", "-l", "env=prod",
                    "-C", example_fleet)

    assert result.code == 2, result.out
    assert list(outside.iterdir()) == []
    assert "flows/loki.yaml" in result.err and "outside" in result.err and "Traceback" not in result.err


def test_an_edit_never_replaces_a_linked_spec_file_with_a_copy(hubctl, example_fleet):
    spec = example_fleet / "clusters" / "prod-eu-1.yaml"
    kept = example_fleet / "shared"
    kept.mkdir()
    spec.rename(kept / "prod-eu-1.yaml")
    spec.symlink_to("../shared/prod-eu-1.yaml")  # inside the fleet: readable, but an edit would cut the link
    assert hubctl("validate", "-C", example_fleet).code == 0

    result = hubctl("cluster", "label", "prod-eu-1", "note=kept", "-C", example_fleet)

    assert result.code == 2, result.out
    assert spec.is_symlink() and "note: kept" not in (kept / "prod-eu-1.yaml").read_text()
    assert "clusters/prod-eu-1.yaml" in result.err and "symbolic link" in result.err
