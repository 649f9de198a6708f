"""Benchmark: how many placements move when one cluster is added, drained or cordoned (flows with spread).

The fleetgen fleet (500 clusters, 400 flows) is generated, loaded, and every second flow is given
`spread: {clusters: 3, across: region}` in memory (fleetgen.py itself is not changed). Then, for
several clusters (one event each), the spread placements before and after the event are compared.

Contenders (the same candidates, only the pick differs):
  hubctl       render/placement.spread: rendezvous hashing, best cluster of each `across` value first
  hrw-plain    rendezvous hashing without the `across` pass (pure highest random weight)
  mod-n        the naive alternative: candidates sorted by name, N consecutive ones from hash(flow) % len

Figures per event kind (medians over the events, and totals):
  moved    spread placements removed from a cluster that is still there (Applications deleted elsewhere
           and created again: the disruption a reviewer sees)
  forced   spread placements on the drained cluster (they must move whatever the method)
  spread   share of spread flows whose picks cover min(N, distinct `across` values) values
  balance  max / mean spread placements per cluster

Also timed: `cluster drain` planned end to end on the fleet (load, edit, validate, render twice,
delta), median of --runs.

Then the rules of #18 (benchmarks/placement_rules.py): taints, pick with preferred affinity and topology
spread, capacity, fallback groups; placements moved when one cluster is added, removed, tainted or filled,
and when a whole region goes out (fallback moves), hubctl against a naive solver, and the solver's time with
and without the rules.

Usage: python benchmarks/bench_placement_stability.py [--events 20] [--runs 3] [--output text|json] [--write]
  --write   also write benchmarks/RESULTS-placement.md from the measured values
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SPREAD = MappingProxyType({"clusters": 3, "across": "region"})
CACHE = Path(tempfile.gettempdir()) / "hubctl-bench-placement-fleet"


def hrw_plain(flow, pool):
    from hubctl.usecases.render.placement import _score

    return sorted(pool, key=lambda c: _score(flow, c), reverse=True)[: int(flow.placement.spread["clusters"])]


def mod_n(flow, pool):
    want = int(flow.placement.spread["clusters"])
    if not pool:
        return []
    start = int.from_bytes(hashlib.sha256(f"{flow.space}/{flow.name}".encode()).digest()[:8], "big") % len(pool)
    return [pool[(start + k) % len(pool)] for k in range(min(want, len(pool)))]


def contenders():
    from hubctl.usecases.render.placement import spread

    return {"hubctl": spread, "hrw-plain": hrw_plain, "mod-n": mod_n}


def with_spread(fleet):
    """Every second flow (by name) asks for a spread."""
    flows = dict(fleet.flows)
    for i, name in enumerate(sorted(flows)):
        if i % 2 == 0:
            flows[name] = replace(flows[name], placement=replace(flows[name].placement, spread=SPREAD))
    return replace(fleet, flows=flows, cache={})


def picks(fleet, method) -> set[tuple[str, str]]:
    """(flow, cluster) of every spread flow, picked by `method` among the placement candidates."""
    from hubctl.usecases.render.placement import candidates

    out = set()
    for name, flow in fleet.flows.items():
        if flow.placement.spread:
            out.update((name, c.name) for c in method(flow, candidates(fleet, flow)))
    return out


def added(fleet, model: str):
    clusters = dict(fleet.clusters)
    clone = replace(clusters[model], name=f"{model}-new", server=f"https://{model}-new.k8s.example.com")
    clusters[clone.name] = clone
    return replace(fleet, clusters=clusters, cache={}), clone.name


def drained(fleet, name: str):
    from hubctl.usecases.ops.drain import without_cluster

    return without_cluster(fleet, name)


def cordoned(fleet, name: str, placed: set[tuple[str, str]]):
    clusters = dict(fleet.clusters)
    keep = frozenset(f for f, c in placed if c == name)
    clusters[name] = replace(clusters[name], cordon_keep=keep)
    return replace(fleet, clusters=clusters, cache={})


def quality(fleet, chosen: set[tuple[str, str]]) -> dict:
    from hubctl.usecases.render.placement import candidates

    by_flow: dict[str, set[str]] = {}
    for flow, cluster in chosen:
        by_flow.setdefault(flow, set()).add(cluster)
    covered = 0
    for name, clusters in by_flow.items():
        flow = fleet.flows[name]
        values = {c.region for c in candidates(fleet, flow)}
        covered += len({fleet.clusters[c].region for c in clusters}) == min(3, len(values))
    load = Counter(c for _, c in chosen)
    return {"spread": round(covered / max(1, len(by_flow)), 3),
            "balance": round(max(load.values()) / statistics.mean(load.values()), 2)}


def measure(fleet, method, events: list[str]) -> dict:
    base = picks(fleet, method)
    result = {"placements": len(base), **quality(fleet, base)}
    moved = {"add": [], "drain": [], "cordon": []}
    forced = []
    for name in events:
        grown, new = added(fleet, name)
        after = picks(grown, method)
        moved["add"].append(len(base - after))
        result.setdefault("won_by_new", []).append(sum(1 for _, c in after if c == new))
        after = picks(drained(fleet, name), method)
        gone = base - after
        forced.append(sum(1 for _, c in gone if c == name))
        moved["drain"].append(len(gone) - forced[-1])
        moved["cordon"].append(len(base - picks(cordoned(fleet, name, base), method)))
    for kind, values in moved.items():
        result[f"{kind}_moved_median"] = statistics.median(values)
        result[f"{kind}_moved_total"] = sum(values)
    result["drain_forced_median"] = statistics.median(forced)
    result["won_by_new_total"] = sum(result["won_by_new"])
    result["won_by_new"] = statistics.median(result["won_by_new"])
    return result


def time_drain(fleet_dir: Path, cluster: str, runs: int) -> float:
    from hubctl.usecases.ops.drain import cluster_drain

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        cluster_drain(fleet_dir, cluster)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", choices=("text", "json"), default="text")
    parser.add_argument("--write", action="store_true", help="write benchmarks/RESULTS-placement.md")
    args = parser.parse_args()
    import fleetgen

    from hubctl.usecases.validate.loader import load_fleet

    fleet_dir = fleetgen.generate(CACHE)
    fleet = with_spread(load_fleet(fleet_dir))
    names = sorted(fleet.clusters)
    events = [names[(k * len(names)) // args.events] for k in range(args.events)]
    results = {name: measure(fleet, method, events) for name, method in contenders().items()}
    drain_seconds = time_drain(fleet_dir, events[0], args.runs)
    report = {"machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
              "clusters": len(fleet.clusters), "flows": len(fleet.flows),
              "spread_flows": sum(1 for f in fleet.flows.values() if f.placement.spread), "events": len(events),
              "results": results, "drain_plan_seconds": round(drain_seconds, 3),
              "rules": rules_report(load_fleet(fleet_dir), events, args.runs)}
    if args.write:
        write_results(report, args)
    if args.output == "json":
        print(json.dumps(report, indent=2))
        return
    print(f"{report['clusters']} clusters, {report['flows']} flows ({report['spread_flows']} with spread 3 across "
          f"region), {len(events)} events each; {report['machine']}")
    print(f"{'method':10} {'placements':>10} {'add moved':>10} {'new wins':>9} {'drain forced':>13} "
          f"{'drain extra':>12} {'cordon':>7} {'spread':>7} {'balance':>8}")
    for name, r in results.items():
        print(f"{name:10} {r['placements']:>10} {r['add_moved_median']:>10} {r['won_by_new']:>9} "
              f"{r['drain_forced_median']:>13} {r['drain_moved_median']:>12} {r['cordon_moved_median']:>7} "
              f"{r['spread']:>7} {r['balance']:>8}")
    print(f"add: hubctl moved {results['hubctl']['add_moved_total']} placements in total; the new clusters won "
          f"{results['hubctl']['won_by_new_total']} (each win displaces exactly one: the minimum)")
    mod = results["mod-n"]
    ours = results["hubctl"]
    for kind in ("add", "drain"):
        ratio = mod[f"{kind}_moved_total"] / max(1, ours[f"{kind}_moved_total"])
        print(f"{kind}: mod-n moves {mod[f'{kind}_moved_total']} placements over all events, hubctl "
              f"{ours[f'{kind}_moved_total']} ({ratio:.1f}x fewer)" if ours[f"{kind}_moved_total"] else
              f"{kind}: mod-n moves {mod[f'{kind}_moved_total']} placements over all events, hubctl 0")
    print(f"cluster drain planned end to end (load, edit, validate, 2 renders): {drain_seconds:.2f} s median")
    print(rules_text(report["rules"]))
    shutil.rmtree(CACHE / "rendered", ignore_errors=True)


def rules_report(plain, events: list[str], runs: int) -> dict:
    import placement_rules as pr

    fleet = pr.with_rules(plain)
    return {"results": pr.measure(fleet, events), "events": len(events),
            "pick_flows": sum(1 for f in fleet.flows.values() if f.placement.pick),
            "tainted": sum(1 for c in fleet.clusters.values() if c.taints),
            "capped": sum(1 for c in fleet.clusters.values() if c.capacity_flows is not None),
            "fallback_flows": sum(1 for f in fleet.flows.values() if f.placement.fallback),
            "outage_moved_without_capacity": pr.outage_without_capacity(fleet, events),
            "solver_seconds": round(pr.time_solver(plain, max(3, runs)), 4),
            "solver_rules_seconds": round(pr.time_solver(fleet, max(3, runs)), 4)}


KINDS = ("add", "remove", "taint", "fill", "outage")


def rules_text(rules: dict) -> str:
    lines = [f"rules of #18: {rules['pick_flows']} flows pick 3 (preferred tier=gold +40, topology over region "
             f"ScheduleAnyway), {rules['tainted']} clusters tainted, {rules['capped']} with a capacity, "
             f"{rules['fallback_flows']} with a fallback group; {rules['events']} events each",
             f"{'method':8} {'placements':>10} " + " ".join(f"{k + ' moved':>12} {k + ' forced':>13}" for k in KINDS)]
    for name, r in rules["results"].items():
        lines.append(f"{name:8} {r['placements']:>10} " + " ".join(
            f"{r[k]['moved_total']:>12} {r[k]['forced_total']:>13}" for k in KINDS))
    lines.append(f"outage: flows placed by their fallback group, summed over the events: "
                 f"{rules['results']['hubctl']['outage']['fell_back_total']}; hubctl's outage moves without any "
                 f"capacity: {rules['outage_moved_without_capacity']}")
    lines.append(f"solver (compute_placements, fresh cache, median): {rules['solver_seconds']:.3f} s without the "
                 f"rules, {rules['solver_rules_seconds']:.3f} s with them")
    return "\n".join(lines)


def write_results(report: dict, args) -> None:
    ours, naive = report["rules"]["results"]["hubctl"], report["rules"]["results"]["naive"]
    rows = "\n".join(f"| {kind} | {ours[kind]['moved_total']} | {ours[kind]['forced_total']} | "
                     f"{naive[kind]['moved_total']} | {naive[kind]['forced_total']} |"
                     for kind in KINDS)
    spread = report["results"]
    fell_back = report["rules"]["results"]["hubctl"]["outage"]["fell_back_total"]
    text = f"""# Placement stability (written by benchmarks/bench_placement_stability.py --write)

