"""Integer link ends, computed at load and carried explicitly by Frames and Selection,
give the same answers as matching id strings (no module-level cache anywhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from data import schema as S
from data.frames import Frames, _link_rows
from linking.codes import positions
from linking.filters import Filters
from linking.registry import link_ends_of, whole_series
from linking.selection import select
from linking.series import assign_series, series_table

TODAY = date(2022, 1, 1)


def _string_positions(incidents: pd.DataFrame, links: pd.DataFrame) -> list[np.ndarray]:
    return positions(incidents[S.INCIDENT_ID], links[S.INCIDENT_A], links[S.INCIDENT_B])


@dataclass(frozen=True)
class PlainFrames:
    """The same tables with no load-time ends: everything is matched by id text."""

    incidents: pd.DataFrame
    links: pd.DataFrame
    firearms: pd.DataFrame
    boundaries: Any
    dataset_version: str
    is_synthetic: bool


def _plain(frames: Frames) -> PlainFrames:
    return PlainFrames(
        frames.incidents.copy(), frames.links.copy(), frames.firearms, frames.boundaries,
        frames.dataset_version, frames.is_synthetic,
    )  # fmt: skip


def test_load_codes_every_link_end(perf_frames: Frames) -> None:
    rows = perf_frames.link_rows
    assert rows is not None
    expected = _string_positions(perf_frames.incidents, perf_frames.links)
    assert rows.incident_a.tolist() == expected[0].tolist()
    assert rows.incident_b.tolist() == expected[1].tolist()
    assert (rows.incident_a >= 0).all()  # every stored link starts at a stored incident
    assert (rows.incident_b == -1).sum() == perf_frames.links[S.INCIDENT_B].isna().sum()


def test_taken_ends_of_subsets_in_any_order_match_string_positions(perf_frames: Frames) -> None:
    incidents, links = perf_frames.incidents, perf_frames.links
    ends = link_ends_of(perf_frames)
    busiest = incidents[S.CITY].value_counts().index[0]
    rng = np.random.default_rng(1)
    part_rows = rng.permutation(np.flatnonzero((incidents[S.CITY] == busiest).to_numpy()))[:2000]
    link_rows = rng.permutation(len(links))[: len(links) * 9 // 10]
    taken = ends.take(link_rows, part_rows, len(incidents))
    expected = _string_positions(incidents.iloc[part_rows], links.iloc[link_rows])
    assert taken.incident_a.tolist() == expected[0].tolist()
    assert taken.incident_b.tolist() == expected[1].tolist()
    assert 0 < (taken.incident_a >= 0).sum() < len(link_rows)  # some ends fall outside the cut


@pytest.mark.parametrize("seed", range(5))
def test_selection_link_ends_match_string_positions(perf_frames: Frames, seed: int) -> None:
    rng = np.random.default_rng(seed)
    cities = sorted(perf_frames.incidents[S.CITY].astype(str).unique())
    start = date(2019, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 900)))
    chosen = Filters(
        cities=tuple(rng.choice(cities, size=2, replace=False)),
        date_from=start,
        date_to=start + pd.Timedelta(days=int(rng.integers(180, 400))),
        link_statuses=S.LINK_STATUSES,
        cut_to_window=bool(seed % 2),
    )
    selection = select(perf_frames, chosen, today=TODAY)
    assert selection.link_ends is not None and len(selection.links)
    expected = _string_positions(selection.incidents, selection.links)
    assert selection.link_ends.incident_a.tolist() == expected[0].tolist()
    assert selection.link_ends.incident_b.tolist() == expected[1].tolist()


def test_series_same_from_load_codes_and_from_id_texts(perf_frames: Frames) -> None:
    counted = perf_frames.links[perf_frames.links[S.STATUS].isin(["lead", "hit"]).to_numpy()]
    by_text = assign_series(perf_frames.incidents, counted, min_size=2)
    index = whole_series(perf_frames)
    by_codes = pd.Series(np.append(index.names, None)[index.code]).astype("string")
    assert by_text.notna().sum() > 100
    assert by_text.tolist() == by_codes.tolist()
    with_series = perf_frames.incidents.assign(**{S.SERIES_ID: by_text.to_numpy()})
    ends = link_ends_of(perf_frames)
    rows = np.flatnonzero(counted.index.isin(counted.index))  # every counted row, by position
    positions_in_links = perf_frames.links.index.get_indexer(counted.index)
    fast_table = series_table(
        with_series, counted, today=TODAY,
        ends=ends.take(positions_in_links, np.arange(len(perf_frames.incidents)), len(perf_frames.incidents)),
    )  # fmt: skip
    slow_table = series_table(with_series, counted, today=TODAY)
    assert len(rows) == len(counted) and len(fast_table) == by_text.nunique()
    pdt.assert_frame_equal(fast_table, slow_table)


def test_select_same_as_on_plain_copies(perf_frames: Frames) -> None:
    """A city + year filter gives the same selection from load codes as from id strings."""
    city = str(perf_frames.incidents[S.CITY].value_counts().index[0])
    chosen = Filters(cities=(city,), date_from=date(2020, 1, 1), date_to=date(2020, 12, 31))
    fast = select(perf_frames, chosen, today=TODAY)
    slow = select(_plain(perf_frames), chosen, today=TODAY)
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
    links = pd.DataFrame({S.INCIDENT_A: pd.array(["a", "b"], dtype="string"),
                          S.INCIDENT_B: pd.array(["b", None], dtype="string")})  # fmt: skip
    repeated = pd.DataFrame({S.INCIDENT_ID: pd.array(["a", "b", "a"], dtype="string")})
    assert _link_rows(repeated, links) is None
    unique = pd.DataFrame({S.INCIDENT_ID: pd.array(["b", "x", "a"], dtype="string")})
    rows = _link_rows(unique, links)
    assert rows is not None
    assert (rows.incident_a.tolist(), rows.incident_b.tolist()) == ([2, 0], [0, -1])


def _starts_empty(value: object) -> bool:
    """A container that starts empty at import: it can only be filled at run time (a cache, a registry)."""
    import ast

    if isinstance(value, (ast.Dict, ast.List, ast.Set)):
        return not getattr(value, "keys", None) and not getattr(value, "elts", None)
    if isinstance(value, ast.Call) and not value.args and not value.keywords:
        name = getattr(value.func, "id", getattr(value.func, "attr", ""))
        return name in ("dict", "list", "set", "OrderedDict", "defaultdict", "WeakValueDictionary", "deque")
    return False


def test_no_module_level_state_in_data_geo_linking() -> None:
    """No module of data/, geo/ or linking/ keeps a container filled at run time (no identity-keyed cache).

    (``linking.layouts`` keeps a lock around igraph's own global random generator; that is igraph's state.)
    """
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = []
    for package in ("data", "geo", "linking"):
        for path in (root / package).rglob("*.py"):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Assign):
                    targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    targets = [node.target.id]
                else:
                    continue
                if _starts_empty(node.value):
                    found += [f"{path.relative_to(root)}:{node.lineno} {name}" for name in targets]
    assert found == []
