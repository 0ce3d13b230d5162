"""Events: triggers, roles, status and dates read from realistic news sentences."""
import datetime as dt

import pytest

from kg.entities import country_of, entity_mentions
from kg.events import extract_events
from kg.temporal import times_from_doc

REF = dt.date(2023, 6, 15)  # a Thursday


def events_of(nlp, text, reference=REF):
    doc = nlp(text)
    mentions = entity_mentions(doc, "t")
    times = times_from_doc(doc, reference)
    events, links = extract_events(doc, "t", mentions, times, reference, country_of=country_of)
    return events, links


def roles(ev):
    return {(p.name, p.role) for p in ev.participants}


def only(events, typ):
    found = [e for e in events if e.type == typ]
    assert len(found) == 1, [(e.type, e.trigger, roles(e)) for e in events]
    return found[0]


@pytest.mark.parametrize("text, agent, recipient, value", [
    ("US Secretary of State Antony Blinken spoke to his Chinese counterpart Qin Gang by phone on Wednesday.",
     "Antony Blinken", "Qin Gang", "2023-06-14"),
    ("German Chancellor Olaf Scholz held a telephone conversation with Russian President Vladimir Putin on Tuesday.",
     "Olaf Scholz", "Vladimir Putin", "2023-06-13"),
    ("Prime Minister Narendra Modi dialled Pakistani Prime Minister Nawaz Sharif on Monday.",
     "Narendra Modi", "Nawaz Sharif", "2023-06-12"),
    ("President Emmanuel Macron called Ukrainian President Volodymyr Zelensky on Sunday.",
     "Emmanuel Macron", "Volodymyr Zelensky", "2023-06-11"),
])
def test_calls_with_agent_recipient_and_day(nlp, text, agent, recipient, value):
    events, _ = events_of(nlp, text)
    ev = only(events, "call")
    assert ev.cameo == "041" and ev.status == "occurred"
    assert (agent, "agent") in roles(ev) and (recipient, "recipient") in roles(ev)
    assert ev.time is not None and ev.time.value == value


def test_speak_without_phone_is_a_meeting(nlp):
    events, _ = events_of(nlp, "Japanese Prime Minister Fumio Kishida spoke with South Korean President Yoon Suk Yeol in Seoul on Sunday.")
    ev = only(events, "meeting")
    assert ("Fumio Kishida", "agent") in roles(ev) and ("Yoon Suk Yeol", "recipient") in roles(ev)
    assert ("Seoul", "location") in roles(ev)


def test_travel_to_a_place_is_a_planned_visit(nlp):
    events, _ = events_of(nlp, "The State Department said Antony Blinken will travel to Beijing over the weekend.")
    ev = only(events, "visit")
    assert ev.status == "planned"
    assert ("Antony Blinken", "agent") in roles(ev) and ("Beijing", "location") in roles(ev)
    assert (ev.time.start_date, ev.time.end_date) == ("2023-06-17", "2023-06-18")


def test_past_visit_with_object_place(nlp):
    events, _ = events_of(nlp, "Daniel Kritenbrink, a senior US diplomat, visited Beijing last week.")
    ev = only(events, "visit")
    assert ev.status == "occurred" and ev.time.value == "2023-W23"
    assert ("Daniel Kritenbrink", "agent") in roles(ev) and ("Beijing", "location") in roles(ev)


def test_meeting_with_month(nlp):
    events, _ = events_of(nlp, "US Commerce Secretary Gina Raimondo met her Chinese counterpart Wang Wentao in May in Washington.")
    ev = only(events, "meeting")
    assert ("Gina Raimondo", "agent") in roles(ev) and ("Wang Wentao", "recipient") in roles(ev)
    assert ev.time.value == "2023-05" and ev.time.granularity == "month"


def test_nominal_visit_is_planned_by_its_modifier(nlp):
    events, _ = events_of(nlp, "Officials prepared for Blinken's upcoming visit to Beijing.")
    ev = only(events, "visit")
    assert ev.status == "planned" and ("Blinken", "agent") in roles(ev) and ("Beijing", "location") in roles(ev)


