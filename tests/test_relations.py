"""Roles and affiliations read around entity mentions."""
from types import SimpleNamespace

import pytest

from kg.entities import agency_credits, entity_mentions
from kg.records import Source
from kg.relations import credit_relations, entity_relations

US, CHINA = ("United States", "GPE"), ("China", "GPE")


def _relations(nlp, text):
    doc = nlp(text)
    return entity_relations(doc, "doc-1", entity_mentions(doc, "doc-1"))


def _people(nlp, text):
    """Relations of people and organisations only (the places' capital_of links left out)."""
    return [r for r in _relations(nlp, text) if r.relation != "capital_of"]


def _triples(relations):
    return [(r.source, r.relation, r.target, r.attrs) for r in relations]


@pytest.mark.parametrize("text, expected", [
    ("US Secretary of State Antony Blinken arrived in Tokyo on Monday for two days of talks.",
     [(("Antony Blinken", "PERSON"), "holds_role", US, (("role", "Secretary of State"),)),
      (("Antony Blinken", "PERSON"), "nationality", US, ())]),
    ("He spoke with PRC State Councilor and Foreign Minister Qin Gang on Tuesday.",
     [(("Qin Gang", "PERSON"), "holds_role", CHINA, (("role", "Foreign Minister"),)),
      (("Qin Gang", "PERSON"), "holds_role", CHINA, (("role", "State Councilor"),)),
      (("Qin Gang", "PERSON"), "nationality", CHINA, ())]),
    ("Japanese Prime Minister Fumio Kishida said the summit had been useful.",
     [(("Fumio Kishida", "PERSON"), "holds_role", ("Japan", "GPE"), (("role", "Prime Minister"),)),
      (("Fumio Kishida", "PERSON"), "nationality", ("Japan", "GPE"), ())]),
    ("Qin Gang, China's foreign minister, met the delegation in Jakarta.",
     [(("Qin Gang", "PERSON"), "holds_role", CHINA, (("role", "Foreign Minister"),))]),
    ("Apple chief executive Tim Cook visited the factory.",
     [(("Tim Cook", "PERSON"), "holds_role", ("Apple", "ORG"), (("role", "Chief Executive"),))]),
    ("NATO Secretary-General Jens Stoltenberg said on Tuesday that allies would send more air defences.",
     [(("Jens Stoltenberg", "PERSON"), "holds_role", ("North Atlantic Treaty Organization", "ORG"), (("role", "Secretary-General"),))]),
    ("White House press secretary Karine Jean-Pierre said the trip would be shortened.",
     [(("Karine Jean-Pierre", "PERSON"), "holds_role", ("White House", "ORG"), (("role", "Press Secretary"),))]),
])
def test_titles_give_roles_and_nationality(nlp, text, expected):
    assert sorted(_triples(_people(nlp, text))) == sorted(expected)


@pytest.mark.parametrize("text, expected", [
    ("State Department spokesperson Matthew Miller said the talks were productive.",
     [(("Matthew Miller", "PERSON"), "spokesperson_of", ("State Department", "ORG"), ())]),
    ("US State Department spokesman Matthew Miller declined to comment.",
     [(("State Department", "ORG"), "part_of", US, ()),
      (("Matthew Miller", "PERSON"), "spokesperson_of", ("State Department", "ORG"), ())]),
    ("A statement from China’s Foreign Ministry urged restraint.",
     [(("Chinese Foreign Ministry", "ORG"), "part_of", CHINA, ())]),
])
def test_spokespeople_and_parts_of_organisations(nlp, text, expected):
    assert _triples(_relations(nlp, text)) == expected


def test_a_counterpart_belongs_to_the_subject_of_the_clause(nlp):
    rels = _relations(nlp, "Antony Blinken spoke to his Chinese counterpart Qin Gang by phone on Wednesday.")
    assert _triples(rels) == [(("Qin Gang", "PERSON"), "counterpart_of", ("Antony Blinken", "PERSON"), ()),
                              (("Qin Gang", "PERSON"), "nationality", CHINA, ())]


@pytest.mark.parametrize("text, org", [
    ("Lt General Zhao Ming, a People's Liberation Army (PLA) strategist, said the drills were routine.",
     "People's Liberation Army"),
    ("Rising tensions worry Beijing, said Zhang Lei, a research fellow at the Institute of Asian Studies.",
     "Institute of Asian Studies"),
])
def test_an_appositive_places_a_person_in_an_organisation(nlp, text, org):
    assert [(r.relation, r.target) for r in _people(nlp, text)] == [("member_of", (org, "ORG"))]


def test_a_fellow_at_an_institute_at_an_academy_is_a_member_of_both(nlp):
    text = ("Rising tensions worry Beijing, said Zhang Lei, a research fellow at the Institute of Asian Studies "
            "at the Shanghai Academy of Social Sciences.")
    assert [(r.relation, r.target) for r in _people(nlp, text)] == [
        ("member_of", ("Institute of Asian Studies", "ORG")),
        ("member_of", ("Shanghai Academy of Social Sciences", "ORG"))]


