"""The pipeline: the only module that knows the order of the stages.

map (per document):   Article -> Doc -> times, entity mentions, event mentions, relations (DocResult)
reduce (all docs):    entity resolution -> event merging -> relations -> KnowledgeGraph

``extract`` is the map for one parsed document and ``reduce`` the deterministic
reduce; ``build`` streams articles through ``nlp.pipe`` and calls both. Other
engines call the same two functions. Around them: ``admit`` turns the ingest
stream into the articles worth parsing (reporting skipped inputs, duplicates,
other languages), ``parse`` cuts very long texts into pieces, and ``map_docs``
runs ``extract`` per document and joins the pieces' records again.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace

from . import entities as _entities
from . import events as _events
from . import relations as _relations
from . import resolve as _resolve
from . import temporal as _temporal
from .graph import KnowledgeGraph, build_graph
from .errors import InputError
from .ingest import clean_text, date_from_url, iter_articles, language_share, parse_date
from .merge import merge_events, resolve_participants, resolve_relations
from .nlp import load_model
from .records import Article, DocResult, Skipped

BATCH_SIZE = 32  # documents per nlp.pipe batch: memory grows with it, throughput barely after ~16
# Longer texts are parsed and extracted in pieces of at most this many characters, cut at
# paragraph breaks; the pieces' records are joined with their offsets moved to the whole text.
# Parse memory and extraction time (some extractors scan the document per mention) then stay
# those of a normal article whatever the length; a 5 MB text is 500 ordinary pieces.
CHUNK_CHARS = 10_000
MIN_LANGUAGE_SHARE = 0.12  # below this share of the model language's stop words, a text is another language


@dataclass
class BuildReport:
    """What a build read, skipped and produced: the CLI's summary line."""

    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)  # doc id -> given|metadata|inferred|none
    warnings: list[str] = field(default_factory=list)  # "where: message", for documents that were kept
    seconds: float = 0.0
    on_warning: Callable[[str], None] | None = field(default=None, repr=False, compare=False)

    def summary(self, g: KnowledgeGraph) -> str:
        span = g.time_span()
        span_text = f"{span[0]} to {span[1]}" if span else "no dated events"
        inferred = sorted(d for d, how in self.references.items() if how == "inferred")
        missing = sorted(d for d, how in self.references.items() if how == "none")
        lines = [f"{self.read} documents read, {len(self.skipped)} skipped; "
                 f"{len(g.entities())} entities, {len(g.events())} events, {len(g.relation_records())} relations; "
                 f"time span {span_text}; {self.seconds:.1f} s"]
        from_url = sorted(d for d, how in self.references.items() if how == "metadata")
        if from_url:
            lines.append(f"reference date read from the article's address for {len(from_url)}: "
                         f"{', '.join(from_url[:10])}")
        if inferred:
            lines.append(f"reference date inferred from the text for {len(inferred)}: {', '.join(inferred[:10])}")
        if missing:
            lines.append(f"no reference date for {len(missing)} (relative dates left unresolved, e.g. XXXX-06-16; "
                         f"give --published): {', '.join(missing[:10])}")
        for s in self.skipped:
            lines.append(f"skipped {s.id} ({s.path}): {s.reason}")
        return "\n".join(lines)

    def warn(self, where: str, message: str) -> None:
        """Record a warning about a document that is kept (and pass it to ``on_warning``)."""
        line = f"{where}: {message}"
        self.warnings.append(line)
        if self.on_warning:
            self.on_warning(line)

    def skipped_records(self) -> list[dict]:
        """The skipped documents as skipped.jsonl rows: id, path, line (or null) and reason."""
        rows = []
        for s in self.skipped:
            path, line = s.path, None
            head, sep, tail = s.path.rpartition(":")
            if sep and tail.isdigit():
                path, line = head, int(tail)
            rows.append({"id": s.id, "path": path, "line": line, "reason": s.reason})
        return rows


def extract(doc, article: Article, lexicon: dict | None = None) -> DocResult:
    """The map phase for one parsed document: every mention, as plain records."""
    reference, how = article.published, "given"
    if reference is None and (reference := date_from_url(article.url)) is not None:
        how = "metadata"  # news sites write the publication day into the address
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
    # The reduce allocates many small records on top of every document's results: the cyclic
    # garbage collector would sweep that whole heap again and again (a third of the reduce's time
    # at 500 documents) for little: records are freed by reference counting. It is paused here;
    # any cycle left is collected once it runs again.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _reduce(results, aliases, title)
    finally:
        if paused:
            gc.enable()


