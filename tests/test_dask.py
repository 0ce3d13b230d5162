"""The Dask engine: byte-identical outputs to the local build, whatever the workers, partitions or faults."""
import json
import os
import random
import shutil
import signal
import sys
from pathlib import Path

import pytest

from kg import dask_engine as de
from kg.cli import main
from kg.errors import InputError, KGError
from kg.pipeline import CHUNK_CHARS, Admission, Admitter, BuildReport, build
from kg.records import Article, DocResult, Skipped

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
RECORDS = ["events.jsonl", "entities.jsonl", "relations.jsonl"]

# Our own news-style sentences; names, places and dates vary with a seeded generator.
PEOPLE = ["Marta Ilves", "Tomas Berg", "Ana Kovac", "Joao Pereira", "Li Wen", "Sara Haddad", "Omar Diallo",
          "Kenji Sato", "Nadia Rahman", "Pieter de Vries"]
ROLES = ["Foreign Minister", "Prime Minister", "Trade Minister", "President"]
PLACES = [("Estonia", "Tallinn"), ("Norway", "Oslo"), ("Croatia", "Zagreb"), ("Portugal", "Lisbon"),
          ("Kenya", "Nairobi"), ("Japan", "Tokyo"), ("Chile", "Santiago"), ("Ghana", "Accra")]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "April", "May", "June", "September", "October"]
SENTENCES = [
    "{role} {a} spoke with {b} by telephone on {day}, according to a statement from the ministry.",
    "{a} will visit {city} next week for talks with officials from {country}.",
    "{b} urged {a} to reopen the border crossings before the harvest season.",
    "The planned trip by {a} to {country} in {month} was postponed after the floods.",
    "{a} and {b} met in {city} on {day} and signed an agreement on fishing rights.",
    "\"We expect progress on the pipeline,\" {a} told reporters in {city} on {day}.",
    "Officials in {country} accused {b} of delaying the customs deal.",
    "{a} was appointed envoy to {country} in {month}.",
]


def make_corpus(folder: Path, n: int = 50, seed: int = 3) -> Path:
    """Seeds (when beside the checkout) plus n generated articles as .txt, .json and .jsonl, with bad records."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    if SEEDS.is_dir():
        shutil.copytree(SEEDS, folder / "seeds")

    def article(i):
        a, b = rng.sample(PEOPLE, 2)
        country, city = rng.choice(PLACES)
        fill = dict(a=a, b=b, role=rng.choice(ROLES), country=country, city=city, day=rng.choice(DAYS),
                    month=rng.choice(MONTHS))
        paras = [" ".join(s.format(**fill) for s in rng.sample(SENTENCES, 3)) for _ in range(rng.randint(2, 3))]
        return f"{a} and {b} discuss {country}\n\n" + "\n\n".join(paras)

    (folder / "wire").mkdir()
    for i in range(20):
        (folder / "wire" / f"w{i:03d}.txt").write_text(article(i), encoding="utf-8")
    lines = []
    for i in range(25):
        rec = {"text": article(i), "published": f"2023-{rng.randint(3, 10):02d}-{rng.randint(1, 28):02d}"}
        if i % 4:
            rec["id"] = "dup" if i in (5, 9) else f"feed-{i}"  # two records share an id: the second becomes dup~2
        lines.append(json.dumps(rec))
    lines[7:7] = ["{not json", "", json.dumps({"id": "empty", "text": "  "})]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "batch.json").write_text(json.dumps([{"id": f"b{i}", "text": article(i)} for i in range(5)]),
                                       encoding="utf-8")
    (folder / "wire" / "broken.txt").write_bytes(b"\x00\x01binary")
    (folder / "dup.txt").write_text(article(99), encoding="utf-8")  # before feed.jsonl: its two "dup" are ~2, ~3
    return folder


SPANISH = ("El ministro de Asuntos Exteriores viajó el lunes a la capital para reunirse con sus colegas de la "
           "región. Según un comunicado del gobierno, las conversaciones trataron del comercio, de la energía y de "
           "la seguridad en las fronteras. Los dos países firmaron además un acuerdo sobre la pesca.")


def _long_article(rng: random.Random) -> str:
    """A text longer than CHUNK_CHARS, in paragraphs: it is parsed in pieces."""
    paras = []
    while sum(len(p) + 2 for p in paras) < CHUNK_CHARS + 1500:
        a, b = rng.sample(PEOPLE, 2)
        country, city = rng.choice(PLACES)
        fill = dict(a=a, b=b, role=rng.choice(ROLES), country=country, city=city, day=rng.choice(DAYS),
                    month=rng.choice(MONTHS))
        paras.append(" ".join(s.format(**fill) for s in rng.sample(SENTENCES, 4)))
    return "Ministers travel the region\n\n" + "\n\n".join(paras)


def _bad_corpus(folder: Path) -> Path:
    """Every input the admission rule and the readers decide on: duplicate ids, another language, a long text..."""
    rng = random.Random(11)
    folder.mkdir(parents=True)
    first = "Li Wen met Ana Kovac in Oslo on Monday to discuss fishing rights."
    records = [{"id": "same", "text": first, "published": "2023-05-02"},
               {"id": "same", "text": first, "published": "2023-05-02"},  # same id and text: skipped
               {"id": "same", "text": "Tomas Berg called Sara Haddad on Friday about the border.",
                "published": "2023-05-03"},  # same id, another text: renamed same~2
               {"id": "es", "text": SPANISH},  # another language: skipped, and the next "es" keeps its id
               {"id": "es", "text": "Omar Diallo will visit Accra next week for talks on trade.",
                "published": "2023-13-45"}]  # kept, with a warning about its date
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (folder / "b_long.txt").write_text(_long_article(rng), encoding="utf-8")
    (folder / "c_latin1.txt").write_bytes("Kenji Sato met Joao Pereira in Lisbon on Tuesday, café in hand."
                                          .encode("cp1252"))
    (folder / "same.txt").write_text("Nadia Rahman urged Pieter de Vries to reopen the crossings.", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")  # listed as ignored
    (folder / "old").mkdir()  # a previous build's output folder: not read
    for name in ("events.jsonl", "entities.jsonl"):
        (folder / "old" / name).write_text("", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory):
    """The local engine's build of the corpus: its output folder and its report."""
    from kg.pipeline import BuildReport, build

    out, report = tmp_path_factory.mktemp("local"), BuildReport()
    build([str(corpus)], report=report, progress=False).write(out, formats=["jsonl"])
    return out, report


