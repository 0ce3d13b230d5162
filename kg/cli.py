"""The ``kg`` command: each subcommand parses its arguments, calls one function, maps errors to exit codes."""
from __future__ import annotations

import argparse
import sys

from .errors import KGError

EXIT_ERROR = 1
EXIT_SKIPPED = 2


def _formats(value: str) -> list[str]:
    from exporters import EXPORTERS

    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in EXPORTERS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown)}; choose from {', '.join(EXPORTERS)}")
    return names


def make_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="kg", description="Build a dated, sourced event timeline and knowledge graph from news articles.")
    parser.add_argument("--version", action="version", version=f"kg-timeline {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    b = sub.add_parser(
        "build", help="read articles and write graph.html, graph.graphml, graph.gexf and JSONL records",
        description="Read articles (.txt, .json, .jsonl files or folders; - for stdin) and write the graph "
                    "page, Gephi files and JSON Lines records into --out.")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="article files, folders or - for stdin")
    b.add_argument("--out", "-o", metavar="DIR", help="output folder (created if missing; default: the --into folder)")
    b.add_argument("--into", metavar="DIR", help="extend the build in DIR (a folder kg build wrote): its documents "
                                                 "and the new ones give the same result as one build of all of them")
    b.add_argument("--published", metavar="YYYY-MM-DD",
                   help="reference (publication) date for every article; relative dates resolve against it")
    b.add_argument("--model", metavar="NAME", help="spaCy pipeline to use (default: en_core_web_sm)")
    b.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="parser processes (spaCy n_process)")
    b.add_argument("--aliases", metavar="FILE", help="JSON/YAML file: canonical name -> list of aliases")
    b.add_argument("--triggers", metavar="FILE", help="JSON file of extra event triggers (layout of kg/data/triggers.json)")
    b.add_argument("--format", type=_formats, default=None, metavar="LIST",
                   help="comma-separated outputs: html,graphml,gexf,jsonl (default: all)")
    b.add_argument("--title", default="kg-timeline", help="title of the graph page")
    b.add_argument("--strict", action="store_true", help="exit with code 2 when any input was skipped")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")
    # scaling out (kg/dask_engine.py; README "Scaling out")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where the map phase runs: this process, or a Dask cluster (pip install 'kg-timeline[dask]')")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster, closed afterwards)")
    b.add_argument("--workers", type=int, metavar="N",
                   help="worker processes of the local Dask cluster (default: one per core)")
    b.set_defaults(func=cmd_build)
    add_query_commands(sub)
    return parser


def cmd_build(args) -> int:
    """kg build: run the pipeline, write the outputs, print the summary; --strict: exit 2 if anything was skipped."""
    from .errors import InputError
    from .pipeline import BuildReport, build

    into, out = _build_target(args)
    out = _output_folder(out)  # checked before any work: a bad --out should not cost a whole build
    report = BuildReport()

    def skipped(item):
        if not args.quiet:
            print(f"warning: skipped {item.path}: {item.reason}", file=sys.stderr)

    def warned(line):
        if not args.quiet:
            print(f"warning: {line}", file=sys.stderr)

    g = build(args.inputs, published=args.published, model=args.model, jobs=args.jobs, aliases=args.aliases,
              triggers=args.triggers, progress=False if args.quiet else None, report=report, on_skip=skipped,
              on_warning=warned, title=args.title, into=into, **_engine_options(args))
    if report.read == 0 and into is None:
        raise InputError(f"no article could be read from {', '.join(args.inputs)} ({len(report.skipped)} skipped); "
                         f"nothing was written to {out}")
    written = _write_outputs(g, out, args.format, report.skipped_records())
    if not args.quiet:
        lines = report.summary(g).splitlines()
        print(lines[0])
        for line in lines[1:]:
            if not line.startswith("skipped "):
                print(line)
        print("wrote " + ", ".join(str(p) for p in written))
    if report.skipped:  # said even with --quiet: skipped input never goes unnoticed
        print(f"warning: {len(report.skipped)} input(s) skipped, listed with reasons in {out / 'skipped.jsonl'}",
              file=sys.stderr)
    if args.strict and report.skipped:
        return EXIT_SKIPPED
    return 0


