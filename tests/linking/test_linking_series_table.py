"""The series an analyst sees: ids when shootings tie, who is in no series, and the series table
cell for cell (as its CSV export reads), computed from link ids or from the load-time integer ends."""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pandas as pd
import pytest

from data import schema as S
from linking.registry import link_ends_of, whole_series
from linking.series import assign_series, hit_only_split, series_codes, series_table

from .conftest import TinyFrames, make_incidents, make_links

TODAY = date(2019, 12, 31)
HEADER = (
    "series_id,series_size,leads,hits,pending,excluded,hit_parts,first_date,last_date,span_days,span_km,"
    "cities,agencies,cross_city,cross_agency,has_firearm,firearm_ids,days_since_last,incident_path\n"
)
TINY_TABLE = HEADER + (
    "S-MEM-002,2,0,2,0,0,1,2019-06-01,2019-07-04,33,7.183,Memphis,TN0790100,False,False,True,F-1,180,"
    "MEM-002; MEM-003\n"
    "S-DET-001,4,2,1,0,0,3,2019-01-05,2019-03-15,69,1013.843,Detroit; Memphis,MI8234900; TN0790100,"
    "True,True,False,,291,DET-001; MEM-001; DET-002; DET-003\n"
)


def _counted(links: pd.DataFrame) -> pd.DataFrame:
    return links[links[S.STATUS].isin(["lead", "hit"])]


def _named(incidents: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    return incidents.assign(**{S.SERIES_ID: assign_series(incidents, _counted(links))})


def _incidents(rows: list[tuple[str, str | None]]) -> pd.DataFrame:
    """Incidents (id, UTC time) in Detroit, no city, agency or local date column."""
    return pd.DataFrame(
        {
            S.INCIDENT_ID: pd.array([r[0] for r in rows], dtype="string"),
            S.OCCURRED_AT: pd.to_datetime(pd.Series([r[1] for r in rows], dtype=object), utc=True),
            S.LONGITUDE: [-83.0 - 0.01 * i for i in range(len(rows))],
            S.LATITUDE: [42.3] * len(rows),
        }
    )


def _links(pairs: list[tuple[str, str | None]], status: str = "lead", firearms=None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            S.INCIDENT_A: pd.array([a for a, _ in pairs], dtype="string"),
            S.INCIDENT_B: pd.array([b for _, b in pairs], dtype="string"),
            S.STATUS: [status] * len(pairs),
        }
    )
    if firearms is not None:
        frame[S.FIREARM_ID] = pd.array(firearms, dtype="string")
    return frame


def test_the_series_table_reads_the_same_from_link_ids_and_from_load_time_ends() -> None:
    incidents, links = make_incidents(), make_links()
    named = _named(incidents, links)
    by_ids = series_table(named, _counted(links), today=TODAY)
    assert by_ids.to_csv(index=False) == TINY_TABLE
    # the dashboard's path: whole-store series from integer link ends (DET-004 is no member: rows renumber)
    index = whole_series(TinyFrames(incidents=incidents, links=links), today=TODAY, registry_day=TODAY)
    assert index.table.to_csv(index=False) == TINY_TABLE
    assert index.table.index.tolist() == [0, 1]


def test_links_outside_every_series_change_nothing_in_the_table() -> None:
    incidents, links = make_incidents(), make_links()
    named = _named(incidents, links)
    # the pending DET-004--DET-005 lead, a test fire from DET-005 (in no series) to another gun,
    # and a row from DET-001 with neither a far end nor a firearm
    more = [("DET-005", None, "hit", "L-7", "2019-08-09", "2019-08-10", 1, "F-2"),
            ("DET-001", None, "lead", "L-8", "2019-08-09", None, 1, None)]  # fmt: skip
    extra = pd.concat([links, make_links(more)], ignore_index=True)
    assert series_table(named, extra, today=TODAY).to_csv(index=False) == TINY_TABLE
    # the same from integer ends of those rows (a selection's cut of the load-time ends)
    ends = link_ends_of(TinyFrames(incidents=named, links=extra))
    assert series_table(named, extra, today=TODAY, ends=ends).to_csv(index=False) == TINY_TABLE


