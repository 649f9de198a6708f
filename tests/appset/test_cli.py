"""`hubctl appset preview`: exit codes and what a user sees."""

import json

import yaml

import hubctl.cli.appset  # noqa: F401 - registers the command (the lead wires it into hubctl.cli)
from hubctl.cli import run
from tests.appset.helpers import appset, git_repo, secret


def write(path, docs):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump_all(docs))
    return path


def test_preview_json_with_cluster_files(tmp_path, capsys):
    set_file = write(tmp_path / "set.yaml", [appset([{"clusters": {"selector": {"matchLabels": {"env": "prod"}}}}])])
    write(tmp_path / "clusters" / "c.yaml", [secret("a", labels={"env": "prod"}), secret("b", labels={"env": "dev"})])
    code = run(["appset", "preview", str(set_file), "--clusters", str(tmp_path / "clusters"), "-o", "json"])
    assert code == 0
    apps = json.loads(capsys.readouterr().out)
    assert [a["metadata"]["name"] for a in apps] == ["a"]


def test_preview_defaults_to_rendered_registrations(tmp_path, capsys):
    write(tmp_path / "rendered" / "hub" / "clusters" / "a.yaml", [secret("a")])
    write(tmp_path / "sets" / "s.yaml", [appset([{"clusters": {}}])])
    assert run(["appset", "preview", "sets", "-C", str(tmp_path), "-o", "yaml"]) == 0
    docs = list(yaml.safe_load_all(capsys.readouterr().out))
    assert [d["metadata"]["name"] for d in docs] == ["in-cluster", "a"]


def test_preview_table_and_git_revision(tmp_path, capsys):
    repo = git_repo(tmp_path / "repo", {"apps/web/k.yaml": "x: 1\n"})
    template = {"metadata": {"name": "{{ .path.basename }}"},
                "spec": {"project": "p", "source": {"repoURL": "https://r", "path": "{{ .path.path }}"},
                         "destination": {"server": "https://s", "namespace": "n"}}}
    git = {"git": {"revision": "other", "directories": [{"path": "apps/*"}]}}
    set_file = write(tmp_path / "set.yaml", [appset([git], template)])
    code = run(["appset", "preview", str(set_file), "--clusters", str(set_file), "--repo", str(repo),
                "--revision", "main"])
    captured = capsys.readouterr()
    assert code == 0
    assert "web" in captured.out and "apps/web" in captured.out
    assert "1 Application" in captured.err


def test_preview_failure_exits_invalid(tmp_path, capsys):
    set_file = write(tmp_path / "set.yaml", [appset([{"list": {"elements": [{"x": "1"}]}}],
                                                     goTemplateOptions=["missingkey=error"])])
    code = run(["appset", "preview", str(set_file), "--clusters", str(set_file)])
    assert code == 3
    assert 'map has no entry for key "name"' in capsys.readouterr().err


def test_preview_without_registrations_is_a_usage_error(tmp_path, capsys):
    set_file = write(tmp_path / "set.yaml", [appset([{"clusters": {}}])])
    assert run(["appset", "preview", str(set_file), "-C", str(tmp_path)]) == 2
    assert "hubctl render" in capsys.readouterr().err


def test_preview_input_errors(tmp_path, capsys):
    assert run(["appset", "preview", str(tmp_path / "missing.yaml"), "-C", str(tmp_path)]) == 2
    assert "missing.yaml: no such file or directory" in capsys.readouterr().err
    write(tmp_path / "not-an-appset.yaml", [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}])
    assert run(["appset", "preview", str(tmp_path / "not-an-appset.yaml"), "-C", str(tmp_path)]) == 2
    assert "no ApplicationSet found in" in capsys.readouterr().err
    (tmp_path / "broken.yaml").write_text("a: [\n")
    assert run(["appset", "preview", str(tmp_path / "broken.yaml"), "-C", str(tmp_path)]) == 2
    assert "broken.yaml: not valid YAML" in capsys.readouterr().err


def test_preview_refuses_deep_nesting_and_files_that_are_not_regular(tmp_path, capsys):
    import os

    set_file = write(tmp_path / "set.yaml", [appset([{"clusters": {}}])])
    (tmp_path / "deep.yaml").write_text("a: " + "[" * 30000 + "]" * 30000 + "\n")
    assert run(["appset", "preview", str(tmp_path / "deep.yaml"), "-C", str(tmp_path)]) == 2
    assert "deep.yaml: not valid YAML: nested deeper than 64 levels" in capsys.readouterr().err
    assert run(["appset", "preview", str(set_file), "--clusters", str(tmp_path / "deep.yaml")]) == 2
    assert "deep.yaml: not valid YAML: nested deeper than 64 levels" in capsys.readouterr().err
    os.mkfifo(tmp_path / "set.fifo")
    assert run(["appset", "preview", str(tmp_path / "set.fifo"), "-C", str(tmp_path)]) == 2
    assert "set.fifo: not a regular file or directory" in capsys.readouterr().err


def test_preview_refuses_a_cluster_secret_with_bad_base64(tmp_path, capsys):
    write(tmp_path / "set.yaml", [appset([{"clusters": {}}])])
    bad = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "c1", "labels": {
        "argocd.argoproj.io/secret-type": "cluster"}}, "data": {"name": "!!not base64"}}
    write(tmp_path / "clusters.yaml", [bad])
    code = run(["appset", "preview", str(tmp_path / "set.yaml"), "--clusters", str(tmp_path / "clusters.yaml")])
    assert code == 3
    assert "Secret c1: data.name is not valid base64" in capsys.readouterr().err
