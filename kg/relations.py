"""The relation stage (map phase): roles and affiliations read around entity mentions of one document.

Relations, all between (canonical, type) entity keys, each with the sentence as evidence:

* ``holds_role`` (attrs ``role``): a person's title names a country or an organisation
  ("US Secretary of State Antony Blinken", "China's foreign minister Qin Gang", "Qin Gang, China's foreign
  minister", "Apple chief executive Tim Cook");
* ``spokesperson_of``: a spokesperson title after an organisation ("State Department spokesperson Matthew Miller");
* ``member_of``: an appositive placing a person in an organisation ("He Lei, a People's Liberation Army
  strategist", "Liu Weidong, a research fellow at the Institute of American Studies");
* ``part_of``: an organisation right after a country or organisation ("US State Department", "China's Foreign
  Ministry") or attached to one by "at"/"of" ("the Institute ... at the Chinese Academy of Social Sciences");
* ``counterpart_of``: "his Chinese counterpart Qin Gang" -> Qin Gang counterpart_of the subject of the clause;
* ``nationality``: a person modified by a country or demonym (in the title, or "Chinese counterpart");
* ``capital_of``: a capital named as the city ("arrived in Beijing") links to its country, the node the same
  name joins when it stands for the government ("Beijing said");
* ``source_agency`` (``credit_relations``): each event a document reports -> the agency it credits
  ("[with PTI inputs]"): provenance, with the credit line as evidence.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .doccache import children, doc_text, sent_of, token_idx
from .entities import capital_city, country_of, mention_at, organisations, titles
from .records import EntityMention, RelationMention, Source

SPOKES = {"spokesperson", "spokesman", "spokeswoman"}
SMALL_WORDS = {"of", "and", "for", "the", "to"}
# what may stand between an organisation or country and what follows it: "US State", "China's Foreign"
# (same line only, and a closing bracket may end the name: "Department of Foreign Affairs (DFA) spokesperson")
_GAP = re.compile(r"^\)?[ \t]*(?:['’]s[ \t]*)?$")


class _Ctx:
    """One document: its text, mentions and a character -> token map."""

    def __init__(self, doc, doc_id: str, mentions: Sequence[EntityMention]):
        self.doc, self.doc_id, self.mentions = doc, doc_id, list(mentions)
        self.text = doc_text(doc)
        self.token_at = {idx: i for i, idx in enumerate(token_idx(doc))}
        self.heads: dict[tuple[int, int], object] = {}  # (start, end) of a mention -> its head token
        # organisations that are the object of "at"/"of", with the offset of the word they attach to
        self.attached_orgs = []
        for m in self.mentions:
            tok = self.token(m) if m.type == "ORG" else None
            if tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in ("at", "of"):
                self.attached_orgs.append((m, tok.head.head.idx, tok.head))

    def token(self, m: EntityMention):
        """The syntactic head token of a mention's name (found once per span: it is asked often)."""
        key = (m.start, m.end)
        if key not in self.heads:
            self.heads[key] = self._token(m)
        return self.heads[key]

    def _token(self, m: EntityMention):
        i = self.token_at.get(m.start)
        if i is None:
            return None
        j, idx = i, token_idx(self.doc)
        while j + 1 < len(idx) and idx[j + 1] < m.end:
            j += 1
        return self.doc[i:j + 1].root

    def mention(self, tok) -> EntityMention | None:
        return mention_at(self.mentions, tok.idx, tok.idx + len(tok.text))

    def source(self, m: EntityMention) -> Source:
        """The sentence around a mention, cut at line breaks (the parser joins headlines to paragraphs)."""
        sent = sent_of(self.token(m))
        start = max(sent.start_char, self.text.rfind("\n", 0, m.start) + 1)
        nl = self.text.find("\n", m.end)
        end = min(sent.end_char, nl if nl >= 0 else len(self.text))
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Source(self.doc_id, self.text[start:end], start, end)

    def rel(self, relation: str, m: EntityMention, target: tuple[str, str], **attrs) -> RelationMention:
        return RelationMention(doc=self.doc_id, relation=relation, evidence=self.source(m), source=m.key,
                               target=target, attrs=tuple(sorted(attrs.items())))


def _role(words: str) -> str:
    """A role in title case: "assistant secretary of state" -> "Assistant Secretary of State"."""
    out = []
    for w in words.split():
        out.append(w.lower() if w.lower() in SMALL_WORDS else w[:1].upper() + w[1:])
    return " ".join(out)


