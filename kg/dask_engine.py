"""The Dask engine: the same build as ``kg.pipeline.build``, with the map phase spread over a cluster.

Map: the client only *lists* the inputs (files; JSON Lines files cut into line ranges, whose byte
offsets the workers index) and sends partitions of them to the workers. Each worker reads its inputs
with ``kg.ingest``'s own readers, opened through fsspec (a shared folder and an object-store URL work
alike), and runs ``kg.pipeline.parse`` and ``kg.pipeline.map_docs`` with the per-process cached spaCy
pipeline (``kg.nlp.load_model``): long texts are cut into pieces and a failing document becomes a
``Skipped`` exactly as in a local build; it never fails its partition. A partition returns plain frozen
records, never spaCy objects, and a log of what it read: warnings, skipped inputs and, per article, its
id, text digest, path and language verdict.

Admission (duplicate ids, other languages) is sequential over the whole stream, so the client runs
``kg.pipeline.Admitter`` (the rule ``kg.pipeline.admit`` uses) over the partitions' logs in input order;
the few partitions holding a renamed document are mapped again with the ids the rule gave. Warnings and
skipped inputs are then reported on the client in input order, as a local build reports them.

Reduce: ``kg.pipeline.reduce`` itself, run on one worker over the partitions' records (which move from
worker to worker, never through the client); only the merged graph travels to the client. Entity
resolution and event merging are global (union-find over name, surname and acronym blocks; event ids
de-duplicated across the whole corpus), so they are not sharded here: see "Scaling out" in the README.
Results equal the local engine's byte for byte: the reduce sorts documents by id.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import os
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from . import ingest as _ingest
from .errors import InputError, KGError
from .records import Article, DocResult, Skipped

PARTITION_SIZE = 64  # at most this many documents (files or JSONL lines) per map task: ~15 s of parsing
BLOCK_BYTES = 64 << 20  # bytes of a JSONL file one worker indexes for line starts
EXTRA = "kg-timeline[dask]"
CONNECT_TIMEOUT = "10s"  # to reach a remote scheduler


def _require_dask():
    """Import distributed, or fail with one line naming the optional extra."""
    try:
        import distributed  # noqa: F401
        import fsspec  # noqa: F401
    except ImportError as err:
        raise KGError(f"the Dask engine needs the optional dependencies: pip install '{EXTRA}' "
                      f"({err.name} is not installed)") from err
    return distributed


# ---- listing (client side: names and sizes only, never contents) --------------------------------------------

@dataclass(frozen=True)
class Input:
    """One input file as a worker opens it (``url``) and as records name it (``name``, as the local engine does).

    It has the few ``Path`` members ingest's readers use, so the same readers parse remote files. ``given``:
    named by the user (not found in a folder), so a missing one is reported as ingest does. ``notes``: the
    warnings of listing the folder it was found in, reported before its records; an Input with an empty
    ``url`` carries only notes.
    """

    url: str
    name: str
    given: bool = False
    notes: tuple[tuple[str, str], ...] = ()

    @property
    def local(self) -> bool:
        return not _is_url(self.url)

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    def is_symlink(self) -> bool:
        return self.local and os.path.islink(self.url)

    def exists(self) -> bool:
        return os.path.exists(self.url) if self.local else _exists(self.url)

    def is_file(self) -> bool:
        return os.path.isfile(self.url) if self.local else True  # listed as a file by fsspec

    def open(self, mode: str = "rb"):
        import fsspec

        return open(self.url, mode) if self.local else fsspec.open(self.url, mode).open()

    def read_bytes(self) -> bytes:
        with self.open("rb") as fh:
            return fh.read()

    def __fspath__(self) -> str:  # os.readlink of a broken symbolic link
        return self.url

    def __str__(self) -> str:
        return self.name


def _exists(url: str) -> bool:
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    return fs.exists(path)


@dataclass(frozen=True)
class Unit:
    """Part of a partition: a whole file, or lines ``first_line``... of a JSONL file between two byte offsets."""

    input: Input
    start: int = 0
    end: int = -1  # -1: the whole file
    first_line: int = 1


def _is_url(path: str) -> bool:
    return "://" in path


def list_inputs(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> list[Input]:
    """Every input file under ``paths``, in the local engine's order; only names are read.

    The warnings of listing a folder travel with the next input (see ``Input.notes``).
    """
    from . import pipeline

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if any(os.fspath(p) == "-" for p in paths):
        raise InputError("the Dask engine cannot read stdin (its workers read the inputs); "
                         "save the articles to a shared folder or use --engine local")
    if not any(_is_url(os.fspath(p)) for p in paths):
        pipeline.check_inputs(paths)  # as the local engine: an error only when none of them exists
    out: list[Input] = []
    notes: list[tuple[str, str]] = []
    for path in paths:
        path = os.fspath(path)
        found = _list_url(path) if _is_url(path) else _list_local(Path(path), lambda *note: notes.append(note))
        if found and notes:
            found[0] = replace(found[0], notes=tuple(notes))
            notes.clear()
        out.extend(found)
    if notes:  # said after the last input, as the local stream says it
        out.append(Input("", "", notes=tuple(notes)))
    return out


def _list_local(p: Path, warn) -> list[Input]:
    # ingest's own listing: the local engine's files, order and warnings
    if p.is_dir():
        return [Input(str(f.absolute()), str(f)) for f in _ingest.list_dir(p, warn)]
    return [Input(str(p.absolute()), str(p), given=True)]


def _list_url(url: str) -> list[Input]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    protocol = url.split("://", 1)[0]
    if fs.isdir(root):
        found = []
        for f in fs.find(root):
            rel = PurePosixPath(f[len(root.rstrip("/")) + 1:] if f.startswith(root.rstrip("/") + "/") else f)
            if rel.suffix.lower() in _ingest.SUFFIXES and not any(part.startswith(".") for part in rel.parts):
                found.append(rel)
        base = url.rstrip("/")
        return [Input(f"{base}/{rel}", f"{base}/{rel}") for rel in sorted(found)]
    if not fs.exists(root):
        raise InputError(f"input {url!r} does not exist; give a file, a folder or a URL of one ({protocol}://...)")
    return [Input(url, url, given=True)]


def _size(inp: Input) -> int:
    import fsspec

    fs, path = fsspec.core.url_to_fs(inp.url)
    return int(fs.size(path))


# ---- worker side -------------------------------------------------------------------------------------------

def line_starts(inp: Input, start: int, end: int) -> array | None:
    """Byte offsets of the lines that begin in ``[start, end)`` of a JSONL file (on a worker); None: unreadable."""
    base = max(start - 1, 0)  # the byte before the block tells whether a line begins at ``start``
    try:
        with inp.open("rb") as fh:
            fh.seek(base)
            data = fh.read(end - base)
    except OSError:
        return None  # the file is then read whole, and ingest reports it
    offsets = array("q", [0] if start == 0 else [])
    i = data.find(b"\n")
    while i != -1 and base + i + 1 < end:
        offsets.append(base + i + 1)
        i = data.find(b"\n", i + 1)
    return offsets


def read_units(units: Iterable[Unit], published: dt.date | None, warn) -> Iterator[Article | Skipped]:
    """Articles of a partition, read by ingest's own readers, with ``published`` applied as ingest applies it."""
    if published is not None:  # a record's own date is then unused: no warning about it
        warn = _ingest._without_published(warn)
    for u in units:
        if u.start == 0:
            for where, message in u.input.notes:
                warn(where, message)
        for item in _read_unit(u, warn):
            if published is not None and isinstance(item, Article):
                item = replace(item, published=published)
            yield item


