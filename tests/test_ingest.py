"""Ingest: every input kind becomes Articles; bad input becomes a Skipped with a reason."""
import datetime as dt
import io
import json

import pytest

from kg.errors import InputError
from kg.ingest import clean_text, iter_articles, parse_date
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
    ("", "empty document"),
    ("   \n\t  ", "empty document"),
    (b"%PDF-1.4\x00\x00\x01binary", "binary content"),
])
def test_unreadable_text_is_skipped_with_reason(tmp_path, content, reason):
    p = _write(tmp_path, "bad.txt", content)
    [s] = list(iter_articles(p))
    assert isinstance(s, Skipped) and reason in s.reason and s.path == str(p)


def test_bad_jsonl_line_skipped_others_kept(tmp_path):
    p = _write(tmp_path, "feed.jsonl", '{"text": "Abe visited Delhi."}\n{not json\n{"title": "no text"}\n')
    items = list(iter_articles(p))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], Skipped) and "line 2" in items[1].reason
    assert isinstance(items[2], Skipped) and "no 'text'" in items[2].reason


def test_bad_published_in_record_is_reported(tmp_path):
    p = _write(tmp_path, "feed.jsonl", '{"id": "x", "text": "A summit was held.", "published": "2023-13-45"}\n')
    [s] = list(iter_articles(p))
    assert isinstance(s, Skipped) and "2023-13-45" in s.reason


def test_latin1_and_utf16_decode(tmp_path):
    latin = _write(tmp_path, "l.txt", "Le ministre a rencontré Lavrov.".encode("latin-1"))
    utf16 = _write(tmp_path, "u.txt", "Ministers met in Geneva.".encode("utf-16"))
    texts = [a.text for a in iter_articles([latin, utf16])]
    assert texts == ["Le ministre a rencontré Lavrov.", "Ministers met in Geneva."]


def test_missing_path_is_an_input_error():
    with pytest.raises(InputError, match="does not exist"):
        list(iter_articles(["/no/such/folder"]))


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
