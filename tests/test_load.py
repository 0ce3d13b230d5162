"""Saving and loading builds: mention records round-trip, kg.load gives back an equal graph, --into extends."""
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from test_query import same_graph, story_graph

import kg
from kg.errors import InputError
from kg.graph import KnowledgeGraph
from kg.pipeline import extract
from kg.records import Article, DocResult
from kg.store import (MENTIONS_FILE, doc_result_from_dict, doc_result_to_dict, load, read_mentions, record_from_dict,
                      record_to_dict, write_mentions)

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("Foreign Minister Anna Varga telephoned her Austrian counterpart Lukas Berger on Tuesday, "
        "two weeks after a summit in Vienna was postponed. Varga said the talks would resume in March.")


@pytest.fixture(scope="module")
def result(nlp):
    article = Article("varga-call", TEXT, title="Ministers talk", published=dt.date(2023, 6, 15), url="https://x.test/1",
                      source="Test Wire", path="in/varga-call.txt")
    return extract(nlp(TEXT), article)


def test_doc_result_round_trips_through_json(result):
    assert result.events and result.entities and result.times  # the record holds something to round-trip
    line = json.loads(json.dumps(doc_result_to_dict(result)))
    without_text = dataclasses.replace(result, article=dataclasses.replace(result.article, text=""))
    assert doc_result_from_dict(line) == without_text
    assert "text" not in line["article"] and line["kg_mentions"] == 1
    assert doc_result_from_dict(json.loads(json.dumps(doc_result_to_dict(result, text=True)))) == result


def test_records_leave_defaults_out(result):
    ev = result.events[0]
    data = record_to_dict(ev)
    assert "quote" not in data and data["source"]["doc"] == "varga-call"
    assert record_from_dict(type(ev), data) == ev


def test_mentions_file_is_sorted_and_read_back(result, tmp_path):
    other = DocResult(Article("a-first", ""), None, "none")
    path = write_mentions([result, other], tmp_path)
    assert path == tmp_path / MENTIONS_FILE
    assert [json.loads(line)["article"]["id"] for line in path.read_text(encoding="utf-8").splitlines()] == [
        "a-first", "varga-call"]
    assert [r.article.id for r in read_mentions(tmp_path)] == ["a-first", "varga-call"]


def test_unknown_mentions_layout_is_a_clear_error(tmp_path):
    (tmp_path / MENTIONS_FILE).write_text('{"kg_mentions": 9, "article": {"id": "x"}}\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown mentions.jsonl layout 9"):
        read_mentions(tmp_path)
    (tmp_path / MENTIONS_FILE).write_text('{"kg_mentions": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"mentions.jsonl, line 1: not a mention record"):
        read_mentions(tmp_path)


def test_load_folder_gives_an_equal_graph(tmp_path):
    G = story_graph()
    (tmp_path / MENTIONS_FILE).write_text("{}\n", encoding="utf-8")  # left by an earlier build: removed
    KnowledgeGraph(G).write(tmp_path, formats=["jsonl"])
    g = kg.load(tmp_path)
    assert same_graph(g.graph, G)
    assert not g.extendable and not (tmp_path / MENTIONS_FILE).exists()  # no mention records to save


@pytest.mark.parametrize("where", ["file", "folder"])
def test_load_graphml_gives_an_equal_graph(tmp_path, where):
    G = story_graph()
    G.graph["documents"] = {"a": {"title": "Call", "published": "2023-06-15", "reference": "given", "url": None,
                                  "source": None}}
    KnowledgeGraph(G).write(tmp_path, formats=["graphml"])
    g = load(tmp_path / "graph.graphml" if where == "file" else tmp_path)
    assert same_graph(g.graph, G)
    with pytest.raises(InputError, match=r"cannot be extended: it was loaded without its mention records"):
        g.doc_results


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing", "does not exist"),
    (lambda p: p, "is not a build folder (no events.jsonl or graph.graphml in it)"),
    (lambda p: (p / "notes.txt", (p / "notes.txt").write_text("x"))[0], "is not a build folder or a .graphml file"),
    (lambda p: (p / "g.graphml", (p / "g.graphml").write_text("<html/>"))[0], "is not a GraphML file kg-timeline wrote"),
])
def test_load_errors_name_the_path_and_the_fix(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError) as err:
        load(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_loaded_build_restores_documents_and_mention_records(tmp_path):
    g = kg.build([ROOT / "examples" / "articles" / "kishida-seoul-visit.json"], progress=False)
    g.write(tmp_path, formats=["jsonl"])
    loaded = kg.load(tmp_path)
    assert same_graph(loaded.graph, g.graph)  # documents (titles, dates) come back from mentions.jsonl
    assert loaded.graph.graph["documents"] == {"kishida-seoul-visit": {
        "title": "Kishida visits Seoul as Japan and South Korea mend ties", "published": "2023-05-08",
        "reference": "given", "url": None, "source": g.doc_results[0].article.source}}
    assert loaded.doc_results == [dataclasses.replace(r, article=dataclasses.replace(r.article, text=""))
                                  for r in g.doc_results]
