"""Exporters: registry, atomic writes, JSON Lines layout, GraphML/GEXF round trips, HTML safety."""
from __future__ import annotations

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
from exporters import (EXPORTERS, FILENAMES, read_graphml, read_jsonl_graph, to_gexf, to_graphml, to_html, to_jsonl,
                       write_all, write_graphml, write_html, write_jsonl)
from exporters._io import atomic_open, flatten, unflatten
from exporters.html import page_data, script_json
from exporters.jsonl import entity_records, event_records, relation_records
from exporters_fixture import QUOTED, ROLE, XSS_NAME, XSS_SENTENCE, story_graph
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
    assert FILENAMES == {"html": "graph.html", "graphml": "graph.graphml", "gexf": "graph.gexf"}
    assert exporters.write_html is EXPORTERS["html"]


def test_write_all_writes_the_six_output_files(G, tmp_path):
    written = write_all(G, tmp_path / "out")
    assert [p.name for p in written] == ["graph.html", "graph.graphml", "graph.gexf", "events.jsonl",
                                         "entities.jsonl", "relations.jsonl"]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["entities.jsonl", "events.jsonl", "graph.gexf", "graph.graphml", "graph.html", "relations.jsonl"]


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
    for i in range(1600):
        H.add_node(f"ent-{i}", kind="entity", label=f"Name {i}", type="PERSON", mentions=1)
        if i:
            H.add_edge(f"ent-{i}", f"ent-{i // 2}", key=f"e{i}", relation="member_of")
    data = page_data(H)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_html_is_deterministic(G):
    assert to_html(G) == to_html(story_graph())


# ---------------------------------------------------------------- other readers (igraph, Gephi Lite's parsers)


def test_graphml_opens_in_igraph(G, tmp_path):
    igraph = pytest.importorskip("igraph", reason="python-igraph is an optional test dependency (pip install igraph)")
    write_graphml(G, tmp_path)
    g = igraph.Graph.Read_GraphML(str(tmp_path / "graph.graphml"))
    assert (g.vcount(), g.ecount(), g.is_directed()) == (10, 13, True)
    person = g.vs.find(id="ent-qin-gang")
    assert (person["label"], person["aliases"], person["mentions"]) == ("Qin Gang", "Qin|秦刚", 4)


GRAPHOLOGY_CHECK = """
const fs = require('fs');
const {MultiDirectedGraph} = require('graphology');
const g1 = require('graphology-gexf').parse(MultiDirectedGraph, fs.readFileSync(process.argv[2], 'utf-8'));
const g2 = require('graphology-graphml').parse(MultiDirectedGraph, fs.readFileSync(process.argv[3], 'utf-8'));
console.log(JSON.stringify({gexf: [g1.order, g1.size, g1.getNodeAttribute('ent-xss', 'label')],
                            graphml: [g2.order, g2.size, g2.edges().sort()]}));
"""


def test_gexf_and_graphml_open_in_gephi_lite_parsers(G, tmp_path):
    modules = os.environ.get("KG_NODE_MODULES")
    if not modules or not shutil.which("node") or not Path(modules, "graphology-gexf").is_dir():
        pytest.skip("set KG_NODE_MODULES to a node_modules with graphology, graphology-gexf and graphology-graphml "
                    "(npm install --prefix DIR graphology graphology-gexf graphology-graphml)")
    write_all(G, tmp_path, formats=["gexf", "graphml"])
    script = tmp_path / "check.js"
    script.write_text(GRAPHOLOGY_CHECK, encoding="utf-8")
    done = subprocess.run(["node", str(script), str(tmp_path / "graph.gexf"), str(tmp_path / "graph.graphml")],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "NODE_PATH": modules})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["gexf"] == [10, 13, XSS_NAME]
    assert result["graphml"] == [10, 13, sorted(k for _, _, k in G.edges(keys=True))]


def test_exporters_never_import_spacy_or_the_kg_stages():
    # exporters read the graph through kg.query (the record layouts); no stage, no spaCy
    code = ("import sys, exporters; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] == 'spacy' or (m.startswith('kg.') and m not in ('kg.errors', 'kg.query'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "[]", done.stderr
