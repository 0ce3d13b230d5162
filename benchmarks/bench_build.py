"""Throughput and memory of `kg.build` against a bare `nlp.pipe` over the same texts.

    python benchmarks/bench_build.py --docs 500 2000

For each corpus size it writes a synthetic corpus (news-style sentences
recombined with varied names, places and dates; written by us, seeded, so
every run reads the same texts), then runs, each in a fresh process so that
peak memory is its own: (1) the bare spaCy pipeline over the texts, (2) the
whole build (ingest, parse, every extractor, cross-document merge, graph).
It prints docs/s, words/s, peak RSS and the ratio of (2) to (1).
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

PEOPLE = ["Antony Blinken", "Qin Gang", "Sergey Lavrov", "Penny Wong", "Annalena Baerbock", "Wang Yi",
          "Yoshimasa Hayashi", "Subrahmanyam Jaishankar", "Catherine Colonna", "James Cleverly",
          "Melanie Joly", "Mauro Vieira", "Naledi Pandor", "Hakan Fidan", "Park Jin", "Retno Marsudi"]
ROLES = ["Foreign Minister", "Secretary of State", "Prime Minister", "President", "Defence Minister"]
COUNTRIES = ["China", "India", "Japan", "Brazil", "Germany", "France", "Canada", "Australia", "Turkey",
             "Indonesia", "South Africa", "Mexico", "Egypt", "Kenya", "Vietnam", "Poland"]
CITIES = ["Beijing", "New Delhi", "Tokyo", "Brasilia", "Berlin", "Paris", "Ottawa", "Canberra", "Ankara",
          "Jakarta", "Pretoria", "Mexico City", "Cairo", "Nairobi", "Hanoi", "Warsaw"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
TEMPLATES = [
    "{role} {a} held a telephone conversation with {b} on {day}, officials said.",
    "{a} spoke to his counterpart {b} by phone on {day} ahead of a planned visit to {city}.",
    "{a} will travel to {city} next week for talks with senior officials from {country}.",
    "In a statement, the ministry said {a} stressed the importance of open lines of communication.",
    "{b} urged {a} to respect the core interests of {country}.",
    "{a} had planned to visit {country} in {month}, but the trip was postponed after a diplomatic row.",
    "The two ministers met in {city} in {month} and agreed to resume regular consultations.",
    "\"We want stable relations with {country},\" {a} said on {day}.",
    "{a}'s visit to {city} from {month} 16 to 21 would also include stops in two other capitals.",
    "Analysts said the meeting between {a} and {b} could ease tensions that have grown since last year.",
]


def make_corpus(n: int, path: Path, seed: int = 7) -> int:
    """Write n synthetic articles as JSONL; return the number of words."""
    rng = random.Random(seed)
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a, b = rng.sample(PEOPLE, 2)
            k = rng.randrange(len(COUNTRIES))
            fill = dict(a=a, b=b, role=rng.choice(ROLES), country=COUNTRIES[k], city=CITIES[k],
                        day=rng.choice(DAYS), month=rng.choice(MONTHS))
            paras = [" ".join(t.format(**fill) for t in rng.sample(TEMPLATES, 4)) for _ in range(rng.randint(3, 6))]
            text = "\n\n".join(paras)
            words += len(text.split())
            year = rng.choice([2019, 2020, 2021, 2022, 2023])
            fh.write(json.dumps({"id": f"syn-{i:06d}", "published": f"{year}-06-{rng.randint(1, 28):02d}",
                                 "text": text}) + "\n")
    return words


def run_bare(corpus: str) -> dict:
    from kg.ingest import clean_text
    from kg.nlp import load_model
    from kg.pipeline import BATCH_SIZE

    nlp = load_model()
    texts = [clean_text(json.loads(line)["text"]) for line in open(corpus, encoding="utf-8")]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return {"seconds": time.perf_counter() - start}


def run_build(corpus: str) -> dict:
    from kg.nlp import load_model
    from kg.pipeline import build

    load_model()  # both modes load the model before the clock starts
    start = time.perf_counter()
    g = build([corpus], progress=False)
    return {"seconds": time.perf_counter() - start, "events": len(g.events()), "entities": len(g.entities())}


def child(mode: str, corpus: str) -> None:
    out = run_bare(corpus) if mode == "bare" else run_build(corpus)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(mode: str, corpus: Path) -> dict:
    res = subprocess.run([sys.executable, __file__, "--child", mode, str(corpus)], capture_output=True, text=True,
                         check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, nargs="+", default=[500], help="corpus sizes to measure")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"{'docs':>7} {'words':>9} {'bare docs/s':>11} {'kg docs/s':>10} {'kg words/s':>10} "
          f"{'ratio':>6} {'bare RSS MB':>11} {'kg RSS MB':>10} {'events':>7} {'entities':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.docs:
            corpus = Path(tmp) / f"corpus-{n}.jsonl"
            words = make_corpus(n, corpus)
            bare = measure("bare", corpus)
            kg = measure("build", corpus)
            print(f"{n:>7} {words:>9} {n / bare['seconds']:>11.1f} {n / kg['seconds']:>10.1f} "
                  f"{words / kg['seconds']:>10.0f} {bare['seconds'] / kg['seconds']:>6.2f} "
                  f"{bare['peak_rss_mb']:>11.0f} {kg['peak_rss_mb']:>10.0f} {kg['events']:>7} {kg['entities']:>8}",
                  flush=True)


if __name__ == "__main__":
    main()
