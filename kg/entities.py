"""The entity stage (map phase): named-entity mentions of one document, repaired and resolved in-document.

spaCy's small English model errs a lot on news text; this module repairs its spans with general patterns:

* spans are trimmed ("the United Kingdom" -> "United Kingdom", "China's" -> "China") and cut at internal
  possessives ("Renmin University of China's National Academy" -> two organisations);
* person titles are absorbed into ``title`` and dropped from the name ("US Secretary of State Antony Blinken"
  -> "Antony Blinken"; "Commerce Gina Raimondo" after "Secretary of" -> the person "Gina Raimondo"); a title
  alone ("Councilor") is no entity; a strong title before untagged capitalised words finds a missed person
  ("Lt General He Lei");
* hyphenated pairs of known names are split ("Qin-Blinken talks" -> "Qin", "Blinken");
* countries, codes, demonyms and capitals are grounded with pycountry and ``data/countries.json``;
* in-document resolution: a surname (or a Chinese-style family name) joins the one full name of the document
  that ends (or starts) with it, an acronym joins the organisation it abbreviates, and the type of every
  mention of one entity is decided by vote.

Capitals: a capital that *acts* stands for its country's government and gets the country as canonical name
(subject of a verb, possessor, "between Beijing and Washington", object of a verb of saying/urging, "relations
with Beijing"); a capital used as a *place* ("travel to Beijing", "in London", "visited Moscow") stays the city
(type GPE, canonical the city).

Demonyms ("Chinese") are NORP mentions whose canonical is the demonym itself, never the country: the link to
the country is made only by relations (``nationality``) where a person is modified by one.
"""
from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .records import EntityMention

DATA = Path(__file__).resolve().parent / "data"

KEPT = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
# tie-break of the type vote: the more specific reading first
TYPE_ORDER = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
POSSESSIVE = {"'s", "’s", "'", "’"}
DETERMINERS = {"the", "a", "an"}
HYPHENS = {"-", "‐", "‑", "–"}
# words that end an organisation-led event name: "G20 Summit" is an event of the organisation "G20"
EVENT_HEADS = {"summit"}
# proper nouns that look like country names but are often something else when spaCy did not tag them
AMBIGUOUS_PLACES = {"chad", "jordan", "georgia", "turkey", "niger", "guinea", "dominica", "lebanon"}
_CODE = re.compile(r"^(?:[A-Z]\.){2,4}$|^[A-Z]{2,5}$")


# ---------------------------------------------------------------- gazetteer


def _norm(name: str) -> str:
    """Case- and punctuation-insensitive lookup key: "the U.S." -> "us", "China’s" -> "china"."""
    s = name.replace("’", "'").replace("‘", "'").casefold().strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = s.replace(".", "")
    return re.sub(r"\s+", " ", s).strip(" ,")


@dataclass(frozen=True)
class Gazetteer:
    """Country names and codes, demonyms and capitals, each mapped to a canonical country name."""

    countries: dict  # norm(alias) -> country
    codes: dict  # exact-case code ("US", "U.S.", "GB") -> country
    demonyms: dict  # norm(demonym) -> (country, canonical demonym)
    capitals: dict  # norm(capital) -> (country, canonical capital)


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load (once) pycountry's names and codes plus the hand-written table of data/countries.json."""
    table = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["countries"]
    countries, codes, demonyms, capitals = {}, {}, {}, {}
    for canon, row in table.items():
        countries[_norm(canon)] = canon
        for alias in row["aliases"]:
            (codes if _CODE.match(alias) else countries)[alias if _CODE.match(alias) else _norm(alias)] = canon
        for dem in row["demonyms"]:
            demonyms.setdefault(_norm(dem), (canon, row["demonyms"][0]))
        for cap in row["capitals"]:
            capitals.setdefault(_norm(cap), (canon, row["capitals"][0]))
    try:
        import pycountry
    except ImportError:  # the table alone still covers the newsworthy countries
        pycountry = None
    for c in (pycountry.countries if pycountry else ()):
        names = [n for n in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)) if n]
        # our table's canonical wins (Russia, not "Russian Federation"); else pycountry's common name
        canon = next((countries[_norm(n)] for n in names if _norm(n) in countries), None)
        canon = canon or codes.get(c.alpha_2) or codes.get(c.alpha_3) or names[0]
        for n in names:
            countries.setdefault(_norm(n), canon)
        codes.setdefault(c.alpha_2, canon)
        codes.setdefault(c.alpha_3, canon)
    return Gazetteer(countries, codes, demonyms, capitals)


