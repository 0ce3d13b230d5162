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
    # scaling out (kg/dask_engine.py; README "Scaling out")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where the map phase runs: this process, or a Dask cluster (pip install 'kg-timeline[dask]')")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster, closed afterwards)")
    b.add_argument("--workers", type=int, metavar="N",
                   help="worker processes of the local Dask cluster (default: one per core)")
    b.set_defaults(func=cmd_build)
    return parser


def cmd_build(args) -> int:
    """kg build: run the pipeline, write the outputs, print the summary."""
    from .pipeline import BuildReport, build

    report = BuildReport()

    def warn(skipped):
        if not args.quiet:
            print(f"warning: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)

    g = build(args.inputs, published=args.published, model=args.model, jobs=args.jobs, aliases=args.aliases,
              triggers=args.triggers, progress=False if args.quiet else None, report=report, on_skip=warn,
              title=args.title, **_engine_options(args))
    written = g.write(args.out, formats=args.format)
    if not args.quiet:
        lines = report.summary(g).splitlines()
        print(lines[0])
        for line in lines[1:]:
            if not line.startswith("skipped "):
                print(line)
        print("wrote " + ", ".join(str(p) for p in written))
    if args.strict and report.skipped:
        return EXIT_SKIPPED
    return 0


def _engine_options(args) -> dict:
    """build()'s engine arguments: --scheduler picks a running Dask cluster, else --workers sizes a local one."""
    if args.engine == "local":
        return {}
    return {"engine": args.engine, "client": args.scheduler, "workers": args.workers}


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
