"""The pipeline kg loads: the attribute ruler's indexed matching gives spaCy's own annotations."""
import pytest

from kg.nlp import IndexedRules

# News sentences we wrote, with the forms the ruler's exceptions are about: contractions, "gonna",
# "y'all", pronoun cases, expletive "there", auxiliaries used as verbs, spaces and punctuation.
TEXTS = [
    "Foreign Minister Qin Gang told Blinken on Sunday that the U.S. \"ain't going to\" change China's mind.",
    "\"I'm gonna call him tomorrow,\" she said. \"Y'all know it, and we've got to move.\"",
    "There were two calls last week; it is what it is, an official said. Did they have a deal? They did.",
    "The talks  were postponed\n\nafter the balloon was spotted (officials said) -- and nothin' changed.",
    "Let's see what happens, he told reporters in Brasilia, where he had done 'em all.",
]


@pytest.fixture(scope="module")
def parsed(nlp):
    """The texts up to the attribute ruler (tagged and parsed), and the ruler."""
    ruler = nlp.get_pipe("attribute_ruler")
    before = nlp.pipe_names[:nlp.pipe_names.index("attribute_ruler")]
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe(TEXTS))
    return docs, ruler


def test_the_default_pipeline_is_loaded_once(nlp):
    from kg.nlp import default_model, load_model

    assert load_model() is load_model(None) is load_model(default_model()) is nlp


def test_the_loaded_ruler_is_indexed(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match.__self__, IndexedRules)
    assert len(ruler.match.__self__.rules) >= len(ruler.attrs) > 100


def test_indexed_matches_are_the_matchers(parsed):
    docs, ruler = parsed
    stock = type(ruler).match  # the Matcher's answer
    for doc in docs:
        assert ruler.match(doc) == sorted(set(stock(ruler, doc)))
    # the two-token exceptions are among them: "ai" + "n't", "gon" + "na", expletive "there" + "were"
    keys = {(doc[s:e].text.lower()) for doc in docs for _, _, s, e in ruler.match(doc) if e - s == 2}
    assert {"ain't", "gonna", "there were"} <= keys


def test_whole_pipeline_annotations_unchanged(nlp):
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
    from kg.nlp import _load, default_model

    stock_nlp = _load.__wrapped__(default_model())  # a second copy, given back its Matcher
    del stock_nlp.get_pipe("attribute_ruler").match
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
    for ours, theirs in zip(nlp.pipe(TEXTS), stock_nlp.pipe(TEXTS)):
        assert ours.to_array(attrs).tolist() == theirs.to_array(attrs).tolist()
        assert [str(t.morph) for t in ours] == [str(t.morph) for t in theirs]
    doc = nlp(TEXTS[0])
    assert [t.lemma_ for t in doc if t.text == "ai"] == ["be"]  # the ruler's exception was applied


def test_a_ruler_with_operators_keeps_its_matcher(nlp):
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "prime"}, {"LOWER": "minister", "OP": "?"}]], {"LEMMA": "premier"})
    assert IndexedRules.compile(ruler) is None
    IndexedRules.install(ruler)
    assert "match" not in vars(ruler)


def test_a_ruler_without_operators_is_indexed_and_agrees(nlp):
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": {"IN": ["talks", "call"]}}, {"TAG": "VBD"}]], {"LEMMA": "X"})
    ruler.add([[{"TAG": "NNP"}]], {"MORPH": "Number=Sing"})
    ruler.add([[{"LOWER": {"REGEX": "^post"}}]], {"LEMMA": "Y"}, index=0)
    ruler.add([[{"DEP": "nsubj", "LOWER": {"NOT_IN": ["he", "she"]}}]], {"LEMMA": "Z"})
    stock = type(ruler).match
    IndexedRules.install(ruler)
    assert "match" in vars(ruler)
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        docs = list(nlp.pipe(TEXTS + ["The talks collapsed and Brazil postponed the visit; Lula spoke."]))
    found = [ruler.match(d) for d in docs]
    assert found == [sorted(set(stock(ruler, d))) for d in docs]
    assert any(e - s == 2 for f in found for _, _, s, e in f)  # "talks collapsed"
