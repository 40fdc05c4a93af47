"""Timeliness of leads: medians and the share within the 2-day target, overall, per city, agency and month.

Every figure is computed from :func:`linking.leads.lead_table` (one row per
lead, local calendar dates). An interval is ``end - start`` in calendar
days, measured only for leads that have both dates; ``median_days_*`` is
the median of those (``None`` when none is measured) and
``share_*_within_2_days`` the fraction of them at most 2 days (0-1).
A negative interval (a date recorded before the one it follows) is kept as
it is, so date errors show instead of vanishing.

Which leads count: those with a lead date, whose later shooting is in the
chosen cities / agencies, with a lead date in the chosen range. Per-city and
per-agency rows use the later shooting's city and agency; per-month rows the
month of the lead date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S

TARGET_DAYS = 2
INTERVALS: tuple[tuple[str, str, str], ...] = (
    ("shooting_to_entry", S.SHOOTING_DATE, S.ENTRY_DATE),
    ("entry_to_lead", S.ENTRY_DATE, S.LEAD_DATE),
    ("shooting_to_lead", S.SHOOTING_DATE, S.LEAD_DATE),
    ("lead_to_disseminated", S.LEAD_DATE, S.DISSEMINATED_DATE),
    ("lead_to_confirmed", S.LEAD_DATE, S.CONFIRMED_ON),
)
DEFINITIONS: dict[str, str] = {
    "leads": "leads with a lead date in the filter (one lead = one lead number on one pair)",
    "shooting_to_entry": "later shooting's local date -> NIBIN entry date of its casing",
    "entry_to_lead": "that entry date -> lead date",
    "shooting_to_lead": "later shooting's local date -> lead date",
    "lead_to_disseminated": "lead date -> first 'disseminated' event",
    "lead_to_confirmed": "lead date -> confirmed_date, else first 'confirmed' event",
    "overdue": f"open leads (lead or pending, not disseminated) older than {TARGET_DAYS} days "
    "on the reference date",
}


def interval_days(leads: pd.DataFrame, start: str, end: str) -> pd.Series:
    """Calendar days from ``start`` to ``end`` per lead (``<NA>`` when a date is missing)."""
    days = (pd.to_datetime(leads[end]) - pd.to_datetime(leads[start])).dt.days
    return days.astype("Int64")


def _figures(leads: pd.DataFrame) -> dict[str, Any]:
    out: dict[str, Any] = {"leads": len(leads)}
    for name, start, end in INTERVALS:
        days = interval_days(leads, start, end).dropna().astype(float)
        out[f"measured_{name}"] = len(days)
        out[f"median_days_{name}"] = float(np.median(days)) if len(days) else None
        share = float((days <= TARGET_DAYS).mean()) if len(days) else None
        out[f"share_{name}_within_{TARGET_DAYS}_days"] = share
    return out


def _breakdown(leads: pd.DataFrame, key: pd.Series, label: str) -> list[dict[str, Any]]:
    rows = []
    for value, group in leads.groupby(key.fillna("(unknown)"), sort=True):
        rows.append({label: str(value), **_figures(group)})
    return rows


def _iso(value: Any) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _overdue_record(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "link_id": row[S.LINK_ID],
        "lead_number": None if pd.isna(row[S.LEAD_NUMBER]) else row[S.LEAD_NUMBER],
        "lead_date": _iso(row[S.LEAD_DATE]),
        "age_days": int(row[S.LEAD_AGE_DAYS]),
        "status": row[S.STATUS],
        "city": None if pd.isna(row[S.CITY]) else row[S.CITY],
        "series_id": None if pd.isna(row[S.SERIES_ID]) else row[S.SERIES_ID],
    }


def timeliness(
    leads: pd.DataFrame,
    *,
    today: date,
    cities: Sequence[str] = (),
    agencies: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """The timeliness figures (see the module docstring) as a JSON-ready dict.

    Parameters
    ----------
    leads : DataFrame
        :func:`linking.leads.lead_table` output.
    today : date, keyword-only
        Reference date for the overdue list.
    cities, agencies, since, until : keyword-only
        Filters on the later shooting's city / agency and on the lead date (inclusive).
    """
    chosen = leads[leads[S.LEAD_DATE].notna()]
    if cities:
        chosen = chosen[chosen[S.CITY].astype("string").isin(list(cities)).fillna(False)]
    if agencies:
        chosen = chosen[chosen[S.AGENCY].astype("string").isin(list(agencies)).fillna(False)]
    lead_day = pd.to_datetime(chosen[S.LEAD_DATE])
    in_range = pd.Series(True, index=chosen.index)
    if since is not None:
        in_range &= lead_day >= pd.Timestamp(since)
    if until is not None:
        in_range &= lead_day <= pd.Timestamp(until)
    chosen = chosen[in_range]
    overdue = chosen[chosen[S.IS_OPEN] & (chosen[S.LEAD_AGE_DAYS] > TARGET_DAYS).fillna(False)]
    overdue = overdue.sort_values([S.LEAD_AGE_DAYS, S.LINK_ID], ascending=[False, True])
    document: dict[str, Any] = {
        "today": today.isoformat(),
        "target_days": TARGET_DAYS,
        "filter": {"cities": list(cities), "agencies": list(agencies), "since": _iso(since),
                   "until": _iso(until)},
        **_figures(chosen),
        "by_city": _breakdown(chosen, chosen[S.CITY].astype("string"), "city"),
        "by_agency": _breakdown(chosen, chosen[S.AGENCY].astype("string"), "agency"),
        "by_month": _breakdown(chosen, pd.to_datetime(chosen[S.LEAD_DATE]).dt.strftime("%Y-%m"), "month"),
        "overdue": [_overdue_record(row) for row in overdue.to_dict(orient="records")],
        "definitions": DEFINITIONS,
    }
    return document
