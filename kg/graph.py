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
from .errors import InputError
from .records import Entity, Event, Relation

AGENTIVE = {"agent", "speaker"}


def _source_dict(s) -> dict:
    return {"doc": s.doc, "sentence": s.sentence, "start": s.start, "end": s.end}


def build_graph(entities: Iterable[Entity], events: Iterable[Event], relations: Iterable[Relation],
                docs: Mapping[str, dict] | None = None, title: str = "kg-timeline") -> nx.MultiDiGraph:
    """The MultiDiGraph of DESIGN.md from resolved records (deterministic node and edge order).

    >>> build_graph([Entity("ent-a", "A", "ORG", ("A",), 1, ("d",))], [], []).nodes["ent-a"]["kind"]
    'entity'
    """
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
    """What ``kg.build`` and ``kg.load`` return: the graph plus query methods (thin wrappers of ``kg.query``).

    ``graph`` is the plain networkx.MultiDiGraph; ``doc_results`` the per-document
    mention records a build keeps so that it can be extended (None when the graph was
    loaded without them, e.g. from GraphML).

    >>> g = KnowledgeGraph(nx.MultiDiGraph())
    >>> g.events()
    []
    """

    def __init__(self, graph: nx.MultiDiGraph, doc_results: list | None = None):
        self.graph = graph
        self._doc_results = doc_results
        self.report = None
        self.source = None  # the folder or file it was loaded from

    def __repr__(self) -> str:
        return f"<KnowledgeGraph: {len(self.entities())} entities, {len(self.events())} events>"

    @property
    def doc_results(self) -> list:
        """The map-phase records of every document; InputError when the graph was loaded without them."""
        if self._doc_results is None:
            where = f" ({self.source})" if self.source else ""
            raise InputError(f"this graph{where} cannot be extended: it was loaded without its mention records "
                             f"(mentions.jsonl); build all the articles again with kg build ARTICLES... --out DIR")
        return self._doc_results

    @doc_results.setter
    def doc_results(self, results: list | None) -> None:
        self._doc_results = results

    @property
    def extendable(self) -> bool:
        """True when ``kg.build(new, into=self)`` can extend this graph."""
        return self._doc_results is not None

    # queries ------------------------------------------------------------------------------
    def entity(self, name: str) -> dict:
        """The entity record named ``name`` or one of its aliases; AmbiguousEntity lists the candidates.

        >>> g.entity("Secretary Blinken")["id"]   # doctest: +SKIP
        'ent-antony-blinken'
        """
        return Q.entity(self.graph, name)

    def entities(self, type: str | None = None) -> list[dict]:
        """Entity records (entities.jsonl layout) sorted by id, optionally of one type.

        >>> [e["name"] for e in g.entities(type="PERSON")][:2]   # doctest: +SKIP
        ['Antony Blinken', 'Daniel Kritenbrink']
        """
        return Q.entities(self.graph, type=type)

    def events(self, type: str | None = None, involving: str | None = None, between=None,
               status: str | None = None, source: str | None = None) -> list[dict]:
        """Event records (events.jsonl layout) filtered by type, participant, dates, status, document.

        >>> g.events(type="call", involving="Blinken", between=("2023-06", "2023-06"))   # doctest: +SKIP
        """
        return Q.events(self.graph, type=type, involving=involving, between=between, status=status, source=source)

    def timeline(self, involving: str | None = None) -> list[dict]:
        """Events in time order; undated ones placed by their before/after links, then document order.

        >>> [e["time"]["value"] for e in g.timeline(involving="Blinken") if e["time"]][:2]   # doctest: +SKIP
        ['2023-02', '2023-06-14']
        """
        return Q.timeline(self.graph, involving=involving)

    def relations(self, a: str | None = None, b: str | None = None, relation: str | None = None) -> list[dict]:
        """Direct relations of entity ``a`` (with ``b``), then the events both take part in (``kind`` says which).

        >>> [r.get("type") or r["relation"] for r in g.relations("Blinken", "Qin")]   # doctest: +SKIP
        ['counterpart_of', 'call', 'statement']
        """
        return Q.relations(self.graph, a, b, relation=relation)

    def neighbors(self, entity: str, depth: int = 1) -> list[dict]:
        """Entities within ``depth`` steps (direct relation or shared event), with their ``distance``.

        >>> [n["name"] for n in g.neighbors("Qin Gang")][:1]   # doctest: +SKIP
        ['Antony Blinken']
        """
        return Q.neighbors(self.graph, entity, depth=depth)

    def path(self, a: str, b: str) -> list[dict]:
        """A shortest chain of entities and events from ``a`` to ``b``; [] when unconnected.

        >>> [r["label"] if r["kind"] == "event" else r["name"] for r in g.path("Blinken", "Qin")]  # doctest: +SKIP
        ['Antony Blinken', 'Antony Blinken calls Qin Gang', 'Qin Gang']
        """
        return Q.path(self.graph, a, b)

    def subgraph(self, nodes: Iterable[str] | None = None, **filters) -> "KnowledgeGraph":
        """A slice (nodes, or the events matching ``events()`` filters and their participants) to write or query.

        >>> g.subgraph(involving="Blinken").write("blinken/")   # doctest: +SKIP
        """
        return KnowledgeGraph(Q.subgraph(self.graph, nodes, **filters))

    def to_records(self, kind: str = "events") -> list[dict]:
        """Flat rows (scalars only) of ``events`` (timeline order), ``entities`` or ``relations``.

        >>> g.to_records()[0]["date"]   # doctest: +SKIP
        '2022'
        """
        return Q.to_records(self.graph, kind)

    def to_dataframe(self, kind: str = "events"):
        """:meth:`to_records` as a pandas DataFrame (needs pandas).

        >>> g.to_dataframe("entities").shape   # doctest: +SKIP
        """
        return Q.to_dataframe(self.graph, kind)

    def relation_records(self) -> list[dict]:
        """Every non-participant relation (relations.jsonl layout).

        >>> KnowledgeGraph(nx.MultiDiGraph()).relation_records()
        []
        """
        return Q.relation_records(self.graph)

    def time_span(self) -> tuple[str, str] | None:
        """The first and last dates of the dated events.

        >>> g.time_span()   # doctest: +SKIP
        ('2022-01-01', '2023-06-21')
        """
        return Q.time_span(self.graph)

    # output -------------------------------------------------------------------------------
    def write(self, out_dir: str | Path, formats: Iterable[str] | None = None) -> list[Path]:
        """Write graph.html, graph.graphml, graph.gexf and the JSONL files to ``out_dir``.

        With the JSONL files goes ``mentions.jsonl`` (when the graph has its mention records),
        written first: ``kg.load`` and ``kg build --into`` read it to extend the build.

        >>> g.write("out/")   # doctest: +SKIP
        """
        from exporters import EXPORTERS, write_all

        chosen = None if formats is None else list(formats)
        written = []
        known = chosen is None or all(f in EXPORTERS for f in chosen)  # else write_all names the bad one first
        if known and (chosen is None or "jsonl" in chosen):
            from .store import MENTIONS_FILE, write_mentions

            if self._doc_results is not None:
                written.append(write_mentions(self._doc_results, out_dir))
            else:  # a stale file would make kg.load and --into read documents this graph does not hold
                (Path(out_dir) / MENTIONS_FILE).unlink(missing_ok=True)
        return write_all(self.graph, out_dir, formats=chosen) + written


__all__ = ["KnowledgeGraph", "build_graph"]
