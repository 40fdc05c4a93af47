"""Small incident/link/firearm/boundary frames built inline for the geo tests."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data import schema as S
from geo.map_spec import MapSpec
from geo.maps import OSM_TILES, MapData, MapOptions, build_map_spec

PAYLOADS: tuple[str, ...] = (
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "${window.__pwned=3}",
    "`);window.__pwned=4;//",
    "\\`);window.__pwned=5;//",
    "C:\\users\\x9\\",
    "<svg onload=window.__pwned=6>",
    "'\"><b onmouseover=window.__pwned=7>x</b>",
)


def incident_frame(
    n: int = 12, *, seed: int = 1, city: str = "Detroit", text: str | None = None
) -> pd.DataFrame:
    """``n`` Detroit incidents; the first 6 form series S-1 (3) and S-2 (3), the rest unlinked."""
    rng = np.random.default_rng(seed)
    occurred = pd.Timestamp("2019-03-01", tz="UTC") + pd.to_timedelta(np.arange(n) * 3, unit="D")
    series = ["S-1", "S-1", "S-1", "S-2", "S-2", "S-2"] + [pd.NA] * max(0, n - 6)
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: [f"{i:05d}" for i in range(n)],
            S.CITY: pd.Categorical([city] * n),
            S.OCCURRED_AT: occurred,
            S.LOCAL_TIME: occurred.tz_convert("America/Detroit").tz_localize(None),
            S.LATITUDE: 42.36 + rng.normal(0, 0.03, n),
            S.LONGITUDE: -83.10 + rng.normal(0, 0.04, n),
            S.INCIDENT_TYPE: pd.Categorical([S.INCIDENT_TYPES[i % 3] for i in range(n)]),
            S.KILLED: pd.array([1 if i % 3 == 0 else 0 for i in range(n)], dtype="Int64"),
            S.INJURED: pd.array([i % 2 for i in range(n)], dtype="Int64"),
            S.AGENCY: ["MI8234900"] * n,
            S.CASE_NUMBER: [f"19-{i:06d}" for i in range(n)],
            S.ADDRESS: [f"{100 * (i + 1)} block of Woodward Ave" for i in range(n)],
            S.NARRATIVE: ["secret narrative"] * n,
            S.SERIES_ID: pd.array(series[:n], dtype="string"),
        }
    )
    if text is not None:
        frame[S.ADDRESS] = text
        frame[S.CASE_NUMBER] = text
    return frame


def link_frame() -> pd.DataFrame:
    """Two hits and two leads inside S-1/S-2, plus one test-fire link to firearm F-1."""
    return pd.DataFrame(
        {
            S.LINK_ID: ["L1", "L2", "L3", "L4", "L5"],
            S.INCIDENT_A: ["00000", "00001", "00003", "00004", "00002"],
            S.INCIDENT_B: pd.array(["00001", "00002", "00004", "00005", pd.NA], dtype="string"),
            S.FIREARM_ID: pd.array([pd.NA, pd.NA, pd.NA, pd.NA, "F-1"], dtype="string"),
            S.STATUS: pd.Categorical(["hit", "lead", "hit", "lead", "hit"], categories=S.LINK_STATUSES),
            S.LEAD_NUMBER: ["LN-1", "LN-2", "LN-3", "LN-4", "LN-5"],
            S.ASSOCIATION_COUNT: pd.array([1, 2, 1, 1, 1], dtype="Int64"),
        }
    )


def firearm_frame() -> pd.DataFrame:
    """One recovered firearm with a place, one without."""
    return pd.DataFrame(
        {
            S.FIREARM_ID: ["F-1", "F-2"],
            S.MAKE: ["Glock", "Hi-Point"],
            S.MODEL: ["19", "C9"],
            S.CALIBER: ["9mm Luger", "9mm Luger"],
            S.SERIAL_NUMBER: ["SERIAL123", "SERIAL456"],
            S.CITY: ["Detroit", "Detroit"],
            S.LATITUDE: [42.35, np.nan],
            S.LONGITUDE: [-83.05, np.nan],
        }
    )


def boundary_frame() -> gpd.GeoDataFrame:
    """City limits (one box) and two districts splitting it."""
    return gpd.GeoDataFrame(
        {
            S.BOUNDARY_ID: [
                "city_limits/Detroit/Detroit",
                "police_districts/Detroit/W",
                "police_districts/Detroit/E",
            ],
            S.NAME: ["Detroit", "West", "East"],
            S.LAYER: ["city_limits", "police_districts", "police_districts"],
        },
        geometry=[
            shapely.box(-83.3, 42.2, -82.9, 42.5),
            shapely.box(-83.3, 42.2, -83.1, 42.5),
            shapely.box(-83.1, 42.2, -82.9, 42.5),
        ],
        crs="EPSG:4326",
    )


def build_map(
    incidents: pd.DataFrame,
    links: pd.DataFrame,
    *,
    series: pd.DataFrame | None = None,
    firearms: pd.DataFrame | None = None,
    boundaries: object = None,
    area_counts: pd.Series | None = None,
    tiles: bool = False,
    **options: object,
) -> MapSpec:
    """``geo.maps.build_map_spec`` with the frames and options as keywords (``tiles=True``: OpenStreetMap)."""
    data = MapData(incidents, links, series=series, firearms=firearms, boundaries=boundaries,
                   area_counts=area_counts)
    return build_map_spec(data, MapOptions(tiles=OSM_TILES if tiles else None, **options))  # type: ignore[arg-type]