def _reduce(results: Iterable[DocResult], aliases: dict | None, title: str) -> KnowledgeGraph:
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


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters that join back to it exactly.

    Each cut falls at the last paragraph break of the window, else the last line break, else the
    last sentence end, else the last space (else, for a run with no space at all, at ``limit``);
    a break is only used in the window's second half so that pieces stay large.
    """
    pieces, pos = [], 0
    while len(text) - pos > limit:
        window = text[pos:pos + limit]
        cut = _cut(window)
        pieces.append(window[:cut])
        pos += cut
    pieces.append(text[pos:])
    return pieces


_SENTENCE_END = re.compile(r"[.!?][\"'”)\]]*\s+")


def _cut(window: str) -> int:
    half = len(window) // 2
    for sep in ("\n\n", "\n"):
        at = window.rfind(sep, half)
        if at >= 0:
            return at + len(sep)
    ends = [m.end() for m in _SENTENCE_END.finditer(window, half)]
    if ends:
        return ends[-1]
    at = window.rfind(" ", half)
    return at + 1 if at >= 0 else len(window)


@dataclass(frozen=True)
class Piece:
    """One piece of a long article: ``offset`` is where its text starts in the article's text."""

    article: Article  # the whole article on the last piece; without its text on the others (one copy)
    index: int
    count: int
    offset: int


def parse(articles: Iterable[Article], nlp, jobs: int = 1, batch_size: int | None = None,
          chunk_chars: int | None = None) -> Iterator[tuple]:
    """Stream (doc, article) pairs through ``nlp.pipe``; memory is bounded by the batch.

    A text longer than ``chunk_chars`` comes out as (doc, Piece) pairs, one per piece
    (see :func:`split_text`); :func:`map_docs` extracts them and joins the results.
    """
    chunk_chars = chunk_chars or CHUNK_CHARS
    batch_size = batch_size or BATCH_SIZE

    def texts():
        for a in articles:
            text = clean_text(a.text)
            if len(text) <= chunk_chars:
                yield text, a
                continue
            parts, offset = split_text(text, chunk_chars), 0
            light = replace(a, text="")
            for i, part in enumerate(parts):
                yield part, Piece(a if i == len(parts) - 1 else light, i, len(parts), offset)
                offset += len(part)

    n_process = max(1, int(jobs or 1))
    yield from nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process)


def map_docs(parsed: Iterable[tuple], lexicon: dict | None = None, report: BuildReport | None = None,
             on_skip: Callable[[Skipped], None] | None = None) -> Iterator[DocResult]:
    """The map phase over parsed documents: one DocResult per article, long ones joined from their pieces.

    A document whose extraction fails is reported as skipped (KG_DEBUG=1 re-raises instead).
    The pieces of one article arrive one after the other: nlp.pipe keeps the order, even with
    n_process > 1.
    """
    report = report if report is not None else BuildReport()
    held: list[DocResult] = []
    failed = False
    for doc, item in parsed:
        if not isinstance(item, Piece):
            result = _extract_or_skip(doc, item, lexicon, report, on_skip)
            if result is not None:
                yield result
            continue
        if item.index == 0:
            held, failed = [], False
        if not failed:
            article = item.article
            if held and held[0].reference is not None and article.published is None:
                article = replace(article, published=held[0].reference)  # one reference date for the article
            result = _extract_or_skip(doc, article, lexicon, report, on_skip, whole=item.article)
            failed = result is None  # already reported; its other pieces are dropped quietly
            if result is not None:
                held.append(_shift(result, item.offset, sum(len(r.events) for r in held)))
        if item.index == item.count - 1 and not failed:
            yield _join(held, item.article)


_OFFSETS = {"start", "end", "trigger_start", "trigger_end"}
_EVENT_INDEXES = {"index", "source_event", "target_event"}


