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


def test_city_filter_cuts_a_cross_city_series(tiny_frames) -> None:
    selection = select(tiny_frames, Filters(cities=("Detroit",)), today=TODAY)
    assert _ids(selection.incidents) == {"DET-001", "DET-002", "DET-003", "DET-004", "DET-005"}
    # the DET-003 -- MEM-001 lead leaves with Memphis
    assert _ids(selection.links, S.INCIDENT_B) == {"DET-002", "DET-003"}
    assert selection.series[S.SERIES_SIZE].tolist() == [3]
    assert selection.series[S.CITIES].tolist() == ["Detroit"]


def test_local_date_range_is_inclusive(tiny_frames) -> None:
    # MEM-002 happened 2019-06-01 23:59 local (05:59 UTC the next day): the local date counts
    one_day = Filters(date_from=date(2019, 6, 1), date_to=date(2019, 6, 1))
    selection = select(tiny_frames, one_day, today=TODAY)
    assert _ids(selection.incidents) == {"MEM-002"}
    assert selection.series.empty and selection.incidents[S.SERIES_ID].isna().all()


def test_status_choice_pending_joins_a_series_and_hits_only_splits(tiny_frames) -> None:
    with_pending = select(tiny_frames, Filters(link_statuses=("lead", "hit", "pending")), today=TODAY)
    assert "S-DET-004" in set(with_pending.series[S.SERIES_ID])
    pending_row = with_pending.series.set_index(S.SERIES_ID).loc["S-DET-004"]
    assert pending_row[S.SERIES_PENDING] == 1
    hits_only = select(tiny_frames, Filters(link_statuses=("hit",)), today=TODAY)
    assert sorted(hits_only.series[S.SERIES_ID]) == ["S-DET-001", "S-MEM-002"]
    assert hits_only.series.set_index(S.SERIES_ID).loc["S-DET-001", S.SERIES_SIZE] == 2


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
    homicides = select(tiny_frames, Filters(incident_types=("homicide",)), today=TODAY)
    assert _ids(homicides.incidents) == {"DET-001", "MEM-001"}
    memphis_pd = select(tiny_frames, Filters(agencies=("TN0790100",)), today=TODAY)
    assert _ids(memphis_pd.incidents) == {"MEM-001", "MEM-002", "MEM-003"}
    none = select(tiny_frames, Filters(calibers=(".45 ACP",)), today=TODAY)
    assert none.incidents.empty and none.series.empty and none.links.empty


def test_repeated_selects_on_the_same_frames_agree(tiny_frames) -> None:
    first = select(tiny_frames, Filters(), today=TODAY)
    second = select(tiny_frames, Filters(), today=TODAY)
    pd.testing.assert_frame_equal(first.series, second.series)
    changed = type(tiny_frames)(incidents=tiny_frames.incidents, links=tiny_frames.links.iloc[:1].copy())
    assert select(changed, Filters(), today=TODAY).series[S.SERIES_SIZE].tolist() == [2]
