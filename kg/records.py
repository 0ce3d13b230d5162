"""Frozen records passed between the stages (the data contracts of DESIGN.md).

After the NLP stage nothing holds a spaCy object: every stage receives and
yields these plain, immutable, picklable records, each with its provenance
(document id and character offsets).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import MISSING, dataclass, field, fields

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC")
EVENT_TYPES = (
    "call", "visit", "travel", "meeting", "statement", "appeal", "accusation",
    "postponement", "cancellation", "agreement", "appointment", "military", "other",
)
STATUSES = ("occurred", "planned", "postponed", "cancelled", "negated", "hypothetical")
ROLES = ("agent", "recipient", "participant", "speaker", "addressee", "subject", "location")
GRANULARITIES = ("day", "week", "month", "quarter", "year", "decade")


def record(cls):
    """``@dataclass(frozen=True)``, made three times faster to construct.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its own
    ``__setattr__`` refuses); the extractors and the reduce make a few hundred thousand records per
    thousand documents, and that was 3 % of extraction and 8 % of the reduce. Here ``__init__`` writes
    the instance dict directly, with the same signature and defaults; everything else (refused
    assignment, equality, hashing, ``replace``, pickling) is the dataclass's own.
    """
    cls = dataclass(frozen=True)(cls)
    fs = fields(cls)
    if hasattr(cls, "__post_init__") or any(not f.init or f.kw_only or f.default_factory is not MISSING for f in fs):
        return cls  # a case the plain init below does not cover: keep the dataclass's own
    defaults = {f"_d_{f.name}": f.default for f in fs if f.default is not MISSING}
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_d_{f.name}" for f in fs)
    body = "".join(f"    d[{f.name!r}] = {f.name}\n" for f in fs)
    namespace: dict = {}
    exec(f"def __init__(self, {params}):\n    d = self.__dict__\n{body}", dict(defaults), namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init
    return cls


@record
class Article:
    """One input document, as read by ingest."""

    id: str
    text: str
    title: str | None = None
    published: _dt.date | None = None  # reference date (DCT) given by the user or metadata
    url: str | None = None
    source: str | None = None  # outlet name
    path: str | None = None  # where it was read from (file, or file:line)


@record
class Skipped:
    """An input that could not be read; reported, never fatal."""

    id: str
    path: str
    reason: str


@record
class TimeMention:
    """A temporal expression normalised to an ISO-TimeML TIMEX3 value.

    ``start``/``end`` are character offsets into the text; ``start_date`` and
    ``end_date`` are the inclusive ISO dates the value covers (None when the
    value cannot be placed on the calendar, e.g. ``XXXX-06-16`` or ``P1M``).
    """

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value: 2023-06-14, 2023-W24, 2023-06, 2023, P1M, PAST_REF, XXXX-02 ...
    start_date: str | None = None
    end_date: str | None = None
    granularity: str | None = None  # day|week|month|quarter|year|decade
    anchored: bool = False  # resolved against the reference date

    def as_time(self) -> dict:
        """The ``time`` object of events.jsonl."""
        return {"text": self.text, "value": self.value, "start": self.start_date,
                "end": self.end_date, "granularity": self.granularity}


@record
class EntityMention:
    """One mention of a named entity in one document.

    ``name`` is the cleaned surface (titles and possessives removed),
    ``canonical`` the document-level canonical name after in-document
    resolution ("Blinken" -> "Antony Blinken"). ``(canonical, type)`` is the
    key later stages use to refer to the entity before cross-document ids exist.
    """

    doc: str
    start: int
    end: int
    text: str
    name: str
    type: str
    canonical: str
    title: str | None = None  # absorbed role words: "US Secretary of State"

    @property
    def key(self) -> tuple[str, str]:
        return (self.canonical, self.type)


@record
class Participant:
    """An entity's part in an event. ``id`` is filled in by the reduce phase."""

    name: str
    type: str
    role: str
    id: str | None = None


@record
class Source:
    """Where a record was read: document id, sentence text and its offsets."""

    doc: str
    sentence: str
    start: int
    end: int


@record
class EventMention:
    """One event as one document reports it."""

    doc: str
    index: int  # position among the document's event mentions
    type: str
    cameo: str
    trigger: str
    status: str
    participants: tuple[Participant, ...]
    source: Source
    trigger_start: int = 0  # character offsets of the trigger in the document
    trigger_end: int = 0
    time: TimeMention | None = None
    location: str | None = None
    quote: str | None = None


@record
class Event:
    """A merged event with every source that reports it."""

    id: str
    type: str
    cameo: str
    label: str
    status: str
    trigger: str
    participants: tuple[Participant, ...]
    sources: tuple[Source, ...]
    time: TimeMention | None = None
    location: str | None = None
    quote: str | None = None


@record
class RelationMention:
    """A relation read in one document, between entity keys or event indices.

    Exactly one of ``target``/``target_event`` is set; ``source_event`` is set
    for event->event links (then ``source`` is None).
    """

    doc: str
    relation: str
    evidence: Source
    source: tuple[str, str] | None = None  # (canonical, type)
    target: tuple[str, str] | None = None
    source_event: int | None = None  # EventMention.index
    target_event: int | None = None
    attrs: tuple[tuple[str, str], ...] = ()  # e.g. (("role", "Secretary of State"),)
    time: TimeMention | None = None


@record
class Entity:
    """A resolved real-world entity: one node of the graph."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    docs: tuple[str, ...]


@record
class Relation:
    """A resolved relation between node ids (entities or events)."""

    source: str
    relation: str
    target: str
    evidence: Source
    attrs: tuple[tuple[str, str], ...] = ()
    time: TimeMention | None = None


@record
class DocResult:
    """Everything the map phase extracts from one document."""

    article: Article
    reference: _dt.date | None
    reference_source: str  # given | metadata | inferred | none
    times: tuple[TimeMention, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    events: tuple[EventMention, ...] = ()
    relations: tuple[RelationMention, ...] = ()
    warnings: tuple[str, ...] = field(default=())