Command: `python benchmarks/bench_placement_stability.py --events {args.events} --runs {args.runs} --write`
Machine: {report['machine']}. Fleet: fleetgen defaults ({report['clusters']} clusters, {report['flows']} flows).

## Spread (every second flow `spread: {{clusters: 3, across: region}}`), totals over {report['events']} events

| method | add moved | drain moved (not on the drained cluster) | cordon moved | spread covers regions |
|---|---|---|---|---|
""" + "\n".join(f"| {name} | {r['add_moved_total']} | {r['drain_moved_total']} | {r['cordon_moved_total']} | "
                f"{r['spread']} |" for name, r in spread.items()) + f"""

## Rules of #18

{rules_text(report['rules']).splitlines()[0].removeprefix('rules of #18: ')}.

Moved: placements removed from a cluster the event did not touch. Forced: for remove/taint/fill the
placements on the touched cluster that had to leave it (for outage: on any cluster of the region); for add
the pick placements the new cluster won (each displaces one placement elsewhere: the least an add can move).
The minimum possible is 0 moved for remove, taint, fill and outage, and moved = forced for add. Totals over
{report['rules']['events']} events. Over the outage events, {fell_back} flows were placed by their fallback
group (their primary region was out: they moved to the fallback region, a forced move). hubctl's outage
moves outside the region all come from capacity: every fifth cluster is exactly full, so the placements that
must leave the region (re-picked, or fallen back) take room that flows later in the capacity order held, and
those move on. On the same fleet without capacities hubctl moves {report['rules']['outage_moved_without_capacity']}
placements outside the region over the same events (0 is the minimum).

| event | hubctl moved | hubctl forced | naive moved | naive forced |
|---|---|---|---|---|
{rows}

Solver time (`compute_placements` on a fresh cache, median): {report['rules']['solver_seconds']:.3f} s without
the rules, {report['rules']['solver_rules_seconds']:.3f} s with them. `cluster drain` planned end to end:
{report['drain_plan_seconds']:.2f} s median.
"""
    (Path(__file__).resolve().parent / "RESULTS-placement.md").write_text(text)


if __name__ == "__main__":
    main()
