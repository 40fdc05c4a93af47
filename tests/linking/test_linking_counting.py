"""The one counting rule (linking.counting): what the overview, the series table and every export count.

Counts are worked out by hand from the rule: one link per incident pair (either order) or per
incident and test-fired firearm; its status is the strongest of its rows; rows without two ends,
self-links and unknown statuses are not links.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S
from linking.counting import LinkCounts, count_by, count_links, link_ends, link_units

Row = tuple[str | None, str | None, str | None, str]  # incident_a, incident_b, firearm_id, status

ROWS: list[Row] = [
    ("I-01", "I-02", None, "lead"),
    ("I-02", "I-01", None, "hit"),  # a lead then its hit, the other way round: one hit
    ("I-01", "I-03", None, "lead"),  # lead
    ("I-03", "I-04", None, "pending"),
    ("I-04", "I-03", None, "excluded"),  # pending beats excluded
    ("I-04", "I-05", None, "excluded"),
    ("I-05", "I-06", None, "excluded"),
    ("I-05", "I-06", None, "odd"),  # an unknown status does not change the excluded link
    ("I-08", "I-09", None, "excluded"),
    ("I-09", "I-10", None, "excluded"),
    ("I-07", "I-08", None, "hit"),
    ("I-08", "I-07", None, "lead"),  # the hit came first: still one hit
    ("I-01", None, "F-1", "lead"),
    ("I-01", None, "F-1", "hit"),  # a test fire confirmed: one hit
    ("I-02", None, "F-1", "lead"),  # the same gun, another incident: another link
    ("I-06", "I-06", None, "hit"),  # self-link
    (None, "I-02", None, "hit"),  # no first end
    ("I-03", None, None, "hit"),  # no second end and no firearm
    ("I-06", "I-11", None, "odd"),  # unknown status only
]


def _links(rows: list[Row], *, firearms: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[S.INCIDENT_A, S.INCIDENT_B, S.FIREARM_ID, S.STATUS]).astype("string")
    return frame if firearms else frame.drop(columns=S.FIREARM_ID)


def test_each_link_counts_once_with_its_strongest_status() -> None:
    counted = count_links(_links(ROWS))
    assert counted == LinkCounts(leads=2, hits=3, pending=1, excluded=4)
    assert counted.total == 10
    assert repr(counted) == "LinkCounts(leads=2, hits=3, pending=1, excluded=4)"  # plain ints, as exported


def test_the_order_of_the_rows_does_not_change_the_counts() -> None:
    for order in (ROWS[::-1], ROWS[1::2] + ROWS[0::2]):
        assert count_links(_links(order)) == LinkCounts(leads=2, hits=3, pending=1, excluded=4)


def test_without_a_firearm_column_rows_with_one_end_are_not_links() -> None:
    assert count_links(_links(ROWS, firearms=False)) == LinkCounts(leads=1, hits=2, pending=1, excluded=4)


def test_rows_that_are_not_links_count_nothing() -> None:
    not_links = [r for r in ROWS if r[0] is None or r[0] == r[1] or (r[1] is None and r[2] is None)]
    not_links.append(("I-06", "I-11", None, "odd"))
    assert len(not_links) == 4
    assert count_links(_links(not_links)) == LinkCounts(leads=0, hits=0, pending=0, excluded=0)
    assert count_links(_links(ROWS).iloc[0:0]).total == 0


def test_a_test_fire_and_an_incident_pair_never_merge() -> None:
    # firearm "I-02" reads like incident I-02: the test fire of I-01 is still its own link
    rows = [("I-01", "I-02", None, "lead"), ("I-01", None, "I-02", "hit"), ("I-02", None, "I-02", "lead")]
    assert count_links(_links(rows)) == LinkCounts(leads=2, hits=1, pending=0, excluded=0)


def test_counts_per_series_leave_out_links_outside_every_series() -> None:
    """The series table's lead/hit/pending/excluded columns: one row per series, by the link's first end."""
    links = _links(ROWS)
    group_of = {"I-01": 0, "I-02": 0, "I-03": 1, "I-04": 1, "I-05": 1, "I-06": 1, "I-07": 2, "I-08": 2}
    group = np.array([group_of.get(a, -1) if a is not None else -1 for a in links[S.INCIDENT_A]])
    counts = count_by(links, group, 3)
    # columns in RANKED_STATUSES order: excluded, pending, lead, hit
    assert counts.tolist() == [
        [0, 0, 2, 2],  # I-01/I-02 hit, I-01/I-03 lead, two test fires of F-1 (I-01 hit, I-02 lead)
        [2, 1, 0, 0],  # I-03/I-04 pending, I-04/I-05 and I-05/I-06 excluded
        [1, 0, 0, 1],  # I-07/I-08 hit, I-08/I-09 excluded; I-09/I-10 is in no series
    ]
    assert count_by(links, group, 3, ends=link_ends(links)).tolist() == counts.tolist()
    # with the ends at hand (computed at load) the id columns are not read again
    assert count_by(links[[S.STATUS]], group, 3, ends=link_ends(links)).tolist() == counts.tolist()
    assert count_by(links.iloc[0:0], group[:0], 3).tolist() == [[0, 0, 0, 0]] * 3
    assert count_by(links, np.full(len(links), -1), 0).shape == (0, 4)


def test_link_units_keep_the_strongest_row_of_each_link() -> None:
    # rows: 0-1 one pair (ranks 1, 3), 2 self-link, 3 no end, 4-6 one pair (2, 0, 2), 7 pair 0-4
    left = np.array([0, 1, 2, -1, 3, 4, 3, 0])
    right = np.array([1, 0, 2, 5, 4, 3, 4, 4])
    rank = np.array([1, 3, 3, 3, 2, 0, 2, 0])
    rows, ranks = link_units(left, right, rank)
    assert sorted(zip(rows.tolist(), ranks.tolist(), strict=True)) in (
        [(1, 3), (4, 2), (7, 0)],
        [(1, 3), (6, 2), (7, 0)],
    )
    none = link_units(np.array([2, -1]), np.array([2, 3]), np.array([3, 3]))
    assert [a.tolist() for a in none] == [[], []] and all(a.dtype == np.int64 for a in none)
