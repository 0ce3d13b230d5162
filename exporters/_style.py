"""Colours, shapes and sizes shared by every visual exporter, so Gephi and the page agree."""
from __future__ import annotations

import math
from typing import Any

# Entities: one colour and one shape per type (persons are dots, places triangles ...).
ENTITY_STYLE: dict[str, tuple[str, str]] = {
    "PERSON": ("#2563eb", "dot"),
    "ORG": ("#059669", "square"),
    "GPE": ("#d97706", "triangle"),
    "LOC": ("#a16207", "triangleDown"),
    "NORP": ("#7c3aed", "hexagon"),
    "EVENT": ("#db2777", "star"),
    "FAC": ("#0891b2", "square"),
}
ENTITY_DEFAULT = ("#64748b", "dot")

# Events are diamonds; their colour says the event type.
EVENT_SHAPE = "diamond"
EVENT_COLORS: dict[str, str] = {
    "call": "#e11d48",
    "visit": "#ea580c",
    "travel": "#f59e0b",
    "meeting": "#ca8a04",
    "statement": "#475569",
    "appeal": "#9333ea",
    "accusation": "#b91c1c",
    "postponement": "#0284c7",
    "cancellation": "#334155",
    "agreement": "#16a34a",
    "appointment": "#0d9488",
    "military": "#7f1d1d",
    "other": "#94a3b8",
}
EVENT_DEFAULT = "#94a3b8"


def node_color(data: dict[str, Any]) -> str:
    """Hex colour of a node from its kind and type."""
    if data.get("kind") == "event":
        return EVENT_COLORS.get(str(data.get("type")), EVENT_DEFAULT)
    return ENTITY_STYLE.get(str(data.get("type")), ENTITY_DEFAULT)[0]


def node_shape(data: dict[str, Any]) -> str:
    """vis-network shape name of a node."""
    if data.get("kind") == "event":
        return EVENT_SHAPE
    return ENTITY_STYLE.get(str(data.get("type")), ENTITY_DEFAULT)[1]


def rgb(hex_color: str) -> tuple[int, int, int]:
    """``#rrggbb`` -> (r, g, b) for Gephi's colour attributes."""
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def node_size(data: dict[str, Any], degree: int) -> float:
    """Size grows with the square root of mentions (entities) or sources (events), else degree."""
    if data.get("kind") == "event":
        weight = data.get("n_sources") or len(data.get("sources") or ()) or 1
        return round(min(14.0 + 4.0 * math.sqrt(weight - 1), 34.0), 1)
    weight = data.get("mentions") or degree or 1
    return round(min(10.0 + 4.0 * math.sqrt(weight - 1), 40.0), 1)


def degree_size(data: dict[str, Any], degree: int) -> float:
    """Size by number of links alone (the page's "Size: links" choice), on the same scale as node_size."""
    top = 34.0 if data.get("kind") == "event" else 40.0
    base = 14.0 if data.get("kind") == "event" else 10.0
    return round(min(base + 3.0 * math.sqrt(max(degree, 1) - 1), top), 1)
