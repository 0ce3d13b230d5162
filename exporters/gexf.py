"""GEXF 1.3 export for Gephi: dynamic mode so the timeline plays the story, viz colours and sizes.

Event nodes carry their ``start``/``end`` dates as a spell, and so do the edges that touch them
(or that carry their own dates), so Gephi's timeline shows events appear in order. Entities have
no spell: they are present throughout. Lists and dicts are flattened like GraphML's.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx

from . import _style
from ._io import PathOrFile, flatten, is_file, target_path, unique_edge_ids, write_text, xml_safe

FILENAME = "graph.gexf"
NS = "http://gexf.net/1.3"
NS_VIZ = "http://gexf.net/1.3/viz"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
# Attributes that become XML attributes of the element rather than attvalues.
_SPELL = ("start", "end")
_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _values(data: dict[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    """Flattened, XML-safe attribute values (None dropped)."""
    out = {}
    for name, value in data.items():
        if name in skip or value is None:
            continue
        scalar = flatten(value)[0]
        out[name] = xml_safe(scalar) if isinstance(scalar, str) else scalar
    return out


def _declare(rows: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Attribute id and GEXF type per name: one type per attribute, mixed ones become strings."""
    types: dict[str, set[type]] = {}
    for row in rows:
        for name, value in row.items():
            types.setdefault(name, set()).add(type(value))
    decl = {}
    for i, name in enumerate(sorted(types)):
        kinds = types[name]
        kind = kinds.pop() if len(kinds) == 1 else (float if kinds <= {int, float} else str)
        decl[name] = (str(i), _XML_TYPES.get(kind, "string"))
    return decl


def _attributes_element(cls: str, decl: dict[str, tuple[str, str]]) -> ET.Element:
    """The ``<attributes class=...>`` declaration block."""
    block = ET.Element("attributes", {"class": cls, "mode": "static"})
    for name, (ident, kind) in decl.items():
        ET.SubElement(block, "attribute", {"id": ident, "title": name, "type": kind})
    return block


def _attvalues(parent: ET.Element, row: dict[str, Any], decl: dict[str, tuple[str, str]]) -> None:
    """Append ``<attvalues>`` for one node or edge."""
    if not row:
        return
    values = ET.SubElement(parent, "attvalues")
    for name, value in row.items():
        ident, kind = decl[name]
        text = str(value).lower() if kind == "boolean" else str(value)
        ET.SubElement(values, "attvalue", {"for": ident, "value": text})


def _spell(data: dict[str, Any]) -> dict[str, str]:
    """``start``/``end`` XML attributes from ISO dates (an open end repeats the start)."""
    start, end = data.get("start"), data.get("end")
    if not start and not end:
        return {}
    return {"start": str(start or end)[:10], "end": str(end or start)[:10]}


def _edge_spell(G: nx.MultiDiGraph, u: Any, v: Any, data: dict[str, Any]) -> dict[str, str]:
    """An edge's own dates, else those of the event it touches."""
    own = _spell(data)
    if own:
        return own
    for node in (u, v):
        if G.nodes[node].get("kind") == "event":
            found = _spell(G.nodes[node])
            if found:
                return found
    return {}


def _viz(parent: ET.Element, data: dict[str, Any], degree: int) -> None:
    """viz:color and viz:size for one node."""
    r, g, b = _style.rgb(_style.node_color(data))
    ET.SubElement(parent, f"{{{NS_VIZ}}}color", {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
    ET.SubElement(parent, f"{{{NS_VIZ}}}size", {"value": str(_style.node_size(data, degree))})


def gexf_tree(G: nx.MultiDiGraph) -> ET.Element:
    """The GEXF document for ``G`` as an ElementTree root."""
    ET.register_namespace("", NS)
    ET.register_namespace("viz", NS_VIZ)
    ET.register_namespace("xsi", NS_XSI)
    root = ET.Element(f"{{{NS}}}gexf", {"version": "1.3", f"{{{NS_XSI}}}schemaLocation": SCHEMA})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "kg-timeline"
    ET.SubElement(meta, "description").text = xml_safe(str(G.graph.get("title", "kg-timeline")))
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date"})

    node_rows = {n: _values(d, ("label",) + _SPELL) for n, d in G.nodes(data=True)}
    edge_rows = {(u, v, k): _values(d, _SPELL) for u, v, k, d in G.edges(keys=True, data=True)}
    node_decl, edge_decl = _declare(list(node_rows.values())), _declare(list(edge_rows.values()))
    graph.append(_attributes_element("node", node_decl))
    graph.append(_attributes_element("edge", edge_decl))

    degree = dict(G.degree())
    nodes = ET.SubElement(graph, "nodes")
    for node, data in G.nodes(data=True):
        attrs = {"id": xml_safe(str(node)), "label": xml_safe(str(data.get("label", node)))}
        el = ET.SubElement(nodes, "node", {**attrs, **_spell(data)})
        _attvalues(el, node_rows[node], node_decl)
        _viz(el, data, degree[node])

    ids = unique_edge_ids(G)
    edges = ET.SubElement(graph, "edges")
    for u, v, k, data in G.edges(keys=True, data=True):
        attrs = {"id": ids[u, v, k], "source": xml_safe(str(u)), "target": xml_safe(str(v)), "weight": "1.0"}
        if data.get("relation"):
            # GEXF 1.3's edge kind: Gephi keeps parallel edges of different kinds apart instead of merging them
            attrs["label"] = attrs["kind"] = xml_safe(str(data["relation"]))
        el = ET.SubElement(edges, "edge", {**attrs, **_edge_spell(G, u, v, data)})
        _attvalues(el, edge_rows[u, v, k], edge_decl)
    return root


def to_gexf(G: nx.MultiDiGraph) -> str:
    """The GEXF 1.3 document for ``G`` as a string."""
    root = gexf_tree(G)
    ET.indent(root)
    return "<?xml version='1.0' encoding='utf-8'?>\n" + ET.tostring(root, encoding="unicode") + "\n"


def write_gexf(G: nx.MultiDiGraph, path_or_dir: PathOrFile) -> None:
    """Write ``G`` as GEXF to a file object, a file path, or ``graph.gexf`` in a folder (atomically)."""
    target = path_or_dir if is_file(path_or_dir) else target_path(path_or_dir, FILENAME)
    write_text(to_gexf(G), target)
