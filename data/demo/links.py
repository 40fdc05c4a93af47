"""NIBIN links between the synthetic shootings (and from test fires to scenes).

Within a series each later shooting gets a lead to one earlier shooting
(usually the previous one, sometimes an older one), so series are trees; a
few later shootings get a second lead (extra edges). A share of leads is
confirmed by an examiner some weeks later: that is a second row (status
``hit``, same lead number, its own link id). Leads on the most recent
shootings may still be ``pending``; a few leads between shootings of
different guns were ``excluded``. Recovered series guns get test-fire links
to the scenes (``incident_b`` empty, ``firearm_id`` set).

The number of rows is exact whenever the incidents allow it: the series are
drawn with some surplus, whole series are dropped at random until their rows
fit, and the remainder is made of excluded leads. (Asking for far more links
than incidents therefore gives mostly excluded leads; a handful of incidents
cannot give more than a handful of links.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S
from data.demo._places import AGENCIES, CENTRAL_SITE
from data.demo.evidence import Evidence, Firearms, padded_ids
from data.demo.incidents import NS_PER_DAY, IncidentDraw
from geo.cities import DEFAULT_CITIES

LINKS_PER_INCIDENT = 0.5
ROWS_PER_LINKED_INCIDENT = 1.4  # measured: link rows per incident offered to a series
EXCLUDED_SHARE = 0.02
CHAIN_SHARE = 0.55  # a later shooting's lead goes to the previous one (else to any earlier one)
EXTRA_EDGE_SHARE = 0.25
CENTRAL_REVIEW_SHARE = 0.4
HIT_SHARE = 0.5
TEST_FIRE_HIT_SHARE = 0.65
TEST_FIRE_EXTRA_SCENE_SHARE = 0.25
PENDING_WINDOW_DAYS = 60
PENDING_SHARE = 0.6
CONFIRM_HORIZON_DAYS = 90  # hits confirmed up to this long after the period are included
COUNTS = (np.array([1, 2, 3]), np.array([0.75, 0.18, 0.07]))
LEAD, HIT, PENDING, EXCLUDED = (
    S.LINK_STATUSES.index(name) for name in ("lead", "hit", "pending", "excluded")
)
NOTES = {
    LEAD: "Unconfirmed lead (synthetic demo)",
    HIT: "Examiner-confirmed (synthetic demo)",
    PENDING: "Awaiting correlation review (synthetic demo)",
    EXCLUDED: "Not confirmed by examiner (synthetic demo)",
}


def default_links(incidents: int) -> int:
    """Number of link rows when none is asked for: about half a link per incident.

    Examples
    --------
    >>> default_links(1_000_000)
    500000
    """
    return round(LINKS_PER_INCIDENT * incidents)


def linked_share_for(links: int, eligible: int) -> float:
    """Share of incidents with casings to offer to series so the series overshoot ``links`` a little."""
    if eligible == 0:
        return 0.0
    return float(min(0.9, 1.15 * links / (ROWS_PER_LINKED_INCIDENT * eligible)))


def _review_days(rng: np.random.Generator, count: int) -> np.ndarray:
    return np.minimum(60.0, 0.5 + rng.lognormal(np.log(1.5), 1.0, count))


def _lead_day(draw: IncidentDraw, later: np.ndarray, ready_ns: np.ndarray) -> np.ndarray:
    """Local date (days since epoch) of a lead issued at ``ready_ns`` (the day after the shooting at best)."""
    issued = (draw.local_ns[later] + (ready_ns - draw.occurred_ns[later])) // NS_PER_DAY
    return np.maximum(draw.local_day[later] + 1, issued)


def _site(rng: np.random.Generator, draw: IncidentDraw, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Site code per lead: the later shooting's city, or the central review (always across cities)."""
    central = (draw.city[a] != draw.city[b]) | (rng.random(a.size) < CENTRAL_REVIEW_SHARE)
    return np.where(central, len(DEFAULT_CITIES), draw.city[b])


def with_hits(
    rng: np.random.Generator, rows: dict[str, np.ndarray], share: float, *, end_day: int
) -> dict[str, np.ndarray]:
    """Append a hit row (same lead, later confirmation date) for a share of lead rows."""
    leads = rows["status"] == LEAD
    lag = np.minimum(300, rng.lognormal(np.log(18), 0.8, leads.size)).astype(np.int64)
    confirm = rows["lead_day"] + 3 + lag
    hit = leads & (rng.random(leads.size) < share) & (confirm <= end_day + CONFIRM_HORIZON_DAYS)
    hits = {key: value[hit] for key, value in rows.items()}
    hits["status"] = np.full(int(hit.sum()), HIT)
    hits["confirmed_day"] = confirm[hit]
    hits["key"] = rows["key"][hit]
    return {key: np.concatenate([rows[key], hits[key]]) for key in rows}


