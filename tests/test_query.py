"""Queries over a small hand-built graph: lookups by alias, filters, timeline order, relations, slices."""
import json
import sys
import types

import networkx as nx
import pytest

from kg.errors import InputError, KGError
from kg.graph import KnowledgeGraph, build_graph
from kg.query import AmbiguousEntity, EntityNotFound, date_bound
from kg.records import Entity, Event, Participant, Relation, Source, TimeMention


def _time(value, start, end, gran):
    return TimeMention(0, 1, value, "DATE", value, start, end, gran, True)


def story_graph() -> nx.MultiDiGraph:
    """Two ministers, a call, a trip postponed after a strike, and undated events tied by links."""
    ents = [Entity("ent-antony-blinken", "Antony Blinken", "PERSON", ("Antony Blinken", "Blinken", "Secretary Blinken"), 9, ("a", "b")),
            Entity("ent-qin-gang", "Qin Gang", "PERSON", ("Qin", "Qin Gang"), 5, ("a", "b")),
            Entity("ent-china", "China", "GPE", ("China", "PRC"), 7, ("a",)),
            Entity("ent-united-states", "United States", "GPE", ("US", "U.S."), 4, ("a",)),
            Entity("ent-john-miller", "John Miller", "PERSON", ("John Miller",), 1, ("c",)),
            Entity("ent-matthew-miller", "Matthew Miller", "PERSON", ("Matthew Miller",), 2, ("a",))]
    src_a, src_b = Source("a", "Blinken called Qin on Wednesday.", 0, 33), Source("b", "The two spoke by phone.", 10, 33)
    src_c, src_c2 = Source("c", "A missile struck the port.", 0, 26), Source("c", "Washington warned of a strike.", 50, 80)
    src_a2 = Source("a", "The ministers met again afterwards.", 100, 135)
    b = Participant("Antony Blinken", "PERSON", "agent", "ent-antony-blinken")
    q = Participant("Qin Gang", "PERSON", "recipient", "ent-qin-gang")
    china = Participant("China", "GPE", "location", "ent-china")
    us = Participant("United States", "GPE", "agent", "ent-united-states")
    events = [
        Event("ev-call", "call", "041", "Antony Blinken calls Qin Gang", "occurred", "called", (b, q), (src_a, src_b),
              _time("2023-06-14", "2023-06-14", "2023-06-14", "day")),
        Event("ev-trip", "visit", "042", "Antony Blinken visits China", "planned", "visit", (b, china), (src_a,),
              _time("2023-06-18", "2023-06-18", "2023-06-18", "day")),
        Event("ev-off", "postponement", "0", "Trip of Antony Blinken to China postponed", "postponed", "postponed",
              (b, china), (src_b,), _time("2023-02", "2023-02-01", "2023-02-28", "month")),
        Event("ev-say", "statement", "010", "Statement by Qin Gang to Antony Blinken", "occurred", "said",
              (Participant("Qin Gang", "PERSON", "speaker", "ent-qin-gang"),
               Participant("Antony Blinken", "PERSON", "addressee", "ent-antony-blinken")), (src_b,), None),
        Event("ev-strike", "military", "190", "United States strikes China", "occurred", "struck",
              (us, Participant("China", "GPE", "recipient", "ent-china")), (src_c,), None),
        Event("ev-warn", "statement", "010", "Statement by United States", "occurred", "warned",
              (Participant("United States", "GPE", "speaker", "ent-united-states"),), (src_c2,), None),
        Event("ev-after", "meeting", "040", "Antony Blinken meets Qin Gang", "occurred", "met",
              (b, Participant("Qin Gang", "PERSON", "participant", "ent-qin-gang")), (src_a2,), None),
    ]
    rels = [Relation("ent-antony-blinken", "holds_role", "ent-united-states", src_a, (("role", "Secretary of State"),)),
            Relation("ev-strike", "causes", "ev-off", src_c),
            Relation("ev-warn", "before", "ev-strike", src_c2),
            Relation("ev-after", "after", "ev-call", src_a2)]
    return build_graph(ents, events, rels)


@pytest.fixture()
def g():
    return KnowledgeGraph(story_graph())