@pytest.fixture(scope="module")
def local_out(local):
    return local[0]


@pytest.fixture(scope="module")
def cluster():
    """Four worker processes; tests scale it down to 2 and 1 (so spaCy loads only four times)."""
    cluster = de.local_cluster(4)
    client = distributed.Client(cluster)
    yield cluster, client
    client.close()
    de.close_cluster(cluster)  # the fault test killed a worker: see close_cluster


def _scale(cluster, client, n):
    cluster.scale(n)
    client.wait_for_workers(n)
    while len(client.scheduler_info(n_workers=-1)["workers"]) != n:
        client.sync(__import__("asyncio").sleep, 0.1)


def _dask_build(source, out, client, **options):
    g = de.build([str(source)], client=client, progress=False, **options)
    g.write(out, formats=["jsonl"])
    return g


def _same_records(a: Path, b: Path):
    for name in RECORDS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_local_build_of_the_corpus_has_content(local_out):
    assert len((local_out / "events.jsonl").read_text().splitlines()) >= 20
    assert len((local_out / "entities.jsonl").read_text().splitlines()) >= 15


@pytest.mark.parametrize("workers,partition_size,as_url", [(4, 1, False), (4, 7, True), (2, 3, False),
                                                           (2, 20, False), (1, 16, True)])
def test_dask_output_is_byte_identical_to_local(corpus, local, cluster, tmp_path, workers, partition_size, as_url):
    _scale(*cluster, workers)
    source = corpus.absolute().as_uri() if as_url else str(corpus)  # file:// goes through fsspec's listing
    report, warned = BuildReport(), []
    g = _dask_build(source, tmp_path, cluster[1], partition_size=partition_size, report=report,
                    on_warning=warned.append)
    _same_records(local[0], tmp_path)
    if not as_url:  # a URL names the records by URL: the same files, other paths in the messages
        assert _report_of(report) == _report_of(local[1]) and warned == local[1].warnings
    assert not g.extendable  # the map records stay on the cluster
    with pytest.raises(InputError, match="cannot be extended"):
        g.doc_results


def _report_of(report: BuildReport) -> tuple:
    return report.read, report.skipped, report.warnings, report.references


