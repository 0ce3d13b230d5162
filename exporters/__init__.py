"""Exporters: each reads only the graph (a networkx.MultiDiGraph) and writes one output format."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from kg.errors import ExportError

from .gexf import to_gexf, write_gexf
from .graphml import (entity_graph, from_graphml, merged_graph, read_graphml, to_entity_graphml, to_graphml,
                      to_merged_graphml, write_entity_graphml, write_graphml, write_merged_graphml)
from .html import to_html, write_html
from .jsonl import FILENAMES as JSONL_FILENAMES
from .jsonl import read_jsonl_graph, to_jsonl, write_jsonl

EXPORTERS: dict[str, Callable[[nx.MultiDiGraph, "str | os.PathLike"], None]] = {
    "html": write_html,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "jsonl": write_jsonl,
}
# The files each format writes into an output folder, in order. GraphML comes three ways: the graph
# itself, the same with parallel edges merged for Gephi, and the entity-only projection.
FILENAMES: dict[str, tuple[str, ...]] = {
    "html": ("graph.html",),
    "graphml": ("graph.graphml", "graph-merged.graphml", "graph-entities.graphml"),
    "gexf": ("graph.gexf",),
    "jsonl": tuple(JSONL_FILENAMES.values()),
}
_FILE_WRITERS = {"graph.html": write_html, "graph.graphml": write_graphml, "graph-merged.graphml": write_merged_graphml,
                 "graph-entities.graphml": write_entity_graphml, "graph.gexf": write_gexf}


def write_all(G: nx.MultiDiGraph, out_dir: str | os.PathLike, formats: Iterable[str] | None = None) -> list[Path]:
    """Write ``formats`` (default: all) into ``out_dir``; returns the files written, in order.

    An unknown format raises ExportError naming the known ones, before anything is written.
    """
    chosen = list(EXPORTERS) if formats is None else list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in EXPORTERS]
    if unknown:
        raise ExportError(f"unknown export format {unknown[0]!r}; choose from {', '.join(EXPORTERS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot create output folder {out}: {err.strerror or err}") from err
    written: list[Path] = []
    for name in chosen:
        if name == "jsonl":  # three files, written by one call
            write_jsonl(G, out)
        else:
            for filename in FILENAMES[name]:
                _FILE_WRITERS[filename](G, out / filename)
        written.extend(out / f for f in FILENAMES[name])
    return written


__all__ = [
    "EXPORTERS", "FILENAMES", "write_all",
    "to_html", "write_html", "to_graphml", "from_graphml", "write_graphml", "read_graphml",
    "merged_graph", "to_merged_graphml", "write_merged_graphml", "entity_graph", "to_entity_graphml",
    "write_entity_graphml",
    "to_gexf", "write_gexf", "to_jsonl", "write_jsonl", "read_jsonl_graph",
]
