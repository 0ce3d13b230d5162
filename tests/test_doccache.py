"""The per-document caches give exactly spaCy's answers, and the trigger prefilter drops no trigger."""
import pytest

from kg import events
from kg.doccache import (char_bounds, children, dep_labels, doc_text, ent_table, lemma_set, lower_lemmas, memo,
                         sent_at, sent_of, span_text, token_idx, token_lows, token_texts)

TEXT = ("Foreign Minister Lena Okafor spoke to her counterpart by phone on Tuesday.\n\n"
        "The two ministers called off the talks planned for May, officials said. "
        "They will meet in Accra next week, and the visit follows a summit held in Oslo.")


def test_answers_are_spacys(nlp):
    doc = nlp(TEXT)
    assert doc_text(doc) == doc.text
    assert token_texts(doc) == [t.text for t in doc]
    assert lower_lemmas(doc) == [t.lemma_.lower() for t in doc]
    assert lemma_set(doc) == {t.lemma_.lower() for t in doc}
    assert token_idx(doc) == [t.idx for t in doc]
    assert dep_labels(doc) == [t.dep_ for t in doc]
    assert "nsubj" in dep_labels(doc)
    assert ent_table(doc) == tuple((e.start, e.end, e.label_, e.start_char, e.end_char) for e in doc.ents)
    assert ("Lena Okafor", "PERSON") in {(TEXT[s:e], label) for _, _, label, s, e in ent_table(doc)}
    for tok in doc:
        expected = tok.sent
        assert (sent_of(tok).start, sent_of(tok).end) == (expected.start, expected.end)
        assert (sent_at(doc, tok.i).start, sent_at(doc, tok.i).end) == (expected.start, expected.end)


def test_children_and_bounds_are_spacys_and_a_memo_is_the_documents_own(nlp):
    doc = nlp(TEXT)
    for tok in doc:
        assert [c.i for c in children(tok)] == [c.i for c in tok.children]
        assert children(tok) is children(tok)  # made once per document
        assert char_bounds(doc, tok.i, len(doc)) == (doc[tok.i:].start_char, doc[tok.i:].end_char)
    assert any(len(children(tok)) >= 3 for tok in doc)
    memo("m", doc)["x"] = 1
    assert memo("m", doc) == {"x": 1}
    other = nlp("Talks resumed.")
    assert memo("m", other) == {} and [c.text for c in children(other[1])] == ["Talks", "."]


def test_span_texts_and_lowered_tokens_are_spacys(nlp):
    # double spaces, a paragraph break, a typographic possessive and a trailing space: every slice, in and out of range
    doc = nlp("Mr.  Blinken\u2019s CALL with Qin ,\n\nofficials said. ")
    n = len(doc)
    for start in range(-2, n + 2):
        for end in range(-2, n + 2):
            assert span_text(doc, start, end) == doc[start:end].text, (start, end)
    assert token_lows(doc) == [t.text.lower().replace("\u2019", "'") for t in doc]
    assert "blinken's" not in token_lows(doc) and "call" in token_lows(doc)


def test_a_new_doc_is_not_answered_from_the_last(nlp):
    first, second = nlp("Talks were held in Rome."), nlp("The envoy left Cairo on Monday. She flew home.")
    assert doc_text(first) == "Talks were held in Rome."
    assert doc_text(second) == second.text
    assert [t.text for t in sent_at(second, 8)] == ["She", "flew", "home", "."]


def test_a_doc_without_sentences_raises_like_spacy(nlp):
    doc = nlp.make_doc("No parse here at all")
    with pytest.raises(ValueError):
        sent_at(doc, 1)


def test_trigger_prefilter_keeps_every_trigger(nlp):
    doc = nlp(TEXT)
    ctx = events._Doc(doc, "d", [], [], None, events.load_lexicon(), None)
    everything = [(t.i, spec) for t in doc if (spec := events._trigger(ctx, t))]
    candidates = [(t.i, spec) for t in events._trigger_candidates(ctx) if (spec := events._trigger(ctx, t))]
    assert candidates == everything
    # called (off), talks, said, meet, visit, summit
    assert [(doc[i].text, spec["type"]) for i, spec in everything] == [
        ("called", "cancellation"), ("talks", "meeting"), ("said", "statement"), ("meet", "meeting"),
        ("visit", "visit"), ("summit", "meeting")]
