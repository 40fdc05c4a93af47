"""Build the brassmap folium map: offline, injection-safe, small at any scale.

:func:`build_map` returns a :class:`folium.Map` made of a handful of elements,
one per layer (see :mod:`geo.elements`); the data travels as compact escaped
JSON (see :mod:`geo.layers`) and ``geo/web/brassmap.js`` draws it. Up to
``max_points`` incidents are drawn as points; above that, or when the points
would not fit the size budget, incidents are shown as H3 hexagon counts with
a note on the map. The rendered page stays under :data:`MAX_HTML_BYTES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure

from data import schema as S
from data.errors import BrassmapError
from geo import assets
from geo.areas import incident_counts_by_area, repaired_polygons
from geo.cities import DEFAULT_CITY_NAMES, City, city_from_points, known_city
from geo.elements import DataLayer, InlineHead, MapControl
from geo.escape import escape_text
from geo.hexbin import HexBins, hexagon_counts
from geo.layers import (
    finite_points,
    firearm_payload,
    hexagon_payload,
    incident_payload,
    series_path_payload,
    shorten_incident_payload,
)
from geo.legend import legend_sections
from geo.link_lines import LinkLines, link_payload, subset_ends
from geo.palette import BOUNDARY_STYLES

MAX_HTML_BYTES = 2_000_000
# JSON byte budgets per layer. Points 900 K + links 250 K + boundaries 250 K + firearms 100 K
# + heat (<= 1,500 cells, ~165 K) + hexagons (<= 600 cells, ~65 K) + series path (<= 500 stops,
# ~50 K) + Leaflet and brassmap.js inlined (~170 K) + page template (~15 K) ~= 1.97 MB.
POINT_BUDGET = 900_000
PAGE_ALLOWANCE = 200_000  # Leaflet + brassmap.js inlined, page template, legend, notes
HEXAGON_ALLOWANCE = 70_000  # <= 600 hexagon cells, built after the points decide the mode
LINK_BUDGET = 250_000
FIREARM_BUDGET = 100_000
AREA_BUDGET = 250_000
HEXAGON_CELLS = 600
HEAT_CELLS = 1_500
MAX_LINKS = 2_500
MAX_FIREARMS = 1_000
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

AssetMode = Literal["static", "inline"]
BOUNDARY_LAYER_NAMES: dict[str, str] = {
    "city_limits": "City limits",
    "police_districts": "Police districts",
    "neighbourhoods": "Neighbourhoods",
}


class MapInputError(BrassmapError, ValueError):
    """A frame handed to :func:`build_map` lacks what the map needs."""


@dataclass(frozen=True)
class MapSummary:
    """What a built map shows; attached to the map as ``brassmap_summary``.

    Attributes
    ----------
    mode : str
        ``"points"`` or ``"hexagons"``.
    incidents_total, incidents_placed, incidents_drawn : int
        Incidents passed in, with usable coordinates, and drawn as points.
    links_total, links_drawn : int
        Links passed in and drawn as lines.
    layers : tuple of str
        Layer names in the layer control (escaped text).
    notes : tuple of str
        Notes shown on the map (escaped text).
    """

    mode: str
    incidents_total: int
    incidents_placed: int
    incidents_drawn: int
    links_total: int
    links_drawn: int
    layers: tuple[str, ...]
    notes: tuple[str, ...]


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise MapInputError(
            f"{what} frame lacks column(s) {', '.join(missing)}; got {', '.join(map(str, frame.columns))}. "
            f"Pass the {what} of a linking Selection (schema names from data.schema)."
        )


def _map_cities(incidents: pd.DataFrame, cities: Sequence[str] | None) -> list[City]:
    """The cities the map opens on: the filter's, else the data's, else the seven defaults."""
    if cities:
        names = [str(name) for name in cities]
    elif S.CITY in incidents.columns and incidents[S.CITY].notna().any():
        names = [str(name) for name in pd.unique(incidents[S.CITY].dropna().astype(str))]
    else:
        names = list(DEFAULT_CITY_NAMES)
    resolved: list[City] = []
    for name in names:
        registered = known_city(name)
        if registered is not None:
            resolved.append(registered)
            continue
        if S.CITY not in incidents.columns:
            continue
        rows = incidents.loc[incidents[S.CITY].astype("string") == name]
        if len(rows):
            resolved.append(
                city_from_points(
                    name, rows[S.LONGITUDE].astype(float).tolist(), rows[S.LATITUDE].astype(float).tolist()
                )
            )
    return resolved


def _new_map(cities: list[City], *, tiles: bool, asset_mode: AssetMode, static_url: str) -> folium.Map:
    if len(cities) == 1:
        centre, zoom = [cities[0].latitude, cities[0].longitude], cities[0].zoom
    elif cities:
        centre = [
            sum(c.latitude for c in cities) / len(cities),
            sum(c.longitude for c in cities) / len(cities),
        ]
        zoom = 5
    else:
        centre, zoom = [39.5, -90.0], 5
    fmap = folium.Map(location=centre, zoom_start=zoom, tiles=None, control_scale=True, max_zoom=19)
    fmap.options["max_zoom"] = 19
    fmap.options["min_zoom"] = 3
    if asset_mode == "static":
        js, css = assets.static_links(static_url)
        fmap.default_js = js
        fmap.default_css = css
    elif asset_mode == "inline":
        fmap.default_js = []
        fmap.default_css = []
        map_figure(fmap).header.add_child(InlineHead(assets.inline_assets_html()), name="brassmap_assets")
    else:
        raise MapInputError(f"asset_mode must be 'static' or 'inline', got {asset_mode!r}")
    if tiles:
        folium.TileLayer(
            tiles=TILE_URL,
            attr=TILE_ATTRIBUTION,
            name="OpenStreetMap basemap",
            overlay=True,
            control=True,
            show=True,
            max_zoom=19,
        ).add_to(fmap)
    if len(cities) > 1:
        pad = 0.12
        fmap.fit_bounds(
            [
                [min(c.latitude for c in cities) - pad, min(c.longitude for c in cities) - pad],
                [max(c.latitude for c in cities) + pad, max(c.longitude for c in cities) + pad],
            ]
        )
    return fmap


def _boundary_layers(
    boundaries: Any,
    placed: pd.DataFrame,
    legend: list[dict[str, Any]],
    notes: list[str],
    area_counts: pd.Series | None = None,
) -> list[DataLayer]:
    """One outline layer per boundary kind, with incident counts per area.

    ``area_counts`` (by ``boundary_id``) are used when given, else the
    placed incidents are joined to the outlines here.

    Outlines are simplified until the layer fits its share of
    :data:`AREA_BUDGET`; if even the coarsest outlines with short names take
    more than twice that, the layer is left out and a note says so. Legend
    rows and notes are appended to ``legend`` and ``notes``.
    """
    from geo.layers import area_payload

    if boundaries is None or len(boundaries) == 0:
        return []
    _require(boundaries, [S.BOUNDARY_ID, S.GEOMETRY], "boundaries")
    if boundaries.crs is not None and not boundaries.crs.equals(S.STORAGE_CRS):
        boundaries = boundaries.to_crs(S.STORAGE_CRS)
    if area_counts is None and S.IN_FILTER in placed.columns:  # whole series: count the filter's shootings
        placed = placed[placed[S.IN_FILTER].to_numpy(dtype=bool)]
    counts = area_counts if area_counts is not None else incident_counts_by_area(placed, boundaries)
    kinds = (
        boundaries[S.LAYER].astype(str)
        if S.LAYER in boundaries.columns
        else pd.Series("areas", boundaries.index)
    )
    layers: list[DataLayer] = []
    per_layer_budget = AREA_BUDGET // max(1, kinds.nunique())
    for kind in pd.unique(kinds):
        part = boundaries.loc[kinds == kind]
        colour, weight = BOUNDARY_STYLES.get(kind, ("#5d4037", 1.5))
        name = BOUNDARY_LAYER_NAMES.get(kind, f"Boundaries: {kind}")
        tolerance = 0.0002
        outlines = shapely.simplify(
            repaired_polygons(part.geometry.to_numpy()), tolerance, preserve_topology=True
        )
        while True:
            payload = area_payload(part, counts, outlines=outlines, colour=colour, weight=weight)
            layer = DataLayer("areas", payload, name)
            if layer.payload_size <= per_layer_budget or tolerance > 0.05:
                break
            tolerance *= 2.5  # simplify the simplified outlines further: cheap, error stays < 2 × tolerance
            outlines = shapely.simplify(outlines, tolerance, preserve_topology=True)
        if layer.payload_size > per_layer_budget:
            payload = area_payload(
                part, counts, outlines=outlines, colour=colour, weight=weight, name_length=40
            )
            layer = DataLayer("areas", payload, name)
        if layer.payload_size > 2 * per_layer_budget:
            notes.append(
                f"{layer.layer_name}: {len(part):,} areas are too many to draw on one map "
                "and are left out; filter to fewer cities."
            )
            continue
        layers.append(layer)
        legend.append({"kind": "line", "colour": colour, "label": layer.layer_name})
    return layers


def _fit_to_series(fmap: folium.Map, placed: pd.DataFrame, series_id: str) -> None:
    """Open the map on the selected series (instead of its cities) when it has placed incidents."""
    members = placed.loc[placed[S.SERIES_ID].astype("string") == series_id]
    if members.empty:
        return
    lats, lons = members[S.LATITUDE].astype(float), members[S.LONGITUDE].astype(float)
    pad = 0.005
    fmap.fit_bounds(
        [[lats.min() - pad, lons.min() - pad], [lats.max() + pad, lons.max() + pad]],
        max_zoom=15,
    )


def build_map(
    incidents: pd.DataFrame,
    links: pd.DataFrame,
    *,
    series: pd.DataFrame | None = None,
    firearms: pd.DataFrame | None = None,
    boundaries: Any = None,
    cities: Sequence[str] | None = None,
    selected_series_id: str | None = None,
    tiles: bool = True,
    asset_mode: AssetMode = "static",
    max_points: int = 10_000,
    max_links: int = MAX_LINKS,
    include_sensitive: bool = False,
    static_url: str = assets.STATIC_URL_PREFIX,
    area_counts: pd.Series | None = None,
    link_ends: tuple[np.ndarray, np.ndarray] | None = None,
) -> folium.Map:
    """Build the incident map.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Schema incident columns plus ``series_id`` (``<NA>`` when unlinked).
    links : pandas.DataFrame
        ``incident_a``, ``incident_b``, ``status`` (+ provenance, ``firearm_id``).
    series : pandas.DataFrame, optional, keyword-only
        The series table; names the largest series in the legend.
    firearms : pandas.DataFrame, optional, keyword-only
        Recovered firearms; those with a recovery place are drawn.
    boundaries : geopandas.GeoDataFrame, optional, keyword-only
        Boundary polygons (``layer`` column: city_limits, police_districts, ...).
    cities : sequence of str, optional, keyword-only
        Cities in the filter; the map opens on them.
    selected_series_id : str, optional, keyword-only
        Highlight this series with its time-ordered, numbered path.
    tiles : bool, keyword-only
        Add the OpenStreetMap basemap (switchable). With ``False`` the page
        makes no request to any other host.
    asset_mode : {"static", "inline"}, keyword-only
        ``"static"``: Leaflet and brassmap.js load from ``/app/static/vendor/``
        (the dashboard). ``"inline"``: embedded in the page (standalone file).
    max_points : int, keyword-only
        Above this many placed incidents, show hexagon counts instead of points.
    max_links : int, keyword-only
        Draw at most this many link lines (selected series first, then hits).
    include_sensitive : bool, keyword-only
        Show narratives and serial numbers in popups.
    static_url : str, keyword-only
        Where the browser finds ``static/vendor/`` in ``"static"`` mode; change
        it when Streamlit runs under ``server.baseUrlPath`` (e.g.
        ``"/brassmap/app/static/vendor/"``). Must end with ``/``.
    area_counts : pandas.Series, optional, keyword-only
        Incidents per area by ``boundary_id``, when the caller already has
        them (e.g. from :meth:`geo.areas.AreaMembership.counts_for`, which the
        dashboard keeps per dataset); otherwise they are computed from
        ``incidents`` and ``boundaries``.
    link_ends : (ndarray, ndarray), optional, keyword-only
        Rows in ``incidents`` of each link's ends (``Selection.link_ends``), so
        link lines need no id matching; without them ids are matched as text.

    Returns
    -------
    folium.Map
        With a ``brassmap_summary`` attribute (:class:`MapSummary`).
    """
    _require(incidents, [S.INCIDENT_ID, S.LONGITUDE, S.LATITUDE], "incidents")
    _require(links, [S.INCIDENT_A, S.STATUS], "links")
    placed = finite_points(incidents)
    fmap = _new_map(_map_cities(placed, cities), tiles=tiles, asset_mode=asset_mode, static_url=static_url)
    notes: list[str] = []

    area_items: list[dict[str, Any]] = []
    area_layers = _boundary_layers(boundaries, placed, area_items, notes, area_counts)
    lons = placed[S.LONGITUDE].astype(float).to_numpy()
    lats = placed[S.LATITUDE].astype(float).to_numpy()
    hex_bins = hexagon_counts(lons, lats, max_cells=HEXAGON_CELLS)
    heat = DataLayer(
        "heat",
        hexagon_payload(heat_cells(lons, lats, hex_bins.resolution)),
        "Heat map (incident density)",
        show=False,
    )
    placed_ends = subset_ends(incidents, placed, link_ends)
    link_layer, lines = _link_layer(links, placed, firearms, selected_series_id, max_links, placed_ends)
    notes += _link_notes(lines)
    path = None
    if selected_series_id is not None and S.SERIES_ID in placed.columns:
        path_payload = series_path_payload(placed, str(selected_series_id))
        path = DataLayer("seriesPath", path_payload, f"Selected series {selected_series_id}")
    gun_layer, firearm_count = _firearm_layer(firearms, include_sensitive=include_sensitive)

    # the points get what the other layers leave of the page budget (never more than POINT_BUDGET)
    others = [*area_layers, heat, link_layer, path, gun_layer]
    used = sum(layer.payload_size for layer in others if layer is not None) + HEXAGON_ALLOWANCE
    point_budget = min(POINT_BUDGET, MAX_HTML_BYTES - PAGE_ALLOWANCE - used)
    points_layer: DataLayer | None = None
    if 0 < len(placed) <= max_points:
        points = incident_payload(placed, include_sensitive=include_sensitive)
        points_layer = DataLayer("incidents", points, "Incidents")
        if points_layer.payload_size > point_budget:
            points_layer = DataLayer("incidents", shorten_incident_payload(points), "Incidents")
            notes.append(escape_text("Popups shortened to keep the map small; see the table for all fields."))
        if points_layer.payload_size > point_budget:
            points_layer = None
    mode = "points" if points_layer is not None or len(placed) == 0 else "hexagons"
    if mode == "hexagons":
        notes.insert(
            0,
            escape_text(
                f"Showing {len(placed):,} incidents as hexagons; zoom/filter to see points "
                f"(points are drawn up to {max_points:,})."
            ),
        )
    hexagons = DataLayer(
        "hexagons", hexagon_payload(hex_bins), "Hexagon counts (H3)", show=mode == "hexagons"
    )

    # z-order: outlines at the bottom, then density, links, incidents, the selected path, firearms on top
    drawn = [*area_layers, heat, hexagons, link_layer, points_layer, path, gun_layer]
    layer_names: list[str] = []
    for layer in drawn:
        if layer is not None:
            layer.add_to(fmap)
            layer_names.append(layer.layer_name)
    if path is not None:
        _fit_to_series(fmap, placed, str(selected_series_id))

    sections = legend_sections(
        placed,
        series,
        lines.statuses,
        selected_series_id,
        mode,
        firearm_count,
        area_items,
        hex_bins.resolution,
    )
    MapControl("legend", {"title": escape_text("Legend"), "sections": sections}).add_to(fmap)
    if notes:
        MapControl("note", {"lines": notes}).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.brassmap_summary = MapSummary(  # type: ignore[attr-defined]
        mode=mode,
        incidents_total=len(incidents),
        incidents_placed=len(placed),
        incidents_drawn=len(placed) if points_layer is not None else 0,
        links_total=lines.total,
        links_drawn=lines.drawn,
        layers=tuple(layer_names),
        notes=tuple(notes),
    )
    return fmap


def _link_layer(
    links: pd.DataFrame,
    placed: pd.DataFrame,
    firearms: pd.DataFrame | None,
    selected_series_id: str | None,
    max_links: int,
    link_ends: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[DataLayer, LinkLines]:
    """The link lines, capped at ``max_links`` and then at :data:`LINK_BUDGET` bytes."""
    lines = link_payload(
        links, placed, firearms=firearms, selected_series_id=selected_series_id, max_links=max_links,
        link_ends=link_ends,
    )  # fmt: skip
    layer = DataLayer("links", lines.payload, "Links (lead dashed, hit solid)")
    while layer.payload_size > LINK_BUDGET and lines.drawn > 0:
        fewer = int(lines.drawn * LINK_BUDGET / layer.payload_size * 0.95)
        lines = link_payload(
            links, placed, firearms=firearms, selected_series_id=selected_series_id, max_links=fewer,
            link_ends=link_ends,
        )  # fmt: skip
        layer = DataLayer("links", lines.payload, "Links (lead dashed, hit solid)")
    return layer, lines


def _link_notes(lines: LinkLines) -> list[str]:
    notes = []
    if lines.drawn < lines.total - lines.unplaced:
        notes.append(
            escape_text(
                f"Showing {lines.drawn:,} of {lines.total:,} links (hits and the selected "
                "series first); filter to see the rest."
            )
        )
    if lines.unplaced:
        notes.append(
            escape_text(f"{lines.unplaced:,} links have an end outside this view and are not drawn.")
        )
    return notes


def _firearm_layer(firearms: pd.DataFrame | None, *, include_sensitive: bool) -> tuple[DataLayer | None, int]:
    """Recovered firearms with a recovery place, capped at :data:`FIREARM_BUDGET` bytes."""
    if firearms is None or not len(firearms) or not {S.LONGITUDE, S.LATITUDE} <= set(firearms.columns):
        return None, 0
    guns = finite_points(firearms).head(MAX_FIREARMS)
    if not len(guns):
        return None, 0
    layer = DataLayer(
        "firearms", firearm_payload(guns, include_sensitive=include_sensitive), "Recovered firearms"
    )
    if layer.payload_size > FIREARM_BUDGET:
        guns = guns.head(max(1, int(len(guns) * FIREARM_BUDGET / layer.payload_size * 0.9)))
        layer = DataLayer("firearms", firearm_payload(guns), "Recovered firearms")
    return layer, len(guns)


def heat_cells(lons: Any, lats: Any, hexagon_resolution: int) -> HexBins:
    """Bins for the heat layer: one H3 level finer than the hexagons, densest cells only.

    Sparse cells are barely visible in a heat map, so above :data:`HEAT_CELLS`
    only the densest cells are kept; that bounds the layer's size.
    """
    if hexagon_resolution < 0:
        return hexagon_counts(lons, lats)
    bins = hexagon_counts(lons, lats, resolution=min(15, hexagon_resolution + 1), snap=4)
    return HexBins(bins.resolution, bins.cells[:HEAT_CELLS], bins.counts[:HEAT_CELLS])


def map_figure(fmap: folium.Map) -> Figure:
    """Return the branca Figure (the HTML document) holding ``fmap``."""
    figure = fmap.get_root()
    if not isinstance(figure, Figure):
        raise MapInputError(
            f"map {fmap.get_name()} is not inside an HTML figure (its root is {type(figure).__name__}); "
            "build it with geo.maps.build_map"
        )
    return figure


def map_html_size(fmap: folium.Map) -> int:
    """Return the size in bytes of the map rendered as one HTML page."""
    return len(fmap.get_root().render().encode("utf-8"))