def test_the_corpus_has_renamed_ids_and_skipped_records(local):
    report = local[1]
    assert [s.reason for s in report.skipped] == [
        "invalid JSON at column 2: Expecting property name enclosed in double quotes", "record's 'text' is empty",
        "binary content (NUL bytes), not text"]
    assert [w.split("; ")[1] for w in report.warnings] == [
        "this document is renamed feed-1~2", "this document is renamed dup~2", "this document is renamed dup~3"]
    assert report.references["dup~3"] == "given"  # a record's own published date


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    """The bad-input corpus and its local build: output folder and report."""
    folder = _bad_corpus(tmp_path_factory.mktemp("bad") / "in")
    out, report = folder.parent / "local", BuildReport()
    build([str(folder)], report=report, progress=False).write(out, formats=["jsonl"])
    return folder, out, report


def test_the_bad_corpus_exercises_every_admission_rule(bad):
    folder, out, report = bad
    assert [(s.id, s.reason.split(" (")[0]) for s in report.skipped] == [
        ("same", "duplicate of " + str(folder / "a.jsonl:1")), ("es", "not in the model's language")]
    assert [w.split(": ", 1)[1].split(";")[0].split(" (")[0] for w in report.warnings] == [
        "looks like a kg output folder", "ignored 1 file(s) that are not .txt, .json, .jsonl or .html",
        "id 'same' was already used by " + str(folder / "a.jsonl:1"), "'published' '2023-13-45' is not a date",
        "not UTF-8", "id 'same' was already used by " + str(folder / "a.jsonl:1")]
    assert sorted(report.references) == ["b_long", "c_latin1", "es", "same", "same~2", "same~3"]
    docs = {s["doc"] for line in (out / "events.jsonl").read_text().splitlines()
            for s in json.loads(line)["sources"]}
    assert {"b_long", "same~2", "es"} <= docs
    assert max(s["end"] for line in (out / "events.jsonl").read_text().splitlines()
               for s in json.loads(line)["sources"] if s["doc"] == "b_long") > CHUNK_CHARS  # offsets past a cut


@pytest.mark.parametrize("workers,partition_size", [(2, 1), (1, None)])
def test_bad_input_gives_the_local_files_warnings_and_skips(bad, cluster, tmp_path, workers, partition_size):
    folder, out, local_report = bad
    _scale(*cluster, workers)
    report, warned, skipped = BuildReport(), [], []
    options = dict(report=report, on_warning=warned.append, on_skip=skipped.append, progress=False)
    if partition_size is None:  # through kg.build, with its batch size
        g = build([str(folder)], engine="dask", client=cluster[1], batch_size=2, **options)
    else:
        g = de.build([str(folder)], client=cluster[1], partition_size=partition_size, **options)
    g.write(tmp_path, formats=["jsonl"])
    _same_records(out, tmp_path)
    assert _report_of(report) == _report_of(local_report)
    assert (warned, skipped) == (local_report.warnings, local_report.skipped)


def test_extending_a_local_build_on_dask_replaces_articles_read_again(tmp_path, cluster):
    first, again = tmp_path / "first", tmp_path / "again"
    for folder in (first, again):
        folder.mkdir()
    (first / "p.txt").write_text("Li Wen met Ana Kovac in Oslo on Monday.", encoding="utf-8")
    (first / "q.txt").write_text("Tomas Berg called Sara Haddad on Friday.", encoding="utf-8")
    (again / "p.txt").write_text("Li Wen met Omar Diallo in Accra on Tuesday.", encoding="utf-8")  # a newer version
    (again / "q.txt").write_text("Tomas Berg called Sara Haddad on Friday.", encoding="utf-8")  # the same: skipped
    (again / "r.txt").write_text("Kenji Sato will visit Tokyo next week.", encoding="utf-8")
    base = build([str(first)], published="2023-06-15", progress=False)
    local = build([str(again)], published="2023-06-15", into=base, progress=False)
    local.write(tmp_path / "l", formats=["jsonl"])
    g = _dask_build(again, tmp_path / "d", cluster[1], published="2023-06-15", into=base, partition_size=1)
    _same_records(tmp_path / "l", tmp_path / "d")
    assert _report_of(g.report) == _report_of(local.report)
    assert [s.reason.split(" (")[0] for s in g.report.skipped] == ["duplicate of " + str(first / "q.txt")]
    assert g.report.warnings[0].endswith("this version replaces the one read from " + str(first / "p.txt"))
    names = {e["name"] for e in g.entities()}
    assert "Omar Diallo" in names and "Kenji Sato" in names and "Ana Kovac" not in names


