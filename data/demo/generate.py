"""``generate_demo``: the whole synthetic data set, deterministic for a seed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S
from data.demo import links as link_rows
from data.demo.evidence import draw_calibers, draw_evidence, draw_firearms
from data.demo.geography import boundaries_frame
from data.demo.incidents import NS_PER_DAY, YEARS, generate_incidents, plan_counts
from data.demo.series import cross_city, draw_casings, form_series, members_by_series
from data.errors import BrassmapError


class DemoError(BrassmapError, ValueError):
    """A demo-data option is out of range (the message names the option, value and fix)."""


def _check_count(name: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise DemoError(
            f"demo data option {name}={value!r}: expected a whole number >= 0 "
            f"(or None for the default); pass e.g. {name}=50000"
        )


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    offset = 0
    keyed = []
    for part in parts:
        part = dict(part)
        part["key"] = part["key"] + offset
        offset += part["key"].size
        keyed.append(part)
    return {key: np.concatenate([part[key] for part in keyed]).astype(np.int64) for key in keyed[0]}


def generate_demo(
    *, seed: int = 2019, incidents: int | None = None, links: int | None = None
) -> dict[str, pd.DataFrame]:
    """Generate the synthetic seven-city demo data set (2019-2021).

    Parameters
    ----------
    seed : int, keyword-only
        Same seed, identical frames.
    incidents : int, optional, keyword-only
        Number of incidents. ``None`` gives realistic volumes per city and
        year (``geo.cities.DEFAULT_CITIES[i].shootings_per_year``, about 18 k
        in all); a number spreads that many over the same cities and years.
    links : int, optional, keyword-only
        Number of link rows (exact when the incidents allow it). ``None``
        gives about half a link per incident.

    Returns
    -------
    dict of str to DataFrame
        Keys ``S.INCIDENTS, S.EVIDENCE, S.FIREARMS, S.LINKS, S.BOUNDARIES``;
        columns are the schema fields of each kind; every row is synthetic.

    Raises
    ------
    DemoError
        When ``incidents`` or ``links`` is not a whole number >= 0.

    Examples
    --------
    >>> frames = generate_demo(incidents=2000)
    >>> len(frames["incidents"]), len(frames["links"])
    (2000, 1000)
    >>> bool(frames["incidents"]["is_synthetic"].all())
    True
    """
    _check_count("incidents", incidents)
    _check_count("links", links)
    stages = np.random.SeedSequence(seed).spawn(6)
    draw = generate_incidents(stages[0], plan_counts(incidents))
    n_incidents = draw.city.size
    target = link_rows.default_links(n_incidents) if links is None else int(links)
    end_day = int((np.datetime64(f"{YEARS[-1]}-12-31") - np.datetime64("1970-01-01")).astype(np.int64))
    end_ns = (end_day + 1) * NS_PER_DAY

    rng = np.random.default_rng(stages[1])
    guns_at_scene = draw_casings(rng, draw)
    eligible = guns_at_scene > 0
    share = link_rows.linked_share_for(target, int(eligible.sum()))
    series = form_series(rng, draw, eligible, linked_share=share)
    series = cross_city(rng, draw, series, eligible)
    members, starts = members_by_series(series, draw.occurred_ns)
    series_caliber = draw_calibers(rng, starts.size)

    rng = np.random.default_rng(stages[2])
    firearms = draw_firearms(rng, draw, members, starts, series_caliber, end_ns=end_ns)
    evidence = draw_evidence(rng, draw, guns_at_scene, series, series_caliber, firearms)

    rng = np.random.default_rng(stages[3])
    pair_rows = link_rows.series_rows(rng, draw, series, members, starts, evidence, end_day=end_day)
    fire_rows = link_rows.firearm_rows(rng, draw, members, starts, evidence, firearms)
    rows = _concat([
        link_rows.with_hits(rng, pair_rows, link_rows.HIT_SHARE, end_day=end_day),
        link_rows.with_hits(rng, fire_rows, link_rows.TEST_FIRE_HIT_SHARE, end_day=end_day),
    ])
    rng = np.random.default_rng(stages[4])
    kept = link_rows.fit_to(rng, rows["series"], target - round(link_rows.EXCLUDED_SHARE * target))
    rows = {key: value[kept] for key, value in rows.items()}
    kept_series = np.zeros(starts.size + 1, dtype=bool)  # the extra last entry stands for "no series"
    kept_series[rows["series"]] = True
    series = np.where(kept_series[series], series, -1)
    excluded = link_rows.excluded_rows(
        rng, draw, series, eligible, evidence, target - rows["a"].size, end_day=end_day
    )
    rows = _concat([rows, excluded])
    return {
        S.INCIDENTS: draw.frame,
        S.EVIDENCE: evidence.frame,
        S.FIREARMS: firearms.frame,
        S.LINKS: link_rows.links_frame(draw, rows, evidence, firearms),
        S.BOUNDARIES: boundaries_frame(),
    }
