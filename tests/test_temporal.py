"""Temporal stage: detection, TIMEX3 values, direction from grammar, chaining and reference inference."""
import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from kg.records import TimeMention
from kg.temporal import (compatible, extract_times, infer_reference, infer_reference_year, most_precise,
                         time_value, times_from_doc)

REF = dt.date(2023, 6, 15)  # a Thursday


def _times(nlp, sentence, reference=REF):
    return times_from_doc(nlp(sentence), reference)


def _only(times, text):
    """The single mention whose text is ``text``."""
    hits = [t for t in times if t.text == text]
    assert len(hits) == 1, f"{text!r} not found once in {[t.text for t in times]}"
    return hits[0]


# sentence, expression, value, start_date, end_date, granularity (reference 2023-06-15, a Thursday)
RESOLVED = [
    # weekdays: past tense -> latest on or before; future -> next on or after; same weekday -> that day
    ("The foreign minister spoke to his counterpart on Wednesday about the dispute.",
     "Wednesday", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("Foreign Minister Dmitri Novak Tuesday announced new sanctions on the refinery.",
     "Tuesday", "2023-06-13", "2023-06-13", "2023-06-13", "day"),
    ("The prime minister will travel to Tokyo this Sunday for trade talks.",
     "this Sunday", "2023-06-18", "2023-06-18", "2023-06-18", "day"),
    ("The envoy is to visit Seoul on Friday, officials said.",
     "Friday", "2023-06-16", "2023-06-16", "2023-06-16", "day"),
    ("The president met union leaders on Thursday.",
     "Thursday", "2023-06-15", "2023-06-15", "2023-06-15", "day"),
    ("The delegation arrived in Geneva on Monday.",
     "Monday", "2023-06-12", "2023-06-12", "2023-06-12", "day"),
    ("The minister arrived in Kyiv last Friday.",
     "last Friday", "2023-06-09", "2023-06-09", "2023-06-09", "day"),
    ("Parliament will vote next Tuesday on the motion.",
     "next Tuesday", "2023-06-20", "2023-06-20", "2023-06-20", "day"),
    ("Ahead of the talks on Sunday, the envoy met local officials.",
     "Sunday", "2023-06-18", "2023-06-18", "2023-06-18", "day"),
    ("The upcoming visit on Sunday was announced by the ministry.",
     "Sunday", "2023-06-18", "2023-06-18", "2023-06-18", "day"),
    # a simple present head verb is futurate for a weekday, unless a past verb governs the time
    ("Voters head to the polls on Sunday in a test for the government.",
     "Sunday", "2023-06-18", "2023-06-18", "2023-06-18", "day"),
    ("Officials say the talks on Monday were productive.",
     "Monday", "2023-06-12", "2023-06-12", "2023-06-12", "day"),
    # months keep their granularity
    ("The summit was held in February in Brussels.",
     "February", "2023-02", "2023-02-01", "2023-02-28", "month"),
    ("His planned visit in February was cancelled after the incident.",
     "February", "2023-02", "2023-02-01", "2023-02-28", "month"),
    ("The minister had initially intended to visit Beijing in February.",
     "February", "2023-02", "2023-02-01", "2023-02-28", "month"),
    ("The report was published in August.",
     "August", "2022-08", "2022-08-01", "2022-08-31", "month"),
    ("Elections will be held in November, the commission said.",
     "November", "2023-11", "2023-11-01", "2023-11-30", "month"),
    ("The deal was first proposed in May.",
     "May", "2023-05", "2023-05-01", "2023-05-31", "month"),
    ("The two leaders met in Jakarta the previous November.",
     "the previous November", "2022-11", "2022-11-01", "2022-11-30", "month"),
    ("Russia invaded its neighbour in February last year.",
     "February last year", "2022-02", "2022-02-01", "2022-02-28", "month"),
    ("Prices have risen earlier this month.",
     "earlier this month", "2023-06", "2023-06-01", "2023-06-30", "month"),
    ("Exports fell sharply last month.",
     "last month", "2023-05", "2023-05-01", "2023-05-31", "month"),
    ("Talks are scheduled for next month.",
     "next month", "2023-07", "2023-07-01", "2023-07-31", "month"),
    # weeks and weekends
    ("Ministers met last week in Paris.",
     "last week", "2023-W23", "2023-06-05", "2023-06-11", "week"),
    ("The committee meets this week to review the budget.",
     "this week", "2023-W24", "2023-06-12", "2023-06-18", "week"),
    ("The minister will fly to Berlin over the weekend.",
     "the weekend", "2023-W24-WE", "2023-06-17", "2023-06-18", "week"),
    ("Protesters gathered in the capital over the weekend.",
     "the weekend", "2023-W23-WE", "2023-06-10", "2023-06-11", "week"),
    ("Thousands marched through the port city this past weekend.",
     "this past weekend", "2023-W23-WE", "2023-06-10", "2023-06-11", "week"),
    # years, quarters, seasons, decades
    ("Inflation has eased since the beginning of this year.",
     "the beginning of this year", "2023", "2023-01-01", "2023-12-31", "year"),
    ("The treaty was signed in 2022.",
     "2022", "2022", "2022-01-01", "2022-12-31", "year"),
    ("Growth slowed in mid-2022, the report said.",
     "mid-2022", "2022", "2022-01-01", "2022-12-31", "year"),
    ("The economy shrank last year.",
     "last year", "2022", "2022-01-01", "2022-12-31", "year"),
    ("Inflation peaked late last year.",
     "late last year", "2022", "2022-01-01", "2022-12-31", "year"),
    ("Construction will begin early next year.",
     "early next year", "2024", "2024-01-01", "2024-12-31", "year"),
    ("Sales rose in the second quarter of 2023.",
     "the second quarter of 2023", "2023-Q2", "2023-04-01", "2023-06-30", "quarter"),
    ("Revenue grew in Q3 2022.",
     "Q3 2022", "2022-Q3", "2022-07-01", "2022-09-30", "quarter"),
    ("The reservoir levels dropped this summer.",
     "this summer", "2023-SU", "2023-06-01", "2023-08-31", "quarter"),
    ("The war began in the spring of 2021.",
     "the spring of 2021", "2021-SP", "2021-03-01", "2021-05-31", "quarter"),
    ("The port city grew rapidly in the 1990s.",
     "the 1990s", "199", "1990-01-01", "1999-12-31", "decade"),
    ("The programme ran from 2019 to 2022.",
     "2019 to 2022", "2019", "2019-01-01", "2022-12-31", "year"),
    # days relative to the reference
    ("The minister said tonight that talks would continue.",
     "tonight", "2023-06-15TNI", "2023-06-15", "2023-06-15", "day"),
    ("He resigned yesterday, his office said.",
     "yesterday", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("The vote will take place tomorrow.",
     "tomorrow", "2023-06-16", "2023-06-16", "2023-06-16", "day"),
    ("Rockets hit the city last night.",
     "last night", "2023-06-14TNI", "2023-06-14", "2023-06-14", "day"),
    ("The strike began on Wednesday night.",
     "Wednesday night", "2023-06-14TNI", "2023-06-14", "2023-06-14", "day"),
    ("The company reported losses two years ago.",
     "two years ago", "2021", "2021-01-01", "2021-12-31", "year"),
    ("The agency reported the outbreak three weeks ago.",
     "three weeks ago", "2023-05-25", "2023-05-25", "2023-05-25", "day"),
    ("The storm hit the coast at 3 p.m. on Tuesday.",
     "3 p.m.", "2023-06-13T15:00", "2023-06-13", "2023-06-13", "day"),
    ("The ceasefire, which took effect at midnight on Sunday, held through Monday morning.",
     "Monday morning", "2023-06-12TMO", "2023-06-12", "2023-06-12", "day"),
    # a part of the day after a preposition takes the day its sentence names
    ("The ministers met on Tuesday in the morning and left for Brussels in the evening.",
     "the evening", "2023-06-13TEV", "2023-06-13", "2023-06-13", "day"),
    ("Talks resumed on June 3 during the night, the ministry said.",
     "the night", "2023-06-03TNI", "2023-06-03", "2023-06-03", "day"),
    ("Markets rallied in the second half of the year.",
     "the second half of the year", "2023", "2023-01-01", "2023-12-31", "year"),
    ("The minister was sworn in on 1 January.",
     "1 January", "2023-01-01", "2023-01-01", "2023-01-01", "day"),
    # absolute dates in several formats (no reference needed)
    ("The bill was passed on June 14, 2023, by a narrow margin.",
     "June 14, 2023", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("The ceasefire was agreed on 14 June 2023 in Doha.",
     "14 June 2023", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("The report was released on 2023-06-14.",
     "2023-06-14", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("The agreement dated 14/06/2023 was made public.",
     "14/06/2023", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("The law took effect on Jan. 5, 2021.",
     "Jan. 5, 2021", "2021-01-05", "2021-01-05", "2021-01-05", "day"),
    ("Elections were held in June 2021.",
     "June 2021", "2021-06", "2021-06-01", "2021-06-30", "month"),
    ("The minister said on Wednesday, June 14, that talks had failed.",
     "Wednesday, June 14", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("The accord was signed on the 14th of June.",
     "the 14th of June", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    # ranges: value is the start, the dates cover the range
    ("The conference will run from June 16 to 21 in London.",
     "June 16 to 21", "2023-06-16", "2023-06-16", "2023-06-21", "day"),
    ("The festival runs from March 28-31 in Lisbon.",
     "March 28-31", "2023-03-28", "2023-03-28", "2023-03-31", "day"),
    ("The minister will tour the region from June 30 to July 2.",
     "June 30 to July 2", "2023-06-30", "2023-06-30", "2023-07-02", "day"),
]


@pytest.mark.parametrize("sentence, text, value, start, end, granularity", RESOLVED)
def test_expression_resolves_against_reference(nlp, sentence, text, value, start, end, granularity):
    t = _only(_times(nlp, sentence), text)
    assert (t.value, t.start_date, t.end_date, t.granularity) == (value, start, end, granularity)
    assert sentence[t.start:t.end] == t.text


# sentence, expression, type, value: no calendar dates, no granularity
UNDATED = [
    ("The ban has been in place for a decade.", "a decade", "DURATION", "P10Y"),
    ("The ministers met for about a month of negotiations.", "about a month", "DURATION", "P1M"),
    ("The minister spent three days in Paris.", "three days", "DURATION", "P3D"),
    ("Output has doubled over the past two years.", "the past two years", "DURATION", "P2Y"),
    ("A three-day visit to Cairo was announced.", "three-day", "DURATION", "P3D"),
    ("The talks lasted 24 hours.", "24 hours", "DURATION", "PT24H"),
    ("The two sides have held talks each season.", "each season", "SET", "P3M"),
    ("Officials have met twice a year since the war.", "twice a year", "SET", "P1Y"),
    ("The envoy will hold talks every Monday with the rebels.", "every Monday", "SET", "XXXX-WXX-1"),
    ("The ministry publishes the figures weekly.", "weekly", "SET", "P1W"),
    ("Unemployment is currently at record lows.", "currently", "DATE", "PRESENT_REF"),
    ("Relations have deteriorated in recent months.", "recent months", "DATE", "PAST_REF"),
    ("The ministers will meet again in the coming weeks.", "the coming weeks", "DATE", "FUTURE_REF"),
]


@pytest.mark.parametrize("sentence, text, type_, value", UNDATED)
def test_durations_sets_and_general_references_have_no_dates(nlp, sentence, text, type_, value):
    t = _only(_times(nlp, sentence), text)
    assert (t.type, t.value, t.start_date, t.end_date, t.granularity) == (type_, value, None, None, None)


# without a reference date relative expressions keep X where the reference would have filled in
UNANCHORED = [
    ("The foreign minister spoke to his counterpart on Wednesday.", "Wednesday", "XXXX-WXX-3", "day"),
    ("The conference will run from June 16 to 21 in London.", "June 16 to 21", "XXXX-06-16", "day"),
    ("The summit was held in February in Brussels.", "February", "XXXX-02", "month"),
    ("Russia invaded its neighbour in February last year.", "February last year", "XXXX-02", "month"),
    ("Ministers met last week in Paris.", "last week", "XXXX-WXX", "week"),
    ("The minister will fly to Berlin over the weekend.", "the weekend", "XXXX-WXX-WE", "week"),
    ("The minister said tonight that talks would continue.", "tonight", "XXXX-XX-XXTNI", "day"),
    ("Inflation has eased since the beginning of this year.", "the beginning of this year", "XXXX", "year"),
    ("The reservoir levels dropped this summer.", "this summer", "XXXX-SU", "quarter"),
]


@pytest.mark.parametrize("sentence, text, value, granularity", UNANCHORED)
def test_without_reference_values_are_underspecified(nlp, sentence, text, value, granularity):
    t = _only(_times(nlp, sentence, reference=None), text)
    assert (t.value, t.start_date, t.end_date, t.granularity, t.anchored) == (value, None, None, granularity,
                                                                             False)


def test_a_part_of_the_day_with_no_day_in_its_sentence_is_no_time(nlp):
    assert [t.text for t in _times(nlp, "The ministers will meet in the morning, a spokesman said.")] == []
    # "the morning of June 5": the date speaks; the part of the day is not read apart from it
    assert [t.text for t in _times(nlp, "He arrived in the morning of June 5.")] == ["June 5"]


def test_absolute_dates_do_not_need_a_reference(nlp):
    t = _only(_times(nlp, "The treaty was signed on 14 June 2023 in Doha.", reference=None), "14 June 2023")
    assert (t.value, t.start_date, t.end_date, t.anchored) == ("2023-06-14", "2023-06-14", "2023-06-14", False)


def test_relative_expressions_are_marked_anchored(nlp):
    times = _times(nlp, "The treaty signed in 2022 was ratified last month.")
    assert [(t.text, t.anchored) for t in times] == [("2022", False), ("last month", True)]


CHAINS = [
    ("The talks collapsed on June 14. Two days later, the two sides met again.",
     "Two days later", "2023-06-16"),
    ("The rebels withdrew on May 3. The following day, the army entered the town.",
     "The following day", "2023-05-04"),
    ("The talks collapsed on June 2. A week later, the two sides met again.",
     "A week later", "2023-06-09"),
    ("The envoy left Cairo on March 10, 2021. Three days earlier, he had met the president.",
     "Three days earlier", "2021-03-07"),
]


@pytest.mark.parametrize("text, expression, value", CHAINS)
def test_relative_expressions_chain_on_the_previous_date(nlp, text, expression, value):
    t = _only(_times(nlp, text), expression)
    assert (t.value, t.start_date, t.end_date, t.granularity) == (value, value, value, "day")


def test_chain_on_the_reference_when_nothing_precedes(nlp):
    t = _only(_times(nlp, "Two days later, the ceasefire collapsed."), "Two days later")
    assert t.value == "2023-06-17"


@pytest.mark.parametrize("sentence", [
    "More than 2000 people attended the rally in 1,500 cars.",
    "Prime Minister Theresa May met the delegation.",
    "The 737 Max was grounded after 2,000 complaints.",
    "At least one soldier was wounded near Route 66.",
    "The two nations may march towards a deal.",
])
def test_numbers_and_names_are_not_times(nlp, sentence):
    assert _times(nlp, sentence) == []


def test_times_are_sorted_with_offsets_into_the_text(nlp):
    text = "On Friday the minister, who visited Rome in May, said he will return next week."
    times = _times(nlp, text)
    assert [t.text for t in times] == ["Friday", "May", "next week"]
    assert all(text[t.start:t.end] == t.text for t in times)


def test_extract_times_parses_raw_text(nlp):
    [t] = extract_times("Ministers met last week in Paris.", REF, nlp=nlp)
    assert (t.text, t.value) == ("last week", "2023-W23")


def test_reference_may_be_a_datetime(nlp):
    [t] = _times(nlp, "Ministers met last week in Paris.", reference=dt.datetime(2023, 6, 15, 23, 59))
    assert t.value == "2023-W23"


# ---------------------------------------------------------------------------
# time_value: one expression on its own

@pytest.mark.parametrize("text, direction, value, start, end, granularity", [
    ("February", -1, "2023-02", "2023-02-01", "2023-02-28", "month"),
    ("February", 1, "2024-02", "2024-02-01", "2024-02-29", "month"),
    ("June 16", 0, "2023-06-16", "2023-06-16", "2023-06-16", "day"),
    ("Wednesday", -1, "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("Wednesday", 1, "2023-06-21", "2023-06-21", "2023-06-21", "day"),
    ("Thursday", 1, "2023-06-15", "2023-06-15", "2023-06-15", "day"),
    ("the weekend", 1, "2023-W24-WE", "2023-06-17", "2023-06-18", "week"),
    ("the weekend", -1, "2023-W23-WE", "2023-06-10", "2023-06-11", "week"),
    ("last June", 0, "2022-06", "2022-06-01", "2022-06-30", "month"),
    ("the first quarter", -1, "2023-Q1", "2023-01-01", "2023-03-31", "quarter"),
    ("this decade", 0, "202", "2020-01-01", "2029-12-31", "decade"),
    ("December 28 to January 3, 2024", 0, "2023-12-28", "2023-12-28", "2024-01-03", "day"),
    ("the 19th century", 0, "18", "1800-01-01", "1899-12-31", None),
])
def test_time_value_uses_the_given_direction(text, direction, value, start, end, granularity):
    t = time_value(text, REF, direction=direction)
    assert (t.value, t.start_date, t.end_date, t.granularity) == (value, start, end, granularity)


def test_time_value_never_fills_a_missing_year_from_the_clock():
    t = time_value("June 14")
    assert (t.value, t.start_date, t.granularity) == ("XXXX-06-14", None, "day")


def test_time_value_keeps_month_granularity_of_absolute_dates():
    t = time_value("June 2023")
    assert (t.value, t.start_date, t.end_date, t.granularity) == ("2023-06", "2023-06-01", "2023-06-30", "month")


def test_time_value_of_plain_words_is_none():
    assert time_value("the foreign minister") is None


# ---------------------------------------------------------------------------
# most_precise

def _tm(value, granularity):
    return TimeMention(start=0, end=1, text=value, type="DATE", value=value, granularity=granularity)


def test_most_precise_prefers_the_finest_granularity():
    times = [_tm("2023", "year"), _tm("2023-W24", "week"), _tm("2023-06", "month")]
    assert most_precise(times).value == "2023-W24"


def test_most_precise_keeps_the_first_of_a_tie_and_skips_durations():
    times = [_tm("P1M", None), _tm("2023-06-14", "day"), _tm("2023-06-15", "day")]
    assert most_precise(times).value == "2023-06-14"
    assert most_precise([_tm("P1M", None)]) is None
    assert most_precise([]) is None


def test_most_precise_prefers_a_calendar_date_to_an_underspecified_one_of_the_same_granularity():
    loose = TimeMention(start=0, end=9, text="Wednesday", type="DATE", value="XXXX-WXX-3", granularity="day")
    placed = TimeMention(start=0, end=9, text="Wednesday", type="DATE", value="2023-06-14",
                         start_date="2023-06-14", end_date="2023-06-14", granularity="day")
    assert most_precise([loose, placed]) is placed


def _dated(value, start, end, granularity="day"):
    return TimeMention(start=0, end=1, text=value, type="DATE", value=value, start_date=start, end_date=end,
                       granularity=granularity)


@pytest.mark.parametrize("a, b, expected", [
    (_dated("2023-06-14", "2023-06-14", "2023-06-14"), _tm("XXXX-WXX-3", "day"), True),  # a Wednesday
    (_dated("2023-06-15", "2023-06-15", "2023-06-15"), _tm("XXXX-WXX-3", "day"), False),
    (_dated("2023-06-14", "2023-06-14", "2023-06-14"), _tm("XXXX-06-14", "day"), True),
    (_dated("2023-06-14", "2023-06-14", "2023-06-14"), _tm("XXXX-07", "month"), False),
    (_dated("2023-W24", "2023-06-12", "2023-06-18", "week"), _tm("XXXX-WXX-WE", "week"), True),
    (_dated("2023-06", "2023-06-01", "2023-06-30", "month"), _tm("XXXX-SU", "quarter"), True),
    (_dated("2023-06", "2023-06-01", "2023-06-30", "month"), _dated("2023-06-14", "2023-06-14", "2023-06-14"), True),
    (_dated("2023-05", "2023-05-01", "2023-05-31", "month"), _dated("2023-06-14", "2023-06-14", "2023-06-14"), False),
    (_tm("XXXX-WXX-3", "day"), _tm("XXXX-WXX-3", "day"), True),
    (_tm("XXXX-WXX-3", "day"), _tm("XXXX-WXX-4", "day"), False),
    (_dated("2023-06-14", "2023-06-14", "2023-06-14"), None, True),
])
def test_compatible_times_may_name_the_same_period(a, b, expected):
    assert compatible(a, b) is expected and compatible(b, a) is expected


# ---------------------------------------------------------------------------
# reference inference

INFERENCE = [
    # a full date in a past context: the article was written on or after it
    ("The talks in Vienna ended on Tuesday, June 13, 2023, without a deal. "
     "Diplomats said they would meet again next month.", dt.date(2023, 6, 13), 0.9),
    # a year plus "last year" gives the year; a future range bounds the day
    ("The two presidents agreed on a framework at the summit in Bali in 2022. The war began in February "
     "last year. The minister will visit the region from June 16 to 21.", dt.date(2023, 6, 15), 0.5),
    # a weekday written with its date corrects the year guessed from "in 2022"
    ("The trade fair first opened in 2022. The minister said on Wednesday, June 14, that the fair would "
     "expand.", dt.date(2023, 6, 14), 0.5),
    # a deadline is ahead of the writing: the letter's date bounds the reference, the extension's does not
    ("The council noted the letter of 20 March 2019 and agreed to an extension until 22 May 2019. "
     "The treaty had been amended in Strasbourg on 11 March 2019.", dt.date(2019, 3, 20), 0.5),
    # no year anywhere: nothing to infer
    ("The minister spoke to his counterpart on Wednesday and will travel abroad next week.", None, 0.0),
    # only the year is known: no made-up day
    ("The two presidents agreed on a framework at the summit in Bali in 2022. The war began in February "
     "last year.", None, 0.0),
]


@pytest.mark.parametrize("text, expected, min_confidence", INFERENCE)
def test_infer_reference_from_the_texts_own_anchors(nlp, text, expected, min_confidence):
    reference, confidence = infer_reference(nlp(text))
    assert reference == expected
    assert 0.0 <= confidence <= 1.0
    assert confidence >= min_confidence if expected else confidence == 0.0


def test_infer_reference_year_is_not_an_old_full_date_before_a_later_month(nlp):
    # the history's full date is older than what the article also reports: the text is written after both
    text = ("The two neighbours normalised diplomatic ties on June 22, 1965. The president took office in "
            "February 2013, and the foreign minister will visit Tokyo on Sunday.")
    year, confidence = infer_reference_year(nlp(text))
    assert year == 2013 and 0.0 < confidence < 0.7
    # a full date at least as late as every month and year still gives its year, with its confidence
    text = "The treaty was signed in March 1998. The ministers met on June 22, 2015, in Tokyo."
    assert infer_reference_year(nlp(text)) == (2015, 0.7)


def test_infer_reference_year_from_a_year_and_last_year(nlp):
    text = "The leaders met at the G20 summit in Bali in 2022. The war began in February last year."
    year, confidence = infer_reference_year(nlp(text))
    assert year == 2023 and 0.0 < confidence < 1.0


# ---------------------------------------------------------------------------
# the seed articles

SEED_EXPECTED = [  # (file prefix, expression, value, start, end)
    ("000", "Wednesday", "2023-06-14", "2023-06-14", "2023-06-14"),
    ("004", "Wednesday", "2023-06-14", "2023-06-14", "2023-06-14"),
    ("000", "February", "2023-02", "2023-02-01", "2023-02-28"),
    ("004", "February", "2023-02", "2023-02-01", "2023-02-28"),
    ("004", "June 16 to 21", "2023-06-16", "2023-06-16", "2023-06-21"),
    ("000", "the weekend", "2023-W24-WE", "2023-06-17", "2023-06-18"),
    ("000", "the previous November", "2022-11", "2022-11-01", "2022-11-30"),
    ("004", "last week", "2023-W23", "2023-06-05", "2023-06-11"),
    ("004", "this Sunday", "2023-06-18", "2023-06-18", "2023-06-18"),
    ("004", "February last year", "2022-02", "2022-02-01", "2022-02-28"),
    ("004", "tonight", "2023-06-15TNI", "2023-06-15", "2023-06-15"),
]


def test_seed_articles_resolve_like_the_gold(nlp, seeds_dir):
    times = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        times[path.name[:3]] = times_from_doc(nlp(path.read_text(encoding="utf-8")), REF)
    for prefix, text, value, start, end in SEED_EXPECTED:
        hits = [t for t in times[prefix] if t.text == text]
        assert hits, f"{text!r} not found in seed {prefix}"
        assert all((t.value, t.start_date, t.end_date) == (value, start, end) for t in hits), (prefix, hits)


def test_seed_reference_is_inferred_from_its_own_text(nlp, seeds_dir):
    [path] = sorted(seeds_dir.glob("004_*.txt"))
    reference, confidence = infer_reference(nlp(path.read_text(encoding="utf-8")))
    assert reference == REF and confidence >= 0.5


def test_a_tokenised_only_doc_still_gets_patterns_and_default_directions(nlp):
    doc = nlp.make_doc("Ministers met last week and again on Monday at 9:30.")
    times = times_from_doc(doc, REF)
    assert [(t.text, t.value) for t in times] == [("last week", "2023-W23"), ("Monday", "2023-06-12"),
                                                  ("9:30", "2023-06-12T09:30")]


# ---------------------------------------------------------------------------
# the table-driven set: tests/data/timex_cases.tsv (reference "-" = none; an empty span = no expression)

def _load_cases() -> list[dict]:
    path = Path(__file__).parent / "data" / "timex_cases.tsv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))
    for r in rows:
        r["reference"] = None if r["reference"] == "-" else dt.date.fromisoformat(r["reference"])
    return rows


CASES = _load_cases()
EXPRESSIONS = [c for c in CASES if c["span"]]
SENTENCES = defaultdict(list)
for _c in CASES:
    SENTENCES[(_c["reference"], _c["sentence"])].extend([_c["span"]] if _c["span"] else [])
_PARSED: dict = {}


def _case_times(nlp, reference, sentence):
    """Times of a table sentence, each sentence parsed once per session."""
    if (reference, sentence) not in _PARSED:
        _PARSED[(reference, sentence)] = times_from_doc(nlp(sentence), reference)
    return _PARSED[(reference, sentence)]


def test_the_table_holds_enough_expressions():
    assert len(EXPRESSIONS) >= 150


@pytest.mark.parametrize("case", EXPRESSIONS, ids=[f"{c['span']}|{c['reference']}" for c in EXPRESSIONS])
def test_table_expression_has_its_timex3_value(nlp, case):
    t = _only(_case_times(nlp, case["reference"], case["sentence"]), case["span"])
    assert (t.type, t.value) == (case["type"], case["value"])
    if case["interval"]:
        assert f"{t.start_date}/{t.end_date}" == case["interval"]
    if t.type in ("DURATION", "SET"):
        assert (t.start_date, t.end_date, t.granularity) == (None, None, None)


@pytest.mark.parametrize("reference, sentence", list(SENTENCES), ids=[s[:40] for _, s in SENTENCES])
def test_table_sentence_has_exactly_its_expressions(nlp, reference, sentence):
    found = [t.text for t in _case_times(nlp, reference, sentence)]
    assert sorted(found) == sorted(SENTENCES[(reference, sentence)])


# ---------------------------------------------------------------------------
# round 2: chaining, datelines and inference without a year

def test_a_date_in_a_side_clause_does_not_anchor_the_main_clause(nlp):
    times = _times(nlp, "The minister, who took office on June 2, said the attack had happened the day before.")
    assert _only(times, "the day before").value == "2023-06-14"


@pytest.mark.parametrize("text, expression", [
    ("The minister, who took office on June 2, resigned. Two days later, the envoy left.", "Two days later"),
    ("The talks held on June 2 were followed by a vote two days later.", "two days later"),
])
def test_a_side_clause_date_anchors_the_next_sentence_and_a_reduced_relative_anchors(nlp, text, expression):
    assert _only(_times(nlp, text), expression).value == "2023-06-04"


def test_chained_on_an_absolute_date_is_not_anchored(nlp):
    times = _times(nlp, "The accord was signed on March 3, 2021. Two days later it collapsed.")
    assert [(t.value, t.anchored) for t in times] == [("2021-03-03", False), ("2021-03-05", False)]


def test_chained_on_a_relative_date_stays_anchored(nlp):
    times = _times(nlp, "The accord was signed on March 3. Two days later it collapsed.")
    assert [(t.value, t.anchored) for t in times] == [("2023-03-03", True), ("2023-03-05", True)]


def test_a_dateline_a_day_before_the_reference_is_the_writing_day(nlp):
    text = "SEOUL, June 10 (Reuters) - Leaders are leaving the city Saturday after the summit was called off."
    times = times_from_doc(nlp(text), dt.date(2023, 6, 11))
    assert _only(times, "Saturday").value == "2023-06-10"


def test_a_dateline_far_from_the_reference_is_ignored(nlp):
    text = "SEOUL, June 1 (Reuters) - Leaders are leaving the city Saturday after the summit was called off."
    times = times_from_doc(nlp(text), dt.date(2023, 6, 11))
    assert _only(times, "Saturday").value == "2023-06-17"


INFERENCE_2 = [
    # a dateline gives the day, the text's full date the year
    ("WASHINGTON, March 3 (Reuters) - The president signed the bill on Tuesday. An earlier draft was rejected "
     "on February 20, 2022.", dt.date(2022, 3, 3), 0.8),
    # a photo caption's date and a cited document's date are not the day of writing
    ("The president takes the oath in the capital, May 7, 2022. (Reuters)\n\nThe president on Friday named "
     "a new cabinet.", None, 0.0),
    ("The cable, dated July 10, 2009, described the police chief as corrupt. It was published on Monday.",
     None, 0.0),
]


@pytest.mark.parametrize("text, expected, min_confidence", INFERENCE_2)
def test_infer_reference_from_datelines_not_captions(nlp, text, expected, min_confidence):
    reference, confidence = infer_reference(nlp(text))
    assert reference == expected
    assert confidence >= min_confidence if expected else confidence == 0.0


def test_a_weekday_with_its_day_picks_the_latest_fitting_year(nlp):
    doc = nlp("Parliament voted on Tuesday, April 13, to approve the budget.")
    assert infer_reference(doc, not_after=2026) == (dt.date(2021, 4, 13), 0.4)
    assert infer_reference(doc, not_after=2020) == (dt.date(2010, 4, 13), 0.4)
    assert infer_reference_year(doc, not_after=2020) == (2010, 0.3)


def test_keyed_windows_find_what_a_scan_of_the_whole_text_finds(monkeypatch):
    """Each pattern runs only near its key word; no match of any pattern may lie outside those windows."""
    import kg.temporal as temporal

    sentences = sorted({c["sentence"] for c in CASES}) + [
        "Talks resumed at 10 a.m. on Christmas Day and again the next morning; officials met twice a week.",
        "İstanbul hosted the envoys on Monday, and they will return in the near future, perhaps every year.",
    ]
    windowed = [[(f.start, f.end, f.parse) for f in temporal._scan(s)] for s in sentences]
    monkeypatch.setattr(temporal, "_windows", lambda text, key, lowered=None: [(0, len(text))])
    whole = [[(f.start, f.end, f.parse) for f in temporal._scan(s)] for s in sentences]
    assert windowed == whole
    assert sum(map(len, whole)) > 250


def test_a_text_whose_lower_case_is_longer_keeps_its_offsets(nlp):
    # "İ" lower-cases to two characters: the keys are then searched in the text itself
    text = "İzmir's mayor met the minister on June 5, 2023 and again the next morning."
    found = {(m.text, m.value) for m in extract_times(text, dt.date(2023, 6, 10))}
    assert found == {("June 5, 2023", "2023-06-05"), ("the next morning", "2023-06-06TMO")}


@pytest.mark.parametrize("sentence, value", [
    ("President Park will visit the United States this week.", "2015-W42"),  # written on a Sunday: the coming week
    ("President Park is visiting Washington this week.", "2015-W42"),
    ("President Park visited Washington this week.", "2015-W41"),  # the week that ends today
])
def test_this_week_on_a_sunday_follows_the_tense(nlp, sentence, value):
    assert [(t.text, t.value) for t in times_from_doc(nlp(sentence), dt.date(2015, 10, 11))] == [("this week", value)]


@pytest.mark.parametrize("text, value", [
    # a day a few days ahead in a past-tense clause: a plan told in the past
    ("Prime Minister Kenji Sato was expected to visit France before returning on July 18.", "2018-07-18"),
    # a day just before the report: the past reading
    ("The two ministers met on July 2 in Tokyo.", "2018-07-02"),
    # a day weeks ahead in a past-tense clause is last year's
    ("The two ministers met on August 30 in Tokyo.", "2017-08-30"),
])
def test_a_day_without_year_in_a_past_clause(nlp, text, value):
    [t] = [t for t in times_from_doc(nlp(text), dt.date(2018, 7, 9)) if t.type == "DATE"]
    assert t.value == value
