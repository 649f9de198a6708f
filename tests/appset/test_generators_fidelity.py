"""Generators as Argo CD v3.5.1 runs them: mergo in matrix and merge (applicationset/generators/matrix.go,
merge.go), git files (git.go), templatePatch (controllers/template/patch.go) and RenderTemplateParams
(utils/utils.go)."""

import pytest

from hubctl.adapters.git.trees import RepositoryTrees
from hubctl.base.errors import AppSetError
from hubctl.engines.appset import expand, generate_params
from hubctl.engines.appset.mergo import merge
from tests.appset.helpers import appset, git_repo, secret


def gen(generator, go=True, clusters=(), repo=None):
    return generate_params(generator, clusters=list(clusters), repo=RepositoryTrees(repo) if repo else None,
                           go_template=go)


def pair(first: dict, second: dict) -> dict:
    spec = {"matrix": {"generators": [{"list": {"elements": [first]}}, {"list": {"elements": [second]}}]}}
    (params,) = gen(spec)
    return params


# -- matrix: mergo.Merge(&tmp, prev); mergo.Merge(&tmp, curr) ------------------------------------------
def test_matrix_first_child_non_empty_values_win():
    assert pair({"a": "1", "n": 2, "on": True}, {"a": "2", "n": 3, "on": False}) == {"a": "1", "n": 2, "on": True}


def test_matrix_second_child_fills_the_first_childs_empty_values():
    # isEmptyValue dereferences the interface: false, 0, "", [] and {} count as empty and are filled
    first = {"f": False, "z": 0, "s": "", "l": [], "m": {}}
    second = {"f": True, "z": 7, "s": "x", "l": [1], "m": {"k": "v"}}
    assert pair(first, second) == second


def test_matrix_empty_values_of_the_second_child_never_replace():
    assert pair({"a": "1", "l": [1]}, {"a": "", "l": []}) == {"a": "1", "l": [1]}


def test_matrix_nil_values_are_dropped_from_both_children():
    # a nil interface is skipped by mergo without WithOverride, even where the key is missing
    assert pair({"a": None, "b": "1"}, {"c": None}) == {"b": "1"}
    assert pair({"a": ""}, {"a": None}) == {"a": ""}


def test_matrix_nested_maps_merge_key_by_key():
    got = pair({"cfg": {"a": "1", "b": ""}}, {"cfg": {"a": "2", "b": "3", "c": "4"}})
    assert got == {"cfg": {"a": "1", "b": "3", "c": "4"}}


def test_matrix_a_map_does_not_replace_a_scalar_and_a_scalar_does_not_replace_a_map():
    assert pair({"x": "s"}, {"x": {"k": "v"}}) == {"x": "s"}
    assert pair({"x": {"k": "v"}}, {"x": "s"}) == {"x": {"k": "v"}}


def test_mergo_override_replaces_with_empty_and_nil_values():
    base = {"a": "1", "b": True, "l": [1], "m": {"k": "v", "j": "w"}}
    assert merge(base, {"a": "", "b": False, "l": [], "m": {"k": None}}, override=True) == {
        "a": "", "b": False, "l": [], "m": {"k": None, "j": "w"}}


# -- merge: getParamSetsByMergeKey on every child --------------------------------------------------------
def test_merge_first_child_must_be_unique_by_the_merge_keys():
    dup = {"list": {"elements": [{"k": "a", "v": "1"}, {"k": "a", "v": "2"}]}}
    other = {"list": {"elements": [{"k": "a", "v": "3"}]}}
    with pytest.raises(AppSetError) as err:
        gen({"merge": {"mergeKeys": ["k"], "generators": [dup, other]}})
    assert ("error getting param sets by merge key: the parameters from a generator were not unique by the "
            'given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"k":"a"}'
            ) in str(err.value)


def test_merge_later_values_override_with_empty_values_too():
    base = {"list": {"elements": [{"k": "a", "on": True, "s": "x"}, {"k": "b", "on": True}]}}
    later = {"list": {"elements": [{"k": "a", "on": False, "s": ""}]}}
    params = gen({"merge": {"mergeKeys": ["k"], "generators": [base, later]}})
    assert sorted(params, key=lambda p: p["k"]) == [{"k": "a", "on": False, "s": ""}, {"k": "b", "on": True}]


def test_merge_keys_are_top_level_parameter_names():
    # paramSet[mergeKey]: a dotted key does not reach into a goTemplate set's nested maps, so it is null
    # for every set and two sets collide
    base = {"list": {"elements": [{"x": {"y": "1"}}, {"x": {"y": "2"}}]}}
    with pytest.raises(AppSetError, match=r'Duplicate key was \{"x.y":null\}'):
        gen({"merge": {"mergeKeys": ["x.y"], "generators": [base, base]}})


def test_merge_without_keys_fails_after_the_children():
    with pytest.raises(AppSetError, match="error getting param sets by merge key: no merge keys"):
        gen({"merge": {"generators": [{"list": {"elements": [{"k": "a"}]}}] * 2}})


