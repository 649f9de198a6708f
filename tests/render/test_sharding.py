"""Placement-aware controller sharding: balance and stability on seeded random fleets, the simulations
of Argo CD's algorithms against Go, validation of spec.argocd.sharding, and the rendered shard key."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml
from support.golden import check_tree
from support.tree import write

from hubctl.usecases.render import sharding
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

SEEDS = range(40)
SHARDING_HUB = "  argocd:\n    sharding:\n      replicas: {replicas}\n      algorithm: {algorithm}\n"


def random_weights(rng: random.Random, count: int) -> dict[str, int]:
    """Applications per cluster in the shapes fleets have: uniform, a few heavy clusters, idle ones."""
    shape = rng.choice(["uniform", "skewed", "idle"])
    weights = {}
    for i in range(count):
        name = f"c-{rng.randrange(10**6):06d}-{i}"
        if shape == "uniform":
            weights[name] = rng.randint(20, 60)
        elif shape == "skewed":
            weights[name] = rng.choice([1, 2, 3, 5, 8, 40, 200])
        else:
            weights[name] = rng.choice([0, 0, 10, 30])
    return weights


def moved(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(1 for name in before if name in after and before[name] != after[name])


def ratio(shards, weights, replicas) -> float:
    loads = sharding.shard_loads(shards, weights, replicas)
    return max(loads) / (sum(loads) / replicas) if sum(loads) else 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_every_cluster_gets_one_shard_whatever_the_order_of_its_input(seed):
    rng = random.Random(seed)
    weights = random_weights(rng, rng.randint(1, 300))
    replicas = rng.randint(1, 16)

    shards = sharding.assign_shards(weights, replicas)
    shuffled = list(weights.items())
    rng.shuffle(shuffled)

    assert sorted(shards) == sorted(weights)
    assert all(0 <= shard < replicas for shard in shards.values())
    assert sharding.assign_shards(dict(shuffled), replicas) == shards


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fullest_shard_stays_within_five_percent_of_the_mean_or_one_cluster_of_it(seed):
    rng = random.Random(seed)
    weights = random_weights(rng, rng.randint(50, 400))
    replicas = rng.randint(2, 12)
    mean = sum(weights.values()) / replicas

    loads = sharding.shard_loads(sharding.assign_shards(weights, replicas), weights, replicas)

    # 1.05 x mean is reachable when the clusters are small against a shard; a cluster heavier than 5% of
    # a shard's mean can leave at most itself over the mean (as in LPT's bound)
    assert max(loads) <= max(sharding.GOAL * mean, mean + max(weights.values()))


def test_many_small_clusters_per_shard_are_balanced_within_the_goal():
    rng = random.Random(7)
    for _ in range(20):
        weights = {f"c{i}": rng.randint(20, 60) for i in range(rng.randint(200, 600))}
        replicas = rng.randint(2, 10)
        assert ratio(sharding.assign_shards(weights, replicas), weights, replicas) <= sharding.GOAL


@pytest.mark.parametrize("seed", SEEDS)
def test_adding_or_removing_one_cluster_moves_few_others(seed):
    rng = random.Random(seed)
    weights = {f"c{i:04d}": rng.randint(20, 60) for i in range(rng.randint(100, 400))}
    replicas = rng.randint(2, 12)
    before = sharding.assign_shards(weights, replicas)

    added = sharding.assign_shards({**weights, "zz-new": rng.randint(20, 60)}, replicas)
    gone = sorted(weights)[rng.randrange(len(weights))]
    removed = sharding.assign_shards({k: v for k, v in weights.items() if k != gone}, replicas)

    # Argo CD's round-robin moves about half the fleet here; a chain of turn-aways moves a handful
    assert moved(before, added) <= 2 * replicas
    assert moved(before, removed) <= 2 * replicas


def test_a_join_or_a_removal_moves_two_clusters_on_average():
    rng = random.Random(23)
    total = 0
    for _ in range(40):
        weights = {f"c{i:04d}": rng.randint(20, 60) for i in range(rng.randint(100, 400))}
        replicas = rng.randint(2, 12)
        before = sharding.assign_shards(weights, replicas)
        total += moved(before, sharding.assign_shards({**weights, "zz-new": rng.randint(20, 60)}, replicas))
        gone = sorted(weights)[rng.randrange(len(weights))]
        total += moved(before, sharding.assign_shards({k: v for k, v in weights.items() if k != gone}, replicas))

    assert total / 80 <= 3


def test_stability_beats_round_robin_and_balance_beats_legacy_over_many_fleets():
    rng = random.Random(11)
    ours, robin, legacy_ratio, our_ratio = 0, 0, 0.0, 0.0
    for _ in range(20):
        weights = {f"c{i:04d}": rng.randint(20, 60) for i in range(300)}
        ids = {name: str(uuid.UUID(int=rng.getrandbits(128))) for name in [*weights, "zz-new"]}
        grown = {**weights, "zz-new": 40}
        ours += moved(sharding.assign_shards(weights, 6), sharding.assign_shards(grown, 6))
        before = {k: v for k, v in ids.items() if k in weights}
        robin += moved(sharding.round_robin_shards(before, 6), sharding.round_robin_shards(ids, 6))
        legacy_ratio += ratio(sharding.legacy_shards(before, 6), weights, 6)
        our_ratio += ratio(sharding.assign_shards(weights, 6), weights, 6)

    assert ours * 10 < robin
    assert our_ratio < legacy_ratio


def test_one_replica_puts_every_cluster_on_shard_zero():
    assert sharding.assign_shards({"a": 3, "b": 0}, 1) == {"a": 0, "b": 0}


# --- Argo CD's algorithms ------------------------------------------------------------------------------

def test_fnv32a_matches_the_published_test_vectors():
    # from the FNV reference (isthe.com/chongo/tech/comp/fnv), as Go's hash/fnv tests use them
    assert sharding.fnv32a(b"") == 0x811C9DC5
    assert sharding.fnv32a(b"a") == 0xE40C292C
    assert sharding.fnv32a(b"foobar") == 0xBF9CF968


def test_legacy_and_round_robin_on_hand_checked_ids():
    ids = {"x": "a", "y": "foobar", "z": "", "w": "0a77"}
    # FNV-32a("a") = 0xe40c292c = 3826002220 and FNV-32a("foobar") = 0xbf9cf968 = 3214735720 (published
    # vectors): modulo 7, 3826002220 = 7 * 546571745 + 5 and 3214735720 = 7 * 459247960 + 0; an empty id is 0
    assert sharding.legacy_shards(ids, 7)["x"] == 5
    assert sharding.legacy_shards(ids, 7)["y"] == 0
    assert sharding.legacy_shards(ids, 7)["z"] == 0
    # round-robin ranks by id: "" < "0a77" < "a" < "foobar"
    assert sharding.round_robin_shards(ids, 3) == {"z": 0, "w": 1, "x": 2, "y": 0}


GO_PROGRAM = """package main

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"sort"
	"strconv"

	"golang.org/x/crypto/blake2b"
)

