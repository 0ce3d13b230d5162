"""How long graph.html takes to open: synthetic graphs of 1k, 5k and 20k nodes in headless Chromium.

    python benchmarks/bench_html.py                 # 1000 5000 20000 nodes
    python benchmarks/bench_html.py --nodes 20000 --keep out/

For each size it builds a seeded synthetic graph (tests/exporters_fixture.synthetic_graph: 70%
entities, 30% dated events, heavy-tailed participation), times ``to_html`` (layout included),
writes the page and opens it in headless Chromium over the DevTools protocol. It reports the
wall-clock time from navigation until vis-network has drawn the network (the page sets
``data-kg-drawn`` on its first ``afterDrawing``), until the timeline has drawn its first view,
until a search typed in the box has filtered both views (usable), and the page's size. Needs
Debian's chromium at /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from exporters import to_html  # noqa: E402
from exporters.html import page_data  # noqa: E402
from exporters_fixture import Chromium, synthetic_graph  # noqa: E402

# Interactive: typing in the search box filters the graph and the page answers.
SEARCH = """new Promise(function (done) {
  var box = document.getElementById('kg-search'); box.value = 'name 1';
  box.dispatchEvent(new Event('input'));
  setTimeout(function () { done(document.body.getAttribute('data-kg-visible')); }, 200);
})"""


def measure(n: int, folder: Path) -> dict:
    """Build, write and open the page for an n-node graph; return the timings in seconds."""
    G = synthetic_graph(n)
    t0 = time.perf_counter()
    page = to_html(G)
    build = time.perf_counter() - t0
    path = folder / f"graph-{n}.html"
    path.write_text(page, encoding="utf-8")
    browser = Chromium(str(folder / f"profile-{n}"))
    try:
        t1 = time.perf_counter()
        browser.open(path.as_uri())
        browser.wait_for("document.body && document.body.getAttribute('data-kg-drawn')", timeout=120, poll=0.02)
        drawn = time.perf_counter() - t1
        browser.wait_for("document.body.getAttribute('data-kg-timeline-drawn')", timeout=120, poll=0.02)
        timeline = time.perf_counter() - t1
        visible = browser.eval(SEARCH)
        usable = time.perf_counter() - t1
        shown = browser.eval("kg.data.nodes.length")
        errors = browser.errors()
    finally:
        browser.close()
    return {"nodes": n, "shown": shown, "build": build, "drawn": drawn, "timeline": timeline, "usable": usable,
            "mb": len(page.encode("utf-8")) / 1e6, "search_hits": visible, "errors": len(errors)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--keep", metavar="DIR", help="keep the pages in DIR (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'nodes':>7} {'in page':>7} {'to_html s':>9} {'drawn s':>8} {'timeline s':>10} {'usable s':>8} "
              f"{'MB':>6} errors")
        for n in args.nodes:
            r = measure(n, folder)
            print(f"{r['nodes']:>7} {r['shown']:>7} {r['build']:>9.2f} {r['drawn']:>8.2f} {r['timeline']:>10.2f} "
                  f"{r['usable']:>8.2f} {r['mb']:>6.1f} {r['errors']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
