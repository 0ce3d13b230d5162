"""Exporters: registry, atomic writes, JSON Lines layout, GraphML/GEXF round trips, HTML safety."""
from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import exporters
from exporters import (EXPORTERS, FILENAMES, entity_graph, merged_graph, read_graphml, read_jsonl_graph,
                       to_entity_graphml, to_gexf, to_graphml, to_html, to_jsonl, to_merged_graphml, write_all,
                       write_graphml, write_html, write_jsonl)
from exporters.graphml import flat_graph
from exporters._io import atomic_open, flatten, unflatten
from exporters.html import page_data, script_json, slice_graph
from exporters.jsonl import entity_records, event_records, relation_records
from exporters_fixture import QUOTED, ROLE, XSS_NAME, XSS_SENTENCE, seeds_dir, seeds_graph, story_graph, synthetic_graph
from kg.errors import ExportError

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://gexf.net/1.3}"
VIZ_NS = "{http://gexf.net/1.3/viz}"


@pytest.fixture()
def G() -> nx.MultiDiGraph:
    return story_graph()


def edge_multiset(G: nx.MultiDiGraph) -> Counter:
    """Edges without their keys, for comparisons where keys are not part of the format."""
    return Counter((u, v, json.dumps(d, sort_keys=True)) for u, v, d in G.edges(data=True))


# ---------------------------------------------------------------- registry and writing


def test_registry_names_every_format_and_its_file():
    assert list(EXPORTERS) == ["html", "graphml", "gexf", "jsonl"]
    assert FILENAMES == {"html": ("graph.html",),
                         "graphml": ("graph.graphml", "graph-merged.graphml", "graph-entities.graphml"),
                         "gexf": ("graph.gexf",), "jsonl": ("events.jsonl", "entities.jsonl", "relations.jsonl")}
    assert exporters.write_html is EXPORTERS["html"]


def test_write_all_writes_the_eight_output_files(G, tmp_path):
    written = write_all(G, tmp_path / "out")
    assert [p.name for p in written] == ["graph.html", "graph.graphml", "graph-merged.graphml",
                                         "graph-entities.graphml", "graph.gexf", "events.jsonl", "entities.jsonl",
                                         "relations.jsonl"]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(p.name for p in written)


