"""Generators: list, clusters, git, matrix, merge, post-selectors."""

import pytest

from hubctl.adapters.git.trees import RepositoryTrees
from hubctl.base.errors import AppSetError
from hubctl.engines.appset import generate_params
from tests.appset.helpers import git_repo, secret

CLUSTERS = [secret("prod-eu", labels={"env": "prod"}, annotations={"owner": "a"}, project="team-a"),
            secret("Dev_1", labels={"env": "dev"}, encoded=True)]


def gen(generator, go=True, clusters=CLUSTERS, repo=None, options=()):
    return generate_params(generator, clusters=clusters, repo=RepositoryTrees(repo) if repo else None,
                           go_template=go, options=options)


# -- list ---------------------------------------------------------------------------------------------
def test_list_go_template_keeps_structure_and_numbers_are_float64():
    params = gen({"list": {"elements": [{"a": "x", "n": 3, "nested": {"b": [1, "c"]}}]}})
    assert params == [{"a": "x", "n": 3.0, "nested": {"b": [1.0, "c"]}}]
    assert isinstance(params[0]["n"], float)


def test_list_fasttemplate_flattens_values_and_rejects_non_strings():
    assert gen({"list": {"elements": [{"c": "a", "values": {"k": "v"}}]}}, go=False) == [{"c": "a", "values.k": "v"}]
    with pytest.raises(AppSetError, match="error parsing value as string"):
        gen({"list": {"elements": [{"n": 1}]}}, go=False)


def test_list_elements_yaml_appended():
    params = gen({"list": {"elements": [{"a": "1"}], "elementsYaml": "- a: '2'\n- a: '3'\n"}})
    assert [p["a"] for p in params] == ["1", "2", "3"]


# -- clusters -----------------------------------------------------------------------------------------
def test_clusters_empty_selector_adds_in_cluster_first_then_sorted_by_name():
    params = gen({"clusters": {}})
    assert [p["name"] for p in params] == ["in-cluster", "Dev_1", "prod-eu"]
    assert params[0] == {"name": "in-cluster", "nameNormalized": "in-cluster",
                         "server": "https://kubernetes.default.svc", "project": ""}


def test_clusters_params_go_template():
    prod = [p for p in gen({"clusters": {}}) if p["name"] == "prod-eu"][0]
    assert prod["nameNormalized"] == "prod-eu" and prod["project"] == "team-a"
    assert prod["metadata"]["labels"] == {"argocd.argoproj.io/secret-type": "cluster", "env": "prod"}
    assert prod["metadata"]["annotations"] == {"owner": "a"}
    dev = [p for p in gen({"clusters": {}}) if p["name"] == "Dev_1"][0]
    assert dev["nameNormalized"] == "dev-1" and dev["project"] == "" and "annotations" not in dev["metadata"]


def test_clusters_params_fasttemplate_are_flat():
    prod = [p for p in gen({"clusters": {}}, go=False) if p["name"] == "prod-eu"][0]
    assert prod["metadata.labels.env"] == "prod" and prod["metadata.annotations.owner"] == "a"


@pytest.mark.parametrize("selector,expected", [
    ({"matchLabels": {"env": "prod"}}, ["prod-eu"]),
    ({"matchExpressions": [{"key": "env", "operator": "In", "values": ["dev", "qa"]}]}, ["Dev_1"]),
    ({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]}]}, ["prod-eu"]),
    ({"matchExpressions": [{"key": "env", "operator": "Exists"}]}, ["Dev_1", "prod-eu"]),
    ({"matchExpressions": [{"key": "env", "operator": "DoesNotExist"}]}, []),
    ({"matchLabels": {"env": "prod"}, "matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}]}, []),
])
def test_clusters_selector_excludes_in_cluster(selector, expected):
    assert [p["name"] for p in gen({"clusters": {"selector": selector}})] == expected


def test_clusters_in_cluster_not_added_when_a_secret_has_its_server():
    clusters = CLUSTERS + [secret("hub", server="https://kubernetes.default.svc")]
    assert [p["name"] for p in gen({"clusters": {}}, clusters=clusters)] == ["Dev_1", "hub", "prod-eu"]


def test_clusters_values_are_templated_per_cluster():
    params = gen({"clusters": {"selector": {"matchLabels": {"env": "prod"}},
                               "values": {"env": "{{ .metadata.labels.env }}-{{ .name }}", "fixed": "x"}}})
    assert params[0]["values"] == {"env": "prod-prod-eu", "fixed": "x"}
    flat = gen({"clusters": {"selector": {"matchLabels": {"env": "prod"}}, "values": {"e": "{{name}}"}}}, go=False)
    assert flat[0]["values.e"] == "prod-eu"


