"""Queries: free functions over the MultiDiGraph that return plain dicts and lists.

Record layouts are those of the output files (events.jsonl, entities.jsonl,
relations.jsonl), so what a query returns can be written or compared as is.
Names are looked up alias-aware (:func:`entity_ids`); a name that matches no
entity, or several, raises :class:`EntityNotFound` / :class:`AmbiguousEntity`
rather than quietly returning nothing.

>>> import kg
>>> kg.query.entity(kg.load("out/").graph, "Blinken")["id"]   # doctest: +SKIP
'ent-antony-blinken'
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import deque
from collections.abc import Iterable

import networkx as nx

from .errors import InputError, KGError

AGENTIVE = {"agent", "speaker"}
PARTICIPANT_ROLES = {"agent", "recipient", "participant", "speaker", "addressee", "subject", "location"}
ROLE_ORDER = {"agent": 0, "speaker": 0, "recipient": 1, "addressee": 1, "participant": 2, "subject": 3,
              "location": 4}
# Event -> event links that say which came first: relation -> True when the edge's source comes first.
ORDER_LINKS = {"before": True, "causes": True, "after": False}
RECORD_KINDS = ("events", "entities", "relations")


class EntityNotFound(KGError, KeyError):
    """No entity has this name or alias; ``suggestions`` holds close names."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0])


class AmbiguousEntity(KGError, KeyError):
    """Several entities answer to this name; ``candidates`` holds their ids."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates

    def __str__(self) -> str:
        return str(self.args[0])


# lookups -----------------------------------------------------------------------------------
def _norm(s: str) -> str:
    return re.sub(r"[^\w ]+", "", str(s).lower().replace("’", "'").replace("'s", "")).strip()


def _entity_nodes(G: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    return [(n, d) for n, d in G.nodes(data=True) if d.get("kind") == "entity"]


def entity_ids(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Ids of the entities ``name`` may designate, best tier only (case and punctuation ignored).

    Tiers: the id itself; the name; an alias; every word of ``name`` in the name or an
    alias ("Qin" finds "Qin Gang"). Returns [] when nothing matches.

    >>> G = nx.MultiDiGraph(); G.add_node("ent-qin-gang", kind="entity", label="Qin Gang", aliases=["Qin"])
    >>> entity_ids(G, "qin"), entity_ids(G, "Gang"), entity_ids(G, "Wang")
    (['ent-qin-gang'], ['ent-qin-gang'], [])
    """
    if name in G and G.nodes[name].get("kind") == "entity":
        return [name]
    key = _norm(name)
    nodes = _entity_nodes(G)
    by_label = [n for n, d in nodes if key == _norm(d.get("label", ""))]
    if by_label:
        return sorted(by_label)
    by_alias = [n for n, d in nodes if key in {_norm(a) for a in d.get("aliases", [])}]
    if by_alias:
        return sorted(by_alias)
    words = set(key.split())
    return sorted(n for n, d in nodes if words and any(
        words <= set(_norm(s).split()) for s in [d.get("label", ""), *d.get("aliases", [])]))


def resolve_entity(G: nx.MultiDiGraph, name: str) -> str:
    """The one entity id ``name`` designates; raises EntityNotFound (with suggestions) or AmbiguousEntity.

    >>> G = nx.MultiDiGraph(); G.add_node("ent-qin-gang", kind="entity", label="Qin Gang", aliases=[])
    >>> resolve_entity(G, "Qin")
    'ent-qin-gang'
    """
    ids = entity_ids(G, name)
    if len(ids) == 1:
        return ids[0]
    if ids:
        labels = ", ".join(f"{G.nodes[i].get('label')} ({i})" for i in ids)
        raise AmbiguousEntity(f"{name!r} is ambiguous: {labels}; give the full name or the id", ids)
    suggestions = suggest(G, name)
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise EntityNotFound(f"no entity named {name!r}{hint}", suggestions)


