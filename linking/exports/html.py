"""Standalone HTML map: rendered by :mod:`geo.standalone` (imported only when used)."""

from __future__ import annotations

from typing import Any

from linking.exports._common import generalised_selection


def export_html(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Return one self-contained HTML file with the selection on a map.

    Addresses are cut to the block here, before the map sees them.
    """
    from geo.standalone import render_standalone_html

    chosen = generalised_selection(selection, generalise_addresses=generalise_addresses)
    return render_standalone_html(chosen, include_sensitive=include_sensitive)
