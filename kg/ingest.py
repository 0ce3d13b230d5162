"""Ingest: turn paths (files, folders, ``-`` for stdin) into a stream of Articles.

One ``_iter_<kind>`` reader per input format, chosen by suffix. A file or
record that cannot be read becomes a ``Skipped`` with a one-line reason; it
never stops the stream. Problems that do not cost the document (a guessed
encoding, an unreadable ``published``) go to the ``warn`` callback as
``(where, message)``. Files are read one at a time and JSON Lines one line at
a time, so memory does not grow with the corpus.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import html
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError
from .records import Article, Skipped

SUFFIXES = (".txt", ".json", ".jsonl", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
# Files a build writes; a folder holding them is an output folder, not articles.
OUTPUT_FILES = ("events.jsonl", "entities.jsonl")

Warn = Callable[[str, str], None]
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_WORDY_DATE = re.compile(r"^\s*(?:\w+,\s*)?(?:(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})"
                         r"|([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}))\b")

# Leading bytes of the binary formats people most often drop into an article folder.
_MAGIC = {b"%PDF-": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
          b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive or Office document",
          b"\xd0\xcf\x11\xe0": "an old Office document", b"\x1f\x8b": "gzip-compressed data",
          b"\x7fELF": "an executable", b"RIFF": "a media file"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _ignore(where: str, message: str) -> None:
    """The default ``warn``: say nothing."""


def parse_date(value, *, what: str = "date") -> dt.date:
    """An ISO date (``2023-06-15``, or a datetime string starting with one) as a ``date``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _ISO_DATE.match(str(value or ""))
    if not m:
        raise InputError(f"{what} {value!r} is not an ISO date; write it as YYYY-MM-DD, e.g. 2023-06-15")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as err:
        raise InputError(f"{what} {value!r} is not a calendar date ({err}); write it as YYYY-MM-DD") from err


def parse_published(value) -> dt.date:
    """A metadata date: ISO, RSS/e-mail style (``Thu, 15 Jun 2023 08:30:00 GMT``) or ``15 June 2023``.

    Only forms that name the year, month and day unambiguously; never a relative word such as
    "yesterday" (that would need the machine's clock).
    """
    text = str(value or "").strip()
    if _ISO_DATE.match(text):
        return parse_date(text, what="'published'")
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = _WORDY_DATE.match(text)
    if m:
        day, month, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
        number = _MONTHS.get(month[:3].lower())
        if number:
            try:
                return dt.date(int(year), number, int(day))
            except ValueError:
                pass
    return parse_date(text, what="'published'")  # raises the ISO message


# A day in an article's address, as news sites write them: /2016/10/13/, /2015-10/20/, -20110406-.
_URL_DAY = re.compile(r"(?<![\d])((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?![\d])")
_URL_DAY_COMPACT = re.compile(r"(?<![\d])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])")


