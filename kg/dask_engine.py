"""The Dask engine: the same build as ``kg.pipeline.build``, with the map phase spread over a cluster.

Map: the client only *lists* the inputs (files; JSON Lines files cut into line ranges, whose byte
offsets the workers index) and sends partitions of them to the workers. Each worker opens its inputs
through fsspec (a shared folder and an object-store URL work alike), parses them with the per-process
cached spaCy pipeline (``kg.nlp.load_model``) through ``kg.pipeline.parse`` and turns every document into
a ``DocResult`` with ``kg.pipeline.extract``: plain frozen records, never spaCy objects. A document that
fails becomes a ``Skipped`` record; it never fails its partition.

Reduce: ``kg.pipeline.reduce`` itself, run on one worker over the partitions' records (which move from
worker to worker, never through the client); only the merged graph travels to the client. Entity
resolution and event merging are global (union-find over name, surname and acronym blocks; event ids
de-duplicated across the whole corpus), so they are not sharded here: see "Scaling out" in the README.

Results equal the local engine's byte for byte: the reduce sorts documents by id, and document ids are
de-duplicated on the client in stream order with the local rule.
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

    It has the few ``Path`` members ingest's readers use, so the same readers parse remote files.
    """

    url: str
    name: str

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    def read_bytes(self) -> bytes:
        import fsspec

        with fsspec.open(self.url, "rb") as fh:
            return fh.read()

    def __str__(self) -> str:
        return self.name


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
    """Every input file under ``paths``, in the local engine's order; only names are read."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Input] = []
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            raise InputError("the Dask engine cannot read stdin (its workers read the inputs); "
                             "save the articles to a shared folder or use --engine local")
        out.extend(_list_url(path) if _is_url(path) else _list_local(Path(path)))
    return out


def _list_local(p: Path) -> list[Input]:
    # the same selection and order as kg.ingest._iter_path, so that ids and stream order agree
    if p.is_dir():
        files = sorted(f for f in p.rglob("*")
                       if f.suffix.lower() in _ingest.SUFFIXES and not _ingest._hidden(f, p))
        return [Input(str(f.absolute()), str(f)) for f in files]
    if not p.exists() and not p.is_symlink():
        raise InputError(f"input {str(p)!r} does not exist; give a file, a folder or - for stdin")
    return [Input(str(p.absolute()), str(p))]


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
    return [Input(url, url)]


def _size(inp: Input) -> int:
    import fsspec

    fs, path = fsspec.core.url_to_fs(inp.url)
    return int(fs.size(path))


# ---- worker side -------------------------------------------------------------------------------------------

def line_starts(inp: Input, start: int, end: int) -> array:
    """Byte offsets of the lines that begin in ``[start, end)`` of a JSONL file (run on a worker)."""
    import fsspec

    base = max(start - 1, 0)  # the byte before the block tells whether a line begins at ``start``
    with fsspec.open(inp.url, "rb") as fh:
        fh.seek(base)
        data = fh.read(end - base)
    offsets = array("q", [0] if start == 0 else [])
    i = data.find(b"\n")
    while i != -1 and base + i + 1 < end:
        offsets.append(base + i + 1)
        i = data.find(b"\n", i + 1)
    return offsets


def _read_units(units: Iterable[Unit]) -> Iterator[Article | Skipped]:
    """Articles of a partition, read by ingest's own parsers (files through an fsspec-backed ``Input``)."""
    for u in units:
        if u.end < 0 and u.input.suffix.lower() != ".jsonl":
            yield from _ingest._iter_file(u.input)
        else:
            yield from _read_lines(u)


def _read_lines(u: Unit) -> Iterator[Article | Skipped]:
    import fsspec

    try:
        with fsspec.open(u.input.url, "rb") as fh:
            fh.seek(u.start)
            raw = fh.read() if u.end < 0 else fh.read(u.end - u.start)
    except OSError as err:
        yield Skipped(u.input.stem, str(u.input), f"cannot read file: {err.__class__.__name__}: {err}")
        return
    # as ingest opens a JSONL file: BOM dropped at the start, bad bytes replaced, universal newlines
    text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig" if u.start == 0 else "utf-8", errors="replace")
    for n, line in enumerate(text, u.first_line):
        if line.strip():
            yield _ingest._record_line(line, str(u.input), n, stem=u.input.stem)


