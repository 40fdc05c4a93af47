"""Download buttons for every export format, for the current filter or the picked series.

The buttons live in a fragment and hand Streamlit a callable, so the bytes
are made only when the user clicks, and a click does not redraw the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from linking.audit_details import export_details
from linking.counting import count_links
from linking.exports import EXPORTERS
from linking.selection import Selection
from ui import audit_log
from ui.errors import guarded_fragment
from ui.text import md

LOG = logging.getLogger("brassmap.ui")
SCOPE_FILTER = "Current filter"
SCOPE_SERIES = "Picked series"
K_SCOPE = "export_scope"
K_SENSITIVE = "export_sensitive"
BUTTON_COLUMNS = 2  # a label and its file type ("GraphML (Gephi, Cytoscape, yEd) (.graphml)") fit at 1366 px


def _lazy_bytes(exporter_name: str, selection: Selection, *, include_sensitive: bool,
                file_name: str) -> Callable[[], bytes]:  # fmt: skip
    """Return a no-argument callable that renders one export (run on click, in a worker thread).

    The export is recorded in the audit trail with its format, filter, row counts and the SHA-256 of
    the bytes handed to the browser, as the user who drew the button.
    """
    note = audit_log.deferred("export")

    def render() -> bytes:
        exporter = EXPORTERS[exporter_name]
        LOG.info(
            "export %s of %d incidents (%s)",
            exporter_name,
            len(selection.incidents),
            selection.filters.describe(),
        )
        data = exporter.export(selection, include_sensitive=include_sensitive)
        note(export_details(selection, data, export_format=exporter_name, file_name=file_name,
                            include_sensitive=include_sensitive))  # fmt: skip
        return data

    return render


def file_stem(selection: Selection) -> str:
    """Return a safe file-name stem naming the scope of an export.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from linking.filters import Filters
    >>> file_stem(SimpleNamespace(filters=Filters(series_id="S-DET-19/0001")))
    'brassmap-series-S-DET-19-0001'
    >>> file_stem(SimpleNamespace(filters=Filters()))
    'brassmap-filter'
    """
    series_id = selection.filters.series_id
    if not series_id:
        return "brassmap-filter"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in series_id)
    return f"brassmap-series-{safe}"


@guarded_fragment("exports")
def export_panel(filter_selection: Selection, series_selection: Selection | None) -> None:
    """Draw one download button per format in ``EXPORTERS`` (the standalone HTML map included)."""
    scopes = [SCOPE_FILTER] + ([SCOPE_SERIES] if series_selection is not None else [])
    scope = st.radio("Export what", scopes, key=K_SCOPE, horizontal=True)
    selection = (
        series_selection if scope == SCOPE_SERIES and series_selection is not None else filter_selection
    )
    include_sensitive = st.checkbox(
        "Include sensitive fields (narratives, serial numbers)",
        key=K_SENSITIVE,
        help="Left out by default. Exports are criminal-justice information: share them accordingly.",
    )
    counted = count_links(selection.links)
    st.caption(
        f"{len(selection.incidents):,} incidents, {counted.total:,} links ({counted.leads:,} leads, "
        f"{counted.hits:,} hits; a lead later confirmed counts once, as a hit) — "
        f"{md(selection.filters.describe())}. Every file marks which links are leads and which are hits."
    )
    stem = file_stem(selection)
    columns = st.columns(BUTTON_COLUMNS)
    for index, (name, exporter) in enumerate(EXPORTERS.items()):
        extension = str(exporter.extension).lstrip(".")
        columns[index % BUTTON_COLUMNS].download_button(
            f"{exporter.label} (.{extension})",
            data=_lazy_bytes(name, selection, include_sensitive=include_sensitive,
                             file_name=f"{stem}.{extension}"),
            file_name=f"{stem}.{extension}",
            mime=exporter.mime_type,
            key=f"download_{name}",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
