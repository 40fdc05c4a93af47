"""A map as plain data: view, basemap, layers with their payloads, legend and notes (pure).

:func:`geo.maps.build_map_spec` returns a :class:`MapSpec`; nothing in it is
a folium or Leaflet object. Two writers read it:

- :meth:`MapSpec.to_live` gives the JSON the dashboard's live map
  (``ui/map_component/``) draws and redraws in place;
- :func:`geo.page.render_page` writes the standalone HTML page.

Both draw through ``brassmap.drawSpec`` in ``geo/web/brassmap.js``, so the
dashboard and the export show the same layers. The names of the layer
builders are written once, in ``brassmap.js`` (``var BUILDERS = [...]``);
:data:`BUILDERS` reads them from there.

Payloads are escaped JSON text (:func:`geo.escape.json_for_script`); the
browser parses them with ``JSON.parse`` and never evaluates them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from data.errors import BrassmapError
from geo.escape import escape_text, json_for_script

_BRASSMAP_JS = Path(__file__).resolve().parent / "web" / "brassmap.js"
_BUILDERS_LINE = re.compile(r"^\s*var BUILDERS = (\[[^\]]*\]);", re.MULTILINE)
CONTROL_KINDS: frozenset[str] = frozenset({"legend", "note"})
_KEY = re.compile(r"^[A-Za-z0-9_]{1,40}$")


class MapSpecError(BrassmapError, ValueError):
    """A layer or control the map's JavaScript cannot draw."""


@cache
def builder_names() -> tuple[str, ...]:
    """The layer builders ``brassmap.js`` offers, read from its one ``var BUILDERS = [...]`` line.

    Examples
    --------
    >>> "incidents" in builder_names() and "areas" in builder_names()
    True
    """
    found = _BUILDERS_LINE.search(_BRASSMAP_JS.read_text(encoding="utf-8"))
    if found is None:
        raise MapSpecError(f"{_BRASSMAP_JS} has no 'var BUILDERS = [...];' line; restore it")
    return tuple(json.loads(found.group(1)))


BUILDERS: frozenset[str] = frozenset(builder_names())


def layer_key(text: str) -> str:
    """``text`` when it is a short plain name (letters, digits, ``_``), else a digest of it.

    Keys reach the page and the URL unescaped, so nothing else may pass.

    Examples
    --------
    >>> layer_key("police_districts"), layer_key("<b>")
    ('police_districts', 'k507ca5a274')
    """
    if _KEY.match(text):
        return text
    return "k" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class LayerSpec:
    """One switchable overlay drawn by ``brassmap.builders[builder](payload)``.

    Attributes
    ----------
    builder : str
        One of :data:`BUILDERS`.
    name : str
        Name in the layer control (escaped here: Leaflet shows it as HTML).
    payload : str
        Escaped JSON text for the builder.
    show : bool
        On when the map opens.
    budget : int or None
        The byte budget this layer was built to (``None``: bounded by a cell/row cap).
    key : str
        Short stable name (the builder, or the boundary kind): the browser keeps
        the analyst's on/off choice per key, and the URL names layers by it.
    """

    builder: str
    name: str
    payload: str
    show: bool = True
    budget: int | None = None
    key: str = ""

    @classmethod
    def of(
        cls,
        builder: str,
        data: dict[str, Any],
        name: str,
        *,
        show: bool = True,
        budget: int | None = None,
        key: str | None = None,
    ) -> LayerSpec:
        """Build a layer from a payload dict (serialised and escaped here)."""
        if builder not in BUILDERS:
            raise MapSpecError(f"unknown map layer builder {builder!r}; expected one of {sorted(BUILDERS)}")
        return cls(builder, escape_text(name), json_for_script(data), show, budget, layer_key(key or builder))

    @property
    def size(self) -> int:
        """Bytes of the payload as written to the page."""
        return len(self.payload.encode("utf-8"))

    @property
    def layer_name(self) -> str:
        """Alias of :attr:`name` (the layer control's label)."""
        return self.name


@dataclass(frozen=True)
class TileSource:
    """A basemap: a tile URL template with ``{z}/{x}/{y}``.

    Attributes
    ----------
    url : str
        Template the browser fills in (an agency tile server, tiles the app
        serves itself, or OpenStreetMap when opted in).
    attribution : str
        HTML shown in the corner (trusted: set by the operator, not by data).
    name : str
        Name in the layer control.
    max_zoom : int
        Deepest zoom level the source has.
    """

    url: str
    attribution: str = ""
    name: str = "Basemap tiles"
    max_zoom: int = 19

    @property
    def origin(self) -> str | None:
        """``scheme://host[:port]`` of an absolute URL, else ``None`` (same origin as the page)."""
        found = re.match(r"^(https?://[^/]+)", self.url)
        return found.group(1) if found else None