@dataclass(frozen=True)
class Partition:
    """What a map task returns: a DocResult or Skipped per record, and the ids of its articles in order."""

    results: tuple
    ids: tuple[str, ...]


def map_partition(units: list[Unit], published: dt.date | None, model: str | None, lexicon: dict | None,
                  renames: dict[int, str] | None = None, batch_size: int | None = None) -> Partition:
    """The map phase for one partition, in stream order (runs on a worker).

    ``renames`` maps the position of an article among the partition's articles to the id the
    client gave it (a duplicate id elsewhere in the corpus).
    """
    from . import pipeline
    from .nlp import load_model

    nlp = load_model(model)  # cached: once per worker process
    out: list = []
    articles: list[Article] = []
    for item in _read_units(units):
        if isinstance(item, Article):
            if published is not None:
                item = replace(item, published=published)
            if renames and len(articles) in renames:
                item = replace(item, id=renames[len(articles)])
            articles.append(item)
        out.append(item)
    done = dict(_extract_all(articles, nlp, lexicon, batch_size or pipeline.BATCH_SIZE))
    return Partition(tuple(done[id(a)] if isinstance(a, Article) else a for a in out),
                     tuple(a.id for a in articles))


def _extract_all(articles: list[Article], nlp, lexicon, batch_size: int) -> Iterator[tuple[int, DocResult | Skipped]]:
    """Parse in batches; a batch that fails is parsed one document at a time so only the bad one is skipped."""
    from . import pipeline

    for i in range(0, len(articles), batch_size):
        batch = articles[i:i + batch_size]
        try:
            pairs = list(pipeline.parse(batch, nlp, batch_size=batch_size))
        except Exception:  # noqa: BLE001 - find the document that broke the batch
            pairs = None
        for j, a in enumerate(batch):
            try:
                doc = pairs[j][0] if pairs is not None else next(iter(pipeline.parse([a], nlp)))[0]
                yield id(a), pipeline.extract(doc, a, lexicon)
            except Exception as err:  # noqa: BLE001 - one bad document never fails its partition
                yield id(a), Skipped(a.id, a.path or a.id, f"failed in the map phase: {err.__class__.__name__}: {err}")


def summarize(part: Partition) -> tuple[tuple[str, ...], dict[str, str], list[Skipped]]:
    """What the client needs of a partition: its article ids, their reference sources, the skipped inputs."""
    refs = {r.article.id: r.reference_source for r in part.results if isinstance(r, DocResult)}
    return part.ids, refs, [r for r in part.results if isinstance(r, Skipped)]


def reduce_partitions(*parts: Partition, aliases: dict | None = None, title: str = "kg-timeline",
                      extra: list | None = None):
    """``kg.pipeline.reduce`` over every partition's DocResults (runs on one worker)."""
    from . import pipeline

    results = [r for part in parts for r in part.results if isinstance(r, DocResult)] + list(extra or ())
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
        if inp.suffix.lower() != ".jsonl" or inp.url not in starts:
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
            continue  # unreadable: the map task reports it as skipped, as ingest does
        for start in range(0, sizes[inp.url], BLOCK_BYTES):
            end = min(start + BLOCK_BYTES, sizes[inp.url])
            futures[(inp.url, start)] = client.submit(line_starts, inp, start, end,
                                                      key=f"kg-index-{len(futures)}-{os.urandom(4).hex()}")
    blocks = dict(zip(futures, client.gather(list(futures.values()))))
    out = {}
    for url, size in sizes.items():
        offsets = array("q")
        for start in range(0, size, BLOCK_BYTES):
            offsets.extend(blocks[(url, start)])
        out[url] = (offsets, size)
    return out


