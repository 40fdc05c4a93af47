"""Link lines for the map: one line per ballistic link, lead dashed and hit solid (pure).

End points are looked up by incident id (and by firearm id for a test-fire
link). Everything from data is escaped once here, like :mod:`geo.layers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from geo.escape import escape_text
from geo.layers import TEXT_LIMIT, PopupField, coordinates_of, encode_column, finite_points
from geo.palette import LINK_STYLES

LINK_FIELDS: tuple[PopupField, ...] = (
    PopupField("Status", S.STATUS, lookup=True),
    PopupField("Between", "__between__"),
    PopupField("Lead number", S.LEAD_NUMBER),
    PopupField("Lead date", S.LEAD_DATE),
    PopupField("Confirmed", S.CONFIRMED_DATE),
    PopupField("Site", S.SITE, lookup=True),
    PopupField("Associations", S.ASSOCIATION_COUNT),
)
_STATUS_ORDER = {status: rank for rank, status in enumerate(("hit", "lead", "pending", "excluded"))}


@dataclass(frozen=True)
class LinkLines:
    """Link lines ready to draw, and what could not be drawn."""

    payload: dict[str, Any]
    drawn: int
    total: int
    unplaced: int
    statuses: tuple[str, ...]


def _places(
    ids: pd.Series, lons: np.ndarray, lats: np.ndarray, wanted: set[str]
) -> dict[str, tuple[float, float]]:
    """``{id: (lon, lat)}`` for the rows whose id is in ``wanted`` (the first row wins).

    Only the wanted ids are hashed (``isin`` against a small set), so looking up
    a few thousand link ends among a million incidents stays cheap.
    """
    if not wanted:
        return {}
    text = ids.astype("string")
    rows = np.flatnonzero(text.isin(list(wanted)).to_numpy(dtype=bool, na_value=False))
    places: dict[str, tuple[float, float]] = {}
    for row, key in zip(rows.tolist(), text.iloc[rows].tolist(), strict=True):
        places.setdefault(key, (float(lons[row]), float(lats[row])))
    return places


def _texts(column: pd.Series, rows: np.ndarray) -> list[str | None]:
    return [None if value is pd.NA else value for value in column.iloc[rows].tolist()]


def link_payload(
    links: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    firearms: pd.DataFrame | None = None,
    selected_series_id: str | None = None,
    max_links: int = 2_500,
) -> LinkLines:
    """Payload for ``brassmap.links``: one line per link, lead dashed and hit solid.

    End points are looked up by incident id (and by firearm id for a test-fire
    link whose ``incident_b`` is empty). Above ``max_links`` the selected
    series' links are kept first, then hits, then leads, pending, excluded.
    Links are examined in that order until ``max_links`` are placed; those
    examined with an end that has no place on the map are counted in
    ``unplaced`` (every link is examined when fewer than ``max_links`` are drawn).
    """
    points = finite_points(incidents)
    lons, lats = coordinates_of(points)
    point_ids = points[S.INCIDENT_ID]
    end_a = links[S.INCIDENT_A].astype("string")
    if S.INCIDENT_B in links.columns:
        end_b = links[S.INCIDENT_B].astype("string")
    else:
        end_b = pd.Series(pd.NA, index=links.index, dtype="string")
    if S.FIREARM_ID in links.columns:
        gun_ids = links[S.FIREARM_ID].astype("string")
    else:
        gun_ids = pd.Series(pd.NA, index=links.index, dtype="string")
    guns = None
    if firearms is not None and len(firearms) and S.FIREARM_ID in firearms.columns:
        guns = finite_points(firearms)
        gun_lons, gun_lats = coordinates_of(guns)
    status = links[S.STATUS].astype("string").fillna("lead")
    rank = status.map(lambda v: _STATUS_ORDER.get(v, 9)).to_numpy()
    if selected_series_id is not None and S.SERIES_ID in points.columns:
        members = point_ids.loc[
            (points[S.SERIES_ID].astype("string") == str(selected_series_id)).fillna(False)
        ]
        in_series = end_a.isin(members.astype("string").tolist()).to_numpy(dtype=bool, na_value=False)
        rank = np.where(in_series, -1, rank)
    ranked = np.argsort(rank, kind="stable")

    chosen_rows: list[int] = []
    ends: list[tuple[float, float, float, float]] = []
    unplaced = 0
    start, window = 0, max(2 * max_links, 64)
    while len(chosen_rows) < max_links and start < ranked.size:
        batch = ranked[start : start + window]
        start += window
        window *= 2
        batch_a, batch_b, batch_guns = _texts(end_a, batch), _texts(end_b, batch), _texts(gun_ids, batch)
        places = _places(point_ids, lons, lats, {k for k in batch_a + batch_b if k is not None})
        gun_places: dict[str, tuple[float, float]] = {}
        if guns is not None:
            wanted_guns = {g for g, b in zip(batch_guns, batch_b, strict=True) if g is not None and b is None}
            gun_places = _places(guns[S.FIREARM_ID], gun_lons, gun_lats, wanted_guns)
        for row, a, b, gun in zip(batch.tolist(), batch_a, batch_b, batch_guns, strict=True):
            here = places.get(a) if a is not None else None
            there = places.get(b) if b is not None else (gun_places.get(gun) if gun is not None else None)
            if here is None or there is None:
                unplaced += 1
                continue
            chosen_rows.append(row)
            ends.append((*here, *there))
            if len(chosen_rows) == max_links:
                break
    order = np.asarray(chosen_rows, dtype="int64")
    chosen = links.iloc[order]
    coords = np.asarray(ends, dtype="float64").reshape(-1, 4).round(5)
    statuses = tuple(dict.fromkeys(status.iloc[order].tolist()))
    style_keys = list(LINK_STYLES)
    styles = [[LINK_STYLES[k][0], LINK_STYLES[k][1], 3 if k == "hit" else 2.5] for k in style_keys]
    lead_code = style_keys.index("lead")
    drawn_status = status.iloc[order].tolist()
    status_codes = [style_keys.index(v) if v in style_keys else lead_code for v in drawn_status]
    far_label = end_b.iloc[order].fillna("firearm " + gun_ids.iloc[order]).fillna("?")
    between = end_a.iloc[order] + " \u2194 " + far_label
    frame = chosen.assign(__between__=between.to_numpy())
    encoded = [c for f in LINK_FIELDS if (c := encode_column(frame, f, TEXT_LIMIT)) is not None]
    payload = {
        "title": escape_text("Ballistic link (NIBIN)"),
        "coords": coords.ravel().tolist(),
        "status": status_codes,
        "styles": styles,
        "fields": encoded,
    }
    return LinkLines(
        payload=payload,
        drawn=len(order),
        total=len(links),
        unplaced=unplaced,
        statuses=statuses,
    )