def _build_target(args):
    """(the graph to extend or None, the output folder) of kg build's --into/--out."""
    from .errors import InputError
    from .store import load

    if not args.out and not args.into:
        raise InputError("give --out DIR for the outputs (or --into DIR to add the articles to that build)")
    into = None
    if args.into:
        into = load(args.into)
        _ = into.doc_results  # raises now, before any parsing, when the folder cannot be extended
    return into, args.out or args.into


# query commands ------------------------------------------------------------------------------
def add_query_commands(sub) -> None:
    """The subcommands that read a build folder: kg events, kg timeline, kg entities, kg relations."""
    from .records import ENTITY_TYPES, EVENT_TYPES, STATUSES

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("build", metavar="OUT", help="a folder written by kg build --out (or a graph.graphml)")
    common.add_argument("--json", action="store_true", help="print JSON Lines (one record per line) for machines")
    e = sub.add_parser("events", parents=[common], help="list events, filtered, in date order",
                       description="List the events of a build in date order: date, type, label, status, sources.")
    e.add_argument("--involving", metavar="NAME", help="an entity taking part (name, alias or id)")
    e.add_argument("--type", choices=EVENT_TYPES, metavar="TYPE", help=f"event type: {', '.join(EVENT_TYPES)}")
    e.add_argument("--status", choices=STATUSES, metavar="STATUS", help=f"one of {', '.join(STATUSES)}")
    e.add_argument("--from", dest="start", metavar="DATE", help="events ending on or after DATE (YYYY[-MM[-DD]])")
    e.add_argument("--to", dest="end", metavar="DATE", help="events starting on or before DATE (YYYY[-MM[-DD]])")
    e.add_argument("--source", metavar="DOC", help="events reported by this document id")
    e.set_defaults(func=cmd_events)
    t = sub.add_parser("timeline", parents=[common], help="the events in time order, undated ones placed by links",
                       description="The timeline: dated events in order; undated ones beside the events they "
                                   "are linked to (before, after, causes), the rest last in document order.")
    t.add_argument("--involving", metavar="NAME", help="only the events of this entity (name, alias or id)")
    t.set_defaults(func=cmd_timeline)
    n = sub.add_parser("entities", parents=[common], help="list entities, or find the ones a name designates",
                       description="List the entities of a build (id, name, type, mentions, documents, aliases).")
    n.add_argument("name", nargs="?", metavar="NAME", help="only the entities NAME designates (alias-aware)")
    n.add_argument("--type", choices=ENTITY_TYPES, metavar="TYPE", help=f"entity type: {', '.join(ENTITY_TYPES)}")
    n.set_defaults(func=cmd_entities)
    r = sub.add_parser("relations", parents=[common], help="what links two entities: relations and shared events",
                       description="The direct relations of entity A (with B), then the events both take part in.")
    r.add_argument("a", metavar="A", help="an entity name, alias or id")
    r.add_argument("b", nargs="?", metavar="B", help="a second entity: only what links A and B")
    r.add_argument("--relation", metavar="NAME", help="only relations of this name or events of this type")
    r.set_defaults(func=cmd_relations)


def cmd_events(args) -> int:
    """kg events: filtered events in date order."""
    from .store import load

    from .query import date_bound

    for value, option in ((args.start, "--from"), (args.end, "--to")):
        try:
            date_bound(value)
        except KGError as err:
            raise type(err)(f"{option}: {err}") from err
    g = load(args.build)
    between = (args.start, args.end) if args.start or args.end else None
    rows = g.events(type=args.type, involving=args.involving, between=between, status=args.status,
                    source=args.source)
    return _print(rows, args.json, _event_row, "events")


def cmd_timeline(args) -> int:
    """kg timeline: the events in time order."""
    from .store import load

    return _print(load(args.build).timeline(involving=args.involving), args.json, _event_row, "events")


def cmd_entities(args) -> int:
    """kg entities: every entity (of a type), or the ones a name designates."""
    from . import query
    from .store import load

    g = load(args.build)
    rows = g.entities(type=args.type)
    if args.name:
        ids = set(query.entity_ids(g.graph, args.name)) or {query.resolve_entity(g.graph, args.name)}
        rows = [r for r in rows if r["id"] in ids]
    return _print(rows, args.json, _entity_row, "entities")


def cmd_relations(args) -> int:
    """kg relations: direct relations of A (with B), then the events they share."""
    from .store import load

    g = load(args.build)
    names = {r["id"]: r["name"] for r in g.entities()}
    rows = g.relations(args.a, args.b, relation=args.relation)
    return _print(rows, args.json, lambda row: _relation_row(row, names), "relations")


