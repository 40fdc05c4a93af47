"""Cut frames to what one user may receive: their cities and agencies, without sensitive fields for viewers.

Team mode applies :func:`restrict` once, where the dashboard loads the frames of a
page (``ui.loading``); everything computed from the result (series, selections,
maps, graphs, search, exports) then holds only incidents in scope. A user whose
scope names both cities and agencies sees the incidents that match both.

Rules
-----
- an incident is in scope when its city is one of the user's cities (if any are
  given) and its agency one of the user's agencies (if any);
- a firearm is in scope by its own city and agency, the same way;
- a link is kept when both its incidents are in scope; a test-fire link (no
  second incident) when its incident and its firearm are;
- a link with one end in scope and the other outside becomes an *outside link*:
  the incident in scope and the other side's agency, nothing more
  (:func:`outside_links`);
- evidence follows its incident (a test fire, its firearm); boundaries follow
  the cities of the scope (or, for agencies alone, the cities with incidents in scope);
- series are computed again over the cut frames, so a series id never names
  an incident outside the scope (ids are ``S-<first incident id>``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from data import schema as S
from data.access import User, can
from data.frames import Frames
from linking.registry import whole_series

OUTSIDE_NOTE = "linked to an incident outside your scope"
OUTSIDE_COLUMNS = (S.INCIDENT_ID, S.AGENCY)


def _in_scope(frame: pd.DataFrame, user: User) -> np.ndarray:
    """Rows of ``frame`` (with city and agency columns) inside the user's scope."""
    keep = np.ones(len(frame), dtype=bool)
    if user.cities:
        keep &= frame[S.CITY].astype("string").isin(user.cities).fillna(False).to_numpy(dtype=bool)
    if user.agencies:
        keep &= frame[S.AGENCY].astype("string").isin(user.agencies).fillna(False).to_numpy(dtype=bool)
    return keep


