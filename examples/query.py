"""Query the bundled example articles from Python: `python examples/query.py`.

Builds the graph of examples/articles (each record carries its publication
date) into a temporary folder, loads it back as a later session would, and asks
it the questions an analyst would.
"""
import tempfile
from pathlib import Path

import kg

HERE = Path(__file__).resolve().parent

with tempfile.TemporaryDirectory() as out:
    kg.build([HERE / "articles"], progress=False).write(out, formats=["jsonl"])
    g = kg.load(out)  # the build folder: events, entities, relations and the mention records
print(g)

print("\nCalls involving Blinken:")
for ev in g.events(type="call", involving="Blinken"):
    sources = ", ".join(dict.fromkeys(s["doc"] for s in ev["sources"]))
    print(f"  {ev['time']['value'] if ev['time'] else 'undated':12} {ev['label']}  [{sources}]")

print("\nBlinken's timeline:")
for ev in g.timeline(involving="Antony Blinken"):
    when = ev["time"]["value"] if ev["time"] else "undated"
    print(f"  {when:12} {ev['type']:13} {ev['status']:10} {ev['label']}")

print("\nWhat connects Blinken and Qin Gang:")
for rel in g.relations("Blinken", "Qin Gang"):
    print(f"  {rel['kind']:8} {rel.get('label') or rel['relation']}")

print("\nWithin two steps of Qin Gang:")
print("  " + ", ".join(f"{n['name']} ({n['distance']})" for n in g.neighbors("Qin Gang", depth=2)))

print("\nFrom Kishida to Blinken:")
print("  " + " -> ".join(step.get("name") or step["label"] for step in g.path("Kishida", "Blinken")))

try:
    g.entity("Blinkin")
except kg.EntityNotFound as err:
    print(f"\nA typo gets a suggestion: {err}")

print("\nThe graph is a plain networkx.MultiDiGraph:",
      g.graph.number_of_nodes(), "nodes,", g.graph.number_of_edges(), "edges")
