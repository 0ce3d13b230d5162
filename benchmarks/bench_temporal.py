"""Quality and cost of the time stage on the table-driven set ``tests/data/timex_cases.tsv``.

    python benchmarks/bench_temporal.py [--repeat 5] [--texts FILE ...] [-v]

Quality: detection precision, recall and F1 (exact span and relaxed, i.e.
overlapping, one to one) against every expression of the table, and value
accuracy (the TIMEX3 value of the matched expressions; also over all gold
expressions). Each sentence lists all its expressions, so a mention the
table does not hold is a false alarm.

Cost: the time to tag the parsed documents (``times_from_doc``; and
``infer_reference`` followed by ``times_from_doc``, what the pipeline runs
when no date is given) as a percentage of the spaCy parse time over the
same texts. ``--texts`` adds
files (plain text, or JSONL with a ``text`` field) to the timed corpus, e.g.
longer articles. Timings on a shared machine are indicative.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CASES = ROOT / "tests" / "data" / "timex_cases.tsv"


def load_cases(path: Path = CASES) -> list[dict]:
    """Rows of the table: reference (date or None), sentence, span, type, value, interval."""
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return [dict(r, reference=None if r["reference"] == "-" else dt.date.fromisoformat(r["reference"]))
                for r in rows]


def group(cases: list[dict]) -> dict[tuple, list[dict]]:
    """Gold expressions per (reference, sentence); a sentence without any has an empty list."""
    out: dict[tuple, list[dict]] = defaultdict(list)
    for c in cases:
        items = out[(c["reference"], c["sentence"])]
        if c["span"]:
            start = c["sentence"].index(c["span"])
            items.append(dict(c, start=start, end=start + len(c["span"])))
    return out


def quality(nlp, cases: list[dict], verbose: bool = False) -> dict:
    """Detection P/R/F1 (exact and relaxed) and value accuracy."""
    from kg.temporal import times_from_doc

    n_gold = n_sys = exact = relaxed = right = 0
    for (ref, sentence), gold in group(cases).items():
        found = times_from_doc(nlp(sentence), ref)
        n_gold += len(gold)
        n_sys += len(found)
        used: set[int] = set()
        for g in gold:
            hit = next((i for i, t in enumerate(found) if i not in used and t.start < g["end"]
                        and g["start"] < t.end), None)
            if hit is None:
                if verbose:
                    print(f"MISS  {g['span']!r} in {sentence!r}")
                continue
            used.add(hit)
            t = found[hit]
            relaxed += 1
            exact += (t.start, t.end) == (g["start"], g["end"])
            right += t.value == g["value"]
            if verbose and t.value != g["value"]:
                print(f"VALUE {t.text!r} {t.value} (gold {g['value']}) in {sentence!r}")
            if verbose and (t.start, t.end) != (g["start"], g["end"]):
                print(f"SPAN  {t.text!r} (gold {g['span']!r})")
        for i, t in enumerate(found):
            if verbose and i not in used:
                print(f"EXTRA {t.text!r} {t.value} in {sentence!r}")

    def prf(k: int) -> tuple[float, float, float]:
        p, r = k / n_sys if n_sys else 0.0, k / n_gold if n_gold else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": n_gold, "system": n_sys, "exact": prf(exact), "relaxed": prf(relaxed),
            "value_accuracy": right / relaxed if relaxed else 0.0, "value_recall": right / n_gold}


def _read_texts(paths: list[str]) -> list[str]:
    texts = []
    for p in paths:
        raw = Path(p).read_text(encoding="utf-8")
        if p.endswith(".jsonl"):
            texts += [json.loads(line)["text"] for line in raw.splitlines() if line.strip()]
        else:
            texts.append(raw)
    return texts


def cost(nlp, texts: list[str], repeat: int) -> dict:
    """Seconds for parsing, tagging with a reference, and inferring the reference then tagging; best of ``repeat``.

    The first tagging run starts with dateparser's cache empty ("cold").
    """
    from kg import temporal

    best = {"parse": float("inf"), "cold": float("inf"), "tag": float("inf"), "infer_tag": float("inf")}

    def timed(name: str, fn) -> None:
        temporal._LAST_FOUND.clear()  # the scan of the last document is kept: start afresh
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        best[name] = min(best[name], time.perf_counter() - t0)

    reference = dt.date(2023, 6, 15)
    temporal._dateparser.cache_clear()
    for i in range(repeat):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=64))
        best["parse"] = min(best["parse"], time.perf_counter() - t0)
        if i == 0:
            timed("cold", lambda d: temporal.times_from_doc(d, reference))
        timed("tag", lambda d: temporal.times_from_doc(d, reference))
        timed("infer_tag", lambda d: temporal.times_from_doc(d, temporal.infer_reference(d)[0]))
    return dict(best, texts=len(texts), chars=sum(map(len, texts)))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="timing runs; the best is kept")
    ap.add_argument("--texts", nargs="*", default=[], help="more texts to time (plain text or JSONL)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses, false alarms and wrong values")
    args = ap.parse_args(argv)

    from kg.nlp import load_model
    nlp = load_model()
    cases = load_cases()
    q = quality(nlp, cases, args.verbose)
    print(f"{len(group(cases))} sentences, {q['gold']} gold expressions, {q['system']} found")
    for name in ("exact", "relaxed"):
        p, r, f = q[name]
        print(f"detection ({name:7}) P {100 * p:5.1f}  R {100 * r:5.1f}  F1 {100 * f:5.1f}")
    print(f"value accuracy {100 * q['value_accuracy']:.1f} % of the detected, "
          f"{100 * q['value_recall']:.1f} % of all gold expressions")

    texts = sorted({c["sentence"] for c in cases}) + _read_texts(args.texts)
    c = cost(nlp, texts, args.repeat)
    pct = {k: 100 * c[k] / c["parse"] for k in ("cold", "tag", "infer_tag")}
    print(f"cost over {c['texts']} texts ({c['chars']} chars): spaCy parse {c['parse']:.3f} s")
    print(f"  times_from_doc with a reference    {c['tag']:.3f} s = {pct['tag']:.1f} % of the parse "
          f"(first run, dateparser cache empty: {pct['cold']:.1f} %)")
    print(f"  infer_reference + times_from_doc   {c['infer_tag']:.3f} s = {pct['infer_tag']:.1f} % of the parse")


if __name__ == "__main__":
    main()
