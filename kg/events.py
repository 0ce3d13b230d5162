"""Events: find event triggers in a parsed document and read their roles from the parse.

Triggers come from a lexicon (``kg/data/triggers.json``, extensible by users):
verbs and phrasal verbs ("called off", "shot down"), and nouns ("visit",
"phone call", "talks"). Roles come from dependency patterns: the subject or
by-agent is the agent, "with/to X" and the object the recipient, "to/in X" a
place the location. Status comes from modality ("will", "plans to",
"upcoming", "ahead of", a future date), negation and conditionals.
A postponement or cancellation takes the participants and date of the event it
calls off, which it replaces.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from .entities import mention_at
from .records import EntityMention, EventMention, Participant, RelationMention, Source, TimeMention

DATA = Path(__file__).resolve().parent / "data"
PERSONAL = {"he", "she", "him", "his", "her", "hers"}
SPEECH_CONTAINERS = {"statement", "tweet", "remark", "readout", "announcement", "interview", "post"}
TITLE_WORDS = {"secretary", "minister", "president", "spokesman", "spokeswoman", "spokesperson",
               "chancellor", "premier", "envoy", "ambassador", "general", "senator", "governor"}
DEICTIC = re.compile(r"\b(today|tonight|yesterday|tomorrow|this (morning|afternoon|evening|week))\b", re.I)
QUOTES = re.compile(r"[“\"]([^”\"]{3,}?)[”\"]")
STATUS_FAMILY = {"occurred": "past", "planned": "future", "postponed": "future", "cancelled": "future"}
CONVERSATION_WORDS = {"conversation", "conversations", "talks", "talk", "discussion", "discussions", "spoke", "talked"}
EVENT_NOUNS = {"trip", "visit", "meeting", "talks", "summit", "tour", "conference", "call", "journey"}


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
        self.quotes = [(m.start(), m.end()) for m in QUOTES.finditer(doc.text)]
        self.pronouns: dict[int, tuple[str, str] | None] = {}  # token index -> resolved person

    def in_quote(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.quotes)

    def mention(self, tok) -> EntityMention | None:
        return mention_at(self.mentions, tok.idx, tok.idx + len(tok.text))


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
    for tok in doc:
        spec = _trigger(ctx, tok)
        if spec:
            found.append((tok, spec))
    trigger_tokens = {tok.i for tok, _ in found}
    owners = _attach_times(ctx, trigger_tokens)
    raw = []
    for tok, spec in found:
        ev = _build(ctx, tok, spec, owners.get(tok.i))
        if ev is not None:
            raw.append((tok, spec, ev))
    events, links = _resolve_affects(ctx, raw)
    events = _date_readouts(_date_from_trips(_fold_conversations(events)))
    return events, links


# --- triggers -----------------------------------------------------------------------------

def _trigger(ctx: _Doc, tok) -> dict | None:
    """The lexicon entry ``tok`` triggers, after the entry's own conditions."""
    lex = ctx.lex
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "PROPN"):
        for child in tok.children:
            if child.dep_ in ("prt", "prep", "advmod"):
                spec = lex["particles"].get(f"{lemma} {child.lower_}")
                if spec and not _is_time_phrase(child):
                    return {**spec, "particle": child.i}
        spec = lex["verbs"].get(lemma)
        if spec and _verb_ok(ctx, tok, spec):
            return _refine_verb(ctx, tok, spec)
        return None
    if tok.pos_ == "NOUN":
        spec = lex["nouns"].get(lemma)
        if spec and _noun_ok(ctx, tok, spec):
            return _refine_noun(ctx, tok, spec)
    return None


def _is_time_phrase(prep) -> bool:
    """"called Zelensky on Sunday": a prepositional phrase that is a date is no particle."""
    return any(t.ent_type_ in ("DATE", "TIME") for t in prep.subtree if t is not prep)