def date_from_url(url: str | None) -> dt.date | None:
    """The publication day written in an article's address, or None.

    Only the path is read (never the host), and only whole year-month-day groups that are real
    calendar dates; a bare year or year/month says too little to anchor "Wednesday".

    >>> date_from_url("https://example.org/2016/10/13/un-picks-a-chief/")
    datetime.date(2016, 10, 13)
    >>> date_from_url("https://example.org/politics/la-fg-ecuador-20110406-story.html")
    datetime.date(2011, 4, 6)
    >>> date_from_url("https://example.org/news/world-europe-65396613") is None
    True
    """
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", str(url), flags=re.I)
    for pattern in (_URL_DAY, _URL_DAY_COMPACT):
        for m in pattern.finditer(path):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def iter_articles(paths: Iterable[str | os.PathLike] | str | os.PathLike,
                  published: dt.date | str | None = None, warn: Warn | None = None) -> Iterator[Article | Skipped]:
    """Yield an Article (or a Skipped) for every document under ``paths``, in a stable order.

    ``published``, when given, overrides every article's reference date. A path that does
    not exist is a Skipped, so the other inputs are still read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    warn = warn or _ignore
    given = parse_date(published, what="--published") if published is not None else None
    if given is not None:  # a record's own date is then unused: no warning about it
        warn = _without_published(warn)
    for path in paths:
        for item in _iter_path(path, warn):
            if given is not None and isinstance(item, Article):
                item = replace(item, published=given)
            yield item


def _without_published(warn: Warn) -> Warn:
    return lambda where, message: None if message.startswith("'published'") else warn(where, message)


def _iter_path(path, warn: Warn) -> Iterator[Article | Skipped]:
    if str(path) == "-":
        stream = sys.stdin
        if hasattr(stream, "buffer"):  # undecodable bytes must not end the run with a traceback
            stream = io.TextIOWrapper(stream.buffer, encoding="utf-8-sig", errors="replace")
        yield from _iter_stream(stream, "stdin", warn)
        return
    p = Path(path)
    if p.is_dir():
        yield from _iter_dir(p, warn)
    elif p.is_symlink() and not p.exists():
        yield Skipped(p.stem, str(p), f"broken symbolic link (its target {os.readlink(p)} does not exist)")
    elif not p.exists():
        yield Skipped(p.stem, str(p), "no such file or folder")
    else:
        yield from _iter_file(p, warn)


def _iter_dir(root: Path, warn: Warn) -> Iterator[Article | Skipped]:
    """Every article of the files under ``root`` (see :func:`list_dir`)."""
    for f in list_dir(root, warn):
        yield from _iter_file(f, warn)


def list_dir(root: Path, warn: Warn | None = None) -> list[Path]:
    """Every article file under ``root``, sorted; hidden files and kg output folders are left out (said to ``warn``)."""
    warn = warn or _ignore
    files, others, outputs, is_output = [], [], set(), {}
    for f in sorted(root.rglob("*")):
        if _hidden(f, root) or f.is_dir():
            continue
        if f.parent not in is_output:
            is_output[f.parent] = all((f.parent / name).exists() for name in OUTPUT_FILES)
        if is_output[f.parent]:
            outputs.add(f.parent)  # a previous build's output inside the input folder
        elif f.suffix.lower() in SUFFIXES:
            files.append(f)
        else:
            others.append(f)
    for folder in sorted(outputs):
        warn(str(folder), "looks like a kg output folder (events.jsonl, entities.jsonl); not read as articles")
    if others:
        kinds = ", ".join(sorted({f.suffix.lower() or "(no suffix)" for f in others}))
        warn(str(root), f"ignored {len(others)} file(s) that are not .txt, .json, .jsonl or .html ({kinds})")
    return files


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts)


def _iter_file(p: Path, warn: Warn) -> Iterator[Article | Skipped]:
    if p.is_symlink() and not p.exists():
        yield Skipped(p.stem, str(p), f"broken symbolic link (its target {os.readlink(p)} does not exist)")
        return
    if not p.is_file():  # reading a pipe or a device could block forever
        yield Skipped(p.stem, str(p), "not a regular file (a pipe, socket or device)")
        return
    suffix = p.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _iter_jsonl(p, warn)
        elif suffix == ".json":
            yield from _iter_json(p, warn)
        else:
            yield from _iter_txt(p, warn)
    except OSError as err:
        yield Skipped(p.stem, str(p), f"cannot read file ({(err.strerror or str(err)).lower()})")
    except UnicodeError as err:
        yield Skipped(p.stem, str(p), str(err))


def _iter_stream(stream, name: str, warn: Warn) -> Iterator[Article | Skipped]:
    """stdin: JSON Lines when the first non-blank line is a JSON object, else one text article."""
    first, n, head = "", 0, []
    for n, first in enumerate(stream, 1):
        head.append(first)
        if first.strip():
            break
    if first.lstrip().startswith("{"):
        yield _record_line(first, name, n, "stdin", warn)
        for n, line in enumerate(stream, n + 1):
            if line.strip():
                yield _record_line(line, name, n, "stdin", warn)
    else:
        yield _text_article(name, "".join(head) + stream.read(), name, warn)


def decode(raw: bytes, where: str = "input", warn: Warn | None = None) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-patterned), else Windows-1252.

    Raises UnicodeError with a one-line reason for binary content (PDF, images, archives...).
    """
    warn = warn or _ignore
    for magic, kind in _MAGIC.items():
        if raw.startswith(magic):
            raise UnicodeError(f"binary file ({kind}), not text; extract its text first and give a .txt")
    if raw.startswith((b"\xef\xbb\xbf",)):
        return raw.decode("utf-8-sig", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    head = raw[:4096]
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) < len(head) // 50:
            codec = "UTF-16-LE" if odd > even else "UTF-16-BE"
            warn(where, f"UTF-16 text without a byte-order mark; decoded as {codec}")
            return raw.decode(codec, errors="replace")
        raise UnicodeError("binary content (NUL bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: the usual other news encoding is Windows-1252, a superset of Latin-1's printable range.
        text = raw.decode("cp1252", errors="ignore") if _cp1252_ok(raw) else raw.decode("latin-1")
        warn(where, "not UTF-8; decoded as Latin-1 (Windows-1252)")
    if len(_CONTROL.findall(text[:4096])) > len(text[:4096]) // 20:
        raise UnicodeError("binary content (control characters), not text")
    return text


def _cp1252_ok(raw: bytes) -> bool:
    return not any(b in raw for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def read_text(p: Path, warn: Warn | None = None) -> str:
    """The text of file ``p``, decoded by :func:`decode`."""
    return decode(p.read_bytes(), str(p), warn)


def _iter_txt(p: Path, warn: Warn) -> Iterator[Article | Skipped]:
    raw = p.read_bytes()
    if not raw:
        yield Skipped(p.stem, str(p), "empty file (0 bytes)")
        return
    text = decode(raw, str(p), warn)
    if p.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        yield _html_article(p.stem, text, str(p), warn)
    else:
        yield _text_article(p.stem, text, str(p), warn)


def _text_article(doc_id: str, text: str, path: str, warn: Warn) -> Article | Skipped:
    if not text.strip():
        return Skipped(doc_id, path, "no text (only whitespace)" if text else "empty file (0 bytes)")
    if looks_like_html(text):
        return _html_article(doc_id, text, path, warn)
    return Article(id=doc_id, text=text, path=path)


def _html_article(doc_id: str, markup: str, path: str, warn: Warn) -> Article | Skipped:
    """An HTML page as an Article: the text of its article (tags stripped), its headline and date."""
    text, meta = html_to_text(markup)
    if not text.strip():
        return Skipped(doc_id, path, "HTML page without readable text")
    published = _published(meta.get("published"), path, warn)
    return Article(id=doc_id, text=text, title=meta.get("title"), published=published, path=path)


def _iter_json(p: Path, warn: Warn) -> Iterator[Article | Skipped]:
    raw = p.read_bytes()
    if not raw.strip():
        yield Skipped(p.stem, str(p), "empty file (0 bytes)" if not raw else "no text (only whitespace)")
        return
    try:
        data = json.loads(decode(raw, str(p), warn))
    except json.JSONDecodeError as err:
        yield Skipped(p.stem, str(p), f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}")
        return
    records = data if isinstance(data, list) else [data]
    if not records:
        yield Skipped(p.stem, str(p), "no records (an empty JSON list)")
    for n, rec in enumerate(records, 1):
        default_id = p.stem if len(records) == 1 else f"{p.stem}-{n}"
        yield _record(rec, default_id, f"{p}#{n}" if len(records) > 1 else str(p), warn)


def _iter_jsonl(p: Path, warn: Warn) -> Iterator[Article | Skipped]:
    lines = 0
    with p.open("rb") as fh:
        for item in iter_jsonl_lines(fh, str(p), p.stem, warn):
            lines += 1  # one item per non-blank line
            yield item
    if not lines:
        yield Skipped(p.stem, str(p), "empty file (no JSON lines)")


def iter_jsonl_lines(lines: Iterable[bytes], path: str, stem: str, warn: Warn | None = None,
                     first_line: int = 1) -> Iterator[Article | Skipped]:
    """A record per non-blank JSON line of ``lines`` (raw bytes, numbered from ``first_line``), as in a file."""
    warn = warn or _ignore
    for n, raw in enumerate(lines, first_line):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as err:
            yield Skipped(f"{stem}-{n}", f"{path}:{n}", f"not UTF-8 at byte {err.start}; JSON Lines must be UTF-8")
            continue
        yield _record_line(line, path, n, stem, warn)


def _record_line(line: str, path: str, n: int, stem: str, warn: Warn) -> Article | Skipped:
    where = f"{path}:{n}"
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as err:
        return Skipped(f"{stem}-{n}", where, f"invalid JSON at column {err.colno}: {err.msg}")
    return _record(rec, f"{stem}-{n}", where, warn)


def _record(rec, default_id: str, where: str, warn: Warn) -> Article | Skipped:
    """A JSON record with ``text`` and optional id, title, published, url, source."""
    if not isinstance(rec, dict):
        return Skipped(default_id, where, f"JSON record is a {type(rec).__name__}, not an object")
    doc_id = str(rec.get("id") or default_id)
    text = rec.get("text")
    if "text" not in rec:
        fields = ", ".join(sorted(rec)) or "none"
        return Skipped(doc_id, where, f"record has no 'text' field (its fields: {fields}); put the article in 'text'")
    if not isinstance(text, str):
        return Skipped(doc_id, where, f"record's 'text' is a {type(text).__name__}, not a string")
    if not text.strip():
        return Skipped(doc_id, where, "record's 'text' is empty")
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    if looks_like_html(text):
        text, meta = html_to_text(text)
        title = title or meta.get("title")
    if title and title.strip() and not text.lstrip().startswith(title.strip()):
        text = title.strip() + "\n\n" + text
    published = _published(rec.get("published"), where, warn)
    return Article(id=doc_id, text=text, title=title, published=published, url=rec.get("url"),
                   source=rec.get("source"), path=where)


def _published(value, where: str, warn: Warn) -> dt.date | None:
    """A record's reference date; an unreadable one is a warning, and the date is inferred from the text."""
    if value is None or value == "":
        return None
    try:
        return parse_published(value)
    except InputError:
        warn(where, f"'published' {value!r} is not a date (write YYYY-MM-DD); "
                    "kept the article, its reference date is inferred from the text")
        return None


# ----------------------------------------------------------------------------------------- HTML
_HTML_SIGN = re.compile(r"^\s*(<!doctype html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(p|div|br|span|a|h[1-6]|li|ul|em|strong|b|i|article|section|body|head|table|td|img)"
                       r"(\s[^<>]*)?/?>", re.IGNORECASE)
# Elements whose text is never article content: code, styling, navigation and page furniture.
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "iframe",
         "button", "select", "head", "figure", "menu", "dialog"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "section", "article",
          "main", "header", "table", "tr", "pre", "dl", "dt", "dd", "hr", "address", "figcaption"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "col", "area", "base", "embed", "param", "track"}
_DATE_META = ("article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date",
              "dc.date.issued", "og:published_time", "publication_date")


def looks_like_html(text: str) -> bool:
    """True for an HTML page, or text carrying at least three HTML tags (scraped feeds)."""
    head = text[:2048]
    return bool(_HTML_SIGN.match(head)) or len(_HTML_TAG.findall(text[:20000])) >= 3


class _TextParser(HTMLParser):
    """Collect readable text: blocks become paragraphs, page furniture is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []  # all body text
        self.article: list[str] = []  # text inside <article>, preferred when present
        self.meta: dict[str, str] = {}
        self.skip: list[str] = []  # open elements whose text is dropped
        self.in_article = 0
        self.in_title = False
        self.h1: list[str] = []
        self.in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and "published" not in self.meta:
                self.meta["published"] = a.get("content", "")
            if key == "og:title":
                self.meta.setdefault("og_title", a.get("content", ""))
        elif tag == "time" and self.in_article and "datetime" in a:
            self.meta.setdefault("time", a["datetime"])
        elif tag == "title":
            self.in_title = True
        if self.skip or tag in _SKIP:
            if tag in _SKIP:
                self.skip.append(tag)  # only skipped elements are counted: unclosed <p>s cannot unbalance it
            return
        if tag == "br":
            self._emit("\n")
        if tag in _VOID:
            return
        if tag == "article":
            self.in_article += 1
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCK:
            self._emit("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skip:
            if tag in self.skip:
                del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag):]
            return
        if tag in _BLOCK:
            self._emit("\n\n")
        if tag == "h1":
            self.in_h1 = False
        if tag == "article" and self.in_article:
            self.in_article -= 1

    def handle_data(self, data):
        if self.in_title:
            self.meta["page_title"] = self.meta.get("page_title", "") + data
        if self.skip:
            return
        data = re.sub(r"\s+", " ", data)
        if self.in_h1:
            self.h1.append(data)
        self._emit(data)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        if self.in_article:
            self.article.append(text)


def html_to_text(markup: str) -> tuple[str, dict]:
    """Readable text of an HTML page (of its ``<article>`` when it has one) and its title and date."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.article) if len("".join(parser.article).strip()) > 200 else "".join(parser.parts)
    lines = [line.strip() for line in body.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = "".join(parser.h1).strip() or parser.meta.get("og_title") or parser.meta.get("page_title", "").strip()
    meta = {"title": html.unescape(title).strip() or None,
            "published": parser.meta.get("published") or parser.meta.get("time")}
    return text, meta


# ----------------------------------------------------------------------------------------- text checks
def language_share(text: str, stop_words: set[str] | frozenset[str], sample: int = 2000) -> float | None:
    """Share of the first ``sample`` words that are the model language's stop words; None for short texts.

    News prose in the model's language has 30-50 %; other languages have a few percent at most.
    """
    words = re.findall(r"[^\W\d_]+", text[: sample * 12].lower())[:sample]
    if len(words) < 20:
        return None
    return sum(w in stop_words for w in words) / len(words)


# Lines that news sites add around an article: calls to action, comment forms, app and
# channel promotions, agency credits. Matched as whole short lines, never inside prose.
_BOILERPLATE = re.compile(
    r"^\s*(\[?\s*with [\w\s,&]+ inputs?\s*\]?"
    r"|leave a (reply|comment)|please enter your (comment|name|email)[!.]?.*"
    r"|(click|tap) here\b.*|.*\b(is|are) now on (telegram|whatsapp|instagram|twitter|x)\b.*"
    r"|(for (all )?the latest (news|updates).*)|download (the|our) .*\bapp\b.*"
    r"|(also read|read more|related|advertisement|subscribe|sign up|follow us)\b.{0,80}"
    r"|share (this|on)\b.{0,60}|(copyright|©|all rights reserved).{0,120})\s*$",
    re.IGNORECASE)


def clean_text(text: str) -> str:
    """Blank out boilerplate lines (same length, so character offsets stay those of the input)."""
    if "\n" not in text:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) < 200 and _BOILERPLATE.match(line):
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)
