"""Merge: event mentions from every document into events, each with all its sources.

Two mentions are one event when they are of the same type (postponement and
cancellation count as one), share a participant, have compatible statuses and
compatible times (``kg.temporal.compatible``: overlapping intervals, or an
underspecified value such as "XXXX-WXX-3" that fits a dated one; an undated
mention joins a dated one). A merged event keeps the most precise time any
source gives (``kg.temporal.most_precise``: a calendar date over a weekday of
no known week), so an article with no reference date still lands on the day.
Candidates come from blocks keyed by (type group, participant id), so the cost
grows with the size of the blocks, not with the square of the corpus. The
result does not depend on the order in which documents arrive: mentions are
clustered in a canonical order and ids are derived from content.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .entities import country_of
from .temporal import compatible as times_compatible, most_precise
from .records import Event, EventMention, Participant, Relation, RelationMention, TimeMention, record

GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5, None: 9}
TYPE_GROUP = {"postponement": "postponement", "cancellation": "postponement"}
STATUS_GROUP = {"occurred": "occurred", "negated": "negated", "hypothetical": "hypothetical",
                "planned": "planned", "postponed": "planned", "cancelled": "planned"}
ROLE_ORDER = {"agent": 0, "speaker": 0, "recipient": 1, "addressee": 1, "participant": 2,
              "subject": 3, "location": 4}
AGENTIVE = {"agent", "speaker"}

VERBS = {"call": "calls", "visit": "visits", "travel": "travels to", "meeting": "meets",
         "statement": "statement by", "appeal": "urges", "accusation": "accuses",
         "agreement": "agrees with", "appointment": "appoints", "military": "strikes"}


PLURAL = {"calls": "call", "visits": "visit", "travels to": "travel to", "meets": "meet", "urges": "urge",
          "accuses": "accuse", "agrees with": "agree with", "appoints": "appoint", "strikes": "strike"}
AFFECTED_NOUNS = {"visit", "trip", "tour", "journey", "meeting", "talks", "summit", "call", "conference"}


@dataclass
class _Cluster:
    mentions: list[EventMention] = field(default_factory=list)
    parts: dict[str, Participant] = field(default_factory=dict)  # id -> participant
    time: TimeMention | None = None
    status_group: str = ""
    group: str = ""
    docs: set[str] = field(default_factory=set)
    # what _compatible asks of the participants, kept up to date by _add (the only writer of parts)
    roles: "_Roles" = None
    placed: bool = False  # _placed(time)


@record
class _Roles:
    """The participant sets _compatible compares, read once per mention and per cluster update."""
    ids: frozenset[str]
    agents: frozenset[str]
    recipients: frozenset[str]
    people: frozenset[str]  # every participant but locations
    named: frozenset[str]  # persons and organisations
    places: frozenset[str]  # locations as countries where known (see _place_keys)

    @classmethod
    def of(cls, parts: Iterable[Participant]) -> "_Roles":
        parts = list(parts)
        places = frozenset(_place_keys(parts))  # every location named, even of an id named twice
        parts = {p.id: p for p in parts}.values()  # an id named twice counts in its last role
        return cls(ids=frozenset(p.id for p in parts),
                   agents=frozenset(p.id for p in parts if p.role in AGENTIVE),
                   recipients=frozenset(p.id for p in parts if p.role == "recipient"),
                   people=frozenset(p.id for p in parts if p.role != "location"),
                   named=frozenset(p.id for p in parts if p.type in ("PERSON", "ORG")
                                   or p.type == "GPE" and p.role != "location"),
                   places=places)


def _group(t: str) -> str:
    return TYPE_GROUP.get(t, t)


def resolve_participants(mention: EventMention, ids: Mapping[tuple[str, str, str], str],
                         names: Mapping[str, tuple[str, str]]) -> EventMention:
    """Replace (canonical, type) keys by entity ids and canonical names; drop unknown ones."""
    parts = []
    seen = set()
    for p in mention.participants:
        eid = ids.get((mention.doc, p.name, p.type))
        if eid is None or eid in seen:
            continue
        seen.add(eid)
        name, typ = names[eid]
        parts.append(Participant(name=name, type=typ, role=p.role, id=eid))
    location = mention.location
    if location is not None:
        loc = next((q for q in parts if q.role == "location"), None)
        location = loc.name if loc else location
    return replace(mention, participants=tuple(parts), location=location)


def _sort_key(m: EventMention):
    """Canonical order: mentions with a calendar date first; then those naming more parties, so that
    a sentence naming both sides joins another article's report before the article's one-sided
    sentences come (which then join as the same document); then the finer time."""
    t = m.time
    people = sum(p.role != "location" for p in m.participants)
    return (_group(m.type), 0 if _placed(t) else 1, -people, _precision(t), t.start_date or "" if t else "~",
            m.doc, m.trigger_start)


def _told(t: TimeMention | None) -> TimeMention | None:
    """A time the text states; None for none and for a default date (empty ``text``: "the ministry
    said", dated to the report), which yields to any stated time."""
    return t if t is not None and t.text else None


def _precision(t: TimeMention | None) -> tuple[int, int, int]:
    """Sort key of a time: stated before default, then the finer granularity, then a calendar
    value before one with X ("2023-06-14" over "XXXX-WXX-3", the same Wednesday unplaced)."""
    if t is None:
        return (2, 9, 1)
    return (0 if _told(t) else 1, GRANULARITY_RANK.get(t.granularity, 9), 0 if t.start_date else 1)


def _best_time(times: Iterable[TimeMention | None]) -> TimeMention | None:
    """The most precise time any source gives: a stated one over a default, then kg.temporal's
    most_precise (finer granularity, calendar values over X values); first wins a tie."""
    times = [t for t in times if t is not None]
    stated = [t for t in times if _told(t)]
    pool = stated or times
    return most_precise(pool) or (pool[0] if pool else None)


def _times_compatible(a: TimeMention | None, b: TimeMention | None) -> bool:
    """Whether two times may name one period (kg.temporal.compatible); a default date never objects."""
    return times_compatible(_told(a), _told(b))


def _placed(t: TimeMention | None) -> bool:
    """A stated time on the calendar: "XXXX-WXX-3" (a Wednesday of no known week) is not."""
    t = _told(t)
    return t is not None and bool(t.start_date)


def _compatible(c: _Cluster, m: EventMention, mine: _Roles | None = None) -> bool:
    """Whether mention ``m`` may join cluster ``c``. ``mine``: ``_Roles.of(m.participants)``, when
    the caller has it (cluster_mentions asks it of many clusters)."""
    if STATUS_GROUP.get(m.status) != c.status_group or not _times_compatible(c.time, m.time):
        return False
    mine = mine or _Roles.of(m.participants)
    theirs = c.roles or _Roles.of(c.parts.values())
    if not mine.ids & theirs.ids:
        return False
    if mine.places and theirs.places and not mine.places & theirs.places:
        return False  # two reports that name places must share one: the Beijing meetings are not the London ones
    # agents must not contradict: two different agents acting in the same role are two events
    a1, a2, r1, r2 = theirs.agents, mine.agents, theirs.recipients, mine.recipients
    same_appointee = m.type == "appointment" and bool(r1 & r2) and c.time is not None and m.time is not None
    if a1 and a2 and not (a1 & a2) and not (a1 & mine.ids or a2 & theirs.ids) and not same_appointee:
        return False  # (one person named to one post on one day is one appointment, whoever the reports credit)
    if m.type in ("statement", "appeal", "accusation") and not (a1 & a2 or not (a1 and a2)):
        return False
    if m.type in ("statement", "appeal", "accusation") and _another_occasion(c, m):
        return False
    if m.type == "other" and any(x.doc == m.doc and x.source.start == m.source.start for x in c.mentions):
        return False  # "recalled its ambassador, expelled the attaché and froze new loans": three acts
    if any(x.doc == m.doc and x.trigger_start == m.trigger_start for x in c.mentions):
        return False  # one trigger told several events ("phone calls with the presidents of Peru and Chile")
    if _group(m.type) in ("call", "meeting") and _other_pair(theirs, mine):
        return False
    if m.type == "appointment":  # one appointee, one appointment: "Macron sworn in" is not "Macron picks Borne"
        if r1 and r2 and not r1 & r2:
            return False
    if m.doc not in c.docs and not (_placed(c.time) and _placed(m.time)):
        # another article with no calendar date to compare ("Wednesday" with no reference date fits
        # every Wednesday): only a strong overlap of who took part will do
        return len(mine.people & theirs.people) >= 2
    if m.doc not in c.docs and (_coarse(c.time) or _coarse(m.time)):
        # a year holds many occasions: another article's "the visit of Obama last year" is not his May visit to
        # Hanoi unless it names the place too, or two who took part
        return len(mine.people & theirs.people) >= 2 or bool(mine.places & theirs.places)
    return True


def _coarse(t: TimeMention | None) -> bool:
    """A stated time of a quarter or longer: on the calendar, but too wide to say two reports tell one event."""
    t = _told(t)
    return t is not None and t.granularity in ("quarter", "year", "decade")


def _another_occasion(c: _Cluster, m: EventMention) -> bool:
    """One article dating two remarks of a speaker differently ("said last week", "tweeted on
    Friday") tells two speech acts, even when the times overlap; undated remarks stay free to join."""
    t = _told(m.time)
    return t is not None and any(x.doc == m.doc and _told(x.time) is not None and _told(x.time).value != t.value
                                 for x in c.mentions)


def _other_pair(theirs: _Roles, mine: _Roles) -> bool:
    """Two talks that each name two people (or bodies), each with one the other lacks, are two talks:
    Putin-Modi is not Modi-Trump, and a meeting with Dhankhar is not the one with Murmu."""
    mine, theirs = mine.named, theirs.named
    return len(mine) >= 2 and len(theirs) >= 2 and bool(mine - theirs) and bool(theirs - mine)


def _place_keys(parts) -> set[str]:
    """Locations as countries where known, so that a visit "to Beijing" and one "to China" agree."""
    out = set()
    for p in parts:
        if p.role == "location":
            key = country_of(p.name)
            out.add(key[0] if key else p.name)
    return out


def _add(c: _Cluster, m: EventMention) -> None:
    c.mentions.append(m)
    c.docs.add(m.doc)
    for p in m.participants:
        old = c.parts.get(p.id)
        if old is None or ROLE_ORDER.get(p.role, 9) < ROLE_ORDER.get(old.role, 9):
            c.parts[p.id] = p
    c.roles = _Roles.of(c.parts.values())
    c.time = _best_time([c.time, m.time])  # the most precise date any source gives
    c.placed = _placed(c.time)


def _buckets(t: TimeMention | None) -> list[str]:
    """Time blocking keys: the months a stated time covers (at most a year of them), "~" for none."""
    t = _told(t)
    if t is None or not t.start_date:
        return ["~"]
    y, m = int(t.start_date[:4]), int(t.start_date[5:7])
    end = (t.end_date or t.start_date)[:7]
    out = []
    while len(out) < 12:
        key = f"{y:04d}-{m:02d}"
        out.append(key)
        if key >= end:
            break
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def cluster_mentions(mentions: Iterable[EventMention]) -> list[list[EventMention]]:
    """Group resolved event mentions (participants carry ids) into coreferent clusters.

    Candidates come from blocks keyed by (type group, status group, participant id,
    month): a dated mention is compared with the clusters of its months and with
    undated ones, an undated mention with the clusters of its participants that share
    two people with it or hold a mention of its article (no other can take it). A
    frequent person's clusters are never walked one by one: cost grows near-linearly
    with the number of documents.
    """
    clusters: list[_Cluster] = []
    # keyed by status group too: _compatible's first test, so a mention meets only clusters that pass it
    by_month: dict[tuple, set[int]] = defaultdict(set)
    by_part: dict[tuple, set[int]] = defaultdict(set)
    by_doc: dict[tuple, set[int]] = defaultdict(set)
    for m in sorted(mentions, key=_sort_key):
        group, status = _group(m.type), STATUS_GROUP.get(m.status)
        months = _buckets(m.time)
        mine = _Roles.of(m.participants)
        same_doc = by_doc.get((group, status, m.doc), ())
        shares = [by_part.get((group, status, i), ()) for i in mine.people]
        # _compatible's last test, asked of the blocks rather than cluster by cluster: a cluster of
        # another article, unless both times are on the calendar, shares two people with the mention
        if months == ["~"]:  # undated: every cluster of its participants, but only these can join
            pools = [by_part.get((group, status, p.id), ()) for p in m.participants]
            candidates = sorted(_sharing_two(shares) | {i for i in same_doc if any(i in pool for pool in pools)})
        else:  # dated: the clusters of its months, and the undated ones of its participants
            pools = [by_month.get((group, status, p.id, k), ()) for p in m.participants for k in months + ["~"]]
            candidates = sorted(i for i in {i for pool in pools for i in pool}
                                if clusters[i].placed or i in same_doc or sum(i in pool for pool in shares) >= 2)
        target = next((i for i in candidates if _compatible(clusters[i], m, mine)), None)
        if target is None:
            target = len(clusters)
            clusters.append(_Cluster(status_group=STATUS_GROUP.get(m.status, m.status), group=group))
        c = clusters[target]
        _add(c, m)
        for p in m.participants:
            for k in _buckets(c.time) + months:
                by_month[(group, c.status_group, p.id, k)].add(target)
            by_part[(group, c.status_group, p.id)].add(target)
        by_doc[(group, c.status_group, m.doc)].add(target)
    return [c.mentions for c in clusters]


def _sharing_two(shares: list) -> set[int]:
    """The clusters in at least two of the sets ``shares``, counted over all but the largest (a
    frequent person's clusters are never walked)."""
    if len(shares) < 2:
        return set()
    big = max(range(len(shares)), key=lambda k: len(shares[k]))
    counts = Counter(i for k, pool in enumerate(shares) if k != big for i in pool)
    return {i for i, n in counts.items() if n + (i in shares[big]) >= 2}


def merge_events(mentions: Iterable[EventMention]) -> tuple[list[Event], dict[tuple[str, int], str]]:
    """Merged events sorted by id, and the map (doc, mention index) -> event id."""
    events, index = [], {}
    used_ids: set[str] = set()
    clusters = cluster_mentions(mentions)
    pins = _pins(clusters)
    for group in sorted(clusters, key=_cluster_key):
        ev = _event(group, used_ids, pins)
        events.append(ev)
        for m in group:
            index[(m.doc, m.index)] = ev.id
    return sorted(events, key=lambda e: e.id), index


def _cluster_key(group: list[EventMention]):
    return min((m.doc, m.trigger_start) for m in group)


def _pins(clusters: list[list[EventMention]]) -> dict[tuple[str, str], TimeMention]:
    """(doc, underspecified value) -> the calendar time another report pinned it to.

    When an article's "Wednesday" (XXXX-WXX-3, no reference date) merged with a report dated
    2023-06-14, every "Wednesday" of that article is that day: one article's weekday names one
    week. A value pinned to two different dates pins nothing.
    """
    pins: dict[tuple[str, str], TimeMention | None] = {}
    for group in clusters:
        best = _best_time(m.time for m in group)
        if not _placed(best):
            continue
        for m in group:
            t = _told(m.time)
            if t is not None and not t.start_date and times_compatible(t, best):
                key = (m.doc, t.value)
                old = pins.get(key, best)
                pins[key] = best if old is not None and old.value == best.value else None
    return {k: v for k, v in pins.items() if v is not None}


def _pinned(time: TimeMention | None, group: list[EventMention],
            pins: Mapping[tuple[str, str], TimeMention], status: str = "occurred") -> TimeMention | None:
    """An underspecified time placed by its article's pin; its own words and offsets stay.

    A value no report pinned is read from the article's pinned day, as a reference date is:
    "February" in a past account is the February before it, "the weekend" of a plan the one after.
    """
    if time is None or time.start_date or not pins:
        return time
    pin = next((pins[(m.doc, time.value)] for m in group if (m.doc, time.value) in pins), None)
    if pin is None:
        days = {p.start_date for (doc, _), p in pins.items() if p.granularity == "day"
                and any(m.doc == doc for m in group)}
        if len(days) != 1:
            return time
        placed = _from_anchor(time.value, dt.date.fromisoformat(days.pop()), forward=status == "planned")
        return replace(time, **placed) if placed else time
    return replace(time, value=pin.value, start_date=pin.start_date, end_date=pin.end_date,
                   granularity=pin.granularity)


def _from_anchor(value: str, anchor: dt.date, forward: bool) -> dict | None:
    """The period an underspecified month, weekday or weekend names seen from ``anchor``: the
    latest one on or before it for a past event, the first one on or after it for a plan."""
    step = 1 if forward else -1
    if m := re.fullmatch(r"XXXX-(\d\d)", value):
        y = anchor.year + (step if (int(m[1]) - anchor.month) * step < 0 else 0)
        first = dt.date(y, int(m[1]), 1)
        last = dt.date(y, int(m[1]), calendar.monthrange(y, int(m[1]))[1])
        return dict(value=first.isoformat()[:7], start_date=first.isoformat(), end_date=last.isoformat(),
                    granularity="month")
    if m := re.fullmatch(r"XXXX-WXX-(\d)", value):
        day = anchor
        while day.isoweekday() != int(m[1]):
            day += dt.timedelta(days=step)
        return dict(value=day.isoformat(), start_date=day.isoformat(), end_date=day.isoformat(), granularity="day")
    if value == "XXXX-WXX-WE":
        day = anchor
        while day.isoweekday() != 6:  # the Saturday of the weekend
            day += dt.timedelta(days=step)
        year, week, _ = day.isocalendar()
        return dict(value=f"{year}-W{week:02d}-WE", start_date=day.isoformat(),
                    end_date=(day + dt.timedelta(days=1)).isoformat(), granularity="week")
    return None


def _event(group: list[EventMention], used_ids: set[str],
           pins: Mapping[tuple[str, str], TimeMention] | None = None) -> Event:
    types = Counter(m.type for m in group)
    typ = max(types, key=lambda t: (types[t], t == "cancellation", t))
    statuses = Counter(m.status for m in group)
    status = max(statuses, key=lambda s: (statuses[s], s in ("cancelled", "postponed"), s))
    if typ in ("postponement", "cancellation"):  # the type decides: one report's "postponed" is another's "cancelled"
        status = "postponed" if typ == "postponement" else "cancelled"
    # each participant takes the role most sources give it ("his conversation with Blinken" makes
    # Qin an agent once; the call reports make him the recipient)
    votes: dict[str, Counter] = defaultdict(Counter)
    parts: dict[str, Participant] = {}
    for m in group:
        for p in m.participants:
            votes[p.id][p.role] += 1
            parts.setdefault(p.id, p)
    for pid, counts in votes.items():
        role = max(counts, key=lambda r: (counts[r], -ROLE_ORDER.get(r, 9)))
        parts[pid] = replace(parts[pid], role=role)
    participants = tuple(sorted(parts.values(), key=lambda p: (ROLE_ORDER.get(p.role, 9), p.name)))
    time = _best_time(m.time for m in sorted(group, key=lambda m: (m.doc, m.trigger_start)))
    time = _pinned(time, group, pins or {}, status)
    first = min(group, key=lambda m: (m.doc, m.trigger_start))
    cameos = Counter(m.cameo for m in group if m.type == typ)
    sources = tuple(sorted({m.source for m in group}, key=lambda s: (s.doc, s.start)))
    quote = next((m.quote for m in sorted(group, key=lambda m: (m.doc, m.trigger_start)) if m.quote), None)
    location = next((p.name for p in participants if p.role == "location"), None)
    key = "|".join([typ, time.value if time else "", *sorted(p.id for p in participants if p.role != "location")])
    eid = "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    n = 2
    base = eid
    while eid in used_ids:
        eid = f"{base}-{n}"
        n += 1
    used_ids.add(eid)
    return Event(id=eid, type=typ, cameo=max(cameos, key=lambda c: (cameos[c], c)) if cameos else first.cameo,
                 label=label(typ, participants, status, first.trigger), status=status, trigger=first.trigger,
                 participants=participants, sources=sources, time=time, location=location, quote=quote)


def label(typ: str, participants: tuple[Participant, ...], status: str = "occurred", trigger: str = "") -> str:
    """A short human label: "Antony Blinken calls Qin Gang", "Visit of Antony Blinken to China postponed";
    an event that did not happen or might says so ("... (negated)", "... (hypothetical)")."""
    text = _label(typ, participants, trigger)
    return f"{text} ({status})" if status in ("negated", "hypothetical") else text


# stems of the "other" triggers of the lexicon (CAMEO 16x, reduce relations) and their label verbs
OTHER_VERBS = (("expel", "expels"), ("expulsion", "expels"), ("recall", "recalls"), ("withdr", "withdraws"),
               ("freez", "freezes"), ("froze", "freezes"), ("sever", "severs ties with"),
               ("downgrad", "downgrades ties with"))
DISMISSALS = ("reliev", "dismiss", "sack", "remov", "oust", "fire")


def _appointment_label(agents: list[str], others: list[str], trigger: str) -> str:
    """"Masisi dismisses Unity Dow", "Alpha Conde elected": who named whom, in the trigger's sense."""
    word = trigger.lower().split()[0] if trigger else ""
    if agents and others:
        verb = "dismisses" if word.startswith(DISMISSALS) else "appoints"
        return f"{' and '.join(agents)} {verb} {', '.join(others)}"
    done = "elected" if word.startswith("elect") else "dismissed" if word.startswith(DISMISSALS) else "appointed"
    return f"{' and '.join(agents + others) or 'Unnamed person'} {done}"


def _label(typ: str, participants: tuple[Participant, ...], trigger: str) -> str:
    agents = [p.name for p in participants if p.role in AGENTIVE]
    others = [p.name for p in participants if p.role in ("recipient", "addressee", "participant")]
    places = [p.name for p in participants if p.role == "location"]
    words = trigger.lower().split()
    if typ in ("postponement", "cancellation"):
        who = " and ".join(agents + others) or "unnamed parties"
        if not words or words[0] not in AFFECTED_NOUNS and len(words) > 1:
            words = ["trip"]  # a trip whose noun the reports do not give
        if words[0] not in AFFECTED_NOUNS:  # "EU leaders agreed a plan which would delay Brexit"
            return f"{who} {'postpones' if typ == 'postponement' else 'cancels'}"
        noun = words[0]
        link = "between" if noun in ("talks", "meeting", "summit", "call") and len(agents + others) > 1 else "of"
        where = f" to {places[0]}" if places and noun in ("trip", "visit", "tour") else ""
        done = "postponed" if typ == "postponement" else "cancelled"
        return f"{noun.capitalize()} {link} {who}{where} {done}"
    if typ == "appointment":
        return _appointment_label(agents, others, trigger)
    if typ == "other":  # the act in the trigger's words: "Norway recalls", "Peru expels"
        verb = next((v for stem, v in OTHER_VERBS if words and words[0].startswith(stem)), None)
        lead = " and ".join(agents) or "Unnamed parties"
        if verb is None:
            return f"{lead}: {trigger}" if trigger else lead
        return f"{lead} {verb} {', '.join(others)}".strip()
    if typ == "statement":
        lead = " and ".join(agents) or "unknown speaker"
        return f"Statement by {lead}" + (f" to {', '.join(others)}" if others else "")
    if not agents and others:  # "meetings between US and Chinese officials": all take part alike
        together = all(p.role == "participant" for p in participants if p.role != "location")
        agents, others = (others, []) if together else (others[:1], others[1:])
    lead = " and ".join(agents) or "Unnamed parties"
    if typ == "meeting" and not others and words and words[-1] in ("summit", "conference", "talks", "meeting"):
        where = f" in {places[0]}" if places else ""
        return f"{lead} {words[-1]}{where}"  # "G20 summit in Argentina"
    verb = VERBS.get(typ, typ)
    if len(agents) > 1:  # "Fumio Kishida and Yoon Suk Yeol meet"
        verb = PLURAL.get(verb, verb)
    target = ", ".join(others) if typ not in ("visit", "travel") else ", ".join(places or others)
    if not target:
        verb = verb.split()[0]  # "United Kingdom agrees", not "agrees with"
        if typ == "meeting" and places:
            target = f"in {places[0]}"
    text = f"{lead} {verb} {target}".strip()
    return text[0].upper() + text[1:]


def resolve_relations(mentions: Iterable[RelationMention], ids: Mapping[tuple[str, str, str], str],
                      event_index: Mapping[tuple[str, int], str]) -> list[Relation]:
    """Relation mentions with entity keys / event indices turned into node ids, deduplicated."""
    seen = {}
    for r in mentions:
        src = (ids.get((r.doc, *r.source)) if r.source else event_index.get((r.doc, r.source_event)))
        tgt = (ids.get((r.doc, *r.target)) if r.target else event_index.get((r.doc, r.target_event)))
        if not src or not tgt or src == tgt:
            continue
        key = (src, r.relation, tgt, r.attrs)
        if key not in seen or (r.evidence.doc, r.evidence.start) < (seen[key].evidence.doc, seen[key].evidence.start):
            seen[key] = Relation(source=src, relation=r.relation, target=tgt, evidence=r.evidence,
                                 attrs=r.attrs, time=r.time)
    return sorted(seen.values(), key=lambda r: (r.source, r.relation, r.target, r.attrs))
