"""Merge: the same event reported twice is one event with both sources; different events stay apart."""
import itertools
from dataclasses import replace

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


# A weekday read without any reference date: some Wednesday, week unknown (issue 3).
ANY_WED = TimeMention(0, 9, "Wednesday", "DATE", "XXXX-WXX-3", None, None, "day", False)
ANY_THU = TimeMention(0, 8, "Thursday", "DATE", "XXXX-WXX-4", None, None, "day", False)


def test_an_unplaced_weekday_merges_with_the_dated_report_and_takes_its_date():
    dated = mention("004", 480, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED)
    both = mention("000", 300, "call", [(QIN, "agent"), (BLINKEN, "recipient")], None)
    lead = mention("000", 10, "call", [(BLINKEN, "agent")], ANY_WED)  # "his counterpart" left unresolved
    for order in itertools.permutations([dated, both, lead]):
        [ev] = merge_events(list(order))[0]
        assert [s.doc for s in ev.sources] == ["000", "000", "004"]
        assert (ev.time.value, ev.time.start_date, ev.time.text) == ("2023-06-14", "2023-06-14", "Wednesday")


def test_a_weekday_that_does_not_fit_the_date_stays_apart():
    dated = mention("004", 480, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED)
    other = mention("000", 10, "call", [(BLINKEN, "agent"), (QIN, "recipient")], ANY_THU)
    assert len(merge_events([dated, other])[0]) == 2


def test_an_unplaced_weekday_alone_in_another_article_needs_both_parties():
    dated = mention("004", 480, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED)
    lead = mention("000", 10, "call", [(BLINKEN, "agent")], ANY_WED)
    events, _ = merge_events([dated, lead])
    assert sorted(e.time.value for e in events) == ["2023-06-14", "XXXX-WXX-3"]


YEAR_2016 = TimeMention(0, 9, "last year", "DATE", "2016", "2016-01-01", "2016-12-31", "year", True)
MAY_22 = TimeMention(0, 6, "Sunday", "DATE", "2016-05-22", "2016-05-22", "2016-05-22", "day", True)
OBAMA = ("Barack Obama", "PERSON", "ent-barack-obama")
VIETNAM = ("Vietnam", "GPE", "ent-vietnam")


def test_another_articles_visit_in_a_year_is_not_a_dated_visit_of_that_year_without_its_place():
    hanoi = mention("hanoi", 10, "visit", [(OBAMA, "agent"), (VIETNAM, "location")], MAY_22)
    # "the visit of former president Barack Obama last year", in an article about Argentina
    vague = mention("buenos-aires", 300, "visit", [(OBAMA, "agent")], YEAR_2016)
    assert len(merge_events([hanoi, vague])[0]) == 2
    # naming the place, it is that visit: "Obama's visit to Vietnam last year"
    placed = mention("review", 40, "visit", [(OBAMA, "agent"), (VIETNAM, "location")], YEAR_2016)
    [ev] = merge_events([hanoi, placed])[0]
    assert (ev.time.value, len(ev.sources)) == ("2016-05-22", 2)
    # in the same article, the year still joins the dated report
    same = mention("hanoi", 300, "visit", [(OBAMA, "agent")], YEAR_2016)
    assert len(merge_events([hanoi, same])[0]) == 1


def test_two_unplaced_reports_keep_the_weekday_value():
    a = mention("000", 10, "call", [(BLINKEN, "agent"), (QIN, "recipient")], ANY_WED)
    b = mention("001", 10, "call", [(BLINKEN, "agent"), (QIN, "recipient")], None)
    [ev] = merge_events([a, b])[0]
    assert (ev.time.value, ev.time.start_date, len(ev.sources)) == ("XXXX-WXX-3", None, 2)


