"""The time stage: find temporal expressions and normalise them to TIMEX3 values.

Detection is spaCy's DATE/TIME entities plus our own patterns for what the small
model misses or mis-cuts ("Blinken Wednesday spoke", "June 16 to 21",
"February last year", "over the weekend"). Every expression is parsed into a
small, reference-free description (:class:`_Parse`), then resolved against the
reference date (document creation time) and the direction the grammar gives
(past-tense head verb: the latest such day on or before the reference;
future: the next one). Granularity is kept: "February" is ``2023-02``, never a
day. Without a reference date, relative expressions stay underspecified with
X (``XXXX-WXX-3``, ``XXXX-06-16``). The machine clock is never read. A
dateline ("SEOUL, June 10 (Reuters) -") a day or three before the given
reference is the day the story was written, and relative expressions count
from it.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from .doccache import children, doc_text, ent_table
from .records import TimeMention, record

__all__ = ["times_from_doc", "extract_times", "dateline_dates", "infer_reference", "infer_reference_year",
           "most_precise", "compatible", "time_value", "GRANULARITY_ORDER", "NEWEST_YEAR"]

GRANULARITY_ORDER = ("day", "week", "month", "quarter", "year", "decade")
_RANK = {g: i for i, g in enumerate(GRANULARITY_ORDER)}

# ---------------------------------------------------------------------------
# vocabulary

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBERS.update({"a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                 "eighty": 80, "ninety": 90, "hundred": 100, "a couple of": 2, "a dozen": 12,
                 "once": 1, "twice": 2})
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "final": 4, "last": 4}
# unit -> (TIMEX3 duration letter, multiplier, granularity)
_UNITS = {"second": ("S", 1, None), "minute": ("M", 1, None), "hour": ("H", 1, None),
          "day": ("D", 1, "day"), "week": ("W", 1, "week"), "fortnight": ("W", 2, "week"),
          "month": ("M", 1, "month"), "quarter": ("M", 3, "quarter"), "year": ("Y", 1, "year"),
          "decade": ("Y", 10, "decade"), "century": ("Y", 100, None), "season": ("M", 3, "quarter"),
          "weekend": ("W", 1, "week")}

# Words before a bare year or month that make it a date ("in 2022", "since May").
_DATE_CONTEXT = {"in", "since", "by", "until", "till", "before", "after", "from", "during", "through",
                 "throughout", "of", "early", "late", "mid", "around", "and", "or", "to", "between",
                 "last", "next", "this", "end", "beginning", "start", "middle", "circa", "as"}
# Month names that are also common words or names: they need a date context.
_AMBIGUOUS_MONTHS = {"may", "march", "august"}
# Future cues on the noun a time attaches to; strong ones override a past-tense verb.
_STRONG_FUTURE = {"upcoming", "forthcoming", "coming", "next", "impending", "imminent", "ahead"}
# Verbs that set a date for something: in a past clause the date may still lie ahead.
_SCHEDULE = {"schedule", "scheduled", "reschedule", "rescheduled", "slate", "slated", "set", "plan", "planned",
             "due", "expect", "expected", "pencil", "pencilled", "penciled", "fix", "fixed", "book", "booked",
             "postpone", "postponed", "delay", "delayed", "push", "pushed", "move", "moved", "bring", "brought"}
# Nouns whose "to/until" date is a target: an extension, a deadline.
_DEADLINE = {"extension", "deadline", "delay", "postponement", "ultimatum", "moratorium", "reprieve"}
_WEAK_FUTURE = {"planned", "expected", "scheduled", "proposed", "intended", "anticipated", "awaited",
                "slated", "due", "plan", "schedule", "expect", "slate"}

# ---------------------------------------------------------------------------
# regex building blocks

MON = (r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
       r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)")
MONF = r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December)\b"
WD = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
DAY = r"\b(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
YEAR = r"\b(?:1[89]\d\d|20\d\d)(?![\d%])"
DASH = r"\s*(?:-|–|—|to|through|until|till)\s*"
MODP = (r"(?:(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|close|first\s+half|second\s+half|"
        r"latter\s+part|early\s+part)\s+of\s+|\b(?:early|late|mid|earlier|later)(?:\s+|-)(?:in\s+)?)")
NUMW = (r"\b(?:\d+(?:\.\d+)?|a\s+couple\s+of|a\s+few|a\s+dozen|an?|one|two|three|four|five|six|seven|eight|"
        r"nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
        r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|few|several|many)")
UNITS = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|centur(?:y|ies))\b"
APPROX = (r"(?:about|around|nearly|almost|roughly|approximately|some|more\s+than|less\s+than|over|under|"
          r"at\s+least|up\s+to|at\s+most|just\s+over|just\s+under)")
_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?)\"”’]|$)")


@record
class _Parse:
    """A temporal expression described without any reference date."""

    kind: str  # cal | weekday | shift | weekend | fixed | clock | dateparser
    type: str = "DATE"
    gran: str | None = None  # cal: day|month|quarter|season|year|decade
    year: int | None = None
    month: int | None = None
    day: int | None = None
    sub: str | None = None  # quarter "Q2" or season "SU"
    end: tuple[int | None, int | None, int | None] | None = None  # range end (y, m, d)
    weekday: int | None = None  # 0 = Monday
    qual: str | None = None  # last | next | this | previous | following
    yoff: int | None = None  # "February last year": year offset from the reference
    unit: str | None = None
    offset: int | None = None  # None: vague ("several days later")
    base: str = "ref"  # ref | anchor
    part: str | None = None  # MO | AF | EV | NI
    value: str | None = None  # fixed values and clock times
    point: bool = False  # "N days later": a count of days, not a calendar unit


@dataclass(frozen=True)
class _Ctx:
    """What a pattern's validator may look at around a match."""

    text: str
    ents: tuple[tuple[int, int], ...] = ()  # spaCy DATE/TIME entity spans
    standalone: bool = False  # normalising a phrase on its own: no context needed

    def in_ent(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.ents)

    def word_before(self, start: int) -> str:
        m = re.search(r"([A-Za-z]+)[\s-]*$", self.text[max(0, start - 30):start])
        return m.group(1).lower() if m else ""

    def dated(self, start: int, end: int) -> bool:
        """A bare year or month is a date here: standalone, inside a DATE entity or after a signal."""
        return self.standalone or self.in_ent(start, end) or self.word_before(start) in _DATE_CONTEXT


_PATTERNS: list[tuple[str, re.Pattern, Callable, str | None]] = []
# Keys: a word every match of a pattern contains. Patterns with a key run only in
# windows around the key's occurrences, which keeps the stage under a tenth of
# the parse time.
K_MON, K_WD, K_DIGIT = MON, WD, r"\d+"
K_UNIT = r"\b(?:second|minute|hour|day|week|fortnight|month|year|decade|centur|quarter|season)"
# One key for the patterns that start with a word of their own ("today", "soon", "every", "10 a.m."): one
# scan finds where any of them can match, instead of a scan of the whole text per pattern.
K_WORDS = (r"\b(?:christmas|year['’]s|boxing|armistice|valentine|halloween|weekend|overnight|today|tonight|"
           r"yesterday|tomorrow|morning|afternoon|evening|night|date|day|every|each|annual|biannual|semi-?annual|"
           r"biennial|daily|weekly|monthly|annually|yearly|quarterly|nightly|fortnightly|hourly|once|twice|times|"
           r"now|currently|nowadays|presently|present|moment|these\s+days|recently|lately|recent|past|soon|future|"
           r"coming|next\s+few|noon|midday|midnight)\b|\d\s*[ap]\.?m\b|\d[:h]\d")
_WINDOW = (70, 50)  # characters before and after a key


def _pattern(regex: str, key: str | None = None):
    """Register a builder ``(match, ctx) -> _Parse | None`` for ``regex`` (priority = order)."""
    def register(fn):
        _PATTERNS.append((fn.__name__, re.compile(r"\b(?=[\w'])(?:" + regex + ")", re.I), fn, key))
        return fn
    return register


def _num(text: str | None) -> int | None:
    """A count written in digits or words; None when vague ("several")."""
    if text is None:
        return 1
    text = re.sub(r"\s+", " ", text.lower())
    if text.replace(".", "", 1).isdigit():
        return int(float(text)) if float(text).is_integer() else None
    return _NUMBERS.get(text)


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _month(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _valid(y: int | None, m: int, d: int) -> bool:
    try:
        dt.date(y or 2000, m, d)  # 2000 is a leap year: 29 February stays possible
        return True
    except ValueError:
        return False


def _int(text: str | None) -> int | None:
    return int(text) if text else None


# ---------------------------------------------------------------------------
# patterns: absolute and partial calendar dates

@_pattern(rf"(?:(?P<wd>{WD}),?\s+)?(?P<m1>{MON})\s+(?P<d1>{DAY})(?:,?\s+(?P<y1>{YEAR}))?{DASH}"
          rf"(?:(?P<m2>{MON})\s+)?(?P<d2>{DAY})(?:,?\s+(?P<y2>{YEAR}))?", key=K_MON)
def range_month_day(m, ctx):
    """ "June 16 to 21", "March 28-31, 2023", "June 30 to July 2"."""
    m1, d1, d2 = _month(m["m1"]), _day(m["d1"]), _day(m["d2"])
    m2 = _month(m["m2"]) if m["m2"] else m1
    y2 = _int(m["y2"])
    y1 = _int(m["y1"]) or (y2 and (y2 if (m1, d1) <= (m2, d2) else y2 - 1))  # "December 28 to January 3, 2024"
    wraps = y1 is None and y2 is None and m2 < m1  # "December 28 to January 3": into the next year
    if (m1, d1) >= (m2, d2) and y1 == y2 and not wraps or not (_valid(y1, m1, d1) and _valid(y2, m2, d2)):
        return None
    return _Parse("cal", gran="day", year=y1, month=m1, day=d1, end=(y2, m2, d2),
                  weekday=_weekday(m["wd"]))


@_pattern(rf"(?P<d1>{DAY}){DASH}(?P<d2>{DAY})\s+(?:of\s+)?(?P<m>{MON})(?:,?\s+(?P<y>{YEAR}))?", key=K_MON)
def range_day_month(m, ctx):
    """ "16-21 June 2023"."""
    mo, d1, d2, y = _month(m["m"]), _day(m["d1"]), _day(m["d2"]), _int(m["y"])
    if d1 >= d2 or not _valid(y, mo, d2):
        return None
    return _Parse("cal", gran="day", year=y, month=mo, day=d1, end=(y, mo, d2))


@_pattern(rf"(?:(?P<wd>{WD}),?\s+)?(?P<m>{MON})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?", key=K_MON)
def month_day(m, ctx):
    """ "June 14", "Wednesday, June 14, 2023"."""
    mo, d, y = _month(m["m"]), _day(m["d"]), _int(m["y"])
    if not _valid(y, mo, d):
        return None
    return _Parse("cal", gran="day", year=y, month=mo, day=d, weekday=_weekday(m["wd"]))


@_pattern(rf"(?:(?P<wd>{WD}),?\s+)?(?:the\s+)?(?P<d>{DAY})(?:\s+of)?\s+(?P<m>{MON})(?:,?\s+(?P<y>{YEAR}))?",
          key=K_MON)
def day_month(m, ctx):
    """ "14 June 2023", "the 14th of June"."""
    return month_day(m, ctx)


# Holidays on a fixed day of the Gregorian calendar (movable feasts and national days are left out).
_HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24), "christmas": (12, 25),
             "new year's day": (1, 1), "new year's eve": (12, 31), "boxing day": (12, 26),
             "armistice day": (11, 11), "valentine's day": (2, 14), "halloween": (10, 31)}


