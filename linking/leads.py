"""The lead table: one row per NIBIN lead on one pair, with its dates and where it stands.

A *lead* here is one lead number on one pair of incidents (or one incident
and one recovered firearm). Several link rows can carry it (the lead row and
the hit row that confirmed it; several casings); they are one lead, whose
rows are listed in ``link_ids``. A link without a lead number is a lead of
its own.

Dates (all local calendar dates, as naive midnight timestamps):

``shooting_date``
    the later shooting of the pair (the one whose evidence made the lead),
    in its city's time zone;
``entry_date``
    NIBIN entry of that shooting's casing (the link's evidence id on that
    side when given, else the incident's first entered casing), in the same
    time zone;
``lead_date``
    the earliest lead date on its rows;
``disseminated_date`` / ``confirmed_on``
    the first ``disseminated`` event; the earliest ``confirmed_date`` or
    ``confirmed`` event.

``status`` is the lead's decision: ``hit`` when any row is a hit, else
``excluded`` when any row is excluded, else ``lead``, else ``pending``.
A lead is **open** while its status is lead or pending and nobody has
disseminated it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from geo.cities import known_city

DECISION_ORDER: tuple[str, ...] = ("hit", "excluded", "lead", "pending")
"""A lead's status is the first of these among its rows."""

LEAD_COLUMNS: tuple[str, ...] = (
    S.LINK_ID, S.LINK_IDS, S.LEAD_NUMBER, S.INCIDENT_A, S.INCIDENT_B, S.FIREARM_ID, S.STATUS, S.LEAD_DATE,
    S.LATER_INCIDENT, S.CITY, S.AGENCY, S.SHOOTING_DATE, S.ENTRY_DATE, S.DISSEMINATED_DATE, S.DISSEMINATED_TO,
    S.CONFIRMED_ON, S.SERIES_ID, S.IS_OPEN, S.LEAD_AGE_DAYS,
)  # fmt: skip


def _zones(incidents: pd.DataFrame) -> pd.Series:
    """IANA zone per incident row: the registered city's, else the row's ``time_zone``, else UTC."""
    cities = incidents[S.CITY].astype("string")
    registered = {c: getattr(known_city(str(c)), "time_zone", None) for c in cities.dropna().unique()}
    zone = cities.map(registered).astype("string")
    if S.TIME_ZONE in incidents.columns:
        zone = zone.fillna(incidents[S.TIME_ZONE].astype("string"))
    return zone.fillna("UTC")


def _local_days(instants: pd.Series, zones: pd.Series) -> pd.Series:
    """Local calendar dates (naive midnight) of UTC ``instants`` in per-row ``zones``."""
    out = pd.Series(pd.NaT, index=instants.index, dtype="datetime64[ns]")
    known = instants.notna()
    for zone, rows in zones[known].groupby(zones[known], sort=False).groups.items():
        local = pd.to_datetime(instants.loc[rows], utc=True).dt.tz_convert(str(zone)).dt.tz_localize(None)
        out.loc[rows] = local.dt.normalize().astype("datetime64[ns]").to_numpy()
    return out


def _event_dates(events: pd.DataFrame, kind: str) -> pd.DataFrame:
    chosen = events[events[S.EVENT] == kind]
    return pd.DataFrame({
        S.LINK_ID: chosen[S.LINK_ID].astype(str),
        "day": pd.to_datetime(chosen[S.EVENT_DATE].astype("string"), format="%Y-%m-%d"),
        "to": chosen[S.EVENT_TO].astype("string") if S.EVENT_TO in chosen.columns else pd.NA,
        "order": pd.to_numeric(chosen[S.EVENT_ID]),
    })  # fmt: skip


def _join_sorted(keys: np.ndarray, values: np.ndarray) -> pd.Series:
    """``key -> "; "``-joined sorted values, one Python join per key (no pandas call per group)."""
    pairs = pd.DataFrame({"key": keys, "value": values}).sort_values(["key", "value"], kind="stable")
    key_list, value_list = pairs["key"].tolist(), pairs["value"].tolist()
    starts = [i for i in range(len(key_list)) if i == 0 or key_list[i] != key_list[i - 1]]
    bounds = zip(starts, [*starts[1:], len(key_list)], strict=True)
    return pd.Series(["; ".join(value_list[a:b]) for a, b in bounds], index=[key_list[i] for i in starts],
                     dtype=object)  # fmt: skip