def _verb_ok(ctx, tok, spec) -> bool:
    if tok.dep_ in ("amod", "compound"):  # "planned visit", "visiting delegation"
        return False
    if spec.get("needs_object") and not _objects(tok):
        return False
    if spec.get("object_types") and not any(
            (m := ctx.mention(o)) and m.type in spec["object_types"] for o in _objects(tok)):
        return False
    if spec.get("needs_counterpart") and not _counterparts(ctx, tok):
        return False
    if spec.get("needs_destination") and not _destinations(ctx, tok):
        return False
    if spec.get("needs_quote") and not (ctx.in_quote(tok.idx) or _has_quote_near(ctx, tok)):
        return False
    if spec.get("needs_clause") and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children):
        return False
    if tok.lemma_.lower() == "call" and any(c.dep_ == "oprd" for c in tok.children) \
            and any(c.dep_ == "dobj" for c in tok.children):
        return False  # "called the incident a blow": naming, not phoning
    idioms = ctx.lex.get("idioms", {}).get(tok.lemma_.lower(), ())
    if any(c.lower_ in idioms for c in tok.children if c.dep_ in ("dobj", "advmod", "npadvmod", "prt")):
        return False  # "meet China halfway", "meet the deadline"
    return True


def _noun_ok(ctx, tok, spec) -> bool:
    if spec.get("plural_only") and tok.tag_ != "NNS":
        return False
    if tok.dep_ == "compound":  # "summit meeting": the head carries it
        return False
    lemma = tok.lemma_.lower()
    if lemma == "call":
        preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
        if preps & {"for", "on", "upon"} and not _has_phone(tok):
            return False  # "a call for restraint"
        return _has_phone(tok) or bool(_counterparts(ctx, tok))
    if spec.get("needs_counterpart"):
        return _has_phone(tok) or bool(_counterparts(ctx, tok))
    if spec.get("speech") and tok.dep_ == "pobj" and tok.head.dep_ == "prep" \
            and ctx.lex["verbs"].get(tok.head.head.lemma_.lower(), {}).get("speech"):
        return False  # "said in a statement": the verb is the event
    return True


def _refine_verb(ctx, tok, spec) -> dict:
    """speak/talk "by phone" is a call, not a meeting."""
    if spec["type"] == "meeting" and _has_phone(tok):
        return {**spec, "type": "call", "cameo": "041"}
    return spec


def _refine_noun(ctx, tok, spec) -> dict:
    if spec["type"] == "meeting" and _has_phone(tok):
        return {**spec, "type": "call", "cameo": "041"}
    return spec


def _has_phone(tok) -> bool:
    """Whether a verb or noun is done by phone: "by phone", "phone call", "telephone conversation"."""
    words = {"phone", "telephone", "video", "videoconference", "teleconference", "phonecall"}
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.lower_.strip("-") in words | {"telephonic"}:
            return True
        if c.dep_ == "prep" and c.lower_ in ("by", "over", "on", "via"):
            if any(g.lower_ in words or g.lemma_ == "call" for g in c.children):
                return True
        if c.dep_ == "advmod" and c.lower_ in ("virtually", "telephonically"):
            return True
    return tok.lemma_.lower() == "call" and tok.pos_ == "NOUN" and any(
        c.lower_ in words for c in tok.lefts)


def _objects(tok) -> list:
    """The patient: the object, the subject of a passive, or the noun a passive clause modifies."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    if not objs:  # the small model reads "called President Zelensky" as a predicate
        objs = [c for c in tok.children if c.dep_ == "oprd" and c.pos_ == "PROPN"]
    if not objs:
        objs = [c for c in tok.children if c.dep_ == "nsubjpass"]
    if not objs and tok.tag_ == "VBN":
        t = tok
        while t.dep_ == "conj" and t.head is not t:  # "a balloon that flew over ... and was downed"
            t = t.head
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"]
            if subj:
                return subj
        if t.dep_ in ("relcl", "acl"):
            objs = [t.head]
    return objs


def _counterparts(ctx, tok) -> list:
    """Named partners of a conversation: "with X", "to X" (speak), "between X and Y"."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("with", "to", "between"):
            for g in c.children:
                if g.dep_ == "pobj":
                    out += _np_entities(ctx, g)
        if c.dep_ == "dobj":
            out += _np_entities(ctx, c)
    return out


