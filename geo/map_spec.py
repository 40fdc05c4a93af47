"""A built map as plain data, for a live map view that redraws its layers in place (pure).

:func:`geo.maps.build_map` returns a folium map, which renders to one page
(the standalone export). A dashboard that keeps one Leaflet map open and
swaps its layers on every filter change needs the same map as data instead:
the view, the basemap, each layer's builder, name, visibility and payload,
the legend and note boxes, and the asset links. :func:`map_spec` reads them
from the map's own elements, so both views draw exactly the same layers.

Payloads stay the escaped JSON text the elements hold
(:func:`geo.escape.json_for_script`); the browser parses them with
``JSON.parse`` and hands them to the same ``brassmap.<builder>`` functions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import folium
from folium.map import FitBounds

from data.errors import BrassmapError
from geo.elements import BUILDERS, DataLayer, MapControl

CONTROL_KINDS: frozenset[str] = frozenset({"legend", "note"})


class MapSpecError(BrassmapError, ValueError):
    """The map holds something a live map view cannot draw."""


def _camel(name: str) -> str:
    """``max_zoom`` -> ``maxZoom`` (Leaflet's option names).

    Examples
    --------
    >>> _camel("padding_top_left")
    'paddingTopLeft'
    """
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _int_option(options: Mapping[str, object], key: str, default: int) -> int:
    """A whole-number Leaflet option (zoom levels) read from a folium element's options.

    Examples
    --------
    >>> _int_option({"zoom": 11.0}, "zoom", 5), _int_option({}, "zoom", 5)
    (11, 5)
    """
    value = options.get(key, default)
    if not isinstance(value, (int, float, str)):
        raise MapSpecError(f"map option {key} is {value!r}; expected a whole number")
    return int(value)


def _tiles(layer: folium.TileLayer) -> dict[str, Any]:
    return {
        "url": str(layer.tiles),
        "name": str(layer.layer_name),
        "attribution": str(layer.options.get("attribution", "")),
        "maxZoom": _int_option(layer.options, "max_zoom", 19),
        "show": bool(layer.show),
    }


def _bounds(element: FitBounds) -> dict[str, Any]:
    options = {_camel(key): value for key, value in element.options.items() if value is not None}
    padding = options.get("padding")
    if isinstance(padding, tuple):
        options["padding"] = list(padding)
    return {"bounds": [[float(v) for v in corner] for corner in element.bounds], "options": options}


def map_spec(folium_map: folium.Map) -> dict[str, Any]:
    """Return what a live map view draws, as JSON-ready data.

    Parameters
    ----------
    folium_map : folium.Map
        A map from :func:`geo.maps.build_map` built with ``asset_mode="static"``
        (plus any ``fit_bounds`` added afterwards; the last one wins, as on the page).

    Returns
    -------
    dict
        ``view`` (centre, zoom, min/max zoom), ``fit`` (bounds and options, or
        ``None``), ``tiles`` (basemap or ``None``), ``layers`` (builder, escaped
        name, show, payload JSON text; drawing order), ``controls`` (kind and
        spec JSON text), ``layerControl`` (whether there is one), ``assets``
        (``js`` and ``css`` URLs) and ``version`` (a digest of all of it: equal
        maps have equal versions).

    Raises
    ------
    MapSpecError
        For an element the view cannot draw (anything but our layers and
        controls, a tile layer, fit-bounds and the layer control).

    Examples
    --------
    >>> from geo.maps import build_map
    >>> import pandas as pd
    >>> incidents = pd.DataFrame({"incident_id": ["a"], "longitude": [-83.0], "latitude": [42.3]})
    >>> links = pd.DataFrame({"incident_a": [], "incident_b": [], "status": []})
    >>> spec = map_spec(build_map(incidents, links, tiles=False))
    >>> [layer["builder"] for layer in spec["layers"]], spec["tiles"], len(spec["version"])
    (['heat', 'hexagons', 'links', 'incidents'], None, 16)
    """
    spec: dict[str, Any] = {
        "view": {
            "center": [float(v) for v in folium_map.location],
            "zoom": _int_option(folium_map.options, "zoom", 5),
            "minZoom": _int_option(folium_map.options, "min_zoom", 3),
            "maxZoom": _int_option(folium_map.options, "max_zoom", 19),
        },
        "fit": None,
        "tiles": None,
        "layers": [],
        "controls": [],
        "layerControl": False,
        "assets": {
            "js": [url for _, url in folium_map.default_js],
            "css": [url for _, url in folium_map.default_css],
        },
    }
    for element in folium_map._children.values():
        if isinstance(element, DataLayer):
            if element.builder not in BUILDERS:
                raise MapSpecError(f"layer builder {element.builder!r} is not one of {sorted(BUILDERS)}")
            spec["layers"].append(
                {
                    "builder": element.builder,
                    "name": element.layer_name,
                    "show": bool(element.show),
                    "payload": element.payload_json,
                }
            )
        elif isinstance(element, MapControl):
            if element.kind not in CONTROL_KINDS:
                raise MapSpecError(f"map control {element.kind!r} is not one of {sorted(CONTROL_KINDS)}")
            spec["controls"].append({"kind": element.kind, "spec": element.spec_json})
        elif isinstance(element, folium.TileLayer):
            spec["tiles"] = _tiles(element)
        elif isinstance(element, FitBounds):
            spec["fit"] = _bounds(element)
        elif isinstance(element, folium.LayerControl):
            spec["layerControl"] = True
        else:
            raise MapSpecError(
                f"the map holds a {type(element).__name__}, which the live map view cannot draw; "
                "build maps with geo.maps.build_map"
            )
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    spec["version"] = digest[:16]
    return spec
