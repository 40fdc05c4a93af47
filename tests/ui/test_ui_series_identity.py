"""The dashboard keeps series whole and stable: search, picking, the URL's whole view, network measures."""

from __future__ import annotations

import html
from datetime import timedelta

import pandas as pd

from data import schema as S
from linking.filters import Filters
from linking.selection import select


def _whole(demo_frames):  # type: ignore[no-untyped-def]
    return select(
        demo_frames, Filters(), today=pd.Timestamp(demo_frames.incidents[S.LOCAL_DATE].max()).date()
    )


def _texts(at) -> str:  # type: ignore[no-untyped-def]
    parts = [m.value for m in at.markdown] + [h.value for h in at.subheader] + [c.value for c in at.caption]
    parts += [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_finding_6_the_url_keeps_a_relative_period_hot_guns_and_the_sort(app, demo_frames) -> None:  # type: ignore[no-untyped-def]
    at = app(period="last_28_days", hot="1", hot_days="14", sort="size")
    assert not at.exception
    assert at.radio(key="f_period").value == "Last 28 days"
    assert at.toggle(key="hot_only").value is True
    assert at.number_input(key="hot_days").value == 14
    assert at.selectbox(key="series_sort").value == "size"
    assert at.query_params["period"] == ["last_28_days"] or at.query_params["period"] == "last_28_days"
    assert "date_from" not in at.query_params and "date_to" not in at.query_params
    sizes = at.dataframe[0].value[S.SERIES_SIZE].tolist()
    assert sizes == sorted(sizes, reverse=True) and sizes
    # changing the period to a custom range writes its dates instead
    at.radio(key="f_period").set_value("Custom range").run()
    assert "period" not in at.query_params and "date_from" in at.query_params


def test_finding_1_a_shared_series_id_opens_under_another_period(app, demo_frames) -> None:  # type: ignore[no-untyped-def]
    whole = _whole(demo_frames)
    last = pd.Timestamp(demo_frames.incidents[S.LOCAL_DATE].max()).date()
    recent = select(demo_frames, Filters(date_from=last - timedelta(days=27), date_to=last), today=last)
    long_lived = recent.series[recent.series[S.IN_FILTER] < recent.series[S.SERIES_SIZE]]
    series_id = str(long_lived[S.SERIES_ID].iloc[0])
    assert series_id in set(whole.series[S.SERIES_ID])
    at = app(period="last_28_days", series_id=series_id)
    assert not at.exception
    text = _texts(at)
    assert "not in the current filter" not in text
    assert f"Series {series_id}".replace("-", "\\-") in text or f"Series {series_id}" in text


def test_search_a_case_number_opens_its_series_and_an_unlinked_one_its_incident(app, demo_frames) -> None:  # type: ignore[no-untyped-def]
    whole = _whole(demo_frames)
    linked = whole.incidents[whole.incidents[S.SERIES_ID].notna() & whole.incidents[S.CASE_NUMBER].notna()]
    case, series_id = str(linked[S.CASE_NUMBER].iloc[0]), str(linked[S.SERIES_ID].iloc[0])
    at = app()
    at.text_input(key="search_text").input(case.lower()).run()
    assert not at.exception
    assert at.selectbox(key="series_pick").value == series_id
    assert any(series_id in str(h.value).replace("\\", "") for h in at.subheader)
    lonely = whole.incidents[whole.incidents[S.SERIES_ID].isna() & whole.incidents[S.CASE_NUMBER].notna()]
    incident, lonely_case = str(lonely[S.INCIDENT_ID].iloc[0]), str(lonely[S.CASE_NUMBER].iloc[0])
    at.text_input(key="search_text").input(lonely_case).run()
    assert not at.exception
    headers = [str(h.value).replace("\\", "") for h in at.subheader]
    assert f"Incident {incident}" in headers
    assert any("Not in any series" in str(m.value) for m in at.markdown)
    assert at.selectbox(key="series_pick").value is None


def test_finding_7_the_drilldown_names_bridging_and_central_incidents(app, demo_frames) -> None:  # type: ignore[no-untyped-def]
    import networkx as nx

    whole = _whole(demo_frames)
    biggest = str(whole.series.sort_values(S.SERIES_SIZE, ascending=False)[S.SERIES_ID].iloc[0])
    members = whole.incidents[whole.incidents[S.SERIES_ID] == biggest]
    ids = set(members[S.INCIDENT_ID].astype(str))
    pairs = whole.links[whole.links[S.INCIDENT_A].isin(ids) & whole.links[S.INCIDENT_B].isin(ids)]
    graph = nx.Graph(list(zip(pairs[S.INCIDENT_A].astype(str), pairs[S.INCIDENT_B].astype(str), strict=True)))
    bridges = sorted(nx.articulation_points(graph))
    assert bridges
    at = app(series_id=biggest)
    assert not at.exception
    line = next(str(m.value) for m in at.markdown if "Bridging incidents" in str(m.value)).replace("\\", "")
    assert all(bridge in line for bridge in bridges)
    central = next(df.value for df in at.dataframe if S.BETWEENNESS in df.value.columns)
    assert str(central[S.INCIDENT_ID].iloc[0]) in bridges


def test_finding_4_a_click_picks_the_incident_under_the_pointer_not_a_neighbours_series(demo_frames) -> None:  # type: ignore[no-untyped-def]
    from ui.picking import pick_from_click

    whole = _whole(demo_frames)
    incidents = whole.incidents.copy()
    linked = incidents[incidents[S.SERIES_ID].notna()].iloc[0]
    lonely_row = incidents.index[incidents[S.SERIES_ID].isna()][0]
    # put the unlinked shooting 15 m north of a linked one, as in the issue
    incidents.loc[lonely_row, S.LATITUDE] = float(linked[S.LATITUDE]) + 15 / 111_000
    incidents.loc[lonely_row, S.LONGITUDE] = float(linked[S.LONGITUDE])
    lonely = str(incidents.loc[lonely_row, S.INCIDENT_ID])
    click = {
        "incident": html.escape(lonely),
        "last_object_clicked": {"lat": incidents.loc[lonely_row, S.LATITUDE], "lng": linked[S.LONGITUDE]},
    }
    assert pick_from_click(incidents, click) == (lonely, None)
    on_linked = {"incident": str(linked[S.INCIDENT_ID]), "last_object_clicked": {"lat": 0.0, "lng": 0.0}}
    assert pick_from_click(incidents, on_linked) == (str(linked[S.INCIDENT_ID]), str(linked[S.SERIES_ID]))


def test_whole_series_is_computed_once_and_carried_by_the_dashboards_frames(demo_db) -> None:  # type: ignore[no-untyped-def]
    from linking.registry import whole_series
    from ui import loading

    version = loading.current_version(demo_db)
    frames = loading.frames_for(demo_db, version)
    assert frames.series is not None and frames.series.dataset_version == version
    again = whole_series(frames, frames.series.registry)
    assert list(again.names) == list(frames.series.names)