def test_local_dates_are_used_and_utc_dates_without_them() -> None:
    incidents, links = make_incidents(), make_links()
    named = _named(incidents, links).drop(columns=[S.LOCAL_DATE])
    table = series_table(named, _counted(links), today=TODAY).set_index(S.SERIES_ID)
    # MEM-002 happened at 23:59 on 1 June in Memphis: 2 June in UTC; MEM-003 20:00 on 4 July: 5 July UTC
    assert table.loc["S-MEM-002", S.FIRST_DATE] == pd.Timestamp("2019-06-02")
    assert table.loc["S-MEM-002", S.LAST_DATE] == pd.Timestamp("2019-07-05")
    assert table.loc["S-DET-001", S.FIRST_DATE] == pd.Timestamp("2019-01-06")  # 22:10 EST is 03:10 UTC


def test_a_test_fire_from_the_first_listed_member_names_its_gun() -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-02 10:00"), ("c", "2020-01-03 10:00")])
    # c's gun is listed first; a's casing matched the second gun, and a lead joins a and b
    links = pd.concat(
        [_links([("c", None), ("a", None)], status="hit", firearms=["G-9", "G-1"]),
         _links([("a", "b")], firearms=[None])],
        ignore_index=True,
    )  # fmt: skip
    named = incidents.assign(**{S.SERIES_ID: assign_series(incidents, links)})
    assert named[S.SERIES_ID].tolist() == ["S-a", "S-a", pd.NA]
    table = series_table(named, links, today=date(2020, 1, 10))
    counted = [S.SERIES_ID, S.SERIES_SIZE, S.SERIES_LEADS, S.SERIES_HITS, S.FIREARM_IDS]
    assert table[counted].values.tolist() == [["S-a", 2, 1, 1, "G-1"]]
    assert bool(table[S.HAS_FIREARM].iloc[0])


def test_shootings_at_the_same_moment_name_the_series_after_the_smaller_id() -> None:
    incidents = _incidents(
        [
            ("b", "2020-05-01 10:00"), ("a", "2020-05-01 10:00"),  # a larger id listed first
            ("c", "2020-05-01 10:00"), ("d", "2020-05-01 10:00"),  # a smaller id listed first
            ("g", "2020-05-01 12:00"), ("e", "2020-05-01 12:00"), ("f", "2020-05-01 12:00"),  # three tie
            ("h", "2020-04-30 09:00"), ("k", "2020-04-30 09:00"), ("j", "2020-05-01 13:00"),
        ]
    )  # fmt: skip
    links = _links([("b", "a"), ("c", "d"), ("g", "e"), ("f", "g"), ("j", "h"), ("k", "j")])
    named = incidents.assign(**{S.SERIES_ID: assign_series(incidents, links)})
    assert named[S.SERIES_ID].tolist() == [*["S-a"] * 2, *["S-c"] * 2, *["S-e"] * 3, *["S-h"] * 3]
    table = series_table(named, links, today=date(2020, 5, 11))
    # one day each: the bigger series first, then by id; the path orders a tie by id
    assert table.to_csv(index=False) == HEADER + (
        "S-e,3,2,0,0,0,3,2020-05-01,2020-05-01,0,1.649,,,False,False,False,,10,e; f; g\n"
        "S-h,3,2,0,0,0,3,2020-04-30,2020-05-01,1,1.649,,,False,False,False,,10,h; k; j\n"
        "S-a,2,1,0,0,0,2,2020-05-01,2020-05-01,0,0.825,,,False,False,False,,10,a; b\n"
        "S-c,2,1,0,0,0,2,2020-05-01,2020-05-01,0,0.825,,,False,False,False,,10,c; d\n"
    )


def test_a_shooting_with_no_time_is_never_the_first() -> None:
    incidents = _incidents([("a", None), ("b", "2020-01-02 10:00"), ("c", "2020-01-03 10:00")])
    ids = assign_series(incidents, _links([("a", "b"), ("c", "a")]))
    assert ids.tolist() == ["S-b", "S-b", "S-b"]
    assert incidents[S.OCCURRED_AT].isna().tolist() == [True, False, False]  # the caller's frame untouched


