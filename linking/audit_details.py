"""What the audit trail keeps of a view, an export or a bulletin (the same from the CLI and the dashboard).

Pure functions: a selection (and the bytes made from it) in, a plain dict out, for
:func:`data.audit.append`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from data import schema as S
from data.audit import sha256_bytes
from linking.counting import count_links
from linking.filters import Filters
from linking.selection import Selection


def filter_details(filters: Filters) -> dict[str, Any]:
    """The filter as the trail records it: its one-line description and its non-default values.

    >>> filter_details(Filters(cities=("Memphis",)))["filter_values"]
    {'cities': 'Memphis'}
    """
    return {"filter": filters.describe(), "filter_values": filters.to_dict()}


def selection_counts(selection: Selection) -> dict[str, int]:
    """Row counts of a selection: incidents (and those matching the filter), series, links, leads, hits."""
    incidents = selection.incidents
    matching = int(incidents[S.IN_FILTER].sum()) if S.IN_FILTER in incidents.columns else len(incidents)
    counted = count_links(selection.links)
    return {"incidents": len(incidents), "incidents_in_filter": matching, "series": len(selection.series),
            "links": counted.total, "leads": counted.leads, "hits": counted.hits}  # fmt: skip


def export_details(selection: Selection, data: bytes, *, export_format: str, file_name: str,
                   include_sensitive: bool, exact_addresses: bool = False) -> dict[str, Any]:  # fmt: skip
    """An export's record: format, filter, row counts, options, the file's size and SHA-256."""
    return {
        "format": export_format, "file_name": file_name, **filter_details(selection.filters),
        "rows": selection_counts(selection), "include_sensitive": include_sensitive,
        "exact_addresses": exact_addresses, "dataset_version": selection.dataset_version,
        "bytes": len(data), "sha256": sha256_bytes(data),
    }  # fmt: skip


def bulletin_details(series_id: str, data: bytes, *, file_name: str, include_sensitive: bool,
                     dataset_version: str) -> dict[str, Any]:  # fmt: skip
    """A bulletin's record: the series, the file's size and SHA-256."""
    return {"series_id": series_id, "file_name": file_name, "include_sensitive": include_sensitive,
            "dataset_version": dataset_version, "bytes": len(data), "sha256": sha256_bytes(data)}  # fmt: skip


def view_details(selection: Selection, *, series_id: str | None, incident_id: str | None) -> dict[str, Any]:
    """A view's record: the filter, the picked series and incident, and how much the page showed."""
    return {**filter_details(selection.filters), "series_id": series_id, "incident_id": incident_id,
            "rows": selection_counts(selection), "dataset_version": selection.dataset_version}  # fmt: skip


def search_details(text: str, matches: Sequence[Any]) -> dict[str, Any]:
    """A search's record: the text typed, how many matches, and the first (what opens)."""
    first = matches[0] if matches else None
    opened = None if first is None else {"kind": first.kind, "value": first.value,
                                         "series_id": first.series_id, "incident_id": first.incident_id}
    return {"text": text, "matches": len(matches), "opened": opened}