def _country_key(m: EntityMention) -> tuple[str, str] | None:
    """The country a GPE or NORP mention stands for."""
    if m.type == "GPE":
        return m.key
    if m.type == "NORP":
        return country_of(m.canonical)
    return None


def _before(ctx: _Ctx, pos: int) -> EntityMention | None:
    """The GPE/ORG mention ending right before ``pos`` (only spaces or a possessive between)."""
    m = mention_at(ctx.mentions, max(0, pos - 4), pos)
    if m is None or m.end > pos or m.type not in ("GPE", "ORG") or not _GAP.match(ctx.text[m.end:pos]):
        return None
    return m


def _title_relations(ctx: _Ctx, m: EntityMention) -> list[RelationMention]:
    """holds_role / spokesperson_of / nationality read from the title absorbed before a person's name."""
    if not m.title:
        return []
    title_start = m.start - len(m.text) + len(m.name)
    inside = [x for x in ctx.mentions if title_start <= x.start and x.end <= m.start and x.type in ("GPE", "NORP")]
    out, words = [], m.title
    country = None
    for x in inside:
        country = country or _country_key(x)
        # the place is the holder, not part of the role: "former South African president" -> "former president"
        words = re.sub(rf"(?<!\w){re.escape(x.text)}(?:['’]s)?(?!\w)", " ", words, count=1)
    words = " ".join(words.split())
    if country:
        out.append(ctx.rel("nationality", m, country))
    holder = country
    before = _before(ctx, title_start)
    if holder is None and before is not None:
        holder = before.key
    # "France's U.N. Ambassador": a country's envoy to an international body holds the role for the country
    if country is None and before is not None and _international(before):
        pos = before.start - len(before.text) + len(before.name)
        nation = mention_at(ctx.mentions, max(0, pos - 4), pos)  # "France's" or "Japanese" before "U.N."
        if nation is not None and nation.end <= pos and _GAP.match(ctx.text[nation.end:pos]) and _country_key(nation):
            holder, words = _country_key(nation), f"{words} to the {before.canonical}"
    lows = words.lower().split()
    if lows and lows[-1] in SPOKES and before is not None and before.type == "ORG":
        return out + [ctx.rel("spokesperson_of", m, before.key)]
    if holder and any(w in titles().heads for w in lows):
        for role in re.split(r"\s+and\s+", words):
            if role:
                out.append(ctx.rel("holds_role", m, holder, role=_role(role)))
    return out


def _appositive_relations(ctx: _Ctx, m: EntityMention) -> list[RelationMention]:
    """member_of / holds_role from an appositive: "X, a PLA strategist", "X, China's foreign minister"."""
    head = ctx.token(m)
    if head is None:
        return []
    out = []
    for a in children(head):
        if a.dep_ != "appos" or ctx.mention(a) is not None:
            continue
        holder = None
        for c in children(a):
            x = ctx.mention(c)
            if c.dep_ in ("poss", "compound", "nmod", "amod") and x is not None and x.type in ("GPE", "ORG"):
                holder = holder or x
        if a.lower_ in SPOKES and holder is not None and holder.type == "ORG":  # "X, a State Department spokesman"
            out.append(ctx.rel("spokesperson_of", m, holder.key))
            continue
        if a.lemma_.lower() in titles().strong and holder is not None:
            out.append(ctx.rel("holds_role", m, holder.key, role=_role(_appos_role(a, holder))))
            continue
        # organisations the role noun itself names: "a PLA strategist", "a fellow at the Institute ..."
        # (not one buried deeper: "undersecretary for relations and ASEAN affairs")
        orgs = [x for t in a.subtree if (x := ctx.mention(t)) is not None and x.type == "ORG"
                and (head := ctx.token(x)) is not None and _attached_to(head, a)]
        for x in dict.fromkeys(orgs):
            out.append(ctx.rel("member_of", m, x.key))
    return out


def _attached_to(t, noun) -> bool:
    """An organisation's token modifies the noun ("PLA strategist") or is its "at"/"of"/"with" object."""
    if t.head.i == noun.i and t.dep_ in ("compound", "poss", "nmod", "amod"):
        return True
    return t.dep_ == "pobj" and t.head.head.i == noun.i and t.head.lower_ in ("at", "of", "with")


def _appos_role(a, holder: EntityMention) -> str:
    """The role words of an appositive: its modifiers and head, plus "of <department>"."""
    words = [t.text for t in a.lefts if t.dep_ in ("amod", "compound") and t.idx < holder.start or
             t.dep_ in ("amod", "compound") and t.idx >= holder.end]
    words.append(a.text)
    for p in a.rights:
        if p.dep_ == "prep" and p.lower_ == "of":
            obj = [t.text for t in p.subtree if t.i > p.i]
            if len(obj) <= 3:
                words += ["of", *obj]
    return " ".join(words)