def country_name(name: str) -> str | None:
    """The canonical country a country name or code denotes ("U.S." -> "United States"), else None."""
    g = gazetteer()
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return g.codes.get(bare) or g.countries.get(_norm(name))


def country_of(name: str) -> tuple[str, str] | None:
    """The (country, "GPE") key a demonym, country name or capital refers to ("Chinese" -> ("China", "GPE"))."""
    g = gazetteer()
    country = country_name(name)
    if country is None and _norm(name) in g.demonyms:
        country = g.demonyms[_norm(name)][0]
    if country is None and _norm(name) in g.capitals:
        country = g.capitals[_norm(name)][0]
    return (country, "GPE") if country else None


@dataclass(frozen=True)
class Titles:
    """Word lists of data/titles.json (lower case)."""

    heads: frozenset
    strong: frozenset
    words: frozenset  # heads and modifiers
    departments: tuple  # token tuples, longest first
    not_names: frozenset
    departments_by_last: dict  # last word -> department token tuples ending with it


@functools.lru_cache(maxsize=1)
def titles() -> Titles:
    """Load (once) the role words that make a person's title."""
    raw = json.loads((DATA / "titles.json").read_text(encoding="utf-8"))
    heads = frozenset(raw["heads"])
    deps = sorted((tuple(d.split()) for d in raw["departments"]), key=len, reverse=True)
    by_last = {}
    for d in deps:
        by_last.setdefault(d[-1], []).append(d)
    return Titles(heads, frozenset(raw["strong_heads"]), heads | frozenset(raw["modifiers"]), tuple(deps),
                  frozenset(raw["not_names"]), by_last)


# ---------------------------------------------------------------- working mentions


@dataclass
class _Raw:
    """A mention being repaired: token range of the name, label, absorbed title, canonical name."""

    ts: int
    te: int
    label: str
    title_ts: int | None = None
    person_cue: bool = False  # a person title or a multi-token PERSON name
    canonical: str | None = None
    fixed: bool = False  # the type comes from the gazetteer and takes no part in the vote
    prefix_ts: int | None = None  # start of the surface when a country code was split off ("US State Department")


def _low(tok) -> str:
    return tok.text.lower().replace("’", "'")


def _is_title_word(tok) -> bool:
    return _low(tok) in titles().words


def _department_before(doc, j: int) -> int | None:
    """Start of a department phrase ending at token ``j`` and preceded by "<title> of", else None."""
    for dep in titles().departments_by_last.get(_low(doc[j]), ()):
        s = j - len(dep) + 1
        if s >= 2 and tuple(_low(t) for t in doc[s:j + 1]) == dep and _low(doc[s - 1]) == "of" \
                and _is_title_word(doc[s - 2]):
            return s
    return None


def _department_at(doc, s: int, e: int) -> int:
    """Length of a department phrase starting the span [s, e) when "<title> of" precedes it, else 0."""
    if s < 2 or _low(doc[s - 1]) != "of" or not _is_title_word(doc[s - 2]):
        return 0
    for dep in titles().departments:
        if tuple(_low(t) for t in doc[s:min(e, s + len(dep))]) == dep:
            return len(dep)
    return 0


