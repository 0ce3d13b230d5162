"""Throughput and memory of `kg.build` against a bare `nlp.pipe` over the same texts.

    python benchmarks/bench_build.py --docs 500 2000 10000
    python benchmarks/bench_build.py --corpus my-articles/      # your own articles, as `kg build` reads them

For each corpus size it writes a synthetic corpus (news-style sentences
recombined with varied names, places and dates; written by us, seeded, so
every run reads the same texts), then runs, each in a fresh process so that
peak memory is its own:
  (1) stock: the installed spaCy pipeline as `spacy.load` gives it, over the texts: what a plain
      spaCy script pays to parse them;
  (2) parse: the same pipeline as kg loads it (its two small components added, the attribute
      ruler's matches found through an index; the same annotations) over the same texts;
  (3) build: the whole build (ingest, parse, every extractor, cross-document merge, graph).
It prints docs/s, words/s, seconds, peak RSS, the ratio of (3)'s throughput to (1)'s (target:
>= 0.9) and, from CPU time, what our stages add to the parse: (3) against (2). Ratios are given
from wall-clock and CPU time; on a busy machine the CPU ratio is the steadier.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The checkout's own kg, whatever the current directory or the installed copy.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Invented people: first names and surnames from many languages, recombined (900 people). Their
# frequency follows a Zipf law, as in news: a few are in many articles, most in a handful.
FIRST = ["Maria", "Daniel", "Aiko", "Rahul", "Amara", "Lukas", "Sofia", "Omar", "Mei", "Tomasz", "Elena",
         "Kwame", "Ingrid", "Mateo", "Leila", "Hiroshi", "Nadia", "Pedro", "Anya", "Samuel", "Farah", "Jonas",
         "Camille", "Ravi", "Zeynep", "Marco", "Yuki", "Grace", "Dmitri", "Lucia"]
LAST = ["Okafor", "Lindqvist", "Tanaka", "Mehta", "Haddad", "Novak", "Ferreira", "Kowalski", "Brennan",
        "Castillo", "Nakamura", "Mensah", "Petrova", "Duarte", "Rahman", "Schneider", "Moreau", "Ivanova",
        "Osei", "Yilmaz", "Bianchi", "Park", "Adeyemi", "Larsen", "Quispe", "Sato", "Walsh", "Kariuki",
        "Hoffmann", "Alvarez"]
PEOPLE = [f"{f} {l}" for l in LAST for f in FIRST]
ROLES = ["Foreign Minister", "Prime Minister", "President", "Defence Minister", "Trade Minister"]
PLACES = [("China", "Beijing"), ("India", "New Delhi"), ("Japan", "Tokyo"), ("Brazil", "Brasilia"),
          ("Germany", "Berlin"), ("France", "Paris"), ("Canada", "Ottawa"), ("Australia", "Canberra"),
          ("Turkey", "Ankara"), ("Indonesia", "Jakarta"), ("South Africa", "Pretoria"), ("Mexico", "Mexico City"),
          ("Egypt", "Cairo"), ("Kenya", "Nairobi"), ("Vietnam", "Hanoi"), ("Poland", "Warsaw"),
          ("Argentina", "Buenos Aires"), ("Nigeria", "Abuja"), ("Spain", "Madrid"), ("Italy", "Rome"),
          ("Norway", "Oslo"), ("Chile", "Santiago"), ("Ghana", "Accra"), ("Thailand", "Bangkok")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
TEMPLATES = [
    "{role} {a} held a telephone conversation with {b} on {day}, officials said.",
    "{a} spoke to {b} by phone on {day} ahead of a planned visit to {city}.",
    "{a} will travel to {city} next week for talks with senior officials from {country}.",
    "In a statement, the ministry said {a} stressed the importance of open lines of communication.",
    "{b} urged {a} to respect the core interests of {country}.",
    "{a} had planned to visit {country} in {month}, but the trip was postponed after a diplomatic row.",
    "The two ministers met in {city} in {month} and agreed to resume regular consultations.",
    "\"We want stable relations with {country},\" {a} said on {day}.",
    "{a}'s visit to {city} from {month} {d1} to {d2} would also include stops in two other capitals.",
    "Analysts said the meeting between {a} and {b} could ease tensions that have grown since last year.",
    "{c}, a spokesperson for the ministry, told reporters that no date had been set for the next round.",
    "{b} accused {country2} of undermining the talks, a charge its government rejected on {day}.",
    "{a} and {b} signed an agreement on trade and energy in {city} on {month} {d1}.",
    "The summit planned for {month} in {city2} was cancelled after {c} withdrew.",
    "{c} is expected to meet {a} in {city2} later this month.",
    "Officials in {city2} said the visit showed that relations with {country} were improving.",
]


def make_corpus(n: int, path: Path, seed: int = 7) -> int:
    """Write n synthetic articles as JSONL (8-16 distinct sentences in 3-6 paragraphs); return the word count."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(PEOPLE))]
    people = rng.sample(PEOPLE, len(PEOPLE))  # which names are frequent depends on the seed only
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a, b, c = _distinct(rng, people, weights, 3)
            (country, city), (country2, city2) = rng.sample(PLACES, 2)
            d1 = rng.randint(1, 20)
            fill = dict(a=a, b=b, c=c, role=rng.choice(ROLES), country=country, city=city, country2=country2,
                        city2=city2, day=rng.choice(DAYS), month=rng.choice(MONTHS), d1=d1, d2=d1 + rng.randint(1, 6))
            sentences = [t.format(**fill) for t in rng.sample(TEMPLATES, rng.randint(8, 16))]
            cuts = sorted(rng.sample(range(1, len(sentences)), rng.randint(2, 5)))
            paras = [" ".join(sentences[x:y]) for x, y in zip([0, *cuts], [*cuts, len(sentences)])]
            text = "\n\n".join(paras)
            words += len(text.split())
            published = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            fh.write(json.dumps({"id": f"syn-{i:06d}", "published": published, "text": text}) + "\n")
    return words


