"""Query latency on a synthetic graph: `python benchmarks/bench_query.py --events 20000`.

Builds a seeded graph in kg/graph.py's schema (one entity per event, half the
events undated, a third of those linked to a neighbour by ``before``), then
times each query of kg.query once and prints seconds per call.
"""
from __future__ import annotations

import argparse
import time

import networkx as nx

from kg import query as Q


def synthetic_graph(n: int) -> nx.MultiDiGraph:
    """``n`` entities and ``n`` events, each event with an agent and a recipient."""
    G = nx.MultiDiGraph()
    for i in range(n):
        G.add_node(f"ent-{i}", kind="entity", label=f"Person {i}", type="PERSON", aliases=[f"P{i}"], mentions=1,
                   docs=["d"])
    for i in range(n):
        day = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
        attrs = dict(kind="event", label=f"Event {i}", type="call", status="occurred",
                     sources=[{"doc": f"d{i % 50}", "sentence": "s", "start": i, "end": i + 1}])
        if i % 2 == 0:
            attrs.update(date=day, start=day, end=day, granularity="day")
        G.add_node(f"ev-{i}", **attrs)
        G.add_edge(f"ent-{i}", f"ev-{i}", relation="agent")
        G.add_edge(f"ev-{i}", f"ent-{(i * 7) % n}", relation="recipient")
        if i % 2 == 1 and i % 3:
            G.add_edge(f"ev-{i}", f"ev-{i - 1}", relation="before")
    return G


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    n = parser.parse_args().events
    G = synthetic_graph(n)
    queries = {
        "timeline()": lambda: Q.timeline(G),
        "timeline(involving=)": lambda: Q.timeline(G, involving="Person 77"),
        "events(involving=)": lambda: Q.events(G, involving="P77"),
        "relations(a, b)": lambda: Q.relations(G, "Person 77", "Person 11"),
        "neighbors(depth=2)": lambda: Q.neighbors(G, "Person 77", depth=2),
        "path(a, b)": lambda: Q.path(G, "Person 77", f"Person {n - 1}"),
        "to_records()": lambda: Q.to_records(G),
    }
    print(f"{n} entities, {n} events, {G.number_of_edges()} edges")
    for name, run in queries.items():
        started = time.perf_counter()
        rows = run()
        print(f"{name:22} {time.perf_counter() - started:7.3f} s  {len(rows)} rows")


if __name__ == "__main__":
    main()
