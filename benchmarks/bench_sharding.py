"""Benchmark: application-controller sharding, hubctl's placement-aware assignment against Argo CD's three.

On fleetgen fleets (100, 500 and 2,000 clusters; 400 flows) and several replica counts, for each method:
  ratio   Applications on the fullest shard / the mean per shard (1.0 is perfect; the goal is <= 1.05)
  moved   clusters that change shard when one cluster joins (a clone of an existing one: same env,
          region and labels, so it carries as many Applications), median and max over --events joins
  flow    clusters that change shard when one flow is added (a clone of an existing flow: its clusters
          each carry one more Application), median and max over --events flows

Contenders (the same Applications per cluster, counted from hubctl's placements, spaces-<cluster> included):
  hubctl              hubctl.usecases.render.sharding.assign_shards: rendezvous hashing with bounded loads
  legacy              Argo CD: FNV-32a(cluster id) % replicas
  round-robin         Argo CD: rank of the cluster id among the sorted ids % replicas
  consistent-hashing  Argo CD: blake2b ring, 1,000 points per shard, GetLeast with the 1.25 bound, loads in
                      Applications

Argo CD's cluster id is the cluster Secret's UID, a random UUID the API server assigns: the benchmark draws
them from a seeded generator, --seeds times, and reports the median (and the worst) over the draws. hubctl's
assignment does not depend on them.

With --skewed, each fleet is measured a second time with skewed weights: a quarter of the clusters (chosen by
a hash of the name) carry 2, 4 or 8 times their placements, as when a few big tenants share a fleet.

Usage: python benchmarks/bench_sharding.py [--clusters 100,500,2000] [--replicas 3,5,10,20] [--events 5]
                                            [--seeds 5] [--skewed] [--no-write]
Writes benchmarks/RESULTS-sharding.md from the measured values (unless --no-write).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, bench_fleet, machine  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS-sharding.md"
METHODS = ("hubctl", "legacy", "round-robin", "consistent-hashing")


def applications(fleet) -> dict[str, int]:
    from hubctl.usecases.render.placement import compute_placements
    from hubctl.usecases.render.sharding import applications_per_cluster

    return applications_per_cluster(compute_placements(fleet), fleet.clusters)


def with_flow_clone(fleet, model: str):
    """The fleet with one more flow, a clone of `model` under a new name (same placement)."""
    clone = replace(fleet.flows[model], name=f"{model}-new")
    return replace(fleet, flows={**fleet.flows, clone.name: clone}, cache={})


def with_clone(fleet, model: str):
    """The fleet with one more cluster, a clone of `model` under a new name and server."""
    clone = replace(fleet.clusters[model], name=f"{model}-new", server=f"https://{model}-new.k8s.example.com")
    return replace(fleet, clusters={**fleet.clusters, clone.name: clone}, cache={}), clone.name


def assign(method: str, weights: dict[str, int], ids: dict[str, str], replicas: int) -> dict[str, int]:
    from hubctl.usecases.render import sharding

    if method == "hubctl":
        return sharding.assign_shards(weights, replicas)
    if method == "legacy":
        return sharding.legacy_shards(ids, replicas)
    if method == "round-robin":
        return sharding.round_robin_shards(ids, replicas)
    return sharding.consistent_hashing_shards(ids, weights, replicas)


def ratio(shards: dict[str, int], weights: dict[str, int], replicas: int) -> float:
    from hubctl.usecases.render.sharding import shard_loads

    loads = shard_loads(shards, weights, replicas)
    return max(loads) / (sum(loads) / replicas)


def moved(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(1 for name, shard in before.items() if after[name] != shard)


def skewed(weights: dict[str, int]) -> dict[str, int]:
    """Applications per cluster as in fleets with a few big tenants: a seeded quarter of the clusters
    (by name hash, so a clone of a cluster is skewed alike) carry 2 to 8 times their placements."""
    import hashlib

    def factor(name: str) -> int:
        digest = hashlib.sha256(name.removesuffix("-new").encode()).digest()
        return (1, 1, 1, 2, 1, 4, 1, 8)[digest[0] % 8]

    return {name: count * factor(name) for name, count in weights.items()}


def measure(fleet, replicas_list: list[int], events: int, seeds: int, skew: bool = False) -> dict:
    """{replicas: {method: figures}} for one fleet."""
    shape = skewed if skew else dict
    weights = shape(applications(fleet))
    names = sorted(fleet.clusters)
    joins = []
    for k in range(events):
        grown, new = with_clone(fleet, names[(k * len(names)) // events])
        joins.append((new, shape(applications(grown))))
    flows = sorted(fleet.flows)
    flow_weights = [shape(applications(with_flow_clone(fleet, flows[(k * len(flows)) // events])))
                    for k in range(events)]
    out = {}
    for replicas in replicas_list:
        row = {}
        for method in METHODS:
            ratios, moves, flow_moves, seconds = [], [], [], []
            for seed in range(seeds if method != "hubctl" else 1):
                rng = random.Random(seed)
                ids = {name: str(uuid.UUID(int=rng.getrandbits(128), version=4)) for name in names}
                start = time.perf_counter()
                base = assign(method, weights, ids, replicas)
                seconds.append(time.perf_counter() - start)
                ratios.append(ratio(base, weights, replicas))
                for new, grown_weights in joins:
                    grown_ids = {**ids, new: str(uuid.UUID(int=rng.getrandbits(128), version=4))}
                    moves.append(moved(base, assign(method, grown_weights, grown_ids, replicas)))
                flow_moves += [moved(base, assign(method, more, ids, replicas)) for more in flow_weights]
            row[method] = {"ratio": statistics.median(ratios), "ratio_worst": max(ratios),
                           "moved": statistics.median(moves), "moved_max": max(moves),
                           "flow": statistics.median(flow_moves), "flow_max": max(flow_moves),
                           "seconds": statistics.median(seconds)}
        out[replicas] = row
    return {"clusters": len(names), "applications": sum(weights.values()), "rows": out,
            "shape": "skewed" if skew else "fleetgen"}


def table(results: list[dict]) -> str:
    lines = ["weights   clusters  apps     replicas  method               ratio  (worst)  moved  (max)   flow  (max)"
             "  seconds"]
    for fleet in results:
        for replicas, row in fleet["rows"].items():
            for method, r in row.items():
                lines.append(f"{fleet['shape']:8}  {fleet['clusters']:>8}  {fleet['applications']:>7}  {replicas:>8}  "
                             f"{method:19}  "
                             f"{r['ratio']:5.3f}  ({r['ratio_worst']:5.3f})  {r['moved']:5g}  ({r['moved_max']:>3})"
                             f"  {r['flow']:5g}  ({r['flow_max']:>3})  {r['seconds']:7.3f}")
    return "\n".join(lines)


def summary(results: list[dict]) -> list[str]:
    worst = max(r["ratio"] for fleet in results for row in fleet["rows"].values() for m, r in row.items()
                if m == "hubctl")
    shapes = " and ".join(sorted({fleet["shape"] for fleet in results}))
    lines = [f"Over the {shapes} cases:",
             f"- hubctl's fullest shard over the mean, worst case over every fleet and replica count: {worst:.3f}"]
    for method in METHODS[1:]:
        theirs = [row[method]["ratio"] for fleet in results for row in fleet["rows"].values()]
        ours = [row["hubctl"]["ratio"] for fleet in results for row in fleet["rows"].values()]
        better = sum(1 for a, b in zip(ours, theirs, strict=True) if a <= b)
        lines.append(f"- balance against {method}: hubctl at least as balanced in {better} of {len(ours)} cases "
                     f"(median ratio {statistics.median(theirs):.3f} against hubctl's {statistics.median(ours):.3f})")
    for method in METHODS:
        total = sum(row[method]["moved"] for fleet in results for row in fleet["rows"].values())
        flow = sum(row[method]["flow"] for fleet in results for row in fleet["rows"].values())
        lines.append(f"- {method}: clusters moved per join, summed over the medians of every case: {total:g}; "
                     f"per added flow: {flow:g}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clusters", default="100,500,2000")
    parser.add_argument("--replicas", default="3,5,10,20")
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--skewed", action="store_true", help="also measure each fleet with skewed weights")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from hubctl.usecases.validate.loader import load_fleet

    host = machine()
    results = []
    for count in [int(n) for n in args.clusters.split(",")]:
        fleet = load_fleet(bench_fleet(count))
        for skew in (False, True) if args.skewed else (False,):
            results.append(measure(fleet, [int(n) for n in args.replicas.split(",")], args.events, args.seeds, skew))
            print(table([results[-1]]), flush=True)
    text = table(results)
    lines = summary([r for r in results if r["shape"] == "fleetgen"])
    if args.skewed:
        lines += ["", *summary([r for r in results if r["shape"] == "skewed"])]
    print("\n".join(lines))
    if args.no_write:
        return
    command = " ".join(["benchmarks/bench_sharding.py", *sys.argv[1:]])
    RESULTS.write_text(f"""# Benchmark: application-controller sharding

Command: `.venv/bin/python {command}`
Machine: {host}

Fleets: `benchmarks/fleetgen.py --clusters N` (50 spaces, 400 flows). Applications per cluster are counted from
hubctl's placements (one per placement, plus the cluster's spaces-<cluster> Application). A join adds a clone
of an existing cluster ({args.events} joins per case, spread over the names); `flow`: clusters moved when a
clone of an existing flow is added ({args.events} flows per case). `skewed` rows (--skewed): the
same fleet with a quarter of the clusters carrying 2, 4 or 8 times their placements. Argo CD's cluster ids are
seeded random UUIDs ({args.seeds} draws; ratio and moved are medians over draws and joins, the worst in
brackets). `seconds` is one assignment of the whole fleet.

```
{text}
```

{chr(10).join(lines)}
""")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