def same_graph(G, H) -> bool:
    """Equal nodes, node attributes, graph attributes and edges with their attributes (edge keys aside)."""
    def edges(X):
        return sorted(json.dumps([u, v, d], sort_keys=True) for u, v, d in X.edges(data=True))

    return dict(G.nodes(data=True)) == dict(H.nodes(data=True)) and edges(G) == edges(H) and G.graph == H.graph


def ids(records):
    return [r["id"] for r in records]


def test_graph_is_a_plain_multidigraph(g):
    assert type(g.graph) is nx.MultiDiGraph
    assert g.graph.nodes["ev-call"]["n_sources"] == 2
    assert g.graph.nodes["ev-off"]["granularity"] == "month"
    keys = [k for _, _, k in g.graph.edges(keys=True)]
    assert len(keys) == len(set(keys))  # edge ids are unique across the graph (Gephi drops repeats)


@pytest.mark.parametrize("name", ["Blinken", "Secretary Blinken", "antony blinken", "ent-antony-blinken", "Antony"])
def test_entity_by_any_alias(g, name):
    assert g.entity(name)["id"] == "ent-antony-blinken"


def test_ambiguous_name_lists_candidates(g):
    with pytest.raises(AmbiguousEntity, match=r"'Miller' is ambiguous: John Miller \(ent-john-miller\), "
                                              r"Matthew Miller \(ent-matthew-miller\)") as err:
        g.entity("Miller")
    assert err.value.candidates == ["ent-john-miller", "ent-matthew-miller"]
    assert isinstance(err.value, KeyError) and isinstance(err.value, KGError)


def test_unknown_name_suggests_close_names(g):
    with pytest.raises(EntityNotFound) as err:
        g.entity("Blinkin")
    assert str(err.value) == "no entity named 'Blinkin'; did you mean Antony Blinken?"
    with pytest.raises(EntityNotFound, match=r"^no entity named 'Nobody'$"):
        g.events(involving="Nobody")


def test_entities_of_a_type(g):
    assert ids(g.entities(type="GPE")) == ["ent-china", "ent-united-states"]
    assert g.entity("Qin") == {"id": "ent-qin-gang", "name": "Qin Gang", "type": "PERSON", "aliases": ["Qin", "Qin Gang"],
                               "mentions": 5, "docs": ["a", "b"]}


def test_events_filters(g):
    assert ids(g.events(type="call", involving="Qin")) == ["ev-call"]
    assert ids(g.events(between=("2023-06-01", "2023-06-30"))) == ["ev-call", "ev-trip"]
    assert ids(g.events(between=("2023-06", "2023-06"))) == ["ev-call", "ev-trip"]  # a month covers its days
    assert ids(g.events(between=(None, "2023-02-01"))) == ["ev-off"]  # overlapping the interval is enough
    assert ids(g.events(status="planned")) == ["ev-trip"]
    assert ids(g.events(source="b")) == ["ev-off", "ev-call", "ev-say"]


@pytest.mark.parametrize("value, end, expected", [
    ("2023", False, "2023-01-01"), ("2023", True, "2023-12-31"), ("2024-02", True, "2024-02-29"),
    ("2023-12", True, "2023-12-31"), ("2023-06-14", True, "2023-06-14"), (None, False, None),
])
def test_date_bounds(value, end, expected):
    assert date_bound(value, end=end) == expected


def test_bad_date_bound_names_the_formats(g):
    with pytest.raises(InputError, match=r"^'15/06/2023' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD$"):
        g.events(between=("15/06/2023", None))


def test_event_record_has_the_jsonl_layout(g):
    [call] = g.events(type="call")
    assert call["time"] == {"text": "2023-06-14", "value": "2023-06-14", "start": "2023-06-14",
                            "end": "2023-06-14", "granularity": "day"}
    assert [(p["name"], p["role"]) for p in call["participants"]] == [("Antony Blinken", "agent"), ("Qin Gang", "recipient")]
    assert [s["doc"] for s in call["sources"]] == ["a", "b"]


def test_timeline_places_undated_events_by_their_links_then_document_order(g):
    # warn -before-> strike -causes-> off; after -after-> call; say has no link: last.
    assert ids(g.timeline()) == ["ev-warn", "ev-strike", "ev-off", "ev-call", "ev-after", "ev-trip", "ev-say"]
    assert ids(g.timeline(involving="Blinken")) == ["ev-off", "ev-call", "ev-after", "ev-trip", "ev-say"]