def suggest(G: nx.MultiDiGraph, name: str, n: int = 3) -> list[str]:
    """Entity names close to ``name`` (typos, partial words), best first.

    >>> G = nx.MultiDiGraph(); G.add_node("ent-qin-gang", kind="entity", label="Qin Gang", aliases=[])
    >>> suggest(G, "Qin Gan")
    ['Qin Gang']
    """
    surfaces: dict[str, str] = {}  # normalised name or alias -> entity label
    for _, d in sorted(_entity_nodes(G)):
        for s in [d.get("label", ""), *d.get("aliases", [])]:
            surfaces.setdefault(_norm(s), d.get("label", ""))
    words = {w: label for s, label in surfaces.items() for w in s.split()}
    key = _norm(name)
    close = difflib.get_close_matches(key, list(surfaces), n=n, cutoff=0.7)
    close += [w for w in difflib.get_close_matches(key, list(words), n=n, cutoff=0.7)]
    labels = [surfaces.get(c) or words[c] for c in close]
    return list(dict.fromkeys(labels))[:n]


def entity(G: nx.MultiDiGraph, name: str) -> dict:
    """The entity record (entities.jsonl layout) of the one entity ``name`` designates.

    >>> G = nx.MultiDiGraph(); G.add_node("ent-qin-gang", kind="entity", label="Qin Gang", type="PERSON")
    >>> entity(G, "Qin Gang")["id"]
    'ent-qin-gang'
    """
    return entity_record(G, resolve_entity(G, name))


def entity_record(G: nx.MultiDiGraph, node: str) -> dict:
    """One entity node in the entities.jsonl layout.

    >>> G = nx.MultiDiGraph(); G.add_node("ent-a", kind="entity", label="A", type="ORG", aliases=["A"])
    >>> entity_record(G, "ent-a")
    {'id': 'ent-a', 'name': 'A', 'type': 'ORG', 'aliases': ['A'], 'mentions': 0, 'docs': []}
    """
    d = G.nodes[node]
    return {"id": node, "name": d.get("label"), "type": d.get("type"), "aliases": list(d.get("aliases", [])),
            "mentions": d.get("mentions", 0), "docs": list(d.get("docs", []))}


def entities(G: nx.MultiDiGraph, type: str | None = None) -> list[dict]:
    """Every entity record, sorted by id, optionally of one type (PERSON, ORG, GPE, ...).

    >>> entities(nx.MultiDiGraph())
    []
    """
    return [entity_record(G, n) for n, d in sorted(G.nodes(data=True))
            if d.get("kind") == "entity" and (type is None or d.get("type") == type)]


# events ------------------------------------------------------------------------------------
def participants(G: nx.MultiDiGraph, ev: str) -> list[dict]:
    """The participants of event ``ev``: agents/speakers first.

    >>> G = nx.MultiDiGraph(); G.add_node("a", kind="entity", label="A", type="GPE"); G.add_node("e", kind="event")
    >>> _ = G.add_edge("a", "e", relation="agent")
    >>> participants(G, "e")
    [{'id': 'a', 'name': 'A', 'type': 'GPE', 'role': 'agent'}]
    """
    nodes = G.nodes
    out = [(other, d["relation"]) for adj in (G.pred[ev], G.succ[ev]) for other, edges in adj.items()
           for d in edges.values() if d.get("relation") in PARTICIPANT_ROLES and nodes[other].get("kind") == "entity"]
    out.sort(key=lambda p: (ROLE_ORDER.get(p[1], 9), G.nodes[p[0]].get("label", "")))
    return [{"id": n, "name": G.nodes[n].get("label"), "type": G.nodes[n].get("type"), "role": role}
            for n, role in out]


# ``time`` object field -> the flattened node/edge attribute that holds it
TIME_ATTRS = {"text": "time_text", "value": "date", "start": "start", "end": "end", "granularity": "granularity"}


def time_record(d: dict) -> dict | None:
    """The ``time`` object of a node's or edge's flattened time attributes; None when it has none.

    >>> time_record({"date": "2023-02", "start": "2023-02-01", "end": "2023-02-28", "granularity": "month"})
    {'text': None, 'value': '2023-02', 'start': '2023-02-01', 'end': '2023-02-28', 'granularity': 'month'}
    """
    time = {field: d.get(attr) for field, attr in TIME_ATTRS.items()}
    return time if any(time[f] is not None for f in ("value", "start", "end", "text")) else None