def _destinations(ctx, tok) -> list:
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "in", "into", "for"):
            out += [p for g in c.children if g.dep_ == "pobj" for p in _np_entities(ctx, g)
                    if p[1] in ("GPE", "LOC", "FAC")]
        if c.dep_ == "advmod" and c.lower_ in ("home", "abroad"):
            pass
    return out


def _has_quote_near(ctx, tok) -> bool:
    s = tok.sent
    return any(s.start_char <= qs < s.end_char or s.start_char < qe <= s.end_char for qs, qe in ctx.quotes)


# --- entities behind noun phrases -----------------------------------------------------------

def _np_entities(ctx, tok, depth: int = 0) -> list[tuple[str, str]]:
    """Entity keys a noun phrase headed by ``tok`` refers to, with its conjuncts."""
    if depth > 4:
        return []
    keys = list(_np_entity(ctx, tok))
    for c in tok.children:
        if c.dep_ == "conj":
            keys += _np_entities(ctx, c, depth + 1)
    return list(dict.fromkeys(keys))


def _np_entity(ctx, tok) -> list[tuple[str, str]]:
    m = ctx.mention(tok)
    if m and m.type != "NORP":
        return [m.key]
    low = tok.lower_
    if low in PERSONAL:
        key = _pronoun(ctx, tok)
        return [key] if key else []
    for c in tok.children:  # "his counterpart Qin Gang", "the minister, Qin Gang,"
        if c.dep_ in ("appos", "compound", "flat") and (m2 := ctx.mention(c)) and m2.type == "PERSON":
            return [m2.key]
    if tok.pos_ in ("NOUN", "PROPN"):
        lemma = tok.lemma_.lower()
        if lemma in TITLE_WORDS and any(c.lower_ == "the" for c in tok.children):
            key = _titled(ctx, tok, lemma)
            return [key] if key else []
        if lemma in ctx.lex["group_nouns"] or low in ctx.lex["group_nouns"]:
            return _group_country(ctx, tok)
    if m and m.type == "NORP":
        key = _demonym_country(ctx, m)
        return [key] if key else []
    return []


def _group_country(ctx, tok) -> list[tuple[str, str]]:
    """"senior Chinese officials", "US and Chinese officials", "counterparts from Ukraine" -> the countries."""
    keys = []
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            for t in [c, *(g for g in c.children if g.dep_ == "conj")]:
                m = ctx.mention(t)
                if m and m.type == "NORP":
                    keys += [k for k in [_demonym_country(ctx, m)] if k]
                elif m and m.type in ("GPE", "ORG"):
                    keys.append(m.key)
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            for g in c.children:
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
    sent, first = tok.sent, True
    key = None
    for _ in range(4):
        ranked = []
        for t in sent:
            if t.i >= tok.i:
                break
            subj = _subject_rank(t)
            if t.lower_ in PERSONAL and subj and t.i != tok.i:
                k = _pronoun(ctx, t)
            else:
                m = ctx.mention(t)
                k = m.key if m is not None and m.type == "PERSON" else None
            if k and (subj or not first or tok.dep_ == "poss"):
                ranked.append(((subj, t.i), k))
        if ranked:
            key = max(ranked)[1]
            break
        if sent.start == 0:
            break
        sent, first = ctx.doc[sent.start - 1].sent, False
    ctx.pronouns[tok.i] = key
    return key


def _subject_rank(t) -> int:
    """2 for the subject of the main clause, 1 for another subject, 0 otherwise."""
    head = t
    if t.dep_ in ("compound", "appos", "flat") and t.head.dep_ in ("nsubj", "nsubjpass"):
        head = t.head
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return 0
    return 2 if head.head.dep_ == "ROOT" else 1


def _titled(ctx, tok, lemma):
    """"the Secretary" -> the latest person whose title has that word."""
    for m in reversed(ctx.mentions):
        if m.end <= tok.idx and m.type == "PERSON" and m.title and lemma in m.title.lower():
            return m.key
    return None


# --- roles ---------------------------------------------------------------------------------

