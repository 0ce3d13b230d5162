"""End to end through the command line: the seeds, the bundled examples, and bad input."""
import json
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ["graph.html", "graph.graphml", "graph.gexf", "events.jsonl", "entities.jsonl", "relations.jsonl"]


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory, seeds_dir):
    out = tmp_path_factory.mktemp("seeds")
    assert main(["build", str(seeds_dir), "--published", "2023-06-15", "--out", str(out), "--quiet"]) == 0
    return out


def test_build_writes_every_output(seeds_out):
    for name in OUTPUTS:
        assert (seeds_out / name).stat().st_size > 0, name


def test_one_call_between_blinken_and_qin_with_both_sources(seeds_out):
    calls = [e for e in read_jsonl(seeds_out / "events.jsonl") if e["type"] == "call"]
    names = [{p["name"] for p in e["participants"]} for e in calls]
    blinken_qin = [e for e, n in zip(calls, names) if {"Antony Blinken", "Qin Gang"} <= n]
    assert len(blinken_qin) == 1, calls
    call = blinken_qin[0]
    assert call["time"]["value"] == "2023-06-14" and call["time"]["granularity"] == "day"
    assert call["cameo"] == "041" and call["status"] == "occurred"
    assert sorted({s["doc"] for s in call["sources"]}) == ["000_45f0cf3c5b2a69eb", "004_2e7087d2a80bcd88"]
    agent = [p["name"] for p in call["participants"] if p["role"] == "agent"]
    assert agent == ["Antony Blinken"]


def test_one_blinken_entity_with_his_aliases(seeds_out):
    ents = read_jsonl(seeds_out / "entities.jsonl")
    blinken = [e for e in ents if e["name"] == "Antony Blinken"]
    assert len(blinken) == 1
    assert {"Blinken", "Secretary Blinken"} <= set(blinken[0]["aliases"])
    assert blinken[0]["type"] == "PERSON"
    assert not [e for e in ents if "Blinken" in e["aliases"] and e["id"] != blinken[0]["id"]]


def test_february_trip_is_called_off_with_month_granularity(seeds_out):
    off = [e for e in read_jsonl(seeds_out / "events.jsonl") if e["type"] in ("postponement", "cancellation")]
    assert off, "the February trip that was called off is missing"
    assert any(e["time"] and e["time"]["value"] == "2023-02" and e["time"]["granularity"] == "month"
               and e["status"] in ("postponed", "cancelled") for e in off)


def test_graphml_loads_with_networkx(seeds_out):
    G = nx.read_graphml(seeds_out / "graph.graphml")
    kinds = {d.get("kind") for _, d in G.nodes(data=True)}
    assert kinds == {"entity", "event"}
    assert G.number_of_edges() > 0


def test_html_has_no_remote_resources(seeds_out):
    html = (seeds_out / "graph.html").read_text(encoding="utf-8")
    import re

    remote = re.findall(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.I)
    assert remote == []


def test_examples_build_and_report(tmp_path, capsys):
    assert main(["build", str(ROOT / "examples" / "articles"), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "5 documents read, 0 skipped" in out
    events = read_jsonl(tmp_path / "events.jsonl")
    kishida = [e for e in events if e["type"] == "meeting"
               and {"Fumio Kishida", "Yoon Suk Yeol"} <= {p["name"] for p in e["participants"]}]
    starts = sorted(e["time"]["start"] for e in kishida if e["time"])
    assert starts == ["2023-03-01", "2023-05-07"]  # talks in Tokyo in March; "on Sunday afternoon" in Seoul


def test_broken_article_is_skipped_and_the_rest_processed(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Indian Prime Minister Narendra Modi met Pakistani Prime Minister "
                                     "Nawaz Sharif in Lahore on Friday.", encoding="utf-8")
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    (inputs / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    out = tmp_path / "out"
    assert main(["build", str(inputs), "--published", "2015-12-26", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "1 documents read, 2 skipped" in captured.out
    assert "empty.txt" in captured.err and "scan.txt" in captured.err
    meetings = [e for e in read_jsonl(out / "events.jsonl") if e["type"] == "meeting"]
    assert meetings and meetings[0]["time"]["value"] == "2015-12-25"
    assert main(["build", str(inputs), "--published", "2015-12-26", "--out", str(out), "--strict", "-q"]) == 2


@pytest.mark.parametrize("argv, message", [
    (["build", "/no/such/dir", "--out", "OUT"], "does not exist"),
    (["build", "README.md", "--published", "15/06/2023", "--out", "OUT"], "YYYY-MM-DD"),
])
def test_errors_are_one_line_with_exit_1(tmp_path, capsys, argv, message):
    argv = [str(tmp_path / "o") if a == "OUT" else a for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ") and message in err[0]


def test_unknown_format_lists_the_known_ones(capsys):
    with pytest.raises(SystemExit):
        main(["build", "x", "--out", "o", "--format", "pdf"])
    assert "choose from html, graphml, gexf, jsonl" in capsys.readouterr().err


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from kg.cli import make_parser

    parser = make_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, cmd in sub.choices.items():
        assert f"kg {name}" in readme
        for action in cmd._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"{opt} of kg {name} is not documented"


def test_jobs_2_gives_the_same_records_as_one_process(tmp_path, monkeypatch):
    from kg import pipeline

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol "
                                  "in Seoul on Sunday.", encoding="utf-8")
    # b.txt is parsed in pieces, so pieces of one article travel through the worker processes in order
    (inputs / "b.txt").write_text("\n\n".join(
        f"German Chancellor Olaf Scholz spoke to French President Emmanuel Macron by phone on {d}." for d in
        ("Monday", "Tuesday", "Wednesday", "Thursday")), encoding="utf-8")
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 120)
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        assert main(["build", str(inputs), "--published", "2023-05-10", "--out", str(out), "-q", "--jobs", jobs]) == 0
        outs.append({name: (out / name).read_text(encoding="utf-8")
                     for name in ("events.jsonl", "entities.jsonl", "relations.jsonl")})
    assert outs[0] == outs[1]
    assert len(read_jsonl(tmp_path / "out2" / "events.jsonl")) == 5
