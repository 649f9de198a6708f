"""`hubctl appset preview --clusters PATH` with no cluster Secret in PATH previews against nothing: exit 2."""

import yaml

import hubctl.cli.appset  # noqa: F401 - registers the command
from hubctl.cli import run
from tests.appset.helpers import appset, secret


def write(path, docs):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump_all(docs))
    return path


def test_clusters_path_without_a_cluster_secret_is_a_usage_error(tmp_path, capsys):
    set_file = write(tmp_path / "set.yaml", [appset([{"clusters": {}}])])
    write(tmp_path / "clusters" / "a.yaml", [secret("a")])
    write(tmp_path / "notclusters" / "cm.yaml", [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}])

    code = run(["appset", "preview", str(set_file), "--clusters", str(tmp_path / "notclusters")])

    assert code == 2
    err = capsys.readouterr().err
    assert f"--clusters {tmp_path / 'notclusters'}: no cluster Secret found, so the clusters generator" in err
    assert run(["appset", "preview", str(set_file), "--clusters", str(tmp_path / "clusters"),
                "--clusters", str(tmp_path / "notclusters")]) == 0


def test_a_set_without_a_clusters_generator_needs_no_cluster_secret(tmp_path, capsys):
    set_file = write(tmp_path / "set.yaml", [appset([{"list": {"elements": [{"name": "a"}]}}])])
    assert run(["appset", "preview", str(set_file), "--clusters", str(set_file)]) == 0