def _repair(doc, s: int, e: int, label: str) -> list[_Raw]:
    """One spaCy span made into clean name spans (possibly none, possibly several)."""
    # trim determiners, punctuation and possessives at the edges; cut at a line break
    while s < e and (_low(doc[s]) in DETERMINERS or doc[s].is_punct or doc[s].is_space):
        s += 1
    for k in range(s, e):
        if "\n" in doc[k].text:  # spaCy keeps line breaks as tokens of their own
            e = k
            break
    while e > s and (doc[e - 1].text in POSSESSIVE or doc[e - 1].is_punct and doc[e - 1].text not in ".)"):
        e -= 1
    if e <= s or not any(ch.isalpha() for ch in doc[s:e].text):
        return []
    # a name cut after a function word: "Group of" + "20" is "Group of 20"; else the word goes
    if e - s > 1 and _low(doc[e - 1]) in ("of", "for", "and", "&"):
        nxt = doc[e] if e < len(doc) else None
        if nxt is not None and (nxt.like_num or nxt.text[:1].isupper()):
            e += 1
        else:
            e -= 1
    # an internal possessive joins two names: "Renmin University of China's National Academy ..."
    for k in range(s + 1, e - 1):
        # "People’s Liberation Army" is one name: split only after a place or a name of two words or more
        if doc[k].text in POSSESSIVE and (country_of(doc[s:k].text) or k - s >= 2 and e - k > 2):
            left = "GPE" if country_of(doc[s:k].text) else label
            return _repair(doc, s, k, left) + _repair(doc, k + 1, e, label)
    ts = titles()
    # "Commerce Gina Raimondo" after "Secretary of": the department belongs to the title, the rest is a person
    dep = _department_at(doc, s, e)
    if dep:
        rest = [t for t in doc[s + dep:e] if t.text[:1].isupper()]
        return [_Raw(s + dep, e, "PERSON", person_cue=True)] if rest and len(rest) == e - s - dep else []
    # leading and trailing title words: "President Xi" / "PLA General"; a title alone is no entity
    lead = s
    while lead < e and _low(doc[lead]) in ts.words:
        lead += 1
    cue = lead > s and any(_low(t) in ts.heads for t in doc[s:lead])
    if label != "PERSON" and lead < e and not (cue and _looks_like_person(doc[lead:e])):
        lead = s  # "General Motors", "Foreign Ministry": the title words belong to the name
        cue = False
    trail = e
    while trail > lead and _low(doc[trail - 1]) in ts.heads and label != "PERSON":
        trail -= 1
    if lead == e or trail == lead:
        return []
    if cue:
        label = "PERSON"  # "Commerce Secretary Gina Raimondo" tagged ORG is a person
    s, e = lead, trail
    # a country code before an organisation: "US State Department" -> "US" + "State Department"
    if label == "ORG" and e - s >= 3 and _CODE.match(doc[s].text) and country_name(doc[s].text):
        rest = _repair(doc, s + 1, e, label)
        for r in rest:
            r.prefix_ts = s if r.ts == s + 1 else None
        return [_Raw(s, s + 1, "GPE"), *rest]
    # an organisation's event: "G20 Summit" is the EVENT and "G20" the ORG
    if _low(doc[e - 1]) in EVENT_HEADS and 1 <= e - 1 - s <= 2 and \
            all(any(ch.isdigit() for ch in t.text) or t.text.isupper() for t in doc[s:e - 1]):
        return [_Raw(s, e - 1, "ORG"), _Raw(s, e, "EVENT")]
    return [_Raw(s, e, label, person_cue=cue or (label == "PERSON" and e - s > 1))]


def _looks_like_person(span) -> bool:
    """One to three capitalised proper nouns, none an organisation word ("Motors", "Laboratories")."""
    ts = titles()
    return 1 <= len(span) <= 3 and all(t.is_alpha and t.text[:1].isupper() and t.pos_ == "PROPN"
                                       and _low(t) not in ts.not_names for t in span)


