"""Measure hubctl's engine against real Go and print the agreement and the disagreements by class.

    PYTHONPATH=. python -m tests.oracle.report [--seed 14] [--count 4000] [--examples 2]

Needs Go and the Debian Go library packages (tests/support/install-go.sh).
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests.oracle.cases import generate
from tests.oracle.corpus import corpus
from tests.oracle.driver import Comparison, build_goref, compare, go_version
from tests.oracle.known_divergences import KNOWN, explain


@dataclass
class Measure:
    comparisons: list[Comparison]
    by_divergence: Counter = field(default_factory=Counter)
    by_class: Counter = field(default_factory=Counter)  # the first function or verb a disagreement involves
    unexplained: list[Comparison] = field(default_factory=list)
    examples: dict = field(default_factory=lambda: defaultdict(list))

    @property
    def agreement(self) -> float:
        return sum(c.agrees for c in self.comparisons) / len(self.comparisons)

    @property
    def error_text_agreement(self) -> float:
        failing = [c for c in self.comparisons if not c.go.ok and not c.hubctl.ok]
        return sum(c.error_agrees for c in failing) / len(failing) if failing else 1.0

    @property
    def stale(self) -> list[str]:
        return [d.name for d in KNOWN if not self.by_divergence[d.name]]


def measure(comparisons: list[Comparison]) -> Measure:
    result = Measure(comparisons)
    for c in comparisons:
        if c.agrees:
            continue
        known = explain(c)
        name = known.name if known else "UNEXPLAINED"
        result.by_divergence[name] += 1
        result.by_class[c.case.cls] += 1
        result.examples[name].append(c)
        if known is None:
            result.unexplained.append(c)
    return result


def describe(c: Comparison) -> str:
    return (f"  {c.case.template!r} params={c.case.params!r} options={list(c.case.options)}\n"
            f"    go:     {'ok' if c.go.ok else 'error'} {c.go.text[-300:]!r}\n"
            f"    hubctl: {'ok' if c.hubctl.ok else 'error'} {c.hubctl.text[-300:]!r}")


def render_report(title: str, m: Measure, examples: int = 1) -> str:
    lines = [f"{title}: {m.agreement:.2%} agreement over {len(m.comparisons)} cases "
             f"({len(m.comparisons) - sum(c.agrees for c in m.comparisons)} disagreements; error texts agree on "
             f"{m.error_text_agreement:.1%} of the cases both sides fail)"]
    for name, count in m.by_divergence.most_common():
        lines.append(f" {count:5d}  {name}")
        lines.extend(describe(c) for c in m.examples[name][:examples])
    lines.append(" by first function/verb: " + ", ".join(f"{k} {v}" for k, v in m.by_class.most_common()))
    if m.stale:
        lines.append(" known divergences no case showed: " + ", ".join(m.stale))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--examples", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        binary = build_goref(Path(tmp))
        ranges = go_version(binary) >= (1, 24)
        generated = measure(compare(binary, generate(args.seed, args.count, range_over_int=ranges)))
        curated = measure(compare(binary, corpus()))
    print(render_report(f"generated (seed {args.seed})", generated, args.examples))
    print(render_report("corpus", curated, args.examples))


if __name__ == "__main__":
    main()
