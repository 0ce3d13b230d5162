"""graph.html: one self-contained, offline page with the network (pyvis / vis-network) and a timeline.

The page is a fixed template (``static/page.html``, ``page.css``, ``page.js``) plus the inlined
libraries: vis-network from the pyvis package (what ``cdn_resources="in_line"`` inlines) and the
vendored vis-timeline build. Every string from an article travels only inside one
``<script type="application/json">`` block, escaped so it can never close the block, and the page
script puts it on screen with ``textContent`` only.

Big graphs: above LAYOUT_THRESHOLD nodes the layout is computed here (numpy) and the browser's
physics is off; node styles live in one vis-network group per kind and type, so a node is a few
fields; above MAX_NODES the page holds a slice (:func:`slice_graph`) and says so.
"""
from __future__ import annotations

import datetime as _dt
import html as _html
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from pyvis.network import Network
from pyvis.node import Node
from pyvis.edge import Edge

from . import _style
from ._io import PathOrFile, is_file, target_path, write_text
from kg.query import PARTICIPANT_ROLES as ROLES

from .jsonl import event_records

if TYPE_CHECKING:
    import numpy as np

FILENAME = "graph.html"
STATIC = Path(__file__).resolve().parent / "static"
# Above this many nodes the layout is computed in Python and physics is off: the browser's force
# layout of 1,000 nodes takes seconds before the first frame, a 60-node story a fraction of one.
LAYOUT_THRESHOLD = 500
CHEAP_LAYOUT_THRESHOLD = 5000  # above this, even a short force layout is too slow in Python
# The most the page holds and still opens in a few seconds (benchmarks/bench_html.py); bigger graphs
# are shown as a slice: the best-connected entities and their events.
MAX_NODES = 20000
_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", re.M)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
# Timeline item classes (page.css): not-yet or not-as-reported events are dashed, called-off ones faded.
_STATUS_CLASSES = {"planned": "kg-dashed", "postponed": "kg-dashed", "hypothetical": "kg-dashed",
                   "cancelled": "kg-faded", "negated": "kg-faded"}
