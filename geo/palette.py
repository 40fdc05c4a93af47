"""Colours and line styles shared by the map, the graph view and the exports.

Leads and hits must never look the same: hits are solid, leads dashed, and
the two have different colours as well, so a black-and-white print still
tells them apart by dash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

UNLINKED_COLOUR = "#9e9e9e"

# Colour-blind-safe qualitative palette (Okabe-Ito + Tol bright extensions).
SERIES_PALETTE: tuple[str, ...] = (
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a5195",
    "#8c564b", "#1b9e77", "#bc5090", "#4477aa", "#ee6677", "#228833", "#aa3377",
)

# status -> (colour, dash pattern for Leaflet/SVG, human label)
LINK_STYLES: dict[str, tuple[str, str | None, str]] = {
    "hit": ("#111111", None, "Hit (examiner-confirmed) - solid"),
    "lead": ("#d62728", "6 6", "Lead (unconfirmed) - dashed"),
    "pending": ("#7f7f7f", "2 6", "Pending - dotted"),
    "excluded": ("#bdbdbd", "1 8", "Excluded - faint dots"),
}

# incident type -> (marker radius in px, outline colour)
INCIDENT_TYPE_STYLES: dict[str, tuple[int, str]] = {
    "homicide": (8, "#000000"),
    "non_fatal_shooting": (6, "#333333"),
    "shots_fired": (4, "#666666"),
    "gunfire_alert": (3, "#999999"),
}


def series_colour(series_id: str | None) -> str:
    """Return a stable colour for a series id (grey when unlinked).

    The colour depends only on the id, so a series keeps its colour across
    filters, sessions and exports.

    Examples
    --------
    >>> series_colour(None)
    '#9e9e9e'
    >>> series_colour("S-1") == series_colour("S-1")
    True
    """
    if not series_id:
        return UNLINKED_COLOUR
    digest = hashlib.blake2s(str(series_id).encode("utf-8"), digest_size=4).digest()
    return SERIES_PALETTE[int.from_bytes(digest, "big") % len(SERIES_PALETTE)]


# Node shapes that tell series apart once the palette's colours are all in use: Vega's named
# symbols, then SVG paths in Vega's [-1, 1] box (star, hexagon, pentagon), so a graph at its 600-node
# cap (the demo's all-city view shows 134 series) rarely needs a pair twice.
SERIES_SHAPES: tuple[str, ...] = (
    "circle", "square", "triangle-up", "diamond", "triangle-down", "cross", "triangle-right", "triangle-left",
    "wedge", "arrow",
    "M0,-1L0.24,-0.31L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.38L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.31Z",
    "M0,-1L0.87,-0.5L0.87,0.5L0,1L-0.87,0.5L-0.87,-0.5Z",
    "M0,-1L0.95,-0.31L0.59,0.81L-0.59,0.81L-0.95,-0.31Z",
)  # fmt: skip


def distinct_series_styles(series_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Give each series shown together its own (colour, shape), in the order given.

    A series keeps its stable colour (:func:`series_colour`, as on the map) as a
    circle while that pair is free; otherwise it gets the next free pair, walking
    the palette first and then the shapes. Only beyond ``len(SERIES_PALETTE) *
    len(SERIES_SHAPES)`` series does a pair repeat, each pair then used as
    evenly as possible and never by two series next to each other in the order.

    Examples
    --------
    >>> styles = distinct_series_styles([f"S-{i}" for i in range(20)])
    >>> len(set(styles.values()))
    20
    >>> sorted({shape for _, shape in styles.values()})
    ['circle', 'square']
    """
    pairs = [(colour, shape) for shape in SERIES_SHAPES for colour in SERIES_PALETTE]
    uses = dict.fromkeys(pairs, 0)
    styles: dict[str, tuple[str, str]] = {}
    previous: tuple[str, str] | None = None
    for series_id in dict.fromkeys(str(s) for s in series_ids):
        fewest = min(uses.values())
        stable = (series_colour(series_id), SERIES_SHAPES[0])
        if uses[stable] == fewest and stable != previous:
            pair = stable
        else:
            pair = next(p for p in pairs if uses[p] == fewest and p != previous)
        uses[pair] += 1
        styles[series_id] = previous = pair
    return styles


# boundary layer -> (outline colour, line weight in px); boundaries are outlines only,
# so the map still reads with the basemap switched off.
BOUNDARY_STYLES: dict[str, tuple[str, float]] = {
    "city_limits": ("#263238", 2.5),
    "police_districts": ("#1565c0", 1.8),
    "neighbourhoods": ("#6d4c41", 1.0),
}
