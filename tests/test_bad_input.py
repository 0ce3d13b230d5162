"""Bad input through `kg build`: one clear line per problem, nothing else lost, no traceback.

One build reads a folder holding a good article beside one example of every kind of bad input;
each test checks its own message, its row of skipped.jsonl and that the good articles still gave
their events. Builds that need their own setting (an output path, an interruption) run apart.
"""
import contextlib
import io
import json
import os
from pathlib import Path

import pytest

import exporters
from exporters._io import atomic_open
from kg import pipeline
from kg.cli import main
from kg.ingest import iter_articles
from kg.pipeline import split_text

MODI = ("Indian Prime Minister Narendra Modi met Pakistani Prime Minister Nawaz Sharif "
        "in Lahore on Friday.")
FIDAN = ("Turkish Foreign Minister Hakan Fidan met Greek Foreign Minister Giorgos Gerapetritis "
         "in Athens on 5 September 2023.")
LULA = ("Brazilian President Luiz Inacio Lula da Silva met Argentine President Alberto Fernandez "
        "in Brasilia on 30 May 2023.")
TRUDEAU = ("Canadian Prime Minister Justin Trudeau met Mexican President Andres Manuel Lopez Obrador "
           "in Mexico City on 10 January 2023.")
SCHOLZ = "German Chancellor Olaf Scholz met French President Emmanuel Macron at the Élysée Palace in Paris on Monday."
KISHIDA = "Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol in Seoul on Sunday."
FRENCH = ("Le ministre des Affaires étrangères a rencontré son homologue à Genève mardi. Les deux hommes "
          "ont discuté de la sécurité régionale et de la coopération économique entre leurs pays. Selon un "
          "communiqué publié après la réunion, ils ont convenu de se revoir au mois de septembre.")
PAGE = """<!DOCTYPE html><html><head><title>Leaders meet | Example News</title>
<meta property="article:published_time" content="2023-03-16T09:00:00Z">
<script>window.channel = "Telegram";</script></head>
<body><nav><a href="/">Home</a> <a href="/t">Join our Telegram channel</a></nav>
<article><h1>Leaders hold talks in Tokyo</h1>
<p>Japanese Prime Minister Fumio Kishida met Australian Prime Minister Anthony Albanese in Tokyo on Thursday.</p>
<p>The two leaders agreed to expand security &amp; trade ties.</p></article>
<footer>Copyright 2023 Example News</footer></body></html>"""
# A long article: many paragraphs of distinct meetings, parsed in pieces (CHUNK_CHARS is lowered below).
PAIRS = [("Angela Merkel", "Emmanuel Macron"), ("Justin Trudeau", "Joe Biden"), ("Fumio Kishida", "Joe Biden"),
         ("Olaf Scholz", "Rishi Sunak"), ("Narendra Modi", "Joe Biden"), ("Anthony Albanese", "Chris Hipkins")]
LONG = "\n\n".join(f"{a} met {b} in Washington on {day} March 2023. The talks lasted two hours, officials said."
                   for (a, b), day in zip(PAIRS, range(6, 12)))
ONE_LINE = " ".join(f"{a} met {b} in Berlin on {day} April 2023." for (a, b), day in zip(PAIRS, range(3, 9)))