def _entry_days(frames: Any, later: pd.Series, later_side_evidence: pd.Series, zones: pd.Series) -> pd.Series:
    """Local entry date of the later shooting's casing, per lead row."""
    evidence = frames.evidence
    if evidence is None or len(evidence) == 0 or S.ENTERED_AT not in evidence.columns:
        return pd.Series(pd.NaT, index=later.index, dtype="datetime64[ns]")
    entered = evidence.set_index(evidence[S.EVIDENCE_ID].astype(str))[S.ENTERED_AT]
    casings = evidence[(evidence[S.EVIDENCE_KIND].astype(str) == "casing") & evidence[S.ENTERED_AT].notna()]
    first = casings.groupby(casings[S.INCIDENT_ID].astype(str))[S.ENTERED_AT].min()
    named = _look_up(later_side_evidence, entered)
    when = named.where(named.notna(), _look_up(later, first))
    return _local_days(when, zones)


def _look_up(keys: pd.Series, times: pd.Series) -> pd.Series:
    """``times`` (UTC, uniquely indexed by id text) at each of ``keys``; NaT where missing.

    ``Series.map`` of a string column fails when no key is found and the
    store has no entry dates at all (it tries to make the result numeric).
    """
    found = times.reindex(keys.astype("string").fillna("").to_numpy())
    if not isinstance(found.dtype, pd.DatetimeTZDtype):
        found = pd.to_datetime(found, utc=True)
    return found.set_axis(keys.index)