def unique_ids(ids: Iterable[str]) -> list[str]:
    """Document ids made unique in stream order, as ``kg.pipeline.build`` does (``a``, ``a~2``, ...)."""
    seen: set[str] = set()
    out = []
    for doc_id in ids:
        if doc_id in seen:
            n = 2
            while f"{doc_id}~{n}" in seen:
                n += 1
            doc_id = f"{doc_id}~{n}"
        seen.add(doc_id)
        out.append(doc_id)
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
          title: str = "kg-timeline", client=None, partition_size: int | None = None,
          on_partition: Callable[[int, int], None] | None = None):
    """``kg.build`` on a Dask cluster: same parameters and result; ``client`` a Client, an address or None.

    With ``client=None`` a LocalCluster of ``workers`` processes (default: one per core) runs the
    build and is closed afterwards. ``on_partition(done, total)`` is called on the client as map
    partitions finish. The map-phase records stay on the cluster, so the result cannot be extended
    (``doc_results`` raises InputError, and ``extendable`` is False).
    """
    import time

    from . import events as _events
    from . import pipeline
    from . import resolve as _resolve

    started = time.perf_counter()
    _require_dask()
    report = report if report is not None else pipeline.BuildReport()
    if published is not None:
        published = _ingest.parse_date(published, what="--published")
    if isinstance(aliases, (str, os.PathLike)):
        aliases = _resolve.load_aliases(aliases)
    lexicon = _events.load_lexicon(str(triggers)) if triggers else None
    if into is not None and not into.extendable and into.graph.number_of_nodes():
        raise InputError("this graph cannot be extended: its per-document records are not kept (a Dask build "
                         "leaves them on the cluster); build again from all the inputs")
    inputs = list_inputs(paths)  # a missing input fails before a cluster starts
    session = connect(client, workers)
    try:
        g = _run(session.client, inputs, published, model, lexicon, aliases, title, into, report, on_skip,
                 progress, partition_size, on_partition)
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


def _run(client, inputs, published, model, lexicon, aliases, title, into, report, on_skip, progress,
         partition_size, on_partition):
    """Submit the map partitions, follow them, fix duplicate ids, then reduce on a worker."""
    from distributed import as_completed

    parts = plan(inputs, client, partition_size)
    tag = os.urandom(4).hex()
    if lexicon is not None:  # sent to each worker once, not with every task
        [lexicon] = client.scatter([lexicon], broadcast=True)
    futures = [client.submit(map_partition, units, published, model, lexicon, key=f"kg-map-{i}-{tag}")
               for i, units in enumerate(parts)]
    summaries = {client.submit(summarize, f, key=f"kg-summary-{i}-{tag}"): i for i, f in enumerate(futures)}
    metas: list = [None] * len(parts)
    bar = _progress_bar(progress, client, len(parts))
    for done, fut in enumerate(as_completed(list(summaries)), 1):
        i = summaries[fut]
        metas[i] = fut.result()
        for s in metas[i][2]:
            if on_skip:
                on_skip(s)
        if bar is not None:
            bar.update(1)
        if on_partition:
            on_partition(done, len(parts))
    if bar is not None:
        bar.close()
    futures = _apply_renames(client, parts, futures, metas, published, model, lexicon, tag)
    extra = list(into.doc_results) if into is not None and into.extendable and into.doc_results else None
    graph = client.submit(reduce_partitions, *futures, aliases=aliases, title=title, extra=extra,
                          key=f"kg-reduce-{tag}").result()
    for ids, refs, skipped in metas:
        report.skipped.extend(skipped)
        report.read += len(refs)
        report.references.update(refs)
    return graph


def _apply_renames(client, parts, futures, metas, published, model, lexicon, tag):
    """Re-run the partitions holding a duplicate id with the id the local engine gives it (rare)."""
    ids = [doc_id for meta in metas for doc_id in meta[0]]
    fixed = unique_ids(ids)
    if fixed == ids:
        return futures
    k = 0
    for i, (old, refs, skipped) in enumerate(metas):
        renames = {j: fixed[k + j] for j in range(len(old)) if fixed[k + j] != old[j]}
        if renames:
            futures[i] = client.submit(map_partition, parts[i], published, model, lexicon, renames,
                                       key=f"kg-map-{i}-renamed-{tag}")
            metas[i] = client.submit(summarize, futures[i], key=f"kg-summary-{i}-renamed-{tag}").result()
        k += len(old)
    return futures


def _progress_bar(progress: bool | None, client, total: int):
    """A bar on stderr as partitions finish (default: when stderr is a terminal), after the dashboard link."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    print(f"Dask dashboard: {client.dashboard_link}", file=sys.stderr)
    return tqdm(total=total, unit="partition", file=sys.stderr, desc="kg build (dask)", leave=False)
