"""Cost of event extraction and merging on top of the spaCy parse.

    python benchmarks/bench_events.py --docs 200
    python benchmarks/bench_events.py --corpus my_articles.jsonl

Parses a corpus once (the synthetic, seeded news corpus of ``bench_build.py``,
or a JSONL/text file you name), then times, per document, the stages events
depend on (times and entity mentions) and ``extract_events`` itself, and prints
each as ms/doc and as a share of the parse. Last, it times ``merge_events`` over
the whole corpus, its first half and its first quarter, so that the growth of
the merge with the number of documents shows (blocking keeps it near-linear).
Timings on a shared machine are noisy: quote them as indicative.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_build import make_corpus  # noqa: E402  (the benchmarks folder is not a package)

from kg import entities, events, temporal  # noqa: E402
from kg.ingest import clean_text, iter_articles  # noqa: E402
from kg.merge import merge_events, resolve_participants  # noqa: E402
from kg.nlp import load_model  # noqa: E402
from kg.records import Article  # noqa: E402
from kg.resolve import resolve_entities  # noqa: E402


def _texts(corpus: Path) -> list[tuple[str, str, object]]:
    """(id, cleaned text, reference date) of every article in ``corpus``."""
    return [(a.id, clean_text(a.text), a.published) for a in iter_articles([corpus]) if isinstance(a, Article)]


def _extract(nlp, docs) -> tuple[dict, list]:
    """Per-stage seconds over parsed docs, and every document's mentions for the merge."""
    spent = {"times + entity mentions": 0.0, "extract_events": 0.0}
    per_doc = []
    for doc, (doc_id, _, reference) in docs:
        t0 = time.perf_counter()
        times = temporal.times_from_doc(doc, reference)
        mentions = entities.entity_mentions(doc, doc_id)
        t1 = time.perf_counter()
        evs, _ = events.extract_events(doc, doc_id, mentions, times, reference, country_of=entities.country_of)
        t2 = time.perf_counter()
        spent["times + entity mentions"] += t1 - t0
        spent["extract_events"] += t2 - t1
        per_doc.append((doc_id, mentions, evs))
    return spent, per_doc


def _merge_seconds(per_doc: list) -> float:
    """Seconds to resolve participants and merge the event mentions of ``per_doc``."""
    _, ids = resolve_entities((d, m) for d, m, _ in per_doc)
    t0 = time.perf_counter()
    names = {}
    for d, ms, _ in per_doc:
        for m in ms:
            eid = ids.get((d, m.canonical, m.type))
            if eid:
                names[eid] = (m.canonical, m.type)
    mentions = [resolve_participants(e, ids, names) for _, _, evs in per_doc for e in evs]
    merge_events([m for m in mentions if m.participants])
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200, help="size of the synthetic corpus")
    ap.add_argument("--corpus", type=Path, help="measure this JSONL/text file instead of a synthetic corpus")
    a = ap.parse_args()
    nlp = load_model()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = a.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus.jsonl"
            make_corpus(a.docs, corpus)
        items = _texts(corpus)
    t0 = time.perf_counter()
    docs = list(zip(nlp.pipe((t for _, t, _ in items), batch_size=32), items))
    parse = time.perf_counter() - t0
    n = len(docs)
    spent, per_doc = _extract(nlp, docs)
    print(f"{n} documents, {sum(len(d) for d, _ in docs)} tokens")
    print(f"  {'spaCy parse':26s} {1000 * parse / n:8.2f} ms/doc")
    for stage, sec in spent.items():
        print(f"  {stage:26s} {1000 * sec / n:8.2f} ms/doc  {100 * sec / parse:6.1f} % of parse")
    print("merge_events (resolve + cluster):")
    for part in (n // 4, n // 2, n):
        if part:
            sec = _merge_seconds(per_doc[:part])
            print(f"  {part:6d} docs {1000 * sec:9.1f} ms  {1000 * sec / part:6.3f} ms/doc")
    print(json.dumps({"docs": n, "parse_ms_per_doc": round(1000 * parse / n, 2),
                      "events_ms_per_doc": round(1000 * spent["extract_events"] / n, 2),
                      "events_pct_of_parse": round(100 * spent["extract_events"] / parse, 1)}))


if __name__ == "__main__":
    main()