def _read_unit(u: Unit, warn) -> Iterator[Article | Skipped]:
    inp = u.input
    if not inp.url:
        return
    if u.end < 0:
        if inp.given and not inp.exists() and not inp.is_symlink():
            yield Skipped(inp.stem, str(inp), "no such file or folder")  # as ingest says of a missing path
        else:
            yield from _ingest._iter_file(inp, warn)
        return
    try:
        with inp.open("rb") as fh:
            fh.seek(u.start)
            raw = fh.read(u.end - u.start)
    except OSError as err:
        yield Skipped(inp.stem, str(inp), f"cannot read file ({(err.strerror or str(err)).lower()})")
        return
    yield from _ingest.iter_jsonl_lines(io.BytesIO(raw), str(inp), inp.stem, warn, u.first_line)


@dataclass(frozen=True)
class Partition:
    """What a map task returns: a log of what it read, in order, and a DocResult (or None) per article.

    Log entries: ("warn", where, message); ("skip", Skipped) for an input ingest could not read;
    ("doc", id, digest, path, foreign) for an article (``foreign`` the language verdict or None);
    ("fail", Skipped) right after the article whose extraction failed.
    """

    log: tuple
    docs: tuple


def map_partition(units: list[Unit], published: dt.date | None, model: str | None, lexicon: dict | None,
                  ids: tuple | None = None, batch_size: int | None = None) -> Partition:
    """The map phase for one partition, in stream order (runs on a worker).

    ``ids`` holds, per article of the partition, the id the client's admission gave it (None: not
    parsed). Without it (the first pass), every article in the model's language is parsed under its own id.
    """
    from . import pipeline
    from .nlp import load_model

    nlp = load_model(model)  # cached: once per worker process
    log: list = []
    articles: list[Article | None] = []
    for item in read_units(units, published, lambda where, message: log.append(("warn", where, message))):
        if isinstance(item, Skipped):
            log.append(("skip", item))
            continue
        foreign = pipeline.foreign_language(item.text, nlp)
        log.append(("doc", item.id, pipeline._digest(item.text), item.path, foreign))
        doc_id = (item.id if foreign is None else None) if ids is None else ids[len(articles)]
        articles.append(None if doc_id is None else item if doc_id == item.id else replace(item, id=doc_id))
    failed: list[Skipped] = []
    todo = [a for a in articles if a is not None]
    done = list(pipeline.map_docs(pipeline.parse(todo, nlp, batch_size=batch_size), lexicon,
                                  on_skip=failed.append))
    return _assemble(log, articles, done, failed)


