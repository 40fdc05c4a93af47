"""The lead queue: leads ranked by a transparent GETS triage score whose parts are shown.

The score is a sum of points in four groups; every weight is in
:class:`TriageWeights` (this is the one place they live; the README's "Lead
desk" section repeats them). The *joined series* of a lead is the series of
its first incident together with the series of its second (or the two
incidents alone when they are in none): what the series would be if the
lead holds.

Geography
    ``cross_jurisdiction`` points when the joined series spans more than one
    city or agency; ``home_cities`` points times the share of the lead's own
    incidents inside the analyst's cities (all cities when none are given).
Events
    ``per_extra_shooting`` per shooting in the joined series beyond two
    (capped at ``size_cap``); ``per_killed`` per person killed and
    ``per_injured`` per person shot (capped at ``harm_cap``);
    ``per_recent_shooting`` per series shooting in the ``recent_days``
    before the reference date (capped at ``recent_cap``).
Time
    ``freshness`` points times ``1 - days_since_latest / freshness_days``
    (0 at or beyond ``freshness_days``); ``per_overdue_day`` per day the lead
    is older than the 2-day target (capped at ``overdue_cap``).
Solvability
    ``recovered_gun`` when a recovered firearm's test fire is in the joined
    series (or the lead is a test-fire lead); ``known_caliber`` when the
    lead's incidents have a known calibre; ``per_agency`` per agency involved
    (capped at ``agency_cap``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from linking.kpis import TARGET_DAYS

GROUPS: tuple[str, ...] = ("geography", "events", "time", "solvability")


@dataclass(frozen=True)
class TriageWeights:
    """Points per triage part (see the module docstring for what each rewards)."""

    cross_jurisdiction: float = 15.0
    home_cities: float = 10.0
    per_extra_shooting: float = 2.0
    size_cap: float = 20.0
    per_killed: float = 6.0
    per_injured: float = 3.0
    harm_cap: float = 24.0
    per_recent_shooting: float = 3.0
    recent_days: int = 90
    recent_cap: float = 12.0
    freshness: float = 20.0
    freshness_days: int = 60
    per_overdue_day: float = 1.0
    overdue_cap: float = 10.0
    recovered_gun: float = 15.0
    known_caliber: float = 5.0
    per_agency: float = 3.0
    agency_cap: float = 9.0


TRIAGE_WEIGHTS = TriageWeights()


@dataclass(frozen=True)
class _Facts:
    """What the score reads about leads' joined series: one value each, or one array entry per lead.

    ``days_since_latest`` and ``lead_age_days`` may be ``None`` (or NaN in an array) when unknown.
    """

    size: Any
    cities: Any
    agencies: Any
    killed: Any
    injured: Any
    recent: Any
    days_since_latest: Any
    home_share: Any
    recovered_gun: Any
    known_caliber: Any
    lead_age_days: Any


def _part_arrays(facts: _Facts, weights: TriageWeights) -> dict[str, dict[str, np.ndarray]]:
    """The points of every part, elementwise (the one place the rule is written)."""
    w = weights

    def num(value: Any) -> np.ndarray:
        return np.asarray(np.nan if value is None else value, dtype=float)

    crosses = (num(facts.cities) > 1) | (num(facts.agencies) > 1)
    since = num(facts.days_since_latest)
    fresh = w.freshness * np.maximum(0.0, 1.0 - np.maximum(0.0, since) / w.freshness_days)
    freshness = np.where(np.isnan(since), 0.0, fresh)
    overdue = np.maximum(0.0, np.nan_to_num(num(facts.lead_age_days), nan=0.0) - TARGET_DAYS)
    extra = np.maximum(0.0, num(facts.size) - 2)
    harm = w.per_killed * num(facts.killed) + w.per_injured * num(facts.injured)
    return {
        "geography": {
            "cross_jurisdiction": np.where(crosses, w.cross_jurisdiction, 0.0),
            "home_cities": w.home_cities * num(facts.home_share),
        },
        "events": {
            "series_size": np.minimum(w.size_cap, w.per_extra_shooting * extra),
            "killed_and_shot": np.minimum(w.harm_cap, harm),
            "recent_violence": np.minimum(w.recent_cap, w.per_recent_shooting * num(facts.recent)),
        },
        "time": {
            "days_since_latest_shooting": freshness,
            "lead_age": np.minimum(w.overdue_cap, w.per_overdue_day * overdue),
        },
        "solvability": {
            "recovered_gun": np.where(np.asarray(facts.recovered_gun, dtype=bool), w.recovered_gun, 0.0),
            "known_caliber": np.where(np.asarray(facts.known_caliber, dtype=bool), w.known_caliber, 0.0),
            "agencies_involved": np.minimum(w.agency_cap, w.per_agency * num(facts.agencies)),
        },
    }


def score_parts(facts: _Facts, weights: TriageWeights = TRIAGE_WEIGHTS) -> dict[str, dict[str, float]]:
    """Points per group and part for one lead (rounded to 0.1)."""
    parts = _part_arrays(facts, weights)
    return {group: {part: round(float(v), 1) for part, v in values.items()}
            for group, values in parts.items()}  # fmt: skip


def _group_facts(frames: Any, today: date, recent_days: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number per incident row (its series, else the incident alone) and facts per group."""
    from linking.registry import series_index_of

    index = series_index_of(frames)
    incidents = frames.incidents.reset_index(drop=True)
    code = np.asarray(index.code, dtype=np.int64)
    group = np.where(code >= 0, code, len(index.names) + np.arange(len(incidents)))
    gun_series: list[int] = []
    if len(index.table) and S.HAS_FIREARM in index.table.columns:
        with_gun = index.table[index.table[S.HAS_FIREARM].astype(bool)][S.SERIES_ID].astype(str)
        found = pd.Index(np.asarray(index.names, dtype=object)).get_indexer(with_gun.to_numpy(dtype=object))
        gun_series = found[found >= 0].tolist()  # one hash lookup each (number_of scans every name)
    days = (pd.Timestamp(today) - pd.to_datetime(incidents[S.LOCAL_DATE])).dt.days
    past = days.where(days >= 0)
    rows = pd.DataFrame({
        "group": group, "city": incidents[S.CITY].astype("string"),
        "agency": incidents[S.AGENCY].astype("string"),
        "killed": incidents[S.KILLED].astype("int64"), "injured": incidents[S.INJURED].astype("int64"),
        "recent": (past <= recent_days).fillna(False).astype("int64"), "since": past,
    })  # fmt: skip
    facts = rows.groupby("group").agg(
        size=("group", "size"), killed=("killed", "sum"), injured=("injured", "sum"),
        recent=("recent", "sum"), since=("since", "min"), cities=("city", "nunique"),
        agencies=("agency", "nunique"),
    )  # fmt: skip
    facts["gun"] = facts.index.isin(gun_series)
    facts.attrs["rows"] = rows
    return group, facts