def _subject(ctx, verb) -> list[tuple[str, str]]:
    """The agent of a verb: its subject, the by-agent of a passive, or the subject it inherits."""
    return [k for t in _subject_tokens(verb) for k in _np_entities(ctx, t)]


def _subject_tokens(verb, depth: int = 0) -> list:
    """Tokens heading the verb's agent, following xcomp ("intended to visit"), conj ("visited ...
    and held talks") and relative clauses ("Miller, who said")."""
    if depth > 4:
        return []
    for c in verb.children:
        if c.dep_ == "agent":
            return [g for g in c.children if g.dep_ == "pobj"]
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj") or c.dep_ == "nsubjpass" and depth > 0:
            return [c]
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head is not verb:
        if verb.dep_ == "advcl" and not (verb.tag_ in ("VBG", "VBN") or any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
            return []
        return _subject_tokens(verb.head, depth + 1)
    if verb.dep_ in ("relcl", "acl") and verb.tag_ != "VBN":
        return [verb.head]
    return []


def _governing_verb(tok):
    """The verb a nominal trigger hangs from as object or prepositional object."""
    t = tok
    for _ in range(4):
        if t.dep_ in ("dobj", "pobj", "attr", "oprd") or (t.dep_ == "prep" and t is not tok):
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                return t
            continue
        return None
    return None


def _build(ctx, tok, spec, time) -> EventMention | None:
    """Read roles and status for one trigger; None when nothing is known of who took part."""
    nominal = tok.pos_ == "NOUN"
    participants: list[Participant] = []

    def add(keys, role):
        for name, typ in keys:
            if name and not any(p.name == name and p.type == typ for p in participants):
                participants.append(Participant(name=name, type=typ, role=role))

    speech = bool(spec.get("speech"))
    agent_role = "speaker" if speech else "agent"
    if nominal:
        _nominal_roles(ctx, tok, spec, add, agent_role)
    elif spec.get("host"):
        _host_roles(ctx, tok, add)
    else:
        add(_subject(ctx, tok), agent_role)
        _verbal_roles(ctx, tok, spec, add)
    if spec["type"] == "military" and not any(p.role == "agent" for p in participants):
        # "Two Turkish F-16s shot down ...": the forces stand for their country
        add([k for c in _subject_tokens(tok) for m in c.children
             if m.dep_ in ("amod", "compound") for k in _modifier_country(ctx, m)], "agent")
    if spec["type"] == "military":
        for o in _objects(tok):
            if (m := ctx.mention(o)) is None:
                add([k for c in o.children if c.dep_ in ("amod", "compound") for k in _modifier_country(ctx, c)],
                    "recipient")
    if not any(p.role != "location" for p in participants) and not spec.get("affects"):
        return None  # a place alone ("a visit to Beijing") says nothing about who acted
    if speech and not any(p.role == "speaker" for p in participants):
        return None  # an unattributed statement says nothing about who spoke
    if spec["type"] == "appointment" and not any(p.role == "recipient" for p in participants):
        return None
    status = _status(ctx, tok, spec, time, nominal)
    sent = tok.sent
    quote = _quote(ctx, tok) if speech else None
    location = next((p.name for p in participants if p.role == "location"), None)
    end = tok.idx + len(tok.text)
    if "particle" in spec:
        part = ctx.doc[spec["particle"]]
        end = max(end, part.idx + len(part.text))
    return EventMention(
        doc=ctx.id, index=0, type=spec["type"], cameo=_cameo(spec, tok, participants),
        trigger=_trigger_text(tok, spec), status=status, participants=tuple(participants),
        source=Source(ctx.id, sent.text.strip(), sent.start_char, sent.end_char),
        trigger_start=tok.idx, trigger_end=end, time=time, location=location, quote=quote)


def _cameo(spec, tok, participants) -> str:
    if spec["type"] == "visit" and spec["cameo"] == "042" and not any(p.role == "location" for p in participants):
        return "042"
    return spec["cameo"]


def _trigger_text(tok, spec) -> str:
    """The trigger as a reader would quote it: "telephone conversation", "shot down"."""
    words = [c for c in tok.lefts if c.dep_ in ("compound",) and c.i == tok.i - 1]
    text = " ".join([w.text for w in words] + [tok.text])
    if "particle" in spec:
        text += " " + tok.doc[spec["particle"]].text
    return text


def _verbal_roles(ctx, tok, spec, add):
    typ = spec["type"]
    objects = _objects(tok) if not any(c.dep_ == "nsubjpass" for c in tok.children) or typ == "military" else []
    for o in objects:
        keys = _np_entities(ctx, o)
        if typ in ("visit", "travel"):
            add([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
            add([k for k in keys if k[1] not in ("GPE", "LOC", "FAC")], "recipient")
        elif spec.get("speech"):
            if spec.get("addressee") == "dobj":
                add(keys, "addressee")
        elif typ in ("postponement", "cancellation"):
            continue
        else:
            add(keys, "recipient")
    for c in tok.children:
        if c.dep_ == "dative":
            add(_np_entities(ctx, c), "addressee" if spec.get("speech") else "recipient")
        if c.dep_ != "prep":
            continue
        pobjs = [g for g in c.children if g.dep_ == "pobj"]
        if "particle" in spec and c.i == spec["particle"]:
            for g in pobjs:
                add(_np_entities(ctx, g), "addressee")
            continue
        prep = c.lower_
        for g in pobjs:
            keys = _np_entities(ctx, g)
            if prep in ("with", "between"):
                add(keys, "recipient" if typ in ("call", "meeting", "agreement") else "participant")
                if typ != "call":  # "met with X in Seoul": the place can hang from X
                    add([k for p2 in g.children if p2.dep_ == "prep" and p2.lower_ in ("in", "at")
                         for g2 in p2.children for k in _np_entities(ctx, g2) if k[1] in ("GPE", "LOC", "FAC")],
                        "location")
            elif prep == "to" and typ in ("visit", "travel"):
                add([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
            elif prep == "to" and (spec.get("speech") or typ in ("call", "meeting")):
                add(keys, "addressee" if spec.get("speech") else "recipient")
            elif prep in ("in", "at") and typ not in ("statement",):
                add([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
            elif prep == "from" and typ == "meeting":
                add(keys, "recipient")


def _invited(ctx, tok, add) -> bool:
    """"X invited Y for a state visit (to Z)": Y is the visitor, X the host."""
    v = _governing_verb(tok)
    if v is None or v.lemma_.lower() not in ("invite", "welcome"):
        return False
    guests = [k for o in v.children if o.dep_ == "dobj" for k in _np_entities(ctx, o)]
    if not guests:
        return False
    add(guests, "agent")
    add(_subject(ctx, v), "recipient")
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "in"):
            add([k for g in c.children if g.dep_ == "pobj" for k in _np_entities(ctx, g)
                 if k[1] in ("GPE", "LOC", "FAC")], "location")
    return True


def _host_roles(ctx, tok, add):
    """"X hosted/welcomed Y": Y is the visitor (agent of the visit), X the host (recipient)."""
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    if passive:
        add([k for c in tok.children if c.dep_ == "nsubjpass" for k in _np_entities(ctx, c)], "agent")
        add([k for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
             for k in _np_entities(ctx, g)], "recipient")
    else:
        add([k for o in _objects(tok) for k in _np_entities(ctx, o)], "agent")
        add(_subject(ctx, tok), "recipient")
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "to"):
            add([k for g in c.children if g.dep_ == "pobj" for k in _np_entities(ctx, g)
                 if k[1] in ("GPE", "LOC", "FAC")], "location")


def _nominal_roles(ctx, tok, spec, add, agent_role):
    typ = spec["type"]
    if _invited(ctx, tok, add):
        return
    for c in tok.children:
        if c.dep_ == "poss":
            add(_np_entities(ctx, c), agent_role)
        elif c.dep_ in ("compound", "nmod", "amod") and typ in ("meeting", "call", "agreement"):
            add(_hyphen_pair(ctx, c), "participant")
        elif c.dep_ == "prep":
            prep = c.lower_
            for g in (g for g in c.children if g.dep_ == "pobj"):
                keys = _np_entities(ctx, g)
                if prep in ("by", "from") and (spec.get("speech") or typ in ("visit", "travel")):
                    add(keys, agent_role)
                elif prep == "between":
                    add(keys, "participant")
                elif prep == "with":
                    add(keys, "recipient")
                elif prep in ("to",) and typ in ("visit", "travel"):
                    add([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
                    add([k for k in keys if k[1] not in ("GPE", "LOC", "FAC")], "recipient")
                elif prep in ("in", "at") and typ != "statement":
                    add([k for k in keys if k[1] in ("GPE", "LOC", "FAC")], "location")
                elif prep == "of" and typ in ("visit", "travel", "agreement"):
                    add(keys, "agent")
                elif prep == "of" and typ == "meeting":  # "the meeting of Quad leaders"
                    add(keys, "participant")
    if typ in ("visit", "travel") and tok.dep_ in ("nsubj", "nsubjpass") \
            and tok.head.lemma_.lower() in ("involve", "include", "take", "cover", "span"):
        # "Blinken's trip ... would also involve London along with Beijing"
        head = tok.head
        objs = [c for c in head.subtree if c.dep_ in ("dobj", "pobj", "conj") and c.i > tok.right_edge.i]
        add([k for o in objs for k in _np_entity(ctx, o) if k[1] in ("GPE", "LOC", "FAC")], "location")
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
    if definite and not _collected(add):
        return  # "to prepare for the trip": a reference to an event told elsewhere, not a new one
    if not any(p for p in _collected(add) if p.role in (agent_role, "participant")):
        v = _governing_verb(tok)
        if v is not None:
            add(_subject(ctx, v), agent_role)


def _collected(add):
    # the participants list lives in the closure of ``add``
    return add.__closure__[0].cell_contents if add.__closure__ else []


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
    if any(c.dep_ == "neg" for c in tok.children) or negatable and any(c.dep_ == "neg" for c in clause.children):
        return "negated"
    if _hypothetical(clause, lex):
        return "hypothetical"
    if nominal:
        mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "advmod")}
        mods |= {g.lower_ for c in tok.children if c.dep_ == "amod" for g in c.children if g.dep_ == "advmod"}
        if mods & set(lex["planned_modifiers"]) | ({"awaited"} & mods):
            return "planned"
        if _ahead_of(tok):
            return "planned"
        if clause.lemma_.lower() in lex["planning_verbs"] and clause.lemma_.lower() not in ("announce", "agree"):
            return "planned"  # "His visit is expected to begin on Sunday"
    if _future_verb(clause, lex):
        return "planned"
    if time is not None and ctx.reference is not None and time.start_date:
        if time.start_date > ctx.reference.isoformat():
            return "planned"
    return "occurred"


def _future_verb(verb, lex) -> bool:
    for _ in range(4):
        auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if auxes & {"will", "'ll", "shall", "would", "wo"}:
            return True
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex["planning_verbs"]:
            return True
        if verb.dep_ in ("xcomp", "conj") and verb.head is not verb:
            verb = verb.head
            continue
        return False
    return False


def _hypothetical(verb, lex) -> bool:
    for c in verb.children:
        if c.dep_ == "mark" and c.lower_ in lex["hypothetical_markers"]:
            return True
        if c.dep_ == "aux" and c.lower_ in lex["hypothetical_modals"]:
            return True
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "if" for c in verb.children)


def _ahead_of(tok) -> bool:
    """"ahead of his visit": the event is still to come."""
    h = tok.head
    return tok.dep_ == "pobj" and h.lower_ == "of" and h.head.lower_ in ("ahead", "before", "prior")


def _quote(ctx, tok) -> str | None:
    sent = tok.sent
    for qs, qe in ctx.quotes:
        if sent.start_char <= qs < sent.end_char:
            return ctx.doc.text[qs + 1:qe - 1].strip()
    for c in tok.children:
        if c.dep_ == "ccomp":
            span = ctx.doc[c.left_edge.i:c.right_edge.i + 1].text
            return span[:300]
    return None


# --- time attachment ------------------------------------------------------------------------

def _shares_time(verb) -> bool:
    """Clauses whose time is their head's: "Speaking on Friday, Liu argued", "intended to visit"."""
    return verb.dep_ in ("xcomp", "aux", "auxpass") or verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN")


def _attach_times(ctx, trigger_tokens: set[int]) -> dict[int, TimeMention]:
    """Give each trigger the time expression its clause carries.

    A time belongs to the first trigger on its path to the root; a time on no
    trigger's path ("engaged in a conversation on Wednesday") goes to the
    nearest trigger below its verb. Deictic times inside quotations
    ("tonight" in a quoted tweet) are not anchored to the article's date.
    """
    doc = ctx.doc
    owners: dict[int, TimeMention] = {}
    for tm in ctx.times:
        if tm.type in ("DURATION", "SET") or tm.start_date is None and not tm.value.startswith("XXXX"):
            continue
        if ctx.in_quote(tm.start) and DEICTIC.search(tm.text):
            continue
        span = doc.char_span(tm.start, tm.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        owner = None
        t = root
        for _ in range(12):
            if t.i in trigger_tokens and not (span.start <= t.i < span.end):
                owner = t.i
                break
            if t.head is t or (t is not root and t.pos_ in ("VERB", "AUX") and not _shares_time(t)):
                break  # the time belongs to another clause ("the consensus reached ... in 2022")
            t = t.head
        if owner is None:
            verb = next((a for a in [root, *root.ancestors] if a.pos_ in ("VERB", "AUX")), None)
            while verb is not None and verb.dep_ == "xcomp":  # "is expected to begin on Sunday"
                verb = verb.head
            if verb is not None:
                below = [i for i in trigger_tokens if verb.left_edge.i <= i <= verb.right_edge.i
                         and verb in doc[i].ancestors]
                if below:
                    owner = min(below, key=lambda i: abs(i - root.i))
        if owner is not None and owner not in owners:
            owners[owner] = tm
    # coordinated verbs share their time: "visited Beijing last week and held talks"
    for i in sorted(trigger_tokens):
        if i in owners:
            continue
        verb = doc[i] if doc[i].pos_ in ("VERB", "AUX") else _governing_verb(doc[i])
        while verb is not None and verb.dep_ == "conj" and verb.head is not verb:
            verb = verb.head
            sibling = verb.i if verb.i in owners else next(
                (t.i for t in verb.children if t.i in owners and t.dep_ in ("dobj", "prep")), None)
            if sibling is not None:
                owners[i] = owners[sibling]
                break
    return owners


# --- postponements, cancellations and readouts ---------------------------------------------------

def _resolve_affects(ctx, raw) -> tuple[list[EventMention], list[RelationMention]]:
    """A postponement takes over the event it calls off; its cause becomes a ``causes`` link."""
    from dataclasses import replace

    by_token = {tok.i: ev for tok, _, ev in raw}
    absorbed: set[int] = set()
    causes: list[tuple[int, int]] = []
    out: dict[int, EventMention] = {}
    for tok, spec, ev in raw:
        if not spec.get("affects"):
            out[tok.i] = ev
            continue
        target = _affected(ctx, tok, raw)
        if target is not None:
            t_tok, t_ev = target
            absorbed.add(t_tok)
            merged = list(ev.participants)
            for p in t_ev.participants:
                if not any(q.name == p.name for q in merged):
                    merged.append(p)
            ev = replace(ev, participants=tuple(merged), time=t_ev.time or ev.time,
                         location=t_ev.location or ev.location,
                         trigger=f"{t_ev.trigger} {ev.trigger}")
        if not ev.participants:
            continue
        out[tok.i] = ev
        cause = _cause(tok, by_token)
        if cause is not None:
            causes.append((cause, tok.i))
    kept = [i for i in sorted(out) if i not in absorbed]
    index = {i: n for n, i in enumerate(kept)}
    events = [replace(out[i], index=index[i]) for i in kept]
    links = []
    for c, e in causes:
        if c in index and e in index:
            ev = events[index[e]]
            links.append(RelationMention(doc=ctx.id, relation="causes", evidence=ev.source,
                                         source_event=index[c], target_event=index[e]))
    return events, links


NOUN_FAMILY = {"visit": ("visit", "travel"), "trip": ("visit", "travel"), "tour": ("visit", "travel"),
               "journey": ("visit", "travel"), "stop": ("visit", "travel"), "meeting": ("meeting",),
               "talk": ("meeting", "call"), "summit": ("meeting",), "conference": ("meeting",),
               "call": ("call",), "plan": ("visit", "travel", "meeting")}


def _affected(ctx, tok, raw):
    """The event a postponement/cancellation trigger acts on: its patient when that is an event,
    else the latest earlier event of the patient's kind ("the trip") whose date fits the patient's."""
    patients = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
    if tok.pos_ == "NOUN":
        patients += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
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
    """"postponed due to X", "cancelled after the US shot down ..." -> the trigger of X."""
    for c in tok.children:
        if c.dep_ in ("prep", "advcl") or (c.dep_ == "advmod" and c.lower_ in ("after", "because")):
            for t in c.subtree:
                if t.i in by_token and t.i != tok.i:
                    return t.i
    return None


def _date_from_trips(events: list[EventMention]) -> list[EventMention]:
    """An undated meeting held during a dated trip by the same person ("While in Beijing, Blinken
    will meet ...") happens within that trip."""
    from dataclasses import replace

    trips = [e for e in events if e.type in ("visit", "travel") and e.time is not None and e.time.start_date]
    out = []
    for ev in events:
        if ev.type == "meeting" and ev.time is None:
            agents = {p.name for p in ev.participants if p.role == "agent"}
            places = {p.name for p in ev.participants if p.role == "location"}
            fits = [t for t in trips if agents & {p.name for p in t.participants if p.role == "agent"}
                    and STATUS_FAMILY.get(t.status) == STATUS_FAMILY.get(ev.status)
                    and (not places or places & {p.name for p in t.participants if p.role == "location"})]
            if fits:  # the narrowest trip: the day in Beijing rather than the whole tour
                best = min(fits, key=lambda t: (dt.date.fromisoformat(t.time.end_date or t.time.start_date)
                                                - dt.date.fromisoformat(t.time.start_date), t.trigger_start))
                ev = replace(ev, time=best.time)
        out.append(ev)
    return out


def _date_readouts(events: list[EventMention]) -> list[EventMention]:
    """An undated report of a call or meeting ("a statement said") is dated to the event it reports."""
    from dataclasses import replace

    out = []
    last_dated = None
    for ev in events:
        if ev.time is not None and ev.status == "occurred" and ev.type in ("call", "meeting", "visit"):
            last_dated = ev
        if (ev.time is None and ev.type in ("statement", "appeal", "accusation") and ev.status == "occurred"
                and last_dated is not None and last_dated.time.granularity == "day"
                and ev.source.start - last_dated.source.start < 2500):
            ev = replace(ev, time=last_dated.time)
        out.append(ev)
    return out


def _fold_conversations(events: list[EventMention]) -> list[EventMention]:
    """"their conversation", "the talks" between the two people of a phone call in the same article are that call."""
    from dataclasses import replace

    calls = [e for e in events if e.type == "call"]
    out = []
    for ev in events:
        if ev.type == "meeting" and ev.trigger.split()[-1].lower() in CONVERSATION_WORDS:
            names = {p.name for p in ev.participants if p.role != "location"}
            for call in calls:
                shared = names & {p.name for p in call.participants}
                if len(shared) >= 2 and (ev.time is None or call.time is None or ev.time.value == call.time.value):
                    ev = replace(ev, type="call", cameo="041")
                    break
        out.append(ev)
    return out


def iter_event_mentions(*args, **kwargs) -> Iterator[EventMention]:
    """Generator face of :func:`extract_events` (events only)."""
    yield from extract_events(*args, **kwargs)[0]