def test_clusters_flat_list():
    params = gen({"clusters": {"flatList": True, "selector": {"matchLabels": {"env": "prod"}}}})
    assert len(params) == 1 and [c["name"] for c in params[0]["clusters"]] == ["prod-eu"]


def test_clusters_non_cluster_secrets_are_ignored():
    plain = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"name": "x"}}
    assert [p["name"] for p in gen({"clusters": {}}, clusters=[plain])] == ["in-cluster"]


def test_clusters_bad_operator():
    with pytest.raises(AppSetError, match="not a valid label selector operator"):
        gen({"clusters": {"selector": {"matchExpressions": [{"key": "a", "operator": "Near"}]}}})


# -- post-selector ------------------------------------------------------------------------------------
def test_post_selector_on_flattened_params():
    params = gen({"list": {"elements": [{"env": "prod", "m": {"k": "a"}}, {"env": "dev", "m": {"k": "b"}}]},
                  "selector": {"matchLabels": {"m.k": "b"}}})
    assert [p["env"] for p in params] == ["dev"]


# -- git ----------------------------------------------------------------------------------------------
@pytest.fixture()
def repo(tmp_path):
    return str(git_repo(tmp_path / "repo", {
        "apps/web/kustomization.yaml": "x: 1\n",
        "apps/api/kustomization.yaml": "x: 1\n",
        "apps/excluded/kustomization.yaml": "x: 1\n",
        "apps/.hidden/k.yaml": "x: 1\n",
        "apps/web/deep/k.yaml": "x: 1\n",
        "clusters/prod/config.json": '{"cluster": {"name": "prod", "address": "https://p"}, "replicas": 3}',
        "clusters/dev/config.json": '{"cluster": {"name": "dev", "address": "https://d"}}',
        "clusters/list.yaml": "- name: a\n- name: b\n",
        "README.md": "hi\n",
    }))


def test_git_directories_with_exclude(repo):
    spec = {"git": {"repoURL": "https://example.com/r.git", "revision": "HEAD",
                    "directories": [{"path": "apps/*"}, {"path": "apps/excluded", "exclude": True}]}}
    params = gen(spec, repo=repo)
    assert [p["path"]["path"] for p in params] == ["apps/api", "apps/web"]
    assert params[1]["path"] == {"path": "apps/web", "basename": "web", "basenameNormalized": "web",
                                 "segments": ["apps", "web"]}


def test_git_directories_fasttemplate_and_prefix(repo):
    spec = {"git": {"revision": "main", "directories": [{"path": "apps/web"}], "pathParamPrefix": "p"}}
    assert gen(spec, go=False, repo=repo) == [{"p.path": "apps/web", "p.path.basename": "web",
                                               "p.path.basenameNormalized": "web", "p.path[0]": "apps",
                                               "p.path[1]": "web"}]
    assert gen(spec, repo=repo)[0]["p"]["path"]["basename"] == "web"


def test_git_files_glob_crosses_directories(repo):
    spec = {"git": {"revision": "HEAD", "files": [{"path": "clusters/**/config.json"}]}}
    params = gen(spec, repo=repo)
    assert [p["cluster"]["name"] for p in params] == ["dev", "prod"]
    assert params[1]["replicas"] == 3.0
    assert params[1]["path"]["path"] == "clusters/prod" and params[1]["path"]["filename"] == "config.json"


def test_git_files_list_file_and_exclude(repo):
    spec = {"git": {"revision": "HEAD", "files": [{"path": "clusters/*"},
                                                  {"path": "clusters/*/config.json", "exclude": True}]}}
    assert [p["name"] for p in gen(spec, repo=repo)] == ["a", "b"]


def test_git_files_fasttemplate_flattened(repo):
    spec = {"git": {"revision": "HEAD", "files": [{"path": "clusters/prod/config.json"}]}}
    params = gen(spec, go=False, repo=repo)[0]
    assert params["cluster.name"] == "prod" and params["replicas"] == "3" and params["path.basename"] == "prod"


def test_git_values(repo):
    spec = {"git": {"revision": "HEAD", "directories": [{"path": "apps/web"}],
                    "values": {"app": "{{ .path.basename }}-x"}}}
    assert gen(spec, repo=repo)[0]["values"] == {"app": "web-x"}


