"""Ingest: every input kind becomes Articles; bad input becomes a Skipped with a reason."""
import datetime as dt
import io
import json
import os

import pytest

from kg.errors import InputError
from pathlib import Path

from kg.ingest import clean_text, date_from_url, iter_articles, language_share, parse_date, parse_published
from kg.records import Article, Skipped


def _write(tmp_path, name, content, mode="w"):
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_txt_file_id_is_stem(tmp_path):
    p = _write(tmp_path, "012_call.txt", "Blinken called Qin on Wednesday.")
    [a] = list(iter_articles([p]))
    assert a == Article(id="012_call", text="Blinken called Qin on Wednesday.", path=str(p))


def test_folder_is_recursive_and_sorted(tmp_path):
    _write(tmp_path, "b.txt", "Second article text.")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "a.txt", "Nested article text.")
    _write(tmp_path, "a.txt", "First article text.")
    _write(tmp_path, "notes.md", "not an article")
    ids = [a.id for a in iter_articles(tmp_path)]
    assert ids == ["a", "b", "a"]  # a.txt, b.txt, sub/a.txt: path order; duplicate ids are renamed by the build


def test_jsonl_records_keep_metadata(tmp_path):
    recs = [{"id": "r1", "text": "Modi met Sharif in Lahore.", "published": "2015-12-26", "url": "http://x",
             "source": "Wire", "title": "Modi in Lahore"},
            {"text": "Merkel spoke to Putin by phone."}]
    p = _write(tmp_path, "feed.jsonl", "\n".join(json.dumps(r) for r in recs) + "\n")
    a, b = list(iter_articles(p))
    assert a.id == "r1" and a.published == dt.date(2015, 12, 26) and a.source == "Wire"
    assert a.text.startswith("Modi in Lahore\n\n")  # the title is part of what is read
    assert b.id == "feed-2" and b.published is None


def test_published_flag_overrides_metadata(tmp_path):
    p = _write(tmp_path, "one.json", json.dumps({"text": "Talks were held.", "published": "2020-01-01"}))
    [a] = list(iter_articles(p, published="2023-06-15"))
    assert a.published == dt.date(2023, 6, 15)