def _titled_persons(doc, covered: bytearray) -> list[_Raw]:
    """Persons spaCy missed after a strong title: "Lt General He Lei" -> "He Lei"."""
    ts, out = titles(), []
    for tok in doc:
        i = tok.i
        if covered[i] or _low(tok) not in ts.strong or not tok.text[:1].isupper():
            continue
        if i > 0 and _low(doc[i - 1]) in DETERMINERS:  # "the General Assembly", "the Secretary"
            continue
        j = i + 1
        while j < len(doc) and j - i <= 4 and not covered[j] and doc[j].is_alpha and doc[j].text[:1].isupper() \
                and doc[j].pos_ in ("PROPN", "PRON") and _low(doc[j]) not in ts.words \
                and _low(doc[j]) not in ts.not_names:
            j += 1
        if i + 1 < j <= i + 4 and not (j < len(doc) and doc[j].is_alpha and doc[j].text[:1].isupper()):
            out.append(_Raw(i + 1, j, "PERSON", person_cue=True))
            covered[i + 1:j] = b"\x01" * (j - i - 1)
    return out


def _untagged_countries(doc, covered: bytearray) -> list[_Raw]:
    """Country codes and names spaCy left untagged ("the U.S.-PRC relationship")."""
    out = []
    for tok in doc:
        if covered[tok.i] or not tok.text[:1].isupper() or not tok.is_alpha and "." not in tok.text:
            continue
        code = _CODE.match(tok.text) and gazetteer().codes.get(tok.text) and len(tok.text.replace(".", "")) >= 2
        named = len(tok.text) > 3 and gazetteer().countries.get(_norm(tok.text)) and \
            _norm(tok.text) not in AMBIGUOUS_PLACES and tok.pos_ == "PROPN"
        # two-letter alpha codes that are also words ("IT", "IN") only come from our own table
        if code and len(tok.text) == 2 and tok.text not in _table_codes():
            code = False
        if code or named:
            out.append(_Raw(tok.i, tok.i + 1, "GPE"))
            covered[tok.i] = 1
    return out


@functools.lru_cache(maxsize=1)
def _table_codes() -> frozenset:
    table = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["countries"]
    return frozenset(a for row in table.values() for a in row["aliases"] if _CODE.match(a))


def _split_hyphenated(doc, raws: list[_Raw]) -> list[_Raw]:
    """"Qin-Blinken talks" -> "Qin" and "Blinken" when each part is a name known in the document."""
    hyphened = {id(r): _hyphen_parts(doc, r) for r in raws}
    known = {t.text for r in raws if r.label == "PERSON" and not hyphened[id(r)] for t in doc[r.ts:r.te]}
    out = []
    for r in raws:
        parts = hyphened[id(r)]
        if parts and all(doc[a:b].text in known or country_of(doc[a:b].text) for a, b in parts):
            out += [_Raw(a, b, "PERSON" if doc[a:b].text in known else "GPE") for a, b in parts]
        else:
            out.append(r)
    # spaCy may tag one side only: "Qin" of "Qin-Blinken"; the other side joins when it is a known name
    taken = {i for r in out for i in range(r.ts, r.te)}
    for tok in doc:
        if tok.text in HYPHENS and 0 < tok.i < len(doc) - 1 and not tok.whitespace_ \
                and not doc[tok.i - 1].whitespace_:
            for side, other in ((tok.i + 1, tok.i - 1), (tok.i - 1, tok.i + 1)):
                if side not in taken and other in taken and doc[side].text in known and doc[side].is_alpha:
                    out.append(_Raw(side, side + 1, "PERSON"))
                    taken.add(side)
    return sorted(out, key=lambda r: (r.ts, r.te))


