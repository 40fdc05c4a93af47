"""One series in detail: map with its path, chronological lane, incidents and links."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data import schema as S
from geo.palette import LINK_STYLES, series_colour
from linking.counting import LinkCounts, count_links
from linking.selection import Selection
from ui.context import PageContext
from ui.map_view import map_ui
from ui.text import md

INCIDENT_COLUMNS: tuple[str, ...] = (
    S.INCIDENT_ID, S.LOCAL_TIME, S.CITY, S.INCIDENT_TYPE, S.KILLED, S.INJURED, S.AGENCY, S.CASE_NUMBER,
    S.ADDRESS, S.CALIBER, S.FAR_FROM_CITY,
)  # fmt: skip
LINK_COLUMNS: tuple[str, ...] = (
    S.LINK_ID, S.INCIDENT_A, S.INCIDENT_B, S.FIREARM_ID, S.STATUS, S.LEAD_NUMBER, S.LEAD_DATE,
    S.CONFIRMED_DATE, S.SITE, S.ASSOCIATION_COUNT,
)  # fmt: skip


def series_members(selection: Selection, series_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the series' incidents in time order and its links in lead-date order."""
    incidents = selection.incidents
    members = incidents[incidents[S.SERIES_ID] == series_id].sort_values([S.OCCURRED_AT, S.INCIDENT_ID])
    ids = set(members[S.INCIDENT_ID].astype(str))
    links = selection.links
    side_a = links[S.INCIDENT_A].astype("string").isin(ids)
    side_b = links[S.INCIDENT_B].astype("string").isin(ids)
    member_links = links[side_a & (side_b | links[S.INCIDENT_B].isna())]
    return members, member_links.sort_values([S.LEAD_DATE, S.LINK_ID], na_position="last")


def drilldown_counts(selection: Selection, series_id: str) -> LinkCounts:
    """The leads and hits the drill-down shows for a series (the one rule, :mod:`linking.counting`)."""
    _, member_links = series_members(selection, series_id)
    return count_links(member_links)


def timeline_chart(members: pd.DataFrame, series_id: str) -> alt.Chart:
    """A chronological lane: one dot per shooting at its local time, joined in time order."""
    lane = pd.DataFrame(
        {
            "when": pd.to_datetime(members[S.LOCAL_TIME]),
            "incident": members[S.INCIDENT_ID].astype(str),
            "type": members[S.INCIDENT_TYPE].astype(str).map(S.INCIDENT_TYPE_LABELS),
            "city": members[S.CITY].astype(str),
            "stop": range(1, len(members) + 1),
        }
    )
    base = alt.Chart(lane).encode(
        x=alt.X("when:T", title="Local date and time"),
        y=alt.Y("city:N", title=None),
    )
    path = base.mark_line(color=series_colour(series_id), strokeWidth=2, opacity=0.6).encode(order="stop:Q")
    dots = base.mark_circle(size=140, color=series_colour(series_id), opacity=1).encode(
        tooltip=[
            alt.Tooltip("stop:Q", title="#"),
            alt.Tooltip("incident:N", title="Incident"),
            alt.Tooltip("when:T", title="When", format="%Y-%m-%d %H:%M"),
            alt.Tooltip("type:N", title="Type"),
            alt.Tooltip("city:N", title="City"),
        ]
    )
    labels = base.mark_text(dy=-14, fontSize=11).encode(text="stop:Q")
    return (path + dots + labels).properties(height=160, title=f"Series {series_id}: shootings in time order")


def _flags(row: pd.Series) -> list[str]:
    flags = []
    if bool(row.get(S.CROSS_CITY, False)):
        flags.append(f"crosses cities ({md(row.get(S.CITIES, ''))})")
    if bool(row.get(S.CROSS_AGENCY, False)):
        flags.append(f"crosses agencies ({md(row.get(S.AGENCIES, ''))})")
    if bool(row.get(S.HAS_FIREARM, False)):
        flags.append(f"ends at a recovered firearm ({md(row.get(S.FIREARM_IDS, ''))})")
    return flags


def drilldown_ui(selection: Selection, series_id: str, *, tiles: bool, db_url: str) -> None:
    """Draw the picked series: flags, map with path, timeline, incidents and links tables."""
    table = selection.series
    row = table[table[S.SERIES_ID] == series_id].iloc[0]
    members, member_links = series_members(selection, series_id)
    st.subheader(f"Series {md(series_id)}")
    counted = drilldown_counts(selection, series_id)  # the one rule: the series table counts the same
    leads, hits = counted.leads, counted.hits
    first, last = pd.Timestamp(row[S.FIRST_DATE]), pd.Timestamp(row[S.LAST_DATE])
    st.markdown(
        f"**{len(members)} shootings** from {first:%d %b %Y} to {last:%d %b %Y} · "
        f"**{hits} hits** (examiner-confirmed, solid lines) · **{leads} leads** (unconfirmed, dashed lines)"
    )
    flags = _flags(row)
    if flags:
        st.warning("This series " + "; ".join(flags) + ".", icon=":material/flag:")
    st.caption(S.LEAD_DISCLAIMER)
    left, right = st.columns([3, 2])
    with left:
        map_ui(
            selection,
            db_url=db_url,
            series_id=series_id,
            tiles=tiles,
            key="drilldown_map",
            height=420,
            pickable=False,
            fit_to_points=True,
        )
    with right:
        st.altair_chart(timeline_chart(members, series_id), width="stretch")
        path = " → ".join(members[S.INCIDENT_ID].astype(str))
        st.caption(f"Path in time order: {md(path)}")
    st.markdown("**Incidents**")
    incidents_shown = members[[c for c in INCIDENT_COLUMNS if c in members.columns]].copy()
    incidents_shown[S.INCIDENT_TYPE] = incidents_shown[S.INCIDENT_TYPE].astype("string").map(
        lambda value: S.INCIDENT_TYPE_LABELS.get(value, value)
    )
    st.dataframe(
        incidents_shown,
        hide_index=True,
        width="stretch",
        column_config={
            S.LOCAL_TIME: st.column_config.DatetimeColumn("Local time", format="YYYY-MM-DD HH:mm")
        },
    )
    st.markdown("**Links** (lead numbers, dates, statuses)")
    links_shown = member_links[[c for c in LINK_COLUMNS if c in member_links.columns]].copy()
    links_shown[S.STATUS] = (
        links_shown[S.STATUS]
        .astype("string")
        .map(lambda status: LINK_STYLES.get(status, ("", None, status))[2])
    )
    st.dataframe(
        links_shown,
        hide_index=True,
        width="stretch",
        column_config={
            S.LEAD_DATE: st.column_config.DateColumn("Lead date"),
            S.CONFIRMED_DATE: st.column_config.DateColumn("Confirmed"),
        },
    )


def drilldown_section(ctx: PageContext) -> None:
    """Draw the drill-down of the picked series, or a hint when none is picked."""
    if ctx.series_id is None:
        st.info(
            "Pick a series (table row, graph node, map incident or the selector above) to see it in detail."
        )
        return
    drilldown_ui(ctx.series_selection(), ctx.series_id, tiles=ctx.tiles, db_url=ctx.db_url)
