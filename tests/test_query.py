"""Queries over a small hand-built graph: lookups by alias, filters, timeline order, relations."""
import networkx as nx
import pytest

from kg.graph import KnowledgeGraph, build_graph
from kg.records import Entity, Event, Participant, Relation, Source, TimeMention


def _time(value, start, end, gran):
    return TimeMention(0, 1, value, "DATE", value, start, end, gran, True)


@pytest.fixture()
def g():
    ents = [Entity("ent-antony-blinken", "Antony Blinken", "PERSON", ("Antony Blinken", "Blinken", "Secretary Blinken"), 9, ("a", "b")),
            Entity("ent-qin-gang", "Qin Gang", "PERSON", ("Qin", "Qin Gang"), 5, ("a", "b")),
            Entity("ent-china", "China", "GPE", ("China", "PRC"), 7, ("a",)),
            Entity("ent-united-states", "United States", "GPE", ("US", "U.S."), 4, ("a",)),
            Entity("ent-john-miller", "John Miller", "PERSON", ("John Miller",), 1, ("c",)),
            Entity("ent-matthew-miller", "Matthew Miller", "PERSON", ("Matthew Miller",), 2, ("a",))]
    src_a, src_b = Source("a", "Blinken called Qin on Wednesday.", 0, 33), Source("b", "The two spoke by phone.", 10, 33)
    b = Participant("Antony Blinken", "PERSON", "agent", "ent-antony-blinken")
    q = Participant("Qin Gang", "PERSON", "recipient", "ent-qin-gang")
    china = Participant("China", "GPE", "location", "ent-china")
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
    ]
    rels = [Relation("ent-antony-blinken", "holds_role", "ent-united-states", src_a, (("role", "Secretary of State"),))]
    return KnowledgeGraph(build_graph(ents, events, rels))


def test_graph_is_a_plain_multidigraph(g):
    assert type(g.graph) is nx.MultiDiGraph
    assert g.graph.nodes["ev-call"]["n_sources"] == 2
    assert g.graph.nodes["ev-off"]["granularity"] == "month"
    keys = [k for _, _, k in g.graph.edges(keys=True)]
    assert len(keys) == len(set(keys))  # edge ids are unique across the graph (Gephi drops repeats)


@pytest.mark.parametrize("name", ["Blinken", "Secretary Blinken", "antony blinken", "ent-antony-blinken"])
def test_entity_by_any_alias(g, name):
    assert g.entity(name)["id"] == "ent-antony-blinken"


def test_ambiguous_name_lists_candidates(g):
    with pytest.raises(KeyError, match="John Miller .*Matthew Miller"):
        g.entity("Miller")


def test_events_filters(g):
    assert [e["id"] for e in g.events(type="call", involving="Qin")] == ["ev-call"]
    assert [e["id"] for e in g.events(between=("2023-06-01", "2023-06-30"))] == ["ev-call", "ev-trip"]
    assert [e["id"] for e in g.events(status="planned")] == ["ev-trip"]
    assert [e["id"] for e in g.events(source="b")] == ["ev-off", "ev-call", "ev-say"]
    assert g.events(involving="Nobody") == []


def test_event_record_has_the_jsonl_layout(g):
    [call] = g.events(type="call")
    assert call["time"] == {"text": "2023-06-14", "value": "2023-06-14", "start": "2023-06-14",
                            "end": "2023-06-14", "granularity": "day"}
    assert [(p["name"], p["role"]) for p in call["participants"]] == [("Antony Blinken", "agent"), ("Qin Gang", "recipient")]
    assert [s["doc"] for s in call["sources"]] == ["a", "b"]


def test_timeline_orders_by_date_and_puts_undated_last(g):
    assert [e["id"] for e in g.timeline(involving="Blinken")] == ["ev-off", "ev-call", "ev-trip", "ev-say"]


def test_relations_between_two_entities(g):
    recs = g.relations("Blinken", "Qin")
    assert [(r["kind"], r.get("type")) for r in recs] == [("event", "call"), ("event", "statement")]
    [role] = g.relations("Blinken", relation="holds_role")
    assert role["target"] == "ent-united-states" and role["role"] == "Secretary of State"


def test_time_span(g):
    assert g.time_span() == ("2023-02-01", "2023-06-18")