def test_git_needs_repo_and_revision(repo):
    with pytest.raises(AppSetError, match="needs a local repository"):
        gen({"git": {"revision": "HEAD", "directories": [{"path": "*"}]}})
    with pytest.raises(AppSetError, match="revision 'nope' not found"):
        gen({"git": {"revision": "nope", "directories": [{"path": "*"}]}}, repo=repo)


# -- matrix and merge ---------------------------------------------------------------------------------
def test_matrix_list_by_clusters_second_uses_first():
    spec = {"matrix": {"generators": [
        {"list": {"elements": [{"env": "prod"}, {"env": "dev"}]}},
        {"clusters": {"selector": {"matchLabels": {"env": "{{ .env }}"}},
                      "values": {"label": '{{ index .metadata.labels "env" }}'}}},
    ]}}
    params = gen(spec)
    assert [(p["env"], p["name"], p["values"]["label"]) for p in params] == [("prod", "prod-eu", "prod"),
                                                                            ("dev", "Dev_1", "dev")]


def test_matrix_first_child_wins_on_collision_unless_empty():
    spec = {"matrix": {"generators": [{"list": {"elements": [{"a": "1", "b": ""}]}},
                                      {"list": {"elements": [{"a": "2", "b": "3", "c": "4"}]}}]}}
    assert gen(spec) == [{"a": "1", "b": "3", "c": "4"}]


def test_matrix_fasttemplate_conflict_is_an_error():
    spec = {"matrix": {"generators": [{"list": {"elements": [{"a": "1"}]}}, {"list": {"elements": [{"a": "2"}]}}]}}
    with pytest.raises(AppSetError, match="found duplicate key a with different value"):
        gen(spec, go=False)


def test_matrix_needs_exactly_two():
    with pytest.raises(AppSetError, match="less than two"):
        gen({"matrix": {"generators": [{"list": {"elements": [{"a": "1"}]}}]}})


def test_matrix_nested_one_level(repo):
    inner = {"matrix": {"generators": [{"list": {"elements": [{"x": "1"}]}}, {"list": {"elements": [{"y": "2"}]}}]}}
    spec = {"matrix": {"generators": [inner, {"list": {"elements": [{"z": "3"}]}}]}}
    assert gen(spec) == [{"x": "1", "y": "2", "z": "3"}]
    too_deep = {"matrix": {"generators": [{"matrix": {"generators": [inner, inner]}}, inner]}}
    with pytest.raises(AppSetError, match="nested only one level"):
        gen(too_deep)


def test_merge_overrides_matching_sets_and_keeps_base_order():
    spec = {"merge": {"mergeKeys": ["name"], "generators": [
        {"clusters": {}},
        {"list": {"elements": [{"name": "prod-eu", "extra": "yes"}, {"name": "unknown", "extra": "no"}]}},
    ]}}
    params = gen(spec)
    assert [p["name"] for p in params] == ["in-cluster", "Dev_1", "prod-eu"]
    assert params[2]["extra"] == "yes" and "extra" not in params[1]


def test_merge_errors():
    base = {"list": {"elements": [{"k": "a"}]}}
    with pytest.raises(AppSetError, match="no merge keys"):
        gen({"merge": {"generators": [base, base]}})
    dup = {"list": {"elements": [{"k": "a"}, {"k": "a"}]}}
    with pytest.raises(AppSetError, match="not unique"):
        gen({"merge": {"mergeKeys": ["k"], "generators": [base, dup]}})


def test_unsupported_and_unknown_generators():
    with pytest.raises(AppSetError, match="cannot be previewed offline"):
        gen({"pullRequest": {"github": {}}})
    with pytest.raises(AppSetError, match="unrecognized generators: bogus"):
        gen({"bogus": {}})


def test_git_directories_skip_hidden_ones_and_what_is_under_them_but_files_keep_them(tmp_path):
    repo = str(git_repo(tmp_path / "hidden", {
        "apps/.hidden/inner/k.yaml": "x: 1\n",
        "apps/shown/.dot/k.yaml": "x: 1\n",
        "apps/shown/k.yaml": "name: shown\n",
        ".config/c.yaml": "name: dot\n",
    }))
    dirs = gen({"git": {"repoURL": "x", "revision": "HEAD", "directories": [{"path": "**"}, {"path": "*/*"},
                                                                          {"path": "*/*/*"}, {"path": "*"}]}},
               repo=repo)
    assert sorted(p["path"]["path"] for p in dirs) == ["apps", "apps/shown"]
    files = gen({"git": {"repoURL": "x", "revision": "HEAD", "files": [{"path": "**/*.yaml"}]}}, repo=repo)
    assert [p["name"] for p in files if "name" in p] == ["dot", "shown"]
