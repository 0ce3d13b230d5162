"""Events: find event triggers in a parsed document and read their roles from the parse.

Triggers come from a lexicon (``kg/data/triggers.json``, extensible by users):
verbs and phrasal verbs ("called off", "shot down", "took over"), and nouns
("visit", "phone call", "talks"). Roles come from dependency patterns: the
subject or by-agent is the agent, "with/to X" and the object the recipient,
"to/in X" a place the location; pronouns ("he", "they", a quoted "I", "who")
stand for the people they refer to. Status comes from modality ("will", "were
to", "plans to", "upcoming", "ahead of", a future date), negation and
conditionals.

A time belongs to the event its clause or prepositional phrase leads to, not to
the nearest trigger; an undated event inherits a date from its report ("...,
the spokesman confirmed Tuesday"), the event it is held at, a dated trip, a
readout, or, for reported speech and present-tense news, the day of the report.
A postponement or cancellation takes the participants and date of the event it
calls off, which it replaces. Connectives ("after", "ahead of", "follows",
"subsequently") give ``before``/``after`` links; causes give ``causes`` links.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .doccache import (children, doc_text, lemma_set, memo, sent_at, sent_of, token_lows, token_texts,
                       tokens_with_lemma)
from .entities import PLACE_HEADS, mention_at
from .records import EntityMention, EventMention, Participant, RelationMention, Source, TimeMention
from .temporal import compatible, dateline_dates

DATA = Path(__file__).resolve().parent / "data"
PERSONAL = {"he", "she", "him", "his", "her", "hers"}
PLURAL = {"they", "them", "their", "theirs"}
TITLE_WORDS = {"secretary", "minister", "president", "spokesman", "spokeswoman", "spokesperson",
               "chancellor", "premier", "envoy", "ambassador", "general", "senator", "governor"}
TITLE_ABBREVIATIONS = {"pm": "prime minister"}  # "the PM received ...": the one titled Prime Minister (or PM)
TITLE_LEMMAS = TITLE_WORDS | set(TITLE_ABBREVIATIONS)  # what "the <title>" may stand on
DEICTIC = re.compile(r"\b(today|tonight|yesterday|tomorrow|this (morning|afternoon|evening|week))\b", re.I)
QUOTES = re.compile(r"[“\"]([^”\"]{3,}?)[”\"]")
STATUS_FAMILY = {"occurred": "past", "planned": "future", "postponed": "future", "cancelled": "future"}
CONVERSATION_WORDS = {"conversation", "conversations", "talks", "talk", "discussion", "discussions", "spoke", "talked"}
SPEAKING = {"speak", "talk", "converse", "conversation", "discussion"}
PHONE_WORDS = {"phone", "telephone", "video", "videoconference", "teleconference", "phonecall"}


@functools.lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> dict:
    """The trigger lexicon, with a user's file (same layout) merged over the built-in one."""
    lex = json.loads((DATA / "triggers.json").read_text(encoding="utf-8"))
    if path:
        extra = json.loads(Path(path).read_text(encoding="utf-8"))
        for section, entries in extra.items():
            if isinstance(entries, dict) and isinstance(lex.get(section), dict):
                lex[section].update(entries)
            else:
                lex[section] = entries
    return lex


class _Doc:
    """Per-document context: the doc, its mentions and times, and small caches."""

    def __init__(self, doc, doc_id, mentions, times, reference, lexicon, country_of):
        self.doc, self.id, self.mentions, self.times = doc, doc_id, list(mentions), list(times)
        self.reference, self.lex, self.country_of = reference, lexicon, country_of
        self.quotes = [(m.start(), m.end()) for m in QUOTES.finditer(doc_text(doc))]
        self.phone = set(lexicon.get("phone_words", PHONE_WORDS))  # the media of a call: "by phone"
        self.pronouns: dict[int, tuple | None] = {}  # token index -> resolved person (or people, for "they")
        self.mentions_at: dict[int, EntityMention | None] = {}  # token index -> mention_at answer (asked often)

    def in_quote(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.quotes)

    def mention(self, tok) -> EntityMention | None:
        if tok.i not in self.mentions_at:
            self.mentions_at[tok.i] = mention_at(self.mentions, tok.idx, tok.idx + len(tok.text))
        return self.mentions_at[tok.i]


def extract_events(doc, doc_id: str, mentions: Sequence[EntityMention],
                   times: Sequence[TimeMention], reference: dt.date | None = None,
                   lexicon: dict | None = None, country_of=None
                   ) -> tuple[list[EventMention], list[RelationMention]]:
    """Event mentions of one parsed document, plus the event links (``causes``) between them.

    ``mentions`` and ``times`` are the document's entity and time mentions;
    ``country_of(name)`` maps a demonym ("Chinese") to a country key, when known.
    """
    ctx = _Doc(doc, doc_id, mentions, times, reference, lexicon or load_lexicon(), country_of)
    found = []  # (token, spec) in document order
    for tok in _trigger_candidates(ctx):
        spec = _trigger(ctx, tok)
        if spec:
            found.append((tok, spec))
    trigger_tokens = {tok.i for tok, _ in found}
    owners = _attach_times(ctx, trigger_tokens)
    raw, bare = [], []
    for tok, spec in found:
        ev = _build(ctx, tok, spec, owners.get(tok.i))
        if ev is not None:
            raw.append((tok, spec, ev))
        elif tok.i in owners and _definite(tok):
            bare.append((spec["type"], owners[tok.i]))
    raw = _date_from_setting(_date_reported(ctx, raw))
    events, links = _resolve_affects(ctx, raw)
    past = [t for t in ctx.times if t.text and t.start_date and reference is not None
            and t.start_date <= reference.isoformat() and not ctx.in_quote(t.start)]
    events = _fold_conversations(_calls_told_later(ctx, events))
    events = _date_readouts(_date_from_trips(events, reference, ctx.country_of), reference, past)
    events = _lend_agents([_date_by_default(ctx, ev) for ev in _take_bare_times(events, bare)])
    plural = {tok.idx for tok, _ in found if tok.tag_ == "NNS" and tok.lemma_.lower() in COUNTED_EVENTS}
    events, links = _one_each(events, links, plural)
    return events, links + _sequence_links(ctx, events)


# --- triggers -----------------------------------------------------------------------------

COUNTED_EVENTS = frozenset({"call", "meeting", "conversation", "phonecall"})  # "talks" are one event, "calls" many


def _one_each(events: list[EventMention], links: list[RelationMention], plural: set[int]
              ) -> tuple[list[EventMention], list[RelationMention]]:
    """"had phone calls with the presidents of Tunisia, Peru and Nigeria": a plural event noun (its trigger starts at
    one of the offsets ``plural``) with one agent and several counterparts tells one event with each; else the call
    with Nigeria's president takes in all the others. An event that a link names is left whole."""
    linked = {i for r in links for i in (r.source_event, r.target_event) if i is not None}
    out, moved = [], {}
    for ev in events:
        recipients = [p for p in ev.participants if p.role == "recipient"]
        moved[ev.index] = len(out)
        if ev.trigger_start not in plural or ev.index in linked or len(recipients) < 2 \
                or sum(p.role == "agent" for p in ev.participants) != 1:
            out.append(replace(ev, index=len(out)))
            continue
        rest = tuple(p for p in ev.participants if p.role != "recipient")
        out += [replace(ev, index=len(out) + k, participants=rest[:1] + (r,) + rest[1:])
                for k, r in enumerate(recipients)]
    links = [replace(r, source_event=moved.get(r.source_event, r.source_event),
                     target_event=moved.get(r.target_event, r.target_event))
             if r.source_event is not None or r.target_event is not None else r for r in links]
    return out, links


def _trigger_candidates(ctx: _Doc):
    """The tokens ``_trigger`` may accept, in order: those whose lemma starts a lexicon entry (cheap to test)."""
    doc, firsts = ctx.doc, _trigger_lemmas(ctx.lex)
    return tokens_with_lemma(doc, firsts)


_FIRSTS: dict[int, tuple[dict, frozenset[str]]] = {}


def _trigger_lemmas(lex: dict) -> frozenset[str]:
    """Every lemma a trigger can have: verbs, nouns, the first words of phrasal verbs, and "call" (naming)."""
    cached = _FIRSTS.get(id(lex))
    if cached is not None and cached[0] is lex:
        return cached[1]
    # a particle entry is "<lemma> <particle>": every prefix ending before a space is a possible lemma
    prefixes = {key[:i] for key in lex["particles"] for i, ch in enumerate(key) if ch == " "}
    firsts = frozenset(lex["verbs"]) | frozenset(lex["nouns"]) | prefixes | {"call"}
    if len(_FIRSTS) > 16:  # lexicons are few (the built-in one, a user's file): never many to hold
        _FIRSTS.clear()
    _FIRSTS[id(lex)] = (lex, firsts)
    return firsts


def _trigger(ctx: _Doc, tok) -> dict | None:
    """The lexicon entry ``tok`` triggers, after the entry's own conditions."""
    lex = ctx.lex
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "PROPN"):
        for child in children(tok):
            if child.dep_ in ("prt", "prep", "advmod"):
                spec = lex["particles"].get(f"{lemma} {child.lower_}")
                if spec is None and child.dep_ == "prep":  # "put on hold": the preposition and its object
                    spec = next((lex["particles"][k] for g in children(child) if g.dep_ == "pobj"
                                 for k in [f"{lemma} {child.lower_} {g.lower_}"] if k in lex["particles"]), None)
                if spec and not _is_time_phrase(child) and _verb_ok(ctx, tok, spec):
                    return {**spec, "particle": child.i}
        if _naming(tok):  # "Putin called the incident a stab in the back": a statement about it
            return {"type": "statement", "cameo": "010", "speech": True}
        spec = lex["verbs"].get(lemma)
        if spec and _verb_ok(ctx, tok, spec):
            return _misparsed_affect(ctx, tok) or _refine_verb(ctx, tok, spec)
        return None
    if tok.pos_ == "NOUN":
        spec = lex["nouns"].get(lemma)
        if spec and _noun_ok(ctx, tok, spec):
            return _refine_noun(ctx, tok, spec)
    return None


def _misparsed_affect(ctx, tok) -> dict | None:
    """A headline's "Obama cancels meeting with Putin", parsed with "cancels" as the auxiliary of "meeting":
    the event is the cancellation."""
    for c in children(tok):
        if c.dep_ in ("aux", "amod", "compound", "advmod") and c.i < tok.i:
            low = c.lower_
            for form in (low, low[:-1] if low.endswith("s") else None):
                spec = ctx.lex["verbs"].get(form) if form else None
                if spec and spec.get("affects"):
                    return spec
    return None


def _is_time_phrase(prep) -> bool:
    """"called Zelensky on Sunday": a prepositional phrase that is a date is no particle."""
    return any(t.ent_type_ in ("DATE", "TIME") for t in prep.subtree if t.i != prep.i)


def _verb_ok(ctx, tok, spec) -> bool:
    if tok.dep_ in ("amod", "compound"):  # "planned visit", "visiting delegation"
        return False
    if spec.get("needs_object") and not _objects(tok):
        return False
    if spec.get("object_types") and not any(
            k[1] in spec["object_types"] for o in _objects(tok) for k in _np_entities(ctx, o)):
        return False  # "replaced her with X": a pronoun counts for the person it stands for
    if spec.get("object_words") and not any(o.lemma_.lower() in spec["object_words"] or o.lower_ in spec["object_words"]
                                            for o in _objects(tok)):
        return False  # "recalled its ambassador", not "recalled the meeting"
    if spec.get("needs_counterpart") and not _counterparts(ctx, tok):
        return False
    if spec.get("needs_destination") and not _destinations(ctx, tok):
        return False
    if spec.get("needs_quote") and not (ctx.in_quote(tok.idx) or _has_quote_near(ctx, tok) or _after_report(tok)
                                        or _on_a_platform(ctx, tok)):
        return False
    if spec.get("needs_clause") and not any(c.dep_ in ("ccomp", "xcomp") for c in children(tok)):
        return False
    if _naming(tok):
        return False  # "called the incident a blow": naming, not phoning
    if any(c.dep_ == "xcomp" and ctx.lex["verbs"].get(c.lemma_.lower(), {}).get("affects") for c in children(tok)):
        return False  # "agreed to reschedule the talks": the postponement is the event
    idioms = ctx.lex.get("idioms", {}).get(tok.lemma_.lower(), ())
    if any(c.lower_ in idioms for c in children(tok) if c.dep_ in ("dobj", "advmod", "npadvmod", "prt")):
        return False  # "meet China halfway", "meet the deadline"
    return True