@_pattern(r"(?-i:(?P<h>Christmas(?:\s+(?i:day|eve))?|New\s+Year['’]s\s+(?i:day|eve)|Boxing\s+Day|Armistice\s+Day|"
          rf"Valentine['’]s\s+Day|Halloween))\b(?:,?\s+(?P<y>{YEAR}))?", key=K_WORDS)
def holiday(m, ctx):
    """ "Christmas Day", "New Year's Eve 2022"; a bare "Christmas" needs a date signal ("at Christmas")."""
    name = re.sub(r"\s+", " ", m["h"].lower().replace("’", "'"))
    if name == "christmas" and not (m["y"] or ctx.word_before(m.start()) in _DATE_CONTEXT | {"on", "at", "over"}):
        return None
    month, day = _HOLIDAYS[name]
    return _Parse("cal", gran="day", year=_int(m["y"]), month=month, day=day)


@_pattern(rf"(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b", key=K_DIGIT)
def iso_date(m, ctx):
    """ "2023-06-14"."""
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    return _Parse("cal", gran="day", year=y, month=mo, day=d) if _valid(y, mo, d) else None


@_pattern(rf"\b\d{{1,2}}[/.]\d{{1,2}}[/.](?:1[89]|20)\d\d\b|{YEAR}/\d{{1,2}}/\d{{1,2}}\b", key=K_DIGIT)
def numeric_date(m, ctx):
    """ "14/06/2023", "26.08.2020": dotted dates are day first (European use), the rest go to dateparser."""
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", m.group())
    if dotted:
        d, mo, y = map(int, dotted.groups())
        return _Parse("cal", gran="day", year=y, month=mo, day=d) if _valid(y, mo, d) else None
    return _dateparser(m.group())


@_pattern(rf"(?:{MODP})?(?P<m>{MON}),?\s+(?:of\s+)?(?P<y>{YEAR})", key=K_MON)
def month_year(m, ctx):
    """ "February 2023", "mid-June 2022"."""
    return _Parse("cal", gran="month", year=int(m["y"]), month=_month(m["m"]))


@_pattern(rf"(?:{MODP})?(?P<m>{MON})\s+(?:of\s+)?(?P<q>this|last|next|the\s+previous|the\s+following)\s+year\b",
          key=K_MON)
def month_relative_year(m, ctx):
    """ "February last year", "March next year"."""
    q = m["q"].lower().split()[-1]
    yoff = {"this": 0, "last": -1, "previous": -1, "next": 1, "following": 1}[q]
    return _Parse("cal", gran="month", month=_month(m["m"]), yoff=yoff)


@_pattern(rf"(?:the\s+)?(?P<q>this|last|next|previous|following|coming|past)\s+(?P<m>{MONF})", key=K_MON)
def qualified_month(m, ctx):
    """ "the previous November", "last February", "this June"."""
    return _Parse("cal", gran="month", month=_month(m["m"]), qual=_qual(m["q"]))


@_pattern(rf"(?P<mod>{MODP})?(?P<m>{MONF})", key=K_MON)
def bare_month(m, ctx):
    """ "in May", "February", "mid-June"; "May"/"March" need a date context."""
    name = m["m"].lower()
    if name in _AMBIGUOUS_MONTHS and not m["mod"] and not ctx.dated(m.start("m"), m.end("m")):
        return None
    return _Parse("cal", gran="month", month=_MONTHS[name])


@_pattern(r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<c>(?:1[89]|20)\d0)s\b|"
          r"\bthe\s+(?:(?:early|mid|late)[\s-]+)?'?(?P<d>\d)0s\b", key=K_DIGIT)
def decade(m, ctx):
    """ "the 1990s", "the '90s"."""
    if m["c"]:
        start = int(m["c"])
    else:
        start = (1900 if int(m["d"]) >= 3 else 2000) + 10 * int(m["d"])
    return _Parse("cal", gran="decade", year=start)


@_pattern(r"(?:the\s+)?(?P<c>\d{1,2})(?:st|nd|rd|th)\s+century\b", key=K_DIGIT)
def century(m, ctx):
    """ "the 19th century" -> 18."""
    c = int(m["c"])
    if not 1 <= c <= 21:
        return None
    return _Parse("fixed", value=f"{c - 1:02d}", year=(c - 1) * 100)


@_pattern(rf"(?:the\s+)?(?P<o>first|second|third|fourth|final|1st|2nd|3rd|4th)\s+quarter"
          rf"(?:\s+of\s+(?:(?P<y>{YEAR})|(?:the\s+)?(?P<q>this|last|next|current|previous)\s+year|the\s+year))?",
          key=r"quarter")
def quarter(m, ctx):
    """ "the second quarter of 2023", "the first quarter"."""
    q = _ORDINALS[m["o"].lower()]
    yoff = {"this": 0, "current": 0, "last": -1, "previous": -1, "next": 1}.get((m["q"] or "").lower())
    return _Parse("cal", gran="quarter", sub=f"Q{q}", year=_int(m["y"]), yoff=yoff)


@_pattern(rf"(?-i:\bQ(?P<n>[1-4]))(?:\s+(?P<y>{YEAR}))?\b", key=K_DIGIT)
def quarter_short(m, ctx):
    """ "Q2 2023"."""
    return _Parse("cal", gran="quarter", sub=f"Q{m['n']}", year=_int(m["y"]))


@_pattern(rf"(?:the\s+)?(?:(?P<q>this|last|next|past|coming|previous|following)\s+)?"
          rf"(?P<s>spring|summer|autumn|winter|fall)\b(?:\s+(?:of\s+)?(?P<y>{YEAR}))?",
          key=r"\b(?:spring|summer|autumn|winter|fall)\b")
def season(m, ctx):
    """ "this summer", "last winter", "the summer of 2022"; "fall" needs a qualifier or year."""
    name = m["s"].lower()
    if m["s"][0].isupper() and re.match(r"\s+[A-Z]", ctx.text[m.end("s"):m.end("s") + 3]):
        return None  # a name: "the Summer Palace", "the Winter Olympics"
    if not (m["q"] or m["y"]):
        if name == "fall" or not (m.group().lower().startswith("the") or ctx.dated(m.start(), m.end())):
            return None
    return _Parse("cal", gran="season", sub=_SEASONS[name], year=_int(m["y"]),
                  qual=_qual(m["q"]) if m["q"] else None)


# ---------------------------------------------------------------------------
# patterns: years

@_pattern(rf"(?P<y1>{YEAR})\s*(?:-|–|—|to|through|until)\s*(?P<y2>(?:1[89]|20)\d\d|\d\d)\b", key=K_DIGIT)
def year_range(m, ctx):
    """ "2019-2022", "from 2019 to 2022"."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 < 100:
        y2 += y1 // 100 * 100
    if y2 <= y1 or not ctx.dated(m.start(), m.end()) and ctx.word_before(m.start()) != "from":
        return None
    return _Parse("cal", gran="year", year=y1, end=(y2, None, None))


@_pattern(rf"(?:{MODP})(?P<y>{YEAR})|\bthe\s+year\s+(?P<y2>{YEAR})", key=K_DIGIT)
def year_modified(m, ctx):
    """ "mid-2022", "the end of 2022", "the year 2022"."""
    return _Parse("cal", gran="year", year=int(m["y"] or m["y2"]))


@_pattern(rf"(?<![$€£.,\d])(?P<y>{YEAR})\b(?!\s*(?:-|–)\s*\d)(?!,\d)", key=K_DIGIT)
def bare_year(m, ctx):
    """ "in 2022": a four-digit number is a year only after a date signal or inside a DATE entity."""
    if not ctx.dated(m.start(), m.end()):
        return None
    return _Parse("cal", gran="year", year=int(m["y"]))


# ---------------------------------------------------------------------------
# patterns: relative to the reference date or to the previous date

@_pattern(rf"(?P<mod>{MODP})?(?:(?P<the>the)\s+)?(?P<q>this\s+past|this|last|next|past|previous|coming|following|"
          rf"current|same)\s+(?P<u>day|week|weekend|month|year|decade|quarter)\b(?![-–]\s*(?:old|long))", key=K_UNIT)
def relative_unit(m, ctx):
    """ "last week", "this year", "the previous month", "the next day", "earlier this month"."""
    q, u, the = m["q"].lower(), m["u"].lower(), bool(m["the"])
    if u == "weekend" and q in ("this past", "coming", "past"):
        return _Parse("weekend", offset=-1 if q != "coming" else 1)
    if q in ("past", "last") and the and not m["mod"]:
        return _duration(1, u)  # "the past week", "over the last year": a duration
    if q == "past" and not the:
        return _duration(1, u)
    if u == "day" and q in ("this", "last", "past", "current", "coming"):
        return None
    offset = {"this": 0, "current": 0, "same": 0, "last": -1, "previous": -1, "this past": -1,
              "next": 1, "coming": 1, "following": 1}[q]
    # "the next day", "the following week", "the previous month": anaphoric, relative to the last date
    base = "anchor" if q in ("previous", "following", "same") or (q == "next" and the) else "ref"
    return _Parse("shift", unit=u, offset=offset, base=base)


@_pattern(rf"(?:{MODP})the\s+(?P<u>day|week|month|year|decade)\b", key=K_UNIT)
def modified_unit(m, ctx):
    """ "the beginning of the year", "later in the week": the reference's own unit; "later in the day": the last day."""
    if m["u"].lower() == "day":
        if not re.match(r"(?i)earlier|later", m.group()):
            return None  # "at the end of the day" is an idiom
        return _Parse("shift", unit="day", offset=0, base="day")
    return _Parse("shift", unit=m["u"].lower(), offset=0)


