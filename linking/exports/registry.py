"""The export registry: every format by name, and :func:`export_selection`.

Adding a format is one entry in :data:`EXPORTERS`. Every exporter is called
as ``export(selection, *, include_sensitive=False, generalise_addresses=True)``
and returns ``bytes`` (the dashboard hands them to a download button; the CLI
writes them to a file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from data.errors import BrassmapError
from linking.exports.csv_zip import export_csv_zip
from linking.exports.geojson import export_geojson
from linking.exports.gexf import export_gexf
from linking.exports.graphml import export_graphml
from linking.exports.html import export_html
from linking.exports.json_nodelink import export_json
from linking.exports.kml import export_kml


class ExportError(BrassmapError, ValueError):
    """An export that cannot be made; the message says which format and why."""


@dataclass(frozen=True)
class Exporter:
    """One export format.

    Attributes
    ----------
    name : str
        What ``--format`` and the dashboard call it.
    label : str
        Button text.
    extension : str
        File name ending, without the dot.
    mime_type : str
        For the download.
    export : callable
        ``export(selection, *, include_sensitive=False, generalise_addresses=True) -> bytes``.
    """

    name: str
    label: str
    extension: str
    mime_type: str
    export: Callable[..., bytes]

    def file_name(self, stem: str = "brassmap") -> str:
        """Return ``stem.extension``."""
        return f"{stem}.{self.extension}"


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter(
            "graphml", "GraphML (Gephi, Cytoscape, yEd)", "graphml", "application/graphml+xml", export_graphml
        ),
        Exporter("gexf", "GEXF 1.3 (Gephi, with timeline)", "gexf", "application/gexf+xml", export_gexf),
        Exporter("json", "JSON node-link", "json", "application/json", export_json),
        Exporter("csv", "CSV nodes + edges (zip)", "zip", "application/zip", export_csv_zip),
        Exporter("geojson", "GeoJSON (QGIS, ArcGIS)", "geojson", "application/geo+json", export_geojson),
        Exporter(
            "kml", "KML (Google Earth, ArcGIS)", "kml", "application/vnd.google-earth.kml+xml", export_kml
        ),
        Exporter("html", "Standalone HTML map", "html", "text/html", export_html),
    )
}


def export_selection(
    name: str, selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Export ``selection`` in format ``name``; raise :class:`ExportError` for an unknown format."""
    exporter = EXPORTERS.get(name)
    if exporter is None:
        raise ExportError(
            f"unknown export format {name!r}; choose one of {', '.join(EXPORTERS)}"
        )
    return exporter.export(
        selection, include_sensitive=include_sensitive, generalise_addresses=generalise_addresses
    )


__all__ = ["EXPORTERS", "ExportError", "Exporter", "export_selection"]