def test_statement_with_speaker_and_quote(nlp):
    events, _ = events_of(nlp, 'Foreign Minister Penny Wong said on Tuesday that "the relationship is on a better footing."')
    ev = only(events, "statement")
    assert ("Penny Wong", "speaker") in roles(ev)
    assert ev.quote == "the relationship is on a better footing."
    assert ev.time.value == "2023-06-13"


def test_unattributed_statement_is_no_event(nlp):
    events, _ = events_of(nlp, "It was said that the talks went well.")
    assert [e for e in events if e.type == "statement"] == []


def test_statement_in_prepositional_phrase(nlp):
    events, _ = events_of(nlp, "According to a statement by Kremlin spokesman Dmitry Peskov, the leaders discussed grain exports.")
    ev = only(events, "statement")
    assert ("Dmitry Peskov", "speaker") in roles(ev)


def test_appeal_with_addressee(nlp):
    events, _ = events_of(nlp, "Qin urged Blinken to respect China's core concerns.")
    ev = only(events, "appeal")
    assert ev.cameo == "020"
    assert ("Qin", "speaker") in roles(ev) and ("Blinken", "addressee") in roles(ev)


def test_call_on_is_an_appeal_not_a_call(nlp):
    events, _ = events_of(nlp, "Secretary-General Antonio Guterres called on Russia to withdraw its troops.")
    assert [e.type for e in events] == ["appeal"]


def test_cancellation_takes_over_the_visit_and_links_its_cause(nlp):
    text = "His planned visit in February was cancelled after the US shot down a Chinese spy balloon."
    doc = nlp("Antony Blinken spoke to reporters. " + text)
    mentions = entity_mentions(doc, "t")
    events, links = extract_events(doc, "t", mentions, times_from_doc(doc, REF), REF, country_of=country_of)
    ev = only(events, "cancellation")
    assert ev.status == "cancelled"
    assert ("Antony Blinken", "agent") in roles(ev)
    assert ev.time.value == "2023-02"
    assert not [e for e in events if e.type == "visit"]  # the cancelled visit is not a second event
    mil = only(events, "military")
    assert ("United States", "agent") in roles(mil)
    assert [(l.relation, events[l.source_event].type, events[l.target_event].type) for l in links] == [
        ("causes", "military", "cancellation")]


def test_postponed_trip_refers_back_to_the_intended_visit(nlp):
    text = ("Blinken had initially intended to visit China in February. "
            "However, the trip was postponed due to a diplomatic row.")
    events, _ = events_of(nlp, text)
    ev = only(events, "postponement")
    assert ev.status == "postponed" and ev.time.value == "2023-02"
    assert ("Blinken", "agent") in roles(ev) and ("China", "location") in roles(ev)


def test_negated_and_hypothetical_status(nlp):
    events, _ = events_of(nlp, "Putin did not meet Zelensky. If Xi visits Moscow, he will meet Putin.")
    statuses = sorted((e.type, e.status) for e in events)
    assert ("meeting", "negated") in statuses
    assert ("visit", "hypothetical") in statuses


def test_future_date_makes_a_plan(nlp):
    events, _ = events_of(nlp, "Albanese meets Modi in New Delhi on June 20.")
    ev = only(events, "meeting")
    assert ev.status == "planned" and ev.time.value == "2023-06-20"


def test_group_of_officials_stands_for_their_country(nlp):
    events, _ = events_of(nlp, "Blinken will meet with senior Chinese officials in Beijing.")
    ev = only(events, "meeting")
    assert ("China", "recipient") in roles(ev)
    assert ev.status == "planned"


def test_pronoun_speaker_is_the_previous_subject(nlp):
    text = ("State Department spokesman Matthew Miller said in a statement that Blinken raised human rights. "
            "He said Blinken also discussed trade.")
    events, _ = events_of(nlp, text)
    speakers = {p.name for e in events if e.type == "statement" for p in e.participants if p.role == "speaker"}
    assert speakers == {"Matthew Miller"}


def test_sources_carry_sentence_and_offsets(nlp):
    text = "The talks ended. Merkel telephoned Macron on Friday."
    events, _ = events_of(nlp, text)
    ev = only(events, "call")
    assert ev.source.sentence == "Merkel telephoned Macron on Friday."
    assert text[ev.source.start:ev.source.end].strip() == ev.source.sentence
    assert text[ev.trigger_start:ev.trigger_end] == "telephoned"