def test_published_date_applies_on_the_workers(corpus, cluster, tmp_path):
    feed = str(corpus / "feed.jsonl")
    build([feed], published="2023-06-15", progress=False).write(tmp_path / "l", formats=["jsonl"])
    _dask_build(feed, tmp_path / "d", cluster[1], published="2023-06-15", partition_size=6)
    _same_records(tmp_path / "l", tmp_path / "d")


def test_trigger_lexicon_reaches_the_workers(corpus, cluster, tmp_path):
    triggers = tmp_path / "triggers.json"
    triggers.write_text("{}", encoding="utf-8")  # the built-in lexicon, but loaded and sent by the client
    build([str(corpus / "batch.json")], triggers=str(triggers), progress=False).write(tmp_path / "l", formats=["jsonl"])
    _dask_build(corpus / "batch.json", tmp_path / "d", cluster[1], triggers=str(triggers), partition_size=2)
    _same_records(tmp_path / "l", tmp_path / "d")


def test_progress_prints_the_dashboard_link_and_a_bar(corpus, cluster, capsys):
    de.build([str(corpus / "batch.json"), str(corpus / "dup.txt")], client=cluster[1], progress=True,
             partition_size=1)
    err = capsys.readouterr().err
    assert f"Dask dashboard: {cluster[1].dashboard_link}" in err and "2/2" in err


def test_a_graph_without_records_cannot_be_extended(corpus, cluster):
    g = de.build([str(corpus / "dup.txt")], client=cluster[1], progress=False)
    with pytest.raises(InputError, match="cannot be extended"):
        de.build([str(corpus / "batch.json")], client=cluster[1], into=g, progress=False)


def test_killing_a_worker_mid_build_gives_the_same_output(corpus, local_out, cluster, tmp_path):
    _, client = cluster
    _scale(*cluster, 2)
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_one(done, total):
        if done == 2 and not killed:  # partitions are still running on both workers
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    _dask_build(corpus, tmp_path, client, partition_size=3, on_partition=kill_one)
    assert killed and pids[0] not in client.run(os.getpid).values()
    _same_records(local_out, tmp_path)


def test_cli_dask_engine_on_a_local_cluster(corpus, local_out, tmp_path, capsys):
    assert main(["build", str(corpus / "wire"), "--out", str(tmp_path / "l"), "--format", "jsonl", "-q"]) == 0
    assert main(["build", str(corpus / "wire"), "--out", str(tmp_path / "d"), "--format", "jsonl",
                 "--engine", "dask", "--workers", "1"]) == 0
    _same_records(tmp_path / "l", tmp_path / "d")
    err = capsys.readouterr().err
    assert "warning: skipped" in err and "broken.txt" in err


