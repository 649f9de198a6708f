"""Small input builders for the gitops tests."""

from __future__ import annotations


def render(clusters: int = 3, flows: int = 2, *, version: str = "v1") -> dict[str, bytes]:
    """A small fake render: paths relative to the render directory -> YAML bytes."""
    files = {"hub/root.yaml": b"kind: Application\nname: root\n"}
    for c in range(clusters):
        for f in range(flows):
            path = f"spokes/c{c}/flows/team/flow{f}/manifests.yaml"
            files[path] = f"kind: Deployment\ncluster: c{c}\nflow: flow{f}\nimage: app:{version}\n".encode()
        files[f"spokes/c{c}/spaces/team.yaml"] = f"kind: Namespace\nname: team-c{c}\n".encode()
    return files
