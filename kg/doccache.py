"""Per-document answers the extractors share, computed once per Doc instead of once per question.

spaCy answers "which sentence holds this token" by walking the whole document (Span.sent checks
has_annotation, which reads every token), and joins every token's text on each ``doc.text``; the
extractors ask these for every event and mention. The answers for the Doc being extracted are kept
here, for the last Doc only (the pipeline extracts one Doc at a time; holding it keeps its id
unique), not in doc.user_data, which is serialised with the Doc and must stay plain. This module
does not import spaCy at import time: the query commands import the extractors' helpers without it.

The getters the extractors call in their inner loops (a few hundred thousand times per thousand documents)
read the current document's answer themselves before falling back on _per_doc: one function call
instead of two.
"""
from __future__ import annotations

import bisect

_DOC = None  # the document the answers are for (the last one asked about)
_ANSWERS: dict = {}  # name -> answer, for _DOC


def _per_doc(name: str, doc, compute):
    """``compute(doc)``, once per document."""
    global _DOC, _ANSWERS
    if doc is not _DOC:
        _DOC, _ANSWERS = doc, {}
    answers = _ANSWERS
    value = answers.get(name)
    if value is None:
        value = answers[name] = compute(doc)
    return value


def memo(name: str, doc) -> dict:
    """A dict kept for the current document only: where an extractor keeps answers it is asked again."""
    return _per_doc("memo:" + name, doc, lambda d: {})


def sent_at(doc, i: int):
    """The sentence holding token ``i``: the same Span as ``doc[i].sent``, from a per-document table."""
    table = _per_doc("sents", doc, _sentence_table)
    if table is None:  # sentence hooks, or no sentence boundaries: spaCy's own answer (or its error)
        return doc[i:i + 1].sent
    starts, sents = table
    return sents[bisect.bisect_right(starts, i) - 1]


def sent_of(tok):
    """``tok.sent`` from the per-document table (see :func:`sent_at`)."""
    return sent_at(tok.doc, tok.i)


def _sentence_table(doc) -> tuple[list[int], list] | None:
    if doc.user_hooks or doc.user_span_hooks or doc.user_token_hooks or not doc.has_annotation("SENT_START"):
        return None
    sents = list(doc.sents)
    return [s.start for s in sents], sents


def doc_text(doc) -> str:
    """``doc.text``, joined once per document (spaCy joins every token's text on each access)."""
    return _per_doc("text", doc, _doc_text)


def _doc_text(doc) -> str:
    from spacy.attrs import SPACY

    texts = token_texts(doc)
    if not texts:
        return doc.text
    return "".join(t + " " if space else t for t, space in zip(texts, doc.to_array(SPACY).tolist()))


def token_texts(doc) -> list[str]:
    """Every token's ``text``, read once per document from the token array (no Token objects made)."""
    value = _ANSWERS.get("texts") if doc is _DOC else None
    return value if value is not None else _per_doc("texts", doc, _token_texts)


def _token_texts(doc) -> list[str]:
    from spacy.attrs import ORTH

    strings = doc.vocab.strings
    return [strings[h] for h in doc.to_array(ORTH).tolist()] if len(doc) else []


def span_text(doc, start: int, end: int) -> str:
    """``doc[start:end].text``, cut from the document's text by the token offsets (no Span made)."""
    bounds = _ANSWERS.get("bounds") if doc is _DOC else None
    starts, ends, text = bounds if bounds is not None else _bounds(doc)
    if not 0 <= start < end <= len(starts):  # empty or out-of-range slices: spaCy's own rules
        return doc[start:end].text
    return text[starts[start]:ends[end - 1]]