PLATFORM_WORDS = {"twitter", "x", "facebook", "instagram", "telegram", "weibo", "wechat", "tiktok", "youtube",
                  "threads", "bluesky", "truth", "social", "media", "website", "account", "blog", "page", "handle"}


def _on_a_platform(ctx, tok) -> bool:
    """"Trump posted on Truth Social", "wrote on X": speech put out on a platform or account."""
    return any(c.dep_ == "prep" and c.lower_ in ("on", "to", "via") and any(
        t.lower_ in PLATFORM_WORDS for g in children(c) if g.dep_ == "pobj" for t in g.subtree) for c in children(tok))


def _after_report(tok) -> bool:
    """"They also discussed trade, it added": a verb that follows the clause it reports is speech."""
    return any(c.dep_ == "ccomp" and c.i < tok.i and c.right_edge.i < tok.i for c in children(tok))


def _naming(tok) -> bool:
    """"called the incident a blow": call with an object and its predicate."""
    return tok.lemma_.lower() == "call" and any(c.dep_ == "oprd" for c in children(tok)) \
        and any(c.dep_ == "dobj" for c in children(tok))


def _noun_ok(ctx, tok, spec) -> bool:
    if spec.get("plural_only") and tok.tag_ != "NNS":
        return False
    if tok.dep_ == "compound":  # "summit meeting": the head carries it
        return False
    lemma = tok.lemma_.lower()
    if lemma == "call":
        preps = {c.lower_ for c in children(tok) if c.dep_ == "prep"}
        if preps & {"for", "on", "upon"} and not _has_phone(ctx, tok):
            return False  # "a call for restraint"
        return _has_phone(ctx, tok) or bool(_counterparts(ctx, tok)) or _call_received(ctx, tok)
    if spec.get("needs_counterpart"):
        return _has_phone(ctx, tok) or bool(_counterparts(ctx, tok))
    if spec.get("needs_destination") and not _destinations(ctx, tok):
        return False  # "a stop in Singapore", not "a stop to the fighting"
    if spec.get("speech") and tok.dep_ == "pobj" and tok.head.dep_ == "prep" \
            and ctx.lex["verbs"].get(tok.head.head.lemma_.lower(), {}).get("speech") \
            and not any(c.dep_ == "acl" and any(a.dep_ == "agent" for a in children(c)) for c in children(tok)):
        return False  # "said in a statement": the verb is the event ("in a statement issued by X": X's)
    return True


def _call_received(ctx, tok) -> bool:
    """"Sisi received a call from Biden": a call one receives from somebody is a phone call."""
    v = _governing_verb(tok)
    return v is not None and tok.dep_ == "dobj" and v.lemma_.lower() in ("receive", "get", "take", "answer") \
        and any(c.dep_ == "prep" and c.lower_ == "from" and any(
            _np_entities(ctx, g) for g in children(c) if g.dep_ == "pobj") for c in children(tok))


def _refine_verb(ctx, tok, spec) -> dict:
    """speak/talk "by phone" is a call, not a meeting."""
    if spec["type"] == "meeting" and _has_phone(ctx, tok):
        return {**spec, "type": "call", "cameo": "041"}
    return spec


def _refine_noun(ctx, tok, spec) -> dict:
    if spec["type"] == "meeting" and _has_phone(ctx, tok):
        return {**spec, "type": "call", "cameo": "041"}
    return spec


def _has_phone(ctx, tok) -> bool:
    """Whether a verb or noun is done by phone: "by phone", "phone call", "telephone conversation"."""
    words = ctx.phone
    for c in children(tok):
        if c.dep_ in ("compound", "amod", "nmod") and c.lower_.strip("-") in words:
            return True
        if c.dep_ == "prep" and c.lower_ in ("by", "over", "on", "via"):
            if any(g.lower_ in words or g.lemma_ == "call" for g in children(c)):
                return True
        if c.dep_ == "advmod" and c.lower_ in ("virtually", "telephonically"):
            return True
    if tok.lemma_.lower() == "call" and tok.pos_ == "NOUN" and any(c.lower_ in words for c in tok.lefts):
        return True
    # "spoke to his counterpart ... in a telephone call": a conversation whose sentence names the
    # medium anywhere is that call; without it, "spoke with" stays a meeting (talks of people in one
    # place are as common as calls, and a location or setting would be lost by guessing "call")
    # ("video" alone is too loose here: "spoke in a video posted online")
    # ("the Vienna talks" in a sentence about a phone call before them stay talks: nouns other
    # than "conversation"/"discussion" never take the medium from afar)
    lemma = tok.lemma_.lower()
    speaking = lemma in SPEAKING and (tok.pos_ != "NOUN" or lemma in ("conversation", "discussion"))
    return speaking and any(t.lower_.strip("-") in words - {"video"} for t in tok.sent)


def _objects(tok) -> list:
    """The patient: the object, the subject of a passive, or the noun a passive clause modifies."""
    objs = [c for c in children(tok) if c.dep_ in ("dobj", "obj")]
    if not objs:  # the small model reads "called President Zelensky" as a predicate
        objs = [c for c in children(tok) if c.dep_ == "oprd" and c.pos_ == "PROPN"]
    if not objs:
        objs = [c for c in children(tok) if c.dep_ == "nsubjpass"]
    if not objs and tok.tag_ == "VBN":
        t = tok
        while t.dep_ == "conj" and t.head.i != t.i:  # "a balloon that flew over ... and was downed"
            t = t.head
            subj = [c for c in children(t) if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"]
            if subj:
                return subj
        if t.dep_ in ("relcl", "acl"):
            objs = [t.head]
        elif t.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in children(t)):  # "X was to be expelled"
            objs = [c for c in children(t.head) if c.dep_ in ("nsubj", "nsubjpass")]
    return objs


def _preps(ctx, tok) -> list:
    """The prepositions of a verb or noun, with those hanging from its medium ("on the phone with X")."""
    out = []
    for c in children(tok):
        if c.dep_ != "prep":
            continue
        out.append(c)
        if c.lower_ in ("on", "over", "by", "via"):
            out += [p for g in children(c) if g.dep_ == "pobj" and g.lower_ in ctx.phone
                    for p in children(g) if p.dep_ == "prep"]
    return out


def _counterparts(ctx, tok) -> list:
    """Named partners of a conversation: "with X", "to X" (speak), "between X and Y", or the
    second of two subjects ("Putin and Modi spoke by phone")."""
    out = []
    if tok.pos_ in ("VERB", "AUX") and (tok.lemma_.lower() != "speak" or _has_phone(ctx, tok)):
        subjects = _subject(ctx, tok)
        if len(subjects) >= 2:
            out += subjects[1:]
    for c in children(tok):
        if c.dep_ == "dobj":
            out += _np_entities(ctx, c)
    for c in _preps(ctx, tok):
        if c.lower_ in ("with", "to", "between"):
            for g in children(c):
                if g.dep_ == "pobj":
                    out += _np_entities(ctx, g)
    return out


def _destinations(ctx, tok) -> list:
    out = _prep_places(ctx, tok, ("to", "in", "into", "for", "at"))
    if not out and _light_host(tok) is not None:
        out = _prep_places(ctx, tok.head, LIGHT_PREPS)  # "made a layover [in Singapore]": hung on the verb
    return out


def _prep_places(ctx, head, preps, skip: int | None = None) -> list:
    """The places named in ``head``'s prepositional phrases opened by one of ``preps`` (not the one at ``skip``)."""
    return [p for c in children(head) if c.dep_ == "prep" and c.lower_ in preps and c.i != skip
            for g in children(c) if g.dep_ == "pobj" for p in _np_entities(ctx, g) if p[1] in ("GPE", "LOC", "FAC")]


# verbs that carry a journey noun's place as their own: "made a brief layover in Singapore", "paid a visit to Hanoi"
LIGHT_VERBS = {"make", "pay", "have"}
LIGHT_PREPS = ("to", "in", "into", "at")


def _light_host(tok):
    """The light verb whose object ``tok`` is ("made a stop", "paid a visit"), or None."""
    head = tok.head
    if tok.pos_ == "NOUN" and tok.dep_ == "dobj" and head.lemma_.lower() in LIGHT_VERBS:
        return head
    return None


def _has_quote_near(ctx, tok) -> bool:
    s = sent_of(tok)
    return any(s.start_char <= qs < s.end_char or s.start_char < qe <= s.end_char for qs, qe in ctx.quotes)


# --- entities behind noun phrases -----------------------------------------------------------

DASH_MARKS = ("--", "—", "–")  # a dateline's dash as a token of its own
DASHES = DASH_MARKS + ("-",)  # ... or ending the place's word: "Argentina.-"


def _dateline(tok) -> bool:
    """A dateline's place the parser hung into the sentence: "CANBERRA --", "LIMA (Reuters) –", or a line's
    opening "Buenos Aires, Argentina.-" whose last word carries the dash."""
    if tok.is_upper and len(tok) > 1 and any(c.dep_ == "punct" and c.text in DASH_MARKS for c in children(tok)):
        return True
    first, texts = tok.left_edge.i, token_texts(tok.doc)
    if not (first == 0 or "\n" in texts[first - 1]):
        return False  # a dateline opens its line
    return any(t.endswith(DASHES) and len(t) > 1 and t[-2] == "." for t in texts[tok.i:tok.i + 4])


def _dateline_dash(tok) -> int:
    """Where a dateline's dash is: what the parser set beside the place after it is the sentence's subject."""
    dashes = [c.i for c in children(tok) if c.dep_ == "punct" and c.text in DASH_MARKS]
    return dashes[0] if dashes else tok.i


def _np_entities(ctx, tok, depth: int = 0) -> list[tuple[str, str]]:
    """Entity keys a noun phrase headed by ``tok`` refers to, with its conjuncts."""
    if depth > 4:
        return []
    if _dateline(tok):  # (the agency in brackets before the dash is no subject: "HANOI (Reuters) – Widodo ...")
        after = [c for c in children(tok) if c.dep_ == "appos" and c.i > _dateline_dash(tok)]
        if after:  # a dateline the parser made the subject: "CANBERRA -- Australia and Indonesia signed ..."
            return _np_entities(ctx, after[0], depth + 1)
    keys = list(_np_entity(ctx, tok))
    for c in children(tok):
        if c.dep_ == "conj":
            keys += _np_entities(ctx, c, depth + 1)
    return list(dict.fromkeys(keys))


# who speak for the one that owns them: "Lee's office said", "the minister's spokesman said"
VOICE_NOUNS = {"office", "spokesperson", "spokesman", "spokeswoman", "secretariat", "aide"}


