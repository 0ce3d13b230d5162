"""JSON Lines export (events.jsonl, entities.jsonl, relations.jsonl) and the reader that rebuilds the graph.

The field layout is DESIGN.md's. Participant edges (agent, recipient, ... between an event and an
entity) live in each event's ``participants``; every other edge is a line of relations.jsonl.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import networkx as nx

from kg.query import TIME_ATTRS, entities, events, relation_records

from ._io import atomic_open

FILENAMES = {"events": "events.jsonl", "entities": "entities.jsonl", "relations": "relations.jsonl"}
INCOMING_ROLES = ("agent", "speaker")  # these edges run entity -> event; the others event -> entity


def event_records(G: nx.MultiDiGraph) -> list[dict]:
    """One dict per event in events.jsonl layout, by start date then id (undated last)."""
    return events(G)


def entity_records(G: nx.MultiDiGraph) -> list[dict]:
    """One dict per entity in entities.jsonl layout, sorted by id."""
    return entities(G)


def to_jsonl(G: nx.MultiDiGraph) -> dict[str, str]:
    """The three files' contents, by file name: one JSON object per line, UTF-8, non-ASCII kept."""
    tables = {"events": event_records(G), "entities": entity_records(G), "relations": relation_records(G)}
    return {FILENAMES[name]: "".join(_line(row) for row in rows) for name, rows in tables.items()}


def _line(row: dict) -> str:
    """One JSON Lines line, non-ASCII kept as UTF-8."""
    # U+2028/2029 are escaped: JSON allows them raw, but str.splitlines() and some editors break lines there.
    text = json.dumps(row, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def write_jsonl(G: nx.MultiDiGraph, folder: str | os.PathLike) -> None:
    """Write events.jsonl, entities.jsonl and relations.jsonl into ``folder``, each atomically."""
    for name, text in to_jsonl(G).items():
        with atomic_open(Path(folder) / name) as handle:
            handle.write(text)


def _read_lines(path: Path) -> list[dict]:
    """The JSON objects of one file (a missing file is an empty table)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _set_time(attrs: dict, time: dict | None) -> None:
    """Flatten a ``time`` object back into node/edge attributes, dropping nulls."""
    for field, attr in TIME_ATTRS.items():
        if time and time.get(field) is not None:
            attrs[attr] = time[field]


def read_jsonl_graph(folder: str | os.PathLike, title: str = "kg-timeline") -> nx.MultiDiGraph:
    """Rebuild the graph from the three files written by :func:`write_jsonl`.

    Edge keys are not part of the layout, so they are numbered ``e1, e2, ...`` as kg.graph numbers
    them (participant edges event by event in id order, then relations, in file order); a
    participant edge's evidence is its event's first source, as kg.graph sets it.
    """
    folder = Path(folder)
    G = nx.MultiDiGraph(title=title)
    for row in _read_lines(folder / FILENAMES["entities"]):
        G.add_node(row["id"], kind="entity", label=row["name"], type=row["type"], aliases=row["aliases"],
                   mentions=row["mentions"], docs=row["docs"])
    participant_edges = []
    for row in sorted(_read_lines(folder / FILENAMES["events"]), key=lambda r: str(r["id"])):
        attrs = {"kind": "event", "label": row["label"], "type": row["type"], "cameo": row["cameo"],
                 "status": row["status"], "trigger": row["trigger"], "n_sources": len(row["sources"]),
                 "sources": row["sources"], "location": row.get("location"), "quote": row.get("quote")}
        _set_time(attrs, row.get("time"))
        G.add_node(row["id"], **{k: v for k, v in attrs.items() if v is not None})
        for p in row["participants"]:
            ends = (p["id"], row["id"]) if p["role"] in INCOMING_ROLES else (row["id"], p["id"])
            evidence = row["sources"][0] if row["sources"] else None
            participant_edges.append((*ends, {"relation": p["role"], "evidence": evidence}))
    n = 0
    for u, v, attrs in participant_edges:
        n += 1
        G.add_edge(u, v, key=f"e{n}", **{k: val for k, val in attrs.items() if val is not None})
    for row in _read_lines(folder / FILENAMES["relations"]):
        attrs = {k: v for k, v in row.items() if k not in ("source", "target", "time") and v is not None}
        _set_time(attrs, row.get("time"))
        n += 1
        G.add_edge(row["source"], row["target"], key=f"e{n}", **attrs)
    return G