def test_one_appointee_named_on_one_day_is_one_appointment_whoever_is_credited():
    un = ("United Nations", "ORG", "ent-un")
    assembly = ("UN General Assembly", "ORG", "ent-unga")
    lopez = ("Maria Lopez", "PERSON", "ent-maria-lopez")
    head = mention("a", 1, "appointment", [(un, "agent"), (lopez, "recipient")], WED)
    body = mention("a", 90, "appointment", [(assembly, "agent"), (lopez, "recipient")], WED)
    [ev] = merge_events([head, body])[0]
    assert len(ev.sources) == 2


def test_statements_one_article_dates_differently_are_two_speech_acts():
    last_week = TimeMention(0, 9, "last week", "DATE", "2023-W23", "2023-06-05", "2023-06-11", "week", True)
    friday = TimeMention(0, 6, "Friday", "DATE", "2023-06-09", "2023-06-09", "2023-06-09", "day", True)
    a = mention("a", 1, "statement", [(MILLER, "speaker")], last_week)
    b = mention("a", 90, "statement", [(MILLER, "speaker")], friday)
    c = mention("b", 5, "statement", [(MILLER, "speaker")], friday)
    events, _ = merge_events([a, b, c])
    assert sorted((e.time.value, len(e.sources)) for e in events) == [("2023-06-09", 2), ("2023-W23", 1)]


def test_acts_of_reduced_relations_in_one_sentence_stay_apart_with_verb_labels():
    norway = ("Norway", "GPE", "ent-norway")
    expel = replace(mention("a", 10, "other", [(norway, "agent")], WED), trigger="expelled")
    recall = replace(mention("a", 40, "other", [(norway, "agent")], WED), trigger="recalled",
                     source=expel.source)
    events, _ = merge_events([expel, recall])
    assert sorted(e.label for e in events) == ["Norway expels", "Norway recalls"]


def test_an_articles_weekday_pinned_by_one_merged_report_dates_its_other_events():
    dated = mention("004", 480, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED)
    both = mention("000", 300, "call", [(QIN, "agent"), (BLINKEN, "recipient")], ANY_WED)
    said = mention("000", 900, "statement", [(MILLER, "speaker")], ANY_WED)
    other_doc = mention("001", 50, "statement", [(QIN, "speaker")], ANY_WED)  # no pin in its own article
    events, _ = merge_events([dated, both, said, other_doc])
    got = sorted((e.type, e.sources[0].doc, e.time.value, e.time.text) for e in events)
    assert got == [("call", "000", "2023-06-14", "Wednesday"),
                   ("statement", "000", "2023-06-14", "Wednesday"),
                   ("statement", "001", "XXXX-WXX-3", "Wednesday")]


def test_a_weekday_pinned_to_two_dates_pins_nothing():
    tue_a = TimeMention(0, 7, "Tuesday", "DATE", "2023-06-13", "2023-06-13", "2023-06-13", "day", True)
    tue_b = TimeMention(0, 7, "Tuesday", "DATE", "2023-06-06", "2023-06-06", "2023-06-06", "day", True)
    any_tue = TimeMention(0, 7, "Tuesday", "DATE", "XXXX-WXX-2", None, None, "day", False)
    a = mention("x", 1, "call", [(BLINKEN, "agent"), (QIN, "recipient")], tue_a)
    b = mention("y", 1, "meeting", [(BLINKEN, "agent"), (QIN, "recipient")], tue_b)
    c1 = mention("z", 1, "call", [(BLINKEN, "agent"), (QIN, "recipient")], any_tue)
    c2 = mention("z", 90, "meeting", [(BLINKEN, "agent"), (QIN, "recipient")], any_tue)
    said = mention("z", 200, "statement", [(MILLER, "speaker")], any_tue)
    events, _ = merge_events([a, b, c1, c2, said])
    assert (only_time(events, "call"), only_time(events, "meeting")) == ("2023-06-13", "2023-06-06")
    assert only_time(events, "statement") == "XXXX-WXX-2"


def only_time(events, typ):
    [ev] = [e for e in events if e.type == typ]
    return ev.time.value


