"""Saving and loading builds: ``kg.load`` and the per-document mention records (``mentions.jsonl``).

A build folder holds the graph as JSON Lines (events, entities, relations) and, beside
them, ``mentions.jsonl``: one line per document with everything the map phase read from it
(:class:`~kg.records.DocResult`, without the article text). The reduce phase needs only
those records, so ``kg build NEW --into OUT`` re-runs the reduce over the saved documents
and the new ones, and gets exactly what one build of all of them gives.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import types
import typing
from functools import cache
from pathlib import Path

from . import records as R
from .errors import InputError
from .graph import KnowledgeGraph

MENTIONS_FILE = "mentions.jsonl"
FORMAT_KEY, FORMAT = "kg_mentions", 1  # first key of every line, so that a later layout can be told apart
RECORD_TYPES = {cls.__name__: cls for cls in (R.Article, R.TimeMention, R.EntityMention, R.Participant, R.Source,
                                              R.EventMention, R.RelationMention, R.DocResult)}


# records <-> dicts -------------------------------------------------------------------------
def record_to_dict(record) -> dict:
    """A record of kg/records.py as a JSON-ready dict; fields at their default value are left out.

    >>> record_to_dict(R.Source("a", "It rained.", 0, 10))
    {'doc': 'a', 'sentence': 'It rained.', 'start': 0, 'end': 10}
    """
    out = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if value == _default(f):
            continue
        out[f.name] = _encode(value)
    return out


def _default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def _encode(value):
    if dataclasses.is_dataclass(value):
        return record_to_dict(value)
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def record_from_dict(cls, data: dict):
    """Invert :func:`record_to_dict` for record class ``cls`` (tuples, dates and nested records restored).

    >>> record_from_dict(R.Source, {"doc": "a", "sentence": "It rained.", "start": 0, "end": 10})
    Source(doc='a', sentence='It rained.', start=0, end=10)
    """
    hints = _hints(cls)
    return cls(**{name: _decode(hints[name], value) for name, value in data.items() if name in hints})


def _decode(hint, value):
    """``value`` read from JSON, turned back into the type ``hint`` names."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in args if a is not type(None))
        return _decode(hint, value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value))
    if dataclasses.is_dataclass(hint):
        return record_from_dict(hint, value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    return value


def doc_result_to_dict(result: R.DocResult, text: bool = False) -> dict:
    """One line of mentions.jsonl; the article text is left out unless ``text`` (the reduce never reads it).

    >>> doc_result_to_dict(R.DocResult(R.Article("a", "It rained."), None, "none"))
    {'kg_mentions': 1, 'article': {'id': 'a'}, 'reference': None, 'reference_source': 'none'}
    """
    if not text:
        result = dataclasses.replace(result, article=dataclasses.replace(result.article, text=""))
    out = record_to_dict(result)
    if not result.article.text:
        out["article"].pop("text", None)
    return {FORMAT_KEY: FORMAT, **out}


def doc_result_from_dict(data: dict) -> R.DocResult:
    """A DocResult from one line of mentions.jsonl (the article text is "" when it was not saved).

    >>> doc_result_from_dict({"kg_mentions": 1, "article": {"id": "a"}, "reference": None,
    ...                       "reference_source": "none"}).article.id
    'a'
    """
    if data.get(FORMAT_KEY) != FORMAT:
        raise InputError(f"unknown mentions.jsonl layout {data.get(FORMAT_KEY)!r}; this kg-timeline reads "
                         f"layout {FORMAT}: rebuild the folder with kg build")
    data = dict(data, article={"text": "", **data["article"]})
    return record_from_dict(R.DocResult, {k: v for k, v in data.items() if k != FORMAT_KEY})


def write_mentions(results, folder: str | os.PathLike) -> Path:
    """Write ``mentions.jsonl`` (one document per line, sorted by id) into ``folder`` atomically.

    >>> write_mentions(g.doc_results, "out/")   # doctest: +SKIP
    PosixPath('out/mentions.jsonl')
    """
    from exporters._io import atomic_open

    path = Path(folder) / MENTIONS_FILE
    with atomic_open(path) as handle:
        for result in sorted(results, key=lambda r: r.article.id):
            handle.write(json.dumps(doc_result_to_dict(result), ensure_ascii=False) + "\n")
    return path


def read_mentions(path: str | os.PathLike) -> list[R.DocResult]:
    """The DocResults saved in a ``mentions.jsonl`` file (or in a build folder's).

    >>> [r.article.id for r in read_mentions("out/")]   # doctest: +SKIP
    ['000_45f0cf3c5b2a69eb', '004_2e7087d2a80bcd88']
    """
    path = Path(path)
    if path.is_dir():
        path = path / MENTIONS_FILE
    out = []
    try:
        with path.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle, start=1):
                if line.strip():
                    out.append(_parse_line(line, path, n))
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err
    return out


