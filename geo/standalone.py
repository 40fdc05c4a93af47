"""One self-contained HTML map file: the ``html`` export format.

The file holds Leaflet, the map helpers and the data inline, so it opens from
a USB stick on a machine with no network. A header banner says what filter
produced it, which dataset version, that a lead is not an identification and,
when so, that the data is synthetic. A Content-Security-Policy in the file
forbids every network request except (when asked for) OpenStreetMap tiles:
even a value that somehow escaped escaping could not send data anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from branca.element import Element

from data import schema as S
from data.errors import BrassmapError
from geo.escape import escape_text
from geo.maps import build_map, map_figure

TILE_HOST = "https://tile.openstreetmap.org"
_LAYOUT_CSS = """<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
.brassmap-banner { flex: 0 0 auto; }
body > .folium-map { flex: 1 1 auto; height: auto !important; min-height: 0; }
</style>"""


class StandaloneError(BrassmapError, ValueError):
    """The object handed to :func:`render_standalone_html` is not a selection."""


def _content_security_policy(*, tiles: bool) -> str:
    images = "data:" + (f" {TILE_HOST}" if tiles else "")
    return (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        f"img-src {images}; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )


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


def render_standalone_html(selection: Any, *, tiles: bool = False, include_sensitive: bool = False) -> bytes:
    """Render a selection as one self-contained, offline HTML map.

    Parameters
    ----------
    selection : linking.selection.Selection
        Filtered incidents (with ``series_id``), links, series, firearms,
        boundaries, filters and dataset version (duck-typed).
    tiles : bool, keyword-only
        Include the OpenStreetMap basemap (the only host the file may contact).
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
    cities = list(getattr(filters, "cities", ()) or ()) or None
    selected = getattr(filters, "series_id", None)
    fmap = build_map(
        selection.incidents,
        selection.links,
        series=getattr(selection, "series", None),
        firearms=getattr(selection, "firearms", None),
        boundaries=getattr(selection, "boundaries", None),
        cities=cities,
        selected_series_id=selected,
        tiles=tiles,
        asset_mode="inline",
        include_sensitive=include_sensitive,
    )
    figure = map_figure(fmap)
    figure.title = "brassmap map"
    csp = f'<meta http-equiv="Content-Security-Policy" content="{_content_security_policy(tiles=tiles)}">'
    figure.header.add_child(Element(csp), name="brassmap_csp")
    figure.header._children.move_to_end("brassmap_csp", last=False)
    figure.header.add_child(Element(_LAYOUT_CSS), name="brassmap_layout")
    figure.html.add_child(Element(banner_html(selection)), name="brassmap_banner")
    figure.html._children.move_to_end("brassmap_banner", last=False)
    return figure.render().encode("utf-8")
