"""Tenant AppProjects deny the CNIs' policy kinds, and a hub grant of a cluster-scoped kind reaches exactly
the granted space: its flows may render the kind, its AppProject allows it, no other space gets it."""

from __future__ import annotations

import yaml

from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

CNI_NAMESPACED = {("cilium.io", "CiliumNetworkPolicy"), ("crd.projectcalico.org", "NetworkPolicy"),
                  ("projectcalico.org", "NetworkPolicy"), ("crd.antrea.io", "NetworkPolicy")}
CNI_CLUSTER = {("cilium.io", "CiliumClusterwideNetworkPolicy"), ("crd.projectcalico.org", "GlobalNetworkPolicy"),
               ("projectcalico.org", "GlobalNetworkPolicy"), ("crd.projectcalico.org", "GlobalNetworkSet"),
               ("crd.antrea.io", "ClusterNetworkPolicy"), ("crd.antrea.io", "Tier")}
PLATFORM = {("", "ResourceQuota"), ("", "LimitRange"), ("networking.k8s.io", "NetworkPolicy"),
            ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding")}
GRANT = ("  tenancy:\n    clusterScopedKinds:\n      team-a:\n"
         "      - {group: rbac.authorization.k8s.io, kind: ClusterRole}\n")
SPACE_B = "apiVersion: hubctl.io/v1alpha1\nkind: Space\nmetadata:\n  name: team-b\nspec:\n  owners: [team-b]\n"
BLUEPRINT = """\
apiVersion: hubctl.io/v1alpha1
kind: Blueprint
metadata:
  name: reader
spec:
  schema: {type: object}
"""
CLUSTER_ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${{ flow.name }}-reader
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
"""


def _pairs(entries) -> set:
    return {(e["group"], e["kind"]) for e in entries}


def _project(render, space: str) -> dict:
    return yaml.safe_load(render.files[f"hub/projects/{space}.yaml"])["spec"]


def _granting_fleet(root, space: str = "team-a"):
    (root / "hubctl.yaml").write_text((root / "hubctl.yaml").read_text() + GRANT)
    (root / "spaces" / "team-b.yaml").write_text(SPACE_B)
    (root / "blueprints" / "reader" / "templates").mkdir(parents=True)
    (root / "blueprints" / "reader" / "blueprint.yaml").write_text(BLUEPRINT)
    (root / "blueprints" / "reader" / "templates" / "role.yaml").write_text(CLUSTER_ROLE)
    flow = root / "flows" / "api.yaml"
    flow.write_text(flow.read_text().replace("blueprint: http-service", "blueprint: reader")
                    .replace("space: team-a", f"space: {space}"))
    return root


def test_tenant_projects_deny_platform_and_cni_policy_kinds(base_fleet):
    spec = _project(render_fleet(load_fleet(base_fleet)), "team-a")
    assert _pairs(spec["namespaceResourceBlacklist"]) >= PLATFORM | CNI_NAMESPACED
    assert _pairs(spec["clusterResourceBlacklist"]) >= CNI_CLUSTER
    assert spec["clusterResourceWhitelist"] == []


def test_a_granted_cluster_scoped_kind_renders_for_that_space_only(base_fleet):
    render = render_fleet(load_fleet(_granting_fleet(base_fleet)))

    (role,) = yaml.safe_load_all(render.files["spokes/dev-1/flows/team-a/api/manifests.yaml"])
    assert role["kind"] == "ClusterRole" and "namespace" not in role["metadata"]
    assert _pairs(_project(render, "team-a")["clusterResourceWhitelist"]) == {("rbac.authorization.k8s.io",
                                                                              "ClusterRole")}
    assert _project(render, "team-b")["clusterResourceWhitelist"] == []


def test_a_kind_granted_to_one_space_is_refused_to_another(hubctl, base_fleet):
    result = hubctl("validate", "-C", _granting_fleet(base_fleet, space="team-b"))
    assert result.code == 3
    assert result.out.splitlines()[0] == ("blueprints/reader/templates/role.yaml:2:1: kind: `ClusterRole` is "
                                          "cluster-scoped and the hub does not grant it to space `team-b` "
                                          "(flow `api`)")


def test_cni_policy_kinds_cannot_be_granted(hubctl, base_fleet):
    hub = base_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text() + "  tenancy:\n    clusterScopedKinds:\n      team-a:\n"
                   "      - {group: cilium.io, kind: CiliumClusterwideNetworkPolicy}\n")
    result = hubctl("validate", "-C", base_fleet)
    assert result.code == 3
    assert result.out.splitlines()[0] == ("hubctl.yaml:11:9: spec.tenancy.clusterScopedKinds.team-a[0]: "
                                          "`CiliumClusterwideNetworkPolicy` (cilium.io) cannot be granted: "
                                          "tenant AppProjects deny it")
