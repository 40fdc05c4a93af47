"""The whole-store series on the tiny frames: who is in which series, which link holds which series,
the row of the series table each series points to, and what an old or unknown series id resolves to."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from data import schema as S
from data.frames import LinkRows
from linking.registry import LinkEnds, UnknownSeriesError, link_ends_of, series_components, whole_series

from .conftest import TinyFrames, make_incidents, make_links

TODAY = date(2019, 12, 31)
LATER = date(2020, 1, 2)
INCIDENT_IDS = ["DET-001", "DET-002", "DET-003", "DET-004", "MEM-001", "MEM-002", "MEM-003", "DET-005"]
SERIES_OF = ["S-DET-001", "S-DET-001", "S-DET-001", None, "S-DET-001", "S-MEM-002", "S-MEM-002", None]
# K-0..K-3 hold the Detroit series, K-4 and the test fire K-6 the Memphis one; K-5 is pending
LINK_SERIES = ["S-DET-001"] * 4 + ["S-MEM-002", None, "S-MEM-002"]


@dataclass(frozen=True)
class LoadedFrames(TinyFrames):
    """Tiny frames with the link ends a store load computes (``Frames.link_rows``)."""

    link_rows: LinkRows | None = None


def _tiny(links: pd.DataFrame | None = None, link_rows: LinkRows | None = None) -> LoadedFrames:
    links = make_links() if links is None else links
    return LoadedFrames(incidents=make_incidents(), links=links, link_rows=link_rows)


def _with(*rows: tuple) -> pd.DataFrame:
    links = pd.concat([make_links(), make_links(list(rows))], ignore_index=True)
    links[S.LINK_ID] = pd.array([f"K-{i}" for i in range(len(links))], dtype="string")
    return links


def _named(index, numbers: np.ndarray) -> list[str | None]:
    return [None if n < 0 else str(index.names[n]) for n in numbers]


def test_every_shooting_and_link_knows_its_series_and_its_table_row() -> None:
    index = whole_series(_tiny(), today=TODAY, registry_day=TODAY)
    assert _named(index, index.code) == SERIES_OF
    assert _named(index, index.link_code) == LINK_SERIES
    # "in no series" is -1, as documented for every caller
    assert index.code[[3, 7]].tolist() == [-1, -1] and index.link_code[5] == -1
    sizes = dict(zip(index.names.tolist(), index.sizes.tolist(), strict=True))
    assert sizes == {"S-DET-001": 4, "S-MEM-002": 2}
    rows = [index.table[S.SERIES_ID].iloc[index.table_row[n]] for n in range(len(index.names))]
    assert rows == index.names.tolist()
    assert index.table[S.SERIES_ID].tolist() == ["S-MEM-002", "S-DET-001"]  # newest activity first
    assert index.table[S.DAYS_SINCE_LAST].tolist() == [180, 291]
    counted = [S.SERIES_SIZE, S.SERIES_LEADS, S.SERIES_HITS, S.SERIES_PENDING, S.HIT_PARTS, S.FIREARM_IDS]
    assert index.table[counted].values.tolist() == [[2, 0, 2, 0, 1, "F-1"], [4, 2, 1, 0, 3, ""]]
    registry = index.registry.set_index("series_id")
    assert registry.loc["S-DET-001", "incident_ids"] == "DET-001; MEM-001; DET-002; DET-003"
    assert registry.loc["S-MEM-002", "link_ids"] == "K-4; K-6"
    assert registry["created_on"].tolist() == ["2019-12-31", "2019-12-31"]
    assert index.dataset_version == "v-test-1"
    assert (index.ends.firearm.tolist(), index.ends.firearms) == ([-1] * 6 + [0], 1)


# POSIX signs: Etc/GMT-14 is 14 hours ahead of UTC, Etc/GMT+12 12 hours behind; at any hour one of the
# two machine clocks shows another date than UTC
@pytest.mark.parametrize("zone", ["Etc/GMT-14", "Etc/GMT+12"])
def test_without_dates_given_the_table_and_the_registry_use_today_in_utc(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        index = whole_series(_tiny())
        dated = whole_series(_tiny(), today=TODAY)
        today = pd.Timestamp.now(tz="UTC").date()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert index.registry["created_on"].tolist() == [today.isoformat()] * 2
    assert index.table[S.DAYS_SINCE_LAST].tolist() == [(today - date(2019, 7, 4)).days,
                                                       (today - date(2019, 3, 15)).days]  # fmt: skip
    # a day for the table alone leaves the registry's notes dated today
    assert dated.registry["created_on"].tolist() == [today.isoformat()] * 2
    assert dated.table[S.DAYS_SINCE_LAST].tolist() == [180, 291]


def test_a_store_with_no_links_has_no_series() -> None:
    index = whole_series(_tiny(make_links([])), today=TODAY, registry_day=TODAY)
    assert index.code.tolist() == [-1] * 8 and index.names.tolist() == [] and index.sizes.tolist() == []
    assert index.table.empty and index.registry.empty and index.link_code.tolist() == []
    # links imported before their shootings
    frames = TinyFrames(incidents=make_incidents([]), links=make_links())
    code, link_code = series_components(frames, link_ends_of(frames))
    assert code.tolist() == [] and link_code.tolist() == [-1] * 7
    assert whole_series(frames, today=TODAY, registry_day=TODAY).table.empty


def test_only_leads_and_hits_join_and_a_test_fire_joins_through_its_gun() -> None:
    # an excluded DET-003--MEM-002 link, an unknown status, and DET-004's casing test-fired from F-1
    links = _with(
        ("DET-003", "MEM-002", "excluded", "L-7", "2019-08-01", None, 1, None),
        ("DET-005", "DET-001", None, "L-8", "2019-08-02", None, 1, None),
        ("DET-004", None, "hit", "L-9", "2019-08-03", "2019-08-04", 1, "F-1"),
    )
    frames = _tiny(links)
    code, link_code = series_components(frames, link_ends_of(frames))
    assert set(code[[7]]) == {-1} and set(link_code[[5, 7, 8]]) == {-1}
    names = {"S-DET-001": code[0], "S-DET-004": code[3]}
    series = [None if c < 0 else next(k for k, v in names.items() if v == c) for c in code]
    # DET-004 (20 April) is now the first shooting of the Memphis series: F-1 joins it;
    # the pending DET-004--DET-005 lead still joins nothing
    assert series == [
        "S-DET-001", "S-DET-001", "S-DET-001", "S-DET-004", "S-DET-001", "S-DET-004", "S-DET-004", None
    ]  # fmt: skip
    in_memphis = [None if c < 0 else int(c == names["S-DET-004"]) for c in link_code]
    assert in_memphis == [0, 0, 0, 0, 1, None, 1, None, None, 1]
    index = whole_series(frames, today=TODAY, registry_day=TODAY)
    assert index.names.tolist() == ["S-DET-001", "S-DET-004"] and index.sizes.tolist() == [4, 3]


def test_shootings_keep_their_series_under_any_row_labels() -> None:
    frames = _tiny()
    relabelled = replace(frames, incidents=frames.incidents.set_axis(range(100, 108)))
    index = whole_series(relabelled, today=TODAY, registry_day=TODAY)
    assert _named(index, index.code) == SERIES_OF
    assert index.table[S.SERIES_ID].tolist() == ["S-MEM-002", "S-DET-001"]
    assert index.table[S.SERIES_SIZE].tolist() == [2, 4]


def test_stale_load_time_ends_are_not_trusted() -> None:
    fresh = whole_series(_tiny(), today=TODAY, registry_day=TODAY)
    # link rows from another load (one row short): the link ids are matched instead
    stale = LinkRows(incident_a=np.array([7, 7, 7, 7, 7, 7]), incident_b=np.array([3, 3, 3, 3, 3, 3]))
    index = whole_series(_tiny(link_rows=stale), today=TODAY, registry_day=TODAY)
    assert _named(index, index.code) == SERIES_OF
    # load-time rows that fit are used as they are (here: the same ends the ids give)
    ends = link_ends_of(_tiny())
    fitting = LinkRows(incident_a=ends.incident_a, incident_b=ends.incident_b)
    again = whole_series(_tiny(link_rows=fitting), today=TODAY, registry_day=TODAY)
    assert _named(again, again.code) == _named(fresh, fresh.code)
    to_det_004 = np.where(ends.incident_b == 6, 3, ends.incident_b)
    swapped = LinkRows(incident_a=ends.incident_a, incident_b=to_det_004)
    moved = whole_series(_tiny(link_rows=swapped), today=TODAY, registry_day=TODAY)
    # the rows given at load decide: K-4 now ends at DET-004, MEM-003 keeps only its gun
    assert _named(moved, moved.code) == [*SERIES_OF[:3], "S-DET-004", "S-DET-001", "S-DET-004", None, None]


def test_a_cut_of_the_link_ends_renumbers_the_shootings() -> None:
    ends = link_ends_of(_tiny())
    cut = ends.take(np.array([0, 4, 6]), np.array([0, 1, 5, 6]), 8)
    assert isinstance(cut, LinkEnds)
    assert cut.incident_a.tolist() == [0, 2, 3] and cut.incident_b.tolist() == [1, 3, -1]
    assert cut.firearm.tolist() == [-1, -1, 0] and cut.firearms == 1
    outside = ends.take(np.array([3]), np.array([0, 1, 2]), 8)  # MEM-001 is not in the cut
    assert (outside.incident_a.tolist(), outside.incident_b.tolist()) == ([2], [-1])


def test_an_old_id_resolves_to_the_series_it_merged_into() -> None:
    first = whole_series(_tiny(), today=TODAY, registry_day=TODAY)
    assert first.number_of("S-MEM-002") == 1 and first.number_of("S-NOPE") is None
    assert first.resolve(" S-MEM-002 ") == ("S-MEM-002", None)
    merged = whole_series(
        _tiny(_with(("DET-003", "MEM-002", "lead", "L-7", "2019-08-01", None, 1, None))),
        first.registry, today=TODAY, registry_day=LATER,
    )  # fmt: skip
    assert merged.names.tolist() == ["S-DET-001"] and merged.number_of("S-DET-001") == 0
    live, record = merged.resolve("S-MEM-002")
    assert live == "S-DET-001"
    assert record is not None and record["history"] == "merged into S-DET-001 on 2020-01-02"
    # the same registry again: the same ids, nothing new retired
    again = whole_series(_tiny(), first.registry, today=TODAY, registry_day=LATER)
    assert again.names.tolist() == first.names.tolist()
    assert again.registry["merged_into"].isna().all()


def test_unknown_and_dissolved_ids_say_so() -> None:
    first = whole_series(_tiny(), today=TODAY, registry_day=TODAY)
    with pytest.raises(UnknownSeriesError) as unknown:
        first.resolve("S-NOPE")
    assert str(unknown.value) == (
        "series 'S-NOPE' is not known in this store (dataset v-test-1); "
        "series ids look like S-<first incident id>: list them with `python -m linking series`"
    )
    without_memphis = make_links()[lambda f: ~f[S.INCIDENT_A].isin(["MEM-002", "MEM-003"])]
    gone = whole_series(_tiny(without_memphis), first.registry, today=TODAY, registry_day=LATER)
    with pytest.raises(UnknownSeriesError) as dissolved:
        gone.resolve("S-MEM-002")
    assert str(dissolved.value) == (
        "series 'S-MEM-002' no longer names a series "
        "(dissolved on 2020-01-02: none of its shootings is linked any more)"
    )
    # a retired id with no note, and one merged into a series that is itself gone
    registry = pd.DataFrame(
        {"series_id": ["S-OLD", "S-MOVED"], "merged_into": [None, "S-GONE"], "history": [None, "moved"]}
    )
    hand = replace(first, registry=registry)
    with pytest.raises(UnknownSeriesError) as quiet:
        hand.resolve("S-OLD")
    assert str(quiet.value) == "series 'S-OLD' no longer names a series"
    with pytest.raises(UnknownSeriesError) as moved:
        hand.resolve("S-MOVED")
    assert str(moved.value) == "series 'S-MOVED' no longer names a series (moved)"
