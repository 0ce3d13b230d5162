"""A small hand-built graph in kg/graph.py's schema, shared by the exporter tests.

The story is written for the tests: a phone call between two foreign ministers, a visit that was
postponed after a military incident, and a statement. One entity and one sentence carry HTML
payloads so the tests can prove they are escaped everywhere.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import networkx as nx

XSS_NAME = "<script>alert(1)</script>"
XSS_SENTENCE = "A post read <img src=x onerror=alert(1)> before it was removed."
QUOTED = '"quotes"'

D1, D2, D3 = "001_wire", "002_daily", "003_blog"
ROLES = {"agent", "recipient", "participant", "speaker", "addressee", "subject", "location"}


def src(doc: str, sentence: str, start: int) -> dict:
    """A source/evidence dict with offsets matching the sentence length."""
    return {"doc": doc, "sentence": sentence, "start": start, "end": start + len(sentence)}


CALL_1 = "Antony Blinken spoke by phone with Qin Gang on Wednesday, the State Department said."
CALL_2 = "Blinken and his Chinese counterpart held a telephone conversation on Wednesday."
VISIT = "Blinken postponed the trip to Beijing he had planned for February."
SHOOT = "The United States shot down a high-altitude balloon off its coast on 4 February."
STATE = "Qin told the United States that Beijing urged restraint \u2028 and calm."
ROLE = "US Secretary of State Antony Blinken said the channel stayed open."


def story_graph() -> nx.MultiDiGraph:
    """The fixture graph: 6 entities, 4 events (3 dated), 13 edges with unique string keys."""
    G = nx.MultiDiGraph(title="kg-timeline")
    G.graph["documents"] = {  # as kg.pipeline keeps them: one entry per document read
        D1: {"title": "Ministers talk by phone", "published": "2023-06-15", "reference": "metadata", "url": None,
             "source": "Wire"},
        D2: {"title": "A trip called off", "published": "2023-06-15", "reference": "given", "url": None,
             "source": "Daily"},
        D3: {"title": None, "published": None, "reference": "none", "url": None, "source": None},
    }
    ent = dict(kind="entity")
    G.add_node("ent-antony-blinken", **ent, label="Antony Blinken", type="PERSON",
               aliases=["Blinken", "Secretary Blinken"], mentions=7, docs=[D1, D2])
    G.add_node("ent-qin-gang", **ent, label="Qin Gang", type="PERSON", aliases=["Qin", "秦刚"], mentions=4, docs=[D1])
    G.add_node("ent-united-states", **ent, label="United States", type="GPE", aliases=["US", "U.S."], mentions=5,
               docs=[D1, D2])
    G.add_node("ent-china", **ent, label="China", type="GPE", aliases=["Beijing"], mentions=6, docs=[D1, D2])
    G.add_node("ent-state-department", **ent, label="State Department", type="ORG", aliases=[], mentions=2, docs=[D1])
    G.add_node("ent-xss", **ent, label=XSS_NAME, type="PERSON", aliases=[QUOTED], mentions=1, docs=[D3])
    G.add_node("ev-call", kind="event", label="Antony Blinken calls Qin Gang", type="call", cameo="041",
               status="occurred", trigger="spoke by phone", date="2023-06-14", start="2023-06-14", end="2023-06-14",
               granularity="day", time_text="Wednesday", n_sources=2,
               sources=[src(D1, CALL_1, 0), src(D2, CALL_2, 310)])
    G.add_node("ev-visit", kind="event", label="Antony Blinken visits China", type="visit", cameo="042",
               status="postponed", trigger="trip", date="2023-02", start="2023-02-01", end="2023-02-28",
               granularity="month", time_text="February", n_sources=1, sources=[src(D2, VISIT, 0)],
               location="Beijing")
    G.add_node("ev-shootdown", kind="event", label="United States shoots down balloon", type="military",
               cameo="190", status="occurred", trigger="shot down", date="2023-02-04", start="2023-02-04",
               end="2023-02-04", granularity="day", time_text="4 February", n_sources=1, sources=[src(D2, SHOOT, 70)])
    G.add_node("ev-statement", kind="event", label=f"Qin Gang says {QUOTED}", type="statement", cameo="010",
               status="occurred", trigger="told", n_sources=2, sources=[src(D1, STATE, 400), src(D3, XSS_SENTENCE, 0)],
               quote='"We urge restraint," he said.')
    edges = [
        ("ent-antony-blinken", "ev-call", "agent", {}),
        ("ev-call", "ent-qin-gang", "recipient", {}),
        ("ent-antony-blinken", "ev-visit", "agent", {}),
        ("ev-visit", "ent-china", "location", {}),
        ("ent-united-states", "ev-shootdown", "agent", {}),
        ("ent-qin-gang", "ev-statement", "speaker", {}),
        ("ev-statement", "ent-united-states", "addressee", {}),
        ("ev-statement", "ent-xss", "subject", {}),
        ("ent-antony-blinken", "ent-state-department", "holds_role",
         {"role": "Secretary of State", "evidence": src(D1, ROLE, 900), "date": "2023-06", "start": "2023-06-01",
          "end": "2023-06-30"}),
        ("ent-state-department", "ent-united-states", "part_of", {"evidence": src(D1, CALL_1, 0)}),
        ("ent-qin-gang", "ent-china", "nationality", {"evidence": None}),
        ("ev-shootdown", "ev-visit", "causes", {"evidence": src(D2, VISIT, 0)}),
        ("ev-visit", "ev-call", "before", {"evidence": src(D2, SHOOT, 70)}),
    ]
    for i, (u, v, relation, attrs) in enumerate(edges, start=1):
        if relation in ROLES:  # as kg/graph.py does: a participant edge's evidence is its event's first source
            event = u if G.nodes[u]["kind"] == "event" else v
            attrs = {"evidence": G.nodes[event]["sources"][0]}
        G.add_edge(u, v, key=f"e{i}", relation=relation, **{k: val for k, val in attrs.items() if val is not None})
    return G


# ---------------------------------------------------------------- synthetic graphs for size tests and the benchmark

EVENT_TYPES = ["call", "visit", "meeting", "statement", "appeal", "accusation", "agreement", "military"]
ENTITY_TYPES = ["PERSON", "PERSON", "PERSON", "ORG", "ORG", "GPE", "LOC", "NORP"]


def synthetic_graph(n_nodes: int, seed: int = 7) -> nx.MultiDiGraph:
    """A seeded graph in kg/graph.py's schema: 70% entities, 30% dated events, a few hubs (like news).

    Participants are drawn with a heavy-tailed preference (a few entities take part in many events),
    every event has one made-up source sentence, and one event in ten links to the one before it.
    """
    import random

    rng = random.Random(seed)
    n_events = max(1, int(n_nodes * 0.3))
    n_entities = n_nodes - n_events
    G = nx.MultiDiGraph(title=f"synthetic {n_nodes}")
    for i in range(n_entities):
        G.add_node(f"ent-{i}", kind="entity", label=f"Name {i}", type=ENTITY_TYPES[i % len(ENTITY_TYPES)],
                   aliases=[f"N{i}"], mentions=1 + int(rng.paretovariate(1.5)), docs=[f"doc-{i % 500}"])
    key = 0
    for j in range(n_events):
        day = 1 + rng.randrange(700)
        start = f"{2022 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + (day % 365) % 31 % 28:02d}"
        etype = EVENT_TYPES[j % len(EVENT_TYPES)]
        sentence = f"Officials said Name {j} and a counterpart discussed trade in a {etype} on that day."
        G.add_node(f"ev-{j}", kind="event", label=f"{etype} {j}", type=etype, cameo="040", status="occurred",
                   trigger=etype, date=start, start=start, end=start, granularity="day", n_sources=1,
                   sources=[{"doc": f"doc-{j % 500}", "sentence": sentence, "start": 0, "end": len(sentence)}])
        people = {min(int(rng.paretovariate(0.6)) - 1, n_entities - 1) if rng.random() < 0.5
                  else rng.randrange(n_entities) for _ in range(rng.randint(2, 3))}
        for k, p in enumerate(sorted(people)):
            key += 1
            u, v = (f"ent-{p}", f"ev-{j}") if k == 0 else (f"ev-{j}", f"ent-{p}")
            G.add_edge(u, v, key=f"e{key}", relation="agent" if k == 0 else "recipient",
                       evidence=G.nodes[f"ev-{j}"]["sources"][0])
        if j and j % 10 == 0:
            key += 1
            G.add_edge(f"ev-{j - 1}", f"ev-{j}", key=f"e{key}", relation="before")
    return G


# ---------------------------------------------------------------- headless Chromium over the DevTools protocol

CHROMIUM = "/usr/bin/chromium"


class Chromium:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (DevTools protocol, standard library only).

    It records console messages, uncaught exceptions, log entries and every network request, so tests
    can assert that a page made no request and logged no error; and it sends real mouse events.
    """

    def __init__(self, profile: str, width: int = 1400, height: int = 900):
        import os
        import subprocess

        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def wire() -> None:  # the browser reads commands on fd 3 and writes replies on fd 4
            read, write = os.dup(to_chrome_r), os.dup(from_chrome_w)  # above 6: never clobbered by dup2
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._out, self._in = to_chrome_w, from_chrome_r
        self._buf, self._id, self.events = b"", 0, []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=True)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def _message(self, timeout: float) -> dict:
        import json
        import os
        import select

        while b"\0" not in self._buf:
            ready, _, _ = select.select([self._in], [], [], timeout)
            if not ready:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: bool = False, timeout: float = 60) -> dict:
        """Send one command and return its result; events that arrive meanwhile go to ``self.events``."""
        import json
        import os

        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._message(timeout)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url: str, before: str | None = None) -> None:
        """Load ``url``, forgetting the previous page's events; ``before`` runs ahead of the page's own scripts."""
        if before:
            self.send("Page.addScriptToEvaluateOnNewDocument", {"source": before}, session=True)
        self.events = []
        self.send("Page.navigate", {"url": url}, session=True)

    def eval(self, expression: str):
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("exception", {}).get("description", result))
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30, poll: float = 0.05):
        """Poll until ``expression`` is truthy; return its value."""
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                value = self.eval(expression)
            except RuntimeError:  # e.g. the document is not there yet
                value = None
            if value:
                return value
            time.sleep(poll)
        raise TimeoutError(f"waited {timeout} s for {expression}")

    def mouse(self, kind: str, x: float, y: float) -> None:
        """A real mouse event: ``move``, or ``click`` (press and release of the left button)."""
        if kind == "move":
            self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y}, session=True)
            return
        for phase in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": phase, "x": x, "y": y, "button": "left",
                                                   "clickCount": 1}, session=True)

    def screenshot(self, path: str) -> None:
        import base64
        from pathlib import Path

        data = self.send("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def requests(self) -> list[str]:
        """Every URL the page asked for."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def errors(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and error log entries (CSP, failed loads)."""
        out = []
        for e in self.events:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                out.append(str(p.get("exceptionDetails", {}).get("exception", {}).get("description")))
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                out.append(p["entry"].get("text", ""))
        return out

    def close(self) -> None:
        import os

        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # already gone
            pass
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
        os.close(self._out)
        os.close(self._in)


# ---------------------------------------------------------------- real builds: the seeds and an article with payloads

ROOT = Path(__file__).resolve().parent.parent


def seeds_dir() -> Path | None:
    """The seed articles: $KG_SEEDS, else the project's shared/seeds beside the checkout or under /work."""
    for path in (os.environ.get("KG_SEEDS"), ROOT.parent / "shared" / "seeds", "/work/shared/seeds"):
        if path and Path(path).is_dir():
            return Path(path)
    return None


@functools.lru_cache(maxsize=None)
def seeds_graph() -> nx.MultiDiGraph:
    """The seeds built as the README builds them (--published 2023-06-15); once per test session."""
    import kg

    return kg.build([str(seeds_dir())], published="2023-06-15", progress=False).graph


# An article written for the tests whose names, quotes and sentences carry HTML and script payloads.
XSS_ARTICLE = (
    "Foreign Minister Jane Doe spoke by phone with Prime Minister Rob Stone on Monday "
    "<img src=x onerror=alert(1)>, the ministry said <script>alert(1)</script>.\n\n"
    'Mark "The Hawk" Ray, the spokesman of the Harbor Alliance, said on Wednesday that the talks had gone well.'
)


def xss_graph(tmp: Path) -> nx.MultiDiGraph:
    """A real build of :data:`XSS_ARTICLE` (written to ``tmp``)."""
    import kg

    path = tmp / "payload.txt"
    path.write_text(XSS_ARTICLE, encoding="utf-8")
    return kg.build([str(path)], published="2023-06-15", progress=False).graph