def event_record(G: nx.MultiDiGraph, ev: str) -> dict:
    """One event in the events.jsonl layout.

    >>> G = nx.MultiDiGraph(); G.add_node("ev-1", kind="event", type="call", label="A calls B")
    >>> event_record(G, "ev-1")["label"], event_record(G, "ev-1")["time"]
    ('A calls B', None)
    """
    d = G.nodes[ev]
    return {"id": ev, "type": d.get("type"), "cameo": d.get("cameo"), "label": d.get("label"),
            "status": d.get("status"), "trigger": d.get("trigger"), "time": time_record(d),
            "participants": participants(G, ev), "location": d.get("location"), "quote": d.get("quote"),
            "sources": [dict(s) for s in d.get("sources", [])]}


def event_sort_key(rec: dict) -> tuple:
    """By start date then id; times that cannot be placed (``XXXX-06-16``) next, undated last.

    >>> event_sort_key({"id": "ev-1", "time": None})
    (True, '9999', 'ev-1')
    """
    t = rec["time"]
    return (t is None, (t or {}).get("start") or "9999", str(rec["id"]))


def date_bound(value, end: bool = False) -> str | None:
    """An ISO day from a date, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the first day, or the last when ``end``.

    >>> date_bound("2023-06"), date_bound("2023-02", end=True), date_bound("2024", end=True)
    ('2023-06-01', '2023-02-28', '2024-12-31')
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-12-31" if end else f"{text}-01-01"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            first = dt.date.fromisoformat(f"{text}-01")
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return (nxt - dt.timedelta(days=1)).isoformat() if end else first.isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise InputError(f"{value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")


def events(G: nx.MultiDiGraph, type: str | None = None, involving: str | None = None, between=None,
           status: str | None = None, source: str | None = None) -> list[dict]:
    """Event records (events.jsonl layout) by start date then id, filtered.

    ``involving`` an entity name, alias or id (unknown or ambiguous names raise);
    ``between`` a (start, end) pair of dates, ``YYYY``/``YYYY-MM`` allowed, either may
    be None, that the event's interval must overlap; ``source`` a document id.

    >>> events(nx.MultiDiGraph(), type="call")
    []
    """
    who = resolve_entity(G, involving) if involving else None
    lo, hi = (date_bound(between[0]), date_bound(between[1], end=True)) if between is not None else (None, None)
    out = []
    candidates = G.nodes(data=True) if who is None else ((n, G.nodes[n]) for n in sorted(_adjacent(G, who)))
    for n, d in candidates:
        if d.get("kind") != "event":
            continue
        if type and d.get("type") != type or status and d.get("status") != status:
            continue
        if source and not any(s.get("doc") == source for s in d.get("sources", [])):
            continue
        rec = event_record(G, n)
        if who is not None and who not in {p["id"] for p in rec["participants"]}:
            continue
        if between is not None and not _overlaps(rec["time"], lo, hi):
            continue
        out.append(rec)
    return sorted(out, key=event_sort_key)


def _adjacent(G: nx.MultiDiGraph, node: str) -> set[str]:
    """The nodes one edge away from ``node``, in either direction."""
    return set(G.pred[node]) | set(G.succ[node])


def _overlaps(time: dict | None, lo: str | None, hi: str | None) -> bool:
    if time is None or not time.get("start"):
        return False
    return time["start"] <= (hi or "9999") and (time.get("end") or time["start"]) >= (lo or "0000")


# the timeline ------------------------------------------------------------------------------
def _doc_order(attrs: dict) -> tuple:
    """Where an event is first reported: (document id, offset); events without a source sort last."""
    return min(((s.get("doc") or "", s.get("start") or 0) for s in attrs.get("sources") or [] if s),
               default=("\uffff", 0))


def _dated_key(node: str, attrs: dict) -> tuple:
    """Dated events: by start, end, then where they are first reported."""
    return (attrs["start"], attrs.get("end") or "", _doc_order(attrs), str(node))


def _links(G: nx.MultiDiGraph, ev: str) -> list[tuple[str, bool]]:
    """(other event, True when ``ev`` comes before it) for each ordering link of ``ev``, in a stable order."""
    out = [(other, ORDER_LINKS[d["relation"]] == outgoing, d["relation"])
           for adj, outgoing in ((G.succ[ev], True), (G.pred[ev], False)) for other, edges in adj.items()
           for d in edges.values() if d.get("relation") in ORDER_LINKS and G.nodes[other].get("kind") == "event"]
    return [(other, first) for other, first, _ in sorted(out, key=lambda x: (x[2], x[0]))]


def timeline_order(G: nx.MultiDiGraph) -> list[str]:
    """Every event id in time order.

    Dated events by start, end, then where they are first reported. An undated event is
    placed right before or after an event it is linked to (``before``, ``after``,
    ``causes``); the rest follow at the end in document order.

    >>> G = nx.MultiDiGraph(); G.add_node("d", kind="event", start="2023-01-01"); G.add_node("u", kind="event")
    >>> _ = G.add_edge("u", "d", relation="causes")
    >>> timeline_order(G)
    ['u', 'd']
    """
    evs = {n: d for n, d in G.nodes(data=True) if d.get("kind") == "event"}
    dated = sorted((n for n, d in evs.items() if d.get("start")), key=lambda n: _dated_key(n, evs[n]))
    placed = set(dated)
    pending = sorted((n for n in evs if n not in placed), key=lambda n: (_doc_order(evs[n]), str(n)))
    before: dict[str, list[str]] = {}  # event -> undated events placed right before it, in placing order
    after: dict[str, list[str]] = {}
    while pending:  # repeat: a chain of undated events is placed link by link
        waiting = []
        for ev in pending:
            anchor = next(((o, first) for o, first in _links(G, ev) if o in placed), None)
            if anchor is None:
                waiting.append(ev)
                continue
            (before if anchor[1] else after).setdefault(anchor[0], []).append(ev)
            placed.add(ev)
        if len(waiting) == len(pending):
            break
        pending = waiting
    return _unfold(dated + pending, before, after)


def _unfold(order: list[str], before: dict, after: dict) -> list[str]:
    """``order`` with each event's ``before`` list ahead of it and ``after`` list behind it, recursively."""
    out, stack = [], [(ev, False) for ev in reversed(order)]
    while stack:  # iterative: a long chain of linked events must not hit the recursion limit
        ev, ready = stack.pop()
        if ready:
            out.append(ev)
            continue
        stack.extend((u, False) for u in reversed(after.get(ev, [])))
        stack.append((ev, True))
        stack.extend((u, False) for u in reversed(before.get(ev, [])))
    return out


