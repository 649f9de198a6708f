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
SEEDS = range(40)


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
    return Expected(rel, (line, line + 3), "", "yaml-syntax")


def wrong_type(fleet: Fleet, rng) -> Expected | None:
    kind = rng.choice(["clusters/", "spaces/", "hubctl.yaml"])
    old, new, path = {"clusters/": ("zones:", "zones: 3", "spec.zones"),
                      "spaces/": ("owners:", "owners: team-x", "spec.owners"),
                      "hubctl.yaml": ("namespace: argocd", "namespace: [argocd]", "spec.argocd.namespace")}[kind]
    rel = fleet.take(rng, kind, old)
    if rel is None:
        return None
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


MISTAKES = [yaml_syntax, wrong_type, unknown_key, unknown_space, unknown_blueprint, unknown_allowed_space,
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

    problems = reported(hubctl, fleet.root)

    shown = "\n".join(f"{p['file']}:{p['line']}: {p['path']}: {p['message']} [{p['code']}]" for p in problems)
    missing = [e for e in expected if not any(e.matches(p) for p in problems)]
    extra = [p for p in problems if not any(e.matches(p) for e in expected)]
    assert not missing and not extra, f"seed {seed}\nexpected {expected}\ngot:\n{shown}"
