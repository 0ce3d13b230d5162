"""GraphML export for Gephi, yEd and igraph, with a reader that restores the exact graph.

GraphML holds scalars only, so list and dict attributes are flattened here, at the file
boundary, and a graph-level ``kg_encoding`` attribute records how, for :func:`read_graphml`.
Gephi reads the node attributes ``r``, ``g``, ``b`` and ``size`` as colour and size.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

import networkx as nx

from . import _style
from ._io import (PathOrFile, flatten, is_file, read_text, target_path, unflatten, unique_edge_ids, write_text,
                  xml_safe)

FILENAME = "graph.graphml"
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