@dataclass(frozen=True)
class MapView:
    """Where the map opens: centre (lat, lon) and zoom, with the zoom range."""

    center: tuple[float, float]
    zoom: int
    min_zoom: int = 3
    max_zoom: int = 19


@dataclass(frozen=True)
class Fit:
    """Bounds the map fits on opening: ``((south, west), (north, east))``."""

    bounds: tuple[tuple[float, float], tuple[float, float]]
    padding: tuple[int, int] | None = None
    max_zoom: int | None = None

    def to_json(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.padding is not None:
            options["padding"] = list(self.padding)
        if self.max_zoom is not None:
            options["maxZoom"] = self.max_zoom
        return {"bounds": [list(corner) for corner in self.bounds], "options": options}


@dataclass(frozen=True)
class MapSummary:
    """What a built map shows.

    Attributes
    ----------
    mode : str
        ``"points"`` or ``"hexagons"``.
    incidents_total, incidents_placed, incidents_drawn : int
        Incidents passed in, with usable coordinates, and drawn as points.
    links_total, links_drawn : int
        Links passed in and drawn as lines.
    firearms_total, firearms_drawn : int
        Recovered firearms with a recovery place, and drawn.
    layers : tuple of str
        Layer names in the layer control (escaped text).
    notes : tuple of str
        Notes shown with the map (escaped text).
    """

    mode: str
    incidents_total: int
    incidents_placed: int
    incidents_drawn: int
    links_total: int
    links_drawn: int
    layers: tuple[str, ...]
    notes: tuple[str, ...]
    firearms_total: int = 0
    firearms_drawn: int = 0


@dataclass(frozen=True)
class MapSpec:
    """A whole map as data (see the module docstring).

    Attributes
    ----------
    view : MapView
    fit : Fit or None
        Bounds fitted on opening (wins over ``view``).
    tiles : TileSource or None
        Basemap; ``None`` draws the local geography only.
    layers : tuple of LayerSpec
        In drawing order (first at the bottom).
    legend : dict
        ``{"title", "sections"}`` for ``brassmap.legend`` (escaped strings).
    notes : tuple of str
        Escaped note lines, shown beside the map (never over it).
    point_threshold : int
        Incidents in view at or under which the live map asks for points.
    summary : MapSummary
    """

    view: MapView
    fit: Fit | None
    tiles: TileSource | None
    layers: tuple[LayerSpec, ...]
    legend: dict[str, Any]
    notes: tuple[str, ...]
    point_threshold: int
    summary: MapSummary
    extra: dict[str, Any] = field(default_factory=dict)

    def layer(self, name: str) -> LayerSpec | None:
        """The layer called ``name`` (escaped form), if any."""
        return next((layer for layer in self.layers if layer.name == escape_text(name)), None)

    def with_fit(self, fit: Fit | None) -> MapSpec:
        """The same map opening on ``fit``."""
        return replace(self, fit=fit)

    def skeleton(self) -> dict[str, Any]:
        """Everything but the layer payloads, JSON-ready (the standalone page's spec block)."""
        view = self.view
        return {
            "view": {
                "center": list(view.center),
                "zoom": view.zoom,
                "minZoom": view.min_zoom,
                "maxZoom": view.max_zoom,
            },
            "fit": self.fit.to_json() if self.fit else None,
            "tiles": None
            if self.tiles is None
            else {
                "url": self.tiles.url,
                "name": escape_text(self.tiles.name),
                "attribution": self.tiles.attribution,
                "maxZoom": self.tiles.max_zoom,
                "show": True,
            },
            "layers": [
                {
                    "builder": layer.builder,
                    "name": layer.name,
                    "show": layer.show,
                    "key": layer.key or layer.builder,
                }
                for layer in self.layers
            ],
            "controls": [{"kind": "legend", "spec": json_for_script(self.legend)}]
            + (
                [{"kind": "note", "spec": json_for_script({"lines": list(self.notes)})}] if self.notes else []
            ),
            "layerControl": True,
            "pointThreshold": self.point_threshold,
            "mode": self.summary.mode,
            **self.extra,
        }

    def to_live(
        self, *, assets: dict[str, list[str]], map_state: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The live map's spec: :meth:`skeleton` with payloads, asset URLs and a ``version``.

        ``map_state`` (layers on/off by key, view ``[lat, lon, zoom]``) is applied
        when the browser first draws the map (a shared URL). Equal maps have
        equal versions; any change gives a new one (the live map redraws only then).
        """
        spec = self.skeleton()
        if map_state:
            spec["mapState"] = map_state
        for item, layer in zip(spec["layers"], self.layers, strict=True):
            item["payload"] = layer.payload
        spec["assets"] = {"js": list(assets.get("js", [])), "css": list(assets.get("css", []))}
        digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
        spec["version"] = digest[:16]
        return spec
