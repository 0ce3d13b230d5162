"""A small hand-built graph in kg/graph.py's schema, shared by the exporter tests.

The story is written for the tests: a phone call between two foreign ministers, a visit that was
postponed after a military incident, and a statement. One entity and one sentence carry HTML
payloads so the tests can prove they are escaped everywhere.
"""
from __future__ import annotations

import networkx as nx

XSS_NAME = "<script>alert(1)</script>"
XSS_SENTENCE = "A post read <img src=x onerror=alert(1)> before it was removed."
QUOTED = '"quotes"'

D1, D2, D3 = "001_wire", "002_daily", "003_blog"
ROLES = {"agent", "recipient", "participant", "speaker", "addressee", "subject", "location"}


def src(doc: str, sentence: str, start: int) -> dict:
    """A source/evidence dict with offsets matching the sentence length."""
    return {"doc": doc, "sentence": sentence, "start": start, "end": start + len(sentence)}


CALL_1 = "Antony Blinken spoke by phone with Qin Gang on Wednesday, the State Department said."
CALL_2 = "Blinken and his Chinese counterpart held a telephone conversation on Wednesday."
VISIT = "Blinken postponed the trip to Beijing he had planned for February."
SHOOT = "The United States shot down a high-altitude balloon off its coast on 4 February."
STATE = "Qin told the United States that Beijing urged restraint \u2028 and calm."
ROLE = "US Secretary of State Antony Blinken said the channel stayed open."


def story_graph() -> nx.MultiDiGraph:
    """The fixture graph: 6 entities, 4 events (3 dated), 13 edges with unique string keys."""
    G = nx.MultiDiGraph(title="kg-timeline")
    G.graph["documents"] = {  # as kg.pipeline keeps them: one entry per document read
        D1: {"title": "Ministers talk by phone", "published": "2023-06-15", "reference": "metadata", "url": None,
             "source": "Wire"},
        D2: {"title": "A trip called off", "published": "2023-06-15", "reference": "given", "url": None,
             "source": "Daily"},
        D3: {"title": None, "published": None, "reference": "none", "url": None, "source": None},
    }
    ent = dict(kind="entity")
    G.add_node("ent-antony-blinken", **ent, label="Antony Blinken", type="PERSON",
               aliases=["Blinken", "Secretary Blinken"], mentions=7, docs=[D1, D2])
    G.add_node("ent-qin-gang", **ent, label="Qin Gang", type="PERSON", aliases=["Qin", "秦刚"], mentions=4, docs=[D1])
    G.add_node("ent-united-states", **ent, label="United States", type="GPE", aliases=["US", "U.S."], mentions=5,
               docs=[D1, D2])
    G.add_node("ent-china", **ent, label="China", type="GPE", aliases=["Beijing"], mentions=6, docs=[D1, D2])
    G.add_node("ent-state-department", **ent, label="State Department", type="ORG", aliases=[], mentions=2, docs=[D1])
    G.add_node("ent-xss", **ent, label=XSS_NAME, type="PERSON", aliases=[QUOTED], mentions=1, docs=[D3])
    G.add_node("ev-call", kind="event", label="Antony Blinken calls Qin Gang", type="call", cameo="041",
               status="occurred", trigger="spoke by phone", date="2023-06-14", start="2023-06-14", end="2023-06-14",
               granularity="day", time_text="Wednesday", n_sources=2,
               sources=[src(D1, CALL_1, 0), src(D2, CALL_2, 310)])
    G.add_node("ev-visit", kind="event", label="Antony Blinken visits China", type="visit", cameo="042",
               status="postponed", trigger="trip", date="2023-02", start="2023-02-01", end="2023-02-28",
               granularity="month", time_text="February", n_sources=1, sources=[src(D2, VISIT, 0)],
               location="Beijing")
    G.add_node("ev-shootdown", kind="event", label="United States shoots down balloon", type="military",
               cameo="190", status="occurred", trigger="shot down", date="2023-02-04", start="2023-02-04",
               end="2023-02-04", granularity="day", time_text="4 February", n_sources=1, sources=[src(D2, SHOOT, 70)])
    G.add_node("ev-statement", kind="event", label=f"Qin Gang says {QUOTED}", type="statement", cameo="010",
               status="occurred", trigger="told", n_sources=2, sources=[src(D1, STATE, 400), src(D3, XSS_SENTENCE, 0)],
               quote='"We urge restraint," he said.')
    edges = [
        ("ent-antony-blinken", "ev-call", "agent", {}),
        ("ev-call", "ent-qin-gang", "recipient", {}),
        ("ent-antony-blinken", "ev-visit", "agent", {}),
        ("ev-visit", "ent-china", "location", {}),
        ("ent-united-states", "ev-shootdown", "agent", {}),
        ("ent-qin-gang", "ev-statement", "speaker", {}),
        ("ev-statement", "ent-united-states", "addressee", {}),
        ("ev-statement", "ent-xss", "subject", {}),
        ("ent-antony-blinken", "ent-state-department", "holds_role",
         {"role": "Secretary of State", "evidence": src(D1, ROLE, 900), "date": "2023-06", "start": "2023-06-01",
          "end": "2023-06-30"}),
        ("ent-state-department", "ent-united-states", "part_of", {"evidence": src(D1, CALL_1, 0)}),
        ("ent-qin-gang", "ent-china", "nationality", {"evidence": None}),
        ("ev-shootdown", "ev-visit", "causes", {"evidence": src(D2, VISIT, 0)}),
        ("ev-visit", "ev-call", "before", {"evidence": src(D2, SHOOT, 70)}),
    ]
    for i, (u, v, relation, attrs) in enumerate(edges, start=1):
        if relation in ROLES:  # as kg/graph.py does: a participant edge's evidence is its event's first source
            event = u if G.nodes[u]["kind"] == "event" else v
            attrs = {"evidence": G.nodes[event]["sources"][0]}
        G.add_edge(u, v, key=f"e{i}", relation=relation, **{k: val for k, val in attrs.items() if val is not None})
    return G
