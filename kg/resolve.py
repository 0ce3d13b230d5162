"""Cross-document entity resolution (reduce phase): one Entity per real-world entity.

Input is each document's mentions, already resolved in-document (``EntityMention.canonical``). Documents are
joined by blocking keys, never by comparing all pairs:

1. the normalised canonical name ("U.S. State Department" ~ "US State Department"), whatever the per-document
   type (spaCy calls "Blinken" a GPE in some documents: the type is decided later, by vote);
2. user aliases (``load_aliases``): every alias of one canonical name lands on it;
3. surnames: a document that only says "Blinken" joins "Antony Blinken" when exactly one known full person
   name ends (or, for family-name-first names such as "Qin Gang", starts) with it;
4. acronyms: a lone "PLA" joins the one organisation another document wrote it for.

The result is independent of the order of documents: every step works on sets, and ties are broken by name.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import replace
from collections.abc import Iterable, Sequence
from pathlib import Path

from .entities import TYPE_ORDER, country_of
from .errors import InputError
from .records import Entity, EntityMention

LocalKey = tuple[str, str, str]  # (doc id, canonical, type)


_THE = re.compile(r"^the\s+")
_POSS = re.compile(r"'s\b")
_SPACES = re.compile(r"[\s\-]+")


def _fold(name: str) -> str:
    """Case and accents folded: "Élysée" -> "elysee", as outlets write a name with or without them."""
    s = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in s if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1 << 16)
def norm(name: str) -> str:
    """Blocking key of a name: case, accents, apostrophes, dots, hyphens and a leading "the" do not matter."""
    s = _fold(name.replace("’", "'").replace("‘", "'")).strip()
    s = _POSS.sub("", _THE.sub("", s)).replace(".", "")
    return _SPACES.sub(" ", s).strip(" ,")


def slug(name: str) -> str:
    """ASCII slug of a name: "People’s Liberation Army" -> "peoples-liberation-army"."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"['’.]", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


class _Sets:
    """Union-find over local keys; the root of a set is its smallest key, so merging is order-free."""

    def __init__(self, keys: Iterable[LocalKey]):
        self.parent = {k: k for k in keys}

    def find(self, k: LocalKey) -> LocalKey:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: LocalKey, b: LocalKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[LocalKey, list[LocalKey]]:
        out: dict[LocalKey, list[LocalKey]] = {}
        for k in sorted(self.parent):
            out.setdefault(self.find(k), []).append(k)
        return out


def _collect(doc_mentions) -> dict[LocalKey, list[EntityMention]]:
    """Mentions grouped by their document-level key."""
    local: dict[LocalKey, list[EntityMention]] = {}
    for doc_id, mentions in doc_mentions:
        for m in mentions:
            local.setdefault((doc_id, m.canonical, m.type), []).append(m)
    return local


def _join_by_name(sets: _Sets, local, aliases: dict[str, str]) -> None:
    """Blocks 1 and 2: the same normalised name, or names the user declared aliases of one canonical."""
    first: dict[str, LocalKey] = {}
    for key in sorted(local):
        names = {norm(key[1])}
        if aliases:
            names |= {norm(m.name) for m in local[key]} | {norm(m.text) for m in local[key]}
        blocks = {norm(key[1])} | {"alias:" + aliases[n] for n in names if n in aliases}
        for b in blocks:
            if b in first:
                sets.union(first[b], key)
            else:
                first[b] = key


def _is_person_cue(m: EntityMention) -> bool:
    return m.type == "PERSON" and (" " in m.name.strip() or bool(m.title))


def _vote_type(mentions: Sequence[EntityMention]) -> str:
    """PERSON when any mention is a multi-token person name or has a title; else the majority type."""
    if any(_is_person_cue(m) for m in mentions):
        return "PERSON"
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.type] = counts.get(m.type, 0) + 1
    return min(counts, key=lambda t: (-counts[t], TYPE_ORDER.index(t) if t in TYPE_ORDER else 99, t))