def _counterpart_relations(ctx: _Ctx, m: EntityMention) -> list[RelationMention]:
    """"his Chinese counterpart Qin Gang": counterpart_of the possessor (a pronoun: the clause's subject)."""
    head = ctx.token(m)
    if head is None:
        return []
    c = head.head if head.dep_ == "appos" else None
    first = ctx.token_at.get(m.start - len(m.text) + len(m.name))
    if c is None or c.lemma_.lower() != "counterpart":
        c = ctx.doc[first - 1] if first else None
    if c is None or c.lemma_.lower() != "counterpart":
        return []
    out = []
    for mod in children(c):
        x = ctx.mention(mod)
        if mod.dep_ in ("amod", "compound", "nmod") and x is not None and _country_key(x):
            out.append(ctx.rel("nationality", m, _country_key(x)))
    other = _possessor(ctx, c)
    if other is not None and other.type == "PERSON" and other.key != m.key:
        out.append(ctx.rel("counterpart_of", m, other.key))
    return out


def _possessor(ctx: _Ctx, noun) -> EntityMention | None:
    """Whose the noun is: a named possessor, or for his/her/their the subject of the governing verb."""
    poss = next((t for t in children(noun) if t.dep_ == "poss"), None)
    if poss is None:
        return None
    if poss.pos_ != "PRON":
        return ctx.mention(poss)
    verb = noun
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subj = next((t for t in children(verb) if t.dep_ in ("nsubj", "nsubjpass")), None)
    return ctx.mention(subj) if subj is not None else None


def _international(m: EntityMention) -> bool:
    """A well-known international organisation (the table of ``entities.organisations``)."""
    return m.type == "ORG" and m.canonical in set(organisations().values())


def _part_of_relations(ctx: _Ctx, m: EntityMention) -> list[RelationMention]:
    """An organisation after a country or organisation ("US State Department"), or "X at/of Y"."""
    out = []
    if _international(m):  # "France's U.N. Ambassador": the United Nations is no part of France
        return out
    before = _before(ctx, m.start)
    if before is not None and before.key != m.key:
        out.append(ctx.rel("part_of", m, before.key))
    # "the Institute ... at the Chinese Academy": the larger organisation is the object of at/of
    for other, attached, prep in ctx.attached_orgs:
        # "at" names a place of the visit unless it follows the name itself ("the Institute at the Academy")
        near = prep.lower_ == "of" or 0 <= prep.idx - m.end <= 1
        if other.key != m.key and m.start <= attached < m.end and near:
            out.append(ctx.rel("part_of", m, other.key))
    return out


def entity_relations(doc, doc_id: str, mentions: Sequence[EntityMention]) -> list[RelationMention]:
    """Roles and affiliations of the document's entities, each with its sentence as evidence."""
    ctx = _Ctx(doc, doc_id, mentions)
    out: list[RelationMention] = []
    for m in ctx.mentions:
        if ctx.token(m) is None:
            continue
        if m.type == "PERSON":
            out += _title_relations(ctx, m) + _appositive_relations(ctx, m) + _counterpart_relations(ctx, m)
        elif m.type == "ORG":
            out += _part_of_relations(ctx, m)
        elif m.type == "GPE" and (country := capital_city(m.canonical)) is not None:
            out.append(ctx.rel("capital_of", m, (country, "GPE")))
    seen, unique = set(), []
    for r in out:  # one relation per sentence, however many ways it was read
        key = (r.relation, r.source, r.target, r.attrs, r.evidence.start)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return sorted(unique, key=lambda r: (r.evidence.start, r.relation, r.source, r.target))


def credit_relations(text: str, credits: Sequence[EntityMention], events: Sequence) -> list[RelationMention]:
    """``source_agency``: every event a document reports links to each agency the document credits.

    A credit ("[with PTI inputs]") is provenance: it says where the whole report came from, so it is an edge
    from each reported event to the agency, with the credit line as evidence, and never a participant.
    """
    out = []
    for c in credits:
        start = text.rfind("\n", 0, c.start) + 1
        end = text.find("\n", c.end)
        end = len(text) if end < 0 else end
        line = text[start:end]
        lead = len(line) - len(line.lstrip())
        evidence = Source(c.doc, line.strip(), start + lead, start + lead + len(line.strip()))
        out += [RelationMention(doc=c.doc, relation="source_agency", evidence=evidence, source_event=e.index,
                                target=c.key) for e in events]
    return out