def _parse_line(line: str, path: Path, n: int) -> R.DocResult:
    try:
        return doc_result_from_dict(json.loads(line))
    except InputError:
        raise
    except (ValueError, KeyError, TypeError, StopIteration) as err:
        raise InputError(f"{path}, line {n}: not a mention record ({err}); rebuild the folder with kg build") from err


def documents(results) -> dict[str, dict]:
    """The graph's ``documents`` attribute (id -> title, published, reference, url, source), as kg.pipeline sets it.

    >>> documents([R.DocResult(R.Article("a", "", title="T"), dt.date(2023, 6, 15), "given")])
    {'a': {'title': 'T', 'published': '2023-06-15', 'reference': 'given', 'url': None, 'source': None}}
    """
    return {r.article.id: {"title": r.article.title, "published": r.reference.isoformat() if r.reference else None,
                           "reference": r.reference_source, "url": r.article.url, "source": r.article.source}
            for r in sorted(results, key=lambda r: r.article.id)}


# load --------------------------------------------------------------------------------------
def load(path: str | os.PathLike) -> KnowledgeGraph:
    """The KnowledgeGraph saved by a build: a build folder (its JSONL files) or a GraphML the project wrote.

    From a folder with ``mentions.jsonl`` the graph can be extended (``kg.build(new, into=g)``)
    and keeps its documents' titles and dates; from GraphML alone it can be queried and written.

    >>> import kg
    >>> g = kg.load("out/")                           # doctest: +SKIP
    >>> g.timeline(involving="Blinken")[0]["label"]   # doctest: +SKIP
    'Visit of Antony Blinken to China cancelled'
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist; give a folder written by kg build --out, or its graph.graphml")
    if path.is_file():
        if path.suffix.lower() != ".graphml":
            raise InputError(f"{path} is not a build folder or a .graphml file; give the folder kg build --out wrote")
        return _load_graphml(path)
    if (path / "events.jsonl").is_file():
        return _load_folder(path)
    if (path / "graph.graphml").is_file():
        return _load_graphml(path / "graph.graphml")
    raise InputError(f"{path} is not a build folder (no events.jsonl or graph.graphml in it); "
                     f"write one with kg build ARTICLES --out {path}")


def _load_folder(folder: Path) -> KnowledgeGraph:
    from exporters import read_jsonl_graph

    try:
        G = read_jsonl_graph(folder)
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(f"{folder}: the JSONL files are not a kg-timeline build ({err!r}); "
                         f"rebuild with kg build") from err
    g = KnowledgeGraph(G)
    if (folder / MENTIONS_FILE).is_file():
        results = read_mentions(folder / MENTIONS_FILE)
        G.graph["documents"] = documents(results)
        g.doc_results = results
    g.source = str(folder)
    return g


def _load_graphml(path: Path) -> KnowledgeGraph:
    from exporters import read_graphml

    try:
        G = read_graphml(path)
    except Exception as err:  # networkx raises several kinds on XML that is not GraphML
        raise InputError(f"{path} is not a GraphML file kg-timeline wrote ({err})") from err
    g = KnowledgeGraph(G)
    g.source = str(path)
    return g


__all__ = ["load", "MENTIONS_FILE", "write_mentions", "read_mentions", "doc_result_to_dict", "doc_result_from_dict",
           "record_to_dict", "record_from_dict", "documents"]
