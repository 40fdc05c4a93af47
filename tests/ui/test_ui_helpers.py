"""The dashboard's plain helpers: URL parsing, Markdown escaping, uploads, picking, headline numbers."""

from __future__ import annotations

import doctest
import importlib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data import schema as S
from data.mapping import parse_mapping
from linking.filters import Filters
from ui.import_mapping import mapping_toml
from ui.import_view import store_upload
from ui.overview import previous_period
from ui.picking import series_at_point
from ui.series_view import hot_series
from ui.text import md
from ui.url import filters_from_params

UI_MODULES = (
    "ui.filters", "ui.overview", "ui.picking", "ui.series_view", "ui.text", "ui.url", "ui.export_view",
    "ui.import_view", "ui.import_mapping",
)  # fmt: skip


@pytest.mark.parametrize("name", UI_MODULES)
def test_ui_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_ui_url_round_trip_keeps_every_filter_field():
    filters = Filters(
        cities=("Kansas City", "Milwaukee"),
        date_from=date(2020, 2, 29),
        date_to=date(2020, 12, 31),
        incident_types=("homicide",),
        link_statuses=("hit",),
        calibers=("9mm Luger", S.UNKNOWN_CALIBER),
        agencies=("MO0380000",),
        min_series_size=4,
        only_linked=True,
        series_id="S-KC-20-000012",
    )
    params = {key: [value] for key, value in filters.to_dict().items()}
    assert filters_from_params(params) == (filters, None)


def test_ui_bad_url_values_give_defaults_and_name_the_problem():
    filters, notice = filters_from_params({"min_series_size": ["many"], "cities": ["Detroit"]})
    assert filters == Filters()
    assert "min_series_size" in notice and "many" in notice


def test_ui_unknown_status_in_url_is_reported():
    filters, notice = filters_from_params({"link_statuses": ["lead,maybe"]})
    assert filters == Filters()
    assert "maybe" in notice


def test_ui_markdown_escaping_leaves_no_live_syntax():
    text = md("![x](http://example.invalid/p.png) **b** $x$ <img src=x>")
    for live in ("![", "](", "**", "$x$"):
        assert live not in text
    assert "\\<img" in text


def test_ui_markdown_value_stays_on_one_line():
    # a line break in a series id or a note would start a heading, a list or a rule in the notice
    assert md("S-1\r\n# Big heading\n---\rend") == "S\\-1  \\# Big heading \\-\\-\\- end"


def test_ui_upload_name_is_never_a_path_and_suffix_follows_content(tmp_path):
    csv_path = store_upload(b"incident_id,city\n001,Detroit\n", tmp_root=tmp_path)
    assert csv_path.name == "upload.csv"
    assert csv_path.parent.parent == tmp_path
    parquet_path = store_upload(b"PAR1" + b"\x00" * 16, tmp_root=tmp_path)
    assert parquet_path.name == "upload.parquet"
    assert {p.name for p in tmp_path.rglob("*") if p.is_file()} == {"upload.csv", "upload.parquet"}


def test_ui_built_mapping_reads_back_with_formats():
    text = mapping_toml(
        S.INCIDENTS,
        {S.INCIDENT_ID: 'Case "No."', S.OCCURRED_AT: "When", S.LATITUDE: "Lat"},
        {S.OCCURRED_AT: "%m/%d/%Y %H:%M"},
    )
    mapping = parse_mapping(text, name="built")
    assert mapping.kind == S.INCIDENTS
    assert mapping.columns[S.INCIDENT_ID] == ('Case "No."',)
    assert mapping.formats[S.OCCURRED_AT] == "%m/%d/%Y %H:%M"


def test_ui_map_click_picks_the_nearest_linked_incident_only_when_close():
    incidents = pd.DataFrame(
        {
            S.LATITUDE: [42.3300, 42.3310, 42.4000],
            S.LONGITUDE: [-83.0500, -83.0500, -83.1000],
            S.SERIES_ID: ["S-a", "S-b", pd.NA],
        }
    )
    assert series_at_point(incidents, 42.33101, -83.05) == "S-b"
    assert series_at_point(incidents, 42.4000, -83.1000) is None  # unlinked incident: no pick
    assert series_at_point(incidents, 42.36, -83.05) is None  # 3 km from any linked incident


def test_ui_hot_guns_keep_series_with_a_recent_shooting():
    table = pd.DataFrame({S.SERIES_ID: ["S-1", "S-2", "S-3"], S.DAYS_SINCE_LAST: [0, 28, 29]})
    assert hot_series(table, 28)[S.SERIES_ID].tolist() == ["S-1", "S-2"]


def test_ui_previous_period_has_the_same_length_and_ends_the_day_before():
    current = Filters(
        cities=("Memphis",), date_from=date(2021, 3, 1), date_to=date(2021, 3, 28), series_id="S-x"
    )
    before = previous_period(current)
    assert (before.date_from, before.date_to) == (date(2021, 2, 1), date(2021, 2, 28))
    assert before.cities == ("Memphis",) and before.series_id is None


def test_ui_dashboard_is_a_thin_composition():
    lines = (Path(__file__).resolve().parents[2] / "dashboard.py").read_text().splitlines()
    assert len(lines) <= 40
