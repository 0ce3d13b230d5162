"""The pipeline: the only module that knows the order of the stages.

map (per document):   Article -> Doc -> times, entity mentions, event mentions, relations (DocResult)
reduce (all docs):    entity resolution -> event merging -> relations -> KnowledgeGraph

``extract`` is the map for one parsed document and ``reduce`` the deterministic
reduce; ``build`` streams articles through ``nlp.pipe`` and calls both. Other
engines call the same two functions.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from . import entities as _entities
from . import events as _events
from . import relations as _relations
from . import resolve as _resolve
from . import temporal as _temporal
from .graph import KnowledgeGraph, build_graph
from .ingest import clean_text, iter_articles, parse_date
from .merge import merge_events, resolve_participants, resolve_relations
from .nlp import load_model
from .records import Article, DocResult, Skipped

BATCH_SIZE = 32


@dataclass
class BuildReport:
    """What a build read, skipped and produced: the CLI's summary line."""

    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)  # doc id -> given|metadata|inferred|none
    seconds: float = 0.0

    def summary(self, g: KnowledgeGraph) -> str:
        span = g.time_span()
        span_text = f"{span[0]} to {span[1]}" if span else "no dated events"
        inferred = sorted(d for d, how in self.references.items() if how == "inferred")
        missing = sorted(d for d, how in self.references.items() if how == "none")
        lines = [f"{self.read} documents read, {len(self.skipped)} skipped; "
                 f"{len(g.entities())} entities, {len(g.events())} events, {len(g.relation_records())} relations; "
                 f"time span {span_text}; {self.seconds:.1f} s"]
        if inferred:
            lines.append(f"reference date inferred from the text for {len(inferred)}: {', '.join(inferred[:10])}")
        if missing:
            lines.append(f"no reference date for {len(missing)} (relative dates left unresolved, e.g. XXXX-06-16; "
                         f"give --published): {', '.join(missing[:10])}")
        for s in self.skipped:
            lines.append(f"skipped {s.id} ({s.path}): {s.reason}")
        return "\n".join(lines)


def extract(doc, article: Article, lexicon: dict | None = None) -> DocResult:
    """The map phase for one parsed document: every mention, as plain records."""
    reference, how = article.published, "given"
    if reference is None:
        reference, confidence = _temporal.infer_reference(doc)
        how = "inferred" if reference is not None else "none"
    times = _temporal.times_from_doc(doc, reference)
    credits = _entities.agency_credits(article.text, article.id)  # read in the raw text: credit lines are blanked
    mentions = _entities.with_credits(_entities.entity_mentions(doc, article.id), credits)
    events, links = _events.extract_events(doc, article.id, mentions, times, reference,
                                           lexicon=lexicon, country_of=_entities.country_of)
    relations = list(_relations.entity_relations(doc, article.id, mentions)) + links
    relations += _relations.credit_relations(article.text, credits, events)
    return DocResult(article=article, reference=reference, reference_source=how, times=tuple(times),
                     entities=tuple(mentions), events=tuple(events), relations=tuple(relations))


def reduce(results: Iterable[DocResult], aliases: dict | None = None, title: str = "kg-timeline") -> KnowledgeGraph:
    """The reduce phase: resolve entities across documents, merge events, build the graph."""
    results = sorted(results, key=lambda r: r.article.id)
    entities, ids = _resolve.resolve_entities(((r.article.id, r.entities) for r in results), aliases=aliases)
    names = {e.id: (e.name, e.type) for e in entities}
    mentions = [resolve_participants(m, ids, names) for r in results for m in r.events]
    mentions = [m for m in mentions if m.participants]
    events, index = merge_events(mentions)
    relations = resolve_relations((rel for r in results for rel in r.relations), ids, index)
    docs = {r.article.id: {"title": r.article.title, "published": r.reference.isoformat() if r.reference else None,
                           "reference": r.reference_source, "url": r.article.url, "source": r.article.source}
            for r in results}
    return KnowledgeGraph(build_graph(entities, events, relations, docs=docs, title=title))


def parse(articles: Iterable[Article], nlp, jobs: int = 1, batch_size: int = BATCH_SIZE) -> Iterator[tuple]:
    """Stream (doc, article) pairs through ``nlp.pipe``; memory is bounded by the batch."""
    texts = ((clean_text(a.text), a) for a in articles)
    n_process = max(1, int(jobs or 1))
    yield from nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process)


def build(paths, published: dt.date | str | None = None, *, model: str | None = None, jobs: int = 1,
          aliases: dict | str | os.PathLike | None = None, triggers: str | None = None,
          into: KnowledgeGraph | None = None, progress: bool | None = None,
          report: BuildReport | None = None, on_skip: Callable[[Skipped], None] | None = None,
          title: str = "kg-timeline", engine: str = "local", client=None, workers: int | None = None) -> KnowledgeGraph:
    """Build a KnowledgeGraph from articles.

    Parameters: ``paths`` files, folders or ``-``; ``published`` the reference
    date for every article (else each record's ``published``, else inferred);
    ``into`` an existing graph to extend; ``progress`` a bar on stderr (default:
    when stderr is a terminal).

    >>> import kg
    >>> g = kg.build(["examples/articles"], published="2023-06-15")  # doctest: +SKIP
    """
    import time

    if engine != "local":  # "dask": client a distributed.Client, an address or None (a LocalCluster of `workers`)
        from .dask_engine import build_on
        return build_on(engine, paths, published, model=model, aliases=aliases, triggers=triggers, into=into,
                        progress=progress, report=report, on_skip=on_skip, title=title, client=client, workers=workers)
    started = time.perf_counter()
    report = report if report is not None else BuildReport()
    if published is not None:
        published = parse_date(published, what="--published")  # a bad date fails before any work
    if isinstance(aliases, (str, os.PathLike)):
        aliases = _resolve.load_aliases(aliases)
    lexicon = _events.load_lexicon(str(triggers)) if triggers else None
    nlp = load_model(model)

    def articles():
        seen = set()
        for item in iter_articles(paths, published):
            if isinstance(item, Skipped):
                report.skipped.append(item)
                if on_skip:
                    on_skip(item)
                continue
            if item.id in seen:  # duplicate ids would merge two documents' provenance
                n = 2
                while f"{item.id}~{n}" in seen:
                    n += 1
                item = replace(item, id=f"{item.id}~{n}")
            seen.add(item.id)
            yield item

    results = list(into.doc_results) if into is not None else []
    bar = _progress(progress)
    for doc, article in parse(articles(), nlp, jobs=jobs):
        results.append(extract(doc, article, lexicon))
        report.read += 1
        report.references[article.id] = results[-1].reference_source
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    if into is not None:  # a document read again replaces its saved version: nothing is counted twice
        results = list({r.article.id: r for r in results}.values())
    g = reduce(results, aliases=aliases, title=title)
    g.doc_results = results
    report.seconds = time.perf_counter() - started
    g.report = report
    return g


def _progress(progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(unit="doc", file=sys.stderr, desc="kg build", leave=False)