def lead_queue(
    frames: Any,
    leads: pd.DataFrame,
    *,
    today: date,
    cities: Sequence[str] = (),
    open_only: bool = True,
    weights: TriageWeights = TRIAGE_WEIGHTS,
) -> pd.DataFrame:
    """Leads with ``score`` and ``score_components``, highest score first.

    Parameters
    ----------
    frames : data.frames.Frames
        The whole store, loaded.
    leads : DataFrame
        :func:`linking.leads.lead_table` of the same frames.
    today : date, keyword-only
        Reference date (recent violence, days since the latest shooting, lead age).
    cities : sequence of str, keyword-only
        The analyst's cities: only leads touching them are listed, and
        ``home_cities`` rewards leads inside them. Empty: every city.
    open_only : bool, keyword-only
        Only open leads (lead or pending, not disseminated, not decided).
    """
    chosen = leads[leads[S.IS_OPEN].astype(bool)] if open_only else leads
    incidents = frames.incidents.reset_index(drop=True)
    row_of = pd.Series(np.arange(len(incidents)), index=incidents[S.INCIDENT_ID].astype(str))
    row_a = chosen[S.INCIDENT_A].astype(str).map(row_of)
    row_b = chosen[S.INCIDENT_B].astype("string").map(row_of)
    city_text = incidents[S.CITY].astype("string").to_numpy()
    home = set(cities)

    def inside(rows: pd.Series) -> pd.Series:
        known = rows.notna()
        values = pd.Series(city_text[rows.fillna(0).astype(int)], index=rows.index).where(known)
        return (values.isin(home) & known) if home else known

    a_in, b_in = inside(row_a), inside(row_b)
    touches = (a_in | b_in) & row_a.notna()
    chosen, row_a, row_b = chosen[touches], row_a[touches].astype(int), row_b[touches]
    ends = row_b.notna().astype(int) + 1
    home_share = ((a_in[touches].astype(int) + b_in[touches].astype(int)) / ends).to_numpy(float)
    group, facts = _group_facts(frames, today, weights.recent_days)
    ga = group[row_a.to_numpy()]
    gb = np.where(row_b.notna(), group[row_b.fillna(0).astype(int).to_numpy()], -1)
    two = (gb >= 0) & (gb != ga)
    fa = facts.loc[ga].reset_index(drop=True)
    fb = facts.reindex(np.where(two, gb, ga)).reset_index(drop=True)
    add = two.astype(int)
    cities_n, agencies_n = fa["cities"].to_numpy(float), fa["agencies"].to_numpy(float)
    if two.any():  # a lead between two groups: count the cities and agencies of both together
        rows = facts.attrs["rows"]
        which = np.flatnonzero(two)
        sides = pd.DataFrame({"lead": np.concatenate([which, which]),
                              "group": np.concatenate([ga[which], gb[which]])})  # fmt: skip
        for column, counts in (("city", cities_n), ("agency", agencies_n)):
            distinct = rows[["group", column]].dropna().drop_duplicates()
            union = sides.merge(distinct, on="group").drop_duplicates(["lead", column])
            sizes = union.groupby("lead").size()
            counts[which] = sizes.reindex(which, fill_value=0).to_numpy(float)
    caliber = incidents[S.CALIBER].astype("string").fillna(S.UNKNOWN_CALIBER)
    known_cal = (caliber != S.UNKNOWN_CALIBER).to_numpy(dtype=bool)
    b_cal = np.where(row_b.notna(), known_cal[row_b.fillna(0).astype(int).to_numpy()], False)
    lead_facts = _Facts(
        size=fa["size"].to_numpy() + add * fb["size"].to_numpy(), cities=cities_n, agencies=agencies_n,
        killed=fa["killed"].to_numpy() + add * fb["killed"].to_numpy(),
        injured=fa["injured"].to_numpy() + add * fb["injured"].to_numpy(),
        recent=fa["recent"].to_numpy() + add * fb["recent"].to_numpy(),
        days_since_latest=np.fmin(fa["since"].to_numpy(float),
                                  np.where(two, fb["since"].to_numpy(float), np.nan)),
        home_share=home_share,
        recovered_gun=fa["gun"].to_numpy(bool) | (two & fb["gun"].to_numpy(bool))
        | chosen[S.FIREARM_ID].notna().to_numpy(bool),
        known_caliber=known_cal[row_a.to_numpy()] | b_cal,
        lead_age_days=pd.to_numeric(chosen[S.LEAD_AGE_DAYS]).astype(float).to_numpy(),
    )  # fmt: skip
    parts = {group_name: {part: np.round(np.broadcast_to(values, (len(chosen),)).astype(float), 1)
                          for part, values in group_parts.items()}
             for group_name, group_parts in _part_arrays(lead_facts, weights).items()}  # fmt: skip
    out = chosen.copy()
    totals = {name: np.round(sum(parts[name].values()), 1) for name in GROUPS}
    out[S.SCORE] = np.round(sum(totals.values()), 1) if len(out) else np.zeros(0)
    out[S.SCORE_COMPONENTS] = [
        {name: {"points": float(totals[name][i]), **{p: float(v[i]) for p, v in parts[name].items()}}
         for name in GROUPS}
        for i in range(len(out))
    ]  # fmt: skip
    for name in GROUPS:
        out[name] = totals[name]
    return out.sort_values([S.SCORE, S.LEAD_DATE, S.LINK_ID], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)  # fmt: skip


def weights_table(weights: TriageWeights = TRIAGE_WEIGHTS) -> dict[str, float]:
    """The weights as a plain dict (printed with the queue so the score can be checked by hand)."""
    return {key: float(value) for key, value in asdict(weights).items()}
