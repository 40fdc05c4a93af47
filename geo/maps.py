"""Build the brassmap map as plain data: offline, injection-safe, small at any scale.

:func:`build_map_spec` returns a :class:`geo.map_spec.MapSpec`: the view,
the basemap (if any), one :class:`~geo.map_spec.LayerSpec` per layer with
its compact escaped JSON payload (see :mod:`geo.layers`), the legend and
the notes. Each layer is built to its own byte budget. Up to ``max_points``
incidents are drawn as points; above that, or when the points would not fit
their budget, incidents are shown as H3 hexagon counts and a note says so.
The page written from a spec stays under :data:`MAX_HTML_BYTES`
(:func:`geo.page.render_page`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from data import schema as S
from data.errors import BrassmapError
from geo.areas import incident_counts_by_area, repaired_polygons
from geo.cities import DEFAULT_CITY_NAMES, City, city_from_points, known_city
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
from geo.map_spec import Fit, LayerSpec, MapSpec, MapSummary, MapView, TileSource
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
MAX_POINTS = 10_000
OSM_TILES = TileSource(
    url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    name="OpenStreetMap basemap",
)
TILE_URL = OSM_TILES.url
BOUNDARY_LAYER_NAMES: dict[str, str] = {
    "city_limits": "City limits",
    "police_districts": "Police districts",
    "neighbourhoods": "Neighbourhoods",
}


_VERTEX_BYTES = {5: 20, 4: 18}  # about "[-83.12345,42.12345]," in an area payload, by decimals
_AREA_STYLE = ("#5d4037", 1.5)  # outline colour and weight of a boundary kind without its own style


class MapInputError(BrassmapError, ValueError):
    """A frame handed to :func:`build_map_spec` lacks what the map needs."""


@dataclass(frozen=True)
class MapData:
    """What the map draws (frames of a linking Selection).

    Attributes
    ----------
    incidents : pandas.DataFrame
        Schema incident columns plus ``series_id`` (``<NA>`` when unlinked).
    links : pandas.DataFrame
        ``incident_a``, ``incident_b``, ``status`` (+ provenance, ``firearm_id``).
    series : pandas.DataFrame, optional
        The series table; names the largest series in the legend.
    firearms : pandas.DataFrame, optional
        Recovered firearms; those with a recovery place are drawn.
    boundaries : geopandas.GeoDataFrame, optional
        Boundary polygons (``layer`` column: city_limits, police_districts, ...).
    area_counts : pandas.Series, optional
        Incidents per area by ``boundary_id`` when the caller has them
        (:meth:`geo.areas.AreaMembership.counts_for`); else joined here.
    link_ends : (ndarray, ndarray), optional
        Rows in ``incidents`` of each link's ends (``Selection.link_ends``), so
        link lines need no id matching; without them ids are matched as text.
    """

    incidents: pd.DataFrame
    links: pd.DataFrame
    series: pd.DataFrame | None = None
    firearms: pd.DataFrame | None = None
    boundaries: Any = None
    area_counts: pd.Series | None = None
    link_ends: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True)
class MapOptions:
    """How the map is drawn.

    Attributes
    ----------
    cities : sequence of str, optional
        Cities in the filter; the map opens on them.
    selected_series_id : str, optional
        Highlight this series with its time-ordered, numbered path.
    tiles : TileSource, optional
        Basemap; ``None`` (the default) makes no request to any other host.
    max_points : int
        Above this many placed incidents, show hexagon counts instead of points
        (the live map then asks for points once a view holds no more than this).
    max_links : int
        Draw at most this many link lines (selected series first, then hits).
    include_sensitive : bool
        Show narratives and serial numbers in popups.
    points_on_zoom : bool
        The map is live and asks for the points of a view once it holds at
        most ``max_points`` (:mod:`geo.view_points`); the note says so. A
        standalone page cannot, and its note says to filter instead.
    """

    cities: Sequence[str] | None = None
    selected_series_id: str | None = None
    tiles: TileSource | None = None
    max_points: int = MAX_POINTS
    max_links: int = MAX_LINKS
    include_sensitive: bool = False
    points_on_zoom: bool = False


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


def _view(cities: list[City]) -> tuple[MapView, Fit | None]:
    """Open on one city at its zoom, or fit several cities in view."""
    if len(cities) == 1:
        return MapView((cities[0].latitude, cities[0].longitude), cities[0].zoom), None
    if not cities:
        return MapView((39.5, -90.0), 5), None
    centre = (sum(c.latitude for c in cities) / len(cities), sum(c.longitude for c in cities) / len(cities))
    pad = 0.12
    fit = Fit(
        (
            (min(c.latitude for c in cities) - pad, min(c.longitude for c in cities) - pad),
            (max(c.latitude for c in cities) + pad, max(c.longitude for c in cities) + pad),
        )
    )
    return MapView(centre, 5), fit


def _boundary_layers(
    boundaries: Any,
    placed: pd.DataFrame,
    legend: list[dict[str, Any]],
    notes: list[str],
    area_counts: pd.Series | None = None,
) -> list[LayerSpec]:
    """One outline layer per boundary kind, with incident counts per area.

    Outlines are simplified until the layer fits its share of
    :data:`AREA_BUDGET`: the kinds with fewest areas are built first, each
    taking an even share of what the ones before left, so the 972
    neighbourhoods of seven cities get what city limits did not need. If even
    the coarsest outlines with short names take more than twice the share,
    the layer is left out and a note on the map says so. Legend rows and
    notes are appended to ``legend`` and ``notes``.
    """
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
    built: dict[str, LayerSpec] = {}
    left_out: list[str] = []
    order = list(pd.unique(kinds))
    remaining = AREA_BUDGET
    # the kinds with fewest areas first: what city limits leave of their share goes to the neighbourhoods
    by_size = sorted(order, key=lambda kind: int((kinds == kind).sum()))
    for index, kind in enumerate(by_size):
        budget = max(remaining, 0) // (len(by_size) - index)
        layer = _area_layer(boundaries.loc[kinds == kind], str(kind), counts, budget)
        if layer is None:
            left_out.append(str(kind))
            continue
        built[str(kind)] = layer
        remaining -= layer.size
    layers: list[LayerSpec] = []
    for kind in map(str, order):
        if kind in left_out:
            name = BOUNDARY_LAYER_NAMES.get(kind, f"Boundaries: {kind}")
            notes.append(
                escape_text(
                    f"{name}: {int((kinds == kind).sum()):,} areas are too many to draw on one map "
                    "and are left out; filter to fewer cities."
                )
            )
            continue
        layer = built[kind]
        layers.append(layer)
        colour = BOUNDARY_STYLES.get(kind, _AREA_STYLE)[0]
        legend.append({"kind": "line", "colour": colour, "label": layer.name})
    return layers


def _area_layer(part: Any, kind: str, counts: pd.Series, budget: int) -> LayerSpec | None:
    """One boundary kind's outlines, simplified until they fit ``budget`` bytes (``None``: not in twice that).

    Outlines are simplified with a growing tolerance (cheap: the simplified
    outlines are simplified again, error < 2 × tolerance); once the tolerance
    passes about 50 m, vertices are rounded to 4 decimals (11 m) instead of 5.
    When no tolerance brings the layer within ``budget``, the finest outlines
    within twice the budget are kept (names cut to 40 characters).
    """
    from geo.layers import area_payload

    colour, weight = BOUNDARY_STYLES.get(kind, _AREA_STYLE)
    name = BOUNDARY_LAYER_NAMES.get(kind, f"Boundaries: {kind}")
    tolerance = 0.0002
    outlines = repaired_polygons(part.geometry.to_numpy())
    fallback: LayerSpec | None = None
    overhead: float | None = None  # bytes besides the vertices, learnt from the first payload built
    previous = None
    while tolerance <= 0.05:
        outlines = shapely.simplify(outlines, tolerance, preserve_topology=True)
        decimals = 5 if tolerance < 0.0005 else 4
        vertices = int(shapely.get_num_coordinates(outlines).sum())
        wanted = budget if fallback is not None else 2 * budget
        size = None if overhead is None else overhead + vertices * _VERTEX_BYTES[decimals]
        if size is None or size <= 1.1 * wanted:  # building a payload is the slow part: only when it may fit
            style: dict[str, Any] = {"colour": colour, "weight": weight, "decimals": decimals}
            layer = LayerSpec.of("areas", area_payload(part, counts, outlines=outlines, **style), name,
                                 budget=budget, key=kind)  # fmt: skip
            size = layer.size
            overhead = size - vertices * _VERTEX_BYTES[decimals]
            if size <= budget:
                return layer
            if fallback is None and size <= 2.2 * budget:
                short = area_payload(part, counts, outlines=outlines, name_length=40, **style)
                candidate = LayerSpec.of("areas", short, name, budget=2 * budget, key=kind)
                fallback = candidate if candidate.size <= 2 * budget else None
        if previous is not None and size > 0.97 * previous:
            break  # simplifying further no longer shrinks it (each area keeps a few vertices)
        previous = size
        tolerance *= 2.5
    return fallback


def _series_fit(placed: pd.DataFrame, series_id: str) -> Fit | None:
    """Open the map on the selected series (instead of its cities) when it has placed incidents."""
    members = placed.loc[placed[S.SERIES_ID].astype("string") == series_id]
    if members.empty:
        return None
    lats, lons = members[S.LATITUDE].astype(float), members[S.LONGITUDE].astype(float)
    pad = 0.005
    return Fit(
        (
            (float(lats.min()) - pad, float(lons.min()) - pad),
            (float(lats.max()) + pad, float(lons.max()) + pad),
        ),
        max_zoom=15,
    )


def build_map_spec(data: MapData, options: MapOptions | None = None) -> MapSpec:
    """Build the incident map as data.

    Parameters
    ----------
    data : MapData
        The frames to draw.
    options : MapOptions, optional
        Cities, selected series, basemap, caps, sensitive fields.

    Returns
    -------
    MapSpec
        Layers in drawing order: boundary outlines at the bottom, links (under
        the incidents, so a line never takes an incident's click), incidents,
        then the density layers (heat, hexagons) over them but translucent
        and click-through, the selected series' path and firearms on top.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["a"], "longitude": [-83.0], "latitude": [42.3]})
    >>> links = pd.DataFrame({"incident_a": [], "incident_b": [], "status": []})
    >>> spec = build_map_spec(MapData(incidents, links))
    >>> [layer.builder for layer in spec.layers], spec.tiles
    (['links', 'incidents', 'heat', 'hexagons'], None)
    """
    options = options or MapOptions()
    incidents, links = data.incidents, data.links
    _require(incidents, [S.INCIDENT_ID, S.LONGITUDE, S.LATITUDE], "incidents")
    _require(links, [S.INCIDENT_A, S.STATUS], "links")
    placed = finite_points(incidents)
    view, fit = _view(_map_cities(placed, options.cities))
    notes: list[str] = []
    selected = options.selected_series_id

    area_items: list[dict[str, Any]] = []
    area_layers = _boundary_layers(data.boundaries, placed, area_items, notes, data.area_counts)
    lons = placed[S.LONGITUDE].astype(float).to_numpy()
    lats = placed[S.LATITUDE].astype(float).to_numpy()
    hex_bins = hexagon_counts(lons, lats, max_cells=HEXAGON_CELLS)
    heat = LayerSpec.of(
        "heat",
        hexagon_payload(heat_cells(lons, lats, hex_bins.resolution)),
        "Heat map (incident density)",
        show=False,
    )
    placed_ends = subset_ends(incidents, placed, data.link_ends)
    link_layer, lines = _link_layer(links, placed, data.firearms, selected, options.max_links, placed_ends)
    notes += _link_notes(lines)
    path = None
    if selected is not None and S.SERIES_ID in placed.columns:
        path = LayerSpec.of(
            "seriesPath",
            series_path_payload(placed, str(selected)),
            f"Selected series {selected}",
            key="path",
        )
        fit = _series_fit(placed, str(selected)) or fit
    gun_layer, guns_drawn, guns_total = _firearm_layer(
        data.firearms, include_sensitive=options.include_sensitive
    )
    if guns_drawn < guns_total:
        notes.append(
            escape_text(
                f"Showing {guns_drawn:,} of {guns_total:,} recovered firearms (the map draws at most "
                f"{MAX_FIREARMS:,}); filter to see the rest."
            )
        )

    # the points get what the other layers leave of the page budget (never more than POINT_BUDGET)
    others = [*area_layers, heat, link_layer, path, gun_layer]
    used = sum(layer.size for layer in others if layer is not None) + HEXAGON_ALLOWANCE
    point_budget = min(POINT_BUDGET, MAX_HTML_BYTES - PAGE_ALLOWANCE - used)
    points_layer = _points_layer(placed, options, point_budget, notes)
    mode = "points" if points_layer is not None or len(placed) == 0 else "hexagons"
    if mode == "hexagons":
        if options.points_on_zoom:
            how = f"zoom in to a view holding at most {options.max_points:,} incidents to see them as points."
        else:
            how = f"points are drawn up to {options.max_points:,}; filter to fewer to see them."
        notes.insert(0, escape_text(f"Showing {len(placed):,} incidents as hexagon counts; {how}"))
    hex_payload = hexagon_payload(hex_bins) | {"interactive": mode == "hexagons"}
    hexagons = LayerSpec.of("hexagons", hex_payload, "Hexagon counts (H3)", show=mode == "hexagons")

    drawn = [*area_layers, link_layer, points_layer, heat, hexagons, path, gun_layer]
    layers = tuple(layer for layer in drawn if layer is not None)
    sections = legend_sections(
        placed,
        data.series,
        lines.statuses,
        selected,
        mode,
        guns_drawn,
        area_items,
        hex_bins.resolution,
        firearms_total=guns_total,
    )
    summary = MapSummary(
        mode=mode,
        incidents_total=len(incidents),
        incidents_placed=len(placed),
        incidents_drawn=len(placed) if points_layer is not None else 0,
        links_total=lines.total,
        links_drawn=lines.drawn,
        layers=tuple(layer.name for layer in layers),
        notes=tuple(notes),
        firearms_total=guns_total,
        firearms_drawn=guns_drawn,
    )
    return MapSpec(
        view=view,
        fit=fit,
        tiles=options.tiles,
        layers=layers,
        legend={"title": escape_text("Legend"), "sections": sections},
        notes=tuple(notes),
        point_threshold=options.max_points,
        summary=summary,
        # the view is kept across redraws while this stays the same (same cities, same pick)
        extra={"area": _area_key(options.cities, selected)},
    )


def _area_key(cities: Sequence[str] | None, selected: str | None) -> str:
    """A digest of what the map opens on (cities, picked series): the browser keeps its view while it holds.

    A digest, not the names: nothing from data reaches the page unescaped.
    """
    text = json.dumps([sorted(map(str, cities or ())), selected])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _points_layer(
    placed: pd.DataFrame, options: MapOptions, budget: int, notes: list[str]
) -> LayerSpec | None:
    """Incidents as points when there are at most ``max_points`` and they fit ``budget`` bytes."""
    if not 0 < len(placed) <= options.max_points:
        return None
    points = incident_payload(
        placed, include_sensitive=options.include_sensitive, picked=options.selected_series_id
    )
    layer = LayerSpec.of("incidents", points, "Incidents", budget=budget)
    if layer.size > budget:
        layer = LayerSpec.of("incidents", shorten_incident_payload(points), "Incidents", budget=budget)
        notes.append(escape_text("Popups shortened to keep the map small; see the table for all fields."))
    return layer if layer.size <= budget else None


def _link_layer(
    links: pd.DataFrame,
    placed: pd.DataFrame,
    firearms: pd.DataFrame | None,
    selected_series_id: str | None,
    max_links: int,
    link_ends: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[LayerSpec, LinkLines]:
    """The link lines, capped at ``max_links`` and then at :data:`LINK_BUDGET` bytes."""
    name = "Links (lead dashed, hit solid)"
    lines = link_payload(
        links, placed, firearms=firearms, selected_series_id=selected_series_id, max_links=max_links,
        link_ends=link_ends,
    )  # fmt: skip
    layer = LayerSpec.of("links", lines.payload, name, budget=LINK_BUDGET)
    while layer.size > LINK_BUDGET and lines.drawn > 0:
        fewer = int(lines.drawn * LINK_BUDGET / layer.size * 0.95)
        lines = link_payload(
            links, placed, firearms=firearms, selected_series_id=selected_series_id, max_links=fewer,
            link_ends=link_ends,
        )  # fmt: skip
        layer = LayerSpec.of("links", lines.payload, name, budget=LINK_BUDGET)
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


def _firearm_layer(
    firearms: pd.DataFrame | None, *, include_sensitive: bool
) -> tuple[LayerSpec | None, int, int]:
    """Recovered firearms with a recovery place: at most :data:`MAX_FIREARMS`, :data:`FIREARM_BUDGET` bytes.

    Returns the layer, how many firearms it draws and how many have a recovery place.
    """
    if firearms is None or not len(firearms) or not {S.LONGITUDE, S.LATITUDE} <= set(firearms.columns):
        return None, 0, 0
    placed = finite_points(firearms)
    guns = placed.head(MAX_FIREARMS)
    if not len(guns):
        return None, 0, 0
    name = "Recovered firearms"
    layer = LayerSpec.of(
        "firearms", firearm_payload(guns, include_sensitive=include_sensitive), name, budget=FIREARM_BUDGET
    )
    if layer.size > FIREARM_BUDGET:
        guns = guns.head(max(1, int(len(guns) * FIREARM_BUDGET / layer.size * 0.9)))
        payload = firearm_payload(guns, include_sensitive=include_sensitive)
        layer = LayerSpec.of("firearms", payload, name, budget=FIREARM_BUDGET)
    return layer, len(guns), len(placed)


def heat_cells(lons: Any, lats: Any, hexagon_resolution: int) -> HexBins:
    """Bins for the heat layer: one H3 level finer than the hexagons, densest cells only.

    Sparse cells are barely visible in a heat map, so above :data:`HEAT_CELLS`
    only the densest cells are kept; that bounds the layer's size.
    """
    if hexagon_resolution < 0:
        return hexagon_counts(lons, lats)
    bins = hexagon_counts(lons, lats, resolution=min(15, hexagon_resolution + 1), snap=4)
    return HexBins(bins.resolution, bins.cells[:HEAT_CELLS], bins.counts[:HEAT_CELLS])
