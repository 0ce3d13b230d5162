"""GraphML export for Gephi, yEd and igraph, with a reader that restores the exact graph.

GraphML holds scalars only, so list and dict attributes are flattened here, at the file
boundary, and a graph-level ``kg_encoding`` attribute records how, for :func:`read_graphml`.
Gephi reads the node attributes ``r``, ``g``, ``b`` and ``size`` as colour and size.

Three files: ``graph.graphml`` is the graph itself, parallel edges included (it round-trips);
``graph-merged.graphml`` has the same nodes and one edge per ordered pair with ``weight`` and
``count``, because Gephi merges parallel edges on import and keeps only one edge's attributes;
``graph-entities.graphml`` is the entity-only projection for network analysis.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

import networkx as nx

from . import _style
from ._io import (LIST_SEP, PathOrFile, flatten, is_file, read_text, target_path, unflatten, unique_edge_ids,
                  write_text, xml_safe)

FILENAME = "graph.graphml"
MERGED_FILENAME = "graph-merged.graphml"
ENTITIES_FILENAME = "graph-entities.graphml"
ENCODING_ATTR = "kg_encoding"
VIZ_ATTRS = ("r", "g", "b", "size")


def _scalar(value: Any) -> Any:
    """An XML-safe scalar: strings lose invalid control characters, other scalars pass."""
    return xml_safe(value) if isinstance(value, str) else value


def _flatten_attrs(items: Iterable[tuple[Any, dict]], domain: str, encoding: dict) -> dict[Any, dict]:
    """Flatten each attribute dict, recording non-plain encodings in ``encoding[domain]``."""
    out: dict[Any, dict] = {}
    for ident, data in items:
        flat: dict[str, Any] = {}
        for name, value in data.items():
            if value is None:  # None is written as a missing attribute
                continue
            scalar, how = flatten(value)
            if how != "plain":
                encoding.setdefault(domain, {})[name] = how
            flat[name] = _scalar(scalar)
        out[ident] = flat
    return out


def _unify_types(records: Iterable[dict]) -> None:
    """Give every attribute one declared type: ints widen to float, anything mixed with str becomes str."""
    records = list(records)
    kinds: dict[str, set[type]] = {}
    for data in records:
        for name, value in data.items():
            kinds.setdefault(name, set()).add(type(value))
    for name, types in kinds.items():
        if len(types) < 2:
            continue
        cast = float if types <= {int, float} else str
        for data in records:
            if name in data:
                data[name] = cast(data[name])


def flat_graph(G: nx.MultiDiGraph, viz: bool = True) -> nx.MultiDiGraph:
    """A copy of ``G`` with scalar attributes only, unique string edge keys and Gephi colours."""
    encoding: dict[str, Any] = {}
    nodes = _flatten_attrs(G.nodes(data=True), "node", encoding)
    edge_ids = unique_edge_ids(G)
    edges = _flatten_attrs((((u, v, k), d) for u, v, k, d in G.edges(keys=True, data=True)), "edge", encoding)
    graph = _flatten_attrs([("graph", {k: v for k, v in G.graph.items() if k != ENCODING_ATTR})], "graph", encoding)
    if viz:
        added = [a for a in VIZ_ATTRS if not any(a in d for d in nodes.values())]
        degree = dict(G.degree())
        for node, data in nodes.items():
            r, g, b = _style.rgb(_style.node_color(G.nodes[node]))
            extra = {"r": r, "g": g, "b": b, "size": float(_style.node_size(G.nodes[node], degree[node]))}
            data.update({a: extra[a] for a in added})
        if added:
            encoding["viz"] = added
    _unify_types(nodes.values())
    _unify_types(edges.values())
    H = nx.MultiDiGraph(**graph["graph"])
    if encoding:
        H.graph[ENCODING_ATTR] = json.dumps(encoding, sort_keys=True)
    H.add_nodes_from((xml_safe(str(n)), d) for n, d in nodes.items())
    H.add_edges_from((xml_safe(str(u)), xml_safe(str(v)), edge_ids[u, v, k], d) for (u, v, k), d in edges.items())
    return H


def to_graphml(G: nx.MultiDiGraph) -> str:
    """The GraphML document for ``G`` as a string (UTF-8 XML with declared attribute types)."""
    lines = list(nx.generate_graphml(flat_graph(G)))
    if not lines[0].startswith("<?xml"):
        lines.insert(0, "<?xml version='1.0' encoding='utf-8'?>")
    return "\n".join(lines) + "\n"


def write_graphml(G: nx.MultiDiGraph, path_or_dir: PathOrFile) -> None:
    """Write ``G`` as GraphML to a file object, a file path, or ``graph.graphml`` in a folder (atomically)."""
    target = path_or_dir if is_file(path_or_dir) else target_path(path_or_dir, FILENAME)
    write_text(to_graphml(G), target)


def _restore(data: dict, encoding: dict[str, str], drop: Iterable[str] = ()) -> dict:
    """Undo :func:`flatten` on one attribute dict and drop attributes the writer added."""
    for name in drop:
        data.pop(name, None)
    for name, how in encoding.items():
        if name in data:
            data[name] = unflatten(data[name], how)
    return data


def from_graphml(text: str) -> nx.MultiDiGraph:
    """Parse a GraphML string written by :func:`to_graphml` back into the original graph."""
    H = nx.parse_graphml(text, node_type=str, edge_key_type=str, force_multigraph=True)
    G = nx.MultiDiGraph(H) if not isinstance(H, nx.MultiDiGraph) else H
    for name in ("node_default", "edge_default"):  # the networkx reader adds these, empty
        if not G.graph.get(name):
            G.graph.pop(name, None)
    encoding = json.loads(G.graph.pop(ENCODING_ATTR, "{}"))
    _restore(G.graph, encoding.get("graph", {}))
    for _, data in G.nodes(data=True):
        _restore(data, encoding.get("node", {}), encoding.get("viz", ()))
    for _, _, data in G.edges(data=True):
        _restore(data, encoding.get("edge", {}))
    return G


def read_graphml(path_or_file: PathOrFile) -> nx.MultiDiGraph:
    """Load a GraphML file written by :func:`write_graphml`, restoring lists and dicts."""
    return from_graphml(read_text(path_or_file))


def merged_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """``G`` with one edge per ordered pair, for Gephi, which merges parallel edges on import.

    Each edge has ``weight`` and ``count`` (how many parallel edges), ``relation`` (their relations,
    ``|``-joined in order, each once) and ``edges`` (their keys in ``G``).
    """
    H = nx.DiGraph(**{k: v for k, v in G.graph.items() if k != "documents"})
    H.add_nodes_from(G.nodes(data=True))
    for u, v, k, data in G.edges(keys=True, data=True):
        if H.has_edge(u, v):
            agg = H.edges[u, v]
            agg["count"] += 1
            agg["weight"] = float(agg["count"])
            agg["edges"].append(str(k))
            if data.get("relation") not in agg["relations"]:
                agg["relations"].append(data.get("relation"))
        else:
            H.add_edge(u, v, count=1, weight=1.0, edges=[str(k)], relations=[data.get("relation")])
    for _, _, agg in H.edges(data=True):
        agg["relation"] = LIST_SEP.join(str(r) for r in agg.pop("relations"))
    return H


def entity_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The entity-only projection: entities linked by the events they share.

    An edge's ``weight`` and ``count`` are the number of shared events; ``event_types`` lists their
    types (each once, sorted), ``events`` their ids, ``start``/``end`` the first and last dates.
    Only participants count: a wire agency credited for the report (``source_agency``) shares no event.
    """
    from kg.query import is_participant_edge
    H = nx.Graph(**{k: v for k, v in G.graph.items() if k != "documents"})
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") != "event")
    for ev, data in G.nodes(data=True):
        if data.get("kind") != "event":
            continue
        people = sorted({str(v if u == ev else u)
                         for u, v, d in (*G.in_edges(ev, data=True), *G.out_edges(ev, data=True))
                         if is_participant_edge(G, u, v, d)})
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                if not H.has_edge(a, b):
                    H.add_edge(a, b, count=0, events=[], event_types=[], dates=[])
                agg = H.edges[a, b]
                agg["count"] += 1
                agg["events"].append(str(ev))
                agg["event_types"].append(str(data.get("type")))
                agg["dates"] += [d for d in (data.get("start"), data.get("end")) if d]
    for _, _, agg in H.edges(data=True):
        dates = agg.pop("dates")
        agg.update(weight=float(agg["count"]), events=sorted(agg["events"]),
                   event_types=sorted(set(agg["event_types"])))
        if dates:
            agg.update(start=min(dates), end=max(dates))
    return H