def timeline(G: nx.MultiDiGraph, involving: str | None = None) -> list[dict]:
    """Event records in time order (see :func:`timeline_order`), optionally those of one entity.

    >>> timeline(nx.MultiDiGraph())
    []
    """
    keep = {r["id"]: r for r in events(G, involving=involving)}
    if all(G.nodes[i].get("start") for i in keep):  # all dated: no need to place the whole graph's undated events
        return sorted(keep.values(), key=lambda r: _dated_key(r["id"], G.nodes[r["id"]]))
    return [keep[i] for i in timeline_order(G) if i in keep]


# relations ---------------------------------------------------------------------------------
def is_participant_edge(G: nx.MultiDiGraph, u, v, data: dict) -> bool:
    """True for a role edge between an event and an entity (written inside the event's record).

    >>> G = nx.MultiDiGraph(); G.add_node("a", kind="entity"); G.add_node("e", kind="event")
    >>> is_participant_edge(G, "a", "e", {"relation": "agent"})
    True
    """
    return data.get("relation") in PARTICIPANT_ROLES and {G.nodes[u].get("kind"), G.nodes[v].get("kind")} == {
        "event", "entity"}


def relation_records(G: nx.MultiDiGraph) -> list[dict]:
    """Every edge that is not an event participation, in the relations.jsonl layout, in a stable order.

    >>> G = nx.MultiDiGraph(); G.add_node("a", kind="entity"); G.add_node("b", kind="entity")
    >>> _ = G.add_edge("a", "b", relation="part_of", evidence=None)
    >>> relation_records(G)
    [{'source': 'a', 'relation': 'part_of', 'target': 'b', 'evidence': None}]
    """
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
    """What links entity ``a`` (to ``b``): direct relations first, then the events both take part in.

    Each record has ``kind`` (``relation``: the relations.jsonl layout; ``event``: the
    events.jsonl layout), events in timeline order. ``relation`` keeps relations of that
    name and events of that type (``holds_role``, ``call``, ...).

    >>> relations(nx.MultiDiGraph())
    []
    """
    ia = resolve_entity(G, a) if a else None
    ib = resolve_entity(G, b) if b else None
    out = []
    for r in relation_records(G):
        ends = {r["source"], r["target"]}
        if ia is not None and ia not in ends or ib is not None and ib not in ends:
            continue
        if relation and r["relation"] != relation:
            continue
        out.append({"kind": "relation", **r})
    if ia is not None:
        for rec in timeline(G, involving=ia):
            ids = {p["id"] for p in rec["participants"]}
            if (ib is None or ib in ids) and (not relation or rec["type"] == relation):
                out.append({"kind": "event", **rec})
    return out


