"""Tiny inline frames for the linking tests (columns from data/schema.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest

from data import schema as S

# id, city, local date-time, lon, lat, type, agency, address
BASE_INCIDENTS: list[tuple[str, str, str, float, float, str, str, str]] = [
    ("DET-001", "Detroit", "2019-01-05 22:10", -83.10, 42.36, "homicide", "MI8234900", "1234 Main St"),
    ("DET-002", "Detroit", "2019-02-10 01:30", -83.05, 42.38, "non_fatal_shooting", "MI8234900", "55 Oak"),
    ("DET-003", "Detroit", "2019-03-15 12:00", -83.00, 42.40, "shots_fired", "MI8234900", "900 Elm St"),
    ("DET-004", "Detroit", "2019-04-20 18:45", -83.12, 42.33, "shots_fired", "MI8234900", "77 Pine Rd"),
    ("MEM-001", "Memphis", "2019-01-20 03:00", -90.00, 35.12, "homicide", "TN0790100", "300 Beale St"),
    ("MEM-002", "Memphis", "2019-06-01 23:59", -89.95, 35.10, "non_fatal_shooting", "TN0790100", "12 Union"),
    ("MEM-003", "Memphis", "2019-07-04 20:00", -89.90, 35.15, "shots_fired", "TN0790100", "4100 Poplar Ave"),
    ("DET-005", "Detroit", "2019-08-01 09:00", -83.08, 42.35, "shots_fired", "MI8234900", "1 Woodward Ave"),
]
ZONES = {"Detroit": "America/Detroit", "Memphis": "America/Chicago"}

# a, b, status, lead number, lead date, confirmed date, association count, firearm
BASE_LINKS: list[tuple[str, str | None, str, str, str | None, str | None, int, str | None]] = [
    ("DET-001", "DET-002", "lead", "L-1", "2019-02-20", None, 1, None),
    ("DET-001", "DET-002", "hit", "L-1", "2019-02-20", "2019-03-01", 2, None),
    ("DET-002", "DET-003", "lead", "L-2", "2019-03-20", None, 1, None),
    ("DET-003", "MEM-001", "lead", "L-3", "2019-03-25", None, 1, None),  # cross-city
    ("MEM-002", "MEM-003", "hit", "L-4", "2019-07-10", "2019-07-20", 1, None),
    ("DET-004", "DET-005", "pending", "L-5", "2019-08-05", None, 1, None),
    ("MEM-003", None, "hit", "L-6", "2019-07-22", "2019-07-25", 1, "F-1"),  # test fire
]


def make_incidents(rows: list[tuple] | None = None) -> pd.DataFrame:
    rows = BASE_INCIDENTS if rows is None else rows
    local = [pd.Timestamp(r[2]) for r in rows]
    occurred = [
        pd.Timestamp(r[2]).tz_localize(ZONES.get(r[1], "UTC")).tz_convert("UTC") for r in rows
    ]
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: pd.array([r[0] for r in rows], dtype="string"),
            S.CITY: pd.Categorical([r[1] for r in rows]),
            S.OCCURRED_AT: pd.DatetimeIndex(occurred, tz="UTC") if rows else pd.DatetimeIndex([], tz="UTC"),
            S.LONGITUDE: [float(r[3]) for r in rows],
            S.LATITUDE: [float(r[4]) for r in rows],
            S.INCIDENT_TYPE: pd.Categorical([r[5] for r in rows], categories=S.INCIDENT_TYPES),
            S.KILLED: [1 if r[5] == "homicide" else 0 for r in rows],
            S.INJURED: [1 if r[5] == "non_fatal_shooting" else 0 for r in rows],
            S.AGENCY: pd.array([r[6] for r in rows], dtype="string"),
            S.CASE_NUMBER: pd.array([f"C{i:04d}" for i in range(len(rows))], dtype="string"),
            S.ADDRESS: pd.array([r[7] for r in rows], dtype="string"),
            S.NARRATIVE: pd.array(["secret narrative"] * len(rows), dtype="string"),
            S.LOCAL_DATE: pd.DatetimeIndex(local).normalize() if rows else pd.DatetimeIndex([]),
            S.LOCAL_TIME: pd.DatetimeIndex(local) if rows else pd.DatetimeIndex([]),
            S.CALIBER: pd.array(["9mm Luger"] * len(rows), dtype="string"),
        }
    )
    return frame


def make_links(rows: list[tuple] | None = None) -> pd.DataFrame:
    rows = BASE_LINKS if rows is None else rows
    return pd.DataFrame(
        {
            S.LINK_ID: pd.array([f"K-{i}" for i in range(len(rows))], dtype="string"),
            S.INCIDENT_A: pd.array([r[0] for r in rows], dtype="string"),
            S.INCIDENT_B: pd.array([r[1] for r in rows], dtype="string"),
            S.FIREARM_ID: pd.array([r[7] for r in rows], dtype="string"),
            S.STATUS: pd.Categorical([r[2] for r in rows], categories=S.LINK_STATUSES),
            S.LEAD_NUMBER: pd.array([r[3] for r in rows], dtype="string"),
            S.LEAD_DATE: pd.to_datetime(pd.Series([r[4] for r in rows], dtype="object")),
            S.CONFIRMED_DATE: pd.to_datetime(pd.Series([r[5] for r in rows], dtype="object")),
            S.SITE: pd.array(["Detroit PD NIBIN site"] * len(rows), dtype="string"),
            S.ASSOCIATION_COUNT: [int(r[6]) for r in rows],
            S.NOTE: pd.array([None] * len(rows), dtype="string"),
        }
    )


def make_firearms() -> pd.DataFrame:
    return pd.DataFrame(
        {
            S.FIREARM_ID: pd.array(["F-1", "F-2"], dtype="string"),
            S.MAKE: pd.array(["Glock", "Hi-Point"], dtype="string"),
            S.MODEL: pd.array(["19", "C9"], dtype="string"),
            S.SERIAL_NUMBER: pd.array(["SECRET123", "SECRET456"], dtype="string"),
            S.CALIBER: pd.array(["9mm Luger", "9mm Luger"], dtype="string"),
            S.RECOVERED_AT: pd.to_datetime(["2019-07-26 10:00", "2019-09-01 10:00"], utc=True),
            S.CITY: pd.Categorical(["Memphis", "Detroit"]),
            S.LATITUDE: [35.14, 42.35],
            S.LONGITUDE: [-89.93, -83.07],
        }
    )


@dataclass(frozen=True)
class TinyFrames:
    """Stands in for data.frames.Frames in unit tests (same attribute names)."""

    incidents: pd.DataFrame
    links: pd.DataFrame
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    firearms: pd.DataFrame = field(default_factory=make_firearms)
    boundaries: Any = None
    dataset_version: str = "v-test-1"
    is_synthetic: bool = True


@pytest.fixture
def tiny_frames() -> TinyFrames:
    return TinyFrames(incidents=make_incidents(), links=make_links())
