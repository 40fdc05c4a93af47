from __future__ import annotations

from datetime import date

import pytest

from linking.filters import FilterError, Filters


def test_defaults_count_leads_and_hits_and_describe_says_so() -> None:
    text = Filters().describe()
    assert "link statuses: lead, hit" in text
    assert "cities: all" in text
    assert "min series size: 2" in text


def test_lists_become_hashable_tuples_without_duplicates() -> None:
    filters = Filters(cities=["Detroit", " Detroit ", "Memphis"], link_statuses=["hit"])
    assert filters.cities == ("Detroit", "Memphis")
    assert hash(filters) == hash(Filters(cities=("Detroit", "Memphis"), link_statuses=("hit",)))


def test_round_trip_through_url_params() -> None:
    filters = Filters(
        cities=("Detroit", "Kansas City"),
        date_from=date(2019, 1, 1),
        date_to=date(2019, 12, 31),
        incident_types=("homicide",),
        link_statuses=("hit",),
        min_series_size=3,
        only_linked=True,
        series_id="S-DET-001",
    )
    params = filters.to_dict()
    assert params["cities"] == "Detroit,Kansas City"
    assert params["date_from"] == "2019-01-01"
    assert Filters.from_dict(params) == filters
    assert Filters().to_dict() == {}


def test_from_dict_accepts_lists_and_ignores_foreign_keys() -> None:
    filters = Filters.from_dict({"cities": ["Detroit", "Memphis"], "tab": "map"})
    assert filters.cities == ("Detroit", "Memphis")


def test_from_dict_reports_every_bad_value_at_once() -> None:
    with pytest.raises(FilterError) as raised:
        Filters.from_dict({"date_from": "2019-13-45", "min_series_size": "two", "only_linked": "maybe"})
    message = str(raised.value)
    assert "date_from='2019-13-45'" in message and "YYYY-MM-DD" in message
    assert "min_series_size='two'" in message
    assert "only_linked='maybe'" in message


def test_unknown_status_and_reversed_dates_are_rejected_with_the_fix() -> None:
    with pytest.raises(FilterError, match="'confirmed' not known; expected some of lead, hit"):
        Filters(link_statuses=("confirmed",))
    with pytest.raises(FilterError, match="2019-05-01 is after date_to 2019-01-01; swap them"):
        Filters(date_from=date(2019, 5, 1), date_to=date(2019, 1, 1))
    with pytest.raises(FilterError, match="min_series_size: 0 is below 1"):
        Filters(min_series_size=0)