@pytest.mark.parametrize("content, reason", [
    ("", "empty file (0 bytes)"),
    ("   \n\t  ", "no text (only whitespace)"),
    (b"%PDF-1.4\x00\x00\x01binary", "binary file (a PDF document), not text; extract its text first and give a .txt"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (a PNG image), not text; extract its text first and give a .txt"),
    (b"\x01\x02\x00\x03\x04\x05\x06", "binary content (NUL bytes), not text"),
    (bytes(range(1, 32)) * 10, "binary content (control characters), not text"),
])
def test_unreadable_text_is_skipped_with_reason(tmp_path, content, reason):
    p = _write(tmp_path, "bad.txt", content)
    [s] = list(iter_articles(p))
    assert s == Skipped("bad", str(p), reason)


@pytest.mark.parametrize("name, content, reason", [
    ("empty.jsonl", "", "empty file (no JSON lines)"),
    ("empty.json", "", "empty file (0 bytes)"),
    ("list.json", "[]", "no records (an empty JSON list)"),
    ("bad.json", '{"text": "x",}',
     "invalid JSON at line 1, column 14: Expecting property name enclosed in double quotes"),
])
def test_empty_or_broken_json_files_are_skipped(tmp_path, name, content, reason):
    p = _write(tmp_path, name, content)
    assert list(iter_articles(p)) == [Skipped(p.stem, str(p), reason)]


def test_bad_jsonl_line_skipped_others_kept(tmp_path):
    p = _write(tmp_path, "feed.jsonl", '{"text": "Abe visited Delhi."}\n{not json\n{"title": "no text"}\n')
    items = list(iter_articles(p))
    assert isinstance(items[0], Article)
    assert items[1] == Skipped("feed-2", f"{p}:2", "invalid JSON at column 2: Expecting property name enclosed "
                                                   "in double quotes")
    assert items[2] == Skipped("feed-3", f"{p}:3", "record has no 'text' field (its fields: title); "
                                                   "put the article in 'text'")


@pytest.mark.parametrize("value", ["yesterday", "2023-13-45", 20230615])
def test_bad_published_in_record_warns_and_keeps_the_article(tmp_path, value):
    p = _write(tmp_path, "feed.jsonl", json.dumps({"id": "x", "text": "A summit was held.", "published": value}))
    warnings = []
    [a] = list(iter_articles(p, warn=lambda where, msg: warnings.append((where, msg))))
    assert a.id == "x" and a.published is None
    assert warnings == [(f"{p}:1", f"'published' {value!r} is not a date (write YYYY-MM-DD); kept the article, "
                                   "its reference date is inferred from the text")]


def test_published_flag_silences_bad_record_dates(tmp_path):
    p = _write(tmp_path, "feed.jsonl", '{"text": "A summit was held.", "published": "yesterday"}\n')
    warnings = []
    [a] = list(iter_articles(p, published="2023-06-15", warn=lambda *w: warnings.append(w)))
    assert a.published == dt.date(2023, 6, 15) and warnings == []


@pytest.mark.parametrize("value", ["2023-06-15", "2023-06-15T08:30:00+02:00", "Thu, 15 Jun 2023 08:30:00 GMT",
                                   "15 June 2023", "June 15, 2023", "Jun. 15 2023"])
def test_metadata_dates_in_common_unambiguous_forms(value):
    assert parse_published(value) == dt.date(2023, 6, 15)


def test_encodings_decode(tmp_path):
    text = "The minister met Lavrov at the Élysée on Monday “to talk”."
    files = [_write(tmp_path, "a.txt", text.encode("cp1252")), _write(tmp_path, "b.txt", text.encode("utf-16")),
             _write(tmp_path, "c.txt", text.encode("utf-16-le")), _write(tmp_path, "d.txt", text.encode("utf-8-sig")),
             _write(tmp_path, "e.txt", "Réunion à Genève.".encode("latin-1"))]
    warnings = []
    texts = [a.text for a in iter_articles(files, warn=lambda where, msg: warnings.append((Path(where).name, msg)))]
    assert texts == [text] * 4 + ["Réunion à Genève."]
    assert warnings == [("a.txt", "not UTF-8; decoded as Latin-1 (Windows-1252)"),
                        ("c.txt", "UTF-16 text without a byte-order mark; decoded as UTF-16-LE"),
                        ("e.txt", "not UTF-8; decoded as Latin-1 (Windows-1252)")]


def test_missing_path_is_skipped_and_the_others_read(tmp_path):
    p = _write(tmp_path, "a.txt", "Ministers met.")
    items = list(iter_articles(["/no/such/folder", p]))
    assert items == [Skipped("folder", "/no/such/folder", "no such file or folder"),
                     Article(id="a", text="Ministers met.", path=str(p))]


def test_html_is_stripped_to_readable_paragraphs(tmp_path):
    page = ("<html><head><title>T | Site</title><meta name='pubdate' content='2023-06-15'><style>p{}</style>"
            "</head><body><nav><ul><li>Home<li>World</ul></nav><article><h1>Ministers meet</h1><p>The ministers"
            " met in <b>Geneva</b> on Tuesday &amp; agreed to talk again.<p>A spokesperson called it useful.<br>"
            "More talks follow.</article><footer>© Site</footer></body></html>")
    p = _write(tmp_path, "page.html", page)
    [a] = list(iter_articles(p))
    assert a.text == ("Ministers meet\n\nThe ministers met in Geneva on Tuesday & agreed to talk again.\n\n"
                      "A spokesperson called it useful.\nMore talks follow.")
    assert a.title == "Ministers meet" and a.published == dt.date(2023, 6, 15)


def test_html_inside_a_json_record_is_stripped(tmp_path):
    rec = {"id": "h", "text": "<p>The ministers met in Geneva.</p><p>They agreed to meet again.</p><div>x</div>"}
    p = _write(tmp_path, "h.json", json.dumps(rec))
    [a] = list(iter_articles(p))
    assert a.text == "The ministers met in Geneva.\n\nThey agreed to meet again.\n\nx"


def test_stdin_jsonl_is_streamed(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('\n{"id": "a", "text": "Talks were held."}\n{bad\n'))
    items = list(iter_articles(["-"]))
    assert items[0] == Article(id="a", text="Talks were held.", path="stdin:2")
    assert items[1] == Skipped("stdin-3", "stdin:3", "invalid JSON at column 2: Expecting property name "
                                                     "enclosed in double quotes")


@pytest.mark.parametrize("text, share", [
    ("The ministers met in Geneva on Tuesday and said that they would meet again in the spring. " * 3, 10 / 17),
    ("Les ministres se sont rencontrés à Genève mardi et ont dit qu'ils se reverraient au printemps. " * 3, 0.0),
    ("Too short to judge.", None),
])
def test_language_share(text, share):
    from spacy.lang.en.stop_words import STOP_WORDS

    assert language_share(text, STOP_WORDS) == share


def test_stdin_text(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Erdogan hosted Zelensky in Istanbul."))
    [a] = list(iter_articles(["-"]))
    assert a.id == "stdin" and "Zelensky" in a.text


@pytest.mark.parametrize("value, expected", [
    ("2023-06-15", dt.date(2023, 6, 15)),
    ("2023-06-15T08:30:00Z", dt.date(2023, 6, 15)),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2023-13-45", "15/06/2023"])
def test_parse_date_rejects_with_fix(value):
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_date(value)


def test_clean_text_blanks_site_boilerplate_keeping_offsets():
    text = ("The minister arrived in Paris on Monday.\n\n[with agency inputs]\n\n"
            "Our site is now on Telegram. Click here to join our channel\n\nLEAVE A REPLY\n"
            "Please enter your comment!\n")
    cleaned = clean_text(text)
    assert len(cleaned) == len(text)
    assert cleaned.startswith("The minister arrived in Paris on Monday.")
    for gone in ("inputs", "Telegram", "REPLY", "comment"):
        assert gone not in cleaned


def test_a_pipe_in_a_folder_is_skipped_not_read(tmp_path):
    os.mkfifo(tmp_path / "feed.txt")
    assert list(iter_articles(tmp_path)) == [Skipped("feed", str(tmp_path / "feed.txt"),
                                                     "not a regular file (a pipe, socket or device)")]


@pytest.mark.parametrize("url, expected", [
    ("https://news.example.org/2016/10/13/council-picks-new-chief/", dt.date(2016, 10, 13)),
    ("http://daily.example.com/world/2015-10/20/content_22236860.htm", dt.date(2015, 10, 20)),
    ("https://paper.example.com/politics/la-fg-envoy-expelled-20110406-story.html", dt.date(2011, 4, 6)),
    ("https://www.example.co.uk/news/world-europe-65396613", None),  # an id, not a date
    ("http://archive.example.ru/free/2006/3/article/deal-signed/206477.html", None),  # a month says too little
    ("https://2019.example.org/about", None),  # the host is never read
    ("https://news.example.org/2023/02/30/not-a-day/", None),
    (None, None),
])
def test_date_from_url_reads_only_whole_days_in_the_path(url, expected):
    assert date_from_url(url) == expected


def test_a_record_without_published_takes_the_day_in_its_url(tmp_path, nlp):
    from kg.pipeline import build

    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({
        "id": "envoy", "url": "https://news.example.org/2011/04/06/envoy-expelled/",
        "text": "The government expelled the ambassador of Ruritania on Tuesday, the foreign ministry said."}) + "\n",
        encoding="utf-8")
    g = build([feed], progress=False)
    assert g.report.references == {"envoy": "metadata"}
    assert g.doc_results[0].reference == dt.date(2011, 4, 6)
    assert "reference date read from the article's address for 1: envoy" in g.report.summary(g)
