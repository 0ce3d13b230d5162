"""Throughput of the local single-process build against the Dask engine with 1 and 2 workers.

    python benchmarks/dask_scaling.py --docs 200

It writes the synthetic corpus of ``bench_build.py`` (seeded, so every run reads the same texts), then
times, with the spaCy pipeline already loaded everywhere: (1) ``kg.build`` in a fresh local process,
(2) ``kg.build(engine="dask")`` on a LocalCluster of 1 and of 2 worker processes. It prints docs/s, the
ratios to the local build (target on a 2-core machine: 2 workers >= 1.5x local), docs per CPU-second
(the per-core rate, which a busy machine disturbs far less than wall time), the workers' RSS,
and the figures the README's cost estimate uses: the reduce's share of the local build and the pickled
size of a document's map records.
"""
from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_build beside this file
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # the checkout's kg, not an installed one

from bench_build import make_corpus  # noqa: E402


def warm() -> None:
    """Load the spaCy pipeline and every stage's lazy imports (dateparser...) before the clock starts."""
    from kg import pipeline
    from kg.nlp import load_model
    from kg.records import Article

    text = "The foreign minister called her counterpart in Oslo on Monday."
    pipeline.reduce([pipeline.extract(load_model()(text), Article(id="warm", text=text))])


def run_local(corpus: str) -> dict:
    """The local engine in this process: map+reduce time, then the reduce again on its own."""
    from kg import pipeline

    warm()
    start, cpu = time.perf_counter(), time.process_time()
    g = pipeline.build([corpus], progress=False)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    pipeline.reduce(g.doc_results)
    reduce_s = time.perf_counter() - start
    size = len(pickle.dumps(g.doc_results, protocol=pickle.HIGHEST_PROTOCOL))
    return {"seconds": seconds, "cpu_seconds": cpu, "reduce_seconds": reduce_s,
            "bytes_per_doc": size / max(1, len(g.doc_results)), "events": len(g.events())}


def run_dask(corpus: str, workers: int, partition_size: int) -> dict:
    """The Dask engine on a fresh LocalCluster of ``workers`` processes, their pipelines loaded first."""
    import distributed
    import psutil

    from kg import dask_engine

    with dask_engine.local_cluster(workers) as cluster, distributed.Client(cluster) as client:
        client.run(warm)  # as in the local run, the model is loaded before the clock starts
        before = client.run(_cpu)
        start = time.perf_counter()
        g = dask_engine.build([corpus], client=client, progress=False, partition_size=partition_size or None)
        seconds = time.perf_counter() - start
        cpu = sum(client.run(_cpu).values()) - sum(before.values())
        rss = client.run(lambda: psutil.Process().memory_info().rss)
    return {"seconds": seconds, "cpu_seconds": cpu, "events": len(g.events()),
            "worker_rss_mb": max(rss.values()) / 2**20}


def _cpu() -> float:
    """CPU seconds of this process (a worker): with a busy machine, the per-core rate is read from it."""
    return time.process_time()


def measure(args: list[str]) -> dict:
    res = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200, help="number of generated articles")
    ap.add_argument("--partition-size", type=int, default=0, help="documents per Dask map task (0: the engine's choice)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, corpus, *rest = args.child
        out = run_local(corpus) if mode == "local" else run_dask(corpus, int(rest[0]), int(rest[1]))
        print(json.dumps(out))
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        words = make_corpus(args.docs, corpus)
        local = measure(["local", str(corpus)])
        rows = [("local, 1 process", local)]
        for n in (1, 2):
            rows.append((f"dask, {n} worker{'s' * (n > 1)}", measure(["dask", str(corpus), str(n),
                                                                      str(args.partition_size)])))
    n = args.docs
    print(f"{n} articles, {words} words; partition size {args.partition_size or 'automatic'}")
    print(f"{'engine':<18} {'seconds':>8} {'docs/s':>7} {'x local':>8} {'docs/CPU-s':>11} {'worker RSS MB':>14} "
          f"{'events':>7}")
    for name, r in rows:
        rss = f"{r['worker_rss_mb']:.0f}" if "worker_rss_mb" in r else "-"
        print(f"{name:<18} {r['seconds']:>8.1f} {n / r['seconds']:>7.2f} {local['seconds'] / r['seconds']:>8.2f} "
              f"{n / r['cpu_seconds']:>11.2f} {rss:>14} {r['events']:>7}")
    print(f"reduce alone: {local['reduce_seconds']:.2f} s ({1000 * local['reduce_seconds'] / n:.1f} ms/doc, "
          f"{100 * local['reduce_seconds'] / local['seconds']:.0f}% of the local build); "
          f"map records {local['bytes_per_doc'] / 1024:.1f} KiB/doc pickled")
    ratio = local["seconds"] / rows[2][1]["seconds"]
    print(f"2 workers / local = {ratio:.2f} (target >= 1.5 on 2 idle cores)")


if __name__ == "__main__":
    main()
