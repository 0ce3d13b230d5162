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
    b.add_argument("--out", "-o", required=True, metavar="DIR", help="output folder (created if missing)")
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
    b.set_defaults(func=cmd_build)
    return parser


def cmd_build(args) -> int:
    """kg build: run the pipeline, write the outputs, print the summary; --strict: exit 2 if anything was skipped."""
    from .errors import InputError
    from .pipeline import BuildReport, build

    out = _output_folder(args.out)  # checked before any work: a bad --out should not cost a whole build
    report = BuildReport()

    def skipped(item):
        if not args.quiet:
            print(f"warning: skipped {item.path}: {item.reason}", file=sys.stderr)

    def warned(line):
        if not args.quiet:
            print(f"warning: {line}", file=sys.stderr)

    g = build(args.inputs, published=args.published, model=args.model, jobs=args.jobs, aliases=args.aliases,
              triggers=args.triggers, progress=False if args.quiet else None, report=report, on_skip=skipped,
              on_warning=warned, title=args.title)
    if report.read == 0 and not getattr(args, "into", None):
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
