"""Which basemap the map uses: a local tile source when one is set up, OpenStreetMap only by choice.

``$BRASSMAP_TILES`` names the local source:

- a URL template with ``{z}``, ``{x}`` and ``{y}`` (the agency's own tile server), or
- a path to an ``.mbtiles`` file: its tiles are written under ``static/tiles/``
  and the app serves them itself (``/app/static/tiles/<name>/{z}/{x}/{y}.png``).

With a local source the basemap toggle starts on; without one it starts off
and switching it on asks OpenStreetMap's public servers (the explicit
opt-in). ``?tiles=on`` / ``?tiles=off`` in the URL set the toggle.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import streamlit as st

from data.tiles import TileFileError, extract_mbtiles
from geo.map_spec import TileSource
from geo.maps import OSM_TILES
from ui.loading import STATIC_DIR

TILES_ENV = "BRASSMAP_TILES"
TILES_URL_PREFIX = "/app/static/tiles/"


@st.cache_resource(show_spinner="Preparing the local basemap tiles...")
def _served_mbtiles(path: str, static_dir: str) -> TileSource:
    """Lay out an MBTiles file under ``static/tiles/<name>/`` once per server."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(path).stem) or "tiles"
    tile_set = extract_mbtiles(path, Path(static_dir) / "tiles" / name)
    return TileSource(
        url=f"{TILES_URL_PREFIX}{name}/{{z}}/{{x}}/{{y}}.{tile_set.extension}",
        attribution=tile_set.attribution,
        name=f"Basemap: {tile_set.name} (local)",
        max_zoom=tile_set.max_zoom,
    )


def local_source(setting: str | None = None) -> TileSource | None:
    """The local tile source ``$BRASSMAP_TILES`` names, or ``None``.

    Raises
    ------
    data.tiles.TileFileError
        The setting names an unusable file, or is neither a URL template nor a file.
    """
    value = (os.environ.get(TILES_ENV, "") if setting is None else setting).strip()
    if not value:
        return None
    if value.lower().endswith(".mbtiles"):
        return _served_mbtiles(str(Path(value).resolve()), str(STATIC_DIR))
    if re.match(r"^https?://", value) or value.startswith("/"):
        if not all(part in value for part in ("{z}", "{x}", "{y}")):
            raise TileFileError(
                f"{TILES_ENV}={value!r}: a tile URL needs {{z}}, {{x}} and {{y}} "
                "(e.g. https://tiles.example.org/{z}/{x}/{y}.png)"
            )
        return TileSource(url=value, name="Basemap: agency tile server")
    raise TileFileError(
        f"{TILES_ENV}={value!r} is neither a tile URL template nor an .mbtiles file; "
        "set it to one of them, or unset it to use no local basemap"
    )


def tile_source(on: bool) -> TileSource | None:
    """The basemap to draw: ``None`` when off, the local source when set up, else OpenStreetMap."""
    if not on:
        return None
    try:
        local = local_source()
    except TileFileError as error:
        st.warning(f"The local basemap cannot be used: {error}", icon=":material/map:")
        return None
    return local or OSM_TILES


def toggle_label() -> str:
    """The sidebar toggle's label: says which server a switched-on basemap asks."""
    try:
        local = local_source()
    except TileFileError:
        local = None
    return "Basemap tiles (local)" if local else "Basemap (OpenStreetMap tiles, needs internet)"


def default_on() -> bool:
    """Tiles start on only when a local source is set up (OpenStreetMap is opt-in)."""
    try:
        return local_source() is not None
    except TileFileError:
        return False