def series_rows(
    rng: np.random.Generator,
    draw: IncidentDraw,
    series: np.ndarray,
    members: np.ndarray,
    starts: np.ndarray,
    evidence: Evidence,
    *,
    end_day: int,
) -> dict[str, np.ndarray]:
    """Lead, hit and pending rows between the shootings of each series."""
    sizes = np.diff(np.append(starts, members.size)).astype(np.int64)
    position = np.arange(members.size) - np.repeat(starts, sizes)
    later_rows = np.flatnonzero(position >= 1)
    step = position[later_rows]
    parent = np.where(rng.random(step.size) < CHAIN_SHARE, step - 1, np.floor(rng.random(step.size) * step))
    extra_rows = later_rows[(step >= 2) & (rng.random(step.size) < EXTRA_EDGE_SHARE)]
    extra_step = position[extra_rows]
    extra = np.floor(rng.random(extra_rows.size) * extra_step).astype(np.int64)
    parent_of_extra = parent[np.searchsorted(later_rows, extra_rows)]
    fresh = extra != parent_of_extra
    child = members[np.concatenate([later_rows, extra_rows[fresh]])]
    earlier = members[np.concatenate([later_rows - step + parent.astype(np.int64),
                                      extra_rows[fresh] - extra_step[fresh] + extra[fresh]])]
    rows = _incident_pairs(rng, draw, earlier, child, evidence, end_day=end_day, pending=True)
    rows["series"] = series[child]
    return rows


def _incident_pairs(
    rng: np.random.Generator,
    draw: IncidentDraw,
    earlier: np.ndarray,
    later: np.ndarray,
    evidence: Evidence,
    *,
    end_day: int,
    pending: bool,
) -> dict[str, np.ndarray]:
    ev_early, ev_late = evidence.primary[earlier], evidence.primary[later]
    ready = np.maximum(evidence.entered_ns[ev_early], evidence.entered_ns[ev_late])
    ready = ready + (_review_days(rng, later.size) * NS_PER_DAY).astype(np.int64)
    lead_day = _lead_day(draw, later, ready)
    status = np.full(later.size, LEAD)
    if pending:
        recent = draw.local_day[later] > end_day - PENDING_WINDOW_DAYS
        status[recent & (rng.random(later.size) < PENDING_SHARE)] = PENDING
    swap = earlier > later  # normalise incident_a < incident_b (row order is id order)
    return {
        "a": np.where(swap, later, earlier),
        "b": np.where(swap, earlier, later),
        "firearm": np.full(later.size, -1),
        "ev_a": np.where(swap, ev_late, ev_early),
        "ev_b": np.where(swap, ev_early, ev_late),
        "status": status,
        "lead_day": np.where(status == PENDING, -1, lead_day),
        "confirmed_day": np.full(later.size, -1),
        "site": _site(rng, draw, earlier, later),
        "count": rng.choice(COUNTS[0], size=later.size, p=COUNTS[1]),
        "series": np.full(later.size, -1),
        "key": np.arange(later.size),
    }


def firearm_rows(
    rng: np.random.Generator,
    draw: IncidentDraw,
    members: np.ndarray,
    starts: np.ndarray,
    evidence: Evidence,
    firearms: Firearms,
) -> dict[str, np.ndarray]:
    """Leads from each recovered series gun's test fire to its last scene (and some earlier ones)."""
    sizes = np.diff(np.append(starts, members.size)).astype(np.int64)
    closing = np.flatnonzero(firearms.series >= 0)
    series = firearms.series[closing]
    counts = sizes[series]
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    firearm = np.repeat(closing, counts)
    scene = members[np.repeat(starts[series], counts) + offset]
    keep = (offset == np.repeat(counts, counts) - 1) | (rng.random(offset.size) < TEST_FIRE_EXTRA_SCENE_SHARE)
    firearm, scene = firearm[keep], scene[keep]
    ev_scene, ev_test = evidence.primary[scene], evidence.test_fire[firearm]
    ready = np.maximum(evidence.entered_ns[ev_scene], evidence.entered_ns[ev_test])
    ready = ready + (_review_days(rng, scene.size) * NS_PER_DAY).astype(np.int64)
    return {
        "a": scene,
        "b": np.full(scene.size, -1),
        "firearm": firearm,
        "ev_a": ev_scene,
        "ev_b": ev_test,
        "status": np.full(scene.size, LEAD),
        "lead_day": _lead_day(draw, scene, ready),
        "confirmed_day": np.full(scene.size, -1),
        "site": _site(rng, draw, scene, scene),
        "count": np.ones(scene.size, dtype=np.int64),
        "series": firearms.series[firearm],
        "key": np.arange(scene.size),
    }


def excluded_rows(
    rng: np.random.Generator,
    draw: IncidentDraw,
    series: np.ndarray,
    eligible: np.ndarray,
    evidence: Evidence,
    count: int,
    *,
    end_day: int,
) -> dict[str, np.ndarray]:
    """Leads between shootings of different guns (same city, close in time) that an examiner excluded."""
    pool = np.flatnonzero(eligible)
    if pool.size < 2 or count <= 0:
        return _incident_pairs(rng, draw, pool[:0], pool[:0], evidence, end_day=end_day, pending=False)
    first = rng.integers(0, pool.size, size=3 * count + 32)
    second = np.minimum(pool.size - 1, first + rng.integers(1, 30, size=first.size))
    a, b = pool[first], pool[second]
    fine = (a != b) & (draw.city[a] == draw.city[b]) & ((series[a] != series[b]) | (series[a] < 0))
    pairs = np.unique(np.stack([a[fine], b[fine]], axis=1), axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:count]]
    rows = _incident_pairs(rng, draw, pairs[:, 0], pairs[:, 1], evidence, end_day=end_day, pending=False)
    rows["status"] = np.full(len(pairs), EXCLUDED)
    return rows