@_pattern(r"\bthe\s+weekend\b", key=K_WORDS)
def the_weekend(m, ctx):
    """ "over the weekend": the next or the previous one, as the verb says."""
    return _Parse("weekend")


@_pattern(rf"(?:(?:the\s+)?(?P<q>this|last|next|previous|following|coming|past)\s+)?(?P<wd>{WD})"
          rf"(?:\s+(?P<part>morning|afternoon|evening|night))?", key=K_WD)
def weekday(m, ctx):
    """ "Wednesday", "this Sunday", "last Friday night"."""
    return _Parse("weekday", type="TIME" if m["part"] else "DATE", weekday=_weekday(m["wd"]),
                  qual=_qual(m["q"]) if m["q"] else None, part=_PARTS.get((m["part"] or "").lower()))


@_pattern(r"(?:\b(?:earlier|later)\s+)?\b(?P<w>today|tonight|yesterday|tomorrow)"
          r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b|"
          r"\b(?P<last>last)\s+(?P<lp>night|evening)\b|\bthis\s+(?P<this>morning|afternoon|evening)\b", key=K_WORDS)
def deictic_day(m, ctx):
    """ "today", "earlier today", "tonight", "yesterday morning", "last night", "last evening"."""
    word = (m["w"] or "").lower()
    offset = {"yesterday": -1, "tomorrow": 1}.get(word, -1 if m["last"] else 0)
    part = "NI" if word == "tonight" else _PARTS.get((m["part"] or m["lp"] or m["this"] or "").lower())
    return _Parse("shift", type="TIME" if part else "DATE", unit="day", offset=offset, part=part)


@_pattern(rf"(?:{APPROX}\s+)?(?P<n>{NUMW})\s+(?:more\s+)?(?P<u>{UNITS})\s+"
          r"(?P<dir>ago|later|earlier|afterwards?|before|after|from\s+now|hence|prior)\b", key=K_UNIT)
def point_shift(m, ctx):
    """ "two days later" (from the previous date), "three weeks ago" (from the reference)."""
    direction = m["dir"].lower()
    if direction in ("before", "after", "prior") and not _CLAUSE_END.match(ctx.text, m.end()):
        return None  # "two days before the summit": relative to an event we cannot date here
    n, unit = _num(m["n"]), _unit(m["u"])
    if unit not in ("day", "week", "month", "year", "decade", "fortnight"):
        return None
    if unit == "fortnight":
        unit, n = "week", None if n is None else 2 * n
    sign = -1 if direction in ("ago", "earlier", "before", "prior") else 1
    base = "ref" if direction in ("ago", "from now", "hence") else "anchor"
    return _Parse("shift", unit=unit, offset=None if n is None else sign * n, base=base, point=True)


@_pattern(r"\b(?:(?P<mod>earlier|later)\s+)?(?P<q>that|this|the\s+same)\s+(?P<u>date|day)\b", key=K_WORDS)
def anaphoric_date(m, ctx):
    """ "before this date", "later that day": the day last mentioned ("to this day" is not one)."""
    if m["q"].lower() == "this" and m["u"].lower() == "day" and not m["mod"]:
        return None
    return _Parse("shift", unit="day", offset=0, base="day")


@_pattern(r"\bovernight\b", key=K_WORDS)
def overnight(m, ctx):
    """ "overnight": the night before the reference (the night ahead in a future clause)."""
    return _Parse("shift", type="TIME", unit="day", offset=-1, part="NI", qual="overnight")


@_pattern(r"\bthe\s+(?P<q>next|following|previous|preceding|same)\s+(?P<part>morning|afternoon|evening|night)\b|"
          r"\bthe\s+day\s+(?P<dir>before|after)\b", key=K_WORDS)
def anaphoric_day(m, ctx):
    """ "the following morning", "the day before" (at the end of a clause)."""
    if m["dir"]:
        if not _CLAUSE_END.match(ctx.text, m.end()):
            return None
        return _Parse("shift", unit="day", offset=-1 if m["dir"].lower() == "before" else 1, base="anchor")
    offset = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0}[m["q"].lower()]
    return _Parse("shift", type="TIME", unit="day", offset=offset, base="anchor",
                  part=_PARTS[m["part"].lower()])


# ---------------------------------------------------------------------------
# patterns: durations, sets, general references, clock times

@_pattern(rf"(?:{APPROX}\s+(?!the\b)|the\s+(?:past|last|next|first|previous|coming|following)\s+)?"
          rf"(?P<n>{NUMW})\s+(?:(?:more|consecutive|straight|successive|full|whole)\s+)?(?P<u>{UNITS})", key=K_UNIT)
def duration(m, ctx):
    """ "two years", "about a month", "a decade", "the past three weeks"."""
    unit = _unit(m["u"])
    if unit == "second" and m["n"].lower() in ("a", "an"):
        return None  # "a second term"
    return _duration(_num(m["n"]), unit)


@_pattern(r"\b(?:for|in|within|over|just|only|mere|after)\s+"
          r"(?P<x>(?P<u>(?-i:days|weeks|months|years|decades|centuries)))\b"
          r"(?!\s+(?:ago|later|earlier|of\s+age|old))", key=K_UNIT)
def duration_vague(m, ctx):
    """ "for years", "just weeks after", "within days": a duration of unknown length (PXY)."""
    return _duration(None, _unit(m["u"]))


@_pattern(r"(?<!\bthe\s)(?<!\d\s)\b(?P<x>(?P<u>(?-i:days|weeks|months|years|decades|centuries)))\s+of\s+"
          r"(?!the\b|age\b|a\b|an\b|this\b|that\b)(?=[a-z])", key=K_UNIT)
def duration_of(m, ctx):
    """ "decades of law", "years of war": a vague stretch of time measured by what filled it."""
    return _duration(None, _unit(m["u"]))


@_pattern(rf"\b(?P<n>{NUMW}|\d+)-(?P<u>second|minute|hour|day|week|month|year|decade)\b(?![-–]old)", key=K_UNIT)
def duration_adjective(m, ctx):
    """ "a three-day visit", "a 10-year plan"."""
    return _duration(_num(m["n"]), m["u"].lower())


@_pattern(r"\bhalf\s+(?:an?\s+)?(?P<u>hour|day|year|decade|century)\b", key=K_UNIT)
def duration_half(m, ctx):
    """ "half an hour", "half a century"."""
    value = {"hour": "PT30M", "day": "PT12H", "year": "P6M", "decade": "P5Y", "century": "P50Y"}[m["u"].lower()]
    return _fixed(value, "DURATION")


@_pattern(rf"\b(?:every|each)\s+(?:(?P<other>other)\s+|single\s+)?(?P<u>day|week|month|year|season|quarter|"
          rf"decade|morning|afternoon|evening|night|weekend|spring|summer|autumn|winter|{WD})", key=K_WORDS)
def set_each(m, ctx):
    """ "each season", "every Monday", "every other week"."""
    u = m["u"].lower()
    n = 2 if m["other"] else 1
    if u in _WEEKDAYS:
        return _fixed(f"XXXX-WXX-{_WEEKDAYS[u] + 1}", "SET")
    if u in _PARTS:
        return _fixed(f"XXXX-XX-XXT{_PARTS[u]}", "SET")
    if u in _SEASONS:
        return _fixed(f"XXXX-{_SEASONS[u]}", "SET")
    if u == "weekend":
        return _fixed("XXXX-WXX-WE", "SET")
    return _fixed(_duration_value(n, u), "SET")  # a season counts as three months


@_pattern(r"(?-i:\b(?P<adj>annual|biannual|semi-?annual|biennial)\b)|"
          r"(?-i:\b(?P<adv>daily|weekly|monthly|annually|yearly|quarterly|nightly|fortnightly|hourly)\b)|"
          r"\b(?P<n>once|twice|three\s+times|four\s+times|\d+\s+times)\s+(?:a|an|per|every|each)\s+"
          r"(?P<u>day|week|month|year|decade)\b|\bevery\s+(?P<n2>"
          + NUMW[2:] + rf")\s+(?P<u2>{UNITS})", key=K_WORDS)
def set_frequency(m, ctx):
    """ "weekly", "annual", "twice a year", "every two years"."""
    if m["adj"]:  # "the annual summit": twice a year is every six months, biennial every two years
        return _fixed({"annual": "P1Y", "biennial": "P2Y"}.get(m["adj"], "P6M"), "SET")
    if m["adv"]:
        unit = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
                "quarterly": "quarter", "nightly": "day", "fortnightly": "fortnight", "hourly": "hour"}
        return _fixed(_duration_value(1, unit[m["adv"]]), "SET")
    if m["u"]:
        return _fixed(_duration_value(1, m["u"].lower()), "SET")
    return _fixed(_duration_value(_num(m["n2"]), _unit(m["u2"])), "SET")


@_pattern(r"\b(?:now|currently|nowadays|presently|at\s+present|at\s+the\s+moment|these\s+days)\b", key=K_WORDS)
def present_ref(m, ctx):
    """ "now", "currently"."""
    return _fixed("PRESENT_REF")


