"""Analysts' events on the synthetic leads: reviews, disseminations, confirmations, exclusions.

Deterministic for a seed. Every lead number gets one dissemination date for
all its rows (the lead and the hit that confirmed it): most the day after the
lead or the same day, a tail of one to three weeks; leads issued in the last
``OPEN_WINDOW_DAYS`` of the data are mostly not yet disseminated, so the
queue and the overdue list show something. A share of leads is marked
reviewed on its lead date. Hit rows get a ``confirmed`` event on their
confirmation date, excluded rows an ``excluded`` event with a reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S

OPEN_WINDOW_DAYS = 21
SENT_SHARE_OLD = 0.93
SENT_SHARE_RECENT = 0.35
REVIEWED_SHARE = 0.4
UNITS = ("Homicide Unit", "Non-fatal Shooting Unit", "Gun Crimes Unit", "CGIC investigators")
BY = "synthetic demo analyst"


def _lags(rng: np.random.Generator, count: int) -> np.ndarray:
    """Days from lead to dissemination: mostly 0-2, a tail of weeks (lognormal, capped at 45)."""
    return np.minimum(45, np.floor(rng.lognormal(np.log(0.9), 1.1, count))).astype(np.int64)


def demo_lead_events(links: pd.DataFrame, incidents: pd.DataFrame, *, seed: int) -> pd.DataFrame:
    """Events for the demo ``links`` (columns of :data:`data.lead_events.EVENT_COLUMNS`, no ids).

    >>> links = pd.DataFrame({"link_id": ["L1", "L2"], "incident_a": ["a", "a"], "incident_b": ["b", "b"],
    ...     "status": ["lead", "hit"], "lead_number": ["N1", "N1"],
    ...     "lead_date": pd.to_datetime(["2019-01-01", "2019-01-01"]),
    ...     "confirmed_date": pd.to_datetime([None, "2019-02-01"])})
    >>> incidents = pd.DataFrame({"incident_id": ["a", "b"], "city": ["Detroit", "Detroit"]})
    >>> events = demo_lead_events(links, incidents, seed=1)
    >>> sorted(set(events["event"]) - {"reviewed"})
    ['confirmed']
    """
    rng = np.random.default_rng([seed, 13])
    numbered = links[links[S.LEAD_NUMBER].notna() & links[S.LEAD_DATE].notna()]
    if numbered.empty:
        return pd.DataFrame(columns=[S.LINK_ID, S.EVENT])
    leads = numbered.groupby(numbered[S.LEAD_NUMBER].astype(str), sort=True).agg(
        issued=(S.LEAD_DATE, "min"), incident=(S.INCIDENT_B, "first"), first=(S.INCIDENT_A, "first"))
    leads["incident"] = leads["incident"].fillna(leads["first"])
    end = pd.to_datetime(leads["issued"]).max()
    recent = (end - pd.to_datetime(leads["issued"])).dt.days <= OPEN_WINDOW_DAYS
    draw = rng.random(len(leads))
    sent = np.where(recent, draw < SENT_SHARE_RECENT, draw < SENT_SHARE_OLD)
    lag = _lags(rng, len(leads))
    sent_day = pd.to_datetime(leads["issued"]) + pd.to_timedelta(lag, unit="D")
    sent &= (sent_day <= end).to_numpy()
    city = leads["incident"].astype(str).map(incidents.set_index(incidents[S.INCIDENT_ID].astype(str))[S.CITY]
                                             .astype(str))  # fmt: skip
    unit = np.array(UNITS, dtype=object)[rng.integers(0, len(UNITS), len(leads))]
    leads["to"] = city.fillna("Police").astype(str) + " PD " + unit
    leads["sent_day"] = sent_day.where(sent)
    leads["reviewed"] = rng.random(len(leads)) < REVIEWED_SHARE

    rows = numbered.assign(_lead=numbered[S.LEAD_NUMBER].astype(str)).join(leads, on="_lead")
    parts = []
    reviewed = rows[rows["reviewed"]]
    parts.append(pd.DataFrame({S.LINK_ID: reviewed[S.LINK_ID], S.EVENT: "reviewed", S.EVENT_DATE:
                               pd.to_datetime(reviewed["issued"]).dt.strftime("%Y-%m-%d")}))  # fmt: skip
    disseminated = rows[rows["sent_day"].notna()]
    parts.append(pd.DataFrame({S.LINK_ID: disseminated[S.LINK_ID], S.EVENT: "disseminated",
                               S.EVENT_DATE: disseminated["sent_day"].dt.strftime("%Y-%m-%d"),
                               S.EVENT_TO: disseminated["to"]}))  # fmt: skip
    hits = links[(links[S.STATUS].astype(str) == "hit") & links[S.CONFIRMED_DATE].notna()]
    parts.append(pd.DataFrame({S.LINK_ID: hits[S.LINK_ID], S.EVENT: "confirmed", S.EVENT_STATUS: "hit",
                               S.EVENT_DATE: pd.to_datetime(hits[S.CONFIRMED_DATE]).dt.strftime("%Y-%m-%d"),
                               S.EVENT_BY: "synthetic demo examiner"}))  # fmt: skip
    excluded = links[(links[S.STATUS].astype(str) == "excluded") & links[S.LEAD_DATE].notna()]
    decided = (pd.to_datetime(excluded[S.LEAD_DATE]) + pd.Timedelta(days=14)).dt.strftime("%Y-%m-%d")
    parts.append(pd.DataFrame({S.LINK_ID: excluded[S.LINK_ID], S.EVENT: "excluded",
                               S.EVENT_STATUS: "excluded", S.EVENT_DATE: decided,
                               S.EVENT_NOTE: "examiner could not confirm (synthetic)",
                               S.EVENT_BY: "synthetic demo examiner"}))  # fmt: skip
    events = pd.concat(parts, ignore_index=True)
    events[S.EVENT_BY] = events[S.EVENT_BY].fillna(BY) if S.EVENT_BY in events else BY
    order = events[S.EVENT_DATE].astype(str) + events[S.LINK_ID].astype(str)
    return events.loc[order.sort_values(kind="stable").index].reset_index(drop=True)