def test_evidence_is_the_sentence_with_its_offsets(nlp):
    text = "Talks resumed on Monday. State Department spokesperson Matthew Miller said the talks were productive."
    (rel,) = _relations(nlp, text)
    sentence = "State Department spokesperson Matthew Miller said the talks were productive."
    start = text.index(sentence)
    assert rel.evidence == Source("doc-1", sentence, start, start + len(sentence))
    assert rel.doc == "doc-1"


def test_evidence_stops_at_a_line_break(nlp):
    text = "Blinken calls Qin\n\nUS Secretary of State Antony Blinken spoke to reporters."
    rels = _relations(nlp, text)
    assert {r.evidence.sentence for r in rels} == {"US Secretary of State Antony Blinken spoke to reporters."}


@pytest.mark.parametrize("text", [
    "Blinken met reporters outside the hotel.",
    "The top US diplomat said the talks were candid.",
])
def test_no_relation_without_a_role_or_affiliation(nlp, text):
    assert _relations(nlp, text) == []


def test_a_spokesperson_of_an_organisation_named_with_its_acronym(nlp):
    text = "Department of Foreign Affairs (DFA) spokesperson Maria Santos told reporters the envoy was summoned."
    assert _triples(_relations(nlp, text)) == [
        (("Maria Santos", "PERSON"), "spokesperson_of", ("Department of Foreign Affairs", "ORG"), ())]


def test_a_line_above_a_title_is_no_holder(nlp):
    text = "Reuters\n\nPresident Emmanuel Macron on Friday named a new foreign minister."
    assert _relations(nlp, text) == []


def test_the_country_leaves_the_role_text(nlp):
    text = "The office was created in 2002 with former South African president Kgalema Motlanthe as its first holder."
    person, south_africa = ("Kgalema Motlanthe", "PERSON"), ("South Africa", "GPE")
    assert _triples(_relations(nlp, text)) == [(person, "holds_role", south_africa, (("role", "Former President"),)),
                                               (person, "nationality", south_africa, ())]


def test_an_organisation_deep_inside_an_appositive_is_no_membership(nlp):
    text = "Ana Cruz, the undersecretary for trade and ASEAN affairs, said the protest had been delivered."
    assert _relations(nlp, text) == []


def test_reported_events_link_to_the_credited_agency():
    text = "Talks were held in Geneva.\n\n[with PTI inputs]"
    credits = agency_credits(text, "doc-1")
    events = [SimpleNamespace(index=0), SimpleNamespace(index=1)]
    rels = credit_relations(text, credits, events)
    line = "[with PTI inputs]"
    evidence = Source("doc-1", line, text.index(line), text.index(line) + len(line))
    assert [(r.source_event, r.relation, r.target, r.evidence) for r in rels] == [
        (0, "source_agency", ("Press Trust of India", "ORG"), evidence),
        (1, "source_agency", ("Press Trust of India", "ORG"), evidence)]
    assert all(r.source is None and r.target_event is None for r in rels)


def test_a_capital_named_as_the_city_links_to_its_country(nlp):
    text = "The minister will travel to Beijing next week, and China has welcomed the visit."
    assert _triples(_relations(nlp, text)) == [(("Beijing", "GPE"), "capital_of", CHINA, ())]


def test_a_capital_standing_for_its_government_needs_no_link(nlp):
    text = "Beijing said on Monday that the visit would go ahead."
    assert _relations(nlp, text) == []


@pytest.mark.parametrize("text, expected", [
    ("France's U.N. Ambassador Jean-Marc Dupont said the time had come.",
     [(("Jean-Marc Dupont", "PERSON"), "holds_role", ("France", "GPE"),
       (("role", "Ambassador to the United Nations"),))]),
    ("Japanese U.N. ambassador Kenzo Oshima also urged restraint.",
     [(("Kenzo Oshima", "PERSON"), "holds_role", ("Japan", "GPE"), (("role", "Ambassador to the United Nations"),))]),
    ("Paul Baxter, a State Department spokesman, said the cable was genuine.",
     [(("Paul Baxter", "PERSON"), "spokesperson_of", ("State Department", "ORG"), ())]),
    ("Ugandan President Yoweri Museveni arrived on Wednesday for a state visit.",
     [(("Yoweri Museveni", "PERSON"), "holds_role", ("Uganda", "GPE"), (("role", "President"),)),
      (("Yoweri Museveni", "PERSON"), "nationality", ("Uganda", "GPE"), ())]),
])
def test_envoys_to_international_bodies_spokespeople_and_demonyms_the_model_missed(nlp, text, expected):
    assert sorted(_triples(_people(nlp, text))) == sorted(expected)


def test_a_capital_standing_for_its_government_has_no_capital_of_link(nlp):
    rels = _relations(nlp, "They urged the separation of Washington-backed rebels from the militants.")
    assert _triples(rels) == []


def test_an_organisation_where_a_delegation_was_received_is_no_parent(nlp):
    text = ("The minister spoke after receiving a delegation from the Youth Parliament (Junior Envoys) 2019 Kenya "
            "at the Foreign Ministry on Thursday.")
    assert [r for r in _people(nlp, text) if r.relation == "part_of"] == []
