"""One series in detail: map with its path, chronological lane, incidents and links."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from data import schema as S
from data.access import ANALYST
from data.addresses import generalise_address
from geo.map_spec import TileSource
from geo.palette import LINK_STYLES, series_colour
from linking.counting import LinkCounts, count_links
from linking.graph import build_incident_graph
from linking.metrics import node_measures
from linking.scope import OUTSIDE_NOTE
from linking.selection import Selection
from ui.context import PageContext
from ui.desk import bulletin_button
from ui.identity import current_user, may
from ui.loading import frames_for, outside_links_for
from ui.map_view import map_ui
from ui.text import md

INCIDENT_COLUMNS: tuple[str, ...] = (
    S.INCIDENT_ID, S.LOCAL_TIME, S.CITY, S.INCIDENT_TYPE, S.KILLED, S.INJURED, S.AGENCY, S.CASE_NUMBER,
    S.ADDRESS, S.CALIBER, S.FAR_FROM_CITY,
)  # fmt: skip
LINK_COLUMNS: tuple[str, ...] = (
    S.LINK_ID, S.INCIDENT_A, S.INCIDENT_B, S.FIREARM_ID, S.STATUS, S.LEAD_NUMBER, S.LEAD_DATE,
    S.CONFIRMED_DATE, S.SITE, S.CALIBER, S.ASSOCIATION_COUNT,
)  # fmt: skip


def block_addresses(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with addresses cut to the block (pages never show a house number)."""
    out = frame.copy()
    if S.ADDRESS in out.columns:
        out[S.ADDRESS] = out[S.ADDRESS].astype("string").map(generalise_address, na_action="ignore")
    return out


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


TIMELINE_MIN_WIDTH = 560  # px of plot the stop labels are laid out for; wider only spreads them more
_LABEL_PX = (7, 8)  # px per digit at font size 11, and the gap kept between two labels
_TITLE_AND_AXIS_PX = 70
_TIER_DY = (-13, 15, -29, 31, -45, 47, -61, 63)  # label rows: above the dot, below it, further out...


def label_tiers(
    when: pd.Series, lanes: pd.Series, stops: pd.Series, *, width_px: int = TIMELINE_MIN_WIDTH
) -> list[int]:
    """Give each stop label a row (0 just above its dot, 1 just below, 2 further above...) so none overlap.

    Labels are placed as on a time axis of ``width_px`` pixels spanning the
    padded range of ``when`` (:func:`timeline_domain`); in each lane, in time
    order, a label takes the first row whose last label ends before it starts.
    Beyond the rows there are, the least crowded row is reused.

    Examples
    --------
    >>> days = pd.to_datetime(pd.Series(["2021-01-01", "2021-01-02", "2021-06-01"]))
    >>> label_tiers(days, pd.Series(["A", "A", "A"]), pd.Series([1, 2, 3]))
    [0, 1, 0]
    """
    start, end = timeline_domain(when)
    scale = width_px / max((end - start).total_seconds(), 1.0)
    x = (pd.to_datetime(when) - start).dt.total_seconds().to_numpy() * scale
    tiers = [0] * len(x)
    last_end: dict[str, list[float]] = {}
    order = sorted(range(len(x)), key=lambda i: (x[i], i))
    for i in order:
        half = (_LABEL_PX[0] * len(str(stops.iloc[i])) + _LABEL_PX[1]) / 2
        ends = last_end.setdefault(str(lanes.iloc[i]), [float("-inf")] * len(_TIER_DY))
        free = [tier for tier, edge in enumerate(ends) if edge <= x[i] - half]
        tier = free[0] if free else min(range(len(ends)), key=lambda t: ends[t])
        ends[tier] = x[i] + half
        tiers[i] = tier
    return tiers