// the lines of Argo CD's controller/sharding: legacy, round-robin, and the ring hash of consistent.go
func main() {
	replicas, _ := strconv.Atoi(os.Args[1])
	ids := os.Args[2:]
	for _, id := range ids {
		h := fnv.New32a()
		_, _ = h.Write([]byte(id))
		out := blake2b.Sum512([]byte(id))
		fmt.Printf("legacy %s %d\\n", id, int32(h.Sum32()%uint32(replicas)))
		fmt.Printf("ring %s %d\\n", id, binary.LittleEndian.Uint64(out[:]))
	}
	sorted := append([]string{}, ids...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for i, id := range sorted {
		fmt.Printf("round-robin %s %d\\n", id, i%replicas)
	}
}
"""


def go_outputs(tmp_path: Path, replicas: int, ids: list[str]) -> list[list[str]]:
    from oracle.driver import find_go

    go = find_go()
    gocode = Path("/usr/share/gocode/src/golang.org/x/crypto/blake2b")
    if go is None or not gocode.is_dir():
        pytest.skip("no Go toolchain with golang.org/x/crypto (tests/support/install-go.sh installs them)")
    (tmp_path / "main.go").write_text(GO_PROGRAM)
    # the build cache the Go oracle uses (tests/oracle/driver.py): a warm build takes a second, not twenty
    cache = os.environ.get("HUBCTL_GOCACHE") or str(Path.home() / ".cache" / "hubctl-goref-gocache")
    env = {"GO111MODULE": "off", "GOPATH": "/usr/share/gocode", "GOCACHE": cache,
           "GOPROXY": "off", "GOFLAGS": "", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0", "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([go, "run", "main.go", str(replicas), *ids], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [line.split() for line in done.stdout.splitlines()]


def test_the_simulations_agree_with_go_on_uid_shaped_ids(tmp_path):
    rng = random.Random(3)
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(25)] + ["in-cluster", "0", "a"]
    by_name = {f"cluster-{i}": cid for i, cid in enumerate(ids)}

    lines = go_outputs(tmp_path, 7, ids)

    legacy = sharding.legacy_shards(by_name, 7)
    robin = sharding.round_robin_shards(by_name, 7)
    name_of = {cid: name for name, cid in by_name.items()}
    for kind, cid, value in lines:
        if kind == "legacy":
            assert legacy[name_of[cid]] == int(value), cid
        elif kind == "round-robin":
            assert robin[name_of[cid]] == int(value), cid
        else:
            assert sharding._blake_ring_hash(cid) == int(value), cid


def test_consistent_hashing_keeps_argo_cds_bound_and_counts_applications():
    rng = random.Random(5)
    ids = {f"c{i}": str(uuid.UUID(int=rng.getrandbits(128))) for i in range(60)}
    weights = {name: 1 for name in ids}

    shards = sharding.consistent_hashing_shards(ids, weights, 4)

    loads = sharding.shard_loads(shards, weights, 4)
    # GetLeast takes a shard only while its load + 1 <= ceil(1.25 * ((total + 1) // 4)): at most 19 of 60
    assert sum(loads) == 60 and max(loads) <= 19
    assert sharding.consistent_hashing_shards(ids, weights, 4) == shards


# --- the hub spec and the render ----------------------------------------------------------------------

def with_sharding(fleet: Path, replicas, algorithm="hubctl") -> Path:
    hub = fleet / "hubctl.yaml"
    text = hub.read_text()
    block = SHARDING_HUB.format(replicas=replicas, algorithm=algorithm)
    if "  argocd:\n" in text:
        text = text.replace("  argocd:\n", block, 1)
    else:
        text = text.replace("spec:\n", "spec:\n" + block, 1)
    hub.write_text(text)
    return fleet


@pytest.mark.parametrize("replicas, algorithm, expected", [
    ("0", "hubctl", "hubctl.yaml:8:7: spec.argocd.sharding.replicas: 0 is less than the minimum of 1"),
    ("-2", "hubctl", "spec.argocd.sharding.replicas: -2 is less than the minimum of 1"),
    ("two", "hubctl", "hubctl.yaml:8:7: spec.argocd.sharding.replicas:"),
    # a pull request cannot make render rank a billion shards per cluster
    ("1000000000", "hubctl", "hubctl.yaml:8:7: spec.argocd.sharding.replicas: 1000000000 is greater than the "
                             "maximum of 256"),
    ("3", "round_robin", "hubctl.yaml:9:7: spec.argocd.sharding.algorithm: `round_robin` is not allowed here"),
])
def test_a_bad_sharding_field_is_reported_with_file_line_and_key(hubctl, base_fleet, replicas, algorithm,
                                                                 expected):
    with_sharding(base_fleet, replicas, algorithm)

    result = hubctl("validate", "-C", base_fleet)

    assert result.code == 3
    assert expected in result.out
    assert "Traceback" not in result.out + result.err
    if algorithm == "round_robin":
        assert "did you mean `round-robin`?" in result.out


def registrations(files) -> dict[str, dict]:
    return {rel: yaml.safe_load(files[rel]) for rel in files if rel.startswith("hub/clusters/")}


def test_sharded_registrations_match_golden_and_carry_a_balanced_shard(example_fleet, update_golden):
    render = render_fleet(load_fleet(with_sharding(example_fleet, 3)))

    regs = registrations(render.files)
    check_tree("examples-fleet-sharded-clusters", {rel: render.files[rel] for rel in regs}, update_golden)
    shards = {}
    for rel, doc in regs.items():
        data = doc["stringData"] if doc["kind"] == "Secret" else doc["spec"]["target"]["template"]["data"]
        shards[rel] = data["shard"]
    assert set(shards.values()) <= {"0", "1", "2"} and len(set(shards.values())) == 3


def test_sharding_changes_only_the_cluster_registrations(example_fleet):
    plain = render_fleet(load_fleet(example_fleet)).files
    sharded = render_fleet(load_fleet(with_sharding(example_fleet, 4))).files

    changed = sorted(rel for rel in plain if plain[rel] != sharded[rel])
    assert sorted(plain) == sorted(sharded)
    assert changed and all(rel.startswith("hub/clusters/") for rel in changed)


@pytest.mark.parametrize("algorithm", ["legacy", "round-robin", "consistent-hashing"])
def test_argo_cds_own_algorithms_leave_the_shard_to_argo_cd(example_fleet, algorithm):
    plain = render_fleet(load_fleet(example_fleet)).files
    other = render_fleet(load_fleet(with_sharding(example_fleet, 3, algorithm))).files

    assert dict(plain) == dict(other)


def test_render_writes_the_shard_byte_identically_twice(hubctl, example_fleet, tmp_path):
    with_sharding(example_fleet, 2)
    second = tmp_path / "again"
    shutil.copytree(example_fleet, second)

    assert hubctl("render", "-C", example_fleet).code == 0
    assert hubctl("render", "-C", second).code == 0

    first_dir, second_dir = example_fleet / "rendered" / "hub" / "clusters", second / "rendered" / "hub" / "clusters"
    texts = {p.name: p.read_bytes() for p in first_dir.iterdir()}
    assert texts == {p.name: p.read_bytes() for p in second_dir.iterdir()}
    assert all(b"  shard: '" in text for text in texts.values())


def test_a_cluster_without_placements_counts_nothing_but_still_gets_a_shard(base_fleet):
    write(base_fleet, "clusters/idle-1.yaml", (base_fleet / "clusters" / "dev-1.yaml").read_text()
          .replace("dev-1", "idle-1").replace("environment: dev", "environment: sandbox"))
    fleet = load_fleet(with_sharding(base_fleet, 2))
    render = render_fleet(fleet)

    weights = sharding.applications_per_cluster(render.placements, fleet.clusters)
    assert weights["idle-1"] == 0
    assert yaml.safe_load(render.files["hub/clusters/idle-1.yaml"])["stringData"]["shard"] in {"0", "1"}


def test_idle_fleets_and_one_giant_cluster_are_handled():
    idle = {f"c{i}": 0 for i in range(30)}
    assert sorted(sharding.assign_shards(idle, 4)) == sorted(idle)

    weights = {"giant": 5000, **{f"small-{i:03d}": 10 for i in range(200)}}
    shards = sharding.assign_shards(weights, 4)

    loads = sharding.shard_loads(shards, weights, 4)
    # the giant is alone on its shard (nothing makes that shard lighter), the rest share the others evenly
    assert [name for name, shard in shards.items() if shard == shards["giant"]] == ["giant"]
    others = [load for shard, load in enumerate(loads) if shard != shards["giant"]]
    assert max(others) <= sharding.BALANCE * sum(others) / len(others)


def test_sharded_registrations_pass_the_commit_guard_and_render_check(hubctl, example_fleet):
    from hubctl.usecases.commit.secretguard import inline_secret_files

    with_sharding(example_fleet, 3)
    render = render_fleet(load_fleet(example_fleet))

    assert inline_secret_files(dict(render.files)) == []
    assert hubctl("render", "-C", example_fleet).code == 0
    assert hubctl("render", "-C", example_fleet, "--check").code == 0


def test_the_assignment_does_not_depend_on_the_process_hash_seed():
    import json
    import sys

    code = ("import json, random; from hubctl.usecases.render.sharding import assign_shards; rng = random.Random(9); "
            "w = {f'c{i}-{rng.random()}': rng.randint(0, 80) for i in range(300)}; "
            "print(json.dumps(assign_shards(w, 7)))")
    root = str(Path(__file__).resolve().parents[2])
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}).stdout
            for seed in ("1", "2", "3")]

    assert runs[0] == runs[1] == runs[2] and json.loads(runs[0])


def test_the_schema_offers_exactly_the_algorithms_hubctl_knows():
    import json

    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "hub.json").read_text())
    sharding_schema = schema["properties"]["spec"]["properties"]["argocd"]["properties"]["sharding"]

    assert tuple(sharding_schema["properties"]["algorithm"]["enum"]) == sharding.ALGORITHMS


@pytest.mark.parametrize("seed", range(8))
def test_one_more_replica_moves_about_the_share_of_the_new_shard(seed):
    rng = random.Random(seed)
    weights = {f"c{i:04d}": rng.randint(20, 60) for i in range(rng.randint(200, 600))}
    replicas = rng.randint(3, 12)

    before = sharding.assign_shards(weights, replicas)
    after = sharding.assign_shards(weights, replicas + 1)

    # the new shard must take about 1/(replicas + 1) of the fleet; round-robin would move nearly all
    assert moved(before, after) <= 2 * len(weights) / (replicas + 1)