def _np_entity(ctx, tok) -> list[tuple[str, str]]:
    m = ctx.mention(tok)
    if m and m.type != "NORP":
        return [m.key]
    low = tok.lower_
    if low in PERSONAL:
        key = _pronoun(ctx, tok)
        return [key] if key else []
    if low in PLURAL:
        return _plural_pronoun(ctx, tok)
    if low == "it" and tok.dep_ == "nsubj" and ctx.lex["verbs"].get(tok.head.lemma_.lower(), {}).get("speech"):
        return _reporting_it(ctx, tok)
    if low in ("who", "whom", "which", "that") and tok.head.dep_ == "relcl" and tok.head.head.i != tok.i:
        return _np_entities(ctx, tok.head.head)  # "Borne, who Macron picked": the noun the clause modifies
    if low in ("i", "we") and ctx.in_quote(tok.idx):
        return _quoted_speaker(ctx, tok)
    if tok.dep_ == "appos" and (head := ctx.mention(tok.head)) is not None and head.type == "PERSON":
        return [head.key]  # "Elisabeth Borne, a career bureaucrat who ..."
    for c in children(tok):  # "his counterpart Qin Gang", "the minister, Qin Gang,"
        if c.dep_ in ("appos", "compound", "flat") and (m2 := ctx.mention(c)) and m2.type == "PERSON":
            return [m2.key]  # (a spokesman named is the speaker: "Trump's spokesman Sean Spicer said")
    if tok.lemma_.lower() in VOICE_NOUNS and tok.dep_ == "nsubj" \
            and ctx.lex["verbs"].get(tok.head.lemma_.lower(), {}).get("speech"):
        voiced = [k for c in children(tok) if c.dep_ == "poss" for k in _np_entities(ctx, c)]
        if voiced:
            return voiced  # "Lee's office said in a statement": the office speaks for Lee
    if tok.pos_ == "NOUN" and (low == "counterpart" or tok.lemma_.lower() in TITLE_WORDS) and tok.i + 1 < len(tok.doc):
        # the name right after it, when the parser hung it elsewhere ("his U.S. counterpart Barack Obama" with
        # "Barack" read as a preposition)
        nxt = tok.doc[tok.i + 1]
        if (m2 := ctx.mention(nxt)) is not None and m2.type == "PERSON" and m2.start == nxt.idx:
            return [m2.key]
    if (m2 := _appositive_org(ctx, tok)) is not None:  # "the news agency RIA Novosti", "the broadcaster, CCTV,"
        return [m2.key]
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in TITLE_WORDS | {"counterpart", "leader"}:
        # "his counterpart of the United States, Donald Trump": the parser hangs the name on the country
        for g in (g for c in children(tok) if c.dep_ == "prep" and c.lower_ == "of"
                  for g in children(c) if g.dep_ == "pobj"):
            for a in children(g):
                if a.dep_ == "appos" and (m3 := ctx.mention(a)) and m3.type == "PERSON":
                    return [m3.key]
    if tok.pos_ == "NOUN" and tok.lower_ == "leader" and any(c.lower_ == "the" for c in children(tok)):
        key = _national_leader(ctx, tok)  # "the Ukrainian leader said": the Ukrainian president named before
        if key:
            return [key]
    if tok.pos_ in ("NOUN", "PROPN"):
        lemma = tok.lemma_.lower()
        if lemma in TITLE_LEMMAS and any(c.lower_ == "the" for c in children(tok)):
            if tok.tag_ != "NNS":
                key = _titled(ctx, tok, lemma)  # else "the Chinese foreign minister" nobody named stands for China
                return [key] if key else _group_country(ctx, tok)
            if not any(c.dep_ in ("prep", "amod", "compound", "nmod") for c in children(tok)):
                return _titled_pair(ctx, tok, lemma)  # "the ministers": the two last named
        if lemma in ctx.lex["group_nouns"] or low in ctx.lex["group_nouns"]:
            return _group_country(ctx, tok)
    if m and m.type == "NORP":
        key = _demonym_country(ctx, m)
        return [key] if key else []
    return []


def _group_country(ctx, tok) -> list[tuple[str, str]]:
    """"senior Chinese officials", "US and Chinese officials", "counterparts from Ukraine" -> the countries."""
    keys = []
    for c in children(tok):
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            for t in [c, *(g for g in children(c) if g.dep_ == "conj")]:
                m = ctx.mention(t)
                if m and m.type == "NORP":
                    keys += [k for k in [_demonym_country(ctx, m)] if k]
                elif m and m.type in ("GPE", "ORG"):
                    keys.append(m.key)
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            for g in children(c):
                if g.dep_ == "pobj":
                    keys += [k for k in _np_entities(ctx, g) if k[1] in ("GPE", "ORG")]
    return list(dict.fromkeys(keys))


def _modifier_country(ctx, tok) -> list[tuple[str, str]]:
    """The country a modifier names ("Turkish" jets, "Chinese" balloon), tagged by the model or not."""
    keys = [k for k in _np_entity(ctx, tok) if k[1] in ("GPE", "ORG")]
    if not keys and ctx.country_of and tok.pos_ in ("ADJ", "PROPN"):
        keys = [k for k in [ctx.country_of(tok.text)] if k]
    return keys


def _demonym_country(ctx, m: EntityMention):
    if ctx.country_of:
        return ctx.country_of(m.canonical)
    return None


def _pronoun(ctx, tok):
    """he/she/his/her: a subject earlier in the sentence, else the nearest earlier sentence's person,
    preferring its main-clause subject, then any subject, then the latest mention."""
    if tok.i in ctx.pronouns:
        return ctx.pronouns[tok.i]
    ctx.pronouns[tok.i] = None  # guards against cycles
    guest = _arriving_guest(ctx, tok)
    if guest is not None:
        ctx.pronouns[tok.i] = guest
        return guest
    sent, first = sent_of(tok), True
    key = None
    for _ in range(4):
        ranked = []
        for t in sent:
            if t.i >= tok.i:
                break
            subj = _subject_rank(t, ctx.lex)
            if t.lower_ in PERSONAL and subj and t.i != tok.i:
                k = _pronoun(ctx, t)
            elif subj and t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in TITLE_LEMMAS and ctx.mention(t) is None \
                    and any(c.lower_ == "the" for c in children(t)):
                k = _titled(ctx, t, t.lemma_.lower())  # "The Prime Minister also announced that he will visit"
            else:
                m = ctx.mention(t)
                k = m.key if m is not None and m.type == "PERSON" and not t.is_punct and not _related_to(t, tok) \
                    else None
            if k and (subj or not first or tok.dep_ == "poss"):
                ranked.append(((subj, t.i), k))
        if ranked:
            key = max(ranked)[1]
            break
        if sent.start == 0:
            break
        sent, first = sent_at(ctx.doc, sent.start - 1), False
    ctx.pronouns[tok.i] = key
    return key


ARRIVAL_VERBS = frozenset({"arrive", "land", "come"})


def _arriving_guest(ctx, tok):
    """"Sharif received Sirisena at the airport as he arrived": the one who arrives in a clause on a host verb is
    the guest the host received, not the host who is the sentence's subject."""
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.lemma_.lower() not in ARRIVAL_VERBS or verb.dep_ != "advcl":
        return None
    host = verb.head
    if not ctx.lex["verbs"].get(host.lemma_.lower(), {}).get("host"):
        return None
    guests = [k for c in children(host) if c.dep_ == "dobj" for k in _np_entities(ctx, c) if k[1] == "PERSON"]
    return guests[0] if len(guests) == 1 else None


def _reporting_it(ctx, tok) -> list[tuple[str, str]]:
    """"..., it added": the body (ORG or GPE) that was the latest to speak in this or the two sentences before."""
    sent = sent_of(tok)
    for _ in range(3):
        speakers = [m.key for t in sent if t.i < tok.i and t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX")
                    and ctx.lex["verbs"].get(t.head.lemma_.lower(), {}).get("speech")
                    for m in [ctx.mention(t) or _appositive_org(ctx, t)] if m is not None and m.type in ("ORG", "GPE")]
        if speakers:
            return speakers[-1:]
        if sent.start == 0:
            return []
        sent = sent_at(ctx.doc, sent.start - 1)
    return []


def _appositive_org(ctx, tok):
    """"the news agency RIA Novosti": the organisation named in apposition to a common noun."""
    if tok.pos_ != "NOUN":
        return None
    return next((m for c in children(tok) if c.dep_ == "appos" and (m := ctx.mention(c)) and m.type == "ORG"), None)


_FEMININE, _MASCULINE = {"she", "her", "hers", "herself"}, {"he", "him", "his", "himself"}


def _related_to(name, pronoun) -> bool:
    """"her predecessor, Lee Myung-bak": a name set beside a noun that a pronoun of the same gender possesses is
    somebody else than that pronoun's person, and so than a later "she"."""
    kind = _FEMININE if pronoun.lower_ in _FEMININE else _MASCULINE if pronoun.lower_ in _MASCULINE else None
    if kind is None:
        return False
    t = name
    while t.dep_ in ("compound", "flat") and t.head.i != t.i:
        t = t.head
    noun = t.head if t.dep_ == "appos" else t  # "her predecessor, Lee", "her husband John Smith"
    return any(c.dep_ == "poss" and c.lower_ in kind for c in children(noun))


def _quoted_speaker(ctx, tok) -> list[tuple[str, str]]:
    """"I will now meet ...", Tusk tweeted: a first person inside a quotation is its speaker, found
    in the sentences the quotation spans or the one that opens it."""
    start = next((qs for qs, qe in ctx.quotes if qs <= tok.idx < qe), sent_of(tok).start_char)
    sent = sent_of(tok)
    while True:
        for t in sent:
            spec = ctx.lex["verbs"].get(t.lemma_.lower(), {})
            if spec.get("speech") and t.pos_ == "VERB" and not ctx.in_quote(t.idx):
                return [k for s in _subject_tokens(t) if not ctx.in_quote(s.idx) for k in _np_entities(ctx, s)]
        if sent.start_char <= start or sent.start == 0:
            return []
        sent = sent_at(ctx.doc, sent.start - 1)


def _plural_pronoun(ctx, tok) -> list[tuple[str, str]]:
    """they/their: the latest plural subject before it ("Modi and Trump held a call ... since they
    met"), in its sentence or the two before."""
    if tok.i in ctx.pronouns:
        return list(ctx.pronouns[tok.i] or [])
    ctx.pronouns[tok.i] = None  # guards against cycles
    sent, keys = sent_of(tok), []
    for _ in range(3):
        subjects = [t for t in sent if t.i < tok.i and t.dep_ in ("nsubj", "nsubjpass")
                    and t.lower_ not in PLURAL and (any(c.dep_ == "conj" for c in children(t)) or t.tag_ == "NNS")]
        for subj in reversed(subjects):
            keys = _np_entities(ctx, subj)
            if keys:
                break
        if keys or sent.start == 0:
            break
        sent = sent_at(ctx.doc, sent.start - 1)
    ctx.pronouns[tok.i] = tuple(keys)
    return keys


def _subject_rank(t, lex: dict) -> int:
    """2 for the subject of the main clause, 1 for another subject, 0 otherwise. The speaker of a
    report ranks below the subject of what is reported: after "Miller said Blinken would travel",
    "his visit" is Blinken's."""
    head = t
    if t.dep_ in ("compound", "appos", "flat") and t.head.dep_ in ("nsubj", "nsubjpass"):
        head = t.head
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return 0
    verb = head.head
    if lex["verbs"].get(verb.lemma_.lower(), {}).get("speech") and any(c.dep_ == "ccomp" for c in children(verb)):
        return 1
    if verb.dep_ == "ccomp" and verb.head.dep_ == "ROOT" \
            and lex["verbs"].get(verb.head.lemma_.lower(), {}).get("speech"):
        return 2
    return 2 if verb.dep_ == "ROOT" else 1


def _titled(ctx, tok, lemma):
    """"the Secretary" -> the latest person whose title has that word; "the Prime Minister" -> one whose title
    has those words, when anyone's has (an "External Affairs Minister" named later is not the Prime Minister)."""
    # the most mentioned holder so far (the article's protagonist), the latest on a tie
    holders = [m for m in ctx.mentions if m.end <= tok.idx and m.type == "PERSON" and m.title
               and _has_title_word(m.title.lower(), lemma)]
    words = [c.lower_ for c in children(tok) if c.dep_ in ("compound", "amod") and c.i < tok.i]
    if words:
        phrase = " ".join(words + [tok.lower_])
        holders = [m for m in holders if phrase in m.title.lower()] or holders
    seen = [m.key for m in holders]
    counts = {k: sum(1 for m in ctx.mentions if m.key == k and m.end <= tok.idx) for k in seen}
    return max(reversed(seen), key=lambda k: counts[k]) if seen else None


def _has_title_word(title: str, lemma: str) -> bool:
    """Whether a (lower-cased) title has the word: "prime minister" has "minister", and "pm" as well."""
    full = TITLE_ABBREVIATIONS.get(lemma)
    if full is not None:  # a short word is matched whole: "development" has no "pm"
        return full in title or lemma in title.split()
    return lemma in title


LEADER_TITLES = ("president", "prime minister", "premier", "chancellor", "king", "queen", "emir", "leader")


def _national_leader(ctx, tok):
    """"the Ukrainian leader" -> the latest person before it whose title names that country and a head of
    state or government ("Ukrainian President Viktor Yanukovych")."""
    words = {c.text.lower() for c in children(tok) if c.dep_ in ("amod", "compound")}
    countries = {k[0] for c in children(tok) if c.dep_ in ("amod", "compound") for k in _modifier_country(ctx, c)}
    if not countries:
        return None
    for m in reversed(ctx.mentions):
        if m.end > tok.idx or m.type != "PERSON" or not m.title:
            continue
        title = m.title.lower()
        named = words & set(title.split()) or any(
            k[0] in countries for k in _modifier_country_text(ctx, m.title))
        if named and any(t in title for t in LEADER_TITLES):
            return m.key
    return None


def _modifier_country_text(ctx, title: str) -> list:
    """The countries a title's words name ("Ukrainian President" -> Ukraine)."""
    return [k for w in title.split() for k in [ctx.country_of(w) if ctx.country_of else None] if k]


