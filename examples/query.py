"""Query the bundled example articles from Python: `python examples/query.py`.

Builds the graph of examples/articles (each record carries its publication
date), then asks it the questions an analyst would.
"""
from pathlib import Path

import kg

HERE = Path(__file__).resolve().parent

g = kg.build([HERE / "articles"], progress=False)
print(g)

print("\nCalls involving Blinken:")
for ev in g.events(type="call", involving="Blinken"):
    sources = ", ".join(s["doc"] for s in ev["sources"])
    print(f"  {ev['time']['value'] if ev['time'] else 'undated':12} {ev['label']}  [{sources}]")

print("\nBlinken's timeline:")
for ev in g.timeline(involving="Antony Blinken"):
    when = ev["time"]["value"] if ev["time"] else "undated"
    print(f"  {when:12} {ev['type']:13} {ev['status']:10} {ev['label']}")

print("\nWhat connects Blinken and Qin Gang:")
for rel in g.relations("Blinken", "Qin Gang"):
    print(f"  {rel['kind']:8} {rel.get('label') or rel['relation']}")

print("\nThe graph is a plain networkx.MultiDiGraph:",
      g.graph.number_of_nodes(), "nodes,", g.graph.number_of_edges(), "edges")