def _distinct(rng: random.Random, population: list, weights: list, k: int) -> list:
    chosen: list = []
    while len(chosen) < k:
        pick = rng.choices(population, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def run_stock(corpus: str, batch_size: int, jobs: int) -> dict:
    """spaCy alone, as installed: the default pipeline from ``spacy.load``, over the same (cleaned) texts."""
    import spacy

    from kg.nlp import default_model

    return _pipe(spacy.load(default_model()), corpus, batch_size, jobs)


def run_bare(corpus: str, batch_size: int, jobs: int) -> dict:
    """kg's parse alone: the pipeline as the build loads it, over the same (cleaned) texts."""
    from kg.nlp import load_model

    return _pipe(load_model(), corpus, batch_size, jobs)


def _pipe(nlp, corpus: str, batch_size: int, jobs: int) -> dict:
    """``nlp.pipe`` over the corpus's cleaned texts, with the build's batch size."""
    texts = _texts(corpus, nlp)
    start, cpu = time.perf_counter(), _cpu()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=jobs):
        pass
    return {"seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def _texts(corpus: str, nlp) -> list[str]:
    """The texts the build parses: the articles under ``corpus`` that the build admits (not a duplicate, in
    ``nlp``'s language), cleaned as the build cleans them. Read before the clock starts."""
    from kg.ingest import clean_text, iter_articles
    from kg.pipeline import BuildReport, admit

    return [clean_text(a.text) for a in admit(iter_articles([corpus]), nlp, BuildReport())]


def run_build(corpus: str, batch_size: int, jobs: int) -> dict:
    """The whole build: ingest, parse, every extractor, cross-document reduce and the graph (no file writing)."""
    from kg.nlp import load_model
    from kg.pipeline import build

    load_model()  # both modes load the model before the clock starts
    start, cpu = time.perf_counter(), _cpu()
    g = build([corpus], progress=False, batch_size=batch_size, jobs=jobs)
    return {"seconds": time.perf_counter() - start, "cpu": _cpu() - cpu, "events": len(g.events()),
            "entities": len(g.entities())}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (parser processes with --jobs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child(mode: str, corpus: str, batch_size: int, jobs: int) -> None:
    out = {"stock": run_stock, "bare": run_bare, "build": run_build}[mode](corpus, batch_size, jobs)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(mode: str, corpus: Path, batch_size: int, jobs: int) -> dict:
    """Run one mode in a fresh process, so that its peak RSS is its own."""
    res = subprocess.run([sys.executable, __file__, "--child", mode, str(corpus), "--batch-size", str(batch_size),
                          "--jobs", str(jobs)], capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"the {mode} run failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _fastest(runs: list[dict]) -> dict:
    """One mode's figures from several runs: the least time (wall and CPU apart) and the largest peak RSS."""
    out = dict(runs[0])
    out["seconds"] = min(r["seconds"] for r in runs)
    out["cpu"] = min(r["cpu"] for r in runs)
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return out


def main() -> None:
    from kg.pipeline import BATCH_SIZE

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, nargs="+", default=[500, 2000], help="synthetic corpus sizes to measure")
    ap.add_argument("--corpus", nargs="+", metavar="PATH",
                    help="measure these articles instead (files or folders, any format `kg build` reads), "
                         "each path on its own")
    ap.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="nlp.pipe batch size (both modes)")
    ap.add_argument("--jobs", type=int, default=1, help="processes (spaCy n_process, both modes)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="runs of each mode, taking turns; the fastest is kept (a shared machine's speed varies)")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child, args.batch_size, args.jobs)
        return
    print(f"batch size {args.batch_size}, jobs {args.jobs}, fastest of {args.rounds} round(s); "
          f"RSS is the peak of each run's process, model included")
    print("stock: spaCy's pipeline as spacy.load gives it; parse: the same as kg loads it; kg: the whole build")
    print(f"{'docs':>6} {'words':>9} {'stock s':>7} {'parse s':>7} {'kg s':>7} {'stock docs/s':>12} {'kg docs/s':>9} "
          f"{'kg words/s':>10} {'ratio':>6} {'cpu ratio':>9} {'stages %':>8} {'stock MB':>8} {'kg MB':>6} "
          f"{'events':>7} {'entities':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for corpus, n, words in _corpora(args, Path(tmp)):
            runs: dict[str, list[dict]] = {"stock": [], "bare": [], "build": []}
            for _ in range(args.rounds):  # the modes take turns, so that a slow spell of the machine hits all
                for mode, out in runs.items():
                    out.append(measure(mode, corpus, args.batch_size, args.jobs))
            stock, bare, kg = (_fastest(runs[mode]) for mode in ("stock", "bare", "build"))
            stages = 100 * (kg["cpu"] - bare["cpu"]) / bare["cpu"]  # what our stages add to kg's own parse
            print(f"{n:>6} {words:>9} {stock['seconds']:>7.1f} {bare['seconds']:>7.1f} {kg['seconds']:>7.1f} "
                  f"{n / stock['seconds']:>12.1f} {n / kg['seconds']:>9.1f} {words / kg['seconds']:>10.0f} "
                  f"{stock['seconds'] / kg['seconds']:>6.2f} {stock['cpu'] / kg['cpu']:>9.2f} {stages:>8.1f} "
                  f"{stock['peak_rss_mb']:>8.0f} {kg['peak_rss_mb']:>6.0f} {kg['events']:>7} {kg['entities']:>8}",
                  flush=True)


def _corpora(args, tmp: Path):
    """(corpus path, documents, words) to measure: the user's paths, else synthetic corpora of each size."""
    if args.corpus:
        import spacy

        for path in args.corpus:
            texts = _texts(path, spacy.blank("en"))  # the language test needs only the language's stop words
            if not texts:
                sys.exit(f"{path}: no articles to measure")
            yield Path(path), len(texts), sum(len(t.split()) for t in texts)
        return
    for n in args.docs:
        corpus = tmp / f"corpus-{n}.jsonl"
        words = make_corpus(n, corpus)
        yield corpus, n, words


if __name__ == "__main__":
    main()