def test_other_unplaced_times_of_a_pinned_article_are_read_from_its_pinned_day():
    any_feb = TimeMention(0, 8, "February", "DATE", "XXXX-02", None, None, "month", False)
    weekend = TimeMention(0, 11, "the weekend", "DATE", "XXXX-WXX-WE", None, None, "week", False)
    any_sep = TimeMention(0, 9, "September", "DATE", "XXXX-09", None, None, "month", False)
    dated = mention("004", 480, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED)
    both = mention("000", 300, "call", [(QIN, "agent"), (BLINKEN, "recipient")], ANY_WED)
    put_off = mention("000", 700, "postponement", [(BLINKEN, "agent"), (CHINA, "location")], any_feb, "postponed")
    trip = mention("000", 900, "visit", [(BLINKEN, "agent"), (CHINA, "location")], weekend, "planned")
    summit = mention("000", 990, "meeting", [(MILLER, "agent"), (QIN, "recipient")], any_sep, "planned")
    events, _ = merge_events([dated, both, put_off, trip, summit])
    got = {e.type: (e.time.value, e.time.start_date, e.time.end_date, e.time.text) for e in events}
    assert got["postponement"] == ("2023-02", "2023-02-01", "2023-02-28", "February")
    assert got["visit"] == ("2023-W24-WE", "2023-06-17", "2023-06-18", "the weekend")
    assert got["meeting"] == ("2023-09", "2023-09-01", "2023-09-30", "September")


def test_an_undated_report_of_a_frequent_person_is_compared_only_with_clusters_it_could_join(monkeypatch):
    # three hundred articles each report an undated call of Blinken with someone else; two report
    # his call with Qin. Only the clusters sharing two people (or the article) can take an undated
    # report from another article, so the blocks offer just those, not all of Blinken's clusters.
    import kg.merge as merge

    others = [mention(f"d{i:03d}", 1, "call", [(BLINKEN, "agent"), ((f"Envoy {i}", "PERSON", f"ent-envoy-{i}"),
                                                                    "recipient")]) for i in range(300)]
    first = mention("e000", 5, "call", [(BLINKEN, "agent"), (QIN, "recipient")])
    second = mention("e001", 5, "call", [(QIN, "agent"), (BLINKEN, "recipient"), (CHINA, "location")])
    asked = []
    real = merge._compatible
    monkeypatch.setattr(merge, "_compatible", lambda c, m, *mine: asked.append(m.doc) or real(c, m, *mine))
    events, index = merge_events(others + [first, second])
    assert len(events) == 301
    assert index[("e000", 5)] == index[("e001", 5)]
    assert len(asked) <= 2  # before blocking on shared people: one comparison per Blinken cluster, 300 and more


TUNISIA = ("Tunisia", "GPE", "ent-tunisia")
PERU = ("Peru", "GPE", "ent-peru")


def test_calls_with_another_country_or_told_by_one_plural_trigger_stay_apart():
    with_qin = mention("a", 10, "call", [(BLINKEN, "agent"), (QIN, "recipient")], WED)
    # "had phone calls with the presidents of Tunisia and Peru": one trigger, two calls
    tunisia = mention("a", 300, "call", [(BLINKEN, "agent"), (TUNISIA, "recipient")], WED)
    peru = replace(mention("a", 300, "call", [(BLINKEN, "agent"), (PERU, "recipient")], WED), index=301)
    events, _ = merge_events([with_qin, tunisia, peru])
    assert sorted(tuple(sorted(p.name for p in e.participants)) for e in events) == [
        ("Antony Blinken", "Peru"), ("Antony Blinken", "Qin Gang"), ("Antony Blinken", "Tunisia")]
    # a report naming only the caller still joins the call it tells
    lead = mention("a", 500, "call", [(BLINKEN, "agent")], WED)
    assert len(merge_events([with_qin, lead])[0]) == 1
