"""GeoJSON (RFC 7946): incident points and link lines in one FeatureCollection."""

from __future__ import annotations

import json
from typing import Any

from data import schema as S
from linking.exports._common import prepare

FEATURE_KIND = "feature_kind"  # "incident" or "link" on every feature


def export_geojson(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Return a FeatureCollection: a Point per incident, a LineString per linked pair.

    Coordinates are WGS84 longitude, latitude (RFC 7946; no ``crs`` member).
    Link features carry ``status`` (lead or hit) and their provenance; the
    metadata block is the foreign member ``brassmap``. Incidents without
    coordinates get a null geometry. Every number is finite (``clean_value`` leaves NaN and infinity
    out of the export graph), so the JSON is strict without ``allow_nan=False``.
    """
    graph, block = prepare(
        selection, export_format="geojson",
        include_sensitive=include_sensitive, generalise_addresses=generalise_addresses,
    )
    features: list[dict[str, Any]] = []
    where: dict[str, list[float]] = {}
    for node, data in graph.nodes(data=True):
        lon, lat = data.get(S.LONGITUDE), data.get(S.LATITUDE)
        geometry = None
        if lon is not None and lat is not None:
            where[node] = [round(float(lon), 7), round(float(lat), 7)]
            geometry = {"type": "Point", "coordinates": where[node]}
        features.append(
            {
                "type": "Feature",
                "id": node,
                "geometry": geometry,
                "properties": {FEATURE_KIND: "incident", **data},
            }
        )
    for a, b, data in graph.edges(data=True):
        geometry = None
        if a in where and b in where:
            geometry = {"type": "LineString", "coordinates": [where[a], where[b]]}
        features.append(
            {
                "type": "Feature",
                "id": f"{a}--{b}",
                "geometry": geometry,
                "properties": {FEATURE_KIND: "link", **data},
            }
        )
    document = {"type": "FeatureCollection", "brassmap": block, "features": features}
    return json.dumps(document, ensure_ascii=False).encode()
