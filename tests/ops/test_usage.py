"""Day-2 edits refuse unusable input and concurrent changes, writing nothing."""

from __future__ import annotations

import pytest
from support.tree import snapshot

from hubctl.base.errors import ExitCode, UsageError
from hubctl.usecases.ops.plan import write_files


@pytest.mark.parametrize("args,message", [
    (["cluster", "label", "prod-eu-1", "tier=x", "tier-"], "label `tier` is both set and removed"),
    (["cluster", "label", "prod-eu-1", "nolabel-"], "cluster `prod-eu-1` has no label `nolabel`"),
    (["cluster", "cordon", "nope"], "no cluster named `nope`"),
    (["flow", "add", "x", "--space", "storefront", "--blueprint", "worker", "--across", "region", "-p", "image=a"],
     "--across needs --spread N"),
    (["flow", "promote", "web", "--from", "staging", "--to", "prod", "--key", "source.helm.version"],
     "flow `web` has no `source.helm.version`: it renders blueprint `http-service`"),
    (["flow", "promote", "dashboards", "--from", "staging", "--to", "prod", "--key", "source.git.targetRevision"],
     "flow `dashboards` has no `source.git.targetRevision`: its source is a Helm chart"),
])
def test_unusable_edits(hubctl, example_fleet, args, message):
    before = snapshot(example_fleet)
    result = hubctl(*args, "-C", example_fleet)
    assert result.code == ExitCode.USAGE
    assert message in result.err
    assert snapshot(example_fleet) == before


def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path):
    (tmp_path / "a.yaml").write_text("mine\n")
    (tmp_path / "b.yaml").write_text("b\n")
    with pytest.raises(UsageError, match="a.yaml changed on disk while the edit was prepared"):
        write_files(tmp_path, {"b.yaml": b"b2\n", "a.yaml": b"edit\n"}, {"a.yaml": b"original\n", "b.yaml": b"b\n"})
    assert (tmp_path / "a.yaml").read_text() == "mine\n" and (tmp_path / "b.yaml").read_text() == "b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"], "no temporary files left"
