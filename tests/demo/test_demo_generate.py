"""The demo generator: determinism, options, volumes, time patterns, ids and labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import schema as S
from data.demo import DemoError, generate_demo
from geo.cities import DEFAULT_CITIES, known_city

KINDS = (S.INCIDENTS, S.EVIDENCE, S.FIREARMS, S.LINKS, S.BOUNDARIES)


def test_demo_same_seed_gives_identical_frames() -> None:
    first = generate_demo(seed=11, incidents=4_000)
    second = generate_demo(seed=11, incidents=4_000)
    assert set(first) == set(KINDS)
    for kind in KINDS:
        pd.testing.assert_frame_equal(first[kind], second[kind], check_exact=True)


def test_demo_different_seed_gives_different_data() -> None:
    first = generate_demo(seed=11, incidents=4_000)
    other = generate_demo(seed=12, incidents=4_000)
    assert len(first[S.INCIDENTS]) == len(other[S.INCIDENTS]) == 4_000
    assert not first[S.INCIDENTS][S.OCCURRED_AT].equals(other[S.INCIDENTS][S.OCCURRED_AT])
    assert not first[S.INCIDENTS][S.LATITUDE].equals(other[S.INCIDENTS][S.LATITUDE])
    assert not first[S.LINKS][S.INCIDENT_A].equals(other[S.LINKS][S.INCIDENT_A])


def test_demo_columns_and_dtypes_are_the_schema_ones(demo: dict[str, pd.DataFrame]) -> None:
    for kind in (S.INCIDENTS, S.EVIDENCE, S.FIREARMS, S.LINKS, S.BOUNDARIES):
        assert tuple(demo[kind].columns) == S.SCHEMAS[kind].names, kind
    incidents, links = demo[S.INCIDENTS], demo[S.LINKS]
    assert str(incidents[S.INCIDENT_ID].dtype) == "string"
    assert str(incidents[S.OCCURRED_AT].dtype) == "datetime64[ns, UTC]"
    assert str(demo[S.EVIDENCE][S.ENTERED_AT].dtype) == "datetime64[ns, UTC]"
    assert str(demo[S.FIREARMS][S.RECOVERED_AT].dtype) == "datetime64[ns, UTC]"
    assert str(links[S.LEAD_DATE].dtype) == "datetime64[ns]"
    assert str(links[S.CONFIRMED_DATE].dtype) == "datetime64[ns]"
    assert (links[S.LEAD_DATE].dropna() == links[S.LEAD_DATE].dropna().dt.normalize()).all()
    assert links[S.ASSOCIATION_COUNT].dtype == np.int64
    assert incidents[S.KILLED].dtype == np.int64
    assert list(incidents[S.INCIDENT_TYPE].cat.categories) == list(S.INCIDENT_TYPES)
    assert list(links[S.STATUS].cat.categories) == list(S.LINK_STATUSES)
    assert demo[S.BOUNDARIES].crs.to_epsg() == 4326


def test_demo_every_row_is_labelled_synthetic(demo: dict[str, pd.DataFrame]) -> None:
    for kind in (S.INCIDENTS, S.EVIDENCE, S.FIREARMS, S.LINKS):
        assert len(demo[kind]) > 0
        assert demo[kind][S.IS_SYNTHETIC].dtype == bool
        assert demo[kind][S.IS_SYNTHETIC].all(), kind
    assert demo[S.INCIDENTS][S.ADDRESS].str.endswith("(synthetic)").all()
    assert demo[S.INCIDENTS][S.NARRATIVE].isna().all()
    assert demo[S.FIREARMS][S.SERIAL_NUMBER].str.fullmatch(r"SYN-\d{6}").all()
    assert demo[S.LINKS][S.NOTE].str.contains("synthetic demo").all()
    assert demo[S.BOUNDARIES][S.NAME].str.contains("synthetic demo").all()


def test_demo_default_volumes_per_city_and_year_are_realistic(
    demo: dict[str, pd.DataFrame], demo_local_dates: pd.Series
) -> None:
    incidents = demo[S.INCIDENTS]
    years = pd.Series(demo_local_dates.to_numpy()).dt.year.to_numpy()
    assert set(np.unique(years)) == {2019, 2020, 2021}
    per_year = pd.crosstab(incidents[S.CITY].astype(str).to_numpy(), years)
    # DOMAIN.md: Detroit, Baltimore, Memphis ~1,000-1,500 a year; Milwaukee ~600-900;
    # Cleveland and Kansas City ~500-700; Albuquerque ~200-400 (2020-21 ran higher).
    ranges = {
        "Detroit": (950, 1_600), "Baltimore": (950, 1_600), "Memphis": (950, 1_600),
        "Milwaukee": (600, 900), "Cleveland": (500, 720), "Kansas City": (480, 700),
        "Albuquerque": (200, 400),
    }  # fmt: skip
    for city, (low, high) in ranges.items():
        counts = per_year.loc[city]
        assert counts.between(low, high).all(), (city, counts.tolist())
    assert 15_000 <= len(incidents) <= 20_000


def test_demo_times_have_summer_night_and_weekend_peaks(demo: dict[str, pd.DataFrame]) -> None:
    incidents = demo[S.INCIDENTS]
    local = pd.concat(
        rows[S.OCCURRED_AT].dt.tz_convert(known_city(str(city)).time_zone).dt.tz_localize(None)
        for city, rows in incidents.groupby(S.CITY, observed=True)
    )
    months = local.dt.month.value_counts()
    assert months[7] > 1.5 * months[2]
    assert months[[6, 7, 8]].sum() > months[[12, 1, 2]].sum() * 1.4
    night = local.dt.hour.isin([20, 21, 22, 23, 0, 1, 2, 3]).mean()
    assert night > 0.5  # a third of the hours hold over half the shootings
    assert local.dt.hour.value_counts().idxmin() in (6, 7, 8, 9)
    per_day = local.dt.day_of_week.value_counts()
    assert per_day[[5, 6]].mean() > 1.2 * per_day[[0, 1, 2]].mean()


def test_demo_incident_types_and_casualties(demo: dict[str, pd.DataFrame]) -> None:
    incidents = demo[S.INCIDENTS]
    shares = incidents[S.INCIDENT_TYPE].value_counts(normalize=True)
    assert set(shares.index) == set(S.INCIDENT_TYPES)
    assert 0.08 < shares["homicide"] < 0.2
    homicide = incidents[incidents[S.INCIDENT_TYPE] == "homicide"]
    assert (homicide[S.KILLED] >= 1).all()
    wounded = incidents[incidents[S.INCIDENT_TYPE] == "non_fatal_shooting"]
    assert (wounded[S.KILLED] == 0).all() and (wounded[S.INJURED] >= 1).all()
    quiet = incidents[incidents[S.INCIDENT_TYPE].isin(["shots_fired", "gunfire_alert"])]
    assert (quiet[S.KILLED] + quiet[S.INJURED] == 0).all()


def test_demo_ids_keep_zero_padding_and_sort_by_city_then_time(demo: dict[str, pd.DataFrame]) -> None:
    incidents = demo[S.INCIDENTS]
    ids = incidents[S.INCIDENT_ID]
    assert ids.str.fullmatch(r"(ABQ|BAL|CLE|DET|KCM|MEM|MKE)-(19|20|21)-\d{6}").all()
    assert ids.is_unique and ids.is_monotonic_increasing
    detroit = incidents[incidents[S.CITY] == "Detroit"]
    assert detroit[S.INCIDENT_ID].iloc[0] == "DET-19-000001"
    assert detroit[S.OCCURRED_AT].iloc[0] == detroit[S.OCCURRED_AT].min()
    assert demo[S.EVIDENCE][S.EVIDENCE_ID].str.fullmatch(r"E-\d{8}").all()
    assert demo[S.FIREARMS][S.FIREARM_ID].str.fullmatch(r"F-\d{6}").all()
    assert demo[S.LINKS][S.LINK_ID].str.fullmatch(r"L-\d{8}").all()
    numbers = demo[S.LINKS][S.LEAD_NUMBER].dropna()
    assert numbers.str.fullmatch(r"NIBIN-L-20(19|20|21|22)-\d{6}").all()
    assert "NIBIN-L-2019-000001" in set(numbers)


def test_demo_agencies_are_ori_like_codes_per_city(demo: dict[str, pd.DataFrame]) -> None:
    incidents = demo[S.INCIDENTS]
    assert incidents[S.AGENCY].str.fullmatch(r"[A-Z]{2}[A-Z0-9]{7}").all()
    detroit = incidents.loc[incidents[S.CITY] == "Detroit", S.AGENCY].value_counts()
    assert detroit.index[0] == "MI8234900" and detroit.iloc[0] > 0.9 * detroit.sum()
    assert (incidents[S.STATE] == incidents[S.CITY].map({c.name: c.state for c in DEFAULT_CITIES})).all()
    assert incidents[S.CASE_NUMBER].notna().all()


def test_demo_scaled_to_50k_keeps_the_city_mix(
    demo: dict[str, pd.DataFrame], demo_50k: dict[str, pd.DataFrame]
) -> None:
    big = demo_50k[S.INCIDENTS]
    assert len(big) == 50_000 and big[S.INCIDENT_ID].is_unique
    assert len(demo_50k[S.LINKS]) == 25_000
    small_mix = demo[S.INCIDENTS][S.CITY].value_counts(normalize=True)
    big_mix = big[S.CITY].value_counts(normalize=True)
    assert (big_mix - small_mix).abs().max() < 0.002
    # Local midnight of 1 Jan 2019 is 05:00 UTC at the earliest (Eastern); 31 Dec 2021 ends by 07:00 UTC.
    assert big[S.OCCURRED_AT].min() >= pd.Timestamp("2019-01-01 05:00", tz="UTC")
    assert big[S.OCCURRED_AT].max() < pd.Timestamp("2022-01-01 07:00", tz="UTC")
    assert demo_50k[S.LINKS][S.STATUS].value_counts().gt(0).all()


def test_demo_links_option_is_exact() -> None:
    frames = generate_demo(incidents=5_000, links=1_234)
    assert len(frames[S.LINKS]) == 1_234
    assert frames[S.LINKS][S.LINK_ID].is_unique
    none = generate_demo(incidents=2_000, links=0)
    assert len(none[S.LINKS]) == 0
    assert tuple(none[S.LINKS].columns) == S.LINK_SCHEMA.names


def test_demo_small_requests_still_have_series() -> None:
    frames = generate_demo(incidents=100)
    assert len(frames[S.INCIDENTS]) == 100 and frames[S.INCIDENTS][S.INCIDENT_ID].is_unique
    assert len(frames[S.LINKS]) == 50
    assert (frames[S.LINKS][S.STATUS] == "lead").sum() >= 10
    tiny = generate_demo(incidents=10, links=5)
    assert len(tiny[S.INCIDENTS]) == 10
    assert len(tiny[S.LINKS]) <= 5  # exact only when the incidents allow that many links


def test_demo_zero_incidents_gives_empty_typed_frames() -> None:
    frames = generate_demo(incidents=0)
    for kind in (S.INCIDENTS, S.EVIDENCE, S.FIREARMS, S.LINKS):
        assert len(frames[kind]) == 0 and tuple(frames[kind].columns) == S.SCHEMAS[kind].names
    assert str(frames[S.INCIDENTS][S.OCCURRED_AT].dtype) == "datetime64[ns, UTC]"
    assert str(frames[S.LINKS][S.LEAD_DATE].dtype) == "datetime64[ns]"
    assert len(frames[S.BOUNDARIES]) == 7  # the outlines still draw the cities


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"incidents": -5}, r"incidents=-5: expected a whole number >= 0"),
        ({"incidents": "1000"}, r"incidents='1000'.*pass e\.g\. incidents=50000"),
        ({"links": 2.5}, r"links=2\.5: expected a whole number"),
    ],
)
def test_demo_rejects_bad_options_with_a_message(options: dict, pattern: str) -> None:
    with pytest.raises(DemoError, match=pattern):
        generate_demo(**options)
    assert issubclass(DemoError, ValueError)


def test_demo_plan_spreads_requested_incidents_exactly() -> None:
    from data.demo.incidents import plan_counts

    for total in (0, 1, 7, 999, 123_457):
        counts = plan_counts(total)
        assert int(counts.sum()) == total
        assert (counts >= 0).all()
    default = plan_counts(None)
    assert int(default[0, 0]) == 1_105  # Detroit 2019: 1,300 a year x 0.85 (before the 2020 rise)
    assert default[:, 1].sum() > default[:, 0].sum()
