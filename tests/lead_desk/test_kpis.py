"""Timeliness figures equal the ones computed by hand for the desk fixture (tests/lead_desk/desk_data.py).

By hand, with each later shooting's *local* date (D3 at 23:30 on 20 March in Detroit is 21 March in UTC):

| lead | later shooting | entry | lead date | disseminated | confirmed | shooting->lead |
|---|---|---|---|---|---|---|
| N-1 | D2 03-05 | 03-06 | 03-07 | 03-08 (1) | 03-20 (13) | 2 |
| N-2 | D3 03-20 | 03-21 | 04-02 | - | - | 13 |
| N-3 | M1 03-25 | 03-26 | 03-28 | 03-30 (2) | - | 3 |
| N-5 | D5 03-26 | 03-28 | 04-05 | - | - | 10 |

N-4 is pending with no lead date: not a lead for these figures.
"""

from __future__ import annotations

import json

import pytest

from linking.cli import main
from tests.lead_desk.desk_data import EXPECTED


def _kpis(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    capsys.readouterr()
    assert main(["kpis", "--json", "--today", "2019-04-10", "--db", url, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_overall_figures_equal_the_hand_computed_ones(desk_url: str, capsys: pytest.CaptureFixture) -> None:
    document = _kpis(desk_url, capsys)
    for key, value in EXPECTED.items():
        assert document[key] == value, key
    assert document["median_days_shooting_to_entry"] == 1.0  # 1, 1, 1, 2
    assert document["median_days_entry_to_lead"] == 5.0  # 1, 12, 2, 8
    assert document["share_entry_to_lead_within_2_days"] == 0.5
    assert document["share_lead_to_disseminated_within_2_days"] == 1.0


def test_per_city_and_month_breakdowns(desk_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = _kpis(desk_url, capsys)
    cities = {row["city"]: row for row in document["by_city"]}
    assert cities["Detroit"]["leads"] == 3 and cities["Detroit"]["median_days_shooting_to_lead"] == 10.0
    assert cities["Detroit"]["share_shooting_to_lead_within_2_days"] == pytest.approx(1 / 3)
    assert cities["Memphis"]["median_days_shooting_to_lead"] == 3.0
    months = {row["month"]: row["median_days_shooting_to_lead"] for row in document["by_month"]}
    assert months == {"2019-03": 2.5, "2019-04": 11.5}
    agencies = {row["agency"]: row["leads"] for row in document["by_agency"]}
    assert agencies == {"MI8234900": 2, "MI8235000": 1, "TN0790100": 1}


def test_overdue_lists_open_leads_older_than_two_days(desk_url: str, capsys: pytest.CaptureFixture) -> None:
    overdue = _kpis(desk_url, capsys)["overdue"]
    assert [(lead["lead_number"], lead["age_days"]) for lead in overdue] == [("N-2", 8), ("N-5", 5)]
    assert main(["lead", "set", "N-2", "--event", "disseminated", "--to", "Detroit PD CGIC",
                 "--date", "2019-04-10", "--db", desk_url]) == 0  # fmt: skip
    document = _kpis(desk_url, capsys)
    assert [lead["lead_number"] for lead in document["overdue"]] == ["N-5"]
    assert document["median_days_lead_to_disseminated"] == 2.0  # 1, 2, 8


def test_filters_narrow_the_leads(desk_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _kpis(desk_url, capsys, "--city", "Memphis")["leads"] == 1
    assert _kpis(desk_url, capsys, "--since", "2019-04-01")["leads"] == 2
    assert _kpis(desk_url, capsys, "--agency", "MI8235000")["median_days_shooting_to_lead"] == 13.0