@_pattern(r"\b(?:recently|lately)\b|\b(?:in\s+)?(?P<x>recent\s+(?:days|weeks|months|years|decades|times))\b|"
          r"\bin\s+(?P<x2>the\s+past)\b(?!\s+(?:few|two|three|several|\d+|days|weeks|months|years))", key=K_WORDS)
def past_ref(m, ctx):
    """ "recently", "in recent months", "in the past"."""
    return _fixed("PAST_REF")


_NEAR = r"(?:(?:very\s+)?near|foreseeable|immediate|not[\s-]+too[\s-]+distant|not[\s-]+so[\s-]+distant)"


@_pattern(r"(?<!as\s)\bsoon\b(?!\s+as\b)|\b(?:in|into|to|for)\s+(?P<x>the\s+future)\b|"
          rf"\b(?P<x2>the\s+{_NEAR}\s+future)\b|\bthe\s+[\"“‘']\s*(?P<x3>{_NEAR}\s+future)\b|"
          r"\b(?P<x4>the\s+(?:coming|next\s+few)\s+(?:days|weeks|months|years))\b", key=K_WORDS)
def future_ref(m, ctx):
    """ "soon", "in the future", "the very near future", "in the coming weeks"."""
    return _fixed("FUTURE_REF")


@_pattern(r"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am\b|pm\b)|"
          r"\b(?P<h2>[01]?\d|2[0-3])(?::|(?-i:h))(?P<mi2>[0-5]\d)\b|\b(?P<w>noon|midday|midnight)\b", key=K_WORDS)
def clock(m, ctx):
    """ "3 p.m.", "7.30am", "10:30", "18h30", "noon": a time of day, placed on the nearest day in its sentence."""
    if m["w"]:
        value = "24:00" if m["w"].lower() == "midnight" else "12:00"
    elif m["h"]:
        h = int(m["h"]) % 12 + (12 if m["ap"].lower().startswith("p") else 0)
        value = f"{h:02d}:{m['mi'] or '00'}"
    else:
        value = f"{int(m['h2']):02d}:{m['mi2']}"
    return _Parse("clock", type="TIME", value=value)


@_pattern(r"\b(?:in|during)\s+(?P<x>the\s+(?P<part>morning|afternoon|evening|night))\b(?!\s+of\b)", key=K_WORDS)
def part_of_day(m, ctx):
    """ "met on Tuesday in the morning": that part of the day of its sentence (only when the sentence names
    a day: "in the morning" on its own says nothing of which day). "in the morning of March 5" is left to
    the date."""
    return _Parse("clock", type="TIME", value=_PARTS[m["part"].lower()], qual="part")


# ---------------------------------------------------------------------------
# small constructors

def _qual(q: str | None) -> str | None:
    q = (q or "").lower()
    return {"past": "last", "coming": "next"}.get(q, q or None)


def _weekday(name: str | None) -> int | None:
    return _WEEKDAYS[name.lower()] if name else None


def _unit(text: str) -> str:
    text = text.lower()
    if text.startswith("centur"):
        return "century"
    return text[:-1] if text.endswith("s") else text


def _duration_value(n: int | None, unit: str) -> str:
    """TIMEX3 duration: P1M, P10Y, PT3H, PXD (vague count)."""
    letter, mult, _ = _UNITS[unit]
    if n is None and unit in ("decade", "century"):
        return "PXDE" if unit == "decade" else "PXCE"  # "decades": a count of tens of years is unknown
    count = "X" if n is None else str(n * mult)
    return f"PT{count}{letter}" if unit in ("second", "minute", "hour") else f"P{count}{letter}"


def _duration(n: int | None, unit: str) -> _Parse:
    return _fixed(_duration_value(n, unit), "DURATION")


def _fixed(value: str, type_: str = "DATE") -> _Parse:
    return _Parse("fixed", type=type_, value=value)


@functools.lru_cache(maxsize=4096)
def _dateparser(text: str) -> _Parse | None:
    """An absolute date (with its year) by dateparser, keeping the parts the text gave.

    Only absolute parsers run and only on texts with a four-digit year, so
    dateparser never fills a missing year from the machine clock; the period
    it reports (day/month/year) is the granularity.
    """
    if not re.search(YEAR, text):
        return None
    data = _date_data_parser().get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    d, period = data.date_obj.date(), data.period
    if period == "year":
        return _Parse("cal", gran="year", year=d.year)
    if period == "month":
        return _Parse("cal", gran="month", year=d.year, month=d.month)
    if period in ("day", "time"):
        return _Parse("cal", gran="day", year=d.year, month=d.month, day=d.day)
    return None


@functools.lru_cache(maxsize=1)
def _date_data_parser():
    from dateparser.date import DateDataParser  # slow import: only when needed

    return DateDataParser(languages=["en"], settings={
        "PARSERS": ["custom-formats", "absolute-time"], "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False})


# ---------------------------------------------------------------------------
# scanning

@record
class _Found:
    start: int
    end: int
    parse: _Parse
    priority: int


def _scan(text: str, ents: tuple[tuple[int, int], ...] = (), standalone: bool = False) -> list[_Found]:
    """Every pattern match, overlaps resolved: the longest first, then the earlier pattern."""
    ctx = _Ctx(text, ents, standalone)
    found = []
    windows: dict[str, list[tuple[int, int]]] = {}
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): offsets would shift
        lowered = None
    for priority, (_, regex, build, key) in enumerate(_PATTERNS):
        if key is not None and key not in windows:
            windows[key] = _windows(text, key, lowered)
        spans = windows[key] if key is not None else [(0, len(text))]
        for m in (m for start, end in spans for m in regex.finditer(text, start, end)):
            parse = build(m, ctx)
            if parse is None:
                continue
            start, end = _extent(m)
            found.append(_Found(start, end, parse, priority))
    found.sort(key=lambda f: (-(f.end - f.start), f.priority, f.start))
    chosen: list[_Found] = []
    for f in found:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return _split_coordinated(text, sorted(chosen, key=lambda f: f.start), windows[K_MON])


# "March 5 and 6", "March 5, 6 and 7, 2023", "the 5th and 6th of March": one month, several days.
# After a bare last number, only a clause end or a function word ("March 5 and 6 soldiers" is no date).
_AFTER_DAY = r"(?=\s*(?:[,.;:)\"”]|$)|\s+(?:in|at|on|to|for|with|when|while|after|before|during|respectively|as|" \
             r"amid|but|and|where|from|between)\b)"
_COORD = re.compile(
    rf"(?P<m1>{MON})\s+(?P<a>{DAY}(?:,\s*{DAY})*,?\s+(?:and|or|&)\s+{DAY})(?:(?:,?\s+(?P<y1>{YEAR}))|{_AFTER_DAY})"
    rf"|\b(?:the\s+)?(?P<b>{DAY}(?:,\s*(?:the\s+)?{DAY})*,?\s+(?:and|or|&)\s+(?:the\s+)?{DAY})"
    rf"(?:\s+of)?\s+(?P<m2>{MON})(?:,?\s+(?P<y2>{YEAR}))?")


def _split_coordinated(text: str, found: list[_Found], windows: list[tuple[int, int]]) -> list[_Found]:
    """Coordinated days of one month are one expression each (TimeML tags every day).

    ``windows``: the stretches around month names, where the only matches can be.
    """
    if " and " not in text and " or " not in text and "&" not in text:
        return found
    extra: list[_Found] = []
    for m in (m for start, end in windows for m in _COORD.finditer(text, start, end)):
        group = "a" if m["a"] else "b"
        mo = _month(m["m1"] or m["m2"])
        year = _int(m["y1"] or m["y2"])
        days = [(d.start(), d.end(), _day(d.group())) for d in re.finditer(DAY, m[group])]
        if len(days) < 2 or not all(_valid(year, mo, d) for _, _, d in days):
            continue
        off = m.start(group)
        for i, (s, e, d) in enumerate(days):
            # the month and year join the first (group a) or the last (group b) day's span
            start = m.start() if group == "a" and i == 0 else off + s
            end = m.end() if (group == "b" or m["y1"]) and i == len(days) - 1 else off + e
            if group == "b" and i == 0 and text[m.start():start].lower().startswith("the"):
                start = m.start()
            extra.append(_Found(start, end, _Parse("cal", gran="day", year=year, month=mo, day=d), -1))
    if not extra:
        return found
    lo_hi = [(f.start, f.end) for f in extra]
    kept = [f for f in found if all(f.end <= s or f.start >= e for s, e in lo_hi)]
    return sorted(kept + extra, key=lambda f: f.start)


def _windows(text: str, key: str, lowered: str | None = None) -> list[tuple[int, int]]:
    """Merged stretches of text around the occurrences of ``key``, cut at whitespace.

    ``lowered``: ``text.lower()`` when it has the same length. A key with no case-sensitive part is
    then searched in it without ``re.I``, which Python's regular expressions match three times faster.
    """
    out: list[tuple[int, int]] = []
    before, after = _WINDOW
    matches = _compiled(key, False).finditer(lowered) if lowered is not None and _caseless(key) \
        else _compiled(key).finditer(text)
    for m in matches:
        start = max(0, m.start() - before)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = text.find(" ", min(len(text), m.end() + after))
        end = len(text) if end < 0 else end
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


@functools.lru_cache(maxsize=None)
def _caseless(key: str) -> bool:
    """Whether ``key`` matches lower-cased text as it matches any text under ``re.I``: no case-sensitive
    part, no upper-case letter (escapes such as ``\\D`` aside)."""
    return "(?-i:" not in key and not any(c.isupper() for c in re.sub(r"\\.", "", key))


@functools.lru_cache(maxsize=None)
def _compiled(key: str, ignore_case: bool = True) -> re.Pattern:
    return re.compile(key, re.I if ignore_case else 0)


def _extent(m: re.Match) -> tuple[int, int]:
    """The span of the expression: the ``x`` group when the match includes a signal word."""
    for name in ("x", "x2", "x3", "x4"):
        if name in m.re.groupindex and m[name] is not None:
            return m.span(name)
    start, end = m.span()
    text = m.group()
    return start + (len(text) - len(text.lstrip())), end - (len(text) - len(text.rstrip()))


def _doc_found(doc) -> list[_Found]:
    """Pattern matches plus spaCy DATE/TIME entities the patterns did not cover (via dateparser).

    The last document's result is kept, so that inferring its reference and
    tagging it scan the text once (the pipeline calls one right after the other).
    Not in ``doc.user_data``: that is serialised with the Doc and must stay plain.
    """
    ents = tuple((s, e) for _, _, label, s, e in ent_table(doc) if label in ("DATE", "TIME"))
    last = _LAST_FOUND.get("doc")
    if last is not None and last[0] is doc and last[1] == ents:  # holding the Doc keeps its id unique
        return list(last[2])
    found = _find(doc, ents)
    _LAST_FOUND["doc"] = (doc, ents, tuple(found))
    return found


_LAST_FOUND: dict[str, tuple] = {}


def _find(doc, ents: tuple[tuple[int, int], ...]) -> list[_Found]:
    """Scan the text, then give dateparser the spaCy entities no pattern covered."""
    text = doc_text(doc)
    found = _scan(text, ents)
    for s, e in ents:
        if any(not (e <= f.start or s >= f.end) for f in found):
            continue
        parse = _dateparser(text[s:e])
        if parse is not None:
            found.append(_Found(s, e, parse, len(_PATTERNS)))
    return sorted(found, key=lambda f: f.start)


# ---------------------------------------------------------------------------
# direction from grammar

_PRESENT = 2  # a simple present head verb: futurate for a weekday ("votes on Sunday"), else neutral


def _direction(span) -> int:
    """-1 when the expression's head verb is past, +1 future, 2 simple present, 0 when the grammar does not say."""
    tok, weak = span.root, False
    for _ in range(12):
        if tok.head.i == tok.i:
            break
        prev, tok = tok, tok.head
        low = tok.lower_
        if low == "ahead":
            return 1
        if tok.lemma_.lower() in _WEAK_FUTURE and tok.dep_ in ("acl", "amod"):
            return 1  # "the visit planned for Friday"
        if tok.lemma_.lower() in _DEADLINE and prev.lower_ in ("to", "until", "till", "for"):
            return 0  # "agreed to an extension to May 22": a target date, on either side of the reference
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            special = _participle_direction(tok)
            if special is not None:
                return special
            tense = _tense(tok)
            if tense is None:
                continue
            if weak and tense in (0, _PRESENT):
                return 1
            if tense == -1 and prev.lower_ in ("for", "to", "until", "till") and (
                    low in _SCHEDULE or tok.lemma_.lower() in _SCHEDULE):
                return 0  # "was scheduled for January 15": set in the past, for a day on either side
            return tense
        for child in children(tok):
            if child.dep_ in ("amod", "compound", "nmod", "advmod") or child.lower_ in _STRONG_FUTURE:
                if child.lower_ in _STRONG_FUTURE:
                    return 1
                weak = weak or child.lower_ in _WEAK_FUTURE
    return 1 if weak else 0


# Participles that open a period ("a term beginning January 1"): the date is the nearest, either side.
_ONSET = {"begin", "start", "commence", "expire", "end", "run", "last"}
# Verbs of getting ready: what one prepares for lies ahead of the clause's own time.
_PREPARE = {"gear", "prepare", "ready", "brace", "get"}


def _participle_direction(v) -> int | None:
    """Direction for participles that do not carry the clause's tense; None to use the tense."""
    has_aux = any(c.dep_ in ("aux", "auxpass") for c in children(v))
    lemma = v.lemma_.lower()
    if v.tag_ == "VBG" and lemma in _PREPARE and (lemma != "get" or any(c.lower_ == "ready" for c in children(v))):
        return 1  # "were gearing up for talks at the weekend"
    if has_aux or v.dep_ not in ("acl", "prep", "advcl"):
        return None
    if v.tag_ == "VBG" and lemma in _ONSET:
        return 0  # the parser often makes "beginning" a preposition, "starting" an adverbial clause
    if v.tag_ == "VBN" and v.dep_ == "acl":
        # "the countries involved ... on Saturday": a reduced relative takes a future from its governor
        # only when that one is plainly future ("are to host", "will hold"); otherwise it reports the past
        gov = next((a for a in v.ancestors if a.pos_ in ("VERB", "AUX")), None)
        return 1 if gov is not None and _plain_future(gov) else -1
    return None


def _plain_future(v) -> bool:
    """A verb with will/shall, or "be to" + infinitive ("are to host")."""
    auxs = {c.lower_ for c in children(v) if c.dep_ == "aux"}
    if auxs & {"will", "'ll", "shall"}:
        return True
    if "to" in auxs and v.dep_ == "xcomp" and v.head.lemma_ == "be":
        return True
    return v.lemma_ == "be" and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in children(c))
                                     for c in children(v))