def timeline_domain(when: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis' range: the shootings' span padded by 4 % (at least a day) on each side."""
    times = pd.to_datetime(when)
    first, last = times.min(), times.max()
    pad = max((last - first) * 0.04, pd.Timedelta(days=1))
    return first - pad, last + pad


def _local(moment: pd.Timestamp) -> alt.DateTime:
    """A Vega-Lite date-time (read as local time, as the chart's data is)."""
    return alt.DateTime(
        year=moment.year, month=moment.month, date=moment.day, hours=moment.hour, minutes=moment.minute
    )


def timeline_chart(members: pd.DataFrame, series_id: str) -> alt.LayerChart:
    """A chronological lane per city: one dot per shooting at its local time, joined in time order.

    Stop numbers sit above or below their dots in rows (:func:`label_tiers`), so
    two shootings close in time never print their numbers over each other.
    """
    when = pd.to_datetime(members[S.LOCAL_TIME]).reset_index(drop=True)
    lane = pd.DataFrame(
        {
            "when": when,
            "incident": members[S.INCIDENT_ID].astype(str).to_numpy(),
            "type": members[S.INCIDENT_TYPE].astype(str).map(S.INCIDENT_TYPE_LABELS).to_numpy(),
            "city": members[S.CITY].astype(str).to_numpy(),
            "stop": range(1, len(members) + 1),
        }
    )
    lane["tier"] = label_tiers(lane["when"], lane["city"], lane["stop"]) if len(lane) else []
    x_scale: alt.Scale | alt.UndefinedType = alt.Undefined
    if len(lane):  # the range label_tiers laid the labels out on (local times, as Vega reads the data)
        x_scale = alt.Scale(domain=[_local(t) for t in timeline_domain(lane["when"])], nice=False)
    base = alt.Chart(lane).encode(
        x=alt.X("when:T", title="Local date and time", scale=x_scale),
        y=alt.Y("city:N", title=None),
    )
    colour = series_colour(series_id)
    path = base.mark_line(color=colour, strokeWidth=2, opacity=0.6).encode(order="stop:Q")
    dots = base.mark_circle(size=140, color=colour, opacity=1).encode(
        tooltip=[
            alt.Tooltip("stop:Q", title="#"),
            alt.Tooltip("incident:N", title="Incident"),
            alt.Tooltip("when:T", title="When", format="%Y-%m-%d %H:%M"),
            alt.Tooltip("type:N", title="Type"),
            alt.Tooltip("city:N", title="City"),
        ]
    )
    used = int(lane["tier"].max()) + 1 if len(lane) else 1
    labels = [
        base.transform_filter(alt.datum.tier == tier)
        .mark_text(dy=_TIER_DY[tier], fontSize=11)
        .encode(text="stop:Q")
        .properties(name=f"stop_labels_{tier}")
        for tier in range(used)
    ]
    lanes = max(1, lane["city"].nunique())
    lane_px = 40 + 32 * ((used + 1) // 2)  # rows above and below the dots, clear of the axis
    chart = alt.LayerChart(layer=[path, dots, *labels])
    return chart.properties(
        height=max(120, lanes * lane_px) + _TITLE_AND_AXIS_PX,  # Streamlit fits title and axis inside it
        title="Shootings in time order",
        usermeta={"embedOptions": {"renderer": "svg"}},  # labels are text a test (and a reader) can find
    )


def blank_missing(table: pd.DataFrame) -> pd.DataFrame:
    """Text columns with missing values shown as empty cells (not "None" or "<NA>").

    Examples
    --------
    >>> blank_missing(pd.DataFrame({"a": ["x", None], "n": [1.0, None]}))["a"].tolist()
    ['x', '']
    """
    out = table.copy()
    for column in out.columns:
        values = out[column]
        text = isinstance(values.dtype, pd.StringDtype | pd.CategoricalDtype) or (
            values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) == "string"
        )  # dates and numbers keep their own display
        if text:
            out[column] = values.astype("string").fillna("")
    return out


def dates_as_text(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Date ``columns`` as ``YYYY-MM-DD`` text, a missing date as an empty cell (a grid shows "None").

    Examples
    --------
    >>> frame = pd.DataFrame({"d": pd.to_datetime(["2021-03-04", None])})
    >>> dates_as_text(frame, ("d",))["d"].tolist()
    ['2021-03-04', '']
    """
    out = table.copy()
    for column in columns:
        if column in out.columns:
            out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d").astype("string").fillna("")
    return out


def _flags(row: pd.Series) -> list[str]:
    flags = []
    if bool(row.get(S.CROSS_CITY, False)):
        flags.append(f"crosses cities ({md(row.get(S.CITIES, ''))})")
    if bool(row.get(S.CROSS_AGENCY, False)):
        flags.append(f"crosses agencies ({md(row.get(S.AGENCIES, ''))})")
    if bool(row.get(S.HAS_FIREARM, False)):
        flags.append(f"ends at a recovered firearm ({md(row.get(S.FIREARM_IDS, ''))})")
    return flags


def drilldown_ui(
    selection: Selection,
    series_id: str,
    *,
    tiles: TileSource | None,
    db_url: str,
    matching: frozenset[str] | None = None,
    incident_id: str | None = None,
    outside: pd.DataFrame | None = None,
) -> None:
    """Draw the picked series: flags, map with path, timeline, incidents and links tables.

    ``matching`` names the shootings that match the page's filter (marked in the incidents
    table); ``incident_id`` the one clicked or found; ``outside`` the links of a scoped user's
    incidents to incidents outside the scope (:func:`linking.scope.outside_links`).
    """
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
    # the timeline and the map each take the page's width: side by side, a laptop cut both off
    st.altair_chart(timeline_chart(members, series_id), width="stretch")
    path = " → ".join(members[S.INCIDENT_ID].astype(str))
    st.caption(f"Path in time order: {md(path)}")
    map_ui(
        selection,
        db_url=db_url,
        series_id=series_id,
        tiles=tiles,
        key="drilldown_map",
        height=460,
        pickable=False,
        fit_to_points=True,
    )
    st.markdown("**Incidents**")
    if incident_id is not None:
        st.caption(f"Picked: incident {md(incident_id)}.")
    incidents_shown = block_addresses(members[[c for c in INCIDENT_COLUMNS if c in members.columns]])
    if matching is not None:
        incidents_shown.insert(1, S.IN_FILTER, members[S.INCIDENT_ID].astype(str).isin(matching).to_numpy())
    incidents_shown[S.INCIDENT_TYPE] = incidents_shown[S.INCIDENT_TYPE].astype("string").map(
        lambda value: S.INCIDENT_TYPE_LABELS.get(value, value)
    )
    st.dataframe(
        blank_missing(incidents_shown),
        hide_index=True,
        width="stretch",
        column_config={
            S.LOCAL_TIME: st.column_config.DatetimeColumn("Local time", format="YYYY-MM-DD HH:mm"),
            S.IN_FILTER: st.column_config.CheckboxColumn("In filter", help="Matches the page's filter"),
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
        blank_missing(dates_as_text(links_shown, (S.LEAD_DATE, S.CONFIRMED_DATE))),
        hide_index=True,
        width="stretch",
        column_config={
            S.LEAD_DATE: st.column_config.TextColumn("Lead date"),
            S.CONFIRMED_DATE: st.column_config.TextColumn("Confirmed"),
        },
    )
    outside_ui(outside, members[S.INCIDENT_ID])


def outside_ui(outside: pd.DataFrame | None, incident_ids: pd.Series) -> None:
    """Name these incidents' links to incidents outside the user's scope: the other agency, nothing more."""
    if outside is None or outside.empty:
        return
    wanted = outside[outside[S.INCIDENT_ID].isin(incident_ids.astype("string")).fillna(False)]
    for incident, agency in zip(wanted[S.INCIDENT_ID], wanted[S.AGENCY], strict=True):
        st.markdown(f"Incident {md(incident)} is {OUTSIDE_NOTE} (agency {md(agency)}).")


def drilldown_section(ctx: PageContext) -> None:
    """Draw the drill-down of the picked series, the picked unlinked incident, or a hint."""
    if ctx.series_id is None and ctx.incident_id is not None:
        incident_ui(ctx)
        return
    if ctx.series_id is None:
        st.info(
            "Pick a series (table row, graph node, map incident, the selector above or the Find box) "
            "to see it in detail."
        )
        return
    if may(ANALYST):
        bulletin_button(ctx.db_url, ctx.dataset_version, ctx.series_id, key="drilldown_bulletin")  # ui.desk
    selection = ctx.series_selection()
    page = ctx.selection.incidents
    matching = frozenset(page.loc[page[S.IN_FILTER].to_numpy(dtype=bool), S.INCIDENT_ID].astype(str))
    drilldown_ui(
        selection, ctx.series_id, tiles=ctx.tiles, db_url=ctx.db_url, matching=matching,
        incident_id=ctx.incident_id, outside=outside_links_for(ctx.db_url, ctx.dataset_version),
    )  # fmt: skip
    measures_ui(selection, ctx.series_id)


def incident_ui(ctx: PageContext) -> None:
    """One incident that belongs to no series (clicked on the map or found by the search)."""
    frames = frames_for(ctx.db_url, ctx.dataset_version)
    incidents = frames.incidents
    same = (incidents[S.INCIDENT_ID].astype("string") == ctx.incident_id).fillna(False)
    row = incidents[same.to_numpy(dtype=bool)]
    st.subheader(f"Incident {md(ctx.incident_id)}")
    if row.empty:
        where = "within your scope" if current_user().is_scoped else "in the store any more"
        st.info(f"Incident {md(ctx.incident_id)} is not {where}.")
        return
    st.markdown("**Not in any series**: no lead or hit links this shooting to another.")
    shown = block_addresses(row[[c for c in INCIDENT_COLUMNS if c in row.columns]])
    shown[S.INCIDENT_TYPE] = shown[S.INCIDENT_TYPE].astype("string").map(
        lambda value: S.INCIDENT_TYPE_LABELS.get(value, value)
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            S.LOCAL_TIME: st.column_config.DatetimeColumn("Local time", format="YYYY-MM-DD HH:mm")
        },
    )
    outside_ui(outside_links_for(ctx.db_url, ctx.dataset_version), row[S.INCIDENT_ID])


def bridging(selection: Selection, series_id: str, *, top: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The series' bridging incidents (removing one splits it) and its ``top`` most central ones."""
    members, member_links = series_members(selection, series_id)
    graph = build_incident_graph(members, member_links, statuses=selection.filters.link_statuses,
                                 include_unlinked=True)  # fmt: skip
    measures = node_measures(graph)
    bridges = measures[measures[S.IS_ARTICULATION].astype(bool)]
    central = measures[measures[S.BETWEENNESS] > 0].head(top)
    return bridges, central


def measures_ui(selection: Selection, series_id: str) -> None:
    """Network measures of the series (:mod:`linking.metrics`): bridging and most central incidents."""
    bridges, central = bridging(selection, series_id)
    st.markdown("**Network measures**")
    if bridges.empty:
        st.caption("No bridging incident: removing any one shooting leaves the rest of the series linked.")
    else:
        names = ", ".join(md(v) for v in bridges[S.INCIDENT_ID].astype(str))
        st.markdown(f"Bridging incidents (removing one splits the series): {names}")
    if not central.empty:
        st.dataframe(
            central[[S.INCIDENT_ID, S.BETWEENNESS, S.DEGREE, S.IS_ARTICULATION]],
            hide_index=True,
            column_config={
                S.INCIDENT_ID: st.column_config.TextColumn("Incident"),
                S.BETWEENNESS: st.column_config.NumberColumn(
                    "Betweenness", format="%.2f", help="Share of shortest paths in the series through it"
                ),
                S.DEGREE: st.column_config.NumberColumn("Links"),
                S.IS_ARTICULATION: st.column_config.CheckboxColumn("Bridging"),
            },
        )
