"""The knowledge graph: a plain ``networkx.MultiDiGraph`` and a thin, friendly face over it.

Nodes are entities and events (``kind``); edges carry ``relation`` and
``evidence``. Participant edges run agent/speaker -> event -> other roles, so
"Blinken -agent-> call -recipient-> Qin Gang" reads as a sentence.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx

from . import query as Q
from .records import Entity, Event, Relation

AGENTIVE = {"agent", "speaker"}


def _source_dict(s) -> dict:
    return {"doc": s.doc, "sentence": s.sentence, "start": s.start, "end": s.end}


def build_graph(entities: Iterable[Entity], events: Iterable[Event], relations: Iterable[Relation],
                docs: Mapping[str, dict] | None = None, title: str = "kg-timeline") -> nx.MultiDiGraph:
    """The MultiDiGraph of DESIGN.md from resolved records (deterministic node and edge order)."""
    G = nx.MultiDiGraph(title=title)
    if docs:
        G.graph["documents"] = dict(sorted(docs.items()))
    for e in sorted(entities, key=lambda e: e.id):
        G.add_node(e.id, kind="entity", label=e.name, type=e.type, aliases=list(e.aliases),
                   mentions=e.mentions, docs=list(e.docs))
    n = 0
    for ev in sorted(events, key=lambda e: e.id):
        t = ev.time
        attrs = dict(kind="event", label=ev.label, type=ev.type, cameo=ev.cameo, status=ev.status,
                     trigger=ev.trigger, date=t.value if t else None, start=t.start_date if t else None,
                     end=t.end_date if t else None, granularity=t.granularity if t else None,
                     time_text=t.text if t else None, n_sources=len(ev.sources),
                     sources=[_source_dict(s) for s in ev.sources], location=ev.location, quote=ev.quote)
        G.add_node(ev.id, **{k: v for k, v in attrs.items() if v is not None})
        evidence = _source_dict(ev.sources[0]) if ev.sources else None
        for p in ev.participants:
            if p.id not in G:
                continue
            u, v = (p.id, ev.id) if p.role in AGENTIVE else (ev.id, p.id)
            n += 1
            G.add_edge(u, v, key=f"e{n}", relation=p.role, evidence=evidence)
    for r in relations:
        if r.source not in G or r.target not in G:
            continue
        n += 1
        attrs = dict(relation=r.relation, evidence=_source_dict(r.evidence), **dict(r.attrs))
        if r.time is not None:
            attrs.update(time_text=r.time.text, date=r.time.value, start=r.time.start_date,
                         end=r.time.end_date, granularity=r.time.granularity)
        G.add_edge(r.source, r.target, key=f"e{n}", **{k: v for k, v in attrs.items() if v is not None})
    return G


class KnowledgeGraph:
    """What ``kg.build`` returns: the graph plus query methods (thin wrappers of ``kg.query``).

    >>> g = KnowledgeGraph(nx.MultiDiGraph())
    >>> g.events()
    []
    """

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self.doc_results = []  # the map-phase records, kept so that a build can be extended
        self.report = None

    def __repr__(self) -> str:
        return f"<KnowledgeGraph: {len(self.entities())} entities, {len(self.events())} events>"

    # queries ------------------------------------------------------------------------------
    def entity(self, name: str) -> dict:
        """The entity record named ``name`` (or one of its aliases); ambiguous names raise KeyError."""
        return Q.entity(self.graph, name)

    def entities(self, type: str | None = None) -> list[dict]:
        """Entity records (entities.jsonl layout), optionally of one type."""
        return Q.entities(self.graph, type=type)

    def events(self, type: str | None = None, involving: str | None = None, between=None,
               status: str | None = None, source: str | None = None) -> list[dict]:
        """Event records (events.jsonl layout) filtered by type, participant, date range, status, document."""
        return Q.events(self.graph, type=type, involving=involving, between=between, status=status, source=source)

    def timeline(self, involving: str | None = None) -> list[dict]:
        """Events in time order (undated last)."""
        return Q.timeline(self.graph, involving=involving)

    def relations(self, a: str | None = None, b: str | None = None, relation: str | None = None) -> list[dict]:
        """Relations and connecting events between entities ``a`` and ``b`` (or all of ``a``'s)."""
        return Q.relations(self.graph, a, b, relation=relation)

    def relation_records(self) -> list[dict]:
        """Every non-participant relation (relations.jsonl layout)."""
        return Q.relation_records(self.graph)

    def time_span(self) -> tuple[str, str] | None:
        """The first and last dates of the dated events."""
        return Q.time_span(self.graph)

    # output -------------------------------------------------------------------------------
    def write(self, out_dir: str | Path, formats: Iterable[str] | None = None) -> list[Path]:
        """Write graph.html, graph.graphml, graph.gexf and the JSONL files to ``out_dir``."""
        from exporters import write_all

        return write_all(self.graph, out_dir, formats=formats)


__all__ = ["KnowledgeGraph", "build_graph"]