def _run(argv):
    """Run the CLI; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _meetings(out):
    """Frozen sets of participant names of the meetings in out/events.jsonl."""
    return {frozenset(p["name"] for p in e["participants"] if p["role"] != "location")
            for e in _jsonl(out / "events.jsonl") if e["type"] == "meeting"}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, nlp):
    """One build over a folder with good articles and every kind of bad input."""
    root = tmp_path_factory.mktemp("mixed")
    d = root / "in"
    d.mkdir()
    (d / "good.json").write_text(json.dumps({"id": "good", "published": "2015-12-26", "text": MODI}), "utf-8")
    (d / "empty.txt").write_text("", "utf-8")
    (d / "blank.txt").write_text("  \n\t \n", "utf-8")
    (d / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (d / "latin1.txt").write_bytes(SCHOLZ.encode("latin-1"))
    (d / "utf16.txt").write_bytes(KISHIDA.encode("utf-16"))  # with a byte-order mark
    records = [{"id": "wire-1", "published": "yesterday", "text": FIDAN}, '{id: "wire-2", "text": "x"}',
               {"id": "wire-3", "title": "A headline without a body"},
               {"id": "wire-4", "published": "2023-13-45", "text": LULA},
               {"id": "wire-1", "text": FIDAN}, {"id": "wire-1", "text": TRUDEAU}]
    (d / "feed.jsonl").write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n",
                                  "utf-8")
    (d / "french.txt").write_text(FRENCH, "utf-8")
    (d / "page.html").write_text(PAGE, "utf-8")
    (d / "locked.txt").write_text(MODI, "utf-8")
    os.symlink(root / "gone.txt", d / "dangling.txt")
    (d / "long.txt").write_text(LONG, "utf-8")
    (d / "oneline.txt").write_text(ONE_LINE, "utf-8")
    locked = d / "locked.txt"
    read_bytes = Path.read_bytes

    def refuse(self):  # tests run as root, where chmod 000 does not stop reading
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "read_bytes", refuse)
        mp.setattr(pipeline, "CHUNK_CHARS", 200)  # long.txt and oneline.txt are parsed in pieces
        code, out, err = _run(["build", str(d), str(root / "report.pdf"), str(root / "nosuch.txt"),
                               "--out", str(root / "out")])
    return {"root": root, "in": d, "out": root / "out", "code": code, "stdout": out, "stderr": err,
            "skipped": _jsonl(root / "out" / "skipped.jsonl"), "meetings": _meetings(root / "out")}


GOOD = {frozenset({"Narendra Modi", "Nawaz Sharif"}), frozenset({"Hakan Fidan", "Giorgos Gerapetritis"}),
        frozenset({"Olaf Scholz", "Emmanuel Macron"}), frozenset({"Fumio Kishida", "Yoon Suk Yeol"})}


def test_bad_input_exits_0_with_a_summary_and_no_traceback(mixed):
    assert mixed["code"] == 0
    assert "Traceback" not in mixed["stderr"]
    assert mixed["stdout"].startswith("9 documents read, 11 skipped;")
    assert mixed["stderr"].splitlines()[-1] == (
        f"warning: 11 input(s) skipped, listed with reasons in {mixed['out'] / 'skipped.jsonl'}")
    assert GOOD <= mixed["meetings"]


# (file, line or None, the reason: in skipped.jsonl and, after "warning: skipped PATH[:LINE]: ", on stderr)
SKIPS = [
    ("in/empty.txt", None, "empty file (0 bytes)"),
    ("in/blank.txt", None, "no text (only whitespace)"),
    ("in/photo.txt", None, "binary file (a PNG image), not text; extract its text first and give a .txt"),
    ("report.pdf", None, "binary file (a PDF document), not text; extract its text first and give a .txt"),
    ("in/feed.jsonl", 2, "invalid JSON at column 2: Expecting property name enclosed in double quotes"),
    ("in/feed.jsonl", 3, "record has no 'text' field (its fields: id, title); put the article in 'text'"),
    ("in/feed.jsonl", 5, "duplicate of {root}/in/feed.jsonl:1 (same id and text)"),
    ("in/french.txt", None, "not in the model's language (en): 2% of its words are common en words; "
                            "give --model for its language"),
    ("in/locked.txt", None, "cannot read file (permission denied)"),
    ("in/dangling.txt", None, "broken symbolic link (its target {root}/gone.txt does not exist)"),
    ("nosuch.txt", None, "no such file or folder"),
]


@pytest.mark.parametrize("name, line, reason", SKIPS, ids=[f"{s[0]}:{s[1]}" for s in SKIPS])
def test_each_bad_input_is_one_line_and_one_skipped_row(mixed, name, line, reason):
    root = mixed["root"]
    reason = reason.format(root=root)
    where = f"{root / name}" + (f":{line}" if line else "")
    assert f"warning: skipped {where}: {reason}" in mixed["stderr"].splitlines()
    row = next(r for r in mixed["skipped"] if r["path"] == str(root / name) and r["line"] == line)
    assert row["reason"] == reason
    assert GOOD <= mixed["meetings"]  # the other documents were processed


# Kept documents: a warning line, and their events.
WARNINGS = [
    ("in/latin1.txt", "not UTF-8; decoded as Latin-1 (Windows-1252)", {"Olaf Scholz", "Emmanuel Macron"}),
    ("in/feed.jsonl:1", "'published' 'yesterday' is not a date (write YYYY-MM-DD); kept the article, "
                        "its reference date is inferred from the text", {"Hakan Fidan", "Giorgos Gerapetritis"}),
    ("in/feed.jsonl:4", "'published' '2023-13-45' is not a date (write YYYY-MM-DD); kept the article, "
                        "its reference date is inferred from the text", {"Alberto Fernandez"}),
    ("in/feed.jsonl:6", "id 'wire-1' was already used by {root}/in/feed.jsonl:1; this document is renamed "
                        "wire-1~2", {"Justin Trudeau", "Andres Manuel Lopez Obrador"}),
]


@pytest.mark.parametrize("where, message, names", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_kept_documents_are_warned_about_and_give_events(mixed, where, message, names):
    root = mixed["root"]
    assert f"warning: {root / where}: {message.format(root=root)}" in mixed["stderr"].splitlines()
    assert any(names <= m for m in mixed["meetings"])


def test_bad_published_date_is_inferred_from_the_text(mixed):
    inferred = next(x for x in mixed["stdout"].splitlines() if x.startswith("reference date inferred"))
    assert {"wire-1", "wire-4"} <= set(inferred.split(": ", 1)[1].split(", "))
    fidan = [e for e in _jsonl(mixed["out"] / "events.jsonl") if e["sources"][0]["doc"] == "wire-1"]
    assert [e["time"]["value"] for e in fidan] == ["2023-09-05"]


def test_utf16_with_bom_is_read_without_a_warning(mixed):
    assert "utf16.txt" not in mixed["stderr"]
    assert frozenset({"Fumio Kishida", "Yoon Suk Yeol"}) in mixed["meetings"]


def test_html_page_is_read_as_its_article_text(mixed):
    events = [e for e in _jsonl(mixed["out"] / "events.jsonl") if e["sources"][0]["doc"] == "page"]
    sentences = {s["sentence"] for e in events for s in e["sources"]}
    assert ("Japanese Prime Minister Fumio Kishida met Australian Prime Minister Anthony Albanese "
            "in Tokyo on Thursday.") in sentences
    assert not any("<" in s or "&amp;" in s for s in sentences)
    names = {e["name"] for e in _jsonl(mixed["out"] / "entities.jsonl")}
    assert "Telegram" not in names and "Example News" not in names  # navigation, script and footer are dropped
    # its date came from the page's metadata: Thursday before 16 March 2023
    assert {e["time"]["value"] for e in events if e["type"] == "meeting"} == {"2023-03-16"}


@pytest.mark.parametrize("doc, text", [("long", LONG), ("oneline", ONE_LINE)])
def test_long_text_parsed_in_pieces_keeps_offsets(mixed, doc, text):
    events = [e for e in _jsonl(mixed["out"] / "events.jsonl") if e["sources"][0]["doc"] == doc]
    assert {frozenset(p["name"] for p in e["participants"] if p["role"] != "location")
            for e in events if e["type"] == "meeting"} == {frozenset(p) for p in PAIRS}
    for e in events:
        for s in e["sources"]:
            assert text[s["start"]:s["end"]] == s["sentence"]


def test_split_text_cuts_5mb_at_paragraphs_and_joins_back():
    paragraph = "The ministers met in Geneva on Tuesday. They agreed to meet again in May.\n\n"
    text = paragraph * (5_000_000 // len(paragraph))
    pieces = split_text(text, 10_000)
    assert "".join(pieces) == text
    assert max(map(len, pieces)) <= 10_000 and all(p.endswith("\n\n") for p in pieces)


def test_split_text_cuts_a_200000_character_line_at_sentence_ends():
    text = "The envoy arrived in Cairo on Monday and met the foreign minister. " * 3000
    assert len(text) > 200_000 and "\n" not in text
    pieces = split_text(text, 10_000)
    assert "".join(pieces) == text
    assert all(len(p) <= 10_000 and p.endswith("minister. ") for p in pieces)


def test_split_text_without_spaces_cuts_at_the_limit():
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_5mb_article_is_read_whole(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("The ministers met in Geneva on Tuesday.\n\n" * 125_000, encoding="utf-8")
    assert p.stat().st_size == 5_125_000
    [a] = list(iter_articles(p))
    assert a.id == "big" and len(a.text) == 5_125_000


def _good_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(MODI, encoding="utf-8")
    return d


def test_output_folder_that_is_a_file_is_refused_before_the_build(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = _run(["build", str(_good_folder(tmp_path)), "--out", str(target)])
    assert code == 1 and out == ""
    assert err.splitlines() == [f"Error: --out {target} is a file, not a folder; give a folder (it is created "
                                "if missing)"]
    assert target.read_text(encoding="utf-8") == "keep me"


def test_output_folder_inside_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = _run(["build", str(_good_folder(tmp_path)), "--out", str(tmp_path / "file" / "out")])
    assert code == 1
    assert err.splitlines() == [f"Error: cannot create output folder {tmp_path / 'file' / 'out'}: "
                                f"{tmp_path / 'file'} is a file; choose another folder"]


def test_only_missing_inputs_is_an_error(tmp_path):
    code, _, err = _run(["build", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert code == 1
    assert err.splitlines() == [f"Error: input {str(tmp_path / 'nope')!r} does not exist; give a file, a folder "
                                "or - for stdin"]


def test_nothing_readable_is_an_error_and_writes_nothing(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_text("", encoding="utf-8")
    code, _, err = _run(["build", str(d), "--out", str(tmp_path / "out"), "-q"])
    assert code == 1
    assert err.splitlines()[-1] == (f"Error: no article could be read from {d} (1 skipped); "
                                    f"nothing was written to {tmp_path / 'out'}")
    assert not (tmp_path / "out").exists()


def test_strict_exits_2_and_skipped_jsonl_is_empty_when_nothing_skipped(tmp_path):
    d = _good_folder(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = _run(["build", str(d), "--published", "2015-12-26", "--out", str(out), "--strict"])
    assert code == 0 and err == ""
    assert (out / "skipped.jsonl").read_text(encoding="utf-8") == ""
    (d / "empty.txt").write_text("", encoding="utf-8")
    code, stdout, err = _run(["build", str(d), "--published", "2015-12-26", "--out", str(out), "--strict", "-q"])
    assert code == 2 and stdout == ""
    assert err.splitlines() == [f"warning: 1 input(s) skipped, listed with reasons in {out / 'skipped.jsonl'}"]
    assert _jsonl(out / "skipped.jsonl") == [{"id": "empty", "path": str(d / "empty.txt"), "line": None,
                                              "reason": "empty file (0 bytes)"}]
    assert frozenset({"Narendra Modi", "Nawaz Sharif"}) in _meetings(out)


def test_ignored_suffixes_and_previous_outputs_in_the_input_folder_are_said(tmp_path):
    d = _good_folder(tmp_path)
    (d / "scan.pdf").write_bytes(b"%PDF-1.4")
    (d / "notes.md").write_text("notes", encoding="utf-8")
    assert _run(["build", str(d), "--out", str(d / "out"), "-q"])[0] == 0
    code, out, err = _run(["build", str(d), "--out", str(d / "out")])
    assert code == 0 and out.startswith("1 documents read, 0 skipped;")
    assert err.splitlines() == [
        f"warning: {d / 'out'}: looks like a kg output folder (events.jsonl, entities.jsonl); not read as articles",
        f"warning: {d}: ignored 2 file(s) that are not .txt, .json, .jsonl or .html (.md, .pdf)"]


def test_a_failing_extraction_skips_that_document_only(tmp_path, monkeypatch):
    d = _good_folder(tmp_path)
    (d / "odd.txt").write_text(KISHIDA, encoding="utf-8")
    extract = pipeline.extract

    def fragile(doc, article, lexicon=None):
        if article.id == "odd":
            raise ValueError("unexpected token")
        return extract(doc, article, lexicon)

    monkeypatch.setattr(pipeline, "extract", fragile)
    code, out, err = _run(["build", str(d), "--out", str(tmp_path / "out")])
    assert code == 0 and "Traceback" not in err
    assert (f"warning: skipped {d / 'odd.txt'}: could not be processed (ValueError: unexpected token); "
            "please report this") in err.splitlines()
    assert _meetings(tmp_path / "out") == {frozenset({"Narendra Modi", "Nawaz Sharif"})}


@pytest.mark.parametrize("failure, code", [(KeyboardInterrupt, 130), (RuntimeError, None)])
def test_interrupted_export_leaves_the_previous_outputs(tmp_path, monkeypatch, failure, code):
    d = _good_folder(tmp_path)
    out = tmp_path / "out"
    assert _run(["build", str(d), "--out", str(out), "-q"])[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (d / "second.txt").write_text(KISHIDA, encoding="utf-8")

    def crash(G, path):  # an exporter dying halfway through its file
        with atomic_open(path) as fh:
            fh.write("<gexf")
            raise failure("stopped")

    monkeypatch.setitem(exporters._FILE_WRITERS, "graph.gexf", crash)
    if code is None:
        with pytest.raises(failure):
            _run(["build", str(d), "--out", str(out), "-q"])
    else:
        assert _run(["build", str(d), "--out", str(out), "-q"])[0] == code
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # same files, same bytes, no leftovers


def test_extending_a_graph_with_the_same_article_skips_it(tmp_path, nlp):
    d = _good_folder(tmp_path)
    first = pipeline.build([d], published="2015-12-26", progress=False)
    (d / "second.txt").write_text(KISHIDA, encoding="utf-8")
    g = pipeline.build([d], published="2015-12-26", into=first, progress=False)
    assert [(s.id, s.reason) for s in g.report.skipped] == [
        ("good", f"duplicate of {d / 'good.txt'} (same id and text)")]
    assert g.report.read == 1 and len(g.doc_results) == 2
    assert {frozenset({"Narendra Modi", "Nawaz Sharif"}), frozenset({"Fumio Kishida", "Yoon Suk Yeol"})} <= {
        frozenset(p["name"] for p in e["participants"] if p["role"] != "location") for e in g.events()}
