"""Find what an analyst types: an incident id, agency case number, NIBIN lead number, firearm id,
evidence id or series id, and the series it belongs to.

Matching ignores case and surrounding spaces; exact matches come first, then
ids that start with the text. Each match names what it is (``kind``), the
value matched, the incident it points at (when there is one) and its series
id (``None`` for an unlinked incident). A retired series id finds the series
it was merged into.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from linking.registry import SeriesIndex, UnknownSeriesError, series_index_of

KINDS: tuple[str, ...] = ("series", "incident", "case_number", "lead_number", "firearm", "evidence")
KIND_LABELS: dict[str, str] = {
    "series": "Series id",
    "incident": "Incident id",
    "case_number": "Agency case number",
    "lead_number": "NIBIN lead number",
    "firearm": "Firearm id",
    "evidence": "Evidence id",
}
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Match:
    """One thing found.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    value : str
        The id or number that matched.
    exact : bool
        The whole value matched (else it starts with the text).
    incident_id : str or None
        The incident it points at (the first one, for a lead or a firearm).
    series_id : str or None
        Its series (the live id), ``None`` when unlinked.
    note : str
        What else to know (``"merged into S-… on DATE"`` for a retired series id).
    """

    kind: str
    value: str
    exact: bool
    incident_id: str | None
    series_id: str | None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return asdict(self)


def _hits(values: pd.Series, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose value equals ``text`` and rows whose value starts with it (case-insensitive)."""
    lowered = values.astype("string").str.strip().str.lower()
    exact = (lowered == text).fillna(False).to_numpy(dtype=bool)
    prefix = lowered.str.startswith(text).fillna(False).to_numpy(dtype=bool) & ~exact
    return np.flatnonzero(exact), np.flatnonzero(prefix)


def _series_of_incidents(index: SeriesIndex, frames: Any) -> pd.Series:
    names = np.append(index.names, np.array([None], dtype=object))
    return pd.Series(names[index.code], index=frames.incidents[S.INCIDENT_ID].astype(str).to_numpy())


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def find(frames: Any, text: str, *, limit: int = DEFAULT_LIMIT) -> list[Match]:
    """Search ``frames`` (with their series) for ``text``; exact matches first, then prefixes.

    Examples
    --------
    >>> from data.frames import empty_frames
    >>> find(empty_frames(), "MEM-21")
    []
    """
    wanted = str(text).strip().lower()
    if not wanted:
        return []
    index = series_index_of(frames)
    series_of = _series_of_incidents(index, frames)
    incidents, links = frames.incidents, frames.links
    evidence = getattr(frames, "evidence", None)
    exact: list[Match] = []
    prefix: list[Match] = []

    def add(kind: str, rows: tuple[np.ndarray, np.ndarray], make: Any) -> None:
        for bucket, found in ((exact, rows[0]), (prefix, rows[1])):
            for row in found[: limit + 1]:
                bucket.append(make(int(row), bucket is exact))

    registry = index.registry
    if len(registry):

        def series_match(row: int, is_exact: bool) -> Match:
            sid = str(registry["series_id"].iloc[row])
            try:
                live, record = index.resolve(sid)
                note = "" if record is None else f"merged into {live}"
            except UnknownSeriesError as exc:
                live, note = None, str(exc)
            first = _text(registry["first_incident_id"].iloc[row])
            return Match("series", sid, is_exact, first, live, note)

        add("series", _hits(registry["series_id"], wanted), series_match)
    if len(incidents):
        ids = incidents[S.INCIDENT_ID].astype(str)

        def incident_match(kind: str, column: str) -> Any:
            def make(row: int, is_exact: bool) -> Match:
                incident = ids.iloc[row]
                return Match(kind, str(incidents[column].iloc[row]), is_exact, incident,
                             _text(series_of.get(incident)))  # fmt: skip

            return make

        add("incident", _hits(incidents[S.INCIDENT_ID], wanted), incident_match("incident", S.INCIDENT_ID))
        if S.CASE_NUMBER in incidents.columns:
            add(
                "case_number",
                _hits(incidents[S.CASE_NUMBER], wanted),
                incident_match("case_number", S.CASE_NUMBER),
            )
    if len(links) and S.LEAD_NUMBER in links.columns:

        def lead_match(row: int, is_exact: bool) -> Match:
            incident = _text(links[S.INCIDENT_A].iloc[row])
            return Match("lead_number", str(links[S.LEAD_NUMBER].iloc[row]), is_exact, incident,
                         _text(series_of.get(incident)) if incident else None)  # fmt: skip

        add("lead_number", _hits(links[S.LEAD_NUMBER], wanted), lead_match)
    firearms = getattr(frames, "firearms", None)
    if firearms is not None and len(firearms):

        def firearm_match(row: int, is_exact: bool) -> Match:
            firearm = str(firearms[S.FIREARM_ID].iloc[row])
            incident, series = _firearm_series(index, frames, firearm)
            return Match("firearm", firearm, is_exact, incident, series)

        add("firearm", _hits(firearms[S.FIREARM_ID], wanted), firearm_match)
    if evidence is not None and len(evidence) and S.EVIDENCE_ID in evidence.columns:

        def evidence_match(row: int, is_exact: bool) -> Match:
            incident = _text(evidence[S.INCIDENT_ID].iloc[row]) if S.INCIDENT_ID in evidence.columns else None
            series = _text(series_of.get(incident)) if incident else None
            if incident is None and S.FIREARM_ID in evidence.columns:
                firearm = _text(evidence[S.FIREARM_ID].iloc[row])
                incident, series = _firearm_series(index, frames, firearm or "")
            return Match("evidence", str(evidence[S.EVIDENCE_ID].iloc[row]), is_exact, incident, series)

        add("evidence", _hits(evidence[S.EVIDENCE_ID], wanted), evidence_match)
    return (exact + prefix)[:limit]


def _firearm_series(index: SeriesIndex, frames: Any, firearm: str) -> tuple[str | None, str | None]:
    """(first incident the firearm's test fires link to, that incident's series), preferring a linked one."""
    links = frames.links
    if not len(links) or S.FIREARM_ID not in links.columns:
        return None, None
    rows = np.flatnonzero(
        (links[S.FIREARM_ID].astype("string") == firearm).fillna(False).to_numpy(dtype=bool)
        & (index.ends.incident_a >= 0)
    )
    if not len(rows):
        return None, None
    incident_rows = index.ends.incident_a[rows]
    codes = index.code[incident_rows]
    best = int(np.argmax(codes >= 0))
    incident = str(frames.incidents[S.INCIDENT_ID].iloc[incident_rows[best]])
    return incident, (str(index.names[codes[best]]) if codes[best] >= 0 else None)
