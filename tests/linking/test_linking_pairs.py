"""One row per incident pair: the strongest status, the summed association count (linking.pairs).

Every edge of the graph, every link line on the map and every exported edge takes its
status and weight from here, so these are what the analyst sees on a linked pair.
"""

from __future__ import annotations

import pandas as pd

from data import schema as S
from linking.pairs import incident_links, pair_statuses


def _links(rows: list[tuple], *, counts: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=[S.INCIDENT_A, S.INCIDENT_B, S.STATUS, S.ASSOCIATION_COUNT][: len(rows[0])]
    )
    frame[S.INCIDENT_A] = frame[S.INCIDENT_A].astype("string")
    frame[S.INCIDENT_B] = frame[S.INCIDENT_B].astype("string")
    frame[S.STATUS] = frame[S.STATUS].astype("string")
    if not counts and S.ASSOCIATION_COUNT in frame.columns:
        frame = frame.drop(columns=S.ASSOCIATION_COUNT)
    return frame


def _pairs(frame: pd.DataFrame, **kwargs) -> list[list]:
    out = pair_statuses(frame, **kwargs)
    return [[a, b, s, int(c)] for a, b, s, c in out.itertuples(index=False)]


def test_the_strongest_status_wins_whatever_the_order_and_direction_of_the_rows() -> None:
    rows = [
        ("A", "B", "excluded", 1),
        ("B", "A", "hit", 1),
        ("A", "B", "lead", 1),  # hit beats all
        ("C", "D", "pending", 1),
        ("D", "C", "excluded", 1),  # pending beats excluded
        ("E", "F", "pending", 1),
        ("F", "E", "lead", 1),  # lead beats pending
        ("G", "H", "excluded", 1),
    ]
    assert _pairs(_links(rows)) == [
        ["A", "B", "hit", 3],
        ["C", "D", "pending", 2],
        ["E", "F", "lead", 2],
        ["G", "H", "excluded", 1],
    ]
    assert _pairs(_links(rows[::-1]))[0] == ["A", "B", "hit", 3]


def test_a_status_filter_leaves_out_rows_before_the_strongest_is_taken() -> None:
    rows = [("A", "B", "hit", 2), ("A", "B", "lead", 1), ("A", "C", "excluded", 1)]
    assert _pairs(_links(rows), statuses=("lead", "pending")) == [["A", "B", "lead", 1]]
    assert _pairs(_links(rows), statuses=("hit", "lead", "pending", "excluded")) == [
        ["A", "B", "hit", 3],
        ["A", "C", "excluded", 1],
    ]
    assert _pairs(_links(rows), statuses=()) == []


def test_missing_zero_and_unreadable_counts_count_one_and_a_frame_without_counts_counts_rows() -> None:
    rows = [("A", "B", "lead", None), ("A", "B", "lead", 0), ("A", "B", "lead", "x"), ("A", "B", "lead", 4)]
    frame = _links(rows)
    frame[S.ASSOCIATION_COUNT] = frame[S.ASSOCIATION_COUNT].astype(object)
    assert _pairs(frame) == [["A", "B", "lead", 7]]
    no_counts = _links([("A", "B", "lead", 5), ("B", "A", "hit", 5)], counts=False)
    assert _pairs(no_counts) == [["A", "B", "hit", 2]]


def test_self_links_test_fires_and_unknown_statuses() -> None:
    rows = [("A", "A", "hit", 1), ("A", None, "hit", 1), (None, "B", "lead", 1), ("B", "C", "odd", 2)]
    assert _pairs(_links(rows)) == [["B", "C", "unknown", 2]]


def test_no_links_give_the_empty_table_with_its_columns_and_types() -> None:
    for frame in (_links([("A", "B", "lead", 1)]).iloc[0:0], _links([("A", "A", "lead", 1)])):
        out = pair_statuses(frame)
        assert out.empty
        assert list(out.columns) == [S.INCIDENT_A, S.INCIDENT_B, S.STATUS, S.ASSOCIATION_COUNT]
        assert [str(t) for t in out.dtypes] == ["string", "string", "string", "int64"]


def test_incident_links_orders_each_pair_and_keeps_the_other_columns() -> None:
    frame = _links(
        [("B", "A", "hit", 1), ("A", "C", "lead", 2), ("D", "D", "lead", 1), ("X", None, "lead", 1)]
    )
    frame["link_id"] = ["L-1", "L-2", "L-3", "L-4"]
    out = incident_links(frame)
    assert out[[S.INCIDENT_A, S.INCIDENT_B, "link_id"]].values.tolist() == [
        ["A", "B", "L-1"],
        ["A", "C", "L-2"],
    ]
    assert str(out[S.INCIDENT_A].dtype) == "string" and str(out[S.INCIDENT_B].dtype) == "string"
    assert frame[S.INCIDENT_A].tolist()[:1] == ["B"]  # the caller's frame is not changed
    assert incident_links(frame, statuses=("lead",))["link_id"].tolist() == ["L-2"]
    assert incident_links(frame.iloc[0:0]).empty
    already = incident_links(frame.iloc[1:2])
    assert already[[S.INCIDENT_A, S.INCIDENT_B]].values.tolist() == [["A", "C"]]


def test_a_table_with_links_has_the_types_of_the_empty_one() -> None:
    """Pairs concatenated with an empty table (or read by the exports) keep one type per column."""
    frame = _links([("B", "A", "hit", 2), ("A", "C", "odd", 1)])
    out = pair_statuses(frame)
    assert out[S.STATUS].tolist() == ["hit", "unknown"]
    assert [str(t) for t in out.dtypes] == [str(t) for t in pair_statuses(frame.iloc[0:0]).dtypes]
    assert [str(t) for t in out.dtypes] == ["string", "string", "string", "int64"]
