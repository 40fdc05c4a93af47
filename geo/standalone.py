"""One self-contained HTML map file: the ``html`` export format.

The file holds Leaflet, the map helpers and the data inline, so it opens from
a USB stick on a machine with no network. A header banner says what filter
produced it, which dataset version, that a lead is not an identification and,
when so, that the data is synthetic. Its Content-Security-Policy
(:func:`geo.page.content_security_policy`) allows only the page's own
scripts, by hash, and forbids every network request except (when asked for)
the basemap's tiles: even a value that somehow escaped escaping could
neither run nor send data anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from data import schema as S
from data.errors import BrassmapError
from geo.escape import escape_text
from geo.map_spec import TileSource
from geo.maps import OSM_TILES, MapData, MapOptions, build_map_spec
from geo.page import render_page

TILE_HOST = "https://tile.openstreetmap.org"


class StandaloneError(BrassmapError, ValueError):
    """The object handed to :func:`render_standalone_html` is not a selection."""


def _is_synthetic(selection: Any) -> bool:
    if bool(getattr(selection, "is_synthetic", False)):
        return True
    incidents = selection.incidents
    if S.IS_SYNTHETIC not in incidents.columns:
        return False
    return bool(incidents[S.IS_SYNTHETIC].eq(True).any())


def _filter_text(filters: Any) -> str:
    if filters is None:
        return "all incidents"
    describe = getattr(filters, "describe", None)
    return str(describe()) if callable(describe) else str(filters)


def banner_html(selection: Any, *, generated_at: datetime | None = None) -> str:
    """Return the escaped banner shown above the standalone map.

    Parameters
    ----------
    selection : linking.selection.Selection
        Anything with ``filters``, ``dataset_version``, ``incidents``, ``links``.
    generated_at : datetime, optional, keyword-only
        Timestamp printed in the banner (default: now, UTC).
    """
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<strong>brassmap</strong> standalone map",
        f"Filter: {escape_text(_filter_text(getattr(selection, 'filters', None)), max_length=400)}",
        f"Dataset version: {escape_text(getattr(selection, 'dataset_version', 'unknown'), max_length=80)}",
        f"{len(selection.incidents):,} incidents, {len(selection.links):,} links",
        f"Generated {escape_text(when)}",
    ]
    html = " &middot; ".join(parts)
    html += f"<br><strong>Caution:</strong> {escape_text(S.LEAD_DISCLAIMER)}"
    if _is_synthetic(selection):
        html += f' <span class="brassmap-synthetic">{escape_text(S.SYNTHETIC_LABEL)}</span>'
    return f'<div class="brassmap-banner" role="banner">{html}</div>'


def render_standalone_html(
    selection: Any, *, tiles: bool | TileSource = False, include_sensitive: bool = False
) -> bytes:
    """Render a selection as one self-contained, offline HTML map.

    Parameters
    ----------
    selection : linking.selection.Selection
        Filtered incidents (with ``series_id``), links, series, firearms,
        boundaries, filters and dataset version (duck-typed).
    tiles : bool or TileSource, keyword-only
        ``True``: the OpenStreetMap basemap; a :class:`~geo.map_spec.TileSource`
        with an absolute URL: that tile server (the only host the file may contact).
    include_sensitive : bool, keyword-only
        Show narratives and serial numbers in popups.

    Returns
    -------
    bytes
        UTF-8 HTML, under 2 MB for any selection.
    """
    missing = [name for name in ("incidents", "links") if not hasattr(selection, name)]
    if missing:
        raise StandaloneError(
            f"render_standalone_html needs a linking Selection; the {type(selection).__name__} passed has no "
            f"{', '.join(missing)}. Build one with linking.selection.select(frames, filters)."
        )
    filters = getattr(selection, "filters", None)
    source = OSM_TILES if tiles is True else tiles if isinstance(tiles, TileSource) else None
    data = MapData(
        selection.incidents,
        selection.links,
        series=getattr(selection, "series", None),
        firearms=getattr(selection, "firearms", None),
        boundaries=getattr(selection, "boundaries", None),
    )
    options = MapOptions(
        cities=list(getattr(filters, "cities", ()) or ()) or None,
        selected_series_id=getattr(filters, "series_id", None),
        tiles=source,
        include_sensitive=include_sensitive,
    )
    page = render_page(build_map_spec(data, options), asset_mode="inline", banner_html=banner_html(selection))
    return page.encode("utf-8")