def _hyphen_parts(doc, r: _Raw) -> list[tuple[int, int]] | None:
    """Token ranges either side of the hyphens of a span made of hyphen-joined single words."""
    toks = list(doc[r.ts:r.te])
    if len(toks) < 3 or len(toks) % 2 == 0:
        return None
    if all(t.text in HYPHENS for t in toks[1::2]) and all(t.is_alpha and t.text[:1].isupper() for t in toks[::2]):
        return [(r.ts + k, r.ts + k + 1) for k in range(0, len(toks), 2)]
    return None


# ---------------------------------------------------------------- titles


def _absorb_title(doc, r: _Raw, place_at: dict[int, _Raw]) -> None:
    """Walk back from a person's name over role words: "US Secretary of State" / "PRC State Councilor and"."""
    ts = titles()
    j, start, head = r.ts - 1, r.ts, False
    while j >= 0:
        low = _low(doc[j])
        dep = _department_before(doc, j)
        if dep is not None:
            start, j = dep - 1, dep - 2  # "State" of "Secretary of State"; "of" taken too
            continue
        if low in ts.words:
            head |= low in ts.heads
            start, j = j, j - 1
            continue
        if low == "-" and j > 0 and not doc[j].whitespace_ and not doc[j - 1].whitespace_ \
                and _low(doc[j - 1]) in ts.words and start < r.ts:  # "Secretary-General"
            start, j = j, j - 1
            continue
        if low == "and" and j > 0 and _low(doc[j - 1]) in ts.heads and start < r.ts:
            start, j = j, j - 1
            continue
        place = place_at.get(j)
        if head and place is not None and place.label in ("GPE", "NORP") and country_of(doc[place.ts:place.te].text):
            start, j = place.ts, place.ts - 1
            continue
        break
    # the title starts with a head or modifier, never with "and"/"of"
    while start < r.ts and _low(doc[start]) in ("and", "of"):
        start += 1
    if head and start < r.ts:
        r.title_ts = start
        r.person_cue = True


# ---------------------------------------------------------------- capitals

LOCATIVE = {"in", "to", "from", "at", "into", "near", "outside", "inside", "around", "across", "through", "via",
            "toward", "towards", "within", "throughout", "over", "onto", "out", "above", "beyond", "past", "until"}
MOVEMENT = {"visit", "leave", "reach", "travel", "arrive", "enter", "tour", "involve", "include", "host",
            "bomb", "attack", "shell", "strike", "hit", "capture", "besiege", "fly", "land", "return"}
GOV_NOUNS = {"official", "officials", "authorities", "government", "leadership", "administration", "ties",
             "relations", "relationship", "talks", "regime", "policy", "stance", "position", "leaders", "envoy"}
PLACE_NOUNS = {"street", "streets", "airport", "skyline", "residents", "outskirts", "centre", "center", "district",
               "suburbs", "hotel", "office", "offices", "embassy", "university", "mayor", "police", "citizens"}


def capital_acts(span) -> bool:
    """True when a capital stands for its government (it acts or is addressed) rather than for the place."""
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i != tok.i:  # "Beijing and Washington": judged by the first
        tok = tok.head
    dep, head = tok.dep_, tok.head
    if dep in ("nsubj", "nsubjpass", "agent"):
        return True
    if dep == "poss":
        return head.lemma_.lower() not in PLACE_NOUNS
    if dep == "pobj":
        prep = _low(head)
        if prep == "between":
            return True
        if prep in LOCATIVE or (prep == "with" and _low(head.head) in ("along", "together")):
            return False
        return not (prep == "by" and head.head.lemma_ in ("travel", "go"))
    if dep == "dobj":
        return head.lemma_.lower() not in MOVEMENT
    if dep in ("compound", "nmod", "amod"):
        return head.lemma_.lower() in GOV_NOUNS
    return False


# ---------------------------------------------------------------- in-document resolution