def _assemble(log: list, articles: list, done: list[DocResult], failed: list[Skipped]) -> Partition:
    """The partition's log with each failure after its article, and its DocResults aligned with the articles."""
    results, fails = iter(done), iter(failed)
    nxt = next(results, None)
    docs, out, k = [], [], 0
    for entry in log:
        out.append(entry)
        if entry[0] != "doc":
            continue
        a = articles[k]
        k += 1
        if a is not None and nxt is not None and nxt.article is a:  # map_docs keeps the order and the article
            docs.append(nxt)
            nxt = next(results, None)
        else:
            docs.append(None)
            if a is not None:
                out.append(("fail", next(fails)))
    return Partition(tuple(out), tuple(docs))


def summarize(part: Partition) -> tuple[tuple, tuple]:
    """What the client needs of a partition: its log and each article's reference source (None: no result)."""
    return part.log, tuple(r.reference_source if r is not None else None for r in part.docs)


def reduce_partitions(*parts: Partition, keep: list | None = None, aliases: dict | None = None,
                      title: str = "kg-timeline", extra: list | None = None):
    """``kg.pipeline.reduce`` over the kept DocResults of every partition (runs on one worker).

    ``keep`` holds, per partition, a flag per article (False: admission skipped it); ``extra`` the
    records of a graph being extended, which a document read again replaces.
    """
    from . import pipeline

    keep = keep or [None] * len(parts)
    results = list(extra or ()) + [r for part, flags in zip(parts, keep)
                                   for r, ok in zip(part.docs, flags or [True] * len(part.docs))
                                   if r is not None and ok]
    if extra:
        results = list({r.article.id: r for r in results}.values())
    return pipeline.reduce(results, aliases=aliases, title=title)