EVENT_COLUMNS = ("DATE", "TYPE", "LABEL", "STATUS", "SOURCES")
ENTITY_COLUMNS = ("ID", "NAME", "TYPE", "MENTIONS", "DOCS", "ALIASES")


def _when(time: dict | None) -> str:
    """The date column: the TIMEX3 value, a day range as START..END, or "undated"."""
    if not time:
        return "undated"
    if time.get("granularity") == "day" and time.get("end") and time.get("end") != time.get("start"):
        return f"{time['start']}..{time['end']}"
    return str(time.get("value") or time.get("text"))


def _docs(sources: list[dict]) -> str:
    return ", ".join(dict.fromkeys(s["doc"] for s in sources if s and s.get("doc")))


def _event_row(rec: dict) -> tuple:
    return (_when(rec["time"]), rec["type"], rec["label"], rec["status"], _docs(rec["sources"]))


def _entity_row(rec: dict) -> tuple:
    aliases = [a for a in rec["aliases"] if a != rec["name"]]
    return (rec["id"], rec["name"], rec["type"], str(rec["mentions"]), str(len(rec["docs"])), ", ".join(aliases))


def _relation_row(rec: dict, names: dict[str, str]) -> tuple:
    if rec["kind"] == "event":
        return _event_row(rec)
    role = f" ({rec['role']})" if rec.get("role") else ""
    label = f"{names.get(rec['source'], rec['source'])} {rec['relation']} {names.get(rec['target'], rec['target'])}"
    time = rec.get("time")
    return (_when(time) if time else "", rec["relation"], label + role, "", _docs([rec.get("evidence")]))


def _print(rows: list[dict], as_json: bool, to_row, what: str) -> int:
    """Print records as JSON Lines, or as an aligned table with a header."""
    import json
    import os

    if as_json:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    elif not rows:
        text = f"No matching {what}.\n"
    else:
        header = ENTITY_COLUMNS if what == "entities" else EVENT_COLUMNS
        text = format_table(header, [to_row(r) for r in rows]) + "\n"
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `kg timeline OUT | head` closed the pipe early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def format_table(header: tuple, rows: list[tuple]) -> str:
    """Columns padded to their widest cell, two spaces apart; the last column is not padded.

    >>> print(format_table(("A", "B"), [("x", "1"), ("yy", "2")]))
    A   B
    x   1
    yy  2
    """
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row[:-1], widths)) + "  " + str(row[-1])
             for row in [header, *rows]]
    return "\n".join(line.rstrip() for line in lines)


def _engine_options(args) -> dict:
    """build()'s engine arguments: --scheduler picks a running Dask cluster, else --workers sizes a local one."""
    if args.engine == "local":
        return {}
    return {"engine": args.engine, "client": args.scheduler, "workers": args.workers}

def _output_folder(path: str):
    """The output folder as a Path, checked before the build: ExportError when it cannot be a writable folder."""
    import os
    from pathlib import Path

    from .errors import ExportError

    out = Path(path)
    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {path} is a file, not a folder; give a folder (it is created if missing)")
    existing = next(p for p in (out, *out.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise ExportError(f"cannot create output folder {path}: {existing} is a file; choose another folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write in {existing}; choose a writable output folder")
    return out


def _write_outputs(g, out, formats, skipped_rows: list[dict]) -> list:
    """Write every output into a hidden folder inside ``out``, then move each into place.

    A crash or Ctrl-C while exporting leaves all the previous outputs as they were (not a mix of
    old and new); ``skipped.jsonl`` is always written, empty when nothing was skipped.
    """
    import json
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from .errors import ExportError

    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out))
    except OSError as err:
        raise ExportError(f"cannot create output folder {out}: {(err.strerror or str(err)).lower()}") from err
    try:
        files = list(g.write(stage, formats=formats))
        rows = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in skipped_rows)
        (stage / "skipped.jsonl").write_text(rows, encoding="utf-8")
        files.append(stage / "skipped.jsonl")
        for f in files:
            os.replace(f, out / f.name)
        names = {f.name for f in files}
        stale = out / "mentions.jsonl"  # records of documents a graph without them (Dask, GraphML) no longer holds
        if "events.jsonl" in names and stale.name not in names and stale.exists():
            stale.unlink()
        return [out / f.name for f in files]
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KGError as err:
        print(f"Error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Interrupted; outputs already written are intact.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
