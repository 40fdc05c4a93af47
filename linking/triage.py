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
    """What the score reads about one lead's joined series."""

    size: int
    cities: int
    agencies: int
    killed: int
    injured: int
    recent: int
    days_since_latest: int | None
    home_share: float
    recovered_gun: bool
    known_caliber: bool
    lead_age_days: int | None


def score_parts(facts: _Facts, weights: TriageWeights = TRIAGE_WEIGHTS) -> dict[str, dict[str, float]]:
    """Points per group and part for one lead (rounded to 0.1)."""
    w = weights
    crosses = facts.cities > 1 or facts.agencies > 1
    freshness = 0.0
    if facts.days_since_latest is not None:
        freshness = w.freshness * max(0.0, 1.0 - max(0, facts.days_since_latest) / w.freshness_days)
    overdue = max(0, (facts.lead_age_days or 0) - TARGET_DAYS)
    parts = {
        "geography": {
            "cross_jurisdiction": w.cross_jurisdiction if crosses else 0.0,
            "home_cities": w.home_cities * facts.home_share,
        },
        "events": {
            "series_size": min(w.size_cap, w.per_extra_shooting * max(0, facts.size - 2)),
            "killed_and_shot": min(w.harm_cap, w.per_killed * facts.killed + w.per_injured * facts.injured),
            "recent_violence": min(w.recent_cap, w.per_recent_shooting * facts.recent),
        },
        "time": {
            "days_since_latest_shooting": freshness,
            "lead_age": min(w.overdue_cap, w.per_overdue_day * overdue),
        },
        "solvability": {
            "recovered_gun": w.recovered_gun if facts.recovered_gun else 0.0,
            "known_caliber": w.known_caliber if facts.known_caliber else 0.0,
            "agencies_involved": min(w.agency_cap, w.per_agency * facts.agencies),
        },
    }
    return {group: {part: round(float(v), 1) for part, v in values.items()}
            for group, values in parts.items()}  # fmt: skip


def _groups(frames: Any) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number per incident row (its series, else itself alone) and per-group facts."""
    from linking.registry import series_index_of

    index = series_index_of(frames)
    incidents = frames.incidents.reset_index(drop=True)
    code = np.asarray(index.code, dtype=np.int64)
    n_series = len(index.names)
    group = np.where(code >= 0, code, n_series + np.arange(len(incidents)))
    firearm_series: list[int] = []
    if len(index.table) and S.HAS_FIREARM in index.table.columns:
        with_gun = index.table[index.table[S.HAS_FIREARM].astype(bool)][S.SERIES_ID].astype(str)
        firearm_series = [n for n in (index.number_of(s) for s in with_gun) if n is not None]
    facts = pd.DataFrame({
        "group": group, "city": incidents[S.CITY].astype("string"),
        "agency": incidents[S.AGENCY].astype("string"),
        "killed": incidents[S.KILLED].astype("int64"), "injured": incidents[S.INJURED].astype("int64"),
        "day": incidents[S.LOCAL_DATE], "gun": np.isin(group, np.asarray(firearm_series, dtype=np.int64)),
    })  # fmt: skip
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
    chosen = leads[leads[S.IS_OPEN]] if open_only else leads
    incidents = frames.incidents.reset_index(drop=True)
    row_of = pd.Series(np.arange(len(incidents)), index=incidents[S.INCIDENT_ID].astype(str))
    row_a = chosen[S.INCIDENT_A].astype(str).map(row_of)
    row_b = chosen[S.INCIDENT_B].astype("string").map(row_of)
    city_text = incidents[S.CITY].astype("string").to_numpy()
    home = set(cities)

    def inside(rows: pd.Series) -> pd.Series:
        known = rows.notna()
        values = pd.Series(city_text[rows.fillna(0).astype(int)], index=rows.index).where(known)
        return values.isin(home) if home else known

    a_in, b_in = inside(row_a), inside(row_b)
    touches = a_in | b_in
    chosen, row_a, row_b = chosen[touches], row_a[touches], row_b[touches]
    ends = row_b.notna().astype(int) + row_a.notna().astype(int)
    home_share = (a_in[touches].astype(int) + b_in[touches].astype(int)) / ends.clip(lower=1)
    group, facts = _groups(frames)
    members = facts.groupby("group").indices
    known_cal = incidents[S.CALIBER].astype("string").fillna(S.UNKNOWN_CALIBER) != S.UNKNOWN_CALIBER
    reference = pd.Timestamp(today)
    scores, components = [], []
    for position, (_, lead) in enumerate(chosen.iterrows()):
        rows = [int(row_a.iloc[position])]
        if pd.notna(row_b.iloc[position]):
            rows.append(int(row_b.iloc[position]))
        joined = np.unique(np.concatenate([members[group[r]] for r in rows]))
        part = facts.iloc[joined]
        days = (reference - part["day"]).dt.days
        latest = days[days >= 0].min() if (days >= 0).any() else None
        lead_facts = _Facts(
            size=len(joined), cities=int(part["city"].nunique()), agencies=int(part["agency"].nunique()),
            killed=int(part["killed"].sum()), injured=int(part["injured"].sum()),
            recent=int(((days >= 0) & (days <= weights.recent_days)).sum()),
            days_since_latest=None if latest is None else int(latest),
            home_share=float(home_share.iloc[position]),
            recovered_gun=bool(part["gun"].any() or pd.notna(lead[S.FIREARM_ID])),
            known_caliber=bool(known_cal.iloc[rows].any()),
            lead_age_days=None if pd.isna(lead[S.LEAD_AGE_DAYS]) else int(lead[S.LEAD_AGE_DAYS]),
        )  # fmt: skip
        parts = score_parts(lead_facts, weights)
        groups = {name: round(sum(parts[name].values()), 1) for name in GROUPS}
        scores.append(round(sum(groups.values()), 1))
        components.append({name: {"points": groups[name], **parts[name]} for name in GROUPS})
    out = chosen.assign(**{S.SCORE: scores, S.SCORE_COMPONENTS: components})
    for name in GROUPS:
        out[name] = [c[name]["points"] for c in components]
    return out.sort_values([S.SCORE, S.LEAD_DATE, S.LINK_ID], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)  # fmt: skip


def weights_table(weights: TriageWeights = TRIAGE_WEIGHTS) -> dict[str, float]:
    """The weights as a plain dict (printed with the queue so the score can be checked by hand)."""
    return {key: float(value) for key, value in asdict(weights).items()}