# ---- client side -------------------------------------------------------------------------------------------

def plan(inputs: list[Input], client, partition_size: int | None = None) -> list[list[Unit]]:
    """Partitions of at most ``partition_size`` documents: whole files, or line ranges of JSONL files.

    By default the size gives every worker about eight tasks (at most PARTITION_SIZE documents each),
    so that workers finish together; the output does not depend on it.
    """
    jsonl = [i for i in inputs if i.suffix.lower() == ".jsonl"]
    starts = _index_lines(jsonl, client)
    if partition_size is None:
        docs = len(inputs) - len(starts) + sum(len(offsets) for offsets, _ in starts.values())
        partition_size = max(1, min(PARTITION_SIZE, -(-docs // (8 * _n_workers(client)))))
    parts: list[list[Unit]] = []
    current: list[Unit] = []
    for inp in inputs:
        # a JSONL file of one partition or fewer is read whole by ingest, which also reports an empty one
        if inp.url not in starts or len(starts[inp.url][0]) <= partition_size:
            current.append(Unit(inp))
            if len(current) >= partition_size:
                parts.append(current)
                current = []
            continue
        if current:  # partitions stay in stream order: duplicate ids are numbered in that order
            parts.append(current)
            current = []
        offsets, size = starts[inp.url]
        for k in range(0, len(offsets), partition_size):
            end = offsets[k + partition_size] if k + partition_size < len(offsets) else size
            parts.append([Unit(inp, offsets[k], end, k + 1)])
    if current:
        parts.append(current)
    return parts


def _n_workers(client) -> int:
    """Threads the cluster has now (one per worker process on the clusters this engine starts)."""
    try:
        return max(1, sum(client.nthreads().values()))
    except AttributeError:  # a stand-in client (tests)
        return 1


def _index_lines(files: list[Input], client) -> dict[str, tuple[array, int]]:
    """Line start offsets of every JSONL file, computed by the workers block by block."""
    sizes, futures = {}, {}
    for inp in files:
        try:
            sizes[inp.url] = _size(inp)
        except OSError:
            continue  # unreadable: the map task reads it whole, and ingest reports it
        for start in range(0, sizes[inp.url], BLOCK_BYTES):
            end = min(start + BLOCK_BYTES, sizes[inp.url])
            futures[(inp.url, start)] = client.submit(line_starts, inp, start, end,
                                                      key=f"kg-index-{len(futures)}-{os.urandom(4).hex()}")
    blocks = dict(zip(futures, client.gather(list(futures.values()))))
    out = {}
    for url, size in sizes.items():
        parts = [blocks[(url, start)] for start in range(0, size, BLOCK_BYTES)]
        if parts and all(part is not None for part in parts):  # else unreadable: read whole by ingest
            out[url] = (array("q", [o for part in parts for o in part]), size)
    return out


@dataclass
class _Session:
    """A Dask client, and whether this build owns it (then it closes it, and its LocalCluster)."""

    client: object
    owned: bool

    def close(self) -> None:
        if self.owned:
            cluster = getattr(self.client, "cluster", None)
            self.client.close()
            if cluster is not None:
                close_cluster(cluster)


def close_cluster(cluster) -> None:
    """Close a LocalCluster, even one that lost a worker during the build.

    When a worker process dies, the cluster's status watcher fails on the unknown address (a KeyError,
    dask/distributed#5407) and ``close`` re-raises it; the build's result is already safe by then.
    """
    try:
        cluster.close()
    except KeyError:
        pass


def connect(client=None, workers: int | None = None) -> _Session:
    """A ``distributed.Client``: the one given, one for a scheduler address, or a new LocalCluster."""
    distributed = _require_dask()
    if isinstance(client, distributed.Client):
        return _Session(client, owned=False)
    if isinstance(client, str) and client:
        try:
            return _Session(distributed.Client(client, timeout=CONNECT_TIMEOUT), owned=True)
        except OSError as err:
            raise KGError(f"cannot reach the Dask scheduler at {client!r} ({err}); start one with "
                          "`dask scheduler` and give the tcp://HOST:8786 address it prints") from err
    return _Session(distributed.Client(local_cluster(int(workers or os.cpu_count() or 1))), owned=True)


# Worker settings for spaCy. The statistical profiler samples every task's stack each 10 ms and the
# aggressive malloc trimming returns memory the parser reuses at once: together about a third more CPU
# per document (measured with benchmarks/dask_scaling.py). BLAS stays single-threaded: one core per worker.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,  # None unsets it
}


def local_cluster(workers: int):
    """A LocalCluster of ``workers`` single-threaded processes (spaCy holds the GIL: processes are what scale)."""
    import dask
    import distributed

    with dask.config.set(WORKER_CONFIG):
        return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.ERROR)


def build(paths, published: dt.date | str | None = None, *, model: str | None = None, workers: int | None = None,
          aliases: dict | str | os.PathLike | None = None, triggers: str | None = None, into=None,
          progress: bool | None = None, report=None, on_skip: Callable[[Skipped], None] | None = None,
          on_warning: Callable[[str], None] | None = None, batch_size: int | None = None,
          title: str = "kg-timeline", client=None, partition_size: int | None = None,
          on_partition: Callable[[int, int], None] | None = None):
    """``kg.build`` on a Dask cluster: same parameters and result; ``client`` a Client, an address or None.

    With ``client=None`` a LocalCluster of ``workers`` processes (default: one per core) runs the
    build and is closed afterwards. ``on_partition(done, total)`` is called on the client as map
    partitions finish; ``on_skip`` and ``on_warning`` once they all have, in input order. The
    map-phase records stay on the cluster, so the result cannot be extended (``doc_results`` raises
    InputError, and ``extendable`` is False).
    """
    import time

    from . import events as _events
    from . import pipeline
    from . import resolve as _resolve

    started = time.perf_counter()
    _require_dask()
    report = report if report is not None else pipeline.BuildReport()
    report.on_warning = on_warning
    if published is not None:
        published = _ingest.parse_date(published, what="--published")
    if isinstance(aliases, (str, os.PathLike)):
        aliases = _resolve.load_aliases(aliases)
    lexicon = _events.load_lexicon(str(triggers)) if triggers else None
    saved = list(into.doc_results) if into is not None else []  # raises when ``into`` cannot be extended
    inputs = list_inputs(paths)  # a missing input fails before a cluster starts
    job = _Job(published, model, lexicon, batch_size, os.urandom(4).hex())
    session = connect(client, workers)
    try:
        g = _run(session.client, job, inputs, aliases, title, saved, report, on_skip, progress,
                 partition_size, on_partition)
    finally:
        session.close()
    report.seconds = time.perf_counter() - started
    g.report = report
    return g


def build_on(engine: str, paths, published=None, **options):
    """``kg.build(engine=...)`` for engines other than "local"; an unknown name lists the known ones."""
    if engine != "dask":
        raise InputError(f"unknown engine {engine!r}; choose from local, dask")
    return build(paths, published, **options)


@dataclass
class _Job:
    """The map tasks' common arguments, and a tag that makes this build's task keys unique."""

    published: dt.date | None
    model: str | None
    lexicon: object
    batch_size: int | None
    tag: str

    def submit(self, client, i: int, units: list[Unit], ids: tuple | None = None):
        """(the map task of partition ``i``, the task summarizing it)."""
        suffix = f"{i}-{self.tag}" if ids is None else f"{i}-admitted-{self.tag}"
        part = client.submit(map_partition, units, self.published, self.model, self.lexicon, ids, self.batch_size,
                             key=f"kg-map-{suffix}")
        return part, client.submit(summarize, part, key=f"kg-summary-{suffix}")


def _run(client, job: _Job, inputs, aliases, title, saved: list, report, on_skip, progress, partition_size,
         on_partition):
    """Map every partition, admit its articles in input order, map again where ids changed, then reduce."""
    from distributed import as_completed

    from . import pipeline

    parts = plan(inputs, client, partition_size)
    if job.lexicon is not None:  # sent to each worker once, not with every task
        [job.lexicon] = client.scatter([job.lexicon], broadcast=True)
    tasks = [job.submit(client, i, units) for i, units in enumerate(parts)]
    futures, summaries = [f for f, _ in tasks], [s for _, s in tasks]
    index = {f: i for i, f in enumerate(summaries)}
    metas: list = [None] * len(parts)
    bar = _progress_bar(progress, client, len(parts))
    for done, fut in enumerate(as_completed(summaries), 1):
        metas[index[fut]] = fut.result()
        if bar is not None:
            bar.update(1)
        if on_partition:
            on_partition(done, len(parts))
    if bar is not None:
        bar.close()
    seen = pipeline.seen_of(saved)
    decisions = admit_partitions([log for log, _ in metas], pipeline.Admitter(seen, frozenset(seen)))
    again = {i: job.submit(client, i, parts[i], tuple(a.id for a in admissions))
             for i, admissions in enumerate(decisions)
             if renamed(metas[i][0], admissions)}  # its records carry the document's id: map it again (rare)
    for i, (part, summary) in again.items():
        futures[i], metas[i] = part, summary.result()
    keep = [[a.id is not None for a in admissions] for admissions in decisions]
    extra = client.scatter([saved], hash=False)[0] if saved else None  # the extended graph's records, as one piece
    graph = client.submit(reduce_partitions, *futures, keep=keep, aliases=aliases, title=title,
                          extra=extra, key=f"kg-reduce-{job.tag}")
    _report(metas, decisions, report, on_skip)
    return graph.result()


def admit_partitions(logs: list[tuple], rule) -> list[list]:
    """``rule``'s Admission for every article of every partition, in input order (on the client)."""
    return [[rule.decide(*entry[1:]) for entry in log if entry[0] == "doc"] for log in logs]


def renamed(log: tuple, admissions: list) -> bool:
    """True when admission kept an article of the partition under another id than the one it was read with."""
    ids = [entry[1] for entry in log if entry[0] == "doc"]
    return any(a.id is not None and a.id != doc_id for a, doc_id in zip(admissions, ids))


def _report(metas: list, decisions: list[list], report, on_skip) -> None:
    """Warnings, skipped inputs and read documents into ``report``, in input order, as a local build reports them."""
    def skip(item: Skipped) -> None:
        report.skipped.append(item)
        if on_skip:
            on_skip(item)

    for (log, sources), admissions in zip(metas, decisions):
        k, kept = 0, False
        for entry in log:
            if entry[0] == "warn":
                report.warn(entry[1], entry[2])
            elif entry[0] == "skip":
                skip(entry[1])
            elif entry[0] == "fail":
                if kept:  # a first-pass failure of a document admission skipped is not reported
                    skip(entry[1])
            else:
                decision, source = admissions[k], sources[k]
                k += 1
                kept = decision.id is not None
                if decision.warning:
                    report.warn(*decision.warning)
                if decision.skipped:
                    skip(decision.skipped)
                elif source is not None:
                    report.read += 1
                    report.references[decision.id] = source


def _progress_bar(progress: bool | None, client, total: int):
    """A bar on stderr as partitions finish (default: when stderr is a terminal), after the dashboard link."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    print(f"Dask dashboard: {client.dashboard_link}", file=sys.stderr)
    # mininterval=0: a partition is seconds of work, each one finished is worth a redraw
    return tqdm(total=total, unit="partition", file=sys.stderr, desc="kg build (dask)", leave=False, mininterval=0)