def _entity_steps(G: nx.MultiDiGraph, node: str) -> set[str]:
    """Entities one step from ``node``: directly related, or taking part in an event with it."""
    out = set()
    for other in set(G.predecessors(node)) | set(G.successors(node)):
        kind = G.nodes[other].get("kind")
        if kind == "entity":
            out.add(other)
        elif kind == "event":
            out |= {p["id"] for p in participants(G, other)}
    out.discard(node)
    return out


def neighbors(G: nx.MultiDiGraph, name: str, depth: int = 1) -> list[dict]:
    """Entities within ``depth`` steps of ``name`` (a step: a direct relation or a shared event).

    Entity records with ``distance`` added, nearest first, then by name.

    >>> G = nx.MultiDiGraph(); G.add_node("a", kind="entity", label="A"); G.add_node("b", kind="entity", label="B")
    >>> _ = G.add_edge("a", "b", relation="member_of")
    >>> [(r["id"], r["distance"]) for r in neighbors(G, "A")]
    [('b', 1)]
    """
    start = resolve_entity(G, name)
    dist = {start: 0}
    frontier = [start]
    for step in range(1, max(0, int(depth)) + 1):
        nxt = []
        for node in frontier:
            for other in sorted(_entity_steps(G, node), key=str):
                if other not in dist:
                    dist[other] = step
                    nxt.append(other)
        frontier = nxt
    rows = [{**entity_record(G, n), "distance": d} for n, d in dist.items() if n != start]
    return sorted(rows, key=lambda r: (r["distance"], r["name"] or "", r["id"]))


def _node(G: nx.MultiDiGraph, name: str) -> str:
    """A node id: an event id as is, else the entity ``name`` designates."""
    if name in G and G.nodes[name].get("kind") == "event":
        return name
    return resolve_entity(G, name)


def _node_record(G: nx.MultiDiGraph, node: str) -> dict:
    if G.nodes[node].get("kind") == "event":
        return {"kind": "event", **event_record(G, node)}
    return {"kind": "entity", **entity_record(G, node)}


def path(G: nx.MultiDiGraph, a: str, b: str) -> list[dict]:
    """A shortest chain of entities and events from ``a`` to ``b`` (edges in either direction).

    Records with ``kind`` (entity or event) and ``via``: the relation of the edge from the
    previous record (None for the first). [] when they are not connected. Ties go to the
    smallest ids, so the answer does not depend on the order the graph was built in.

    >>> G = nx.MultiDiGraph(); G.add_node("a", kind="entity", label="A"); G.add_node("b", kind="entity", label="B")
    >>> _ = G.add_edge("a", "b", relation="member_of")
    >>> [(r["id"], r["via"]) for r in path(G, "A", "B")]
    [('a', None), ('b', 'member_of')]
    """
    src, dst = _node(G, a), _node(G, b)
    parent: dict[str, str | None] = {src: None}
    queue = deque([src])
    while queue and dst not in parent:
        node = queue.popleft()
        for other in sorted(_adjacent(G, node), key=str):
            if other not in parent:
                parent[other] = node
                queue.append(other)
    if dst not in parent:
        return []
    chain = [dst]
    while parent[chain[-1]] is not None:
        chain.append(parent[chain[-1]])
    chain.reverse()
    out = []
    for prev, node in zip([None, *chain], chain):
        via = None
        if prev is not None:
            rels = [*G.get_edge_data(prev, node, default={}).values(),
                    *G.get_edge_data(node, prev, default={}).values()]
            via = min(str(d.get("relation")) for d in rels)
        out.append({**_node_record(G, node), "via": via})
    return out


