"""`hubctl commit` end to end: real repositories, real pushes, independent reads with the git CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fleetgit import git
from support.gitservers import SshServer, require_sshd, ssh_keypair
from support.tree import snapshot


def committed_files(repo: Path, ref: str, prefix: str) -> dict[str, bytes]:
    """The files under prefix at ref, read independently with the git CLI."""
    names = git(repo, "ls-tree", "-r", "--name-only", ref, "--", prefix).split()
    return {name.removeprefix(prefix + "/"): subprocess.run(["git", "show", f"{ref}:{name}"], cwd=repo,
                                                              check=True, capture_output=True).stdout
            for name in names}


def test_commit_refuses_a_missing_render(hubctl, fleet_repo):
    result = hubctl("commit", "-C", fleet_repo)
    assert result.code == 4
    assert "the render in rendered/ is not fresh (64 missing" in result.err
    assert git(fleet_repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_commit_writes_the_render_with_trailers(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    head = git(fleet_repo, "rev-parse", "HEAD").strip()

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 0, result.err
    assert result.out.startswith("committed ")
    assert "64 added, 0 changed, 0 removed files; +29 -0 Applications" in result.out
    message = git(fleet_repo, "log", "-1", "--format=%B")
    assert message.startswith("hubctl: render platform-hub (+29 -0 Applications)\n")
    assert "Hubctl-Source: this commit\n" in message, "in the fleet repository the specs are in the commit"
    assert "Hubctl-Source-Commit" not in message and "Hubctl-Source-Dirty" not in message
    assert git(fleet_repo, "rev-parse", "HEAD~1").strip() == head
    assert "Hubctl-Spec-Hash: sha256:" in message
    on_disk = {p.relative_to(fleet_repo / "rendered").as_posix(): p.read_bytes()
               for p in (fleet_repo / "rendered").rglob("*") if p.is_file()}
    assert committed_files(fleet_repo, "HEAD", "rendered") == on_disk
    assert git(fleet_repo, "status", "--porcelain") == ""
    assert git(fleet_repo, "log", "-1", "--format=%an <%ae>").strip() == "Fleet Bot <bot@example.com>"


def test_second_commit_has_nothing_to_commit(hubctl, fleet_repo):
    hubctl("render", "-C", fleet_repo)
    hubctl("commit", "-C", fleet_repo)
    before = git(fleet_repo, "rev-parse", "HEAD")

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 0
    assert result.out.startswith("nothing to commit")
    assert git(fleet_repo, "rev-parse", "HEAD") == before


def test_commit_of_a_flow_change_counts_and_names_it(hubctl, fleet_repo):
    hubctl("render", "-C", fleet_repo)
    hubctl("commit", "-C", fleet_repo)
    flow = fleet_repo / "flows" / "catalog-api.yaml"
    flow.write_text(flow.read_text().replace("tier: gold", "tier: standard"))
    hubctl("render", "-C", fleet_repo)

    refused = hubctl("commit", "-C", fleet_repo, "-m", "catalog-api: move to standard clusters")
    assert refused.code == 10, "three prod Applications go away and hubctl.yaml allows 0 prod deletions"
    assert "catalog-api-prod-eu-1" in refused.err
    assert git(fleet_repo, "rev-list", "--count", "HEAD").strip() == "2"

    result = hubctl("commit", "-C", fleet_repo, "-m", "catalog-api: move to standard clusters", "--allow-prune")

    assert result.code == 0, result.err
    message = git(fleet_repo, "log", "-1", "--format=%B")
    assert message.startswith("catalog-api: move to standard clusters\n\nFlows: storefront/catalog-api\n")
    assert ("Applications added: catalog-api-dev-eu-1, catalog-api-prod-ap-1, catalog-api-prod-us-2, "
            "catalog-api-staging-eu-1, catalog-api-staging-us-1\n") in message
    assert "Applications removed: catalog-api-prod-eu-1, catalog-api-prod-eu-2, catalog-api-prod-us-1\n" in message
    assert "+5 -3 Applications" in result.out
    assert "Specs: flows/catalog-api.yaml\n" in message and "Hubctl-Source: this commit\n" in message
    assert "; 1 spec file" in result.out
    assert git(fleet_repo, "status", "--porcelain") == "", "the spec change and its render are one commit"


def test_dry_run_changes_nothing(hubctl, fleet_repo):
    hubctl("render", "-C", fleet_repo)
    git_dir_before = snapshot(fleet_repo / ".git")

    result = hubctl("commit", "-C", fleet_repo, "--dry-run", "-o", "json")

    assert result.code == 0
    assert '"dry_run": true' in result.out and '"commit": null' in result.out
    assert snapshot(fleet_repo / ".git") == git_dir_before


def test_commit_refuses_invalid_specs(hubctl, fleet_repo):
    hubctl("render", "-C", fleet_repo)
    (fleet_repo / "flows" / "web.yaml").write_text("apiVersion: hubctl.io/v1alpha1\nkind: Flow\n")
    result = hubctl("commit", "-C", fleet_repo)
    assert result.code == 3
    assert "flows/web.yaml:1:1: missing required key `metadata`" in result.err


def test_commit_refuses_a_secret_with_inline_data(hubctl, fleet_repo):
    bp = fleet_repo / "blueprints" / "leaky"
    (bp / "templates").mkdir(parents=True)
    (bp / "blueprint.yaml").write_text(
        "apiVersion: hubctl.io/v1alpha1\nkind: Blueprint\nmetadata:\n  name: leaky\nspec:\n"
        "  schema: {type: object}\n")
    (bp / "templates" / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  settings: ${{ flow.name }}\n")
    web = fleet_repo / "flows" / "web.yaml"
    text = web.read_text().replace("blueprint: http-service", "blueprint: leaky")
    web.write_text(text.split("  params:")[0] + "  placement:" + text.split("  placement:")[1].split("  overrides:")[0])
    hubctl("render", "-C", fleet_repo)

    result = hubctl("commit", "-C", fleet_repo)

    assert result.code == 3
    assert "the render holds a Secret with inline secret material: spokes/" in result.err


def test_commit_into_a_separate_bare_deploy_repository_and_push(hubctl, fleet_repo, tmp_path):
    deploy = tmp_path / "deploy.git"
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(deploy))
    git(tmp_path, "init", "-q", "--bare", str(origin))
    hub = fleet_repo / "hubctl.yaml"
    hub.write_text(hub.read_text() + f"  deploy:\n    repository: {deploy}\n    branch: main\n")
    git(fleet_repo, "commit", "-q", "-am", "deploy to a separate repository")

    result = hubctl("commit", "-C", fleet_repo, "--push", "--remote", origin.as_uri(), "--deploy-clone", deploy)

    assert result.code == 0, result.err
    assert f"pushed main to {origin.as_uri()}" in result.out
    from hubctl.usecases.render.fleet import render_fleet
    from hubctl.usecases.validate.loader import load_fleet

    expected = render_fleet(load_fleet(fleet_repo)).files
    assert committed_files(origin, "main", "rendered") == expected
    assert not (fleet_repo / "rendered").exists(), "a deploy-repository commit needs no render on disk"


def test_commit_and_push_over_ssh_with_a_passphrase_protected_key(hubctl, fleet_repo, tmp_path, monkeypatch):
    require_sshd()
    passphrase = "pass-phrase-cli-91b2"
    key, stranger = ssh_keypair(tmp_path / "deploy_key", passphrase), ssh_keypair(tmp_path / "stranger", passphrase)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text("")
    for name, value in {"HUBCTL_SSH_KEY": str(stranger), "HUBCTL_SSH_PASSPHRASE": passphrase,
                        "HUBCTL_SSH_KNOWN_HOSTS": str(known_hosts)}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    hubctl("render", "-C", fleet_repo)

    with SshServer(tmp_path / "sshd", clients=[f"{key}.pub"]) as server:
        url = server.url(origin)
        unknown_host = hubctl("commit", "-C", fleet_repo, "--push", "--remote", url)
        known_hosts.write_text(server.known_hosts_line())
        refused = hubctl("commit", "-C", fleet_repo, "--push", "--remote", url)
        monkeypatch.setenv("HUBCTL_SSH_KEY", str(key))
        result = hubctl("commit", "-C", fleet_repo, "--push", "--remote", url)

    assert unknown_host.code == 5
    assert f"the ssh host key of [127.0.0.1]:{server.port} is unknown: {known_hosts} does not list" in unknown_host.err
    assert refused.code == 5
    assert f"authentication to {url} failed: the server refused the key {stranger}" in refused.err
    assert result.code == 0, result.err
    assert f"pushed main to {url}" in result.out
    for run in (unknown_host, refused, result):
        assert passphrase not in run.out + run.err
    on_disk = {p.relative_to(fleet_repo / "rendered").as_posix(): p.read_bytes()
               for p in (fleet_repo / "rendered").rglob("*") if p.is_file()}
    assert committed_files(origin, "main", "rendered") == on_disk


def _secret(data=None, string_data=None) -> dict:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "cluster-x"}}
    if data is not None:
        body["data"] = data
    if string_data is not None:
        body["stringData"] = string_data
    return body


def test_secret_material_is_found_in_string_data_and_in_base64_data():
    import base64
    import json

    from hubctl.usecases.commit.secretguard import holds_secret_material

    identity = json.dumps({"awsAuthConfig": {"roleARN": "arn:aws:iam::123456789012:role/x"},
                           "tlsClientConfig": {"insecure": False}})
    token = json.dumps({"bearerToken": "abc", "tlsClientConfig": {"insecure": False}})
    key = json.dumps({"tlsClientConfig": {"keyData": "LS0t"}})
    b64 = lambda text: base64.b64encode(text.encode()).decode()  # noqa: E731
    assert not holds_secret_material(_secret(string_data={"name": "x", "server": "https://x", "config": identity}))
    assert not holds_secret_material(_secret(data={"name": b64("x"), "config": b64(identity)}))
    assert holds_secret_material(_secret(string_data={"name": "x", "config": token}))
    assert holds_secret_material(_secret(data={"name": b64("x"), "config": b64(token)}))
    assert holds_secret_material(_secret(data={"config": b64(key)}))
    assert holds_secret_material(_secret(data={"config": "not base64!"}))
    assert holds_secret_material(_secret(string_data={"password": "hunter2"}))
    assert holds_secret_material(_secret(string_data={"config": "{not json"}))


def test_author_flag_and_another_branch(hubctl, fleet_repo):
    hubctl("render", "-C", fleet_repo)
    head = git(fleet_repo, "rev-parse", "HEAD")
    result = hubctl("commit", "-C", fleet_repo, "--branch", "render", "--author", "Ada <ada@example.com>",
                    "--render-only")
    assert result.code == 0, result.err
    assert git(fleet_repo, "rev-parse", "HEAD") == head, "the checked-out branch does not move"
    assert git(fleet_repo, "log", "-1", "--format=%an <%ae>|%cn", "render").strip() == "Ada <ada@example.com>|Fleet Bot"
    # a branch that does not exist yet starts without history and holds only the render (--render-only)
    assert git(fleet_repo, "rev-list", "--count", "render").strip() == "1"
    assert git(fleet_repo, "ls-tree", "--name-only", "render").split() == ["rendered"]


def test_max_deletions_raises_the_limit(hubctl, fleet_repo):
    hubctl("render", "-C", fleet_repo)
    hubctl("commit", "-C", fleet_repo)
    flow = fleet_repo / "flows" / "catalog-api.yaml"
    flow.write_text(flow.read_text().replace("tier: gold", "tier: standard"))
    hubctl("render", "-C", fleet_repo)
    assert hubctl("commit", "-C", fleet_repo, "--max-deletions", "2").code == 10
    assert hubctl("commit", "-C", fleet_repo, "--max-deletions", "3").code == 0


def test_a_rendered_file_committed_with_another_mode_is_committed_again(hubctl, fleet_repo):
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    (fleet_repo / "rendered" / "hub" / "root.yaml").chmod(0o755)  # same bytes, executable on disk too
    git(fleet_repo, "add", "rendered/hub/root.yaml")
    git(fleet_repo, "commit", "-q", "-m", "make it executable")
    assert git(fleet_repo, "ls-tree", "HEAD", "rendered/hub/root.yaml").startswith("100755 ")

    result = hubctl("commit", "-C", fleet_repo, "-o", "json")

    assert result.code == 0, result.err
    assert git(fleet_repo, "ls-tree", "HEAD", "rendered/hub/root.yaml").startswith("100644 ")
    assert "hub/root.yaml" in result.out
    assert git(fleet_repo, "diff", "--cached", "--name-only") == "", "the index must not stage the old mode back"


def test_the_index_holds_the_rendered_files_stat_after_a_commit(hubctl, fleet_repo):
    """`git diff-files` (which does not refresh the index) sees no rendered file as stat-dirty: the next
    `git status` or `hubctl commit` need not hash the whole render again."""
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    assert git(fleet_repo, "diff-files", "--name-only", "--", "rendered") == ""


@pytest.mark.parametrize(("edit", "dirty"), [
    ("readme", False), ("notes-beside-flows", False), ("new-flow-file", True), ("deleted-space", True),
    ("new-blueprint-file", True)])
def test_source_dirty_follows_the_spec_files_only(hubctl, fleet_repo, edit, dirty):
    from hubctl.usecases.commit.run import source_commit
    from hubctl.usecases.validate.loader import load_fleet

    (fleet_repo / "README.md").write_text("notes\n")
    git(fleet_repo, "add", "README.md")
    git(fleet_repo, "commit", "-q", "-m", "readme")
    fleet = load_fleet(fleet_repo)
    assert source_commit(fleet) == (git(fleet_repo, "rev-parse", "HEAD").strip(), False)
    if edit == "readme":
        (fleet_repo / "README.md").write_text("other notes\n")
    elif edit == "notes-beside-flows":
        (fleet_repo / "flows" / "notes.txt").write_text("not a spec\n")
    elif edit == "new-flow-file":
        (fleet_repo / "flows" / "draft.yaml").write_text("# not yet a flow\n")
    elif edit == "deleted-space":
        next((fleet_repo / "spaces").glob("*.yaml")).unlink()
    else:
        (fleet_repo / "blueprints" / "web" / "templates").mkdir(parents=True)
        (fleet_repo / "blueprints" / "web" / "templates" / "deployment.yaml").write_text("kind: Deployment\n")
    assert source_commit(fleet)[1] is dirty


def test_commit_keeps_the_listing_of_the_render_it_committed(hubctl, fleet_repo):
    """The listing kept for the next plan is exactly what git lists for the committed render."""
    from hubctl.base import cachefile

    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    kept = cachefile.load(fleet_repo / ".git" / "hubctl" / "listing", 1, versioned=False)
    assert kept["tree"] == git(fleet_repo, "rev-parse", "HEAD:rendered").strip()
    listed = {}
    for line in git(fleet_repo, "ls-tree", "-r", "HEAD:rendered").splitlines():
        meta, path = line.split("\t")
        mode, _kind, oid = meta.split()
        listed[path] = (oid, int(mode, 8))
    assert kept["entries"] == listed


def test_a_negative_max_deletions_is_a_usage_error(hubctl, fleet_repo):
    result = hubctl("commit", "-C", fleet_repo, "--max-deletions", "-1")
    assert result.code == 2
    assert git(fleet_repo, "rev-list", "--count", "HEAD").strip() == "1"


@pytest.mark.parametrize("layout", ["files", "variants"])
def test_the_commit_message_names_the_changed_flow_in_either_layout(hubctl, fleet_repo, layout):
    """The message's Flows line comes from the changed paths: spokes/<cluster>/flows/<space>/<flow>/ in the files
    layout, variants/<space>/<flow>/<hash>/ in the variants layout; the same flow either way."""
    if layout == "variants":
        hub = fleet_repo / "hubctl.yaml"
        hub.write_text(hub.read_text() + "  render:\n    layout: variants\n")
        git(fleet_repo, "commit", "-q", "-am", "variants layout")
    assert hubctl("render", "-C", fleet_repo).code == 0
    assert hubctl("commit", "-C", fleet_repo).code == 0
    flow = fleet_repo / "flows" / "catalog-api.yaml"
    flow.write_text(flow.read_text().replace("catalog-api:1.8.3", "catalog-api:1.8.4"))
    git(fleet_repo, "commit", "-q", "-am", "catalog-api 1.8.4")
    assert hubctl("render", "-C", fleet_repo).code == 0

    assert hubctl("commit", "-C", fleet_repo).code == 0

    message = git(fleet_repo, "log", "-1", "--format=%B")
    assert "\nFlows: storefront/catalog-api\n" in message, message
