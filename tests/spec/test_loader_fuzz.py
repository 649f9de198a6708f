"""The spec loader against hostile documents: seeded random and adversarial YAML (deep nesting, huge
scalars, alias bombs, invalid UTF-8, control characters, NUL bytes, binary, truncated and corrupted specs)
through `hubctl validate` in-process. Every case ends in exit 0 or 3 with problems naming the file: never
exit 1 (an internal error), never a crash. An alarm per case turns a hang into a failure naming the case.

Huge scalars here are words separated by spaces: a long unbroken run of letters still takes the inline
credential scan quadratic time (spec/secrets.py, fixed separately).
"""

from __future__ import annotations

import base64
import random
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from hubctl.base.constants import MAX_FILE_BYTES

HANG_SECONDS = 60  # a hang detector, far above what any case takes
SPEC = b"""apiVersion: hubctl.io/v1alpha1
kind: Flow
metadata:
  name: fuzz
  labels: {tier: gold}
spec:
  space: team-a
  blueprint: http-service
  params:
    image: ghcr.io/example/api:1.0.0
    replicas: 2
  placement:
    selector:
      matchLabels:
        env: dev
"""
HOSTILE_BYTES = [b"\x00", b"\x01", b"\x1b[31m", b"\x7f", b"\xc2\x85", b"\xe2\x80\xa8", b"\xef\xbb\xbf", b"\xff",
                 b"\xc3", b"\xed\xa0\x80", b"\t", b"\r", b"\n", b"---\n", b"...\n", b"%YAML 1.1\n", b"!!binary ",
                 b"!custom ", b"&a ", b"*a", b"<<: ", b"? ", b": ", b"- ", b"[", b"]", b"{", b"}", b"'", b'"',
                 b'"\\ud800"', b'"\\0"', b"|", b">", b"#", b"@", b"`", b"%"]


def _nesting(rng: random.Random) -> bytes:
    depth = rng.choice([65, 1_000, 30_000, 200_000])
    opener = rng.choice([b"[", b"{a: ", b"- ", b"? "])
    closer = {b"[": b"]", b"{a: ": b"}"}.get(opener, b"")
    body = b"x: " + opener * depth + b"1" + closer * rng.choice([0, depth])
    return body[:MAX_FILE_BYTES]


def _indented(rng: random.Random) -> bytes:
    step = rng.choice([1, 2])
    return b"".join(b" " * (i * step) + b"k:\n" for i in range(rng.choice([70, 700])))


def _alias_bomb(rng: random.Random) -> bytes:
    width, levels = rng.choice([(10, 9), (4, 20), (100, 3)])
    lines = [b"a0: &a0 [x]"]
    for level in range(1, levels):
        refs = b", ".join([b"*a%d" % (level - 1)] * width)
        lines.append(b"a%d: &a%d [%s]" % (level, level, refs))
    return b"\n".join(lines) + b"\n"


def _huge_scalar(rng: random.Random) -> bytes:
    words = b" ".join(rng.choice([b"lorem", b"ipsum", b"x", b"a-b", b"1"]) for _ in range(rng.choice([1_000, 40_000])))
    style = rng.choice([b"plain", b"quoted", b"block"])
    if style == b"quoted":
        return SPEC.replace(b"fuzz\n", b'"' + words + b'"\n', 1)
    if style == b"block":
        return SPEC + b"  description: |\n    " + words + b"\n"
    return SPEC.replace(b"gold}", words[:60_000] + b"}")


def _many_nodes(rng: random.Random) -> bytes:
    count = rng.choice([1_000, 120_000])
    return b"".join(b"k%d: v\n" % i for i in range(count))[:MAX_FILE_BYTES]


def _corrupted(rng: random.Random) -> bytes:
    data = bytearray(SPEC)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(data) + 1)
        roll = rng.random()
        if roll < 0.5:
            data[at:at] = rng.choice(HOSTILE_BYTES)
        elif roll < 0.8 and data:
            del data[at:at + rng.randint(1, 12)]
        elif data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
    return bytes(data)


def _truncated(rng: random.Random) -> bytes:
    return SPEC[: rng.randrange(len(SPEC))]


def _binary(rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.choice([1, 64, 4_096])))


def _tokens(rng: random.Random) -> bytes:
    return b"".join(rng.choice(HOSTILE_BYTES + [b"a", b"1", b" ", b"  "]) for _ in range(rng.randint(1, 400)))


def _too_large(rng: random.Random) -> bytes:
    return SPEC + b"#" * (MAX_FILE_BYTES - len(SPEC) + rng.choice([1, 4_096]))


GENERATORS: list[Callable[[random.Random], bytes]] = [
    _nesting, _indented, _alias_bomb, _huge_scalar, _many_nodes, _corrupted, _corrupted, _corrupted, _truncated,
    _binary, _tokens, _tokens, _too_large]
TARGETS = ["flows/fuzz.yaml", "clusters/fuzz.yaml", "hubctl.yaml"]


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def run_cases(hubctl, fleet: Path, seed: int, count: int) -> list[str]:
    """Failures (as `case: what`) of `count` hostile files written one at a time into `fleet`."""
    rng, failures = random.Random(seed), []
    originals = {rel: (fleet / rel).read_bytes() if (fleet / rel).exists() else None for rel in TARGETS}
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for case in range(count):
            generator, target = rng.choice(GENERATORS), rng.choice(TARGETS)
            data = generator(rng)
            (fleet / target).write_bytes(data)
            label = f"seed {seed} case {case} {generator.__name__} -> {target}: {base64.b64encode(data[:80])!r}"
            signal.alarm(HANG_SECONDS)
            try:
                result = hubctl("validate", "-C", fleet)
            except Hang:
                failures.append(f"{label}: still running after {HANG_SECONDS} s")
                continue
            finally:
                signal.alarm(0)
            if result.code not in (0, 3) or "internal error" in result.err or "Traceback" in result.err:
                failures.append(f"{label}: exit {result.code}: {result.err[-300:]}")
            elif result.code == 3 and target not in result.out and "<fleet>" not in result.out:
                failures.append(f"{label}: the problems do not name {target}: {result.out[:300]}")
            original = originals[target]
            if original is None:
                (fleet / target).unlink()
            else:
                (fleet / target).write_bytes(original)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return failures


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
def test_hostile_documents_end_in_a_clear_problem(hubctl, base_fleet):
    assert run_cases(hubctl, base_fleet, seed=5, count=150) == []


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
def test_many_more_hostile_documents_end_in_a_clear_problem(hubctl, base_fleet):
    assert run_cases(hubctl, base_fleet, seed=6, count=600) == []