def test_links_that_join_nothing_make_no_series() -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-02 10:00"), ("c", "2020-01-03 10:00")])
    nothing = [pd.NA] * 3
    # no far end and no firearm, an unknown far end, a shooting linked to itself
    assert assign_series(incidents, _links([("a", None), ("b", None)])).tolist() == nothing[:3]
    no_gun = _links([("a", None), ("b", None)], firearms=[None, None])
    assert assign_series(incidents, no_gun).tolist() == nothing
    assert assign_series(incidents, _links([("a", "zz"), ("zz", "b"), ("c", "c")])).tolist() == nothing
    assert assign_series(incidents, _links([])).tolist() == nothing
    assert assign_series(incidents.iloc[0:0], _links([("a", "b")])).tolist() == []


def test_min_size_counts_shootings_not_guns() -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-02 10:00"), ("c", "2020-01-03 10:00")])
    fired = _links([("a", None), ("b", None)], status="hit", firearms=["G", "G"])
    assert assign_series(incidents, fired, min_size=3).tolist() == [pd.NA] * 3
    assert assign_series(incidents, fired, min_size=2).tolist() == ["S-a", "S-a", pd.NA]
    chain = _links([("a", "b"), ("b", "c")])
    assert assign_series(incidents, chain, min_size=3).tolist() == ["S-a", "S-a", "S-a"]
    # a series of one: a shooting whose casing matched a recovered gun; c, linked to nothing, is in none
    assert assign_series(incidents, fired.iloc[[0]], min_size=1).tolist() == ["S-a", pd.NA, pd.NA]


def test_series_ids_line_up_with_a_filtered_frame() -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-02 10:00"), ("c", "2020-01-03 10:00")])
    cut = incidents.iloc[[2, 1, 0]].set_axis([30, 20, 10])
    ids = assign_series(cut, _links([("b", "c")]))
    assert ids.index.tolist() == [30, 20, 10]
    assert cut.assign(**{S.SERIES_ID: ids})[S.SERIES_ID].tolist() == ["S-b", "S-b", pd.NA]
    assert str(ids.dtype) == "string"
    none = assign_series(cut, _links([]))
    assert none.index.tolist() == [30, 20, 10] and str(none.dtype) == "string"


def test_series_codes_number_series_and_mark_the_rest_minus_one() -> None:
    ids = pd.Series(["p", "q", "r"])
    times = np.array([2, 1, 3], dtype=np.int64)
    # a firearm (node 3) written as the left end of its test fires
    index, names = series_codes(ids, times, np.array([3, 3]), np.array([0, 1]), 4, min_size=2)
    assert index.tolist() == [0, 0, -1] and names.tolist() == ["S-q"]
    index, names = series_codes(ids, times, np.array([0]), np.array([3]), 4, min_size=2)
    assert index.tolist() == [-1, -1, -1] and names.tolist() == []
    index, names = series_codes(ids.iloc[:1], times[:1], np.array([0]), np.array([1]), 2, min_size=1)
    assert index.tolist() == [0] and names.tolist() == ["S-p"]


def test_a_table_without_links_counts_zero_links_and_one_part_per_shooting() -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-03 10:00"), ("c", "2020-01-05 10:00")])
    named = incidents.assign(**{S.SERIES_ID: pd.array(["S-a", "S-a", pd.NA], dtype="string")})
    table = series_table(named, _links([]), today=date(2020, 1, 10))
    assert table.to_csv(index=False) == HEADER + (
        "S-a,2,0,0,0,0,2,2020-01-01,2020-01-03,2,0.825,,,False,False,False,,7,a; b\n"
    )
    nobody = named.assign(**{S.SERIES_ID: pd.array([pd.NA] * 3, dtype="string")})
    assert series_table(nobody, _links([])).columns.tolist() == HEADER.strip().split(",")
    assert series_table(nobody, _links([])).empty