EDGE_COLORS = {"participant": "#a3b1c2", "event_link": "#f59e0b", "affiliation": "#7c8ba1", "provenance": "#cbd5e1"}
# Edges that say where a report came from, not who took part: a wire agency credited by many articles
# would otherwise pull every event into one hub, so they are drawn faint and left out of the physics.
PROVENANCE = frozenset({"source_agency"})


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` or U+2028/9 left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


@lru_cache(maxsize=None)
def _asset(path: str) -> str:
    """A library or template file's text, source-map comments removed (a browser could fetch them)."""
    text = Path(path).read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("", text)
    # Inlined code must not end its own <script>/<style> element early.
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.I)


def vis_network_js() -> Path:
    """The vis-network build that pyvis inlines for ``cdn_resources="in_line"`` (newest bundled version).

    Its stylesheet is left out: it only styles the navigation, manipulation and configurator
    widgets and the built-in tooltip, none of which the page uses (saves 220 kB).
    """
    import pyvis

    libs = sorted((Path(pyvis.__file__).parent / "templates" / "lib").glob("vis-*/vis-network.min.js"),
                  key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)])
    return libs[-1]


def _when(data: dict[str, Any]) -> str:
    """A short date for node labels: ``14 Jun 2023`` for days, ``Feb 2023`` for months, else the value."""
    start, gran = data.get("start"), data.get("granularity")
    try:
        day = _dt.date.fromisoformat(str(start)[:10]) if start else None
    except ValueError:
        day = None
    if day and gran in (None, "day"):
        return f"{day.day} {day:%b %Y}"
    if day and gran == "month":
        return f"{day:%b %Y}"
    return str(data.get("date") or start or "")


def _node_label(data: dict[str, Any]) -> str:
    """Entities show their name; events their type and date (the full label is in the tooltip)."""
    if data.get("kind") != "event":
        return str(data.get("label", ""))
    when = _when(data)
    return f"{data.get('type', 'event')}\n{when}" if when else str(data.get("type", "event"))


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = _style.rgb(hex_color)
    return f"rgba({r},{g},{b},{alpha})"


def _group(data: dict[str, Any]) -> str:
    """The vis-network group of a node: its kind and type, e.g. ``entity:PERSON`` or ``event:call``."""
    return f"{data.get('kind', 'entity')}:{data.get('type')}"


def _group_style(data: dict[str, Any]) -> dict[str, Any]:
    """Shape, colour and font shared by every node of one group (kept out of the nodes: 20k nodes, one style)."""
    color = _style.node_color(data)
    event = data.get("kind") == "event"
    return {"shape": _style.node_shape(data), "borderWidth": 2 if event else 1,
            "color": {"background": color, "border": color, "highlight": {"background": color, "border": "#0f172a"},
                      "hover": {"background": color, "border": "#0f172a"}},
            "font": {"size": 13 if event else 16, "color": "#1e293b", "strokeWidth": 3, "strokeColor": "#ffffff"}}


def _vis_node(node: Any, data: dict[str, Any], degree: int) -> dict[str, Any]:
    """One vis-network node: id, label, group and size; not-yet or called-off events get a dashed or faded look."""
    opts: dict[str, Any] = {"group": _group(data), "size": _style.node_size(data, degree)}
    status = data.get("status")
    if status in ("cancelled", "negated"):
        color = _style.node_color(data)
        opts["color"] = {"background": _rgba(color, 0.35), "border": color}
    if status not in (None, "occurred"):
        opts["shapeProperties"] = {"borderDashes": [4, 3]}
    return Node(str(node), _style.node_shape(data), _node_label(data), **opts).options


def _edge_style(G: nx.MultiDiGraph, u: Any, v: Any, relation: str | None) -> dict[str, Any]:
    """An edge's style: participant edges keep the default, event links are amber dashes, affiliations grey dots."""
    kinds = (G.nodes[u].get("kind"), G.nodes[v].get("kind"))
    if relation in PROVENANCE:
        return {"color": {"color": EDGE_COLORS["provenance"], "opacity": 0.5}, "dashes": [1, 5], "width": 1,
                "physics": False, "arrows": {"to": {"enabled": False}}}
    if kinds == ("event", "event"):
        return {"color": {"color": EDGE_COLORS["event_link"]}, "dashes": [6, 4], "width": 2}
    if relation in ROLES and "event" in kinds:
        return {}
    return {"color": {"color": EDGE_COLORS["affiliation"]}, "dashes": [2, 4], "width": 1.5}


def _force_layout(n: int, src: "np.ndarray", dst: "np.ndarray", iterations: int, seed: int,
                  sample: int = 300) -> "np.ndarray":
    """Fruchterman-Reingold in numpy: sampled repulsion in row blocks, attraction along edges.

    networkx's spring_layout needs scipy above 500 nodes; this needs numpy only.
    """
    import numpy as np  # only large graphs need it

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = 1.0 / math.sqrt(max(n, 1))
    temp, block = 0.1, 1024
    for step in range(iterations):
        disp = np.zeros((n, 2))
        # Repulsion from a random sample of nodes, scaled up: O(n * sample) instead of O(n^2).
        others = pos[rng.choice(n, size=sample, replace=False)] if n > sample else pos
        scale = n / len(others)
        for s in range(0, n, block):
            delta = pos[s:s + block, None, :] - others[None, :, :]
            dist2 = np.maximum((delta ** 2).sum(-1), 1e-4)
            disp[s:s + block] += scale * (delta * (k * k / dist2)[..., None]).sum(1)
        if len(src):
            d = pos[src] - pos[dst]
            pull = d * (np.maximum(np.sqrt((d ** 2).sum(1)), 1e-2) / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        length = np.maximum(np.sqrt((disp ** 2).sum(1)), 1e-2)
        pos += disp * (np.minimum(length, temp * (1 - step / iterations)) / length)[:, None]
    return pos


def _smooth_layout(n: int, src: "np.ndarray", dst: "np.ndarray", iterations: int, seed: int) -> "np.ndarray":
    """A cheap O(edges) layout for very large graphs: random start, then pull nodes toward their neighbours."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    degree = np.bincount(np.concatenate([src, dst]), minlength=n).astype(float)
    for _ in range(iterations):
        total = np.zeros((n, 2))
        np.add.at(total, src, pos[dst])
        np.add.at(total, dst, pos[src])
        linked = degree > 0
        pos[linked] = 0.6 * pos[linked] + 0.4 * total[linked] / degree[linked, None]
    return pos


def _ring(m: int) -> "np.ndarray":
    """Positions for ``m`` unlinked nodes: a sunflower band around the linked part (radius 1.15 to 1.45)."""
    import numpy as np

    k = np.arange(m)
    radius = 1.15 + 0.3 * (k + 0.5) / max(m, 1)
    angle = k * math.pi * (3 - math.sqrt(5))  # the golden angle spreads them evenly
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def _layout(G: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Positions for a large graph: a short force layout, or a cheaper one above CHEAP_LAYOUT_THRESHOLD."""
    import numpy as np

    nodes = list(G.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in G.edges() if u != v] or np.zeros((0, 2)), dtype=int)
    src, dst = pairs[:, 0], pairs[:, 1]
    if len(nodes) <= CHEAP_LAYOUT_THRESHOLD:
        pos = _force_layout(len(nodes), src, dst, iterations=25, seed=7)
    else:
        pos = _smooth_layout(len(nodes), src, dst, iterations=8, seed=7)
    linked = np.zeros(len(nodes), dtype=bool)
    linked[src] = linked[dst] = True
    if linked.any():
        pos = pos - pos[linked].mean(0)
        pos = pos / max(float(np.abs(pos[linked]).max()), 1e-9)
    pos[~linked] = _ring(int((~linked).sum()))
    scale = 40.0 * math.sqrt(len(nodes))
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in zip(nodes, pos)}


def _options(physics: bool, groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """vis-network options: force-directed and then frozen for small graphs, static for large ones."""
    opts: dict[str, Any] = {
        "groups": {"useDefaultGroups": False, **groups},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                        "hideEdgesOnDrag": not physics},
        "edges": {"smooth": {"type": "continuous"} if physics else False,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "selectionWidth": 2,
                  "color": {"color": EDGE_COLORS["participant"], "opacity": 0.9}, "width": 1},
        "nodes": {"font": {"face": "Inter, Segoe UI, Helvetica, Arial, sans-serif"}},
        "layout": {"improvedLayout": physics, "randomSeed": 7},
        "physics": {"enabled": physics},
    }
    if physics:
        opts["physics"].update({
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -45, "centralGravity": 0.02, "springLength": 80,
                                 "springConstant": 0.07, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 400, "fit": False},  # page.js fits, capping the zoom
        })
    return opts


def _network(G: nx.MultiDiGraph, physics: bool, positions: dict | None) -> Network:
    """The pyvis Network for ``G`` (nodes and edges appended directly: add_edge's checks are O(n) each)."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    degree = dict(G.degree())
    for node, data in G.nodes(data=True):
        opts = _vis_node(node, data, degree[node])
        if positions:
            opts["x"], opts["y"] = positions[node]
        net.nodes.append(opts)
        net.node_ids.append(opts["id"])
    for i, (u, v, k, data) in enumerate(G.edges(keys=True, data=True)):
        style = _edge_style(G, u, v, data.get("relation"))
        # the arrow is set once for all edges in the options
        net.edges.append(Edge(str(u), str(v), directed=False, id=f"{i}", **style).options)
    groups = {_group(d): _group_style(d) for _, d in G.nodes(data=True)}
    net.options = _options(physics, dict(sorted(groups.items())))
    return net


def _entity_meta(data: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "entity", "name": data.get("label"), "type": data.get("type"),
            "aliases": list(data.get("aliases") or []), "mentions": data.get("mentions"),
            "docs": list(data.get("docs") or [])}


def _event_meta(row: dict[str, Any]) -> dict[str, Any]:
    time = row.get("time") or {}
    return {"kind": "event", "label": row.get("label"), "type": row.get("type"), "status": row.get("status"),
            "cameo": row.get("cameo"), "trigger": row.get("trigger"), "value": time.get("value"),
            "start": time.get("start"), "end": time.get("end"), "when": time.get("text"),
            "participants": [[p["id"], p["name"], p["role"]] for p in row["participants"]],
            "location": row.get("location"), "quote": row.get("quote"),
            "sources": [[s.get("doc"), s.get("sentence")] for s in row.get("sources") or []]}


def _edge_meta(G: nx.MultiDiGraph) -> list[list[Any]]:
    """Per edge (same order as the vis edges): relation, role, evidence doc, evidence sentence."""
    out = []
    for _, _, data in G.edges(data=True):
        ev = data.get("evidence") or {}
        out.append([data.get("relation"), data.get("role"), ev.get("doc"), ev.get("sentence")])
    return out


def _timeline_items(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """vis-timeline items for dated events: a box for one day, a range for longer spans."""
    items = []
    for row in events:
        time = row.get("time") or {}
        start, end = time.get("start"), time.get("end")
        if not start:
            continue
        color = _style.EVENT_COLORS.get(str(row.get("type")), _style.EVENT_DEFAULT)
        item = {"id": str(row["id"]), "start": start, "type": "box",
                "style": f"background-color:{_rgba(color, 0.14)};border-color:{color};"}
        status = _STATUS_CLASSES.get(str(row.get("status")))
        if status:
            item["className"] = status
        if end and end > start:
            try:  # vis-timeline ends are exclusive: a range covers up to the day after ``end``
                item.update(type="range", end=(_dt.date.fromisoformat(end[:10]) + _dt.timedelta(days=1)).isoformat())
            except ValueError:
                item["type"] = "box"
        items.append(item)
    return items


def _legend(G: nx.MultiDiGraph) -> dict[str, list[list[Any]]]:
    """Legend rows for the types present: [type, colour, shape, count]."""
    counts: dict[tuple[str, str], int] = {}
    for _, d in G.nodes(data=True):
        key = (d.get("kind", "entity"), str(d.get("type")))
        counts[key] = counts.get(key, 0) + 1
    rows: dict[str, list[list[Any]]] = {"entity": [], "event": []}
    order = {t: i for i, t in enumerate([*_style.ENTITY_STYLE, *_style.EVENT_COLORS])}
    for (kind, typ), n in sorted(counts.items(), key=lambda kv: (order.get(kv[0][1], 99), kv[0][1])):
        data = {"kind": kind, "type": typ}
        rows.setdefault(kind, []).append([typ, _style.node_color(data), _style.node_shape(data), n])
    return rows


def _documents(G: nx.MultiDiGraph) -> dict[str, str]:
    """Document id -> a one-line caption (title, outlet, date) from ``G.graph["documents"]``, when the build kept it."""
    out = {}
    for doc, info in (G.graph.get("documents") or {}).items():
        info = info if isinstance(info, dict) else {}
        parts = [info.get(k) for k in ("title", "source", "published")]
        out[str(doc)] = " \u00b7 ".join(str(p) for p in parts if p)
    return out


def slice_graph(G: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> nx.MultiDiGraph:
    """The part of ``G`` a page can hold: entities by degree (highest first) with their events, up to ``max_nodes``.

    Entities are taken in order of degree (ties by id, so the slice is deterministic) together with
    every event they take part in, while the total fits; the result is the induced subgraph.
    """
    if G.number_of_nodes() <= max_nodes:
        return G
    degree = dict(G.degree())
    ranked = sorted((n for n, d in G.nodes(data=True) if d.get("kind") != "event"), key=lambda n: (-degree[n], str(n)))
    keep: set = set()
    for node in ranked:
        new = {node} | {m for m in nx.all_neighbors(G, node) if G.nodes[m].get("kind") == "event"} - keep
        if len(keep) + len(new) > max_nodes:
            if not keep:  # one hub alone has more events than the page holds: show it with those that fit
                keep = {node} | set(sorted(new - {node}, key=str)[:max_nodes - 1])
            break
        keep |= new
    return G.subgraph(keep)


def page_data(G: nx.MultiDiGraph, title: str | None = None, physics: bool | None = None,
              max_nodes: int = MAX_NODES) -> dict[str, Any]:
    """Everything the page script needs, as plain JSON-able values (a slice of ``G`` above ``max_nodes``)."""
    full = G
    G = slice_graph(full, max_nodes)
    n = G.number_of_nodes()
    big = n > LAYOUT_THRESHOLD
    physics = (not big) if physics is None else physics
    net = _network(G, physics, _layout(G) if big else None)
    nodes, edges, _, _, _, options = net.get_network_data()
    # Counts, tooltips and details describe the whole graph, even where the page shows a slice.
    events = event_records(full) if G is full else [r for r in event_records(full) if r["id"] in G]
    meta = {str(n): _entity_meta(d) for n, d in G.nodes(data=True) if d.get("kind") != "event"}
    meta.update({str(row["id"]): _event_meta(row) for row in events})
    degree = dict(G.degree())
    sizes = {"mentions": [node["size"] for node in nodes],
             "degree": [_style.degree_size(G.nodes[node["id"]], degree[node["id"]]) for node in nodes]}
    items = _timeline_items(events)
    return {
        "title": title or str(G.graph.get("title", "kg-timeline")),
        "counts": _counts(full),
        "slice": None if G is full else {"nodes": n, "total": full.number_of_nodes(), "max": max_nodes,
                                         "entities": len(meta) - len(events)},
        "nodes": nodes, "edges": edges, "options": json.loads(options), "physics": physics, "sizes": sizes,
        "meta": meta, "edgeMeta": _edge_meta(G), "items": items, "span": _span(events),
        "eventOrder": [row["id"] for row in events], "legend": _legend(G), "docs": _documents(G),
    }


def _counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """The header's counts: entities, events, documents, links and dated events."""
    events = [d for _, d in G.nodes(data=True) if d.get("kind") == "event"]
    docs = {s.get("doc") for d in events for s in d.get("sources") or []}
    docs |= {doc for _, d in G.nodes(data=True) for doc in d.get("docs") or []}
    docs |= set(_documents(G))
    return {"entities": G.number_of_nodes() - len(events), "events": len(events), "documents": len(docs - {None}),
            "relations": G.number_of_edges(), "dated": sum(1 for d in events if d.get("start"))}


def _span(events: list[dict[str, Any]]) -> list[str] | None:
    """First and last day of the dated events, for the date-range inputs."""
    days = [d for r in events if r.get("time") for d in (r["time"].get("start"), r["time"].get("end")) if d]
    return [min(days)[:10], max(days)[:10]] if days else None


def to_html(G: nx.MultiDiGraph, title: str | None = None, physics: bool | None = None,
            max_nodes: int = MAX_NODES) -> str:
    """The whole page for ``G`` as one string (works offline, no external resource).

    Parameters: ``title`` overrides ``G.graph["title"]``; ``physics`` forces the force-directed
    layout on or off (default: on up to LAYOUT_THRESHOLD nodes, off with a Python layout above);
    above ``max_nodes`` the page shows a slice (:func:`slice_graph`) and says so.
    """
    data = page_data(G, title=title, physics=physics, max_nodes=max_nodes)
    net_js = vis_network_js()
    parts = {
        "TITLE": _html.escape(data["title"]),
        "VIS_TIMELINE_CSS": _asset(str(STATIC / "vis-timeline-graph2d.min.css")),
        "PAGE_CSS": _asset(str(STATIC / "page.css")),
        "VIS_TIMELINE_JS": _asset(str(STATIC / "vis-timeline-graph2d.min.js")),
        "VIS_NETWORK_JS": _asset(str(net_js)),
        "DATA": script_json(data),
        "PAGE_JS": _asset(str(STATIC / "page.js")),
    }
    # One pass over the template so no inserted text is ever scanned for placeholders again.
    template = (STATIC / "page.html").read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def write_html(G: nx.MultiDiGraph, path_or_dir: PathOrFile, **opts: Any) -> None:
    """Write graph.html (to a file object, a file path, or into a folder) atomically."""
    target = path_or_dir if is_file(path_or_dir) else target_path(path_or_dir, FILENAME)
    write_text(to_html(G, **opts), target)
