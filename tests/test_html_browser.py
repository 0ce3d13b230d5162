"""graph.html in a real browser (headless Chromium): data loads, views are linked, nothing injected runs."""
from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from exporters import to_html
from exporters_fixture import QUOTED, XSS_NAME, story_graph

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless browser test needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")

# Runs before any page script: records any dialog an injected payload might open.
TRAP = """<script>
window.alert = window.confirm = window.prompt = function () {
  document.documentElement.setAttribute("data-alerted", "1");
};
</script>"""

# Runs after the page script: drives the linked views and the filters, and stores what it saw.
PROBE = """<script>
(function () {
  var kg = window.kg, r = {}, $ = function (id) { return document.getElementById(id); };
  r.nodes = kg.network.body.data.nodes.length;
  r.edges = kg.network.body.data.edges.length;
  r.items = kg.timeline.itemsData.length;
  r.itemElements = document.querySelectorAll("#kg-timeline .vis-item-content").length;
  var origin = {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}};
  kg.network.emit("click", {nodes: ["ev-call"], edges: [], event: {}, pointer: origin});
  r.timelineAfterNodeClick = kg.timeline.getSelection();
  kg.timeline.setSelection(["ev-visit"]);
  kg.timeline.emit("select", {items: ["ev-visit"], event: null});
  r.networkAfterItemClick = kg.network.getSelectedNodes();
  r.detailsTitle = document.querySelector("#kg-details h2").textContent;
  kg.select("ent-xss", "panel");
  r.xssTitle = document.querySelector("#kg-details h2").textContent;
  r.xssSource = document.querySelectorAll("#kg-details .kg-source").length;
  kg.select("ev-statement", "panel");
  r.statementSources = Array.prototype.map.call(document.querySelectorAll("#kg-details .kg-source"),
    function (n) { return n.textContent; });
  $("kg-search").value = "secretary";
  kg.filter();
  r.visibleAfterSearch = Number(document.body.getAttribute("data-kg-visible"));
  r.itemsAfterSearch = kg.timeline.itemsData.getIds();
  $("kg-search").value = "";
  $("kg-type").value = "military";
  kg.filter();
  r.itemsAfterType = kg.timeline.itemsData.getIds();
  r.header = $("kg-title").textContent + " | " + $("kg-counts").textContent;
  r.injected = document.querySelectorAll("img, iframe, object, embed").length;
  document.body.setAttribute("data-probe", JSON.stringify(r));
})();
</script>"""


def run_chromium(page: Path, tmp_path: Path) -> tuple[str, str]:
    """Load ``page`` offline in headless Chromium; return the DOM after scripts ran, and the log."""
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=6000", "--window-size=1400,900", "--dump-dom", page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("browser")
    page = to_html(story_graph())
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + TRAP, 1)
    page = page.replace("</body>", PROBE + "</body>", 1)
    path = tmp_path / "graph.html"
    path.write_text(page, encoding="utf-8")
    dom, log = run_chromium(path, tmp_path)
    match = re.search(r'data-probe="([^"]*)"', dom)
    assert match, "the probe did not run: " + log[-2000:]
    return dom, log, json.loads(html.unescape(match.group(1)))


def test_page_loads_every_node_edge_and_timeline_item(loaded):
    dom, _, probe = loaded
    assert (probe["nodes"], probe["edges"], probe["items"]) == (10, 13, 3)
    assert probe["itemElements"] == 3
    assert 'data-kg-ready="1"' in dom
    assert probe["header"] == "kg-timeline | 6 entities4 events3 documents13 links"


def test_clicking_an_event_node_selects_it_in_the_timeline(loaded):
    assert loaded[2]["timelineAfterNodeClick"] == ["ev-call"]


def test_clicking_a_timeline_item_selects_the_node(loaded):
    probe = loaded[2]
    assert probe["networkAfterItemClick"] == ["ev-visit"]
    assert probe["detailsTitle"] == "Antony Blinken visits China"


def test_search_and_type_filter_narrow_the_timeline(loaded):
    probe = loaded[2]
    # "secretary" matches Blinken's alias: his two events, their participants and himself stay.
    assert sorted(probe["itemsAfterSearch"]) == ["ev-call", "ev-visit"]
    assert probe["visibleAfterSearch"] == 5
    assert probe["itemsAfterType"] == ["ev-shootdown"]


def test_injected_markup_is_shown_as_text_and_never_runs(loaded):
    dom, _, probe = loaded
    assert "data-alerted" not in re.search(r"<html[^>]*>", dom).group()
    assert probe["injected"] == 0
    assert probe["xssTitle"] == XSS_NAME
    assert any("<img src=x onerror=alert(1)>" in s for s in probe["statementSources"])
    assert "<img" not in dom and "<script>alert" not in dom
    assert QUOTED not in dom.split('id="kg-data"')[1].split("</script>")[0]


def test_no_console_error_and_no_network_request(loaded):
    log = loaded[1]
    errors = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line or "Refused" in line]
    assert errors == []
    assert "ERR_NAME_NOT_RESOLVED" not in log