def char_bounds(doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the tokens ``start`` to ``end`` (exclusive, non-empty): ``doc[start:end]``'s
    ``start_char`` and ``end_char``, from the per-document tables."""
    starts, ends, _ = _bounds(doc)
    return starts[start], ends[end - 1]


def _bounds(doc) -> tuple[list[int], list[int], str]:
    """Every token's first and past-the-end character offsets, and the document's text: one look-up
    for the span helpers, which the extractors call a hundred thousand times per thousand documents."""
    return _per_doc("bounds", doc, _bounds_table)


def _bounds_table(doc) -> tuple[list[int], list[int], str]:
    starts = token_idx(doc)
    return starts, [i + len(t) for i, t in zip(starts, token_texts(doc))], doc_text(doc)


def _token_idx(doc) -> list[int]:
    from spacy.attrs import IDX

    return doc.to_array(IDX).tolist() if len(doc) else []


def token_lows(doc) -> list[str]:
    """Every token's text lower-cased, with the typographic apostrophe made plain (see entities._low)."""
    value = _ANSWERS.get("lows") if doc is _DOC else None
    return value if value is not None else _per_doc("lows", doc, _token_lows)


def _token_lows(doc) -> list[str]:
    return [t.lower().replace("’", "'") for t in token_texts(doc)]


def lower_lemmas(doc) -> list[str]:
    """Every token's ``lemma_.lower()``, read once per document from the token array."""
    value = _ANSWERS.get("lemmas") if doc is _DOC else None
    return value if value is not None else _per_doc("lemmas", doc, _lower_lemmas)


def tokens_with_lemma(doc, lemmas):
    """The tokens whose lower-cased lemma is in ``lemmas``, in order (no Token made for the others)."""
    return (doc[i] for i, lemma in enumerate(lower_lemmas(doc)) if lemma in lemmas)


def lemma_set(doc) -> frozenset[str]:
    """The document's lower-cased lemmas: a cheap test that a rule keyed on a lemma can fire at all."""
    return _per_doc("lemma_set", doc, lambda d: frozenset(lower_lemmas(d)))


def _lower_lemmas(doc) -> list[str]:
    from spacy.attrs import LEMMA

    return _attr_strings(doc, LEMMA, str.lower)


def _attr_strings(doc, attr: int, transform=None) -> list[str]:
    """Every token's string value of one attribute, each distinct value looked up (and transformed) once."""
    strings = doc.vocab.strings
    hashes = doc.to_array(attr).tolist() if len(doc) else []  # one attribute: a 1-D array
    named = {h: transform(strings[h]) if transform else strings[h] for h in set(hashes)}
    return [named[h] for h in hashes]


def ent_table(doc) -> tuple[tuple[int, int, str, int, int], ...]:
    """``(start, end, label, start_char, end_char)`` of every entity in ``doc.ents``, read once per document
    (spaCy makes every entity's Span again on each access to ``doc.ents``)."""
    return _per_doc("ents", doc, lambda d: tuple((e.start, e.end, e.label_, e.start_char, e.end_char) for e in d.ents))


def token_idx(doc) -> list[int]:
    """Every token's character offset (``token.idx``), read once per document from the token array."""
    value = _ANSWERS.get("idx") if doc is _DOC else None
    return value if value is not None else _per_doc("idx", doc, _token_idx)


def dep_labels(doc) -> list[str]:
    """Every token's dependency label (``token.dep_``), read once per document from the token array."""
    value = _ANSWERS.get("deps") if doc is _DOC else None
    return value if value is not None else _per_doc("deps", doc, _dep_labels)


def _dep_labels(doc) -> list[str]:
    from spacy.attrs import DEP

    return _attr_strings(doc, DEP)


def children(tok) -> tuple:
    """``tuple(tok.children)``, from a per-document table: spaCy finds a token's children by walking its whole
    subtree span on each access and makes new Token objects each time; the extractors ask a hundred times per
    event. Each token's children are made once per document."""
    doc = tok.doc
    table = _ANSWERS.get("children") if doc is _DOC else None  # the common case, without a call
    if table is None:
        table = _per_doc("children", doc, _children_table)
    i = tok.i
    kids = table[i]
    if kids.__class__ is list:  # indices until first asked for
        kids = table[i] = tuple([doc[j] for j in kids])
    return kids


def _children_table(doc) -> list:
    from spacy.attrs import HEAD

    kids: list = [[] for _ in range(len(doc))]
    if len(doc):
        for j, offset in enumerate(doc.to_array(HEAD).astype("int64").tolist()):  # offsets to the head
            if offset:
                kids[j + offset].append(j)
    return kids