def test_relations_between_two_entities(g):
    recs = g.relations("Blinken", "Qin")
    assert [(r["kind"], r["id"]) for r in recs] == [("event", "ev-call"), ("event", "ev-after"), ("event", "ev-say")]
    [role] = g.relations("Blinken", relation="holds_role")
    assert role == {"kind": "relation", "source": "ent-antony-blinken", "relation": "holds_role",
                    "target": "ent-united-states", "evidence": {"doc": "a", "sentence": "Blinken called Qin on Wednesday.",
                                                                "start": 0, "end": 33}, "role": "Secretary of State"}
    assert [r["id"] for r in g.relations("Qin", "Blinken", relation="call")] == ["ev-call"]
    assert [r["kind"] for r in g.relations("Blinken")] == ["relation"] + ["event"] * 5


def test_neighbors_by_depth(g):
    assert [(r["id"], r["distance"]) for r in g.neighbors("Qin")] == [("ent-antony-blinken", 1)]
    assert [(r["id"], r["distance"]) for r in g.neighbors("Qin", depth=2)] == [
        ("ent-antony-blinken", 1), ("ent-china", 2), ("ent-united-states", 2)]


def test_path_through_events(g):
    steps = g.path("Qin", "China")
    assert [(r["kind"], r["id"], r["via"]) for r in steps] == [
        ("entity", "ent-qin-gang", None), ("event", "ev-after", "participant"),
        ("entity", "ent-antony-blinken", "agent"), ("event", "ev-off", "agent"), ("entity", "ent-china", "location")]
    assert g.path("John Miller", "Qin") == []


def test_subgraph_is_a_writable_slice(g, tmp_path):
    from exporters import read_jsonl_graph, write_all

    calls = g.subgraph(type="call")
    assert isinstance(calls, KnowledgeGraph) and type(calls.graph) is nx.MultiDiGraph
    assert sorted(calls.graph) == ["ent-antony-blinken", "ent-qin-gang", "ev-call"]
    assert sorted(d["relation"] for _, _, d in calls.graph.edges(data=True)) == ["agent", "recipient"]
    write_all(calls.graph, tmp_path)
    assert same_graph(read_jsonl_graph(tmp_path), calls.graph)
    assert sorted(g.subgraph(["Blinken", "United States"]).graph.edges()) == [("ent-antony-blinken", "ent-united-states")]
    assert sorted(g.subgraph(involving="Matthew Miller").graph) == ["ent-matthew-miller"]
    assert g.subgraph().graph.number_of_edges() == g.graph.number_of_edges()


def test_to_records_are_flat_rows(g):
    rows = g.to_records()
    assert [r["id"] for r in rows] == ids(g.timeline())
    assert rows[3] == {"id": "ev-call", "date": "2023-06-14", "start": "2023-06-14", "end": "2023-06-14",
                       "granularity": "day", "type": "call", "cameo": "041", "status": "occurred",
                       "label": "Antony Blinken calls Qin Gang", "trigger": "called",
                       "participants": "Antony Blinken (agent); Qin Gang (recipient)", "location": None, "quote": None,
                       "n_sources": 2, "docs": "a; b"}
    assert g.to_records("entities")[0]["aliases"] == "Antony Blinken; Blinken; Secretary Blinken"
    assert g.to_records("relations")[0] == {
        "source": "ent-antony-blinken", "source_name": "Antony Blinken", "relation": "holds_role",
        "target": "ent-united-states", "target_name": "United States", "role": "Secretary of State", "date": None,
        "doc": "a", "sentence": "Blinken called Qin on Wednesday.", "start": 0, "end": 33}
    with pytest.raises(KGError, match="choose from events, entities, relations"):
        g.to_records("mentions")


def test_to_dataframe_uses_pandas_when_installed(g, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=lambda rows: ("frame", rows)))
    assert g.to_dataframe("entities") == ("frame", g.to_records("entities"))
    monkeypatch.setitem(sys.modules, "pandas", None)  # as when pandas is not installed
    with pytest.raises(KGError, match="pandas is not installed"):
        g.to_dataframe()


def test_time_span(g):
    assert g.time_span() == ("2023-02-01", "2023-06-18")
