"""Benchmark: expand a matrix(list x clusters) ApplicationSet over 5,000 cluster Secrets.

Reports the median of several runs for hubctl's expand() (templates compiled once per set and reused
across parameter sets) and, as the named alternative measured in the same run, the same expansion with
the template cache cleared before every parameter set (parse-per-render, as Argo CD's Render.Replace
parses each field for every parameter set).

    .venv/bin/python benchmarks/bench_appset.py [--clusters 5000] [--runs 7]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time


def make_clusters(count: int) -> list[dict]:
    envs = ("dev", "staging", "prod")
    return [{"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": f"cluster-c{i:05d}", "namespace": "argocd",
                          "labels": {"argocd.argoproj.io/secret-type": "cluster", "hubctl.io/tenant": "team-a",
                                     "hubctl.io/env": envs[i % 3], "hubctl.io/region": f"r{i % 7}"},
                          "annotations": {"hubctl.io/owner": "team-a"}},
             "stringData": {"name": f"c{i:05d}", "server": f"https://c{i:05d}.k8s.example.com"}}
            for i in range(count)]


APPSET = {
    "apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
    "metadata": {"name": "team-a-payments", "namespace": "argocd"},
    "spec": {
        "goTemplate": True, "goTemplateOptions": ["missingkey=error"],
        "generators": [{"matrix": {"generators": [
            {"list": {"elements": [{"flow": "payments", "path": "flows/payments", "targetRevision": "main"}]}},
            {"clusters": {"selector": {"matchLabels": {"hubctl.io/tenant": "team-a"}},
                          "values": {"env": '{{ index .metadata.labels "hubctl.io/env" }}'}}},
        ]}}],
        "template": {
            "metadata": {"name": "{{ .flow }}-{{ .nameNormalized }}",
                         "labels": {"hubctl.io/flow": "{{ .flow }}", "hubctl.io/cluster": "{{ .nameNormalized }}",
                                    "hubctl.io/env": "{{ .values.env }}"}},
            "spec": {"project": "team-a",
                     "source": {"repoURL": "https://git.example.com/team-a/flows.git",
                                "targetRevision": "{{ .targetRevision }}", "path": "{{ .path }}"},
                     "destination": {"server": "{{ .server }}", "namespace": "team-a-{{ .flow }}"}},
        },
    },
}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    import hubctl.engines.appset.expansion as expand_module
    from hubctl.engines.appset import expand, render

    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    clusters = make_clusters(args.clusters)
    apps = expand(APPSET, clusters=clusters)
    assert len(apps) == args.clusters, len(apps)

    def cached():
        expand(APPSET, clusters=clusters)

    original = render.compiled
    original_compile_object = expand_module.compile_object

    def fresh(text, options=()):
        original.cache_clear()
        return original(text, options)

    def per_render(obj, go_template, options=(), path=""):
        return lambda params: original_compile_object(obj, go_template, options, path)(params)

    def uncached():
        render.compiled, expand_module.compile_object = fresh, per_render
        try:
            expand(APPSET, clusters=clusters)
        finally:
            render.compiled, expand_module.compile_object = original, original_compile_object

    ours = statistics.median(timed(cached) for _ in range(args.runs))
    alt = statistics.median(timed(uncached) for _ in range(max(3, args.runs // 2)))
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"expand matrix(list x clusters) over {args.clusters} cluster Secrets -> {len(apps)} Applications")
    print(f"compiled once, reused:  median {ours * 1000:.0f} ms over {args.runs} runs")
    print(f"parse per render (alt): median {alt * 1000:.0f} ms; ratio {alt / ours:.1f}x")


if __name__ == "__main__":
    main()
