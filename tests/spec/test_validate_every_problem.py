"""`hubctl validate` reports every problem in one run, and nothing that only follows from another one.

A seeded generator injects K independent mistakes (one per file) into a copy of examples/fleet: a YAML
syntax error, a schema type error, an unknown key, an unknown reference, a bad selector, a duplicate name,
a bad label key, a reserved label, an unknown override key. One validate run must report exactly those K
problems, each at its file, line and key path: no fewer (nothing hidden behind the first batch) and no
more (no knock-ons such as "cordon keeps unknown flow" for a flow whose file does not parse).
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "fleet"
SEEDS = range(60)


@dataclass(frozen=True)
class Expected:
    file: str
    line: int | tuple[int, int]  # exact, or a range (a YAML syntax error is found where the parser stops)
    path: str
    code: str

    def matches(self, problem: dict) -> bool:
        lo, hi = self.line if isinstance(self.line, tuple) else (self.line, self.line)
        return (problem["file"], problem["path"], problem["code"]) == (self.file, self.path, self.code) \
            and lo <= problem["line"] <= hi


class Fleet:
    """A copy of the example fleet to break, one file per mistake."""

    def __init__(self, root: Path):
        self.root = root
        self.used: set[str] = set()
        self.unread: set[str] = set()  # files whose placement facts a mistake made unreadable
        self.selects_nothing: list[tuple[Expected, str]] = []  # (problem, the flow's space file)

    def unreadable(self, rel: str) -> None:
        self.unread.add(rel)

    def certain(self, space_file: str) -> bool:
        """Whether "the placement selects no cluster" can be concluded: every cluster and the space read."""
        return space_file not in self.unread and not any(r.startswith("clusters/") for r in self.unread)

    def files(self, prefix: str, containing: str = "") -> list[str]:
        out = [p.relative_to(self.root).as_posix() for p in sorted(self.root.rglob("*.yaml"))]
        return [r for r in out if r.startswith(prefix) and r not in self.used
                and containing in (self.root / r).read_text()]

    def take(self, rng: random.Random, prefix: str, containing: str = "") -> str | None:
        choices = self.files(prefix, containing)
        if not choices:
            return None
        rel = rng.choice(choices)
        self.used.add(rel)
        return rel

    def edit(self, rel: str, old: str, new: str) -> int:
        """Replace the first line starting with `old` (after indentation) by `new`; its 1-based line."""
        lines = (self.root / rel).read_text().splitlines()
        for i, line in enumerate(lines):
            if line.strip().startswith(old):
                indent = line[: len(line) - len(line.lstrip())]
                lines[i] = indent + new
                (self.root / rel).write_text("\n".join(lines) + "\n")
                return i + 1
        raise AssertionError(f"{old!r} not in {rel}")

    def line_of(self, rel: str, text: str) -> int:
        lines = (self.root / rel).read_text().splitlines()
        return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(text))


def yaml_syntax(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "")
    if rel is None:
        return None
    line = fleet.edit(rel, "kind:", f"kind: [{rel.split('/')[0]}")  # an unclosed flow sequence
    fleet.unreadable(rel)
    return Expected(rel, (line, line + 3), "", "yaml-syntax")


def wrong_type(fleet: Fleet, rng) -> Expected | None:
    kind = rng.choice(["clusters/", "spaces/", "hubctl.yaml"])
    old, new, path = {"clusters/": ("zones:", "zones: 3", "spec.zones"),
                      "spaces/": ("owners:", "owners: team-x", "spec.owners"),
                      "hubctl.yaml": ("namespace: argocd", "namespace: [argocd]", "spec.argocd.namespace")}[kind]
    rel = fleet.take(rng, kind, old)
    if rel is None:
        return None
    if kind == "spaces/":  # owners is required: the space cannot be built (zones and the hub's namespace can go)
        fleet.unreadable(rel)
    return Expected(rel, fleet.edit(rel, old, new), path, "wrong-type")


def unknown_key(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "flows/", "  space:")
    if rel is None:
        return None
    line = fleet.edit(rel, "space:", "spcae: " + re.search(r"space: (\S+)", (fleet.root / rel).read_text())[1])
    return Expected(rel, line, "spec.spcae", "unknown-key")


def unknown_space(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "flows/", "  space:")
    if rel is None:
        return None
    return Expected(rel, fleet.edit(rel, "space:", "space: no-such-space"), "spec.space", "unknown-ref")


def unknown_blueprint(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "flows/", "  blueprint:")
    if rel is None:
        return None
    return Expected(rel, fleet.edit(rel, "blueprint:", "blueprint: no-such-blueprint"), "spec.blueprint",
                    "unknown-ref")


def unknown_allowed_space(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "spaces/", "allowFromSpaces:")
    if rel is None:
        return None
    line = fleet.edit(rel, "allowFromSpaces:", "allowFromSpaces: [no-such-space]")
    return Expected(rel, line, "spec.network.allowFromSpaces[0]", "unknown-ref")


def cordon_unknown_flow(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "clusters/", "cordon:")
    if rel is None:
        return None
    line = fleet.edit(rel, "keep:", "keep: [no-such-flow]")
    return Expected(rel, line, "spec.cordon.keep[0]", "unknown-ref")


def bad_selector(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "flows/", "operator: In")
    if rel is None:
        return None
    lines = (fleet.root / rel).read_text().splitlines()
    first = next(i for i, ln in enumerate(lines) if "matchExpressions:" in ln)
    index = next(i for i, ln in enumerate(lines[first + 1:]) if "operator: In," in ln)
    line = first + 2 + index
    lines[line - 1] = re.sub(r"values: \[[^]]*\]", "values: []", lines[line - 1])
    (fleet.root / rel).write_text("\n".join(lines) + "\n")
    return Expected(rel, line, f"spec.placement.selector.matchExpressions[{index}].values", "bad-selector")


def duplicate_name(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, rng.choice(["flows/", "spaces/", "clusters/"]))
    if rel is None:
        return None
    copy = f"{rel.rsplit('/', 1)[0]}/zz-copy-{rel.rsplit('/', 1)[1]}"
    fleet.used.add(copy)
    shutil.copyfile(fleet.root / rel, fleet.root / copy)
    return Expected(copy, fleet.line_of(copy, "name:"), "metadata.name", "duplicate-name")


def bad_label_key(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "clusters/", "  labels:\n")
    if rel is None:
        return None
    text = (fleet.root / rel).read_text()
    (fleet.root / rel).write_text(text.replace("  labels:\n", "  labels:\n    Bad Key!: x\n", 1))
    fleet.unreadable(rel)
    return Expected(rel, fleet.line_of(rel, "Bad Key!:"), "metadata.labels.Bad Key!", "bad-label-key")


def reserved_label(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "clusters/", "  labels:\n")
    if rel is None:
        return None
    text = (fleet.root / rel).read_text()
    (fleet.root / rel).write_text(text.replace("  labels:\n", "  labels:\n    hubctl.io/team: x\n", 1))
    return Expected(rel, fleet.line_of(rel, "hubctl.io/team:"), 'metadata.labels."hubctl.io/team"', "reserved-label")


def unknown_override_env(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "flows/", "  overrides:\n    env:\n")
    if rel is None:
        return None
    lines = (fleet.root / rel).read_text().splitlines()
    start = lines.index("  overrides:")
    at = next(i for i in range(start, len(lines)) if lines[i] == "    env:") + 1
    env = lines[at].strip().rstrip(":")
    lines[at] = lines[at].replace(env, "no-such-env", 1)
    (fleet.root / rel).write_text("\n".join(lines) + "\n")
    return Expected(rel, at + 1, "spec.overrides.env.no-such-env", "unknown-ref")


def unknown_kind(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, rng.choice(["flows/", "spaces/", "clusters/"]))
    if rel is None:
        return None
    fleet.unreadable(rel)
    return Expected(rel, fleet.edit(rel, "kind:", "kind: Thing"), "kind", "unknown-kind")


def not_dns_name(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, rng.choice(["flows/", "spaces/", "clusters/"]))
    if rel is None:
        return None
    fleet.unreadable(rel)
    return Expected(rel, fleet.edit(rel, "name:", "name: Not_A_Name"), "metadata.name", "dns-name")


def duplicate_key(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "", "\nspec:\n")
    if rel is None:
        return None
    text = (fleet.root / rel).read_text()
    (fleet.root / rel).write_text(text.replace("\nspec:\n", "\nmetadata: {}\nspec:\n", 1))
    fleet.unreadable(rel)
    return Expected(rel, fleet.line_of(rel, "metadata: {}"), "metadata", "duplicate-key")


def selects_nothing(fleet: Fleet, rng) -> Expected | None:
    rel = fleet.take(rng, "flows/", "      matchLabels:\n")
    if rel is None:
        return None
    lines = (fleet.root / rel).read_text().splitlines()
    at = lines.index("      matchLabels:") + 1
    lines[at] = lines[at].split(":")[0] + ": nowhere"
    (fleet.root / rel).write_text("\n".join(lines) + "\n")
    space = re.search(r"space: (\S+)", "\n".join(lines))[1]
    expected = Expected(rel, fleet.line_of(rel, "placement:"), "spec.placement", "no-placement")
    fleet.selects_nothing.append((expected, f"spaces/{space}.yaml"))
    return expected


MISTAKES = [selects_nothing, unknown_kind, not_dns_name, duplicate_key,
            yaml_syntax, wrong_type, unknown_key, unknown_space, unknown_blueprint, unknown_allowed_space,
            cordon_unknown_flow, bad_selector, duplicate_name, bad_label_key, reserved_label, unknown_override_env]


def prepared(tmp_path: Path) -> Fleet:
    """The example fleet, plus a cordon (so that a broken flow has a reference to it)."""
    root = tmp_path / "fleet"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("rendered"))
    path = root / "clusters" / "staging-eu-1.yaml"
    path.write_text(path.read_text().replace("spec:\n", "spec:\n  cordon:\n    keep: [web, cart-worker]\n", 1))
    return Fleet(root)


def reported(hubctl, root: Path) -> list[dict]:
    result = hubctl("validate", "-C", root, "-o", "json")
    assert result.code in (0, 3), result.err
    return json.loads(result.out)["problems"]


def test_prepared_fleet_is_valid(hubctl, tmp_path):
    assert reported(hubctl, prepared(tmp_path).root) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_one_run_reports_every_injected_mistake_and_nothing_else(seed, hubctl, tmp_path):
    rng = random.Random(seed)
    fleet = prepared(tmp_path)
    wanted = rng.randint(3, 8)
    expected: list[Expected] = []
    for mistake in rng.sample(MISTAKES, len(MISTAKES)):
        if len(expected) == wanted:
            break
        if (found := mistake(fleet, rng)) is not None:
            expected.append(found)

    for problem, space_file in fleet.selects_nothing:
        if not fleet.certain(space_file):  # a cluster or the space is unreadable: "no cluster" is not concluded
            expected.remove(problem)
    problems = reported(hubctl, fleet.root)

    shown = "\n".join(f"{p['file']}:{p['line']}: {p['path']}: {p['message']} [{p['code']}]" for p in problems)
    missing = [e for e in expected if not any(e.matches(p) for p in problems)]
    extra = [p for p in problems if not any(e.matches(p) for e in expected)]
    assert not missing and not extra, f"seed {seed}\nexpected {expected}\ngot:\n{shown}"


# The scenarios of issue #15, each through the CLI as a user sees it.

def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))


def test_a_flow_that_does_not_parse_is_not_called_unknown_by_the_cordon_that_keeps_it(hubctl, tmp_path):
    root = prepared(tmp_path).root
    _edit(root, "flows/web.yaml", "space: storefront", "space: [storefront")

    result = hubctl("validate", "-C", root)

    assert result.code == 3
    assert result.out.startswith("flows/web.yaml:") and "YAML syntax error" in result.out
    assert "cordon" not in result.out
    assert "1 problem in 1 file" in result.err


def test_a_broken_hub_spec_does_not_hide_the_rest_of_the_fleet(hubctl, tmp_path):
    root = prepared(tmp_path).root
    _edit(root, "hubctl.yaml", "  repo:", "  repo: [")
    _edit(root, "flows/ingest.yaml", "space: analytics", "space: analytcs")
    _edit(root, "clusters/dev-eu-1.yaml", "provider: eks", "provider: ekss")

    problems = reported(hubctl, root)

    assert [(p["file"], p["code"]) for p in problems] == [
        ("clusters/dev-eu-1.yaml", "bad-value"), ("flows/ingest.yaml", "unknown-ref"), ("hubctl.yaml", "yaml-syntax")]


def test_a_schema_error_does_not_hide_other_mistakes_in_the_same_flow(hubctl, tmp_path):
    root = prepared(tmp_path).root
    _edit(root, "flows/payments-api.yaml", "    automated: true", "    automated: sometimes")
    _edit(root, "flows/payments-api.yaml", "blueprint: http-service", "blueprint: http-servce")

    problems = reported(hubctl, root)

    assert [(p["path"], p["code"]) for p in problems] == [("spec.blueprint", "unknown-ref"),
                                                          ("spec.syncPolicy.automated", "wrong-type")]
    assert problems[0]["hint"] == "did you mean `http-service`?"


def test_a_mistyped_key_is_one_problem_not_also_a_missing_key(hubctl, tmp_path):
    root = prepared(tmp_path).root
    _edit(root, "flows/ingest.yaml", "  space: analytics", "  spcae: analytics")

    problems = reported(hubctl, root)

    assert [(p["path"], p["message"], p["hint"]) for p in problems] == [
        ("spec.spcae", "unknown key `spcae`", "did you mean `space`?")]


def test_a_broken_cluster_spec_leaves_no_placement_conclusions_behind(hubctl, tmp_path):
    root = prepared(tmp_path).root
    for rel in ("clusters/prod-eu-1.yaml", "clusters/prod-eu-2.yaml", "clusters/pci-eu-1.yaml"):
        _edit(root, rel, "kind: Cluster", "kind: [Cluster")  # nightly-report, dashboards, payments land there

    problems = reported(hubctl, root)

    broken = ("clusters/prod-eu-1.yaml", "clusters/prod-eu-2.yaml", "clusters/pci-eu-1.yaml")
    assert {(p["file"], p["code"]) for p in problems} == {(rel, "yaml-syntax") for rel in broken}


@pytest.mark.parametrize(("rel", "old", "new", "path", "message"), [
    ("clusters/prod-eu-1.yaml", "    tier: gold", "    Tier!: gold", "metadata.labels.Tier!",
     "`Tier!` is not a valid label key"),
    ("flows/catalog-api.yaml", "        tier: gold", "        tier gold: x",
     "spec.placement.selector.matchLabels.tier gold",
     "`tier gold` is not a valid label key"),
    ("flows/web.yaml", "{key: tier, operator: NotIn", "{key: -tier, operator: NotIn",
     "spec.placement.selector.matchExpressions[1].key", "`-tier` is not a valid label key"),
    ("clusters/prod-eu-1.yaml", "    tier: gold", "    tier: gold!", "metadata.labels.tier",
     "`gold!` is not a valid label value"),
])
def test_a_bad_label_key_is_called_a_bad_key_and_a_bad_value_a_bad_value(hubctl, tmp_path, rel, old, new, path,
                                                                          message):
    root = prepared(tmp_path).root
    _edit(root, rel, old, new)

    problems = reported(hubctl, root)

    assert [(p["file"], p["path"], p["message"]) for p in problems] == [(rel, path, message)]


def test_what_an_unreadable_file_declares_is_read_from_its_lines_in_one_pass():
    from hubctl.usecases.validate.loader import check_file

    cases = {
        b"\n" * 500_000 + b"kind: Flow\nmetadata:\n  name: api\nspec: [\n": {("Flow", "x"), ("Flow", "api")},
        b"kind: Cluster\n" + b" \t\n" * 300_000 + b"metadata:\n  name: c1\nspec:\n  region: eu\n  x: [":
            {("Flow", "x"), ("Cluster", "c1"), ("region", "eu")},  # its place says flow, its text cluster
        b"name:" + b" " * 900_000 + b"\n[": {("Flow", "x")},
    }
    for raw, declared in cases.items():
        checked = check_file("flows/x.yaml", raw)
        assert checked.problems and checked.unresolved == declared


def test_a_blueprint_that_fails_its_schema_does_not_make_its_flows_miss_its_defaults(hubctl, tmp_path):
    root = prepared(tmp_path).root
    shutil.copytree(EXAMPLE.parent.parent / "blueprints" / "worker", root / "blueprints" / "queue-worker")
    path = root / "blueprints" / "queue-worker" / "blueprint.yaml"
    text = path.read_text().replace("name: worker", "name: queue-worker", 1).split("\n  defaults:\n")[0]
    path.write_text(text + "\n  defaults:\n    image: ghcr.io/example/q:1\n")
    _edit(root, "flows/ingest.yaml", "blueprint: worker", "blueprint: queue-worker")
    _edit(root, "flows/ingest.yaml", "    image: ghcr.io/example/ingest:3.1.0\n", "")
    assert reported(hubctl, root) == []
    _edit(root, "blueprints/queue-worker/blueprint.yaml", "    image: ghcr.io", "  - image: ghcr.io")  # a list

    problems = reported(hubctl, root)

    assert [(p["file"], p["path"], p["code"]) for p in problems] == [
        ("blueprints/queue-worker/blueprint.yaml", "spec.defaults", "wrong-type")]
