"""Merge: the same event reported twice is one event with both sources; different events stay apart."""
import itertools

from kg.merge import label, merge_events, resolve_relations
from kg.records import EventMention, Participant, RelationMention, Source, TimeMention

WED = TimeMention(0, 9, "Wednesday", "DATE", "2023-06-14", "2023-06-14", "2023-06-14", "day", True)
JUNE = TimeMention(0, 4, "June", "DATE", "2023-06", "2023-06-01", "2023-06-30", "month", True)
FEB = TimeMention(0, 8, "February", "DATE", "2023-02", "2023-02-01", "2023-02-28", "month", True)
BLINKEN = ("Antony Blinken", "PERSON", "ent-antony-blinken")
QIN = ("Qin Gang", "PERSON", "ent-qin-gang")
MILLER = ("Matthew Miller", "PERSON", "ent-matthew-miller")
CHINA = ("China", "GPE", "ent-china")


def mention(doc, start, typ, parts, time=None, status="occurred"):
    ps = tuple(Participant(name=n, type=t, role=r, id=i) for (n, t, i), r in parts)
    return EventMention(doc=doc, index=start, type=typ, cameo="041", trigger=typ, status=status, participants=ps,
                        source=Source(doc, f"sentence {start}", start, start + 10), trigger_start=start,
                        trigger_end=start + 4, time=time)


def test_same_call_in_two_articles_is_one_event_with_two_sources():
    a = mention("000", 10, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED)
    b = mention("004", 480, "call", [(BLINKEN, "agent"), (QIN, "recipient")], None)
    events, index = merge_events([a, b])
    [ev] = events
    assert [s.doc for s in ev.sources] == ["000", "004"]
    assert ev.time.value == "2023-06-14"
    assert ev.label == "Antony Blinken calls Qin Gang"
    assert index[("000", 10)] == index[("004", 480)] == ev.id


def test_merged_event_keeps_the_most_precise_date():
    a = mention("a", 1, "visit", [(BLINKEN, "agent"), (CHINA, "location")], JUNE, "planned")
    b = mention("b", 1, "visit", [(BLINKEN, "agent"), (CHINA, "location")], WED, "planned")
    [ev] = merge_events([a, b])[0]
    assert ev.time.granularity == "day"


def test_incompatible_dates_stay_two_events():
    a = mention("a", 1, "visit", [(BLINKEN, "agent"), (CHINA, "location")], FEB, "planned")
    b = mention("b", 1, "visit", [(BLINKEN, "agent"), (CHINA, "location")], WED, "planned")
    assert len(merge_events([a, b])[0]) == 2


def test_planned_and_occurred_stay_apart():
    a = mention("a", 1, "meeting", [(BLINKEN, "agent"), (QIN, "recipient")], JUNE, "planned")
    b = mention("b", 1, "meeting", [(BLINKEN, "agent"), (QIN, "recipient")], JUNE, "occurred")
    assert len(merge_events([a, b])[0]) == 2


def test_statements_of_different_speakers_stay_apart():
    a = mention("a", 1, "statement", [(MILLER, "speaker")], WED)
    b = mention("a", 50, "statement", [(QIN, "speaker"), (MILLER, "addressee")], WED)
    assert len(merge_events([a, b])[0]) == 2


def test_postponement_and_cancellation_reports_merge():
    a = mention("a", 5, "postponement", [(BLINKEN, "agent"), (CHINA, "location")], FEB, "postponed")
    b = mention("b", 5, "cancellation", [(BLINKEN, "agent"), (CHINA, "location")], FEB, "cancelled")
    [ev] = merge_events([a, b])[0]
    assert ev.type == "cancellation" and len(ev.sources) == 2


def test_result_and_ids_do_not_depend_on_input_order():
    ms = [mention("000", 10, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED),
          mention("004", 480, "call", [(BLINKEN, "agent"), (QIN, "recipient")], None),
          mention("004", 900, "statement", [(MILLER, "speaker")], WED),
          mention("000", 300, "visit", [(BLINKEN, "agent"), (CHINA, "location")], FEB, "planned")]
    results = {tuple(merge_events(list(p))[0]) for p in itertools.permutations(ms)}
    assert len(results) == 1


def test_relations_resolve_to_ids_and_deduplicate():
    ev = Source("d", "US Secretary of State Antony Blinken said.", 0, 40)
    r = RelationMention(doc="d", relation="holds_role", evidence=ev, source=("Antony Blinken", "PERSON"),
                        target=("United States", "GPE"), attrs=(("role", "Secretary of State"),))
    ids = {("d", "Antony Blinken", "PERSON"): "ent-antony-blinken", ("d", "United States", "GPE"): "ent-united-states"}
    [rel] = resolve_relations([r, r], ids, {})
    assert (rel.source, rel.relation, rel.target, dict(rel.attrs)) == (
        "ent-antony-blinken", "holds_role", "ent-united-states", {"role": "Secretary of State"})


def test_labels_read_like_notes():
    p = (Participant("Gina Raimondo", "PERSON", "agent", "g"), Participant("Wang Wentao", "PERSON", "recipient", "w"))
    assert label("meeting", p) == "Gina Raimondo meets Wang Wentao"
    v = (Participant("Antony Blinken", "PERSON", "agent", "b"), Participant("China", "GPE", "location", "c"))
    assert label("visit", v) == "Antony Blinken visits China"
    assert label("cancellation", v) == "Trip of Antony Blinken to China cancelled"
