"""KML for Google Earth and ArcGIS: placemarks and link lines, one folder per series."""

from __future__ import annotations

import io
from typing import Any
from xml.etree.ElementTree import Element, ElementTree, SubElement

from data import schema as S
from geo.palette import LINK_STYLES, SERIES_PALETTE, UNLINKED_COLOUR, series_colour
from linking.exports._common import metadata_text, prepare
from linking.exports._xml import clean_tree

KML_NS = "http://www.opengis.net/kml/2.2"
UNLINKED_FOLDER = "Incidents in no series"


def _kml_colour(hex_colour: str) -> str:
    """``#rrggbb`` as KML's aabbggrr, opaque."""
    value = hex_colour.removeprefix("#")
    return "ff" + value[4:] + value[2:4] + value[:2]


def _style_id(hex_colour: str) -> str:
    return "incident-" + hex_colour.removeprefix("#")


def _extended(placemark: Element, data: dict[str, Any]) -> None:
    extended = SubElement(placemark, "ExtendedData")
    for key, value in data.items():  # export_graph leaves missing values out: none is None
        item = SubElement(extended, "Data", name=str(key))
        SubElement(item, "value").text = str(value).lower() if isinstance(value, bool) else str(value)


def export_kml(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Return a KML document.

    One ``Folder`` per series (newest activity first) holds its incident
    placemarks and its link lines; incidents in no series share a last folder.
    Each line's name says ``lead`` or ``hit`` and its ``status`` sits in
    ``ExtendedData``; hits are drawn thick and black, leads thin and red
    (KML has no dashes). The document description is the metadata block.
    """
    graph, block = prepare(
        selection, export_format="kml",
        include_sensitive=include_sensitive, generalise_addresses=generalise_addresses,
    )
    root = Element("kml", xmlns=KML_NS)
    document = SubElement(root, "Document")
    SubElement(document, "name").text = "brassmap export"
    SubElement(document, "description").text = metadata_text(block)
    for colour in (*SERIES_PALETTE, UNLINKED_COLOUR):
        style = SubElement(document, "Style", id=_style_id(colour))
        icon = SubElement(style, "IconStyle")
        SubElement(icon, "color").text = _kml_colour(colour)
        SubElement(icon, "scale").text = "0.8"
    for status, (colour, _dash, _label) in LINK_STYLES.items():
        style = SubElement(document, "Style", id=f"link-{status}")
        line = SubElement(style, "LineStyle")
        SubElement(line, "color").text = _kml_colour(colour)
        SubElement(line, "width").text = "4" if status == "hit" else "2"

    order = [str(s) for s in selection.series[S.SERIES_ID]]
    folders: dict[str | None, Element] = {}

    def folder_for(series_id: str | None) -> Element:
        if series_id not in folders:
            folders[series_id] = Element("Folder")
            SubElement(folders[series_id], "name").text = series_id or UNLINKED_FOLDER
        return folders[series_id]

    where: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        series_id = data.get(S.SERIES_ID)
        placemark = SubElement(folder_for(series_id), "Placemark")
        SubElement(placemark, "name").text = node
        SubElement(placemark, "styleUrl").text = "#" + _style_id(series_colour(series_id))
        _extended(placemark, data)
        lon, lat = data.get(S.LONGITUDE), data.get(S.LATITUDE)
        if lon is not None and lat is not None:
            where[node] = f"{float(lon):.7f},{float(lat):.7f}"
            SubElement(SubElement(placemark, "Point"), "coordinates").text = where[node]
    for a, b, data in graph.edges(data=True):
        status = str(data.get(S.STATUS))
        placemark = SubElement(folder_for(graph.nodes[a].get(S.SERIES_ID)), "Placemark")
        SubElement(placemark, "name").text = f"{a} - {b} ({status})"
        SubElement(placemark, "styleUrl").text = f"#link-{status}"
        _extended(placemark, data)
        if a in where and b in where:
            line = SubElement(placemark, "LineString")
            SubElement(line, "tessellate").text = "1"
            SubElement(line, "coordinates").text = f"{where[a]} {where[b]}"
    extra: list[str | None] = [k for k in folders if k not in order and k is not None]
    for folder_key in [*order, *extra, None]:
        if folder_key in folders:
            document.append(folders[folder_key])
    buffer = io.BytesIO()
    ElementTree(clean_tree(root)).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue()