def _ids_in(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    return values.astype("string").isin(allowed.astype("string")).fillna(False).to_numpy(dtype=bool)


def _drop_unused(frame: pd.DataFrame) -> pd.DataFrame:
    """Forget city categories no row holds (a category list would name the cities outside the scope)."""
    if isinstance(frame[S.CITY].dtype, pd.CategoricalDtype):
        frame[S.CITY] = frame[S.CITY].cat.remove_unused_categories()
    return frame


def _blank_sensitive(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    columns = [c for c in S.SCHEMAS[kind].sensitive if c in frame.columns]
    if not columns:
        return frame
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.array([pd.NA] * len(frame), dtype="string")
    return frame


def restrict(frames: Frames, user: User) -> Frames:
    """Return ``frames`` cut to ``user``'s scope, sensitive fields blanked below analyst (input unchanged).

    An unscoped analyst or admin gets ``frames`` itself (the shared, cached object).
    """
    blank = not can(user, "analyst")
    if not user.is_scoped and not blank:
        return frames
    incidents, links, evidence, firearms = frames.incidents, frames.links, frames.evidence, frames.firearms
    if user.is_scoped:
        incidents = _drop_unused(incidents[_in_scope(incidents, user)].reset_index(drop=True))
        firearms = _drop_unused(firearms[_in_scope(firearms, user)].reset_index(drop=True))
        kept_ids, gun_ids = incidents[S.INCIDENT_ID], firearms[S.FIREARM_ID]
        a_in = _ids_in(links[S.INCIDENT_A], kept_ids)
        b_missing = links[S.INCIDENT_B].isna().to_numpy(dtype=bool)
        b_in = _ids_in(links[S.INCIDENT_B], kept_ids)
        gun_in = _ids_in(links[S.FIREARM_ID], gun_ids) if S.FIREARM_ID in links.columns else b_missing & False
        links = links[a_in & np.where(b_missing, gun_in, b_in)].reset_index(drop=True)
        from_incident = _ids_in(evidence[S.INCIDENT_ID], kept_ids)
        test_fire = evidence[S.INCIDENT_ID].isna().to_numpy(dtype=bool)
        from_gun = test_fire & _ids_in(evidence[S.FIREARM_ID], gun_ids)
        evidence = evidence[from_incident | from_gun].reset_index(drop=True)
    boundaries = frames.boundaries
    if user.is_scoped and len(boundaries):
        cities = set(user.cities) or set(incidents[S.CITY].astype("string").dropna())
        if user.cities and user.agencies:
            cities &= set(incidents[S.CITY].astype("string").dropna())
        keep = boundaries[S.CITY].astype("string").isin(sorted(cities)).fillna(False).to_numpy(dtype=bool)
        boundaries = boundaries[keep].reset_index(drop=True)
    if blank:
        incidents = _blank_sensitive(incidents, S.INCIDENTS)
        firearms = _blank_sensitive(firearms, S.FIREARMS)
        links = _blank_sensitive(links, S.LINKS)
        evidence = _blank_sensitive(evidence, S.EVIDENCE)
    cut = replace(
        frames, incidents=incidents, links=links, evidence=evidence, firearms=firearms, boundaries=boundaries,
        link_rows=None, series=None,
    )  # fmt: skip
    if not user.is_scoped:  # same rows: the series (and their stable ids) stay
        return replace(cut, link_rows=frames.link_rows, series=frames.series)
    return replace(cut, series=whole_series(cut))


def outside_links(frames: Frames, user: User) -> pd.DataFrame:
    """Links from an incident in scope to one (or a firearm) outside it: the incident and the other agency.

    Returns
    -------
    DataFrame
        ``incident_id`` (in scope) and ``agency`` (of the incident or firearm outside), one row per pair,
        sorted; empty for a user without a scope. Nothing else about the far side is given.
    """
    if not user.is_scoped or not len(frames.links):
        return pd.DataFrame({c: pd.Series(dtype="string") for c in OUTSIDE_COLUMNS})
    incidents, firearms, links = frames.incidents, frames.firearms, frames.links
    inside = incidents[S.INCIDENT_ID][_in_scope(incidents, user)]
    agency_of = pd.Series(incidents[S.AGENCY].astype("string").to_numpy(),
                          index=incidents[S.INCIDENT_ID].astype("string").to_numpy())  # fmt: skip
    gun_agency = pd.Series(firearms[S.AGENCY].astype("string").to_numpy(),
                           index=firearms[S.FIREARM_ID].astype("string").to_numpy())  # fmt: skip
    guns_in = firearms[S.FIREARM_ID][_in_scope(firearms, user)]
    a_in, b_in = _ids_in(links[S.INCIDENT_A], inside), _ids_in(links[S.INCIDENT_B], inside)
    b_missing = links[S.INCIDENT_B].isna().to_numpy(dtype=bool)
    has_gun = links[S.FIREARM_ID].notna().to_numpy(dtype=bool)
    gun_out = b_missing & has_gun & ~_ids_in(links[S.FIREARM_ID], guns_in)
    rows: list[tuple[str, object]] = []
    a_ids, b_ids = links[S.INCIDENT_A].astype("string"), links[S.INCIDENT_B].astype("string")
    guns = links[S.FIREARM_ID].astype("string")
    for i in np.flatnonzero(a_in & ~b_in & ~b_missing):
        rows.append((a_ids.iat[i], agency_of.get(b_ids.iat[i])))
    for i in np.flatnonzero(b_in & ~a_in):
        rows.append((b_ids.iat[i], agency_of.get(a_ids.iat[i])))
    for i in np.flatnonzero(a_in & gun_out):
        rows.append((a_ids.iat[i], gun_agency.get(guns.iat[i])))
    out = pd.DataFrame(rows, columns=list(OUTSIDE_COLUMNS)).astype("string")
    out[S.AGENCY] = out[S.AGENCY].fillna("an unnamed agency")
    return out.drop_duplicates().sort_values(list(OUTSIDE_COLUMNS)).reset_index(drop=True)