# -- git files ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content", ["[]\n", ""])
def test_git_file_with_an_empty_array_or_nothing_gives_one_set_with_the_path(tmp_path, content):
    # generateParamsFromGitFile: "If file is valid but empty, add a default empty item"
    repo = git_repo(tmp_path / "r", {"apps/a/config.yaml": content})
    params = gen({"git": {"repoURL": "x", "revision": "main", "files": [{"path": "apps/*/config.yaml"}]}},
                 repo=str(repo))
    assert len(params) == 1 and params[0]["path"]["basename"] == "a" and set(params[0]) == {"path"}


# -- cluster labels are map[string]string -------------------------------------------------------------------
def test_index_of_a_missing_cluster_label_is_the_empty_string():
    template = {"metadata": {"name": "{{ .name }}", "labels": {
                    "tier": '{{ index .metadata.labels "tier" }}',
                    "kind": '{{ printf "%T" (index .metadata.labels "tier") }}'}},
                "spec": {"project": "p", "destination": {"name": "{{ .name }}"}}}
    apps = expand(appset([{"clusters": {"selector": {"matchLabels": {"env": "prod"}}}}], template,
                         goTemplateOptions=["missingkey=error"]),
                  clusters=[secret("c1", labels={"env": "prod"})])
    assert apps[0]["metadata"]["labels"] == {"tier": "", "kind": "string"}


# -- templatePatch and RenderTemplateParams ----------------------------------------------------------------
TEMPLATE = {"metadata": {"name": "{{ .name }}"},
            "spec": {"project": "p", "destination": {"server": "https://x", "namespace": "{{ .name }}"}}}


def test_template_patch_is_read_as_yaml_1_1_like_go_yaml_v2():
    patch = "spec:\n  syncPolicy:\n    automated:\n      prune: yes\n      selfHeal: off\n"
    (app,) = expand(appset([{"list": {"elements": [{"name": "a"}]}}], TEMPLATE, templatePatch=patch), clusters=[])
    assert app["spec"]["syncPolicy"] == {"automated": {"prune": True, "selfHeal": False}}


def test_template_patch_allows_tabs_where_go_yaml_does_and_rejects_tab_indentation():
    ok = "metadata:\n  labels: {a:\t'1'}\t# tab before a comment\n"
    (app,) = expand(appset([{"list": {"elements": [{"name": "a"}]}}], TEMPLATE, templatePatch=ok), clusters=[])
    assert app["metadata"]["labels"] == {"a": "1"}
    with pytest.raises(AppSetError, match="error while converting template to json"):
        expand(appset([{"list": {"elements": [{"name": "a"}]}}], TEMPLATE,
                      templatePatch="metadata:\n\tlabels: {}\n"), clusters=[])


def test_template_patch_with_a_non_string_label_is_invalid():
    with pytest.raises(AppSetError, match="invalid templatePatch"):
        expand(appset([{"list": {"elements": [{"name": "a"}]}}], TEMPLATE,
                      templatePatch="metadata:\n  labels:\n    n: 1\n"), clusters=[])


def test_no_parameters_return_the_template_untouched_after_the_patch():
    # an element {} is an empty parameter set: RenderTemplateParams returns the (patched) template as is,
    # unrendered and without the default finalizer
    patch = "metadata:\n  labels:\n    patched: 'yes'\n"
    (app,) = expand(appset([{"list": {"elements": [{}]}}], TEMPLATE, templatePatch=patch), clusters=[])
    assert app["metadata"] == {"name": "{{ .name }}", "labels": {"patched": "yes"}, "namespace": "argocd"}
    assert app["spec"]["destination"]["namespace"] == "{{ .name }}"


def test_template_patch_cannot_change_the_project():
    patch = "spec:\n  project: other\n  destination:\n    namespace: patched\n"
    (app,) = expand(appset([{"list": {"elements": [{"name": "a"}]}}], TEMPLATE, templatePatch=patch), clusters=[])
    assert app["spec"]["project"] == "p" and app["spec"]["destination"]["namespace"] == "patched"


@pytest.mark.parametrize(("text", "data"), [
    ("a:\t1\n", {"a": 1}),                      # after a simple key's ':' go-yaml skips the tab
    ("a: b\tc\n", {"a": "b\tc"}),               # inside a plain scalar it is content
    ("a: [b\tc,\td]\n", {"a": ["b\tc", "d"]}),
    ("a:\n- b:\t1\n", {"a": [{"b": 1}]}),
    ("a: 2001-12-14\n", {"a": "2001-12-14"}),   # a timestamp stays text in interface{}
])
def test_template_patch_yaml_matches_go_yaml_v2(text, data):
    from hubctl.engines.appset import patchyaml

    assert patchyaml.load(text) == data


@pytest.mark.parametrize("text", ["\ta: 1\n", "a:\n  -\t1\n", "? a\n:\t1\n"])
def test_template_patch_tabs_go_yaml_rejects_are_rejected(text):
    from ruamel.yaml.error import YAMLError

    from hubctl.engines.appset import patchyaml

    with pytest.raises(YAMLError):
        patchyaml.load(text)