def _tense(v) -> int | None:
    """Tense of a verb from its tag and auxiliaries; None for a participle clause (look further up)."""
    auxs = {c.lower_ for c in children(v) if c.dep_ in ("aux", "auxpass")}
    if auxs & {"will", "'ll", "shall", "wo", "would"}:
        return 1
    if v.tag_ == "VBN" and auxs & {"has", "have", "had", "'ve"}:
        return -1
    if "to" in auxs:
        gov = v.head
        if gov.i == v.i or not (gov.pos_ in ("VERB", "AUX")) or gov.lemma_ == "be":
            return 1  # "is due to visit", "plans to travel", "who were to hold talks on Friday"
        return -1 if _tense(gov) == -1 else 1  # "had intended to visit in February" is past
    if v.tag_ == "VBD" or auxs & {"did", "was", "were", "had"}:
        return -1
    if v.tag_ == "VBN":
        return 0 if auxs & {"is", "are", "am", "be", "being", "'s", "'re"} else -1
    if v.tag_ == "VBG":
        if auxs & {"is", "are", "am", "'s", "'re"}:
            return 1  # "is travelling on Sunday"
        return None if not auxs else 0
    if auxs & {"can", "may", "might", "should", "must", "could"}:
        return 1
    if v.tag_ in ("VBZ", "VBP") and not auxs:
        return _PRESENT
    return 0


# ---------------------------------------------------------------------------
# resolution

