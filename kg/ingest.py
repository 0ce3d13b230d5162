"""Ingest: turn paths (files, folders, ``-`` for stdin) into a stream of Articles.

One ``_iter_<kind>`` reader per input format, chosen by suffix. A file or
record that cannot be read becomes a ``Skipped`` with a one-line reason; it
never stops the stream.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .records import Article, Skipped

SUFFIXES = (".txt", ".json", ".jsonl")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


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


def iter_articles(paths: Iterable[str | os.PathLike] | str | os.PathLike,
                  published: dt.date | str | None = None) -> Iterator[Article | Skipped]:
    """Yield an Article (or a Skipped) for every document under ``paths``, in a stable order.

    ``published``, when given, overrides every article's reference date.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    given = parse_date(published, what="--published") if published is not None else None
    for path in paths:
        for item in _iter_path(path):
            if given is not None and isinstance(item, Article):
                item = _replace_published(item, given)
            yield item


def _replace_published(article: Article, date: dt.date) -> Article:
    from dataclasses import replace

    return replace(article, published=date)


def _iter_path(path) -> Iterator[Article | Skipped]:
    if str(path) == "-":
        yield from _iter_stream(sys.stdin, "stdin")
        return
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and not _hidden(f, p))
        for f in files:
            yield from _iter_file(f)
        return
    if not p.exists():
        if p.is_symlink():
            yield Skipped(p.stem, str(p), "broken symbolic link")
            return
        raise InputError(f"input {str(path)!r} does not exist; give a file, a folder or - for stdin")
    yield from _iter_file(p)


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts)


def _iter_file(p: Path) -> Iterator[Article | Skipped]:
    suffix = p.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _iter_jsonl(p)
        elif suffix == ".json":
            yield from _iter_json(p)
        else:
            yield from _iter_txt(p)
    except (OSError, UnicodeError) as err:
        yield Skipped(p.stem, str(p), f"cannot read file: {err.__class__.__name__}: {err}")


def _iter_stream(stream, name: str) -> Iterator[Article | Skipped]:
    """stdin: JSON Lines when every non-empty line is a JSON object, else one text article."""
    text = stream.read()
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        for n, line in enumerate(lines, 1):
            yield _record_line(line, name, n)
    else:
        yield _text_article(name, text, name)


def read_text(p: Path) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1; refuse binaries."""
    raw = p.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise UnicodeError("binary content (NUL bytes); not a text article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _iter_txt(p: Path) -> Iterator[Article | Skipped]:
    yield _text_article(p.stem, read_text(p), str(p))


def _text_article(doc_id: str, text: str, path: str) -> Article | Skipped:
    if not text.strip():
        return Skipped(doc_id, path, "empty document (no text)")
    return Article(id=doc_id, text=text, path=path)


def _iter_json(p: Path) -> Iterator[Article | Skipped]:
    try:
        data = json.loads(read_text(p))
    except json.JSONDecodeError as err:
        yield Skipped(p.stem, str(p), f"invalid JSON at line {err.lineno}: {err.msg}")
        return
    records = data if isinstance(data, list) else [data]
    for n, rec in enumerate(records, 1):
        default_id = p.stem if len(records) == 1 else f"{p.stem}-{n}"
        yield _record(rec, default_id, f"{p}#{n}" if len(records) > 1 else str(p))


def _iter_jsonl(p: Path) -> Iterator[Article | Skipped]:
    with io.open(p, encoding="utf-8-sig", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                yield _record_line(line, str(p), n, stem=p.stem)


def _record_line(line: str, path: str, n: int, stem: str | None = None) -> Article | Skipped:
    where = f"{path}:{n}"
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as err:
        return Skipped(f"{stem or path}:{n}", where, f"invalid JSON on line {n}: {err.msg}")
    return _record(rec, f"{stem or Path(path).stem}-{n}", where)


def _record(rec, default_id: str, where: str) -> Article | Skipped:
    """A JSON record with ``text`` and optional id, title, published, url, source."""
    if not isinstance(rec, dict):
        return Skipped(default_id, where, "JSON record is not an object")
    doc_id = str(rec.get("id") or default_id)
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return Skipped(doc_id, where, "record has no 'text' field (or it is empty)")
    title = rec.get("title")
    if isinstance(title, str) and title.strip() and not text.lstrip().startswith(title.strip()):
        text = title.strip() + "\n\n" + text
    published = None
    if rec.get("published"):
        try:
            published = parse_date(rec["published"], what="'published'")
        except InputError as err:
            return Skipped(doc_id, where, str(err))
    return Article(id=doc_id, text=text, title=title if isinstance(title, str) else None,
                   published=published, url=rec.get("url"), source=rec.get("source"), path=where)


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