# verbs only people do: a place-tagged unknown word as their subject is a person ("Blinken met reporters")
PERSON_VERBS = {"meet", "speak", "travel", "fly", "arrive", "visit", "tell", "dial", "stress", "emphasize",
                "emphasise", "phone", "telephone", "smile", "resign"}


def _person_by_verb(doc, r: _Raw) -> None:
    """A single unknown word tagged GPE/LOC that meets, speaks or travels is voted a person."""
    tok = doc[r.ts]
    if r.label in ("GPE", "LOC") and r.te - r.ts == 1 and tok.dep_ == "nsubj" \
            and tok.head.lemma_.lower() in PERSON_VERBS and country_of(tok.text) is None:
        r.label = "PERSON"


def _ground(doc, r: _Raw, surnames: set[str]) -> None:
    """Countries, codes, demonyms and capitals get their type and canonical name from the gazetteer."""
    if r.label == "PERSON" and r.person_cue:
        return
    text = doc[r.ts:r.te].text
    g, key = gazetteer(), _norm(text)
    if text in surnames:  # "Washington" where the document names George Washington
        return
    if key in g.demonyms and (r.label == "NORP" or country_name(text) is None):
        r.label, r.canonical, r.fixed = "NORP", g.demonyms[key][1], True
    elif (country := country_name(text)) is not None:
        r.label, r.canonical, r.fixed = "GPE", country, True
    elif key in g.capitals:
        country, city = g.capitals[key]
        r.label, r.fixed = "GPE", True
        r.canonical = country if capital_acts(doc[r.ts:r.te]) else city


def _initials(tokens) -> str:
    """Acronym of a multi-word name: "People’s Liberation Army" -> "PLA"."""
    return "".join(t.text[0] for t in tokens if t.text[:1].isupper() and t.text not in POSSESSIVE)


def _resolve_in_doc(doc, raws: list[_Raw]) -> None:
    """Surnames join full names, acronyms join organisations, then every canonical group votes its type."""
    fulls = {doc[r.ts:r.te].text: (doc[r.ts].text, doc[r.te - 1].text)
             for r in raws if r.label == "PERSON" and r.te - r.ts > 1 and not r.fixed}
    by_last, by_first = {}, {}
    for full, (first, last) in fulls.items():
        by_last.setdefault(last, set()).add(full)
        by_first.setdefault(first, set()).add(full)
    orgs = {}
    for r in raws:
        if r.label == "ORG" and r.te - r.ts > 1:
            orgs.setdefault(_initials(doc[r.ts:r.te]), set()).add(doc[r.ts:r.te].text)
    # "Islamic State (ISIS)": an acronym in brackets right after a name is that name's
    ends = {r.te: r for r in raws if r.te - r.ts > 1 and r.label in ("ORG", "FAC", "GPE", "LOC")}
    for r in raws:
        named = ends.get(r.ts - 1)
        if named and r.te - r.ts == 1 and doc[r.ts - 1].text == "(" and r.te < len(doc) \
                and doc[r.te].text == ")" and doc[r.ts].text.isupper():
            orgs[doc[r.ts].text.replace(".", "")] = {doc[named.ts:named.te].text}
    for r in raws:
        if r.canonical is not None:
            continue
        text = doc[r.ts:r.te].text
        if r.te - r.ts == 1:
            cands = by_last.get(text) or by_first.get(text) or set()
            if len(cands) == 1 and text not in fulls:
                r.canonical, r.label = next(iter(cands)), "PERSON"
                continue
            if _CODE.match(text) and len(orgs.get(text.replace(".", ""), ())) == 1:
                r.canonical, r.label = next(iter(orgs[text.replace(".", "")])), "ORG"
                continue
        r.canonical = re.sub(r"\s+", " ", text)
    _vote(raws)


