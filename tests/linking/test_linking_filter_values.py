"""The filter's messages, description and URL form, word for word (linking.filters).

The analyst reads :meth:`Filters.describe` in every export header and banner, reads the
:class:`FilterError` message when a shared link or a CLI option is wrong, and shares the URL
that :meth:`Filters.to_dict` writes; so these tests compare whole strings.
"""

from __future__ import annotations

from datetime import date

import pytest

from linking.filters import FilterError, Filters


def _error(**kwargs: object) -> str:
    with pytest.raises(FilterError) as caught:
        Filters(**kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def _url_error(values: dict[str, object]) -> str:
    with pytest.raises(FilterError) as caught:
        Filters.from_dict(values)
    return str(caught.value)


def test_list_values_are_trimmed_deduplicated_and_a_single_string_is_one_value() -> None:
    filters = Filters(cities=[" Detroit ", "", "Memphis", "Detroit", "  "], calibers="9mm", agencies=None)
    assert (filters.cities, filters.calibers, filters.agencies) == (("Detroit", "Memphis"), ("9mm",), ())
    assert Filters(incident_types=["homicide", " homicide"]).incident_types == ("homicide",)
    assert Filters(link_statuses=("hit", "hit ")).link_statuses == ("hit",)
    assert Filters(cities=[7]).cities == ("7",)


def test_every_bad_value_is_named_with_its_fix_in_one_message() -> None:
    assert _error(incident_types=("homicide", "robbery", "arson")) == (
        "invalid filter: incident_types: 'robbery', 'arson' not known; expected some of "
        "homicide, non_fatal_shooting, shots_fired, gunfire_alert"
    )
    assert _error(link_statuses=("hit", "maybe", "other")) == (
        "invalid filter: link_statuses: 'maybe', 'other' not known; expected some of "
        "lead, hit, pending, excluded"
    )
    assert _error(date_from="2019-01-01", date_to=5) == (
        "invalid filter: date_from: '2019-01-01' is not a date; pass datetime.date or None; "
        "date_to: 5 is not a date; pass datetime.date or None"
    )
    assert _error(date_from=date(2019, 2, 1), date_to=date(2019, 1, 31)) == (
        "invalid filter: date_from 2019-02-01 is after date_to 2019-01-31; swap them or leave one open"
    )
    assert (
        _error(min_series_size=True)
        == "invalid filter: min_series_size: True is not a whole number; use 1 or more"
    )
    assert (
        _error(min_series_size=2.0)
        == "invalid filter: min_series_size: 2.0 is not a whole number; use 1 or more"
    )
    assert _error(min_series_size=0) == "invalid filter: min_series_size: 0 is below 1; use 1 or more"
    assert _error(incident_types=("x",), min_series_size=-1) == (
        "invalid filter: incident_types: 'x' not known; expected some of homicide, non_fatal_shooting, "
        "shots_fired, gunfire_alert; min_series_size: -1 is below 1; use 1 or more"
    )


def test_edge_values_that_are_accepted() -> None:
    one_day = Filters(date_from=date(2019, 1, 1), date_to=date(2019, 1, 1), min_series_size=1)
    assert (one_day.date_from, one_day.date_to, one_day.min_series_size) == (date(2019, 1, 1),) * 2 + (1,)
    assert Filters(date_to=date(2019, 1, 1)).date_from is None
    assert Filters(series_id="  S-12 ").series_id == "S-12"
    assert Filters(series_id="   ").series_id is None
    assert Filters(series_id=None).series_id is None
    flags = Filters(only_linked=1, cut_to_window="yes")  # type: ignore[arg-type]
    assert flags.only_linked is True and flags.cut_to_window is True
    assert Filters(only_linked=0).only_linked is False  # type: ignore[arg-type]


def test_describe_says_everything_the_filter_keeps() -> None:
    assert Filters().describe() == "cities: all; dates: all; link statuses: lead, hit; min series size: 2"
    full = Filters(
        cities=("Detroit", "Memphis"),
        date_from=date(2019, 1, 1),
        date_to=date(2019, 6, 30),
        incident_types=("homicide", "shots_fired"),
        link_statuses=("hit",),
        calibers=("9mm", ".40 S&W"),
        agencies=("MI8234900",),
        min_series_size=3,
        only_linked=True,
        series_id="S-7",
        cut_to_window=True,
    )
    assert full.describe() == (
        "cities: Detroit, Memphis; dates: 2019-01-01 to 2019-06-30; types: homicide, shots_fired; "
        "link statuses: hit; calibers: 9mm, .40 S&W; agencies: MI8234900; min series size: 3; "
        "linked incidents only; series cut to the filter; series: S-7"
    )
    assert Filters(date_to=date(2019, 6, 30), link_statuses=()).describe() == (
        "cities: all; dates: any to 2019-06-30; link statuses: none; min series size: 2"
    )


def test_url_form_holds_only_what_differs_from_the_default_and_reads_back() -> None:
    full = Filters(
        cities=("Detroit", "Kansas City"),
        date_from=date(2019, 1, 1),
        date_to=date(2019, 6, 30),
        incident_types=("homicide",),
        link_statuses=("hit", "pending"),
        calibers=("9mm",),
        agencies=("MI1", "MI2"),
        min_series_size=4,
        only_linked=True,
        series_id="S-7",
        cut_to_window=True,
    )
    params = full.to_dict()
    assert params == {
        "cities": "Detroit,Kansas City",
        "date_from": "2019-01-01",
        "date_to": "2019-06-30",
        "incident_types": "homicide",
        "link_statuses": "hit,pending",
        "calibers": "9mm",
        "agencies": "MI1,MI2",
        "min_series_size": "4",
        "only_linked": "1",
        "series_id": "S-7",
        "cut_to_window": "1",
    }
    assert Filters.from_dict(params) == full
    assert Filters(link_statuses=()).to_dict() == {"link_statuses": ""}
    assert Filters.from_dict({"link_statuses": ""}) == Filters(link_statuses=())


def test_url_values_in_every_accepted_spelling() -> None:
    read = Filters.from_dict(
        {
            "cities": ["Detroit", "Memphis"],
            "date_from": " 2019-01-01 ",
            "date_to": "",
            "min_series_size": " 3 ",
            "only_linked": "TRUE",
            "cut_to_window": "on",
            "series_id": " S-1 ",
            "page": "2",
            "agencies": None,
        }
    )
    assert read == Filters(
        cities=("Detroit", "Memphis"),
        date_from=date(2019, 1, 1),
        min_series_size=3,
        only_linked=True,
        cut_to_window=True,
        series_id="S-1",
    )
    for yes in ("1", "true", "yes", "on", "Yes"):
        assert Filters.from_dict({"only_linked": yes}).only_linked is True
    for no in ("", "0", "false", "no", "off", "OFF"):
        assert Filters.from_dict({"only_linked": no, "cut_to_window": no}) == Filters()
    assert Filters.from_dict({"series_id": "  "}).series_id is None
    assert Filters.from_dict({"calibers": "9mm, .45 ACP,"}).calibers == ("9mm", ".45 ACP")
    assert Filters.from_dict({"date_from": None}).date_from is None
    assert Filters.from_dict({}) == Filters()


def test_bad_url_values_are_all_named_with_the_expected_form() -> None:
    assert _url_error(
        {"date_from": "2019-13-45", "date_to": "soon", "min_series_size": "two", "cut_to_window": "maybe"}
    ) == (
        "invalid filter parameters: "
        "date_from='2019-13-45' is not a date; expected YYYY-MM-DD, e.g. 2019-06-30; "
        "date_to='soon' is not a date; expected YYYY-MM-DD, e.g. 2019-06-30; "
        "min_series_size='two' is not a whole number; expected e.g. 2; "
        "cut_to_window='maybe' is not a yes/no value; expected 1 or 0"
    )
    # a value that parses but breaks a rule is reported by the filter itself
    assert (
        _url_error({"min_series_size": "0"}) == "invalid filter: min_series_size: 0 is below 1; use 1 or more"
    )


def test_url_parameters_repeated_or_foreign_and_several_agencies() -> None:
    # a foreign parameter first must not stop the reading of the filter's own
    assert Filters.from_dict({"page": "2", "cities": "Detroit"}) == Filters(cities=("Detroit",))
    # a repeated parameter is read as one comma-joined value, and reported as such
    assert _url_error({"min_series_size": ["3", "4"]}) == (
        "invalid filter parameters: min_series_size='3,4' is not a whole number; expected e.g. 2"
    )
    assert Filters(agencies=("MI1", "MI2")).describe().endswith("agencies: MI1, MI2; min series size: 2")