def _titled_pair(ctx, tok, lemma) -> list[tuple[str, str]]:
    """"the (two) ministers" -> the two latest people whose titles have that word."""
    keys = []
    for m in reversed(ctx.mentions):
        if m.end <= tok.idx and m.type == "PERSON" and m.title and _has_title_word(m.title.lower(), lemma) \
                and m.key not in keys:
            keys.append(m.key)
        if len(keys) == 2:
            return keys[::-1]
    return []


# --- roles ---------------------------------------------------------------------------------

def _subject(ctx, verb) -> list[tuple[str, str]]:
    """The agent of a verb: its subject, the by-agent of a passive, or the subject it inherits.
    A plan that does something is its authors' act: "EU leaders agreed a plan which would delay Brexit"."""
    keys = [k for t in _subject_tokens(verb) for k in _coordinated(ctx, t, _np_entities(ctx, t))]
    if not keys:
        keys = _reporting_body(ctx, verb)
    if not keys and verb.dep_ == "relcl" and verb.head.dep_ == "dobj" and verb.head.head.pos_ == "VERB":
        keys = [k for t in _subject_tokens(verb.head.head) for k in _np_entities(ctx, t)]
    return keys


def _coordinated(ctx, tok, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The names a coordinated noun phrase joins, when the parse lost some: the small model reads "Putin and
    PM Modi" as Putin with a conjunct "PM" and an apposition "Modi", and "President Trump and Pena Nieto" as
    Nieto with a modifier "Trump". Names inside a prepositional phrase, clause or possessive are not joined."""
    first, last = tok.left_edge.i, tok.right_edge.i  # the subtree lies within these
    if last - first < 2 or not any(w in ("and", "&") for w in token_lows(tok.doc)[first:last + 1]):
        return keys  # no conjunction: nothing to join (and no Token objects made for the subtree)
    subtree = list(tok.subtree)
    if len(subtree) < 3:
        return keys
    # the conjunction must join the phrase itself, not words inside an apposition or a prepositional phrase
    # ("Kritenbrink, assistant secretary for East Asian and Pacific Affairs,")
    cc = next((t.i for t in subtree if t.dep_ == "cc" and t.lower_ in ("and", "&") and _joined(t, tok, _APART)), None)
    if cc is None:
        return keys
    found: list[tuple[str, str]] = []
    for t in subtree:
        if not _joined(t, tok, _APART - {"appos"}) or t.i < cc and not _joined(t, tok, _APART):
            continue  # an apposition after the conjunction is the second name ("Putin and PM Modi")
        m = ctx.mention(t)
        if m is None or m.type not in ("PERSON", "ORG", "GPE") or m.key in found:
            continue
        if m.type != "PERSON" and t.dep_ in ("compound", "amod", "nmod") and not m.start <= t.head.idx < m.end:
            continue  # a country or body in a title: "US President Joe Biden"
        found.append(m.key)
    if len(found) < 2 or all(k in keys for k in found):
        return keys
    return found + [k for k in keys if k not in found]


_APART = frozenset({"prep", "relcl", "acl", "advcl", "ccomp", "poss", "npadvmod", "appos"})


def _joined(t, head, apart: frozenset) -> bool:
    """Whether ``t`` hangs from ``head`` through no dependency in ``apart``."""
    while t.i != head.i:
        if t.dep_ in apart or t.head.i == t.i:
            return False
        t = t.head
    return True


def _reporting_body(ctx, verb) -> list[tuple[str, str]]:
    """"The government said it would recall its ambassador": "it" ("they", "we") as the subject of a
    reported clause is the body (ORG or GPE) that reports it."""
    subj = _subject_tokens(verb)
    if len(subj) != 1 or subj[0].lower_ not in ("it", "they", "we"):
        return []
    clause = verb
    while clause.dep_ in ("conj", "xcomp", "advcl") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "ccomp" or not ctx.lex["verbs"].get(clause.head.lemma_.lower(), {}).get("speech"):
        return []
    return [k for t in _subject_tokens(clause.head) for k in _np_entities(ctx, t) if k[1] in ("ORG", "GPE")]


def _behind_dateline(verb) -> list:
    """"SEOUL, Nov 3 (Agency) -- President Lee and President Xi held": when the verb's only subject is a dateline's
    place that the parser joined to the names after the dash, those names are the subject."""
    subj = [c for c in children(verb) if c.dep_ == "nsubj"]
    if len(subj) != 1 or not _dateline(subj[0]):
        return []
    return [d for d in children(subj[0]) if d.dep_ == "conj" and d.i > _dateline_dash(subj[0])]


def _subject_tokens(verb, depth: int = 0) -> list:
    """Tokens heading the verb's agent, following xcomp ("intended to visit"), conj ("visited ...
    and held talks") and relative clauses ("Miller, who said")."""
    if depth > 4:
        return []
    behind = _behind_dateline(verb)
    if behind:
        return behind
    if depth > 0:  # "Petro was met by X before leaving to meet Maduro": Petro does the meeting
        subj = [c for c in children(verb) if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subj:
            return subj[:1]
    for c in children(verb):
        if c.dep_ == "agent":
            return [g for g in children(c) if g.dep_ == "pobj"]
    for c in children(verb):
        if c.dep_ in ("nsubj", "csubj") and not (_dateline(c) and any(
                d.dep_ == "nsubj" and d.i != c.i for d in children(verb))):  # "LIMA (Reuters) – Congress voted"
            # two subjects side by side are one noun phrase cut in two: "PM" and "Modi" of "PM Modi dialled";
            # two joined by "and" are a coordination the parser did not link ("President Lee Jae-myung and
            # Chinese President Xi Jinping held a summit": both are subjects)
            lows = token_lows(verb.doc)
            return [c] + [d for d in children(verb) if d.dep_ == "nsubj" and d.i > c.i and (
                d.i == c.i + 1 or d.left_edge.i > 0 and lows[d.left_edge.i - 1] in ("and", "&"))]
        if c.dep_ == "nsubjpass":
            return []  # a passive with its own subject and no by-agent names no agent
    intent = verb.head.head if verb.dep_ == "pcomp" else verb.head if verb.dep_ == "acl" else None
    if intent is not None and intent.lemma_.lower() in INTENT_NOUNS and intent.dep_ in ("dobj", "attr") \
            and intent.head.pos_ in ("VERB", "AUX"):  # "Macron has no plans to visit China": Macron would
        return _subject_tokens(intent.head, depth + 1)
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_ == "quote":
        return [c for c in children(verb.head.head) if c.dep_ == "dobj"]  # "the Post quoted him as saying"
    if verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:  # "said ... before leaving for Caracas"
        return _subject_tokens(verb.head.head, depth + 1)
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() != "promise":
        controller = [c for c in children(verb.head) if c.dep_ == "dobj" and c.ent_type_ not in ("GPE", "LOC", "FAC")]
        if controller:  # "invited the Argentine leader to visit Santiago": the one invited would visit
            # (a place does not: "visited Berlin to meet Scholz" is the visitor's meeting)
            return controller[:1]
    if verb.dep_ in ("xcomp", "conj", "advcl", "acomp") and verb.head.i != verb.i:  # acomp: "is due to meet"
        if verb.dep_ == "advcl" and not (verb.tag_ in ("VBG", "VBN") or any(
                c.dep_ == "aux" and c.lower_ == "to" for c in children(verb))):
            return []
        return _subject_tokens(verb.head, depth + 1)
    if verb.dep_ in ("relcl", "acl") and verb.head.dep_ == "attr" and verb.head.head.lemma_ in ("be", "become"):
        return _subject_tokens(verb.head.head, depth + 1)  # "Lee became the first president to visit ...": Lee did
    if verb.dep_ in ("relcl", "acl") and verb.tag_ != "VBN":
        return [verb.head]
    return []


def _governing_verb(tok):
    """The verb a nominal trigger hangs from as object or prepositional object."""
    t = tok
    for _ in range(4):
        if t.dep_ in ("dobj", "pobj", "attr", "oprd") or (t.dep_ == "prep" and t.i != tok.i):
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                return t
            continue
        return None
    return None


class _Parts:
    """The participants collected for one trigger; called as ``parts(keys, role)`` by the role readers."""

    def __init__(self) -> None:
        self.items: list[Participant] = []

    def __call__(self, keys, role: str) -> None:
        for name, typ in keys:
            if name and not any(p.name == name and p.type == typ for p in self.items):
                self.items.append(Participant(name=name, type=typ, role=role))

    def has(self, *roles: str) -> bool:
        return any(p.role in roles for p in self.items)


def _build(ctx, tok, spec, time) -> EventMention | None:
    """Read roles and status for one trigger; None when nothing is known of who took part."""
    parts = _roles(ctx, tok, spec)
    if not _enough(spec, parts):
        return None
    return _mention(ctx, tok, spec, parts.items, time)


def _roles(ctx, tok, spec) -> _Parts:
    """Who took part, by the reading that fits the trigger: nominal, host verb or plain verb."""
    parts = _Parts()
    agent_role = "speaker" if spec.get("speech") else "agent"
    if tok.pos_ == "NOUN":
        _nominal_roles(ctx, tok, spec, parts, agent_role)
    elif spec.get("host"):
        _host_roles(ctx, tok, parts)
    elif spec.get("self"):  # "X took over as minister", "X was elected chairperson": X is the appointee
        parts([k for t in _patients_or_subject(tok) for k in _np_entities(ctx, t)], "recipient")
        parts([k for c in children(tok) if c.dep_ == "agent" for g in children(c) for k in _np_entities(ctx, g)],
              "agent")
    else:
        # "the envoy was to be expelled", "arrived and was greeted": a passive that inherits its subject
        # and names no by-agent says what was done to that subject
        passive = any(c.dep_ == "auxpass" for c in children(tok)) and not any(
            c.dep_ in ("agent", "nsubjpass") for c in children(tok))
        parts(_subject(ctx, tok), "recipient" if passive and not spec.get("speech") else agent_role)
        _verbal_roles(ctx, tok, spec, parts)
    if spec["type"] == "military":
        _military_roles(ctx, tok, parts)
    if spec["type"] in ("meeting", "visit") and not parts.has("location"):
        there = next((c for c in children(tok) if c.dep_ == "advmod" and c.lower_ == "there"), None)
        if there is not None:  # "In London, he will attend ... While there, he will also meet ...": London
            parts(_place_before(ctx, there), "location")
    return parts


def _place_before(ctx, tok) -> list[tuple[str, str]]:
    """The latest place named as where something is ("in London", "to Paris") before ``tok``, in its sentence or
    the one before: what "there" stands for ("Russia's attacks" names no such place)."""
    sent = sent_of(tok)
    since = sent_at(ctx.doc, sent.start - 1).start_char if sent.start > 0 else sent.start_char
    for m in reversed(ctx.mentions):
        if m.end > tok.idx or m.type not in ("GPE", "LOC", "FAC"):
            continue
        if m.start < since:
            break
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ in ("in", "at", "to", "into"):
            return [m.key]
    return []


def _patients_or_subject(tok) -> list:
    """The appointee: the passive subject, else the subject ("Conde was elected", "Kwape took over")."""
    return [c for c in children(tok) if c.dep_ == "nsubjpass"] or _subject_tokens(tok)


def _military_roles(ctx, tok, parts) -> None:
    """"Two Turkish F-16s shot down a Russian jet": the forces stand for their countries."""
    if not parts.has("agent"):
        parts([k for c in _subject_tokens(tok) for m in children(c)
               if m.dep_ in ("amod", "compound") for k in _modifier_country(ctx, m)], "agent")
    for o in _objects(tok):
        if ctx.mention(o) is None:
            targets = [o, *(g for c in children(o) if c.dep_ == "prep" and c.lower_ == "of"
                            for g in children(c) if g.dep_ == "pobj")]  # "one of them", "one of the jets"
            parts([k for t in targets for c in children(t) if c.dep_ in ("amod", "compound")
                   for k in _modifier_country(ctx, c)], "recipient")


def _enough(spec, parts: _Parts) -> bool:
    """Whether the roles found say who acted: a place alone, an unattributed statement or an
    appointment of nobody is no event."""
    if not parts.has("agent", "recipient", "participant", "speaker", "addressee", "subject") \
            and not spec.get("affects"):
        return False
    if spec.get("speech") and not parts.has("speaker"):
        return False
    return spec["type"] != "appointment" or parts.has("recipient")


def _mention(ctx, tok, spec, participants: list[Participant], time) -> EventMention:
    """The event mention record of one trigger, with its status, quote and provenance."""
    nominal = tok.pos_ == "NOUN"
    sent = sent_of(tok)
    end = tok.idx + len(tok.text)
    if "particle" in spec:
        part = ctx.doc[spec["particle"]]
        end = max(end, part.idx + len(part.text))
    return EventMention(
        doc=ctx.id, index=0, type=spec["type"], cameo=spec["cameo"],
        trigger=_trigger_text(tok, spec), status=_status(ctx, tok, spec, time, nominal),
        participants=tuple(participants),
        # sent.text is the document's text between its bounds: sliced, not joined again token by token
        source=Source(ctx.id, doc_text(ctx.doc)[sent.start_char:sent.end_char].strip(), sent.start_char,
                      sent.end_char),
        trigger_start=tok.idx, trigger_end=end, time=time,
        location=next((p.name for p in participants if p.role == "location"), None),
        quote=_quote(ctx, tok) if spec.get("speech") else None)


def _trigger_text(tok, spec) -> str:
    """The trigger as a reader would quote it: "telephone conversation", "shot down"."""
    words = [c for c in tok.lefts if c.dep_ in ("compound",) and c.i == tok.i - 1]
    text = " ".join([w.text for w in words] + [tok.text])
    if "particle" in spec:
        text += " " + tok.doc[spec["particle"]].text
    return text


def _verbal_roles(ctx, tok, spec, parts: _Parts) -> None:
    """Roles of a verb's objects and prepositional phrases (its subject is read before)."""
    _object_roles(ctx, tok, spec, parts)
    for c in _preps(ctx, tok):
        if "particle" in spec and c.i == spec["particle"]:
            role = "location" if spec["type"] in ("visit", "travel") else "addressee"  # "left for Caracas", "called on X"
            parts([k for g in children(c) if g.dep_ == "pobj" for k in _np_entities(ctx, g)], role)
        else:
            _prep_roles(ctx, c, spec, parts)


def _object_roles(ctx, tok, spec, parts: _Parts) -> None:
    """The object is the place visited, the person met or called, or the addressee told."""
    typ = spec["type"]
    passive = any(c.dep_ == "nsubjpass" for c in children(tok))
    # the subject of a passive is the patient when an agent is named ("was greeted by Abiy") or the
    # act needs no agent to be one ("was appointed minister", "was downed")
    by_agent = any(c.dep_ == "agent" for c in children(tok))
    objects = _objects(tok) if not passive or by_agent or typ in ("military", "appointment") else []
    for o in objects:
        keys = _np_entities(ctx, o)
        if not keys and typ in ("visit", "travel") and o.lemma_.lower() in PLACE_HEADS:
            # "visit the western Japan regions hit by the floods": the place names the region
            keys = [k for c in children(o) if c.dep_ == "compound" for k in _np_entities(ctx, c)
                    if k[1] in ("GPE", "LOC")]
        if typ in ("visit", "travel"):
            if tok.lemma_.lower() in DEPARTURE_VERBS:
                continue  # "left Berlin for Beijing": the object is where the journey starts, not where it goes
            parts([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
            parts([k for k in keys if k[1] not in ("GPE", "LOC", "FAC")], "recipient")
        elif spec.get("speech"):
            if spec.get("addressee") == "dobj":
                parts(keys, "addressee")
        elif typ in ("postponement", "cancellation"):
            continue
        else:
            parts(keys, "recipient")
            if typ == "meeting":  # "expected to meet Yilmaz in Ottawa": the place can hang from the one met
                parts(_prep_places(ctx, o, ("in", "at")), "location")
    for c in children(tok):
        if c.dep_ == "dative":
            parts(_np_entities(ctx, c), "addressee" if spec.get("speech") else "recipient")


def _prep_roles(ctx, c, spec, parts: _Parts) -> None:
    """"with X" the counterpart, "to X" the destination or addressee, "in/at X" the place."""
    typ, prep = spec["type"], c.lower_
    places = ("GPE", "LOC", "FAC")
    for g in (g for g in children(c) if g.dep_ == "pobj"):
        keys = _np_entities(ctx, g)
        if prep in ("with", "between"):
            parts(keys, "recipient" if typ in ("call", "meeting", "agreement") else "participant")
            if typ != "call":  # "met with X in Seoul": the place can hang from X
                parts(_prep_places(ctx, g, ("in", "at")), "location")
        elif prep == "to" and typ in ("visit", "travel"):
            parts([k for k in keys if k[1] in places], "location")
        elif prep == "to" and (spec.get("speech") or typ in ("call", "meeting")):
            parts(keys, "addressee" if spec.get("speech") else "recipient")
        elif prep in ("in", "at") and typ != "statement":
            parts([k for k in keys if k[1] in places], "location")
        elif prep == "from" and typ == "meeting":
            parts(keys, "recipient")


def _invited(ctx, tok, parts: _Parts) -> bool:
    """"X invited Y for a state visit (to Z)": Y is the visitor, X the host."""
    v = _governing_verb(tok)
    if v is None or v.lemma_.lower() not in ("invite", "welcome"):
        return False
    guests = [k for o in children(v) if o.dep_ == "dobj" for k in _np_entities(ctx, o)]
    if not guests:
        return False
    parts(guests, "agent")
    parts(_subject(ctx, v), "recipient")
    for c in children(tok):
        if c.dep_ == "prep" and c.lower_ in ("to", "in"):
            parts([k for g in children(c) if g.dep_ == "pobj" for k in _np_entities(ctx, g)
                 if k[1] in ("GPE", "LOC", "FAC")], "location")
    return True


def _host_roles(ctx, tok, parts: _Parts) -> None:
    """"X hosted/welcomed Y": Y is the visitor (agent of the visit), X the host (recipient)."""
    passive = any(c.dep_ == "nsubjpass" for c in children(tok))
    if passive:
        parts([k for c in children(tok) if c.dep_ == "nsubjpass" for k in _np_entities(ctx, c)], "agent")
        parts([k for c in children(tok) if c.dep_ == "agent" for g in children(c) if g.dep_ == "pobj"
             for k in _np_entities(ctx, g)], "recipient")
    else:
        parts([k for o in _objects(tok) for k in _np_entities(ctx, o)], "agent")
        parts(_subject(ctx, tok), "recipient")
    parts(_prep_places(ctx, tok, ("in", "at", "to")), "location")


def _nominal_roles(ctx, tok, spec, parts: _Parts, agent_role: str) -> None:
    typ = spec["type"]
    if _invited(ctx, tok, parts):
        return
    for c in children(tok):
        if c.dep_ == "poss":
            keys = (c.tag_ == "PRP$" and typ in ("visit", "travel") and _guest_of_host(ctx, tok)) \
                or _np_entities(ctx, c)
            if typ == "other":  # "her expulsion": a person undergoes it; "Norway's expulsion of X": a state acts
                parts([k for k in keys if k[1] == "PERSON"], "recipient")
                keys = [k for k in keys if k[1] != "PERSON"]
            parts(keys, agent_role)
        elif c.dep_ == "prep" and c.lower_ == "of" and typ == "other":  # "the expulsion of the envoy"
            parts([k for g in children(c) if g.dep_ == "pobj" for k in _np_entities(ctx, g)], "recipient")
        elif c.dep_ in ("compound", "nmod", "amod") and typ in ("meeting", "call", "agreement"):
            keys = _hyphen_pair(ctx, c)
            if typ == "meeting" and len(keys) == 1 and keys[0][1] in ("GPE", "LOC", "FAC") and c.ent_type_ in (
                    "GPE", "LOC", "FAC") and "-" not in c.text:
                parts(keys, "location")  # "the Vienna talks": where, not who ("US-China talks": who)
            else:
                parts(keys, "participant")
        elif c.dep_ == "acl" and c.tag_ == "VBN":  # "a joint statement issued by India and Japan", "the visit made by"
            parts([k for a in children(c) if a.dep_ == "agent" for g in children(a) if g.dep_ == "pobj"
                   for k in _np_entities(ctx, g)], agent_role)
        elif c.dep_ == "compound" and spec.get("speech"):  # "the White House readout"
            parts([k for k in _hyphen_pair(ctx, c) if k[1] in ("ORG", "PERSON", "GPE")], agent_role)
        elif c.dep_ == "prep":
            prep = c.lower_
            for g in (g for g in children(c) if g.dep_ == "pobj"):
                keys = _np_entities(ctx, g)
                if prep in ("by", "from") and (spec.get("speech") or typ in ("visit", "travel", "call")):
                    parts(keys, agent_role)  # "a phone call from Biden": Biden called
                elif prep == "between":
                    parts(keys, "participant")
                elif prep == "with":
                    parts(keys, "recipient")
                elif prep in ("to",) and typ in ("visit", "travel"):
                    parts([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
                    parts([k for k in keys if k[1] not in ("GPE", "LOC", "FAC")], "recipient")
                elif prep in ("in", "at") and typ != "statement":
                    parts([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
                elif prep == "of" and typ in ("visit", "travel", "agreement"):
                    parts(keys, "agent")
                elif prep == "of" and typ == "meeting":  # "the meeting of Quad leaders"
                    parts(keys, "participant")
    if typ in ("visit", "travel") and tok.dep_ in ("nsubj", "nsubjpass") \
            and tok.head.lemma_.lower() in ("involve", "include", "take", "cover", "span"):
        # "Blinken's trip ... would also involve London along with Beijing"
        head = tok.head
        objs = [c for c in head.subtree if c.dep_ in ("dobj", "pobj", "conj") and c.i > tok.right_edge.i]
        parts([k for o in objs for k in _np_entity(ctx, o) if k[1] in ("GPE", "LOC", "FAC")], "location")
    if typ in ("visit", "travel") and not parts.has("location") and _light_host(tok) is not None:
        parts(_prep_places(ctx, tok.head, LIGHT_PREPS), "location")
    if typ in ("visit", "travel", "meeting") and not parts.has("location") and tok.dep_ == "pobj" \
            and tok.head.lower_ == "for" and tok.head.head.lemma_.lower() in MOTION_VERBS:
        # "departed Nairobi for Washington on Sunday for a state visit": the visit is where the journey goes, and
        # so are the talks it is for ("will travel to Paris next week for talks")
        parts(_prep_places(ctx, tok.head.head, ("to", "for"), skip=tok.head.i), "location")
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in children(tok))
    if definite and not parts.items:
        return  # "to prepare for the trip": a reference to an event told elsewhere, not a new one
    v = _governing_verb(tok)
    if typ == "call" and v is not None and v.lemma_.lower() in ("receive", "get", "take", "answer") \
            and tok.dep_ == "dobj":
        parts(_subject(ctx, v), "recipient")  # "Sisi received a phone call from Biden": Sisi was called
    elif not parts.has(agent_role, "participant") and not _nested_reference(tok):
        if v is not None:
            parts(_subject(ctx, v), agent_role)
    elif typ == "meeting" and v is not None and not parts.has(agent_role) and _attends(v):
        # "Lula will take part in a CELAC summit", "attended the G20 summit": the body that holds it is named, and
        # the one who attends takes part too
        parts(_subject(ctx, v), "participant")


def _attends(verb) -> bool:
    lemma = verb.lemma_.lower()
    return lemma in ("attend", "participate", "join") or lemma == "take" and any(
        c.dep_ == "dobj" and c.lower_ == "part" for c in children(verb))


def _guest_of_host(ctx, tok) -> list[tuple[str, str]]:
    """"Erdogan hosted Sisi in Ankara, his first visit to Turkey": a visit hung on a host verb beside its
    guest (the parser makes it a second object) is the guest's, whatever person "his" is nearest."""
    v = tok.head
    if tok.dep_ not in ("dobj", "npadvmod") or not ctx.lex["verbs"].get(v.lemma_.lower(), {}).get("host"):
        return []
    return [k for o in children(v) if o.dep_ == "dobj" and o.i != tok.i for k in _np_entities(ctx, o)
            if k[1] == "PERSON"]


def _nested_reference(tok) -> bool:
    """"In its account of the phone call, the agency cited ...": an event named inside
    another noun's of-phrase is only referred to; the clause's subject did not do it."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ in ("NOUN", "PROPN")


def _hyphen_pair(ctx, tok):
    """"Qin-Blinken talks", "US-China talks": the named modifiers of a meeting noun."""
    keys = []
    for t in tok.subtree:
        m = ctx.mention(t)
        if m and m.type in ("PERSON", "GPE", "ORG"):
            keys.append(m.key)
    return list(dict.fromkeys(keys))


# --- status ---------------------------------------------------------------------------------

def _status(ctx, tok, spec, time, nominal) -> str:
    lex = ctx.lex
    if spec["type"] == "postponement":
        return "postponed"
    if spec["type"] == "cancellation":
        return "cancelled"
    clause = tok if not nominal else (_governing_verb(tok) or tok.head)
    # a nominal event is negated only through a support verb: "did not hold talks", not "did not mention the visit"
    negatable = not nominal or clause.lemma_.lower() in lex.get("light_verbs", ())
    if any(c.dep_ == "neg" for c in children(tok)) or negatable and any(c.dep_ == "neg" for c in children(clause)):
        return "negated"
    if _no_plan(clause) or not nominal and _plan_denied(tok, lex):
        return "negated"
    if _intended(clause):
        return "planned"  # "Macron has plans to visit China"
    if _hypothetical(clause, lex):
        return "hypothetical"
    if nominal:
        mods = {c.lower_ for c in children(tok) if c.dep_ in ("amod", "advmod")}
        mods |= {g.lower_ for c in children(tok) if c.dep_ == "amod" for g in children(c) if g.dep_ == "advmod"}
        if mods & set(lex["planned_modifiers"]) | ({"awaited"} & mods):
            return "planned"
        if _ahead_of(tok):
            return "planned"
        if tok.dep_ == "pobj" and tok.head.lower_ == "for" and tok.head.head.lemma_.lower() in MOTION_VERBS \
                and not _visit_begun(tok.head.head, spec):
            return "planned"  # "heading to Indonesia for meetings with Prabowo": the journey's purpose
        if clause.lemma_.lower() in lex["planning_verbs"] and clause.lemma_.lower() not in ("announce", "agree") \
                and not _link_prep(tok) and not (tok.dep_ == "pobj" and tok.head.lower_ in ("during", "at", "on")):
            return "planned"  # "His visit is expected to begin on Sunday"
    if _future_verb(clause, lex):
        return "planned"
    if not nominal and tok.tag_ in ("VBZ", "VBP") and any(
            c.lower_ == "next" and c.dep_ in ("advmod", "npadvmod") for c in children(tok)):
        return "planned"  # "He heads to New York next": the present of a coming leg of a tour
    if time is not None and ctx.reference is not None and time.start_date:
        if time.start_date > ctx.reference.isoformat():
            return "planned"
    return "occurred"


# verbs whose object is the place a journey leaves: "departed Nairobi for Washington"
DEPARTURE_VERBS = {"leave", "depart", "quit", "exit", "flee"}
MOTION_VERBS = {"head", "travel", "fly", "leave", "depart", "go", "come", "set", "arrive", "return", "jet"}


def _visit_begun(motion, spec) -> bool:
    """"arrived in New Delhi for a three-day state visit": a visit that the arrival begins is under way."""
    return spec["type"] == "visit" and motion.lemma_.lower() in ("arrive", "land") and motion.tag_ in ("VBD", "VBN")
INTENT_NOUNS = {"plan", "intention", "intent", "desire"}


def _plan_denied(verb, lex) -> bool:
    """"is not expected to meet Trong", "does not plan to visit": the plan the act hangs on is negated."""
    t = verb
    for _ in range(2):
        if t.dep_ != "xcomp" or t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_.lower() in lex["planning_verbs"] and any(c.dep_ == "neg" for c in children(t)):
            return True
    return False


def _intent_noun(verb):
    """The noun of intent a verb completes: "plans to hold", "intention of meeting"."""
    t = verb
    if t.dep_ == "pcomp" and t.head.dep_ == "prep":  # "intention of meeting"
        t = t.head
    if t.dep_ not in ("acl", "prep") or t.head.lemma_.lower() not in INTENT_NOUNS:
        return None
    return t.head


def _no_plan(verb) -> bool:
    """"There are no plans to hold a summit", "has no intention of meeting Putin": an act nobody intends."""
    noun = _intent_noun(verb)
    return noun is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in children(noun))


def _intended(verb) -> bool:
    """"has plans to visit China", "announced plans to visit Washington": an intended act is planned."""
    return verb.pos_ in ("VERB", "AUX") and _intent_noun(verb) is not None


def _future_verb(verb, lex) -> bool:
    for _ in range(4):
        auxes = {c.lower_ for c in children(verb) if c.dep_ in ("aux", "auxpass")}
        if auxes & {"will", "'ll", "shall", "would", "wo"}:
            return True
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex["planning_verbs"]:
            return True
        if verb.dep_ == "xcomp" and verb.head.lemma_ == "be" and any(c.lower_ == "to" for c in children(verb)):
            return True  # "who were to hold talks on Friday"
        if verb.dep_ == "pcomp" and verb.head.lower_ == "to" and verb.head.head.lemma_.lower() == "look" \
                and any(c.lower_ == "forward" for c in children(verb.head.head)):
            return True  # "I look forward to meeting President Calderon"
        if verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in children(verb)):
            verb = verb.head  # "will stop in Singapore to engage in talks": the purpose is as future as the act
            continue
        if verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return False
    return False


def _hypothetical(verb, lex) -> bool:
    for c in children(verb):
        if c.dep_ == "mark" and c.lower_ in lex["hypothetical_markers"]:
            return True
        if c.dep_ == "aux" and c.lower_ in lex["hypothetical_modals"]:
            return True
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "if" for c in children(verb))


def _ahead_of(tok) -> bool:
    """"ahead of his visit": the event is still to come."""
    h = tok.head
    return tok.dep_ == "pobj" and h.lower_ == "of" and h.head.lower_ in ("ahead", "before", "prior")


def _quote(ctx, tok) -> str | None:
    sent = sent_of(tok)
    for qs, qe in ctx.quotes:
        if sent.start_char <= qs < sent.end_char:
            return doc_text(ctx.doc)[qs + 1:qe - 1].strip()
    for c in children(tok):
        if c.dep_ == "ccomp":
            span = ctx.doc[c.left_edge.i:c.right_edge.i + 1].text
            return span[:300]
    return None


# --- time attachment ------------------------------------------------------------------------

def _shares_time(verb) -> bool:
    """Clauses whose time is their head's: "Speaking on Friday, Liu argued", "intended to visit"."""
    if verb.dep_ in ("xcomp", "aux", "auxpass"):
        return True
    # "when protesters attacked the embassy": a when-clause happens at its head's time
    if verb.dep_ != "advcl":
        return False
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in children(verb))
    return verb.tag_ in ("VBG", "VBN") and not own_subject or any(
        c.dep_ == "advmod" and c.lower_ in ("when", "as") for c in children(verb))


# ("slat": the small model's lemma of "slated")
SCHEDULING = {"schedule", "slate", "slat", "plan", "set", "expect", "due", "mean", "suppose"}


def _scheduled(relcl, trigger_tokens: set[int]) -> int | None:
    """The event a scheduling relative clause is about, when the parser hung it on the place after the
    event's noun ("a visit to South Korea, which was slated for March 20": a country is not slated)."""
    t = relcl.head
    for _ in range(3):
        if t.i in trigger_tokens and t.pos_ == "NOUN":
            return t.i
        if t.dep_ not in ("pobj", "prep") or t.head.i == t.i:
            return None
        t = t.head
    return None


LINK_PREPS = {"after", "following", "since", "before", "prior", "ahead", "amid", "despite"}
SETTING_PREPS = {"at", "in", "during", "on"}
BOUND_PREPS = {"until", "till"}


def _link_prep(tok) -> str | None:
    """The connective a noun hangs from: "after the meeting" -> after, "ahead of the visit" -> ahead."""
    if tok.dep_ != "pobj":
        return None
    prep = tok.head
    if prep.lower_ in ("of", "to") and prep.head.lower_ in ("ahead", "prior", "due"):
        return prep.head.lower_
    return prep.lower_ if prep.lower_ in LINK_PREPS else None


def _clause_verb(tok):
    """The verb whose clause holds ``tok``, above clauses that share its time ("were to hold talks")."""
    known = memo("clause_verb", tok.doc)  # asked for every trigger again for each time of the document
    if tok.i not in known:
        known[tok.i] = _find_clause_verb(tok)
    return known[tok.i]


def _find_clause_verb(tok):
    verb = next((a for a in ([tok] if tok.pos_ in ("VERB", "AUX") else []) + list(tok.ancestors)
                 if a.pos_ in ("VERB", "AUX")), None)
    while verb is not None and _shares_time(verb) and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _path_owner(span, trigger_tokens: set[int]) -> tuple[int | None, bool]:
    """The trigger a time's prepositional attachment leads to, and whether the path was cut.

    The walk goes up from the time and stops at the first trigger; it is cut at
    another clause's verb ("the consensus reached ... in 2022") and at a noun
    behind a connective ("following his re-election in April": the time is the
    re-election's). It crosses a participle that sets the scene ("speaking at a
    forum hosted ... on Friday") and gives a planning participle's time to the
    event it plans ("the trip, previously slated for November 12").
    """
    root = span.root
    t = root
    for _ in range(12):
        if t.i in trigger_tokens and not (span.start <= t.i < span.end):
            return t.i, False
        if t.head.i == t.i:
            return None, False
        if t.i != root.i:
            if _link_prep(t) and not (span.start <= t.i < span.end):
                return None, True
            if t.pos_ in ("VERB", "AUX") and not _shares_time(t):
                if t.dep_ == "relcl" and t.head.i in trigger_tokens and any(
                        c.dep_.startswith("nsubj") and c.lower_ in ("that", "which") for c in children(t)):
                    return t.head.i, False  # "the summit that took place from Friday to Sunday"
                if t.dep_ == "relcl" and t.lemma_.lower() in SCHEDULING and (owner := _scheduled(t, trigger_tokens)):
                    return owner, False  # "a visit to South Korea, which was slated for March 20"
                if t.dep_ == "acl" and not any(c.dep_.startswith("nsubj") for c in children(t)):
                    if t.head.i in trigger_tokens:
                        return t.head.i, False
                    if t.head.dep_ == "pobj" and t.head.head.lower_ in SETTING_PREPS:
                        t = t.head
                        continue
                return None, False
        t = t.head
    return None, False


def _attach_times(ctx, trigger_tokens: set[int]) -> dict[int, TimeMention]:
    """Give each trigger the time expression its clause carries.

    A time belongs to the trigger its attachment leads to (see ``_path_owner``);
    a time that leads to no trigger ("engaged in a conversation on Wednesday",
    "were to hold talks on Friday") goes to a trigger that is an argument of the
    same clause, the nearest first. Bounds ("an extension until April 12") and
    deictic times inside quotations ("tonight" in a quoted tweet) date nothing.
    """
    doc = ctx.doc
    owners: dict[int, TimeMention] = {}
    # a dateline's date is the report's: it dates what its sentence gives no other time ("SEOUL, Nov 3 (Agency)
    # -- Lee and Xi held a summit on Saturday" is Saturday's), so it comes last
    datelines = dateline_dates(doc_text(doc))
    for tm in sorted(ctx.times, key=lambda tm: any(s <= tm.start and tm.end <= e for s, e in datelines)):
        if tm.type in ("DURATION", "SET") or tm.start_date is None and not tm.value.startswith("XXXX"):
            continue
        if ctx.in_quote(tm.start) and DEICTIC.search(tm.text):
            continue
        span = doc.char_span(tm.start, tm.end, alignment_mode="expand")
        if span is None or span.root.dep_ == "pobj" and span.root.head.lower_ in BOUND_PREPS:
            continue
        owner, cut = _path_owner(span, trigger_tokens)
        if not cut and (owner is None or doc[owner].pos_ != "NOUN") and _after_connective(span):
            owner, cut = None, True  # "as part of an overhaul following his re-election in April"
        if owner is None and not cut:
            owner = _clause_argument(doc, span.root, trigger_tokens)
        if owner is not None and owner not in owners:
            owners[owner] = tm
    for i in sorted(trigger_tokens):
        if i not in owners and (tm := _when_clause_time(ctx, doc[i])) is not None:
            owners[i] = tm
    _share_coordinated(doc, trigger_tokens, owners)
    return owners


def _when_clause_time(ctx, tok) -> TimeMention | None:
    """"They met in January, when they agreed to ...": a when-clause on a time expression happens at that time
    (the parser hangs it on the time's noun as a relative clause)."""
    if tok.dep_ != "relcl" or not any(c.dep_ == "advmod" and c.lower_ == "when" for c in children(tok)):
        return None
    at = tok.head.idx
    return next((tm for tm in ctx.times if tm.start <= at < tm.end and tm.start_date), None)


def _after_connective(span) -> bool:
    """Whether a connective ("following", "after", "since") opens the noun phrase the time closes,
    whatever the parse made of it: "following his re-election in April"."""
    for t in reversed(span.doc[max(sent_at(span.doc, span.start).start, span.start - 6):span.start]):
        if t.lower_ in LINK_PREPS - {"ahead", "prior"}:
            return t.i < span.start - 1  # "since the previous month" dates the clause itself
        if t.pos_ in ("VERB", "AUX", "PUNCT", "SCONJ", "CCONJ", "PRON") and t.text != "-" and t.dep_ != "poss":
            return False
    return False


def _clause_argument(doc, root, trigger_tokens: set[int]) -> int | None:
    """The trigger nearest ``root`` among the arguments of the clause the time modifies."""
    verb = _clause_verb(root)
    if verb is None:
        return None
    below = [i for i in trigger_tokens if _clause_verb(doc[i]) == verb and not _link_prep(doc[i])]
    return min(below, key=lambda i: abs(i - root.i)) if below else None


def _share_coordinated(doc, trigger_tokens: set[int], owners: dict[int, TimeMention]) -> None:
    """Coordinated verbs share their time: "visited Beijing last week and held talks",
    "was on an official visit to the UAE on 23 December and met ..."."""
    for i in sorted(trigger_tokens):
        if i in owners:
            continue
        verb = doc[i] if doc[i].pos_ in ("VERB", "AUX") else _governing_verb(doc[i])
        if verb is not None and verb.dep_ == "advcl" and verb.head.i in owners and _shares_time(verb):
            owners[i] = owners[verb.head.i]  # "were severed in 2016 when protesters attacked": the head is an event too
            continue
        while verb is not None and verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
            sibling = verb.i if verb.i in owners else next(
                (j for j in sorted(owners) if _clause_verb(doc[j]) == verb and not _link_prep(doc[j])), None)
            if sibling is not None:
                owners[i] = owners[sibling]
                break


# --- dates read from the context ----------------------------------------------------------

def _date_reported(ctx, raw: list) -> list:
    """An undated event told in a dated report takes the report's date ("Turkish jets shot down a
    Russian jet, the spokesman confirmed Tuesday")."""
    speech = {tok.i: ev for tok, spec, ev in raw if spec.get("speech") and ev.time is not None}
    out = []
    for tok, spec, ev in raw:
        if ev.time is None and not spec.get("speech") and not spec.get("affects") and ev.status == "occurred" \
                and not _called_off(ctx, tok):
            report = _reporting_verb(tok)
            if report is not None and report.i in speech:
                ev = replace(ev, time=speech[report.i].time)
        out.append((tok, spec, ev))
    return out


def _date_from_setting(raw: list) -> list:
    """An undated event held at a dated one takes its date: "met Sharif at the climate summit on
    November 30", "talks on the sidelines of the summit"."""
    dated = {tok.i: ev for tok, _, ev in raw if ev.time is not None and ev.type == "meeting"}
    out = []
    for tok, spec, ev in raw:
        if ev.time is None and ev.type in ("meeting", "call", "visit", "agreement") and not spec.get("affects"):
            setting = _setting(tok)
            if setting is not None and setting.i in dated:
                ev = replace(ev, time=dated[setting.i].time)
        out.append((tok, spec, ev))
    return out


def _setting(tok):
    """The event noun a trigger (or its object) is placed at: "at the summit", "on the sidelines of"."""
    heads = [tok, *(c for c in children(tok) if c.dep_ == "dobj")]
    for h in heads:
        for c in children(h):
            if c.dep_ == "prep" and c.lower_ in ("at", "during", "on"):
                for g in children(c):
                    if g.dep_ == "pobj" and g.lower_ in ("sidelines", "margins", "sideline"):
                        g = next((x for p in children(g) if p.lower_ == "of" for x in children(p)), g)
                    if g.dep_ == "pobj" or g.head.lower_ == "of":
                        return g
    return None


def _called_off(ctx, tok) -> bool:
    """Whether ``tok`` is what a postponement acts on ("the visit has been delayed"): it keeps the
    date it was planned for, not the date of the report."""
    verb = tok.head if tok.dep_ in ("nsubjpass", "dobj") else None
    return verb is not None and bool(ctx.lex["verbs"].get(verb.lemma_.lower(), {}).get("affects"))


def _reporting_verb(tok):
    """The verb whose reported clause holds ``tok``: "X shot it down, Y said" -> said."""
    clause = _clause_verb(tok) if tok.pos_ == "NOUN" else tok
    while clause is not None and clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
        clause = clause.head
    if clause is not None and clause.dep_ in ("ccomp", "parataxis"):
        return clause.head
    return None


def _date_by_default(ctx, ev: EventMention) -> EventMention:
    """News convention: an undated reported statement ("the ministry said"), an event in the present
    perfect ("has been elected") or in the present ("begin their visit", a headline's "cancels")
    happened on the day of the report.
    The time's ``text`` is empty: no expression in the article gives it."""
    if ev.time is not None or ctx.reference is None or ev.status != "occurred":
        return ev
    span = ctx.doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    if span is None or ctx.in_quote(ev.trigger_start):
        return ev
    tok = span[0]
    verb = tok if tok.pos_ != "NOUN" else _governing_verb(tok)
    if verb is None:
        return ev
    auxes = {c.lower_ for c in children(verb) if c.dep_ in ("aux", "auxpass")}
    said = ev.type in ("statement", "appeal", "accusation") and verb.tag_ == "VBD" and not auxes & {"had", "'d"}
    perfect = verb.tag_ == "VBN" and bool(auxes & {"has", "have", "'s", "'ve"})
    present = verb.tag_ in ("VBZ", "VBP") or verb.tag_ == "VBN" and bool(auxes & {"is", "are"})
    if not (said or perfect or present):
        return ev
    # a past-tense "said" or a headline's present ("expels") belongs to the story's day (a report
    # published on Tuesday about what happened "on Monday"); the present perfect is the report's day
    day = _news_day(ctx) if said or present else ctx.reference.isoformat()
    return replace(ev, time=TimeMention(start=ev.trigger_start, end=ev.trigger_start, text="", type="DATE",
                                        value=day, start_date=day, end_date=day, granularity="day",
                                        anchored=True))


def _news_of_the_day(time: TimeMention, reference: dt.date | None) -> bool:
    """Whether a time is the story's own day (a deal sealed "on Thursday"), not a background date
    ("the accord of 2 May"); without a reference date any day may be."""
    if reference is None or not time.start_date:
        return reference is None
    low = (reference - dt.timedelta(days=NEWS_DAY_LAG)).isoformat()
    return low <= time.start_date <= reference.isoformat()


CLOCK = re.compile(r"T\d\d:\d\d")
NEWS_DAY_LAG = 2  # days before the report a story's own day may lie ("yesterday", "on Monday")


def _news_day(ctx) -> str:
    """The day the article's news happened: the day it names most often (outside quotes; the
    latest of a tie) from NEWS_DAY_LAG days before the report up to the report's day; else the
    report's day. A clock time ("2023-06-15 08:44", "June 15, 2023 8:01 am") is the page's stamp,
    not the story, and does not vote."""
    ref = ctx.reference
    low = (ref - dt.timedelta(days=NEWS_DAY_LAG)).isoformat()
    days = [t.start_date for t in ctx.times
            if t.text and t.granularity == "day" and t.start_date and t.start_date == (t.end_date or t.start_date)
            and low <= t.start_date <= ref.isoformat() and not ctx.in_quote(t.start)
            and not CLOCK.search(t.value)]
    return max(days, key=lambda d: (days.count(d), d), default=ref.isoformat())


# --- before / after links ------------------------------------------------------------------

AFTER_WORDS = {"after", "following", "since"}
BEFORE_WORDS = {"before", "ahead", "prior", "until"}
LATER_ADVERBS = {"subsequently", "later", "afterwards", "afterward", "then", "thereafter"}


def _sequence_links(ctx, events: list[EventMention]) -> list[RelationMention]:
    """``before``/``after`` links read from connectives: "spoke ahead of his visit", "cancelled after
    the US shot down ...", "this announcement follows a series of meetings", "subsequently announced"."""
    at = {ev.trigger_start: ev.index for ev in events}
    index_of = lambda tok: at.get(tok.idx) if tok is not None else None  # noqa: E731
    pairs: list[tuple[int, str, int]] = []
    for ev in events:
        span = ctx.doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
        if span is None:
            continue
        tok = span[0]
        word = _link_prep(tok) or next((c.lower_ for c in children(tok) if c.dep_ == "mark"
                                        and tok.dep_ == "advcl"), None)
        if word in AFTER_WORDS | BEFORE_WORDS:  # the event governing the connective comes after/before it
            governor = index_of(_event_above(tok.head if tok.dep_ == "pobj" else tok, at))
            if governor is not None and governor != ev.index:
                pairs.append((governor, "after" if word in AFTER_WORDS else "before", ev.index))
        if any(c.dep_ == "advmod" and c.lower_ in LATER_ADVERBS for c in children(tok)) and ev.index > 0:
            earlier = [e.index for e in events if e.trigger_start < ev.trigger_start and e.status == "occurred"]
            if earlier:  # after the latest event told as done before it
                pairs.append((ev.index, "after", earlier[-1]))
    pairs += _follow_verbs(ctx, index_of, events)
    return [RelationMention(doc=ctx.id, relation=rel, evidence=events[a].source, source_event=a, target_event=b)
            for a, rel, b in dict.fromkeys(pairs) if a != b]


def _event_above(tok, at: dict[int, int]):
    """The nearest token at or above ``tok`` that triggers an event."""
    for t in [tok, *tok.ancestors][:6]:
        if t.idx in at:
            return t
    return None


def _follow_verbs(ctx, index_of, events: list[EventMention]) -> list[tuple[int, str, int]]:
    """"X follows / precedes Y" between two event nouns; "the visit" refers back to the latest visit."""
    out = []
    if lemma_set(ctx.doc).isdisjoint(("follow", "precede")):
        return out  # no such verb in the document: skip the walk over its tokens
    for verb in tokens_with_lemma(ctx.doc, ("follow", "precede")):
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB":
            continue
        subj = next((c for c in children(verb) if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and verb.dep_ == "relcl":
            subj = verb.head
        obj = next((c for c in children(verb) if c.dep_ == "dobj"), None)
        if obj is None:
            obj = next((g for c in children(verb) if c.dep_ == "agent" for g in children(c) if g.dep_ == "pobj"), None)
        a, b = (_refers_to(_head_event(t), index_of, events) for t in (subj, obj))
        if a is None or b is None:
            continue
        passive = subj.dep_ == "nsubjpass"
        rel = "after" if (lemma == "follow") != passive else "before"
        out.append((a, rel, b))
    return out


def _refers_to(tok, index_of, events: list[EventMention]) -> int | None:
    """The event a noun reports: its own, or for "the visit" the latest earlier event of its kind."""
    if tok is None:
        return None
    own = index_of(tok)
    if own is not None:
        return own
    family = NOUN_FAMILY.get(tok.lemma_.lower(), ())
    earlier = [e.index for e in events if e.type in family and e.trigger_start < tok.idx]
    return earlier[-1] if earlier else None


def _head_event(tok):
    """A noun phrase's event noun: "a series of meetings" -> meetings."""
    if tok is None:
        return None
    if tok.lemma_.lower() in ("series", "round", "string", "number"):
        return next((g for c in children(tok) if c.dep_ == "prep" and c.lower_ == "of"
                     for g in children(c) if g.dep_ == "pobj"), tok)
    return tok


# --- postponements, cancellations and readouts ---------------------------------------------------

def _resolve_affects(ctx, raw) -> tuple[list[EventMention], list[RelationMention]]:
    """A postponement takes over the event it calls off; its cause becomes a ``causes`` link, and
    another report of the planned event in the article ("the trip, slated for November 12") a
    ``postpones`` link that also gives the postponement its date."""
    by_token = {tok.i: ev for tok, _, ev in raw}
    absorbed: set[int] = set()
    causes: list[tuple[int, int]] = []
    postpones: list[tuple[int, int]] = []
    out: dict[int, EventMention] = {}
    for tok, spec, ev in raw:
        if not spec.get("affects"):
            out[tok.i] = ev
            continue
        target = _affected(ctx, tok, raw)
        if target is not None:
            absorbed.add(target[0])
            ev = _take_over(ev, target[1])
        if not ev.participants:
            continue
        twin = _planned_twin(tok, ev, raw, absorbed)
        if twin is not None:
            postpones.append((tok.i, twin))
            if ev.time is None or target is not None and target[1].time is None:
                ev = replace(ev, time=by_token[twin].time)
        out[tok.i] = ev
        cause = _cause(tok, by_token)
        if cause is not None:
            causes.append((cause, tok.i))
    kept = [i for i in sorted(out) if i not in absorbed]
    index = {i: n for n, i in enumerate(kept)}
    events = [replace(out[i], index=index[i]) for i in kept]
    links = []
    for rel, pairs in (("causes", causes), ("postpones", postpones)):
        for a, b in pairs:
            if a in index and b in index:  # the evidence is the postponement's sentence
                ev = events[index[b if rel == "causes" else a]]
                links.append(RelationMention(doc=ctx.id, relation=rel, evidence=ev.source,
                                             source_event=index[a], target_event=index[b]))
    return events, links


def _take_over(ev: EventMention, target: EventMention) -> EventMention:
    """The postponement of ``target``: its people, place and planned date, and both triggers."""
    merged = list(ev.participants)
    merged += [p for p in target.participants if not any(q.name == p.name for q in merged)]
    return replace(ev, participants=tuple(merged), time=target.time or ev.time,
                   location=target.location or ev.location, trigger=f"{target.trigger} {ev.trigger}")


def _planned_twin(tok, ev: EventMention, raw, absorbed: set[int]) -> int | None:
    """A dated, planned visit or meeting of the same people elsewhere in the article: the event a
    postponement acts on, told again ("Trump's trip, previously slated for November 12")."""
    people = {p.name for p in ev.participants if p.role != "location"}
    twins = [t.i for t, spec, other in raw
             if t.i != tok.i and t.i not in absorbed and not spec.get("affects") and other.time is not None
             and other.type in ("visit", "travel", "meeting") and other.status == "planned"
             and people & {p.name for p in other.participants if p.role in ("agent", "participant")}
             and (ev.time is None or _overlap(ev.time, other.time))]
    before = [i for i in twins if i < tok.i]
    return before[-1] if before else (twins[0] if twins else None)


CAUSE_WORDS = {"due", "because", "after", "following", "amid", "owing", "over", "since"}
NOUN_FAMILY = {"visit": ("visit", "travel"), "trip": ("visit", "travel"), "tour": ("visit", "travel"),
               "journey": ("visit", "travel"), "stop": ("visit", "travel"), "meeting": ("meeting",),
               "talk": ("meeting", "call"), "summit": ("meeting",), "conference": ("meeting",),
               "call": ("call",), "plan": ("visit", "travel", "meeting")}


def _affected(ctx, tok, raw):
    """The event a postponement/cancellation trigger acts on: its patient when that is an event,
    else the latest earlier event of the patient's kind ("the trip") whose date fits the patient's."""
    patients = [c for c in children(tok) if c.dep_ in ("nsubjpass", "dobj")]
    if tok.pos_ == "NOUN":
        patients += [g for c in children(tok) if c.dep_ == "prep" and c.lower_ == "of" for g in children(c)]
    by_token = {t.i: ev for t, _, ev in raw}
    for p in patients:
        if p.i in by_token and by_token[p.i].type in ("visit", "travel", "meeting", "call"):
            return p.i, by_token[p.i]
        family = NOUN_FAMILY.get(p.lemma_.lower())
        if family:
            own = [tm for tm in ctx.times if p.left_edge.idx <= tm.start < p.right_edge.idx + len(p.right_edge.text)]
            earlier = [(t.i, ev) for t, _, ev in raw
                       if t.i < tok.i and ev.type in family and ev.status != "occurred"
                       and (not own or _overlap(own[0], ev.time))]
            if earlier:
                return earlier[-1]
    return None


def _overlap(a: TimeMention, b: TimeMention | None) -> bool:
    if b is None or not a.start_date or not b.start_date:
        return b is not None and a.value == b.value
    return a.start_date <= (b.end_date or b.start_date) and b.start_date <= (a.end_date or a.start_date)


def _cause(tok, by_token) -> int | None:
    """"postponed due to X", "cancelled after the US shot down ..." -> the trigger of X. Only causal or
    temporal connectives count: "as New Delhi welcomed ..." tells what happened alongside."""
    for c in children(tok):
        marks = {g.lower_ for g in children(c) if g.dep_ in ("mark", "advmod")}
        if c.dep_ == "prep" and c.lower_ in CAUSE_WORDS or c.dep_ == "advcl" and marks & CAUSE_WORDS \
                or c.dep_ == "advmod" and c.lower_ in ("after", "because"):
            for t in c.subtree:
                if t.i in by_token and t.i != tok.i:
                    return t.i
    return None


def _date_from_trips(events: list[EventMention], reference: dt.date | None = None,
                     country_of=None) -> list[EventMention]:
    """An undated meeting held during a dated trip by the same person ("While in Beijing, Blinken
    will meet ...") happens within that trip: on its day, or in its month when the trip lasts
    several days. A trip under way on the day of the report hosts the meetings still planned."""
    trips = [e for e in events if e.type in ("visit", "travel") and e.time is not None and e.time.start_date]
    today = reference.isoformat() if reference else None

    def places_of(ev):  # a capital stands for its country too: a meeting in Nairobi is on a trip to Kenya
        names = {p.name for p in ev.participants if p.role == "location"}
        return names | {k[0] for n in names for k in [country_of(n) if country_of else None] if k}
    out = []
    for ev in events:
        if ev.type == "meeting" and ev.time is None:
            agents = {p.name for p in ev.participants if p.role in ("agent", "participant")}
            places = places_of(ev)
            fits = [t for t in trips if agents & {p.name for p in t.participants if p.role == "agent"}
                    and (STATUS_FAMILY.get(t.status) == STATUS_FAMILY.get(ev.status)
                         or ev.status == "planned" and t.time.start_date == today)
                    and (not places or places & places_of(t)
                         or ev.source.start == t.source.start)  # "travel to Japan to attend the summit in Hiroshima"
                    and (_current(t.time, reference) or _told_next(t, ev))]
            if fits:  # the narrowest trip: the day in Beijing rather than the whole tour
                best = min(fits, key=lambda t: (dt.date.fromisoformat(t.time.end_date or t.time.start_date)
                                                - dt.date.fromisoformat(t.time.start_date), t.trigger_start))
                ev = replace(ev, time=_within(best.time))
        out.append(ev)
    return out


def _current(time: TimeMention, reference: dt.date | None) -> bool:
    """Whether a time is within a month of the report's day: the story's own trip, not one of years before."""
    if reference is None:
        return True
    start = dt.date.fromisoformat(time.start_date)
    end = dt.date.fromisoformat(time.end_date or time.start_date)
    return start - dt.timedelta(days=31) <= reference <= end + dt.timedelta(days=31)


def _told_next(trip: EventMention, ev: EventMention) -> bool:
    """Whether ``ev`` is told in the trip's sentence or the one right after it ("Obama visited Kenya in July
    2015. He met Kenyatta ..."): an older trip hosts only what is told with it."""
    return ev.source.start == trip.source.start or 0 <= ev.source.start - trip.source.end <= 4


def _within(time: TimeMention) -> TimeMention:
    """The time of an event somewhere within ``time``: the same day, else the month it falls in."""
    start, end = time.start_date, time.end_date or time.start_date
    if start == end or time.granularity != "day" or start[:7] != end[:7]:
        return time
    first = dt.date.fromisoformat(start[:7] + "-01")
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return replace(time, value=start[:7], start_date=first.isoformat(), end_date=last.isoformat(),
                   granularity="month")


def _date_readouts(events: list[EventMention], reference: dt.date | None = None,
                   past: Sequence[TimeMention] = ()) -> list[EventMention]:
    """An undated report of a call or meeting ("a statement said") is dated to the event it reports.

    The readout follows its event: once the article moves on to another past moment ("in May",
    "last week": an event or one of the ``past`` times between them), a statement is no longer
    read as that event's readout. ("Subsequently announced" still is: in news it is mostly later
    the same day.)"""
    out = []
    last_dated = None
    for ev in events:
        told = ev.time is not None and ev.time.text
        if told and ev.status == "occurred" and (ev.type in ("call", "meeting", "visit") and any(
                p.type == "PERSON" for p in ev.participants)  # talks of people, not a summit's name
                or ev.type == "agreement" and len(ev.participants) >= 2 and _news_of_the_day(ev.time, reference)):
            last_dated = ev
        elif told and ev.status == "occurred" and last_dated is not None and not compatible(ev.time, last_dated.time):
            last_dated = None  # another past moment of the story (plans told in the readout do not count)
        if (ev.time is None and ev.type in ("statement", "appeal", "accusation") and ev.status == "occurred"
                and last_dated is not None and last_dated.time.granularity == "day"
                and ev.source.start - last_dated.source.start < 2500
                and not any(last_dated.source.end <= t.start < ev.source.start and not compatible(t, last_dated.time)
                            for t in past)):
            ev = replace(ev, time=last_dated.time)
        out.append(ev)
    return out


def _definite(tok) -> bool:
    """"Friday's bilateral meeting", "shared a call on Monday": a single event noun that may tell a known event again."""
    return tok.pos_ == "NOUN" and tok.tag_ != "NNS" and any(
        c.dep_ == "poss" or c.dep_ == "det" and c.lower_ in ("the", "this", "that", "a", "an") for c in children(tok))


def _take_bare_times(events: list[EventMention], bare: list[tuple[str, TimeMention]]) -> list[EventMention]:
    """"Turnbull will cross the Tasman for talks with English ... Friday's bilateral meeting": a
    definite event noun that names no one but carries a time dates the article's only undated
    event of its type (the same event, told again); with two or more candidates nothing is guessed."""
    out = list(events)
    for kind, time in bare:
        undated = [i for i, e in enumerate(out) if e.type == kind and e.time is None]
        if len(undated) == 1 and time.value not in {(e.time.value if e.time else None) for e in out if e.type == kind}:
            out[undated[0]] = replace(out[undated[0]], time=time)
    return out


def _lend_agents(events: list[EventMention]) -> list[EventMention]:
    """"The government said it would expel the attaché ... the attaché was to be expelled ... his expulsion":
    an act of reduced relations told without its agent is done by whoever did the same act (CAMEO
    code) earlier in the article, so the reports merge into one event."""
    out, seen = [], {}
    for ev in events:
        agents = tuple(p for p in ev.participants if p.role == "agent")
        if ev.type == "other" and agents:
            seen.setdefault(ev.cameo, agents)
        elif ev.type == "other" and ev.cameo in seen:
            ev = replace(ev, participants=seen[ev.cameo] + ev.participants)
        out.append(ev)
    return out


def _calls_told_later(ctx, events: list[EventMention]) -> list[EventMention]:
    """"X spoke with Y on Sunday ... During the call, Y praised ...": an article that calls the conversation
    "the call" (or a phone call) tells a call, so its "spoke with" is that call, not a meeting."""
    talks = [e for e in events if e.type == "meeting" and e.trigger.split()[-1].lower() in SPEAKING_FORMS
             and not any(p.role == "location" for p in e.participants)]
    if not talks or not any(_a_call(ctx, t) for t in tokens_with_lemma(ctx.doc, ("call",))
                            if t.lemma_ == "call" and t.pos_ == "NOUN"):
        return events
    first = talks[0]  # the article's conversation: its first telling
    return [replace(e, type="call", cameo="041") if e is first else e for e in events]


# verb forms only: "held talks" names a meeting of its own
SPEAKING_FORMS = {"spoke", "spoken", "speak", "speaks", "speaking", "talked", "talking", "conversed"}


def _a_call(ctx, tok) -> bool:
    """"the call", "a phone call", "their telephone call": a call as a conversation, not "a call for restraint"."""
    if any(c.dep_ == "prep" and c.lower_ in ("for", "on", "upon", "to", "of") for c in children(tok)):
        return False
    return _has_phone(ctx, tok) or any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "their",
                                                                                    "his", "her") for c in children(tok)) \
        or any(c.dep_ == "prep" and c.lower_ == "with" for c in children(tok))  # "a very good call with Lula"


def _fold_conversations(events: list[EventMention]) -> list[EventMention]:
    """"their conversation", "the talks" between the two people of a phone call in the same article are that call."""
    calls = [e for e in events if e.type == "call"]
    out = []
    for ev in events:
        if ev.type == "meeting" and ev.trigger.split()[-1].lower() in CONVERSATION_WORDS \
                and not any(p.role == "location" for p in ev.participants):  # "the Vienna talks" met in person
            names = {p.name for p in ev.participants if p.role != "location"}
            for call in calls:
                shared = names & {p.name for p in call.participants}
                if len(shared) >= 2 and (ev.time is None or call.time is None or ev.time.value == call.time.value):
                    ev = replace(ev, type="call", cameo="041")
                    break
        out.append(ev)
    return out
