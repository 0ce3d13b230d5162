"""Queries: free functions over the MultiDiGraph that return plain dicts and lists.

Record layouts are those of the output files (events.jsonl, entities.jsonl,
relations.jsonl), so what a query returns can be written or compared as is.
"""
from __future__ import annotations

import json
import re

import networkx as nx

AGENTIVE = {"agent", "speaker"}
PARTICIPANT_ROLES = {"agent", "recipient", "participant", "speaker", "addressee", "subject", "location"}
ROLE_ORDER = {"agent": 0, "speaker": 0, "recipient": 1, "addressee": 1, "participant": 2, "subject": 3,
              "location": 4}


def _norm(s: str) -> str:
    return re.sub(r"[^\w ]+", "", str(s).lower().replace("’", "'").replace("'s", "")).strip()


def entity_ids(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Ids of the entities whose id, name or an alias is ``name`` (case and punctuation ignored)."""
    if name in G and G.nodes[name].get("kind") == "entity":
        return [name]
    key = _norm(name)
    exact = [n for n, d in G.nodes(data=True) if d.get("kind") == "entity"
             and (key == _norm(d.get("label", "")) or key in {_norm(a) for a in d.get("aliases", [])})]
    if exact:
        return sorted(exact)
    words = set(key.split())
    return sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "entity" and words
                  and words <= set(_norm(d.get("label", "")).split()))


def entity(G: nx.MultiDiGraph, name: str) -> dict:
    """The one entity record ``name`` designates; KeyError lists the candidates when ambiguous."""
    ids = entity_ids(G, name)
    if not ids:
        raise KeyError(f"no entity named {name!r}")
    if len(ids) > 1:
        labels = ", ".join(f"{G.nodes[i]['label']} ({i})" for i in ids)
        raise KeyError(f"{name!r} is ambiguous: {labels}")
    return entity_record(G, ids[0])


def entity_record(G: nx.MultiDiGraph, node: str) -> dict:
    d = G.nodes[node]
    return {"id": node, "name": d.get("label"), "type": d.get("type"), "aliases": list(d.get("aliases", [])),
            "mentions": d.get("mentions", 0), "docs": list(d.get("docs", []))}


def entities(G: nx.MultiDiGraph, type: str | None = None) -> list[dict]:
    """Every entity record, sorted by id, optionally of one type (PERSON, ORG, GPE, ...)."""
    return [entity_record(G, n) for n, d in sorted(G.nodes(data=True))
            if d.get("kind") == "entity" and (type is None or d.get("type") == type)]


def participants(G: nx.MultiDiGraph, ev: str) -> list[dict]:
    """The participants of event ``ev``: agents/speakers first."""
    out = []
    for u, _, d in G.in_edges(ev, data=True):
        if d.get("relation") in PARTICIPANT_ROLES and G.nodes[u].get("kind") == "entity":
            out.append((u, d["relation"]))
    for _, v, d in G.out_edges(ev, data=True):
        if d.get("relation") in PARTICIPANT_ROLES and G.nodes[v].get("kind") == "entity":
            out.append((v, d["relation"]))
    out.sort(key=lambda p: (ROLE_ORDER.get(p[1], 9), G.nodes[p[0]].get("label", "")))
    return [{"id": n, "name": G.nodes[n].get("label"), "type": G.nodes[n].get("type"), "role": role}
            for n, role in out]


# ``time`` object field -> the flattened node/edge attribute that holds it
TIME_ATTRS = {"text": "time_text", "value": "date", "start": "start", "end": "end", "granularity": "granularity"}


def time_record(d: dict) -> dict | None:
    """The ``time`` object of a node's or edge's flattened time attributes; None when it has none."""
    time = {field: d.get(attr) for field, attr in TIME_ATTRS.items()}
    return time if any(time[f] is not None for f in ("value", "start", "end", "text")) else None


def event_record(G: nx.MultiDiGraph, ev: str) -> dict:
    """One event in the events.jsonl layout."""
    d = G.nodes[ev]
    return {"id": ev, "type": d.get("type"), "cameo": d.get("cameo"), "label": d.get("label"),
            "status": d.get("status"), "trigger": d.get("trigger"), "time": time_record(d),
            "participants": participants(G, ev), "location": d.get("location"), "quote": d.get("quote"),
            "sources": [dict(s) for s in d.get("sources", [])]}


def event_sort_key(rec: dict) -> tuple:
    """By start date then id; times that cannot be placed (``XXXX-06-16``) next, undated last."""
    t = rec["time"]
    return (t is None, (t or {}).get("start") or "9999", str(rec["id"]))


def events(G: nx.MultiDiGraph, type: str | None = None, involving: str | None = None, between=None,
           status: str | None = None, source: str | None = None) -> list[dict]:
    """Event records in time order, filtered.

    ``involving`` an entity name or alias; ``between`` a (start, end) pair of ISO
    dates (either may be None) that the event's interval must overlap;
    ``source`` a document id.
    """
    who = set(entity_ids(G, involving)) if involving else None
    if who is not None and not who:
        return []
    out = []
    for n, d in G.nodes(data=True):
        if d.get("kind") != "event":
            continue
        if type and d.get("type") != type or status and d.get("status") != status:
            continue
        if source and not any(s.get("doc") == source for s in d.get("sources", [])):
            continue
        rec = event_record(G, n)
        if who is not None and not who & {p["id"] for p in rec["participants"]}:
            continue
        if between is not None and not _overlaps(rec["time"], *between):
            continue
        out.append(rec)
    return sorted(out, key=event_sort_key)


def _overlaps(time: dict | None, start, end) -> bool:
    if time is None or not time.get("start"):
        return False
    lo, hi = str(start) if start else "0000", str(end) if end else "9999"
    return time["start"] <= hi and (time.get("end") or time["start"]) >= lo


def timeline(G: nx.MultiDiGraph, involving: str | None = None) -> list[dict]:
    """Events in date order; undated events follow, placed after the events they are linked to."""
    recs = events(G, involving=involving)
    dated = [r for r in recs if r["time"] and r["time"].get("start")]
    undated = [r for r in recs if not (r["time"] and r["time"].get("start"))]
    order = [r["id"] for r in dated]
    for r in undated:
        linked = [v for _, v, d in G.out_edges(r["id"], data=True) if d.get("relation") in ("causes", "before")]
        pos = min((order.index(v) for v in linked if v in order), default=len(order))
        order.insert(pos, r["id"])
    by_id = {r["id"]: r for r in recs}
    return [by_id[i] for i in order]


def is_participant_edge(G: nx.MultiDiGraph, u, v, data: dict) -> bool:
    """True for a role edge between an event and an entity (written inside the event's record)."""
    return data.get("relation") in PARTICIPANT_ROLES and {G.nodes[u].get("kind"), G.nodes[v].get("kind")} == {
        "event", "entity"}


def relation_records(G: nx.MultiDiGraph) -> list[dict]:
    """Every edge that is not an event participation, in the relations.jsonl layout, in a stable order."""
    rows = []
    for u, v, d in G.edges(data=True):
        if is_participant_edge(G, u, v, d):
            continue
        row = {"source": u, "relation": d.get("relation"), "target": v}
        time = time_record(d)
        if time is not None:
            row["time"] = time
        row["evidence"] = d.get("evidence")
        extra = {k: val for k, val in d.items()
                 if k not in ("relation", "evidence") and k not in TIME_ATTRS.values() and val is not None}
        row.update(sorted(extra.items()))  # ``role`` of holds_role, and any other scalar attribute
        rows.append(row)
    return sorted(rows, key=_relation_sort_key)


def _relation_sort_key(row: dict) -> tuple:
    """By endpoints and relation, then evidence, then the whole row: never the graph's order."""
    ev = row.get("evidence") or {}
    return (row["source"], row["relation"] or "", row["target"], ev.get("doc") or "", ev.get("start") or 0,
            json.dumps(row, sort_keys=True, ensure_ascii=False))


def relations(G: nx.MultiDiGraph, a: str | None = None, b: str | None = None,
              relation: str | None = None) -> list[dict]:
    """Direct relations of ``a`` (with ``b``), then the events in which both take part."""
    ia = set(entity_ids(G, a)) if a else None
    ib = set(entity_ids(G, b)) if b else None
    out = []
    for r in relation_records(G):
        ends = {r["source"], r["target"]}
        if ia is not None and not ia & ends or ib is not None and not ib & ends:
            continue
        if relation and r["relation"] != relation:
            continue
        out.append({"kind": "relation", **r})
    if relation is None and ia is not None:
        for rec in events(G):
            ids = {p["id"] for p in rec["participants"]}
            if ia & ids and (ib is None or ib & ids):
                out.append({"kind": "event", **rec})
    return out


def time_span(G: nx.MultiDiGraph) -> tuple[str, str] | None:
    """(first start, last end) over dated events, or None."""
    starts = [d["start"] for _, d in G.nodes(data=True) if d.get("kind") == "event" and d.get("start")]
    ends = [d.get("end") or d["start"] for _, d in G.nodes(data=True) if d.get("kind") == "event" and d.get("start")]
    return (min(starts), max(ends)) if starts else None
