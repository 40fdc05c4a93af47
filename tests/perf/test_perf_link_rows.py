"""Integer link ends computed at load give the same answers as matching id strings."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pandas.testing as pdt

from data import schema as S
from data.frames import Frames, link_rows_in
from linking.codes import positions
from linking.filters import Filters
from linking.selection import select
from linking.series import assign_series, end_positions, series_table

TODAY = date(2022, 1, 1)


def _string_positions(incidents: pd.DataFrame, links: pd.DataFrame) -> list[np.ndarray]:
    return positions(incidents[S.INCIDENT_ID], links[S.INCIDENT_A], links[S.INCIDENT_B])


def _unregistered(frame: pd.DataFrame) -> pd.DataFrame:
    """The same rows with labels no loaded frame has (forces the string path)."""
    return frame.set_axis(pd.Index([f"r{i}" for i in range(len(frame))]))


def test_load_codes_every_link_end(perf_frames: Frames) -> None:
    rows = perf_frames.link_rows
    assert rows is not None
    expected = _string_positions(perf_frames.incidents, perf_frames.links)
    assert rows.incident_a.tolist() == expected[0].tolist()
    assert rows.incident_b.tolist() == expected[1].tolist()
    assert (rows.incident_a >= 0).all()  # every stored link starts at a stored incident
    assert (rows.incident_b == -1).sum() == perf_frames.links[S.INCIDENT_B].isna().sum()


def test_subsets_in_any_order_match_string_positions(perf_frames: Frames) -> None:
    incidents, links = perf_frames.incidents, perf_frames.links
    busiest = incidents[S.CITY].value_counts().index[0]
    part = incidents[(incidents[S.CITY] == busiest).to_numpy()].sample(frac=0.7, random_state=1)
    some_links = links[links[S.STATUS].isin(["lead", "hit"]).to_numpy()].sample(frac=0.9, random_state=2)
    found = link_rows_in(part, some_links)
    assert found is not None
    expected = _string_positions(part, some_links)
    assert found[0].tolist() == expected[0].tolist()
    assert found[1].tolist() == expected[1].tolist()
    assert 0 < (found[0] >= 0).sum() < len(some_links)  # some ends fall outside the cut


def test_changed_ids_are_not_trusted(perf_frames: Frames) -> None:
    incidents = perf_frames.incidents.head(300).copy()
    links = perf_frames.links
    first_linked = links[S.INCIDENT_A].isin(incidents[S.INCIDENT_ID]).to_numpy().nonzero()[0][0]
    renamed_id = links[S.INCIDENT_A].iloc[first_linked]
    incidents.loc[incidents[S.INCIDENT_ID] == renamed_id, S.INCIDENT_ID] = "renamed"
    assert link_rows_in(incidents, links) is None
    a_pos, _ = end_positions(incidents, links)
    assert a_pos[first_linked] == -1  # the renamed incident no longer matches its link
    changed_links = links.copy()
    changed_links.loc[changed_links.index[0], S.INCIDENT_B] = incidents[S.INCIDENT_ID].iloc[0]
    assert link_rows_in(perf_frames.incidents, changed_links) is None


def test_series_same_with_and_without_load_codes(perf_frames: Frames) -> None:
    counted = perf_frames.links[perf_frames.links[S.STATUS].isin(["lead", "hit"]).to_numpy()]
    fast = assign_series(perf_frames.incidents, counted, min_size=2)
    slow = assign_series(_unregistered(perf_frames.incidents), _unregistered(counted), min_size=2)
    assert link_rows_in(_unregistered(perf_frames.incidents), _unregistered(counted)) is None
    assert fast.notna().sum() > 100
    assert fast.tolist() == slow.tolist()
    with_series = perf_frames.incidents.assign(**{S.SERIES_ID: fast.to_numpy()})
    fast_table = series_table(with_series, counted, today=TODAY)
    slow_table = series_table(_unregistered(with_series), _unregistered(counted), today=TODAY)
    assert len(fast_table) == fast.nunique()
    pdt.assert_frame_equal(fast_table, slow_table)


def test_select_same_as_on_plain_copies(perf_frames: Frames) -> None:
    """A city + year filter gives the same selection from load codes as from id strings."""
    city = str(perf_frames.incidents[S.CITY].value_counts().index[0])
    chosen = Filters(cities=(city,), date_from=date(2020, 1, 1), date_to=date(2020, 12, 31))
    fast = select(perf_frames, chosen, today=TODAY)
    plain = type("PlainFrames", (), {})()
    for name in ("firearms", "boundaries", "dataset_version", "is_synthetic"):
        setattr(plain, name, getattr(perf_frames, name))
    plain.incidents = perf_frames.incidents.copy()  # new objects: no cached ends by identity
    plain.links = _unregistered(perf_frames.links)
    slow = select(plain, chosen, today=TODAY)
    assert len(fast.series) > 0
    assert fast.incidents[S.SERIES_ID].tolist() == slow.incidents[S.SERIES_ID].tolist()
    assert fast.links[S.LINK_ID].tolist() == slow.links[S.LINK_ID].tolist()
    pdt.assert_frame_equal(fast.series, slow.series)


def test_select_keeps_exactly_the_firearms_its_links_name(perf_frames: Frames) -> None:
    everything = select(perf_frames, Filters(), today=TODAY)
    named = set(everything.links[S.FIREARM_ID].dropna().astype(str))
    kept = everything.firearms[S.FIREARM_ID].astype(str).tolist()
    assert len(kept) == len(set(kept)) > 0
    assert set(kept) == named & set(perf_frames.firearms[S.FIREARM_ID].astype(str))


def test_repeated_ids_are_never_encoded() -> None:
    from data.frames import _remember_link_rows

    links = pd.DataFrame({S.INCIDENT_A: pd.array(["a", "b"], dtype="string"),
                          S.INCIDENT_B: pd.array(["b", None], dtype="string")})
    repeated = pd.DataFrame({S.INCIDENT_ID: pd.array(["a", "b", "a"], dtype="string")})
    assert _remember_link_rows(repeated, links) is None
    unique = pd.DataFrame({S.INCIDENT_ID: pd.array(["b", "x", "a"], dtype="string")})
    rows = _remember_link_rows(unique, links)
    assert rows is not None
    assert (rows.incident_a.tolist(), rows.incident_b.tolist()) == ([2, 0], [0, -1])
    assert [p.tolist() for p in link_rows_in(unique.iloc[[2, 0]], links)] == [[0, 1], [1, -1]]
