"""What ``python -m linking series --json``, ``series --id`` and ``find`` print (the command-line contract).

Each series record has the series table's columns plus ``size`` (shootings
in the whole series), ``incident_ids`` (all of them, in time order) and
``in_filter`` (how many of them match the filter); ``leads`` and ``hits``
are counted by :mod:`linking.counting`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from data import schema as S
from linking.filters import Filters
from linking.registry import series_index_of
from linking.search import KIND_LABELS, find
from linking.selection import Selection, select


def series_records(selection: Selection, cell: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """One JSON-ready record per series of ``selection`` (see the module docstring)."""
    records = []
    for row in selection.series.to_dict(orient="records"):
        record = {key: cell(value) for key, value in row.items()}
        record["size"] = record.get(S.SERIES_SIZE)
        path = str(row.get(S.INCIDENT_PATH) or "")
        record["incident_ids"] = path.split("; ") if path else []
        records.append(record)
    return records


def series_by_id(frames: Any, series_id: str, *, today: date | None, as_json: bool) -> str:
    """The text printed for ``series --id``: the live series ``series_id`` names, whole.

    Raises
    ------
    linking.registry.UnknownSeriesError
        The id was never given, or no longer names a series.
    """
    from linking.cli import _json_cell

    index = series_index_of(frames)
    live, record = index.resolve(series_id)
    selection = select(frames, Filters(series_id=live), today=today)
    found = series_records(selection, _json_cell)
    document: dict[str, Any] = dict(found[0]) if found else {S.SERIES_ID: live}
    document["requested_id"] = str(series_id).strip()
    document[S.MERGED_INTO] = live if record is not None else None
    history = index.registry.loc[index.registry["series_id"].astype(str) == live, "history"]
    notes = [] if history.empty or history.isna().all() else str(history.iloc[0]).split("; ")
    if record is not None and record.get("history"):
        notes = str(record["history"]).split("; ") + notes
    document["history"] = notes
    document["dataset_version"] = selection.dataset_version
    document["caution"] = S.LEAD_DISCLAIMER
    if as_json:
        return json.dumps(document, indent=1)
    lines = [
        f"series {live}" + (f" (asked for {series_id}, merged into {live})" if record is not None else "")
    ]
    for key in (S.SERIES_SIZE, S.SERIES_LEADS, S.SERIES_HITS, S.FIRST_DATE, S.LAST_DATE, S.CITIES):
        lines.append(f"  {key}: {document.get(key)}")
    lines.append("  incidents: " + ", ".join(document.get("incident_ids", [])))
    lines.extend(f"  history: {note}" for note in notes)
    lines.append(f"# {S.LEAD_DISCLAIMER}")
    return "\n".join(lines)


def find_text(frames: Any, text: str, *, as_json: bool) -> str:
    """The text printed for ``find``: matches, exact first, each with its series (or none)."""
    matches = find(frames, text)
    if as_json:
        return json.dumps({"query": text, "matches": [m.as_dict() for m in matches]}, indent=1)
    if not matches:
        return f"nothing found for {text!r} (incident, case, lead, firearm, evidence or series ids)"
    lines = []
    for match in matches:
        where = match.series_id or "no series (unlinked)"
        note = f"  [{match.note}]" if match.note else ""
        incident = f" incident {match.incident_id}" if match.incident_id else ""
        exact = "" if match.exact else " (starts with)"
        lines.append(f"{KIND_LABELS[match.kind]} {match.value}{exact}:{incident} -> {where}{note}")
    return "\n".join(lines)