def _iso(d: dt.date) -> str:
    return d.isoformat()


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _interval(gran: str, year: int, month: int | None = None, day: int | None = None,
              sub: str | None = None) -> tuple[str, dt.date, dt.date]:
    """TIMEX3 value and inclusive dates of a calendar unit."""
    if gran == "day":
        d = dt.date(year, month, day)
        return _iso(d), d, d
    if gran == "month":
        return f"{year:04d}-{month:02d}", dt.date(year, month, 1), _month_end(year, month)
    if gran == "quarter" and sub.startswith("Q"):
        q = int(sub[1])
        return f"{year:04d}-{sub}", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    if gran in ("quarter", "season"):
        first, last = _SEASON_MONTHS[sub]
        end_year = year + 1 if last < first else year
        return f"{year:04d}-{sub}", dt.date(year, first, 1), _month_end(end_year, last)
    if gran == "year":
        return f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31)
    if gran == "decade":
        return f"{year // 10:03d}", dt.date(year // 10 * 10, 1, 1), dt.date(year // 10 * 10 + 9, 12, 31)
    raise ValueError(gran)


def _week(d: dt.date) -> tuple[str, dt.date, dt.date]:
    y, w, wd = d.isocalendar()
    monday = d - dt.timedelta(days=wd - 1)
    return f"{y:04d}-W{w:02d}", monday, monday + dt.timedelta(days=6)


def _weekend(d: dt.date) -> tuple[str, dt.date, dt.date]:
    value, monday, sunday = _week(d)
    return value + "-WE", monday + dt.timedelta(days=5), sunday


def _pick_year(bounds: Callable[[int], tuple[dt.date, dt.date]], base: dt.date, qual: str | None,
               direction: int) -> int:
    """The year of a month/day/season without one, from the qualifier or else the grammar's direction.

    last/previous: strictly before the base; next/following: strictly after;
    past: the latest on or before; future: the next on or after; otherwise the nearest.
    """
    years = range(base.year - 2, base.year + 3)
    spans = {y: bounds(y) for y in years}
    if qual == "this":
        return base.year
    if qual in ("last", "previous"):
        return max(y for y in years if spans[y][1] < base)
    if qual in ("next", "following"):
        return min(y for y in years if spans[y][0] > base)
    if direction < 0:
        s, e = spans[base.year]
        if s == e and 0 < (s - base).days <= 14:
            # a day a few days ahead, in a past-tense clause, is a plan told in the past ("Abe was expected to
            # visit France before returning on July 18", written July 9): news would not leave a year-old day
            # without its year
            return base.year
        return max(y for y in years if spans[y][0] <= base)
    if direction > 0:
        return min(y for y in years if spans[y][1] >= base)

    def distance(y: int) -> int:
        s, e = spans[y]
        return 0 if s <= base <= e else min(abs((s - base).days), abs((e - base).days))
    return min(years, key=lambda y: (distance(y), abs(y - base.year)))


_Resolved = tuple[str, "dt.date | None", "dt.date | None", "str | None", bool]


def _resolve_cal(p: _Parse, ref: dt.date | None, anchor: dt.date | None, direction: int) -> _Resolved:
    """Calendar units: absolute when the year is written, else placed around the reference."""
    gran = "quarter" if p.gran == "season" else p.gran
    if p.year is not None:
        value, start, end = _interval(p.gran, p.year, p.month, p.day, p.sub)
        if p.end:
            ey, em, ed = p.end
            end = _interval("day" if ed else "year", ey or p.year, em, ed)[2]
        return value, start, end, gran, False
    base = anchor if p.qual in ("previous", "following") and anchor else ref
    if base is None:
        return _underspecified(p), None, None, gran, False
    if p.yoff is not None:
        year = ref.year + p.yoff
    else:
        year = _pick_year(lambda y: _range_bounds(p, y), base, p.qual, direction)
    value, start, end = _interval(p.gran, year, p.month, _safe_day(year, p), p.sub)
    if p.end:
        _, em, ed = p.end
        end = dt.date(year + (1 if (em, ed) < (p.month, p.day) else 0), em, ed)
    return value, start, end, gran, True


@functools.lru_cache(maxsize=4096)  # the same few months and days recur through a corpus, five years each
def _range_bounds(p: _Parse, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar expression placed in ``year``; a range runs to its end day."""
    _, start, end = _interval(p.gran, year, p.month, _safe_day(year, p), p.sub)
    if p.end and p.end[1] and p.end[2]:
        _, em, ed = p.end
        end_year = year + (1 if (em, ed) < (p.month, p.day) else 0)
        end = dt.date(end_year, em, min(ed, calendar.monthrange(end_year, em)[1]))
    return start, end


def _safe_day(year: int, p: _Parse) -> int | None:
    """29 February in a year without one falls back to the 28th."""
    if p.day is None:
        return None
    return min(p.day, calendar.monthrange(year, p.month)[1])


def _underspecified(p: _Parse) -> str:
    """TIMEX3 value with X for what only the reference date could give."""
    if p.gran == "day":
        return f"XXXX-{p.month:02d}-{p.day:02d}"
    if p.gran == "month":
        return f"XXXX-{p.month:02d}"
    return f"XXXX-{p.sub}"


def _resolve_weekday(p: _Parse, ref: dt.date | None, anchor: dt.date | None, direction: int) -> _Resolved:
    """A weekday: the latest one on or before the base for past events, the next one for future."""
    base = anchor if p.qual in ("previous", "following") and anchor else ref
    if base is None:
        value = f"XXXX-WXX-{p.weekday + 1}" + (f"T{p.part}" if p.part else "")
        return value, None, None, "day", False
    back = (base.weekday() - p.weekday) % 7
    ahead = (p.weekday - base.weekday()) % 7
    if p.qual in ("last", "previous"):
        d = base - dt.timedelta(days=back or 7)
    elif p.qual in ("next", "following"):
        d = base + dt.timedelta(days=ahead or 7)
    elif direction > 0 or (p.qual == "this" and direction == 0):
        d = base + dt.timedelta(days=ahead)
    else:
        d = base - dt.timedelta(days=back)
    return _iso(d) + (f"T{p.part}" if p.part else ""), d, d, "day", True


def _resolve_shift(p: _Parse, ref: dt.date | None, anchor: TimeMention | None, direction: int = 0) -> _Resolved:
    """ "last week", "two days later", "tonight": a unit shifted from the reference or the previous date."""
    base, base_gran, anchored = ref, "day", True
    if p.base in ("anchor", "day") and anchor is not None:
        base, base_gran = dt.date.fromisoformat(anchor.start_date), anchor.granularity or "day"
        anchored = anchor.anchored  # chained on an absolute date, the reference played no part
    elif base is not None and p.unit == "week" and p.offset == 0 and not p.point and direction > 0 \
            and base.weekday() == 6:
        base = base + dt.timedelta(days=1)  # "will visit this week", written on a Sunday: the week that begins
    unit_gran = _UNITS[p.unit][2]
    if p.point and p.unit == "week":
        unit_gran = "day"  # "a week later" counts seven days from a day
    gran = max(unit_gran, base_gran, key=_RANK.__getitem__)
    if base is None or p.offset is None:
        unknown = "XXXX-WXX-WE" if p.unit == "weekend" else _UNKNOWN[gran]
        return unknown + (f"T{p.part}" if p.part else ""), None, None, gran, False
    n = p.offset
    if p.unit == "day":
        d = base + dt.timedelta(days=n)
    elif p.unit in ("week", "weekend"):
        d = base + dt.timedelta(weeks=n)
    elif p.unit in ("month", "quarter"):
        y, m = _add_months(base.year, base.month, n * (3 if p.unit == "quarter" else 1))
        d = dt.date(y, m, min(base.day, calendar.monthrange(y, m)[1]))
    else:
        d = dt.date(base.year + n * (10 if p.unit == "decade" else 1), base.month, min(base.day, 28))
    value, start, end = _at(gran if p.unit != "weekend" else "weekend", d)
    return value + (f"T{p.part}" if p.part else ""), start, end, gran, anchored


_UNKNOWN = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX",
            "year": "XXXX", "decade": "XXX"}


def _at(gran: str, d: dt.date) -> tuple[str, dt.date, dt.date]:
    """The unit of granularity ``gran`` containing day ``d``."""
    if gran == "week":
        return _week(d)
    if gran == "weekend":
        return _weekend(d)
    if gran == "quarter":
        return _interval("quarter", d.year, sub=f"Q{(d.month - 1) // 3 + 1}")
    return _interval(gran, d.year, d.month, d.day)


def _resolve_weekend(p: _Parse, ref: dt.date | None, direction: int) -> _Resolved:
    """ "over the weekend": this week's (future, or when the reference is in it), else the previous one."""
    if ref is None:
        return "XXXX-WXX-WE", None, None, "week", False
    direction = p.offset if p.offset is not None else direction
    if direction > 0 or ref.weekday() >= 5:
        d = ref
    else:
        d = ref - dt.timedelta(days=7)
    value, start, end = _weekend(d)
    return value, start, end, "week", True


def _resolve(p: _Parse, ref: dt.date | None, direction: int, anchor: TimeMention | None) -> _Resolved:
    """TIMEX3 value, inclusive dates, granularity and whether the reference was used."""
    anchor_day = dt.date.fromisoformat(anchor.start_date) if anchor is not None else None
    if direction == _PRESENT:
        direction = 1 if p.kind in ("weekday", "weekend") else 0
    if p.qual == "overnight" and direction > 0:
        p = replace(p, offset=0)  # "will be moved overnight": the coming night
    if p.kind == "cal":
        return _resolve_cal(p, ref, anchor_day, direction)
    if p.kind == "weekday":
        return _resolve_weekday(p, ref, anchor_day, direction)
    if p.kind == "shift":
        return _resolve_shift(p, ref, anchor, direction)
    if p.kind == "weekend":
        return _resolve_weekend(p, ref, direction)
    if p.kind == "fixed" and p.year is not None:  # a century
        return p.value, dt.date(p.year, 1, 1), dt.date(p.year + 99, 12, 31), None, False
    return p.value, None, None, None, False


def _mention(start: int, end: int, text: str, p: _Parse, resolved: _Resolved) -> TimeMention:
    value, sd, ed, gran, anchored = resolved
    return TimeMention(start=start, end=end, text=text, type=p.type, value=value,
                       start_date=_iso(sd) if sd else None, end_date=_iso(ed) if ed else None,
                       granularity=gran, anchored=anchored)


def _as_date(reference) -> dt.date | None:
    if isinstance(reference, dt.datetime):
        return reference.date()
    return reference


# ---------------------------------------------------------------------------
# public API

def times_from_doc(doc, reference: dt.date | None) -> list[TimeMention]:
    """Every temporal expression of a parsed Doc, sorted by offset, with TIMEX3 values.

    Relative expressions are resolved against ``reference`` (None: X values);
    "two days later" and "the previous month" against the previous dated
    expression of the document.
    """
    text = doc_text(doc)
    reference = _filed(text, _as_date(reference))
    out: list[TimeMention] = []
    dated: list[tuple[TimeMention, _Found]] = []  # the dated expressions so far
    day_anchor: TimeMention | None = None  # the previous day ("later in the day")
    clocks = []
    parsed = doc.has_annotation("DEP")  # walks every token: once per document
    for f in _doc_found(doc):
        if f.parse.kind == "clock":
            clocks.append((len(out), f))
            out.append(None)
            continue
        if parsed and f.parse.qual == "overnight" and _is_modifier(doc, f):
            continue  # "overnight talks", "an overnight stay": not a time
        if f.parse.base == "day" and (day_anchor is None or parsed and _is_idiom_day(doc, f)):
            continue  # "that day" with no day before it, "the day would come": not a date
        base = dated[-1][0] if dated else None
        if f.parse.base == "anchor" and parsed:
            base = _chain_base(doc, f, dated)
        direction = _span_direction(doc, f) if parsed else 0
        mention = _mention(f.start, f.end, text[f.start:f.end], f.parse,
                           _resolve(f.parse, reference, direction, day_anchor if f.parse.base == "day" else base))
        if mention.type == "DURATION" and reference is not None and parsed:
            mention = _in_duration(doc, mention, reference)
        out.append(mention)
        if mention.start_date and mention.type in ("DATE", "TIME"):
            dated.append((mention, f))
            if mention.granularity == "day" and mention.start_date == mention.end_date:
                day_anchor = mention
    for i, f in clocks:
        out[i] = _clock_mention(doc, f, out, reference)
    return _join_date_clock(text, [m for m in out if m is not None])


_IN_BEFORE = re.compile(r"\bin\s+(?:the\s+next\s+|another\s+)?$", re.I)
_IN_UNITS = {"D": "day", "W": "week", "M": "month", "Y": "year"}


def _in_duration(doc, mention: TimeMention, reference: dt.date) -> TimeMention:
    """"will meet in two weeks", "scheduled in three days": a duration after "in" that is not in
    the past is the date that far from the reference, at the duration's unit ("in two weeks" is a
    week, "in three days" a day); "signed the deal in two weeks" stays a duration."""
    m = re.fullmatch(r"P(\d+)([DWMY])", mention.value)
    if m is None or not _IN_BEFORE.search(doc_text(doc), max(0, mention.start - 24), mention.start):
        return mention
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or _direction(span) < 0:
        return mention
    n, gran = int(m.group(1)), _IN_UNITS[m.group(2)]
    if gran == "day":
        value, first, last = _bounds_of("day", reference + dt.timedelta(days=n))
    elif gran == "week":
        value, first, last = _week(reference + dt.timedelta(weeks=n))
    else:
        months = n * (12 if gran == "year" else 1)
        y, mo = divmod(reference.year * 12 + reference.month - 1 + months, 12)
        value, first, last = _bounds_of(gran, dt.date(y, mo + 1, 1))
    return TimeMention(start=mention.start, end=mention.end, text=mention.text, type="DATE", value=value,
                       start_date=first.isoformat(), end_date=last.isoformat(), granularity=gran, anchored=True)


def _bounds_of(gran: str, d: dt.date) -> tuple[str, dt.date, dt.date]:
    """The TIMEX3 value and first and last days of the day, month or year holding ``d``."""
    if gran == "day":
        return d.isoformat(), d, d
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}", d.replace(day=1), _month_end(d.year, d.month)
    return f"{d.year:04d}", dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)