def _shift(record, offset: int, events: int):
    """``record`` with every character offset moved by ``offset`` and every event index by ``events``."""
    if isinstance(record, tuple):
        return tuple(_shift(r, offset, events) for r in record)
    if not is_dataclass(record) or isinstance(record, Article):
        return record
    changes = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int) and f.name in _OFFSETS:
            changes[f.name] = value + offset
        elif isinstance(value, int) and f.name in _EVENT_INDEXES:
            changes[f.name] = value + events
        elif is_dataclass(value) or isinstance(value, tuple):
            changes[f.name] = _shift(value, offset, events)
    return replace(record, **changes)


def _join(results: list[DocResult], article: Article) -> DocResult:
    """One DocResult for a whole article from the (already shifted) results of its pieces."""
    first = results[0]
    return DocResult(article=article, reference=first.reference, reference_source=first.reference_source,
                     times=tuple(t for r in results for t in r.times),
                     entities=tuple(e for r in results for e in r.entities),
                     events=tuple(e for r in results for e in r.events),
                     relations=tuple(x for r in results for x in r.relations),
                     warnings=tuple(w for r in results for w in r.warnings))


def check_inputs(paths) -> list:
    """The input paths as a list; InputError when none of them exists (before any work is done)."""
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not paths:
        raise InputError("no input given; give article files, folders or - for stdin")
    missing = [str(p) for p in paths if str(p) != "-" and not os.path.lexists(p)]
    if len(missing) == len(paths):
        raise InputError(f"input {missing[0]!r} does not exist; give a file, a folder or - for stdin"
                         if len(missing) == 1 else f"none of the inputs exists ({', '.join(missing)})")
    return paths


def admit(items: Iterable, nlp, report: BuildReport, seen: dict[str, tuple[str | None, str]] | None = None,
          on_skip: Callable[[Skipped], None] | None = None, saved: frozenset[str] = frozenset()) -> Iterator[Article]:
    """The articles worth parsing: skipped inputs, exact duplicates and texts in another language are reported.

    The decision for each article is :class:`Admitter`'s (see there); the Dask engine runs the
    same rule on the client over the records its workers read.
    """
    rule = Admitter(seen, saved)

    def skip(item: Skipped) -> None:
        report.skipped.append(item)
        if on_skip:
            on_skip(item)

    for item in items:
        if isinstance(item, Skipped):
            skip(item)
            continue
        decision = rule.decide(item.id, _digest(item.text), item.path, foreign_language(item.text, nlp))
        if decision.warning:
            report.warn(*decision.warning)
        if decision.skipped:
            skip(decision.skipped)
        else:
            yield item if decision.id == item.id else replace(item, id=decision.id)


@dataclass(frozen=True)
class Admission:
    """What admit decides for one article: the id it is kept under (None: skipped), and why."""

    id: str | None
    skipped: Skipped | None = None
    warning: tuple[str, str] | None = None  # (where, message) about a kept or renamed document


class Admitter:
    """admit's rule, over (id, text digest, path) in stream order: both engines call it, so they agree.

    ``seen`` maps the ids already read to (text digest, path). A repeated id with the same text is
    skipped; with a different text it is renamed ``id~2`` (both are kept, with a warning). An id in
    ``saved`` (a document of the graph being extended) is replaced instead: the new text is a newer
    version of that article (its digest is None when the build was loaded from disk without texts).
    A text in another language (``foreign``, the reason from :func:`foreign_language`) is skipped and
    leaves its id free.
    """

    def __init__(self, seen: dict[str, tuple[str | None, str]] | None = None, saved: frozenset[str] = frozenset()):
        self.seen = {} if seen is None else seen
        self.saved = saved

    def decide(self, doc_id: str, digest: str, path: str | None, foreign: str | None = None) -> Admission:
        """The decision for the next article of the stream (and the rule's state updated with it)."""
        warning = None
        if doc_id in self.seen:
            first_digest, first_path = self.seen[doc_id]
            if first_digest == digest:
                return Admission(None, Skipped(doc_id, path or doc_id, f"duplicate of {first_path} (same id and text)"))
            if doc_id in self.saved:  # extending a build: the article read again replaces its saved version
                self.saved = self.saved - {doc_id}
                warning = (path or doc_id, f"id {doc_id!r} is already in the graph being extended; "
                                           f"this version replaces the one read from {first_path}")
            else:
                n = 2
                while f"{doc_id}~{n}" in self.seen:
                    n += 1
                warning = (path or doc_id, f"id {doc_id!r} was already used by {first_path}; "
                                           f"this document is renamed {doc_id}~{n}")
                doc_id = f"{doc_id}~{n}"
        if foreign is not None:
            return Admission(None, Skipped(doc_id, path or doc_id, foreign), warning)
        self.seen[doc_id] = (digest, path or doc_id)
        return Admission(doc_id, None, warning)


