"""The series table's text columns keep their order rules on the vectorised paths."""

from __future__ import annotations

from datetime import date

import pandas as pd

from data import schema as S
from linking.series import assign_series, series_table


def _table(incidents: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    with_series = incidents.assign(**{S.SERIES_ID: assign_series(incidents, links).to_numpy()})
    return series_table(with_series, links, today=date(2022, 1, 1)).set_index(S.SERIES_ID)


def test_incident_path_breaks_time_ties_by_id() -> None:
    same = pd.Timestamp("2020-05-01 12:00", tz="UTC")
    incidents = pd.DataFrame(
        {
            S.INCIDENT_ID: pd.array(["c-2", "a-9", "b-1", "z-0", "y-5"], dtype="string"),
            S.OCCURRED_AT: [same, same, same - pd.Timedelta(hours=1), same, same + pd.Timedelta(days=1)],
            S.CITY: pd.Categorical(["Detroit", " Detroit ", "Baltimore", "Detroit", "Detroit"]),
            S.AGENCY: pd.array(["MI1", "MI1", None, "MD2", "MI1"], dtype="string"),
            S.LONGITUDE: [-83.0, -83.1, -76.6, -83.0, -83.0],
            S.LATITUDE: [42.3, 42.3, 39.3, 42.3, 42.3],
        }
    )
    links = pd.DataFrame(
        {
            S.INCIDENT_A: pd.array(["a-9", "b-1", "c-2", "y-5"], dtype="string"),
            S.INCIDENT_B: pd.array(["c-2", "c-2", "z-0", "z-0"], dtype="string"),
            S.STATUS: pd.Categorical(["hit", "lead", "lead", "hit"], categories=S.LINK_STATUSES),
        }
    )
    row = _table(incidents, links).loc["S-b-1"]
    assert row[S.INCIDENT_PATH] == "b-1; a-9; c-2; z-0; y-5"
    assert row[S.CITIES] == "Baltimore; Detroit"
    assert row[S.AGENCIES] == "MD2; MI1"
    assert (row[S.SERIES_SIZE], row[S.SERIES_HITS], row[S.SERIES_LEADS], row[S.HIT_PARTS]) == (5, 2, 2, 3)


def test_incident_path_with_many_series_and_ties() -> None:
    ids = [f"i{n:03d}" for n in range(60)]
    times = pd.to_datetime(["2021-01-01"] * 30 + ["2021-02-01"] * 30, utc=True)
    incidents = pd.DataFrame({S.INCIDENT_ID: pd.array(ids[::-1], dtype="string"), S.OCCURRED_AT: times,
                              S.CITY: "Detroit", S.LONGITUDE: -83.0, S.LATITUDE: 42.3})
    pairs = [(ids[n], ids[n + 1]) for n in range(0, 60, 2)]  # 30 series of two
    links = pd.DataFrame({S.INCIDENT_A: [a for a, _ in pairs], S.INCIDENT_B: [b for _, b in pairs],
                          S.STATUS: "lead"})
    table = _table(incidents, links)
    assert len(table) == 30
    assert table.loc["S-i000", S.INCIDENT_PATH] == "i000; i001"
    assert table.loc["S-i030", S.INCIDENT_PATH] == "i030; i031"  # i031 is older by row, same time as i030
    assert table.loc["S-i028", S.INCIDENT_PATH] == "i028; i029"
