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


PUTIN = ("Vladimir Putin", "PERSON", "ent-vladimir-putin")
MODI = ("Narendra Modi", "PERSON", "ent-narendra-modi")
TRUMP = ("Donald Trump", "PERSON", "ent-donald-trump")
MON = TimeMention(0, 6, "Monday", "DATE", "2023-06-12", "2023-06-12", "2023-06-12", "day", True)
REPORT_DAY = TimeMention(5, 5, "", "DATE", "2023-06-15", "2023-06-15", "2023-06-15", "day", True)


def test_calls_between_different_pairs_stay_apart():
    putin = mention("a", 1, "call", [(PUTIN, "agent"), (MODI, "agent")], MON)
    trump = mention("a", 90, "call", [(MODI, "agent"), (TRUMP, "recipient")], None)
    events, _ = merge_events([putin, trump])
    assert sorted(e.label for e in events) == ["Narendra Modi and Vladimir Putin call", "Narendra Modi calls Donald Trump"]


def test_a_default_report_date_yields_to_a_stated_date():
    stated = mention("a", 1, "statement", [(MILLER, "speaker")], WED)
    default = mention("a", 70, "statement", [(MILLER, "speaker")], REPORT_DAY)
    [ev] = merge_events([default, stated])[0]
    assert (ev.time.value, ev.time.text, len(ev.sources)) == ("2023-06-14", "Wednesday", 2)


def test_blocking_by_month_keeps_other_months_apart_and_scales():
    # forty calls of the same pair, one a month: every one stays its own event
    months = [TimeMention(0, 4, "m", "DATE", f"{2020 + i // 12}-{i % 12 + 1:02d}", f"{2020 + i // 12}-{i % 12 + 1:02d}-01",
                          f"{2020 + i // 12}-{i % 12 + 1:02d}-28", "month", True) for i in range(40)]
    calls = [mention(f"d{i:02d}", 1, "call", [(BLINKEN, "agent"), (QIN, "recipient")], t) for i, t in enumerate(months)]
    events, index = merge_events(calls)
    assert len(events) == 40 and len(set(index.values())) == 40


def test_labels_say_who_was_appointed_or_dismissed_and_what_did_not_happen():
    masisi = Participant("Mokgweetsi Masisi", "PERSON", "agent", "m")
    dow = Participant("Unity Dow", "PERSON", "recipient", "d")
    assert label("appointment", (masisi, dow), trigger="relieved") == "Mokgweetsi Masisi dismisses Unity Dow"
    assert label("appointment", (masisi, dow), trigger="named") == "Mokgweetsi Masisi appoints Unity Dow"
    assert label("appointment", (dow,), trigger="elected") == "Unity Dow elected"
    p = (Participant("Fumio Kishida", "PERSON", "agent", "k"), Participant("Li Qiang", "PERSON", "recipient", "l"))
    assert label("meeting", p, "negated") == "Fumio Kishida meets Li Qiang (negated)"
    eu = (Participant("European Union", "ORG", "agent", "e"),)
    assert label("postponement", eu, trigger="delay") == "European Union postpones"
    assert label("postponement", eu, trigger="talks delayed") == "Talks of European Union postponed"


def test_appointments_of_different_people_stay_apart():
    macron = ("Emmanuel Macron", "PERSON", "ent-emmanuel-macron")
    borne = ("Elisabeth Borne", "PERSON", "ent-elisabeth-borne")
    sworn = mention("a", 1, "appointment", [(macron, "recipient")], None)
    picked = mention("a", 50, "appointment", [(macron, "agent"), (borne, "recipient")], MON)
    events, _ = merge_events([sworn, picked])
    assert sorted(e.label for e in events) == ["Emmanuel Macron appointed", "Emmanuel Macron appoints Elisabeth Borne"]