def _simple_graphml(H: nx.Graph) -> str:
    """GraphML for a derived (simple) graph: scalars only, lists ``|``-joined, Gephi colours and sizes."""
    encoding: dict[str, Any] = {}
    nodes = _flatten_attrs(H.nodes(data=True), "node", encoding)
    edges = _flatten_attrs((((u, v), d) for u, v, d in H.edges(data=True)), "edge", encoding)
    degree = dict(H.degree())
    for node, data in nodes.items():
        r, g, b = _style.rgb(_style.node_color(H.nodes[node]))
        data.update(r=r, g=g, b=b, size=float(_style.node_size(H.nodes[node], degree[node])))
    _unify_types(nodes.values())
    _unify_types(edges.values())
    flat = H.__class__(**_flatten_attrs([("graph", dict(H.graph))], "graph", {})["graph"])
    flat.add_nodes_from((xml_safe(str(n)), d) for n, d in nodes.items())
    flat.add_edges_from((xml_safe(str(u)), xml_safe(str(v)), d) for (u, v), d in edges.items())
    lines = list(nx.generate_graphml(flat))
    if not lines[0].startswith("<?xml"):
        lines.insert(0, "<?xml version='1.0' encoding='utf-8'?>")
    return "\n".join(lines) + "\n"


def to_merged_graphml(G: nx.MultiDiGraph) -> str:
    """graph-merged.graphml as a string: :func:`merged_graph` for Gephi (no parallel edges to merge)."""
    return _simple_graphml(merged_graph(G))


def to_entity_graphml(G: nx.MultiDiGraph) -> str:
    """graph-entities.graphml as a string: :func:`entity_graph`, undirected and weighted."""
    return _simple_graphml(entity_graph(G))


def write_merged_graphml(G: nx.MultiDiGraph, path_or_dir: PathOrFile) -> None:
    """Write graph-merged.graphml (to a file object, a file path, or into a folder) atomically."""
    target = path_or_dir if is_file(path_or_dir) else target_path(path_or_dir, MERGED_FILENAME)
    write_text(to_merged_graphml(G), target)


def write_entity_graphml(G: nx.MultiDiGraph, path_or_dir: PathOrFile) -> None:
    """Write graph-entities.graphml (to a file object, a file path, or into a folder) atomically."""
    target = path_or_dir if is_file(path_or_dir) else target_path(path_or_dir, ENTITIES_FILENAME)
    write_text(to_entity_graphml(G), target)