def _join_surnames(sets: _Sets, local) -> None:
    """Block 3: a lone surname joins the one full person name ending (else starting) with it."""
    groups = sets.groups()
    types = {root: _vote_type([m for k in keys for m in local[k]]) for root, keys in groups.items()}
    by_last: dict[str, set] = {}
    by_first: dict[str, set] = {}
    by_both: dict[tuple[str, str], LocalKey] = {}
    for root, keys in groups.items():
        if types[root] != "PERSON":
            continue
        for _, canonical, _ in keys:
            toks = _fold(canonical).split()
            if len(toks) > 1:
                # "Joe Biden" and "Joe R. Biden": the same first and last name is one person
                if (toks[0], toks[-1]) in by_both:
                    sets.union(root, by_both[(toks[0], toks[-1])])
                by_both.setdefault((toks[0], toks[-1]), root)
                by_last.setdefault(toks[-1], set()).add(root)
                by_first.setdefault(toks[0], set()).add(root)
    by_last = {k: {sets.find(r) for r in v} for k, v in by_last.items()}
    by_first = {k: {sets.find(r) for r in v} for k, v in by_first.items()}
    for root, keys in groups.items():
        names = {k[1] for k in keys}
        # the model tags foreign surnames as places, never as organisations: "Apple" is no Fiona Apple
        if any(" " in n for n in names) or types[root] not in ("PERSON", "GPE", "LOC"):
            continue
        for name in sorted(names):
            if country_of(name) or name.isupper():  # places and acronyms are not surnames
                continue
            key = _fold(name)
            cands = (by_last.get(key) or by_first.get(key) or set()) - {sets.find(root)}
            if len(cands) == 1:
                sets.union(root, next(iter(cands)))


def _join_acronyms(sets: _Sets, local) -> None:
    """Block 4: a lone acronym joins the one multi-word organisation some document used it for."""
    groups = sets.groups()
    written_for: dict[str, set] = {}
    for root, keys in groups.items():
        for key in keys:
            if " " not in key[1]:
                continue
            for m in local[key]:
                if m.name.isupper() and " " not in m.name:
                    written_for.setdefault(norm(m.name), set()).add(root)
    for root, keys in groups.items():
        names = {k[1] for k in keys}
        if len(names) != 1:
            continue
        name = next(iter(names))
        cands = written_for.get(norm(name), set()) - {root}
        if name.isupper() and " " not in name and len(cands) == 1:
            sets.union(root, next(iter(cands)))


def _entity_name(keys: list[LocalKey], local, typ: str, user: str | None) -> str:
    """The display name: the user's canonical, else (for people) a full name, the most mentioned, the longest."""
    if user:
        return user
    count: dict[str, int] = {}
    for k in keys:
        count[k[1]] = count.get(k[1], 0) + len(local[k])
    return min(count, key=lambda n: (-(typ == "PERSON" and " " in n), -count[n], -len(n), n))


def _assign_ids(entities: list[tuple[str, str, list[LocalKey]]]) -> list[str]:
    """Stable slug ids; a type suffix only where names of different types share a slug."""
    by_slug: dict[str, list[int]] = {}
    for i, (name, typ, _) in enumerate(entities):
        by_slug.setdefault(slug(name), []).append(i)
    ids = [""] * len(entities)
    for s, idx in by_slug.items():
        typed = len({entities[i][1] for i in idx}) > 1
        seen: dict[str, int] = {}
        for i in sorted(idx, key=lambda i: (entities[i][1], entities[i][0], entities[i][2][0])):
            base = f"ent-{s}-{entities[i][1].lower()}" if typed else f"ent-{s}"
            seen[base] = seen.get(base, 0) + 1
            ids[i] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return ids


