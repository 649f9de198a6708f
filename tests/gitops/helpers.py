"""Small input builders and push helpers for the gitops tests."""

from __future__ import annotations

from hubctl.adapters.git import Credentials, commit_files, push, rebuilder
from tests.support.gitservers import git, read_tree


def render(clusters: int = 3, flows: int = 2, *, version: str = "v1") -> dict[str, bytes]:
    """A small fake render: paths relative to the render directory -> YAML bytes."""
    files = {"hub/root.yaml": b"kind: Application\nname: root\n"}
    for c in range(clusters):
        for f in range(flows):
            path = f"spokes/c{c}/flows/team/flow{f}/manifests.yaml"
            files[path] = f"kind: Deployment\ncluster: c{c}\nflow: flow{f}\nimage: app:{version}\n".encode()
        files[f"spokes/c{c}/spaces/team.yaml"] = f"kind: Namespace\nname: team-c{c}\n".encode()
    return files


def commit_and_push(local, url, files, *, branch="main", credentials=None, max_attempts=5, message="render"):
    commit_files(local, branch=branch, files=files, prefix="rendered", message=message)
    rebuild = rebuilder(local, branch=branch, files=files, prefix="rendered", message=message)
    return push(local, remote=url, branch=branch, rebuild=rebuild, credentials=credentials or Credentials(),
                max_attempts=max_attempts)


def assert_pushed(bare, files, outcome, branch="main"):
    """The independent read: the git CLI on the server's repository, byte for byte."""
    assert git("--git-dir", str(bare), "rev-parse", branch).decode().strip() == outcome.commit
    assert read_tree(bare, branch, "rendered") == files
