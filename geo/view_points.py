"""Level of detail that follows the view: the incidents in view as points once few enough (pure).

A map of more incidents than its point threshold shows hexagon counts. When
the analyst zooms or pans so that the view holds no more than the threshold,
the live map reports its bounds and :func:`with_points_in_view` adds those
incidents as points, with a note saying exactly what is shown.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from data import schema as S
from geo.escape import escape_text
from geo.layers import finite_points, incident_payload, shorten_incident_payload
from geo.map_spec import LayerSpec, MapSpec
from geo.maps import POINT_BUDGET

Bounds = tuple[float, float, float, float]  # south, west, north, east


def in_bounds(incidents: pd.DataFrame, bounds: Bounds) -> pd.DataFrame:
    """The placed incidents inside ``(south, west, north, east)``.

    Examples
    --------
    >>> frame = pd.DataFrame({"incident_id": ["a", "b"], "latitude": [42.3, 41.0],
    ...                       "longitude": [-83.0, -81.7]})
    >>> in_bounds(frame, (42.0, -83.5, 42.5, -82.5))["incident_id"].tolist()
    ['a']
    """
    south, west, north, east = (float(value) for value in bounds)
    placed = finite_points(incidents)
    lats = placed[S.LATITUDE].to_numpy(dtype=float)
    lons = placed[S.LONGITUDE].to_numpy(dtype=float)
    inside = (lats >= south) & (lats <= north) & (lons >= west) & (lons <= east)
    return placed[inside]


def with_points_in_view(
    spec: MapSpec,
    incidents: pd.DataFrame,
    bounds: Bounds | None,
    *,
    include_sensitive: bool = False,
    picked: str | None = None,
) -> MapSpec:
    """``spec`` plus the incidents in ``bounds`` as points, when it shows hexagons and they are few enough.

    Returns ``spec`` unchanged when it already draws points, when no bounds
    are known, or when the view holds none or more than
    ``spec.point_threshold`` incidents. Otherwise the hexagon layer starts
    off, a layer "Incidents in view" (key ``incidents``) is drawn, and the
    first note says how many of how many are shown. With a ``picked`` series
    the other incidents are drawn faded.
    """
    if spec.summary.mode != "hexagons" or bounds is None:
        return spec
    if not all(np.isfinite(float(value)) for value in bounds):
        return spec
    inside = in_bounds(incidents, bounds)
    if not 0 < len(inside) <= spec.point_threshold:
        return spec
    payload = incident_payload(inside, include_sensitive=include_sensitive, picked=picked)
    layer = LayerSpec.of("incidents", payload, "Incidents in view", budget=POINT_BUDGET, key="incidents")
    if layer.size > POINT_BUDGET:
        layer = LayerSpec.of(
            "incidents",
            shorten_incident_payload(payload),
            "Incidents in view",
            budget=POINT_BUDGET,
            key="incidents",
        )
    layers = [replace(item, show=False) if item.builder == "hexagons" else item for item in spec.layers]
    at = next((i for i, item in enumerate(layers) if item.builder in ("heat", "hexagons")), len(layers))
    layers.insert(at, layer)
    note = escape_text(
        f"Showing the {len(inside):,} incidents in this view as points (of {spec.summary.incidents_placed:,} "
        f"in the filter); zoom out beyond {spec.point_threshold:,} in view for hexagon counts."
    )
    notes = (note, *spec.notes[1:])  # the first note was the hexagon note
    summary = replace(
        spec.summary, incidents_drawn=len(inside), notes=notes, layers=tuple(item.name for item in layers)
    )
    return replace(
        spec, layers=tuple(layers), notes=notes, summary=summary, extra={**spec.extra, "inView": True}
    )
