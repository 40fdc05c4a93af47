"""GEXF 1.3 for Gephi: positions, colours by series and time spells for the timeline."""

from __future__ import annotations

import io
from typing import Any
from xml.etree.ElementTree import SubElement

from networkx.readwrite.gexf import GEXFWriter

from data import schema as S
from geo.palette import series_colour
from linking.exports._common import metadata_text, prepare
from linking.exports._xml import clean_graph, clean_tree
from linking.layouts import packed_series_layout

POSITION_SCALE = 50.0
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"


def _rgb(hex_colour: str) -> dict[str, int]:
    """``#rrggbb`` as GEXF's r, g, b (no alpha: the writer writes a="1.0", opaque)."""
    value = hex_colour.removeprefix("#")
    return {"r": int(value[:2], 16), "g": int(value[2:4], 16), "b": int(value[4:], 16)}


def export_gexf(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Return the selection as GEXF 1.3.

    Nodes carry their id as label (the writer's default), ``viz:position``
    (packed series layout), ``viz:color`` (the series colour from
    :mod:`geo.palette`, grey when unlinked) and a spell
    starting on the shooting's local date; edges start on their first lead
    date (else the later shooting) so Gephi's timeline replays the series.
    The metadata block is the ``<meta><description>``.
    """
    graph, block = prepare(
        selection, export_format="gexf",
        include_sensitive=include_sensitive, generalise_addresses=generalise_addresses,
    )
    positions = packed_series_layout(graph)
    day_of: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        when = str(data.get(S.LOCAL_TIME) or data.get(S.OCCURRED_AT) or "")[:10]
        x, y = positions[node]  # the layout places every node
        data["viz"] = {
            "position": {"x": round(x * POSITION_SCALE, 3), "y": round(y * POSITION_SCALE, 3), "z": 0.0},
            "color": _rgb(series_colour(data.get(S.SERIES_ID))),
            "size": 10.0,
        }
        if when:
            day_of[node] = when
            data["spells"] = [(when, None)]
    for a, b, data in graph.edges(data=True):
        start = data.get("first_lead_date") or max(day_of.get(n, "") for n in (a, b))  # ISO dates
        if start:
            data["spells"] = [(start, None)]
        data["label"] = str(data.get(S.STATUS))
    writer = GEXFWriter(version="1.3")  # UTF-8, one element a line (the writer's defaults)
    writer.xml.set("xmlns:xsi", XSI_NAMESPACE)  # networkx 3.6 spells it without "www."
    writer.add_graph(clean_graph(graph))
    meta = writer.xml.find("meta")
    if meta is not None:
        SubElement(meta, "description").text = metadata_text(block)
        SubElement(meta, "keywords").text = "brassmap, NIBIN, lead vs hit"
    clean_tree(writer.xml)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