# Clauses set aside from the main one: a relative clause, an apposition, an inserted clause.
# A reduced relative ("the talks held on June 2 were followed ... two days later") is not one.
_SIDE_DEPS = {"relcl", "appos", "parataxis"}


def _chain_base(doc, f: _Found, dated: list[tuple[TimeMention, _Found]]) -> TimeMention | None:
    """The date "two days later" or "the day before" counts from: the latest one it can refer to.

    A date in a side clause of the same sentence that the expression is not in
    is skipped ("X, who arrived on June 2, said ... the day before" does not
    count from June 2); a date in an earlier sentence always counts.
    """
    sent_start = _sentence_start(doc, f.start)
    for mention, found in reversed(dated[-6:]):
        if found.start < sent_start:
            return mention
        aside = _side_clause(doc, found)
        if aside is None or aside[0] <= f.start < aside[1]:
            return mention
    return None


def _sentence_start(doc, char: int) -> int:
    """Character offset where the sentence holding ``char`` begins (0 without sentences)."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent.start_char if span is not None and doc.has_annotation("SENT_START") else 0


def _side_clause(doc, f: _Found) -> tuple[int, int] | None:
    """The character span of the relative or appositive clause an expression sits in, None in a main clause."""
    span = doc.char_span(f.start, f.end, alignment_mode="expand")
    if span is None:
        return None
    for tok in span.root.ancestors:
        if tok.dep_ in _SIDE_DEPS:
            sub = list(tok.subtree)
            return sub[0].idx, sub[-1].idx + len(sub[-1])
    return None


def _is_idiom_day(doc, f: _Found) -> bool:
    """ "that day would come", "the same day arrived": the day is a subject of coming, not a time."""
    span = doc.char_span(f.start, f.end, alignment_mode="expand")
    return span is not None and span.root.dep_ == "nsubj" and span.root.head.lemma_ in ("come", "arrive")


# A dateline opening a paragraph: "WASHINGTON, March 3 (Reuters) -", "PATTAYA, Thailand, April 11 —".
_DATELINE = re.compile(
    rf"(?m)^[ \t]*(?-i:[A-Z][A-Z.'’ -]{{2,}}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)*)(?:,\s*[A-Z][A-Za-z.'’ -]+?)?,\s+"
    rf"(?:{WD},?\s+)?(?P<m>{MON})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?\s*(?:\([^)\n]{{1,40}}\)\s*)?[-–—:]")


def dateline_dates(text: str) -> list[tuple[int, int]]:
    """Character spans of the dates of the datelines opening the text's paragraphs ("March 3" of
    "WASHINGTON, March 3 (Reuters) -"): the day a story was filed, not the day of what it tells."""
    return [(m.start("m"), m.end("y") if m["y"] else m.end("d")) for m in _DATELINE.finditer(text)]


def _dateline(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a dateline near the top of the text: the day the story was filed."""
    m = _DATELINE.search(text, 0, min(len(text), 1500))
    if m is None or not _valid(_int(m["y"]), _month(m["m"]), _day(m["d"])):
        return None
    return _int(m["y"]), _month(m["m"]), _day(m["d"])


def _filed(text: str, reference: dt.date | None) -> dt.date | None:
    """The dateline's day when it falls 1-3 days before the given reference (a story filed before it was dated).

    "Saturday" in a story filed on Saturday and published on Sunday is the
    filing day, not the Saturday ahead.
    """
    line = _dateline(text) if reference is not None else None
    if line is None:
        return reference
    year, month, day = line
    filed = dt.date(year or reference.year, month, day)
    if year is None and filed > reference:
        filed = dt.date(reference.year - 1, month, min(day, calendar.monthrange(reference.year - 1, month)[1]))
    return filed if 1 <= (reference - filed).days <= 3 else reference