def foreign_language(text: str, nlp) -> str | None:
    """Why ``text`` is skipped when it is in another language than the model's, else None."""
    stop_words = getattr(getattr(nlp, "Defaults", None), "stop_words", None)
    share = language_share(text, stop_words) if stop_words else None
    if share is None or share >= MIN_LANGUAGE_SHARE:
        return None
    lang = getattr(nlp, "lang", "?")
    return (f"not in the model's language ({lang}): {share:.0%} of its words are common {lang} words; "
            f"give --model for its language")


def seen_of(results: Iterable[DocResult]) -> dict[str, tuple[str | None, str]]:
    """admit's ``seen`` for the documents of a graph being extended."""
    # a build loaded from disk keeps no texts: its digests are unknown
    return {r.article.id: (_digest(r.article.text) if r.article.text else None, r.article.path or r.article.id)
            for r in results}


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def build(paths, published: dt.date | str | None = None, *, model: str | None = None, jobs: int = 1,
          aliases: dict | str | os.PathLike | None = None, triggers: str | None = None,
          into: KnowledgeGraph | None = None, progress: bool | None = None,
          report: BuildReport | None = None, on_skip: Callable[[Skipped], None] | None = None,
          on_warning: Callable[[str], None] | None = None, batch_size: int | None = None,
          title: str = "kg-timeline", engine: str = "local", client=None, workers: int | None = None) -> KnowledgeGraph:
    """Build a KnowledgeGraph from articles.

    Parameters: ``paths`` files, folders or ``-``; ``published`` the reference
    date for every article (else each record's ``published``, else inferred);
    ``into`` an existing graph to extend; ``progress`` a bar on stderr (default:
    when stderr is a terminal); ``on_skip`` and ``on_warning`` are called as
    documents are skipped, or kept with a warning (all are also in ``g.report``).

    >>> import kg
    >>> g = kg.build(["examples/articles"], published="2023-06-15")  # doctest: +SKIP
    """
    import time

    if engine != "local":  # "dask": client a distributed.Client, an address or None (a LocalCluster of `workers`)
        from .dask_engine import build_on
        return build_on(engine, paths, published, model=model, aliases=aliases, triggers=triggers, into=into,
                        progress=progress, report=report, on_skip=on_skip, on_warning=on_warning,
                        batch_size=batch_size, title=title, client=client, workers=workers)
    started = time.perf_counter()
    report = report if report is not None else BuildReport()
    report.on_warning = on_warning
    paths = check_inputs(paths)
    if published is not None:
        published = parse_date(published, what="--published")  # a bad date fails before any work
    if isinstance(aliases, (str, os.PathLike)):
        aliases = _resolve.load_aliases(aliases)
    lexicon = _events.load_lexicon(str(triggers)) if triggers else None
    nlp = load_model(model)

    results = list(into.doc_results) if into is not None else []
    seen = seen_of(results)

    def articles():
        yield from admit(iter_articles(paths, published, warn=report.warn), nlp, report, seen, on_skip,
                         saved=frozenset(seen))

    bar = _progress(progress)
    for result in map_docs(parse(articles(), nlp, jobs=jobs, batch_size=batch_size), lexicon, report, on_skip):
        results.append(result)
        report.read += 1
        report.references[result.article.id] = result.reference_source
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


def _extract_or_skip(doc, article: Article, lexicon, report: BuildReport, on_skip,
                     whole: Article | None = None) -> DocResult | None:
    """``extract``, turning an unexpected failure on one document into a Skipped (KG_DEBUG=1 re-raises)."""
    try:
        return extract(doc, article, lexicon)
    except Exception as err:  # one bad article never stops the run
        if os.environ.get("KG_DEBUG"):
            raise
        article = whole or article
        item = Skipped(article.id, article.path or article.id,
                       f"could not be processed ({type(err).__name__}: {err}); please report this")
        report.skipped.append(item)
        if on_skip:
            on_skip(item)
        return None


def _progress(progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(unit="doc", file=sys.stderr, desc="kg build", leave=False)