def fit_to(rng: np.random.Generator, series_of_row: np.ndarray, budget: int) -> np.ndarray:
    """Return a mask over rows keeping whole series (in random order) while their rows fit ``budget``.

    Examples
    --------
    >>> fit_to(np.random.default_rng(0), np.array([0, 0, 1, 2, 2, 2]), 3).tolist()
    [False, False, False, True, True, True]
    """
    n_series = int(series_of_row.max()) + 1 if series_of_row.size else 0
    per_series = np.bincount(series_of_row, minlength=n_series)
    order = rng.permutation(n_series)
    kept = np.zeros(n_series, dtype=bool)
    kept[order[np.cumsum(per_series[order]) <= budget]] = True
    return kept[series_of_row] if series_of_row.size else np.zeros(0, dtype=bool)


def links_frame(
    draw: IncidentDraw, rows: dict[str, np.ndarray], evidence: Evidence, firearms: Firearms
) -> pd.DataFrame:
    """Turn link rows into the links frame: ids, lead numbers, dates, sites, notes."""
    lead_day, status = rows["lead_day"], rows["status"]
    order = np.lexsort((rows["confirmed_day"], np.where(lead_day < 0, np.iinfo(np.int64).max, lead_day)))
    rows = {key: value[order] for key, value in rows.items()}
    lead_day, status = rows["lead_day"], rows["status"]
    numbered = (status == LEAD) | (status == EXCLUDED)
    year = lead_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    sequence = np.zeros(status.size, dtype=np.int64)
    for value in np.unique(year[numbered]):
        in_year = numbered & (year == value)
        sequence[in_year] = np.arange(1, int(in_year.sum()) + 1)
    by_key = np.zeros(int(rows["key"].max()) + 1 if status.size else 0, dtype=np.int64)
    by_key[rows["key"][numbered]] = sequence[numbered]
    is_hit = status == HIT
    sequence[is_hit] = by_key[rows["key"][is_hit]]
    has_number = numbered | is_hit
    lead_number = pd.Series(pd.NA, index=range(status.size), dtype="string")
    if has_number.any():
        lead_number[has_number] = (
            "NIBIN-L-" + pd.Series(year[has_number]).astype(str) + "-"
            + pd.Series(sequence[has_number]).astype(str).str.zfill(6)
        ).to_numpy()

    def days(values: np.ndarray) -> pd.Series:
        stamps = (values * NS_PER_DAY).astype("datetime64[ns]")
        stamps[values < 0] = np.datetime64("NaT")
        return pd.Series(stamps, dtype="datetime64[ns]")

    incident_ids = draw.frame[S.INCIDENT_ID].array
    evidence_ids = evidence.frame[S.EVIDENCE_ID].array
    firearm_ids = firearms.frame[S.FIREARM_ID].array

    def lookup(ids: pd.api.extensions.ExtensionArray, index: np.ndarray) -> pd.api.extensions.ExtensionArray:
        """Ids at ``index``; ``-1`` gives <NA>."""
        return ids.take(index, allow_fill=True)

    calibers = evidence.frame[S.CALIBER].astype("string").array
    sites = np.array([AGENCIES[city.name].site for city in DEFAULT_CITIES] + [CENTRAL_SITE], dtype=object)
    notes = np.array([NOTES[code] for code in range(len(S.LINK_STATUSES))], dtype=object)
    frame = pd.DataFrame(
        {
            S.LINK_ID: padded_ids("L-", np.arange(1, status.size + 1), width=8),
            S.INCIDENT_A: lookup(incident_ids, rows["a"]),
            S.INCIDENT_B: lookup(incident_ids, rows["b"]),
            S.FIREARM_ID: lookup(firearm_ids, rows["firearm"]),
            S.EVIDENCE_A: lookup(evidence_ids, rows["ev_a"]),
            S.EVIDENCE_B: lookup(evidence_ids, rows["ev_b"]),
            S.STATUS: pd.Categorical.from_codes(status, categories=list(S.LINK_STATUSES)),
            S.LEAD_NUMBER: lead_number,
            S.LEAD_DATE: days(lead_day),
            S.CONFIRMED_DATE: days(rows["confirmed_day"]),
            S.SITE: pd.array(sites[rows["site"]], dtype="string"),
            # a lead report names the calibre of the casings it compared
            S.CALIBER: pd.array(lookup(calibers, rows["ev_a"]), dtype="string"),
            S.ASSOCIATION_COUNT: rows["count"].astype(np.int64),
            S.NOTE: pd.array(notes[status], dtype="string"),
            S.IS_SYNTHETIC: np.ones(status.size, dtype=bool),
        }
    )
    return frame[list(S.LINK_SCHEMA.names)]
