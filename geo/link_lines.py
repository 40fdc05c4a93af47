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
    link whose ``incident_b`` is empty). Links with an end that has no place
    on the map are counted in ``unplaced``. Above ``max_links`` the selected
    series' links are kept first, then hits, then leads, pending, excluded.
    """
    points = finite_points(incidents)
    lons, lats = coordinates_of(points)
    where = pd.DataFrame({"lon": lons, "lat": lats}, index=points[S.INCIDENT_ID].astype("string").to_numpy())
    where = where.loc[~where.index.duplicated()]
    if firearms is not None and len(firearms) and S.FIREARM_ID in firearms.columns:
        placed = finite_points(firearms)
        f_lons, f_lats = coordinates_of(placed)
        gun_where = pd.DataFrame(
            {"lon": f_lons, "lat": f_lats}, index=placed[S.FIREARM_ID].astype("string").to_numpy()
        )
        gun_where = gun_where.loc[~gun_where.index.duplicated()]
    else:
        gun_where = pd.DataFrame({"lon": [], "lat": []}, index=pd.Index([], dtype="string"))
    end_a = links[S.INCIDENT_A].astype("string")
    if S.INCIDENT_B in links.columns:
        end_b = links[S.INCIDENT_B].astype("string")
    else:
        end_b = pd.Series(pd.NA, index=links.index, dtype="string")
    a = where.reindex(end_a.to_numpy())
    b = where.reindex(end_b.to_numpy())
    if S.FIREARM_ID in links.columns:
        guns = gun_where.reindex(links[S.FIREARM_ID].astype("string").to_numpy())
        missing_b = b["lon"].isna().to_numpy()
        b.loc[missing_b, ["lon", "lat"]] = guns.loc[missing_b, ["lon", "lat"]].to_numpy()
    placed_mask = a["lon"].notna().to_numpy() & b["lon"].notna().to_numpy()  # positions, not labels
    status = links[S.STATUS].astype("string").fillna("lead")
    rank = status.map(lambda v: _STATUS_ORDER.get(v, 9)).to_numpy()
    if selected_series_id is not None and S.SERIES_ID in incidents.columns:
        ids = incidents[S.INCIDENT_ID].astype("string").to_numpy()
        series_of = pd.Series(incidents[S.SERIES_ID].astype("string").to_numpy(), index=ids)
        series_of = series_of.loc[~series_of.index.duplicated()]
        in_series = series_of.reindex(end_a.to_numpy()) == str(selected_series_id)
        rank = np.where(in_series.fillna(False).to_numpy(dtype=bool), -1, rank)
    order = np.argsort(rank, kind="stable")
    order = order[placed_mask[order]][:max_links]
    chosen = links.iloc[order]
    coords = np.column_stack(
        [
            a["lon"].to_numpy("float64")[order],
            a["lat"].to_numpy("float64")[order],
            b["lon"].to_numpy("float64")[order],
            b["lat"].to_numpy("float64")[order],
        ]
    ).round(5)
    statuses = tuple(dict.fromkeys(status.iloc[order].tolist()))
    style_keys = list(LINK_STYLES)
    styles = [[LINK_STYLES[k][0], LINK_STYLES[k][1], 3 if k == "hit" else 2.5] for k in style_keys]
    lead_code = style_keys.index("lead")
    drawn_status = status.iloc[order].tolist()
    status_codes = [style_keys.index(v) if v in style_keys else lead_code for v in drawn_status]
    far_label = end_b.copy()
    if S.FIREARM_ID in links.columns:
        far_label = far_label.fillna("firearm " + links[S.FIREARM_ID].astype("string"))
    between = (end_a + " \u2194 " + far_label.fillna("?")).iloc[order]
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
        unplaced=int((~placed_mask).sum()),
        statuses=statuses,
    )