def resolve_entities(doc_mentions: Iterable[tuple[str, Sequence[EntityMention]]],
                     aliases: dict | None = None) -> tuple[list[Entity], dict[LocalKey, str]]:
    """Resolve entity mentions across documents into Entities.

    Parameters: ``doc_mentions`` (doc id, that document's mentions) pairs, in any order; ``aliases`` an
    optional {canonical name: [alias, ...]} table (see ``load_aliases``).
    Returns the entities sorted by id and the map (doc id, canonical, type) -> entity id.
    """
    local = _collect(doc_mentions)
    user = {}
    for canonical, names in sorted((aliases or {}).items()):
        for a in [canonical, *names]:
            user.setdefault(norm(a), canonical)
    sets = _Sets(local)
    _join_by_name(sets, local, user)
    _join_surnames(sets, local)
    _join_acronyms(sets, local)
    built = []
    for root, keys in sets.groups().items():
        mentions = [m for k in keys for m in local[k]]
        typ = _vote_type(mentions)
        own = sorted({user[norm(k[1])] for k in keys if norm(k[1]) in user}
                     | {user[norm(m.name)] for m in mentions if norm(m.name) in user}) if user else []
        built.append((_entity_name(keys, local, typ, own[0] if own else None), typ, keys))
    built, demonyms = _fold_demonyms(built)
    ids = _assign_ids(built)
    entities, mapping = [], {}
    for eid, (name, typ, keys) in zip(ids, built):
        mentions = [m for k in keys for m in local[k]]
        surfaces = {s for m in mentions for s in (m.text, m.name)}
        entities.append(Entity(id=eid, name=name, type=typ, aliases=tuple(sorted(surfaces)),
                               mentions=len(mentions), docs=tuple(sorted({k[0] for k in keys}))))
        mapping.update({k: eid for k in keys})
    by_name = {(e.name, e.type): i for i, e in enumerate(entities)}
    for country, keys in demonyms.items():
        i = by_name[(country, "GPE")]
        mapping.update({k: entities[i].id for k in keys})
        # "the Russian Foreign Ministry" names Russia: the country's node lists the documents of its demonym
        entities[i] = replace(entities[i], docs=tuple(sorted(set(entities[i].docs) | {k[0] for k in keys})))
    _map_demonym_countries(local, entities, mapping)
    return sorted(entities, key=lambda e: e.id), mapping


def _fold_demonyms(built):
    """A demonym ("Chinese") is no node of its own: its keys point at the country's node.

    When the corpus never names the country, the country becomes a node all the same, so that
    "senior Chinese officials" still lands on China.
    Returns the groups without the demonyms, and {country: the demonym keys}.
    """
    countries = {name for name, typ, _ in built if typ == "GPE"}
    kept, demonyms = [], {}
    for name, typ, keys in built:
        key = country_of(name) if typ == "NORP" else None
        if key is None:
            kept.append((name, typ, keys))
            continue
        demonyms.setdefault(key[0], []).extend(keys)
    for country in sorted(set(demonyms) - countries):
        kept.append((country, "GPE", demonyms.pop(country)))
    return kept, demonyms


def _map_demonym_countries(local, entities: list[Entity], mapping: dict[LocalKey, str]) -> None:
    """Let (doc, country, "GPE") resolve in a document that only has the demonym ("Chinese").

    Relations (``nationality``) and event participants name the country of a demonym; when the country is an
    entity of the corpus, the document's key for it points there even if the document never names it.
    """
    countries = {e.name: e.id for e in entities if e.type == "GPE"}
    for doc_id, canonical, typ in sorted(local):
        if typ != "NORP":
            continue
        key = country_of(canonical)
        if key and key[0] in countries:
            mapping.setdefault((doc_id, *key), countries[key[0]])


def load_aliases(path) -> dict[str, list[str]]:
    """Read a {canonical name: [alias, ...]} table from JSON (or YAML when PyYAML is installed)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read the aliases file {p}: {err.strerror}") from err
    if p.suffix.lower() in (".yml", ".yaml"):
        try:
            import yaml
        except ImportError as err:
            raise InputError(f"{p} is YAML but PyYAML is not installed; `pip install pyyaml` "
                             "or give the aliases as JSON") from err
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise InputError(f"{p} is not valid YAML: {err}") from err
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"{p} is not valid JSON ({err.msg} at line {err.lineno}); expected "
                             '{"canonical name": ["alias", ...]}') from err
    if not isinstance(data, dict):
        raise InputError(f'{p} must map canonical names to alias lists: {{"canonical name": ["alias", ...]}}')
    out = {}
    for canonical, names in data.items():
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InputError(f"{p}: the aliases of {canonical!r} must be a list of strings")
        out[str(canonical)] = list(names)
    return out
