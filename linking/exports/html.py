"""Standalone HTML map: rendered by :mod:`geo.standalone` (imported only when used)."""

from __future__ import annotations

from typing import Any


def export_html(selection: Any, *, include_sensitive: bool = False, **_ignored: bool) -> bytes:
    """Return one self-contained HTML file with the selection on a map.

    Takes ``generalise_addresses`` like every exporter, and it changes nothing: the map's
    popups show every address cut to the block (:mod:`geo.layers`), as a page is shared
    more widely than a data file.
    """
    from geo.standalone import render_standalone_html

    return render_standalone_html(selection, include_sensitive=include_sensitive)