def test_a_series_without_coordinates_spans_zero_km() -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-03 10:00"),
                            ("c", "2020-01-04 10:00"), ("d", "2020-01-05 10:00")])  # fmt: skip
    incidents.loc[[2, 3], [S.LONGITUDE, S.LATITUDE]] = np.nan
    named = incidents.assign(**{S.SERIES_ID: assign_series(incidents, _links([("a", "b"), ("c", "d")]))})
    table = series_table(named, _links([("a", "b"), ("c", "d")]), today=date(2020, 1, 10))
    assert table[[S.SERIES_ID, S.SPAN_KM]].values.tolist() == [["S-c", 0.0], ["S-a", 0.825]]


# POSIX signs: Etc/GMT-14 is 14 hours ahead of UTC, Etc/GMT+12 12 hours behind; at any hour one of the
# two machine clocks shows another date than UTC
@pytest.mark.parametrize("zone", ["Etc/GMT-14", "Etc/GMT+12"])
def test_days_since_last_counts_from_today_in_utc_by_default(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-03 10:00")])
    named = incidents.assign(**{S.SERIES_ID: pd.array(["S-a", "S-a"], dtype="string")})
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        table = series_table(named, _links([("a", "b")]))
        today = pd.Timestamp.now(tz="UTC").date()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert table[S.DAYS_SINCE_LAST].tolist() == [(today - date(2020, 1, 3)).days]


def test_a_table_needs_series_ids_first() -> None:
    with pytest.raises(ValueError) as raised:
        series_table(make_incidents(), make_links())
    assert str(raised.value) == (
        "series_table needs a 'series_id' column on incidents; add it with linking.series.assign_series first"
    )


def test_the_hits_only_view_of_every_series() -> None:
    incidents, links = make_incidents(), _counted(make_links())
    split = hit_only_split(incidents, links)
    assert split.columns.tolist() == [S.INCIDENT_ID, S.SERIES_ID, S.HIT_SERIES_ID]
    assert split.astype(object).where(split.notna(), None).values.tolist() == [
        ["DET-001", "S-DET-001", "S-DET-001"],
        ["DET-002", "S-DET-001", "S-DET-001"],
        ["DET-003", "S-DET-001", None],
        ["MEM-001", "S-DET-001", None],
        ["MEM-002", "S-MEM-002", "S-MEM-002"],
        ["MEM-003", "S-MEM-002", "S-MEM-002"],
    ]
    leads = links[links[S.STATUS] == "lead"]
    only_leads = hit_only_split(incidents, leads)
    assert only_leads[S.SERIES_ID].tolist() == ["S-DET-001"] * 4 and only_leads[S.HIT_SERIES_ID].isna().all()
    assert hit_only_split(incidents, links.iloc[0:0]).empty
    assert hit_only_split(incidents, pd.DataFrame()).empty  # no links at all, not even columns


def test_two_shootings_hit_to_one_recovered_gun_are_one_hit_part() -> None:
    incidents = _incidents([("a", "2020-01-01 10:00"), ("b", "2020-01-02 10:00"), ("c", "2020-01-03 10:00")])
    # a and b are confirmed to gun G (test fires); c joins only by a lead
    links = pd.concat(
        [_links([("a", None), ("b", None)], status="hit", firearms=["G", "G"]),
         _links([("b", "c")], firearms=[None])],
        ignore_index=True,
    )  # fmt: skip
    named = incidents.assign(**{S.SERIES_ID: assign_series(incidents, links)})
    table = series_table(named, links, today=date(2020, 1, 10))
    shown = [S.SERIES_ID, S.SERIES_SIZE, S.SERIES_HITS, S.HIT_PARTS]
    assert table[shown].values.tolist() == [["S-a", 3, 2, 2]]
    # the hits-only view agrees: a and b form one hit series, c none
    split = hit_only_split(incidents, links)
    assert split[S.HIT_SERIES_ID].fillna("none").tolist() == ["S-a", "S-a", "none"]
    # from load-time ends too
    ends = link_ends_of(TinyFrames(incidents, links))
    assert series_table(named, links, today=date(2020, 1, 10), ends=ends)[S.HIT_PARTS].tolist() == [2]
