from __future__ import annotations

from datetime import date

import pandas as pd

from data import schema as S
from linking.filters import Filters
from linking.selection import select

TODAY = date(2019, 12, 31)


def _ids(frame: pd.DataFrame, column: str = S.INCIDENT_ID) -> set[str]:
    return set(frame[column].astype(str))


def test_default_filter_keeps_everything_and_counts_leads_and_hits(tiny_frames) -> None:
    selection = select(tiny_frames, Filters(), today=TODAY)
    assert len(selection.incidents) == 8
    assert list(selection.series[S.SERIES_ID]) == ["S-MEM-002", "S-DET-001"]
    assert set(selection.links[S.STATUS].astype(str)) == {"lead", "hit"}  # pending left out
    assert selection.links[S.FIREARM_ID].notna().sum() == 1  # the test fire stays
    assert list(selection.firearms[S.FIREARM_ID]) == ["F-1"]
    assert selection.dataset_version == "v-test-1" and selection.is_synthetic
    assert selection.summary().startswith("8 incidents (6 in series), 2 series")
    # inputs are not modified
    assert S.SERIES_ID not in tiny_frames.incidents.columns


def test_city_filter_keeps_a_cross_city_series_whole(tiny_frames) -> None:
    selection = select(tiny_frames, Filters(cities=("Detroit",)), today=TODAY)
    # MEM-001 is outside the filter but in the Detroit series: it comes, marked
    assert _ids(selection.incidents) == {"DET-001", "DET-002", "DET-003", "DET-004", "DET-005", "MEM-001"}
    outside = selection.incidents.set_index(S.INCIDENT_ID)[S.IN_FILTER]
    assert not outside["MEM-001"] and outside["DET-003"]
    assert _ids(selection.links, S.INCIDENT_B) == {"DET-002", "DET-003", "MEM-001"}
    assert selection.series[S.SERIES_SIZE].tolist() == [4]
    assert selection.series[S.IN_FILTER].tolist() == [3]
    assert selection.series[S.CITIES].tolist() == ["Detroit; Memphis"]


def test_cut_to_window_keeps_only_matching_shootings_and_the_id(tiny_frames) -> None:
    selection = select(tiny_frames, Filters(cities=("Detroit",), cut_to_window=True), today=TODAY)
    assert _ids(selection.incidents) == {"DET-001", "DET-002", "DET-003", "DET-004", "DET-005"}
    assert selection.series[S.SERIES_ID].tolist() == ["S-DET-001"]
    assert selection.series[S.SERIES_SIZE].tolist() == [3]


def test_local_date_range_is_inclusive(tiny_frames) -> None:
    # MEM-002 happened 2019-06-01 23:59 local (05:59 UTC the next day): the local date counts
    one_day = Filters(date_from=date(2019, 6, 1), date_to=date(2019, 6, 1))
    selection = select(tiny_frames, one_day, today=TODAY)
    assert set(selection.incidents.loc[selection.incidents[S.IN_FILTER], S.INCIDENT_ID]) == {"MEM-002"}
    assert selection.series[S.SERIES_ID].tolist() == ["S-MEM-002"]  # whole: MEM-003 comes along
    assert _ids(selection.incidents) == {"MEM-002", "MEM-003"}
    cut_day = Filters(date_from=date(2019, 6, 1), date_to=date(2019, 6, 1), cut_to_window=True)
    cut = select(tiny_frames, cut_day, today=TODAY)
    assert _ids(cut.incidents) == {"MEM-002"} and cut.series.empty


def test_status_choice_pending_shows_links_and_hits_only_counts_hits(tiny_frames) -> None:
    with_pending = select(tiny_frames, Filters(link_statuses=("lead", "hit", "pending")), today=TODAY)
    # series are made by leads and hits; a pending link is shown but joins nothing
    assert "S-DET-004" not in set(with_pending.series[S.SERIES_ID])
    assert "pending" in set(with_pending.links[S.STATUS].astype(str))
    hits_only = select(tiny_frames, Filters(link_statuses=("hit",)), today=TODAY)
    assert sorted(hits_only.series[S.SERIES_ID]) == ["S-DET-001", "S-MEM-002"]
    row = hits_only.series.set_index(S.SERIES_ID).loc["S-DET-001"]
    assert row[S.SERIES_SIZE] == 4 and row[S.SERIES_LEADS] == 0 and row[S.SERIES_HITS] == 1


def test_min_series_size_drops_small_series_and_their_links(tiny_frames) -> None:
    selection = select(tiny_frames, Filters(min_series_size=3), today=TODAY)
    assert list(selection.series[S.SERIES_ID]) == ["S-DET-001"]
    membership = selection.incidents.set_index(S.INCIDENT_ID)[S.SERIES_ID]
    assert pd.isna(membership["MEM-002"]) and pd.isna(membership["MEM-003"])
    pairs = selection.links[selection.links[S.INCIDENT_B].notna()]
    assert "MEM-002" not in set(pairs[S.INCIDENT_A].astype(str))


def test_series_and_only_linked_narrow_last(tiny_frames) -> None:
    one = select(tiny_frames, Filters(series_id="S-MEM-002"), today=TODAY)
    assert _ids(one.incidents) == {"MEM-002", "MEM-003"}
    assert list(one.series[S.SERIES_ID]) == ["S-MEM-002"]
    assert _ids(one.links, S.INCIDENT_A) == {"MEM-002", "MEM-003"}
    linked = select(tiny_frames, Filters(only_linked=True), today=TODAY)
    assert len(linked.incidents) == 6 and linked.incidents[S.SERIES_ID].notna().all()


def test_type_agency_and_caliber_filters(tiny_frames) -> None:
    homicides = select(tiny_frames, Filters(incident_types=("homicide",), cut_to_window=True), today=TODAY)
    assert _ids(homicides.incidents) == {"DET-001", "MEM-001"}
    memphis_pd = select(tiny_frames, Filters(agencies=("TN0790100",), cut_to_window=True), today=TODAY)
    assert _ids(memphis_pd.incidents) == {"MEM-001", "MEM-002", "MEM-003"}
    whole = select(tiny_frames, Filters(incident_types=("homicide",)), today=TODAY)
    matching = whole.incidents[whole.incidents[S.IN_FILTER]]
    assert _ids(matching) == {"DET-001", "MEM-001"} and len(whole.incidents) == 4
    none = select(tiny_frames, Filters(calibers=(".45 ACP",)), today=TODAY)
    assert none.incidents.empty and none.series.empty and none.links.empty


def test_repeated_selects_on_the_same_frames_agree(tiny_frames) -> None:
    first = select(tiny_frames, Filters(), today=TODAY)
    second = select(tiny_frames, Filters(), today=TODAY)
    pd.testing.assert_frame_equal(first.series, second.series)
    changed = type(tiny_frames)(incidents=tiny_frames.incidents, links=tiny_frames.links.iloc[:1].copy())
    assert select(changed, Filters(), today=TODAY).series[S.SERIES_SIZE].tolist() == [2]