def _vote(raws: list[_Raw]) -> None:
    """One type per canonical name: PERSON on any person cue, else the majority label."""
    groups: dict[str, list[_Raw]] = {}
    for r in raws:
        if not r.fixed and r.label != "EVENT":
            groups.setdefault(r.canonical, []).append(r)
    for group in groups.values():
        if any(r.person_cue or r.label == "PERSON" and r.canonical.count(" ") for r in group):
            label = "PERSON"
        else:
            counts = {}
            for r in group:
                counts[r.label] = counts.get(r.label, 0) + 1
            label = min(counts, key=lambda lb: (-counts[lb], TYPE_ORDER.index(lb)))
        for r in group:
            r.label = label


# ---------------------------------------------------------------- public API


def entity_mentions(doc, doc_id: str) -> list[EntityMention]:
    """Every named-entity mention of a parsed document, repaired, typed and resolved in-document.

    Returns the mentions sorted by offset; ``start``/``end`` cover the name only, ``text`` the title and name.
    """
    covered = bytearray(len(doc))
    raws: list[_Raw] = []
    for ent in doc.ents:
        covered[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
        if ent.label_ in KEPT:
            raws += _repair(doc, ent.start, ent.end, ent.label_)
    raws += _titled_persons(doc, covered)
    raws += _untagged_countries(doc, covered)
    raws = _split_hyphenated(doc, sorted(raws, key=lambda r: (r.ts, r.te)))
    place_at = {r.te - 1: r for r in raws if r.label in ("GPE", "NORP")}
    for r in raws:
        if r.label == "PERSON" or r.te - r.ts == 1 and not country_of(doc[r.ts].text):
            _absorb_title(doc, r, place_at)
    surnames = {doc[r.te - 1].text for r in raws if r.label == "PERSON" and r.te - r.ts > 1}
    for r in raws:
        _ground(doc, r, surnames)
        if not r.fixed:
            _person_by_verb(doc, r)
    _resolve_in_doc(doc, raws)
    text = doc.text  # built on each access: read once
    return sorted((_to_mention(doc, text, doc_id, r) for r in raws), key=lambda m: (m.start, m.end))


def _to_mention(doc, text: str, doc_id: str, r: _Raw) -> EntityMention:
    start, end = doc[r.ts].idx, doc[r.te - 1].idx + len(doc[r.te - 1].text)
    first = doc[r.title_ts].idx if r.title_ts is not None else start
    surface = doc[r.prefix_ts].idx if r.prefix_ts is not None else first
    title = re.sub(r"\s+", " ", text[first:start]).strip() or None
    return EntityMention(doc=doc_id, start=start, end=end, text=re.sub(r"\s+", " ", text[surface:end]),
                         name=re.sub(r"\s+", " ", text[start:end]), type=r.label, canonical=r.canonical,
                         title=title)


_INDEX: dict[int, tuple[object, list[int]]] = {}


def mention_at(mentions, start_char: int, end_char: int) -> EntityMention | None:
    """The mention overlapping the character span [start_char, end_char), or None.

    Mentions must be sorted by start (as ``entity_mentions`` returns them); the sorted starts are cached per
    sequence so each look-up is a bisection. Of nested mentions ("G20" inside "G20 Summit") the one with the
    largest overlap wins, then the shortest.
    """
    cached = _INDEX.get(id(mentions))
    if cached is None or cached[0] is not mentions or len(cached[1]) != len(mentions):
        if len(_INDEX) > 256:
            _INDEX.clear()
        cached = _INDEX[id(mentions)] = (mentions, [m.start for m in mentions])
    starts = cached[1]
    best, best_key = None, None
    i = bisect.bisect_left(starts, end_char) - 1
    while i >= 0 and starts[i] > start_char - 400:  # no name is longer than 400 characters
        m = mentions[i]
        overlap = min(m.end, end_char) - max(m.start, start_char)
        if overlap > 0 or (overlap == 0 and start_char == end_char == m.start):
            key = (overlap, -(m.end - m.start))
            if best_key is None or key > best_key:
                best, best_key = m, key
        i -= 1
    return best