def subgraph(G: nx.MultiDiGraph, nodes: Iterable[str] | None = None, *, type: str | None = None,
             involving: str | None = None, between=None, status: str | None = None,
             source: str | None = None) -> nx.MultiDiGraph:
    """A slice of ``G`` (a new MultiDiGraph with the same attributes) that any exporter can write.

    ``nodes``: node ids or entity names to keep, exactly. Otherwise the events that match
    the filters of :func:`events`, their participants (and the entity ``involving``), with
    every edge among the kept nodes. No argument: a copy of the whole graph.

    >>> subgraph(nx.MultiDiGraph(), type="call").number_of_nodes()
    0
    """
    if nodes is not None:
        keep = {_node(G, n) for n in nodes}
    elif not any(x is not None for x in (type, involving, between, status, source)):
        keep = set(G)
    else:
        keep = set()
        for rec in events(G, type=type, involving=involving, between=between, status=status, source=source):
            keep |= {rec["id"], *(p["id"] for p in rec["participants"])}
        if involving:
            keep.add(resolve_entity(G, involving))
    return G.subgraph([n for n in G if n in keep]).copy()


# tables ------------------------------------------------------------------------------------
def _join(values: Iterable) -> str:
    return "; ".join(str(v) for v in values if v is not None)


def _flat_event(rec: dict) -> dict:
    t = rec["time"] or {}
    return {"id": rec["id"], "date": t.get("value"), "start": t.get("start"), "end": t.get("end"),
            "granularity": t.get("granularity"), "type": rec["type"], "cameo": rec["cameo"],
            "status": rec["status"], "label": rec["label"], "trigger": rec["trigger"],
            "participants": _join(f"{p['name']} ({p['role']})" for p in rec["participants"]),
            "location": rec["location"], "quote": rec["quote"], "n_sources": len(rec["sources"]),
            "docs": _join(dict.fromkeys(s["doc"] for s in rec["sources"]))}


def _flat_relation(G: nx.MultiDiGraph, row: dict) -> dict:
    ev, t = row.get("evidence") or {}, row.get("time") or {}
    extra = {k: v for k, v in row.items() if k not in ("source", "relation", "target", "time", "evidence")}
    return {"source": row["source"], "source_name": G.nodes[row["source"]].get("label"), "relation": row["relation"],
            "target": row["target"], "target_name": G.nodes[row["target"]].get("label"), **extra,
            "date": t.get("value"), "doc": ev.get("doc"), "sentence": ev.get("sentence"),
            "start": ev.get("start"), "end": ev.get("end")}


def to_records(G: nx.MultiDiGraph, kind: str = "events") -> list[dict]:
    """Flat rows (scalar values only; lists joined with ``; ``) for tables, CSV and DataFrames.

    ``kind``: ``events`` (timeline order), ``entities`` or ``relations``.

    >>> to_records(nx.MultiDiGraph(), "entities")
    []
    """
    if kind == "events":
        return [_flat_event(r) for r in timeline(G)]
    if kind == "entities":
        return [{**r, "aliases": _join(r["aliases"]), "docs": _join(r["docs"])} for r in entities(G)]
    if kind == "relations":
        return [_flat_relation(G, r) for r in relation_records(G)]
    raise KGError(f"unknown record kind {kind!r}; choose from {', '.join(RECORD_KINDS)}")


def to_dataframe(G: nx.MultiDiGraph, kind: str = "events"):
    """:func:`to_records` as a pandas DataFrame (pandas is optional: a clear error when it is missing).

    >>> to_dataframe(nx.MultiDiGraph(), "entities").empty   # doctest: +SKIP
    True
    """
    try:
        import pandas
    except ImportError as err:
        raise KGError("pandas is not installed; pip install pandas, or use to_records() for plain dicts") from err
    return pandas.DataFrame(to_records(G, kind))


def time_span(G: nx.MultiDiGraph) -> tuple[str, str] | None:
    """(first start, last end) over dated events, or None.

    >>> time_span(nx.MultiDiGraph()) is None
    True
    """
    starts = [d["start"] for _, d in G.nodes(data=True) if d.get("kind") == "event" and d.get("start")]
    ends = [d.get("end") or d["start"] for _, d in G.nodes(data=True) if d.get("kind") == "event" and d.get("start")]
    return (min(starts), max(ends)) if starts else None