def _is_modifier(doc, f: _Found) -> bool:
    """An adjective before a noun ("overnight talks"), not an adverb of time."""
    span = doc.char_span(f.start, f.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("amod", "compound") and span.root.head.i > span.root.i


def _join_date_clock(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """A day directly followed by its time ("2021-06-15 16:33", "12 Mar, 2020 09:15 PM") is one TIME."""
    out: list[TimeMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and m.type == "TIME" and prev.type == "DATE" and prev.granularity == "day"
                and "T" in m.value and m.value.startswith(prev.value + "T")
                and re.fullmatch(r"[ ,]{1,3}", text[prev.end:m.start])):
            out[-1] = replace(m, start=prev.start, text=text[prev.start:m.end])
            continue
        out.append(m)
    return out


def _span_direction(doc, f: _Found) -> int:
    """The grammar's direction, only computed for expressions that need it."""
    p = f.parse
    needs = (p.kind in ("weekday", "weekend") or p.qual == "overnight"
             or p.kind == "cal" and p.year is None and p.yoff is None
             and p.qual is None
             or p.kind == "shift" and p.unit == "week" and p.offset == 0 and not p.point)  # "this week"
    if not needs:
        return 0
    span = doc.char_span(f.start, f.end, alignment_mode="expand")
    return _direction(span) if span is not None else 0


def _clock_mention(doc, f: _Found, mentions: list, reference: dt.date | None) -> TimeMention | None:
    """A time of day on the nearest day-level date of its sentence, else on the reference day (a part of
    the day with no day in its sentence: None)."""
    lo, hi = 0, len(doc_text(doc))
    if doc.has_annotation("SENT_START"):  # a tokenised-only Doc has no sentences: use the whole text
        sent = doc.char_span(f.start, f.end, alignment_mode="expand").sent
        lo, hi = sent.start_char, sent.end_char
    days = [m for m in mentions if m is not None and m.granularity == "day" and m.start_date
            and lo <= m.start < hi]
    p = f.parse
    if not days and p.qual == "part":
        return None
    day = min(days, key=lambda m: abs(m.start - f.start)).start_date if days else (
        _iso(reference) if reference else None)
    if day is None:
        return _mention(f.start, f.end, doc_text(doc)[f.start:f.end], p, (f"XXXX-XX-XXT{p.value}", None, None, "day",
                                                                    False))
    d = dt.date.fromisoformat(day)
    return _mention(f.start, f.end, doc_text(doc)[f.start:f.end], p, (f"{day}T{p.value}", d, d, "day", True))


def extract_times(text: str, reference: dt.date | None = None, nlp=None) -> list[TimeMention]:
    """:func:`times_from_doc` on raw text, parsed with ``nlp`` (default: :func:`kg.nlp.load_model`)."""
    if nlp is None:
        from .nlp import load_model
        nlp = load_model()
    return times_from_doc(nlp(text), reference)


def time_value(text: str, reference: dt.date | None = None, direction: int = 0,
               anchor: TimeMention | None = None) -> TimeMention | None:
    """Normalise one expression on its own ("February last year", "June 16 to 21").

    ``direction`` is -1 (past), 0 or +1 (future); ``anchor`` is the previous
    dated expression for "two days later". Returns None when ``text`` holds no
    temporal expression; offsets are into ``text``.
    """
    found = _scan(text, standalone=True)
    if not found:
        found = [_Found(0, len(text), p, 0) for p in [_dateparser(text)] if p is not None]
    if not found:
        return None
    f = max(found, key=lambda f: f.end - f.start)
    if f.parse.kind == "clock":
        day = anchor.start_date if anchor and anchor.granularity == "day" else (
            _iso(_as_date(reference)) if reference else None)
        if day is None:
            return _mention(f.start, f.end, text[f.start:f.end], f.parse,
                            (f"XXXX-XX-XXT{f.parse.value}", None, None, "day", False))
        d = dt.date.fromisoformat(day)
        return _mention(f.start, f.end, text[f.start:f.end], f.parse, (f"{day}T{f.parse.value}", d, d, "day", True))
    return _mention(f.start, f.end, text[f.start:f.end], f.parse,
                    _resolve(f.parse, _as_date(reference), direction, anchor))


def most_precise(times: Iterable[TimeMention]) -> TimeMention | None:
    """The time with the finest granularity (day < week < ... < decade), None if none has one.

    Of two with the same granularity, one placed on the calendar beats one with
    X ("2023-06-14" over "XXXX-WXX-3"); otherwise the first wins.
    """
    best = None
    for t in times:
        if t.granularity in _RANK and (best is None or _precision(t) < _precision(best)):
            best = t
    return best


def _precision(t: TimeMention) -> tuple[int, int]:
    return _RANK[t.granularity], 0 if t.start_date else 1


def compatible(a: TimeMention | None, b: TimeMention | None) -> bool:
    """Whether two times can name the same period, so that two reports of one event may merge.

    Dated times must overlap; an underspecified value fits a dated one when some
    day of the dated interval matches it ("XXXX-WXX-3" fits 2023-06-14, a
    Wednesday; "XXXX-06" fits 2023-06-14); two underspecified values must be
    equal unless one says nothing ("XXXX"). A missing time is compatible with any.
    """
    if a is None or b is None:
        return True
    if a.start_date and b.start_date:
        return a.start_date <= (b.end_date or b.start_date) and b.start_date <= (a.end_date or a.start_date)
    if a.start_date or b.start_date:
        dated, loose = (a, b) if a.start_date else (b, a)
        return _fits(loose.value, dt.date.fromisoformat(dated.start_date),
                     dt.date.fromisoformat(dated.end_date or dated.start_date))
    return a.value == b.value or _says_nothing(a.value) or _says_nothing(b.value)


def _says_nothing(value: str) -> bool:
    return bool(re.fullmatch(r"X+(?:-X+)*(?:-WXX)?", value.split("T")[0]))


def _fits(value: str, start: dt.date, end: dt.date) -> bool:
    """Whether some day from ``start`` to ``end`` (inclusive) matches an underspecified TIMEX3 value."""
    value = value.split("T")[0]
    if _says_nothing(value):
        return True
    tests = [(r"XXXX-(\d\d)-(\d\d)", lambda d, g: (d.month, d.day) == (int(g[0]), int(g[1]))),
             (r"XXXX-WXX-(\d)", lambda d, g: d.isoweekday() == int(g[0])),
             (r"XXXX-WXX-WE", lambda d, g: d.weekday() >= 5),
             (r"XXXX-(\d\d)", lambda d, g: d.month == int(g[0])),
             (r"XXXX-Q(\d)", lambda d, g: (d.month - 1) // 3 + 1 == int(g[0])),
             (r"XXXX-(SP|SU|FA|WI)", lambda d, g: _in_season(d.month, g[0]))]
    for regex, test in tests:
        m = re.fullmatch(regex, value)
        if m:
            days = min((end - start).days, 400)  # a year holds every month, weekday and season
            return any(test(start + dt.timedelta(days=i), m.groups()) for i in range(days + 1))
    return False  # a duration, a set or a general reference does not name a period


def _in_season(month: int, season: str) -> bool:
    first, last = _SEASON_MONTHS[season]
    return first <= month <= last if first <= last else month >= first or month <= last


# ---------------------------------------------------------------------------
# inferring the reference date from the text

def _doc_parses(doc) -> list[tuple[_Found, int]]:
    """Every expression with its grammatical direction (computed for all: inference needs it)."""
    out = []
    parsed = doc.has_annotation("DEP")
    for f in _doc_found(doc):
        span = doc.char_span(f.start, f.end, alignment_mode="expand") if parsed else None
        direction = _direction(span) if span is not None else 0
        direction = 0 if direction == _PRESENT else direction
        if direction <= 0 and span is not None and _is_target(span):
            direction = 1  # a deadline is usually ahead of the writing: never the reference's floor
        out.append((f, direction))
    return out


_EXTEND = {"extend", "agree", "grant", "give", "set", "delay", "postpone", "defer", "push", "suspend", "move"}


def _is_target(span) -> bool:
    """A date set as a limit: "an extension to May 22", "agreed to delay it until 22 May 2019"."""
    root = span.root
    for anc in root.ancestors:
        if anc.lemma_.lower() in _DEADLINE:
            return True
        if anc.pos_ in ("VERB", "AUX"):
            break
    prep = root.head
    if prep.lower_ not in ("until", "till", "by") or prep.i == root.i:
        return False
    verb = prep.head
    near = {t.lemma_.lower() for c in children(verb) for t in (c, *children(c))}
    return verb.lemma_.lower() in _EXTEND or bool(near & _DEADLINE)


def _as_doc(doc):
    if isinstance(doc, str):
        from .nlp import load_model
        return load_model()(doc)
    return doc


def infer_reference_year(doc, not_after: int | None = None) -> tuple[int | None, float]:
    """The year the text was written in, from its explicit anchors, with a confidence in [0, 1].

    The latest full date or year in a past (or neutral) context; when the text
    also says "last year" ("February last year") and gives no full date, that
    latest year is taken to be last year ("in 2022" + "last year" -> 2023).
    With no year at all, a weekday written with its day ("Tuesday, April 13")
    picks the latest fitting year up to ``not_after`` (default
    :data:`NEWEST_YEAR`), with a low confidence.
    """
    return _year(_evidence(_as_doc(doc)), not_after)


def _year(parses, not_after: int | None) -> tuple[int | None, float]:
    year, confidence = _infer_year(parses)
    if year is None:
        return _year_from_weekdays(parses, not_after or NEWEST_YEAR)
    return _check_weekdays(parses, year, confidence)


# The newest year a text without any year is taken to come from, when a weekday
# written with its day ("Tuesday, April 13") is all there is: the same weekday
# and day recur every 5, 6 or 11 years, so the latest fit before this is the
# likeliest for current news. Pass ``not_after`` to use the newest published date
# of a collection instead.
NEWEST_YEAR = 2026


def _evidence(doc) -> list[tuple[_Found, int]]:
    """The expressions inference may trust: not photo captions, not the dates of cited documents."""
    text = doc_text(doc)
    out = []
    for f, direction in _doc_parses(doc):
        line_start = text.rfind("\n", 0, f.start) + 1
        line_end = text.find("\n", f.end)
        if (_CAPTION.search(text[line_start:line_end if line_end >= 0 else len(text)])
                or _DOCUMENT_DATE.search(text, max(0, f.start - 16), f.start)):
            continue
        out.append((f, direction))
    return out


# A paragraph with a photo credit, or ending with a date and an agency in brackets
# ("... in Paris, France, May 7, 2022. (Reuters)"): the day the picture was taken.
_CAPTION = re.compile(
    r"\((?:AP\s+)?[Pp]hoto\b|\b[Pp]hoto(?:graph)?:|\bFILE\s+PHOTO\b|\b(?:REUTERS|AFP|AP|EPA|XINHUA)/|"
    r"Getty\s+Images|\bpictured\b|[.,]\s*\((?:Reuters|AFP|AP|EPA|Xinhua|Getty Images)\)\s*$")
# "a cable dated July 10, 2009", "a letter of March 3": the date of a document, not of the news.
_DOCUMENT_DATE = re.compile(r"\b(?:dated|dating\s+from|postmarked)\s+(?:on\s+|from\s+)?$", re.I)


def _year_from_weekdays(parses, not_after: int) -> tuple[int | None, float]:
    """The latest year up to ``not_after`` in which every weekday-dated day ("Tuesday, April 13") fits."""
    pairs = [(f.parse.month, f.parse.day, f.parse.weekday) for f, _ in parses
             if f.parse.kind == "cal" and f.parse.weekday is not None and f.parse.day and f.parse.year is None]
    if not pairs:
        return None, 0.0
    for year in range(not_after, not_after - 40, -1):
        if all(_valid(year, m, d) and dt.date(year, m, d).weekday() == w for m, d, w in pairs):
            return year, 0.3
    return None, 0.0


def _infer_year(parses: list[tuple[_Found, int]]) -> tuple[int | None, float]:
    full = [f.parse.year for f, d in parses if f.parse.kind == "cal" and f.parse.year and f.parse.gran == "day"
            and d <= 0]
    years = [f.parse.year for f, d in parses if f.parse.kind == "cal" and f.parse.year
             and f.parse.gran in ("year", "month", "quarter", "season") and d <= 0]
    # a text is written after everything it reports: a history's full date ("normalised ties on June 22, 1965")
    # does not date a text that also reports "took office in February 2013"
    if full and (not years or max(full) >= max(years)):
        return max(full), 0.7
    offsets = {f.parse.yoff if f.parse.kind == "cal" else f.parse.offset
               for f, _ in parses if (f.parse.kind == "cal" and f.parse.yoff is not None)
               or (f.parse.kind == "shift" and f.parse.unit == "year" and f.parse.base == "ref")}
    if years:
        latest = max(years)
        return (latest + 1, 0.5) if -1 in offsets else (latest, 0.4)
    future = [f.parse.year for f, d in parses if f.parse.kind == "cal" and f.parse.year and d > 0]
    if future:
        return min(future), 0.2
    return None, 0.0


def infer_reference(doc, not_after: int | None = None) -> tuple[dt.date | None, float]:
    """Infer the reference date from the text's own anchors, with a confidence in [0, 1].

    The year comes from :func:`infer_reference_year`; a weekday written with a
    day of month ("Wednesday, June 14") confirms or corrects it. The day: a
    dateline's ("WASHINGTON, March 3 (Reuters) -"), else the latest day reported
    in a past context (events are reported after they happen), else the day
    before the earliest future one ("a trip from June 16 to 21" -> June 15).
    Photo captions and the dates of cited documents ("a cable dated ...") are
    not trusted. When the day cannot be bounded, (None, 0.0): a made-up day
    would give "last week" a precise, wrong value. Never the clock.
    """
    doc = _as_doc(doc)
    parses = _evidence(doc)
    year, confidence = _year(parses, not_after)
    line = _dateline(doc_text(doc))
    if line is not None and (line[0] or year):
        y, m, d = line
        sure = 0.9 if y else round(min(0.95, confidence + 0.2), 2)  # the year written, or guessed from the text
        y = y or year
        return dt.date(y, m, min(d, calendar.monthrange(y, m)[1])), sure
    if year is None:
        return None, 0.0
    past_day, past_month, future_day = _bounds(parses, year)
    floor = max(d for d in (past_day, past_month) if d is not None) if past_day or past_month else None
    if future_day is not None and floor is not None and future_day < floor:
        future_day = None  # contradicts what the text reports as past
    if past_day is not None:
        close = future_day is not None and (future_day - past_day).days <= 7
        return past_day, round(min(0.95, confidence + (0.2 if close else 0.1)), 2)
    if future_day is not None:
        return future_day, round(confidence, 2)
    return None, 0.0


def _check_weekdays(parses, year: int, confidence: float) -> tuple[int, float]:
    """A date written with its weekday fixes the year among the neighbours of the guess."""
    pairs = [(f.parse.month, f.parse.day, f.parse.weekday) for f, _ in parses
             if f.parse.kind == "cal" and f.parse.weekday is not None and f.parse.day]
    for month, day, weekday in pairs:
        fits = [y for y in range(year - 2, year + 3) if _valid(y, month, day)
                and dt.date(y, month, day).weekday() == weekday]
        if year in fits:
            return year, min(0.95, confidence + 0.2)
        if fits:
            return min(fits, key=lambda y: abs(y - year)), confidence
    return year, confidence


def _bounds(parses, year: int) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """Latest day reported as past, first day of the latest past month, day before the first future day."""
    past, months, future = [], [], []
    for f, direction in parses:
        p = f.parse
        if p.kind != "cal" or p.gran not in ("day", "month") or p.qual or p.yoff is not None:
            continue
        if p.year is not None and p.year != year:
            continue
        start = dt.date(year, p.month, _safe_day(year, p) or 1)
        if p.gran == "month":
            if direction < 0:
                months.append(start)
        elif direction < 0 or (direction == 0 and p.year is not None):
            past.append(start)
        elif direction > 0:
            future.append(start)
    return (max(past) if past else None, max(months) if months else None,
            min(future) - dt.timedelta(days=1) if future else None)