def test_write_all_with_a_subset_writes_only_those(G, tmp_path):
    write_all(G, tmp_path, formats=["gexf", "jsonl"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entities.jsonl", "events.jsonl", "graph.gexf",
                                                          "relations.jsonl"]


def test_unknown_format_names_the_known_ones_and_writes_nothing(G, tmp_path):
    with pytest.raises(ExportError, match=r"unknown export format 'pdf'; choose from html, graphml, gexf, jsonl"):
        write_all(G, tmp_path / "out", formats=["html", "pdf"])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("target, expected", [("folder", "folder/graph.graphml"), ("my.graphml", "my.graphml")])
def test_writer_accepts_a_folder_or_a_file_path(G, tmp_path, target, expected):
    (tmp_path / "folder").mkdir()
    write_graphml(G, tmp_path / target)
    assert (tmp_path / expected).is_file()


def test_writers_accept_file_objects(G):
    text, binary = io.StringIO(), io.BytesIO()
    write_html(G, text)
    write_graphml(G, binary)
    assert text.getvalue().startswith("<!DOCTYPE html>")
    assert binary.getvalue().decode("utf-8") == to_graphml(G)


def test_failed_write_leaves_the_previous_file_and_no_temp_file(tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("previous build", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as handle:
            handle.write("half a page")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "previous build"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_written_files_get_the_usual_permissions_not_mkstemps_0600(G, tmp_path):
    write_graphml(G, tmp_path)
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "graph.graphml").stat().st_mode) == 0o666 & ~mask


def test_exporter_error_midway_keeps_the_old_file(G, tmp_path, monkeypatch):
    write_graphml(G, tmp_path)
    before = (tmp_path / "graph.graphml").read_text(encoding="utf-8")
    G.add_node("ent-bad", kind="entity", label="Bad", type="PERSON", aliases=[object()])
    with pytest.raises(TypeError):
        write_graphml(G, tmp_path)
    assert (tmp_path / "graph.graphml").read_text(encoding="utf-8") == before


def test_unwritable_target_raises_export_error(G, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write"):
        write_graphml(G, blocker / "sub" / "graph.graphml")


# ---------------------------------------------------------------- flattening


@pytest.mark.parametrize("value, flat, how", [
    (["Blinken", "Secretary Blinken"], "Blinken|Secretary Blinken", "list"),
    ([], "", "list"),
    (["a|b", "c"], '["a|b", "c"]', "list"),
    ([""], '[""]', "list"),
    (["[x]"], '["[x]"]', "list"),
    ({"doc": "d", "start": 1}, '{"doc": "d", "start": 1}', "json"),
    ([{"doc": "d"}], '[{"doc": "d"}]', "json"),
    ("plain", "plain", "plain"),
    (3, 3, "plain"),
])
def test_flatten_is_reversible(value, flat, how):
    assert flatten(value) == (flat, how)
    assert unflatten(flat, how) == value


# ---------------------------------------------------------------- JSON Lines


def test_events_are_sorted_by_start_date_with_undated_last(G):
    assert [e["id"] for e in event_records(G)] == ["ev-visit", "ev-shootdown", "ev-call", "ev-statement"]


def test_event_record_has_the_design_layout(G):
    call = next(e for e in event_records(G) if e["id"] == "ev-call")
    assert call == {
        "id": "ev-call", "type": "call", "cameo": "041", "label": "Antony Blinken calls Qin Gang",
        "status": "occurred", "trigger": "spoke by phone",
        "time": {"text": "Wednesday", "value": "2023-06-14", "start": "2023-06-14", "end": "2023-06-14",
                 "granularity": "day"},
        "participants": [
            {"id": "ent-antony-blinken", "name": "Antony Blinken", "type": "PERSON", "role": "agent"},
            {"id": "ent-qin-gang", "name": "Qin Gang", "type": "PERSON", "role": "recipient"}],
        "location": None, "quote": None,
        "sources": [G.nodes["ev-call"]["sources"][0], G.nodes["ev-call"]["sources"][1]],
    }
    assert list(call) == ["id", "type", "cameo", "label", "status", "trigger", "time", "participants", "location",
                          "quote", "sources"]


def test_undated_event_has_null_time_and_speaker_first(G):
    statement = event_records(G)[-1]
    assert statement["time"] is None
    assert [p["role"] for p in statement["participants"]] == ["speaker", "addressee", "subject"]


def test_entity_records_are_sorted_by_id_in_design_layout(G):
    rows = entity_records(G)
    assert [r["id"] for r in rows] == ["ent-antony-blinken", "ent-china", "ent-qin-gang", "ent-state-department",
                                      "ent-united-states", "ent-xss"]
    assert rows[2] == {"id": "ent-qin-gang", "name": "Qin Gang", "type": "PERSON", "aliases": ["Qin", "秦刚"],
                       "mentions": 4, "docs": ["001_wire"]}


def test_relations_hold_every_non_participant_edge_with_role_and_time(G):
    rows = relation_records(G)
    assert [(r["source"], r["relation"], r["target"]) for r in rows] == [
        ("ent-antony-blinken", "holds_role", "ent-state-department"),
        ("ent-qin-gang", "nationality", "ent-china"),
        ("ent-state-department", "part_of", "ent-united-states"),
        ("ev-shootdown", "causes", "ev-visit"),
        ("ev-visit", "before", "ev-call"),
    ]
    assert rows[0] == {
        "source": "ent-antony-blinken", "relation": "holds_role", "target": "ent-state-department",
        "time": {"text": None, "value": "2023-06", "start": "2023-06-01", "end": "2023-06-30", "granularity": None},
        "evidence": {"doc": "001_wire", "sentence": ROLE, "start": 900, "end": 900 + len(ROLE)},
        "role": "Secretary of State",
    }
    assert rows[1]["evidence"] is None and "time" not in rows[1]


def test_jsonl_files_are_utf8_one_object_per_line(G, tmp_path):
    write_jsonl(G, tmp_path)
    raw = (tmp_path / "entities.jsonl").read_bytes()
    assert "秦刚".encode("utf-8") in raw
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(json.loads(line)["id"] for line in lines)
    assert to_jsonl(G)["relations.jsonl"].count("\n") == 5


def test_jsonl_round_trip_rebuilds_an_equal_graph(G, tmp_path):
    write_jsonl(G, tmp_path)
    H = read_jsonl_graph(tmp_path)
    assert H.graph == {"title": "kg-timeline"}  # the document table is not part of the JSONL layout
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    # Keys are not part of the layout; every edge, with all its attributes, comes back.
    assert edge_multiset(H) == edge_multiset(G)
    assert len({k for _, _, k in H.edges(keys=True)}) == H.number_of_edges()


def test_jsonl_output_is_deterministic(G):
    shuffled = nx.MultiDiGraph(title="kg-timeline")
    shuffled.add_nodes_from(reversed(list(G.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert to_jsonl(shuffled) == to_jsonl(G)


# ---------------------------------------------------------------- GraphML


def test_graphml_round_trip_gives_an_equal_graph(G, tmp_path):
    write_graphml(G, tmp_path)
    H = read_graphml(tmp_path / "graph.graphml")
    assert isinstance(H, nx.MultiDiGraph)
    assert H.graph == G.graph
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))


def test_graphml_declares_scalar_types_and_gephi_colours(G):
    root = ET.fromstring(to_graphml(G).encode("utf-8"))
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{GRAPHML_NS}key")}
    assert keys[("node", "mentions")] == "long"
    assert keys[("node", "n_sources")] == "long"
    assert keys[("node", "aliases")] == "string"
    assert keys[("node", "size")] == "double"
    assert keys[("node", "r")] == "long"
    ids = {k.get("attr.name"): k.get("id") for k in root.iter(f"{GRAPHML_NS}key") if k.get("for") == "node"}
    person = next(n for n in root.iter(f"{GRAPHML_NS}node") if n.get("id") == "ent-qin-gang")
    data = {d.get("key"): d.text for d in person.iter(f"{GRAPHML_NS}data")}
    assert (data[ids["r"]], data[ids["g"]], data[ids["b"]]) == ("37", "99", "235")
    assert data[ids["aliases"]] == "Qin|秦刚"


def test_graphml_edge_ids_are_the_unique_keys(G):
    root = ET.fromstring(to_graphml(G).encode("utf-8"))
    assert [e.get("id") for e in root.iter(f"{GRAPHML_NS}edge")] == [k for _, _, k in G.edges(keys=True)]


def test_graphml_edge_ids_are_unique_even_with_default_integer_keys():
    H = nx.MultiDiGraph()
    H.add_edge("a", "b", relation="agent")
    H.add_edge("a", "b", relation="agent")
    H.add_edge("b", "c", relation="member_of")  # key 0 again, for another pair
    root = ET.fromstring(to_graphml(H).encode("utf-8"))
    assert [e.get("id") for e in root.iter(f"{GRAPHML_NS}edge")] == ["e0", "e1", "e2"]


def test_graphml_drops_xml_invalid_control_characters():
    H = nx.MultiDiGraph(title="kg-timeline")
    H.add_node("ent-x", kind="entity", label="Bell\x07 and\x0b tab\tok", type="ORG", aliases=["a\x00b"])
    text = to_graphml(H)
    ET.fromstring(text.encode("utf-8"))  # parses
    assert read_graphml(io.StringIO(text)).nodes["ent-x"]["label"] == "Bell and tab\tok"
    assert read_graphml(io.StringIO(text)).nodes["ent-x"]["aliases"] == ["ab"]


def test_graphml_escapes_markup_from_articles(G):
    text = to_graphml(G)
    assert XSS_NAME not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text


def test_networkx_reads_graph_graphml_as_the_flat_graph_written(G, tmp_path):
    # Any GraphML reader sees plain scalars: lists |-joined, dicts as JSON, Gephi's r, g, b and size added.
    write_graphml(G, tmp_path)
    X = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    flat = flat_graph(G)
    assert X.graph == {**flat.graph, "node_default": {}, "edge_default": {}}  # networkx adds the two, empty
    assert dict(X.nodes(data=True)) == dict(flat.nodes(data=True))
    assert sorted(X.edges(keys=True, data=True)) == sorted(flat.edges(keys=True, data=True))
    assert X.nodes["ent-antony-blinken"]["aliases"] == "Blinken|Secretary Blinken"
    assert X.nodes["ev-call"]["start"] == "2023-06-14"  # dates stay ISO strings


def parallel_graph() -> nx.MultiDiGraph:
    """The story graph plus two parallel edges: Blinken is also a member of the State Department, twice said."""
    H = story_graph()
    H.add_edge("ent-antony-blinken", "ent-state-department", key="e14", relation="member_of")
    H.add_edge("ent-antony-blinken", "ent-state-department", key="e15", relation="member_of")
    return H


def test_merged_graphml_has_one_edge_per_pair_with_weight_and_count():
    H = parallel_graph()
    M = merged_graph(H)
    assert (M.number_of_nodes(), M.number_of_edges()) == (10, 13)
    assert M.edges["ent-antony-blinken", "ent-state-department"] == {
        "count": 3, "weight": 3.0, "relation": "holds_role|member_of", "edges": ["e9", "e14", "e15"]}
    assert M.edges["ent-antony-blinken", "ev-call"] == {"count": 1, "weight": 1.0, "relation": "agent",
                                                         "edges": ["e1"]}
    X = nx.read_graphml(io.StringIO(to_merged_graphml(H)))
    assert isinstance(X, nx.DiGraph) and not X.is_multigraph()
    assert X.edges["ent-antony-blinken", "ent-state-department"] == {
        "count": 3, "weight": 3.0, "relation": "holds_role|member_of", "edges": "e9|e14|e15"}
    assert X.nodes["ent-qin-gang"]["r"] == 37 and X.nodes["ent-qin-gang"]["label"] == "Qin Gang"


def test_graph_graphml_still_round_trips_a_graph_with_parallel_edges(tmp_path):
    H = parallel_graph()
    write_all(H, tmp_path, formats=["graphml"])
    back = read_graphml(tmp_path / "graph.graphml")
    assert sorted(back.edges(keys=True, data=True)) == sorted(H.edges(keys=True, data=True))
    assert dict(back.nodes(data=True)) == dict(H.nodes(data=True))


def test_entity_projection_links_entities_that_share_events(G):
    E = entity_graph(G)
    assert sorted(E.nodes) == ["ent-antony-blinken", "ent-china", "ent-qin-gang", "ent-state-department",
                               "ent-united-states", "ent-xss"]
    assert not E.is_directed()
    assert sorted(tuple(sorted(e)) for e in E.edges) == [
        ("ent-antony-blinken", "ent-china"), ("ent-antony-blinken", "ent-qin-gang"),
        ("ent-qin-gang", "ent-united-states"), ("ent-qin-gang", "ent-xss"), ("ent-united-states", "ent-xss")]
    assert E.edges["ent-antony-blinken", "ent-qin-gang"] == {
        "count": 1, "weight": 1.0, "events": ["ev-call"], "event_types": ["call"],
        "start": "2023-06-14", "end": "2023-06-14"}
    assert "start" not in E.edges["ent-qin-gang", "ent-xss"]  # the statement is undated


def test_entity_projection_ignores_the_credited_agency():
    H = story_graph()
    H.add_node("ent-wire", kind="entity", label="Press Agency", type="ORG", aliases=[], mentions=1, docs=[])
    H.add_edge("ev-call", "ent-wire", key="e30", relation="source_agency")
    H.add_edge("ev-visit", "ent-wire", key="e31", relation="source_agency")
    E = entity_graph(H)
    assert "ent-wire" in E and E.degree("ent-wire") == 0  # provenance, not a shared event
    assert E.edges["ent-antony-blinken", "ent-qin-gang"]["count"] == 1


def test_entity_projection_weights_repeated_meetings():
    H = story_graph()
    H.add_node("ev-call-2", kind="event", label="Qin Gang calls Antony Blinken", type="call", status="occurred",
               start="2023-06-20", end="2023-06-20", sources=[])
    H.add_edge("ent-qin-gang", "ev-call-2", key="e20", relation="agent")
    H.add_edge("ev-call-2", "ent-antony-blinken", key="e21", relation="recipient")
    assert entity_graph(H).edges["ent-antony-blinken", "ent-qin-gang"] == {
        "count": 2, "weight": 2.0, "events": ["ev-call", "ev-call-2"], "event_types": ["call"],
        "start": "2023-06-14", "end": "2023-06-20"}


def test_entity_graphml_is_typed_weighted_and_read_by_networkx(G):
    text = to_entity_graphml(G)
    root = ET.fromstring(text.encode("utf-8"))
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{GRAPHML_NS}key")}
    assert keys[("edge", "weight")] == "double" and keys[("edge", "count")] == "long"
    assert keys[("edge", "event_types")] == "string" and keys[("node", "r")] == "long"
    assert root.find(f"{GRAPHML_NS}graph").get("edgedefault") == "undirected"
    X = nx.read_graphml(io.StringIO(text))
    assert X.number_of_nodes() == 6 and X.number_of_edges() == 5
    assert X.edges["ent-qin-gang", "ent-xss"] == {"count": 1, "weight": 1.0, "events": "ev-statement",
                                                   "event_types": "statement"}
    assert X.nodes["ent-xss"]["label"] == XSS_NAME


# ---------------------------------------------------------------- GEXF


def test_gexf_parses_with_networkx_and_keeps_unique_ids(G):
    X = nx.read_gexf(io.BytesIO(to_gexf(G).encode("utf-8")))
    assert sorted(X.nodes) == sorted(G.nodes)
    assert X.number_of_edges() == 13
    assert sorted(d["id"] for _, _, d in X.edges(data=True)) == sorted(k for _, _, k in G.edges(keys=True))
    assert X.nodes["ent-xss"]["label"] == XSS_NAME
    assert X.nodes["ent-qin-gang"]["viz"] == {"color": {"r": 37, "g": 99, "b": 235, "a": 1.0}, "size": 16.9}


def test_gexf_is_dynamic_with_event_and_edge_spells(G):
    root = ET.fromstring(to_gexf(G).encode("utf-8"))
    graph = root.find(f"{GEXF_NS}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    nodes = {n.get("id"): n for n in root.iter(f"{GEXF_NS}node")}
    assert (nodes["ev-visit"].get("start"), nodes["ev-visit"].get("end")) == ("2023-02-01", "2023-02-28")
    assert nodes["ent-china"].get("start") is None and nodes["ev-statement"].get("start") is None
    edges = {e.get("id"): e for e in root.iter(f"{GEXF_NS}edge")}
    assert (edges["e1"].get("start"), edges["e1"].get("end")) == ("2023-06-14", "2023-06-14")  # agent of the call
    assert (edges["e9"].get("start"), edges["e9"].get("end")) == ("2023-06-01", "2023-06-30")  # own dates
    assert edges["e10"].get("start") is None
    assert nodes["ev-call"].find(f"{VIZ_NS}color").attrib == {"r": "225", "g": "29", "b": "72", "a": "1.0"}


def test_gexf_is_deterministic(G):
    assert to_gexf(G) == to_gexf(story_graph())


GEXF_TYPES = {"integer": int, "long": int, "double": float, "float": float, "boolean": ("true", "false").index,
              "string": str}


def gexf_shape_errors(root: ET.Element) -> list[str]:
    """What in a GEXF document breaks the GEXF 1.3 schema's structure (the parts we write)."""
    errors = []
    if (root.tag, root.get("version")) != (f"{GEXF_NS}gexf", "1.3"):
        errors.append("root must be gexf version 1.3")
    children = [c.tag for c in root]
    if children != [f"{GEXF_NS}meta", f"{GEXF_NS}graph"]:
        errors.append(f"gexf children {children}")
    graph = root.find(f"{GEXF_NS}graph")
    if set(graph.attrib) - {"defaultedgetype", "mode", "timeformat", "timerepresentation", "timezone", "idtype"}:
        errors.append(f"graph attributes {graph.attrib}")
    order = [c.tag.replace(GEXF_NS, "") for c in graph]
    if order != ["attributes", "attributes", "nodes", "edges"]:
        errors.append(f"graph children {order}")
    declared = {}
    for block in graph.findall(f"{GEXF_NS}attributes"):
        for att in block:
            if att.get("type") not in GEXF_TYPES:
                errors.append(f"attribute type {att.get('type')}")
            declared[block.get("class"), att.get("id")] = att.get("type")

    def check(element, cls, allowed):
        if set(element.attrib) - allowed:
            errors.append(f"{cls} attributes {sorted(set(element.attrib) - allowed)}")
        start, end = element.get("start"), element.get("end")
        if start or end:
            try:
                if datetime.date.fromisoformat(start) > datetime.date.fromisoformat(end):
                    errors.append(f"{cls} {element.get('id')} ends before it starts")
            except (TypeError, ValueError):
                errors.append(f"{cls} {element.get('id')} spell {start}/{end} is not two ISO dates")
        for value in element.iter(f"{GEXF_NS}attvalue"):
            kind = declared.get((cls, value.get("for")))
            if kind is None:
                errors.append(f"{cls} attvalue for undeclared {value.get('for')}")
                continue
            try:
                GEXF_TYPES[kind](value.get("value"))
            except ValueError:
                errors.append(f"{cls} attvalue {value.get('value')!r} is not {kind}")

    ids = set()
    for node in graph.iter(f"{GEXF_NS}node"):
        check(node, "node", {"id", "label", "start", "end", "pid"})
        ids.add(node.get("id"))
        color = node.find(f"{VIZ_NS}color")
        if color is None or not all(0 <= int(color.get(c)) <= 255 for c in "rgb") or float(color.get("a")) > 1:
            errors.append(f"node {node.get('id')} viz:color")
        if node.find(f"{VIZ_NS}size") is None or float(node.find(f"{VIZ_NS}size").get("value")) <= 0:
            errors.append(f"node {node.get('id')} viz:size")
    for edge in graph.iter(f"{GEXF_NS}edge"):
        check(edge, "edge", {"id", "source", "target", "label", "weight", "kind", "type", "start", "end"})
        if edge.get("source") not in ids or edge.get("target") not in ids:
            errors.append(f"edge {edge.get('id')} has an unknown end")
        float(edge.get("weight", "1"))
    return errors


def test_gexf_has_the_schema_shape(G):
    assert gexf_shape_errors(ET.fromstring(to_gexf(G).encode("utf-8"))) == []


def test_gexf_shape_checker_catches_broken_documents(G):
    root = ET.fromstring(to_gexf(G).encode("utf-8"))
    edge = next(root.iter(f"{GEXF_NS}edge"))
    edge.set("target", "nowhere")
    edge.set("start", "2023-07-01")
    assert gexf_shape_errors(root) == ["edge e1 ends before it starts", "edge e1 has an unknown end"]


def test_gexf_edges_carry_kind_and_weight_for_gephis_parallel_edges(G):
    root = ET.fromstring(to_gexf(parallel_graph()).encode("utf-8"))
    edges = {e.get("id"): e.attrib for e in root.iter(f"{GEXF_NS}edge")}
    assert (edges["e9"]["kind"], edges["e14"]["kind"], edges["e9"]["weight"]) == ("holds_role", "member_of", "1.0")


def test_networkx_reads_the_gexf_spells_back(G):
    X = nx.read_gexf(io.BytesIO(to_gexf(G).encode("utf-8")))
    assert X.nodes["ev-visit"]["start"] == "2023-02-01" and X.nodes["ev-visit"]["end"] == "2023-02-28"
    assert "start" not in X.nodes["ent-china"]
    call_agent = next(d for u, v, d in X.edges(data=True) if d["id"] == "e1")
    assert (call_agent["start"], call_agent["end"], call_agent["relation"]) == ("2023-06-14", "2023-06-14", "agent")


# ---------------------------------------------------------------- HTML


def page_json(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def test_html_article_strings_appear_only_escaped(G):
    page = to_html(G)
    for raw in (XSS_NAME, "<img src=x onerror=alert(1)>", QUOTED, "<img"):
        assert raw not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert '\\"quotes\\"' in page
    data = page_json(page)
    assert data["meta"]["ent-xss"]["name"] == XSS_NAME
    assert data["meta"]["ev-statement"]["sources"][1] == ["003_blog", XSS_SENTENCE]
    assert data["docs"] == {"001_wire": "Ministers talk by phone \u00b7 Wire \u00b7 2023-06-15",
                            "002_daily": "A trip called off \u00b7 Daily \u00b7 2023-06-15", "003_blog": ""}


def test_html_title_option_is_escaped(G):
    page = to_html(G, title="<b>Tom & Jerry</b>")
    assert "<title>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</title>" in page
    assert "<b>Tom" not in page


def test_script_json_escapes_everything_that_could_end_the_block():
    assert script_json({"s": "</script><!-- & \u2028\u2029"}) == \
        '{"s":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'


def test_html_has_no_external_resource(G):
    page = to_html(G)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import", page)
    assert "<link" not in page and "bootstrap" not in page.lower() and "cdnjs" not in page
    assert "sourceMappingURL" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("</script>") == 4  # data, vis-timeline, vis-network, page script


def test_html_data_holds_nodes_edges_timeline_and_counts(G):
    data = page_json(to_html(G))
    assert len(data["nodes"]) == 10 and len(data["edges"]) == 13
    assert [i["id"] for i in data["items"]] == ["ev-visit", "ev-shootdown", "ev-call"]
    assert data["items"][0]["type"] == "range" and data["items"][0]["end"] == "2023-03-01"
    assert data["items"][2]["type"] == "box"
    assert data["counts"] == {"entities": 6, "events": 4, "documents": 3, "relations": 13, "dated": 3}
    assert data["physics"] is True and "x" not in data["nodes"][0]


def test_html_styles_nodes_by_kind_and_type(G):
    nodes = {n["id"]: n for n in page_data(G)["nodes"]}
    assert (nodes["ent-qin-gang"]["shape"], nodes["ent-china"]["shape"], nodes["ev-call"]["shape"]) == \
        ("dot", "triangle", "diamond")
    assert nodes["ev-call"]["label"] == "call\n14 Jun 2023"
    assert nodes["ev-visit"]["label"] == "visit\nFeb 2023"
    assert nodes["ev-visit"]["shapeProperties"] == {"borderDashes": [4, 3]}  # postponed
    assert nodes["ent-antony-blinken"]["size"] > nodes["ent-state-department"]["size"]


def test_html_legend_and_event_type_filter_list_the_types_present(G):
    legend = page_data(G)["legend"]
    assert [row[0] for row in legend["entity"]] == ["PERSON", "ORG", "GPE"]
    assert [(row[0], row[3]) for row in legend["event"]] == [("call", 1), ("visit", 1), ("statement", 1),
                                                              ("military", 1)]


def test_large_graph_is_laid_out_in_python_with_physics_off():
    H = nx.MultiDiGraph(title="big")
    for i in range(600):  # above LAYOUT_THRESHOLD (500)
        H.add_node(f"ent-{i}", kind="entity", label=f"Name {i}", type="PERSON", mentions=1)
        if i:
            H.add_edge(f"ent-{i}", f"ent-{i // 2}", key=f"e{i}", relation="member_of")
    data = page_data(H)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_html_nodes_take_their_style_from_one_group_per_kind_and_type(G):
    data = page_data(G)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["ent-qin-gang"] == {"group": "entity:PERSON", "size": 16.9, "id": "ent-qin-gang",
                                     "label": "Qin Gang", "shape": "dot"}
    groups = data["options"]["groups"]
    assert sorted(groups) == ["entity:GPE", "entity:ORG", "entity:PERSON", "event:call", "event:military",
                              "event:statement", "event:visit", "useDefaultGroups"]
    assert groups["event:call"]["shape"] == "diamond" and groups["event:call"]["color"]["background"] == "#e11d48"
    assert data["options"]["edges"]["color"] == {"color": "#a3b1c2", "opacity": 0.9}
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert "color" not in edges["ent-antony-blinken", "ev-call"]  # participant edges take the default
    assert edges["ev-visit", "ev-call"]["dashes"] == [6, 4]


def test_html_offers_sizes_by_mentions_and_by_links(G):
    data = page_data(G)
    i = [n["id"] for n in data["nodes"]].index("ent-antony-blinken")
    assert (data["sizes"]["mentions"][i], data["sizes"]["degree"][i]) == (19.8, 14.2)  # 7 mentions, 3 links
    assert data["sizes"]["mentions"] == [n["size"] for n in data["nodes"]]


def test_html_date_range_spans_the_dated_events(G):
    assert page_data(G)["span"] == ["2023-02-01", "2023-06-14"]


def test_slice_keeps_the_best_connected_entities_with_all_their_events():
    H = synthetic_graph(1000)
    S = slice_graph(H, 300)
    degree = dict(H.degree())
    ranked = sorted((n for n, d in H.nodes(data=True) if d["kind"] == "entity"), key=lambda n: (-degree[n], n))
    kept = [n for n in ranked if n in S]
    assert kept == ranked[:len(kept)] and len(kept) > 10
    events = {m for n in kept for m in nx.all_neighbors(H, n) if H.nodes[m]["kind"] == "event"}
    assert set(S) == set(kept) | events
    next_one = ranked[len(kept)]
    assert len(S) <= 300 < len(S) + len({next_one} | {m for m in nx.all_neighbors(H, next_one)} - set(S))
    assert slice_graph(H, 1000) is H


def test_a_hub_with_more_events_than_the_page_holds_is_shown_with_those_that_fit():
    H = nx.MultiDiGraph()
    H.add_node("ent-hub", kind="entity", label="Hub", type="ORG")
    for i in range(10):
        H.add_node(f"ev-{i}", kind="event", label=f"event {i}", type="meeting")
        H.add_edge("ent-hub", f"ev-{i}", key=f"e{i}", relation="agent")
    assert sorted(slice_graph(H, 4)) == ["ent-hub", "ev-0", "ev-1", "ev-2"]


def test_a_graph_beyond_the_page_limit_is_sliced_and_the_page_says_so():
    H = synthetic_graph(1000)
    data = page_data(H, max_nodes=300)
    S = slice_graph(H, 300)
    assert data["slice"] == {"nodes": len(S), "total": 1000, "max": 300,
                             "entities": sum(1 for _, d in S.nodes(data=True) if d["kind"] == "entity")}
    assert len(data["nodes"]) == len(S) and data["counts"]["entities"] + data["counts"]["events"] == 1000
    assert sorted(i["id"] for i in data["items"]) == sorted(n for n, d in S.nodes(data=True) if d["kind"] == "event")
    assert page_data(H)["slice"] is None


def test_html_is_deterministic(G):
    assert to_html(G) == to_html(story_graph())


# ---------------------------------------------------------------- the seeds, built for real


@pytest.fixture(scope="module")
def seeds() -> nx.MultiDiGraph:
    if seeds_dir() is None:
        pytest.skip("the seed articles are not here (set KG_SEEDS, or keep the project's shared/seeds beside "
                    "the checkout or at /work/shared/seeds)")
    return seeds_graph()


def test_seeds_graphml_round_trips_through_read_graphml_and_networkx(seeds, tmp_path):
    write_all(seeds, tmp_path, formats=["graphml", "gexf"])
    back = read_graphml(tmp_path / "graph.graphml")
    assert back.graph == seeds.graph
    assert dict(back.nodes(data=True)) == dict(seeds.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(seeds.edges(keys=True, data=True))
    X = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    flat = flat_graph(seeds)
    assert dict(X.nodes(data=True)) == dict(flat.nodes(data=True))
    assert sorted(X.edges(keys=True, data=True)) == sorted(flat.edges(keys=True, data=True))
    assert gexf_shape_errors(ET.parse(tmp_path / "graph.gexf").getroot()) == []
    E = nx.read_graphml(tmp_path / "graph-entities.graphml")
    assert set(E) == {n for n, d in seeds.nodes(data=True) if d["kind"] == "entity"}


# ---------------------------------------------------------------- other readers (igraph, Gephi Lite's parsers)


def test_graphml_opens_in_igraph(G, tmp_path):
    igraph = pytest.importorskip("igraph", reason="python-igraph is an optional test dependency (pip install igraph)")
    write_graphml(G, tmp_path)
    g = igraph.Graph.Read_GraphML(str(tmp_path / "graph.graphml"))
    assert (g.vcount(), g.ecount(), g.is_directed()) == (10, 13, True)
    person = g.vs.find(id="ent-qin-gang")
    assert (person["label"], person["aliases"], person["mentions"]) == ("Qin Gang", "Qin|秦刚", 4)


def test_merged_and_entity_graphml_open_in_igraph(tmp_path):
    igraph = pytest.importorskip("igraph", reason="python-igraph is an optional test dependency (pip install igraph)")
    write_all(parallel_graph(), tmp_path, formats=["graphml"])
    merged = igraph.Graph.Read_GraphML(str(tmp_path / "graph-merged.graphml"))
    assert (merged.vcount(), merged.ecount(), merged.is_directed()) == (10, 13, True)
    assert sorted(merged.es["count"], reverse=True)[:2] == [3, 1]
    entities = igraph.Graph.Read_GraphML(str(tmp_path / "graph-entities.graphml"))
    assert (entities.vcount(), entities.ecount(), entities.is_directed()) == (6, 5, False)
    assert sorted(entities.es["event_types"]) == ["call", "statement", "statement", "statement", "visit"]


GRAPHOLOGY_CHECK = """
const fs = require('fs');
const {Graph, MultiDirectedGraph} = require('graphology');
const g1 = require('graphology-gexf').parse(MultiDirectedGraph, fs.readFileSync(process.argv[2], 'utf-8'));
const graphml = require('graphology-graphml');
const g2 = graphml.parse(MultiDirectedGraph, fs.readFileSync(process.argv[3], 'utf-8'));
const g3 = graphml.parse(Graph, fs.readFileSync(process.argv[4], 'utf-8'));
const g4 = graphml.parse(Graph, fs.readFileSync(process.argv[5], 'utf-8'));
const pair = g3.edge('ent-antony-blinken', 'ent-state-department');
console.log(JSON.stringify({gexf: [g1.order, g1.size, g1.getNodeAttribute('ent-xss', 'label')],
                            graphml: [g2.order, g2.size, g2.edges().sort()],
                            merged: [g3.order, g3.size, g3.type, g3.getEdgeAttribute(pair, 'weight')],
                            entities: [g4.order, g4.size, g4.type, g4.getEdgeAttribute(
                                       g4.edge('ent-antony-blinken', 'ent-qin-gang'), 'event_types')]}));
"""


def test_gexf_and_graphml_open_in_gephi_lite_parsers(tmp_path):
    modules = os.environ.get("KG_NODE_MODULES")
    if not modules or not shutil.which("node") or not Path(modules, "graphology-gexf").is_dir():
        pytest.skip("set KG_NODE_MODULES to a node_modules with graphology, graphology-gexf and graphology-graphml "
                    "(npm install --prefix DIR graphology graphology-gexf graphology-graphml)")
    G = parallel_graph()
    write_all(G, tmp_path, formats=["gexf", "graphml"])
    script = tmp_path / "check.js"
    script.write_text(GRAPHOLOGY_CHECK, encoding="utf-8")
    names = ("graph.gexf", "graph.graphml", "graph-merged.graphml", "graph-entities.graphml")
    files = [str(tmp_path / name) for name in names]
    done = subprocess.run(["node", str(script), *files],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "NODE_PATH": modules})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["gexf"] == [10, 15, XSS_NAME]
    assert result["graphml"] == [10, 15, sorted(k for _, _, k in G.edges(keys=True))]
    assert result["merged"] == [10, 13, "directed", 3]
    assert result["entities"] == [6, 5, "undirected", "call"]


def test_exporters_never_import_spacy_or_the_kg_stages():
    # exporters read the graph through kg.query (the record layouts); no stage, no spaCy
    code = ("import sys, exporters; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] == 'spacy' or (m.startswith('kg.') and m not in ('kg.errors', 'kg.query'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "[]", done.stderr