def test_cli_without_dask_names_the_extra(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    (tmp_path / "a.txt").write_text("The minister arrived in Oslo on Monday.", encoding="utf-8")
    assert main(["build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--engine", "dask"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "kg-timeline[dask]" in err and err.startswith("Error: ")


def test_unreachable_scheduler_is_a_clean_error(tmp_path, monkeypatch):
    monkeypatch.setattr(de, "CONNECT_TIMEOUT", "1s")
    (tmp_path / "a.txt").write_text("The minister arrived in Oslo on Monday.", encoding="utf-8")
    with pytest.raises(KGError, match="cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"):
        de.build([str(tmp_path)], client="tcp://127.0.0.1:9", progress=False)


def test_stdin_and_missing_inputs_fail_before_any_cluster_starts(tmp_path):
    with pytest.raises(InputError, match="cannot read stdin"):
        de.list_inputs(["-"])
    with pytest.raises(InputError, match="does not exist"):
        de.list_inputs([tmp_path / "nope"])
    with pytest.raises(InputError, match="unknown engine 'spark'; choose from local, dask"):
        de.build_on("spark", [tmp_path])


# ---- the pieces, in process --------------------------------------------------------------------------------

class _InlineClient:
    """Just enough of a distributed.Client to run ``plan`` in process."""

    def submit(self, fn, *args, key=None):
        return fn(*args)

    def gather(self, futures):
        return futures


def test_line_starts_across_block_boundaries(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"a":1}\n\n{"b":22}\n{"c":3}')  # lines start at 0, 8, 9, 18
    inp = de.Input(str(p), str(p))
    assert list(de.line_starts(inp, 0, 25)) == [0, 8, 9, 18]
    assert [list(de.line_starts(inp, s, e)) for s, e in [(0, 8), (8, 9), (9, 18), (18, 25)]] == [[0], [8], [9], [18]]
    assert list(de.line_starts(inp, 5, 12)) == [8, 9]


def test_plan_cuts_jsonl_into_line_ranges_and_groups_files(tmp_path, monkeypatch):
    monkeypatch.setattr(de, "BLOCK_BYTES", 10)
    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_bytes(b'{"text":"x"}\n{"text":"y"}\n{"text":"z"}\n')
    (tmp_path / "e.txt").write_text("Three.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("Hidden.", encoding="utf-8")
    parts = de.plan(de.list_inputs([tmp_path]), _InlineClient(), partition_size=2)
    shape = [[(Path(u.input.name).name, u.start, u.end, u.first_line) for u in p] for p in parts]
    # a.txt's partition closes before the JSONL ranges: partitions keep the stream order
    assert shape == [[("a.txt", 0, -1, 1)], [("c.jsonl", 0, 26, 1)], [("c.jsonl", 26, 39, 3)], [("e.txt", 0, -1, 1)]]


def test_admission_rule_renames_skips_and_replaces_in_stream_order():
    rule = Admitter({"old": ("d0", "saved/old.txt")}, frozenset({"old"}))
    decisions = [rule.decide(*args) for args in [
        ("a", "d1", "f:1"), ("a", "d1", "f:2"), ("a", "d2", "f:3"), ("b", "d3", "f:4", "not English"),
        ("b", "d4", "f:5"), ("old", "d5", "g.txt"), ("old", "d6", "h.txt")]]
    assert [d.id for d in decisions] == ["a", None, "a~2", None, "b", "old", "old~2"]
    assert decisions[1].skipped == Skipped("a", "f:2", "duplicate of f:1 (same id and text)")
    assert decisions[2].warning == ("f:3", "id 'a' was already used by f:1; this document is renamed a~2")
    assert decisions[3] == Admission(None, Skipped("b", "f:4", "not English"))  # its id stays free
    assert decisions[5].warning == ("g.txt", "id 'old' is already in the graph being extended; "
                                             "this version replaces the one read from saved/old.txt")
    assert decisions[6].warning[1] == "id 'old' was already used by g.txt; this document is renamed old~2"


def test_a_failing_document_is_skipped_not_its_partition(tmp_path, nlp, monkeypatch):
    from kg import pipeline

    (tmp_path / "f.jsonl").write_text("\n".join(json.dumps({"id": i, "text": f"{w} met Ana Kovac in Oslo on Monday."})
                                                 for i, w in [("ok1", "Li Wen"), ("bad", "Omar Diallo"),
                                                              ("ok2", "Kenji Sato")]) + "\n", encoding="utf-8")
    real = pipeline.extract

    def extract(doc, article, lexicon=None):
        if article.id == "bad":
            raise ValueError("no verb")
        return real(doc, article, lexicon)

    monkeypatch.setattr(pipeline, "extract", extract)
    units = [de.Unit(de.Input(str(tmp_path / "f.jsonl"), "f.jsonl"), 0, -1, 1)]
    part = de.map_partition(units, None, None, None, ids=("ok1", "bad", "ok2~2"))
    assert [e[0] for e in part.log] == ["doc", "doc", "fail", "doc"]
    assert part.log[2][1] == Skipped("bad", "f.jsonl:2", "could not be processed (ValueError: no verb); "
                                                         "please report this")
    assert [r.article.id if r else None for r in part.docs] == ["ok1", None, "ok2~2"]
    assert all(m.doc == "ok2~2" for m in part.docs[2].entities)
    assert de.summarize(part)[1] == ("none", None, "none")  # no date in the text to infer one from


def test_a_partition_reads_what_ingest_reads_in_a_local_build(tmp_path, nlp):
    from kg import ingest

    bad = _bad_corpus(tmp_path / "bad")
    warned = []
    inputs = de.list_inputs([bad])
    assert inputs[0].notes and not any(i.notes for i in inputs[1:])  # the folder's warnings come first
    units = [de.Unit(i) for i in inputs]
    assert list(de.read_units(units, None, lambda *w: warned.append(w))) == list(
        ingest.iter_articles([bad], warn=lambda *w: warned.append(w)))
    assert warned[:len(warned) // 2] == warned[len(warned) // 2:]