def lead_table(frames: Any, events: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """One row per lead (see the module docstring), newest lead date first.

    Parameters
    ----------
    frames : data.frames.Frames
        The whole store, loaded (with its series index when attached).
    events : DataFrame
        :func:`data.lead_events.read_events` of the same store.
    today : date, keyword-only
        Reference date for ``lead_age_days``.
    """
    from linking.registry import series_index_of

    keep = frames.links[S.INCIDENT_A].notna().to_numpy(dtype=bool)
    links = frames.links[keep].copy()
    if links.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LEAD_COLUMNS})
    incidents = frames.incidents.reset_index(drop=True)
    ends = getattr(frames, "link_rows", None)
    if ends is not None and len(ends.incident_a) == len(frames.links):  # rows found once, at load
        row_a = pd.Series(ends.incident_a[keep], index=links.index).where(lambda rows: rows >= 0)
        row_b = pd.Series(ends.incident_b[keep], index=links.index).where(lambda rows: rows >= 0)
    else:
        row_of = pd.Series(np.arange(len(incidents)), index=incidents[S.INCIDENT_ID].astype(str))
        row_a = links[S.INCIDENT_A].astype(str).map(row_of)
        row_b = links[S.INCIDENT_B].astype("string").map(row_of)
    when = incidents[S.OCCURRED_AT].to_numpy()
    a_time = pd.Series(when[row_a.fillna(0).astype(int)], index=links.index).where(row_a.notna())
    b_time = pd.Series(when[row_b.fillna(0).astype(int)], index=links.index).where(row_b.notna())
    b_later = (b_time > a_time).fillna(False) | (b_time.notna() & a_time.isna())
    later_row = row_b.where(b_later, row_a)
    links[S.LATER_INCIDENT] = links[S.INCIDENT_B].where(b_later, links[S.INCIDENT_A]).astype("string")
    later_side_evidence = links[S.EVIDENCE_B].where(b_later, links[S.EVIDENCE_A]) if S.EVIDENCE_A in links \
        else pd.Series(pd.NA, index=links.index)  # fmt: skip
    if S.FIREARM_ID in links.columns:  # a test fire: the scene's casing is the evidence that matters
        later_side_evidence = later_side_evidence.where(links[S.INCIDENT_B].notna(), links.get(S.EVIDENCE_A))
    valid = later_row.notna()
    positions = later_row.fillna(0).astype(int).to_numpy()
    zones = _zones(incidents)
    links[S.CITY] = pd.Series(incidents[S.CITY].astype("string").to_numpy()[positions], index=links.index)
    links[S.AGENCY] = pd.Series(incidents[S.AGENCY].astype("string").to_numpy()[positions], index=links.index)
    links[S.SHOOTING_DATE] = pd.Series(incidents[S.LOCAL_DATE].to_numpy()[positions], index=links.index)
    for column in (S.CITY, S.AGENCY, S.SHOOTING_DATE):
        links[column] = links[column].where(valid)
    later_zones = pd.Series(zones.to_numpy()[positions], index=links.index)
    links[S.ENTRY_DATE] = _entry_days(frames, links[S.LATER_INCIDENT], later_side_evidence, later_zones)
    index = series_index_of(frames)
    names = np.asarray([*index.names.tolist(), None], dtype=object)
    codes = np.asarray(index.code)
    links[S.SERIES_ID] = pd.Series(names[np.where(valid, codes[positions], -1)], index=links.index,
                                   dtype="string")  # fmt: skip

    pair = links[S.INCIDENT_A].astype(str) + "~" + links[S.INCIDENT_B].astype("string").fillna(
        "firearm:" + links[S.FIREARM_ID].astype("string").fillna(""))  # fmt: skip
    number = links[S.LEAD_NUMBER].astype("string").str.strip()
    links["_key"] = (number + "|" + pair).fillna("link|" + links[S.LINK_ID].astype(str))
    rank = {status: i for i, status in enumerate(DECISION_ORDER)}
    links["_rank"] = links[S.STATUS].astype(str).map(rank).fillna(len(rank)).astype(int)

    # object arrays: pandas' hash isin (Arrow strings' isin converts every value to a scalar first)
    link_text = links[S.LINK_ID].astype(str).to_numpy(dtype=object)
    event_links = pd.Series(events[S.LINK_ID].astype(str).to_numpy(dtype=object), dtype=object)
    lead_events = events[event_links.isin(link_text).to_numpy()]
    key_of = links.set_index(links[S.LINK_ID].astype(str))["_key"]
    sent = _event_dates(lead_events, "disseminated").assign(_key=lambda f: f[S.LINK_ID].map(key_of))
    sent = sent.sort_values(["day", "order"]).groupby("_key").first()
    confirmed = _event_dates(lead_events, "confirmed").assign(_key=lambda f: f[S.LINK_ID].map(key_of))
    confirmed = confirmed.groupby("_key")["day"].min()

    links = links.sort_values(["_key", "_rank", S.LINK_ID], kind="stable")
    grouped = links.groupby("_key", sort=False)
    table = grouped.first()
    ids = links[S.LINK_ID].astype(str)
    table[S.LINK_ID] = ids.groupby(links["_key"], sort=False).min()
    table[S.LINK_IDS] = table[S.LINK_ID]
    sizes = grouped.size()
    keys = links["_key"].to_numpy(dtype=object)
    shared = pd.Series(keys, dtype=object).isin(sizes.index[sizes > 1].to_numpy(dtype=object)).to_numpy()
    if shared.any():  # only leads with several rows need joining
        joined = _join_sorted(keys[shared], ids.to_numpy(dtype=object)[shared])
        table.loc[joined.index, S.LINK_IDS] = joined
    table[S.STATUS] = table["_rank"].map(dict(enumerate(DECISION_ORDER)))
    table[S.LEAD_DATE] = grouped[S.LEAD_DATE].min()
    table[S.DISSEMINATED_DATE] = sent["day"].reindex(table.index)
    table[S.DISSEMINATED_TO] = sent["to"].reindex(table.index)
    confirmed_dates = pd.concat([grouped[S.CONFIRMED_DATE].min(), confirmed.reindex(table.index)], axis=1)
    table[S.CONFIRMED_ON] = confirmed_dates.min(axis=1)
    table[S.IS_OPEN] = table[S.STATUS].isin(S.OPEN_LEAD_STATUSES) & table[S.DISSEMINATED_DATE].isna()
    age = (pd.Timestamp(today) - pd.to_datetime(table[S.LEAD_DATE])).dt.days
    table[S.LEAD_AGE_DAYS] = age.astype("Int64")
    out = table.reset_index(drop=True)[list(LEAD_COLUMNS)]
    for column in (S.LEAD_DATE, S.SHOOTING_DATE, S.ENTRY_DATE, S.DISSEMINATED_DATE, S.CONFIRMED_ON):
        out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    return out.sort_values([S.LEAD_DATE, S.LINK_ID], ascending=[False, True], na_position="first",
                           kind="stable").reset_index(drop=True)  # fmt: skip


def reference_date(frames: Any) -> date:
    """The data's "today": the newest shooting's local date or lead date, whichever is later.

    Used when no ``--today`` is given, as the dashboard does, so a demo or an
    old extract is not judged against the calendar.
    """
    days = [pd.Timestamp(frames.incidents[S.LOCAL_DATE].max()) if len(frames.incidents) else pd.NaT]
    if len(frames.links):
        days.append(pd.Timestamp(pd.to_datetime(frames.links[S.LEAD_DATE]).max()))
    known = [d for d in days if not pd.isna(d)]
    return max(known).date() if known else pd.Timestamp.now(tz="UTC").date()
