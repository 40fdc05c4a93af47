"""The dashboard as a user meets it, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
from streamlit.testing.v1 import AppTest

from data import schema as S
from data.store import Store
from linking.counting import count_links
from linking.filters import Filters
from linking.selection import select
from tests.ui.conftest import DASHBOARD
from ui.text import md


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def count(text: str) -> int:
    return int(text.replace(",", ""))


def last_date(frames) -> date:
    return pd.Timestamp(frames.incidents[S.LOCAL_DATE].max()).date()


def expected(frames, filters: Filters):
    return select(frames, filters, today=last_date(frames))


def matching(selection) -> pd.DataFrame:
    """The incidents that match the filter (whole series also bring the rest of their shootings)."""
    return selection.incidents[selection.incidents[S.IN_FILTER]]


def param(at, key: str) -> str:
    value = at.query_params[key]
    return ",".join(value) if isinstance(value, list) else str(value)


def series_table(at) -> pd.DataFrame:
    return at.dataframe[0].value


def test_ui_default_page_shows_the_headline_of_the_default_filter(app, demo_frames):
    at = app()
    assert not at.exception
    want = expected(demo_frames, Filters())
    shown = metrics(at)
    assert count(shown["Incidents"]) == len(matching(want))
    assert count(shown["Series"]) == len(want.series)
    counted = count_links(want.links)
    assert count(shown["Leads"]) == counted.leads == int(want.series[S.SERIES_LEADS].sum())
    assert count(shown["Hits"]) == counted.hits == int(want.series[S.SERIES_HITS].sum())
    assert count(shown["Cross-city series"]) == int(want.series[S.CROSS_CITY].sum())
    assert len(series_table(at)) == len(want.series)
    assert any(S.SYNTHETIC_LABEL in w.value for w in at.warning), "demo data must be labelled synthetic"
    assert len(at.multiselect(key="f_cities").value) == 7


def test_ui_city_filter_changes_counts_table_and_url(app, demo_frames):
    at = app()
    before = count(metrics(at)["Incidents"])
    at.multiselect(key="f_cities").set_value(["Detroit"]).run()
    assert not at.exception
    want = expected(demo_frames, Filters(cities=("Detroit",)))
    assert count(metrics(at)["Incidents"]) == len(matching(want)) < before
    table = series_table(at)
    assert len(table) == len(want.series)
    assert set(table[S.SERIES_ID]) == set(want.series[S.SERIES_ID])
    assert param(at, "cities") == "Detroit"


def test_ui_year_to_date_compares_with_the_period_before(app, demo_frames):
    at = app()
    at.radio(key="f_period").set_value("Year to date").run()
    end = last_date(demo_frames)
    start = date(end.year, 1, 1)
    want = expected(demo_frames, Filters(date_from=start, date_to=end))
    length = (end - start).days + 1
    before = expected(
        demo_frames, Filters(date_from=start - timedelta(days=length), date_to=start - timedelta(days=1))
    )
    incidents = next(m for m in at.metric if m.label == "Incidents")
    assert count(incidents.value) == len(matching(want))
    assert incidents.delta == f"{len(matching(want)) - len(matching(before)):+,}"
    assert param(at, "period") == "year_to_date"  # relative: a bookmark rolls forward
    assert "date_from" not in at.query_params


def test_ui_url_parameters_restore_the_filter(app, demo_frames):
    at = app(cities="Memphis,Baltimore", date_from="2020-01-01", date_to="2020-06-30", min_series_size="3")
    assert not at.exception
    assert at.multiselect(key="f_cities").value == ["Memphis", "Baltimore"]
    assert at.radio(key="f_period").value == "Custom range"
    assert at.number_input(key="f_min_series_size").value == 3
    want = expected(
        demo_frames,
        Filters(
            cities=("Memphis", "Baltimore"),
            date_from=date(2020, 1, 1),
            date_to=date(2020, 6, 30),
            min_series_size=3,
        ),
    )
    assert count(metrics(at)["Incidents"]) == len(matching(want))
    assert len(series_table(at)) == len(want.series)


def test_ui_bad_url_parameter_gives_defaults_and_a_notice(app, demo_frames):
    at = app(date_from="last-tuesday")
    assert not at.exception
    notices = [w.value for w in at.warning if "could not be used" in w.value]
    assert notices and "last\\-tuesday" in notices[0]
    assert count(metrics(at)["Incidents"]) == len(expected(demo_frames, Filters()).incidents)


def layer_payload(spec: dict, builder: str) -> dict:
    found = [layer["payload"] for layer in spec["layers"] if layer["builder"] == builder]
    assert found, f"no {builder} layer in the map spec"
    return json.loads(found[0])


def map_specs(at) -> list[dict]:
    """The specs sent to the live map components on the page (main map first)."""
    args = [json.loads(el.proto.json_args) for el in at.get("component_instance")]
    return [arg["spec"] for arg in args if "spec" in arg]


def test_ui_map_draws_the_filtered_incidents_and_links(app, demo_frames):
    at = app(cities="Albuquerque", tiles="off")
    specs = map_specs(at)
    assert specs, "the live map component is on the page"
    want = expected(demo_frames, Filters(cities=("Albuquerque",)))
    assert len(layer_payload(specs[0], "incidents")["x"]) == len(want.incidents)
    pairs = want.links[S.INCIDENT_B].notna()
    placed_guns = want.firearms.dropna(subset=[S.LATITUDE, S.LONGITUDE])[S.FIREARM_ID]
    to_guns = (~pairs & want.links[S.FIREARM_ID].isin(placed_guns)).sum()
    assert len(layer_payload(specs[0], "links")["status"]) == pairs.sum() + to_guns > 0
    assert specs[0]["tiles"] is None and "tile.openstreetmap.org" not in json.dumps(specs[0])
    assert map_specs(app(cities="Albuquerque", tiles="on"))[0]["tiles"]["name"] == "OpenStreetMap basemap"
    assert map_specs(app(cities="Albuquerque"))[0]["tiles"] is None  # OpenStreetMap only by choice


def test_ui_picking_a_series_shows_its_drilldown(app, demo_frames):
    at = app()
    want = expected(demo_frames, Filters())
    biggest = want.series.sort_values(S.SERIES_SIZE, ascending=False).iloc[0]
    at.selectbox(key="series_pick").set_value(biggest[S.SERIES_ID]).run()
    assert not at.exception
    assert any(md(biggest[S.SERIES_ID]) in h.value for h in at.subheader)
    incident_tables = [df.value for df in at.dataframe if S.INCIDENT_ID in df.value.columns]
    assert len(incident_tables[0]) == biggest[S.SERIES_SIZE]
    assert param(at, "series_id") == biggest[S.SERIES_ID]
    links_table = next(df.value for df in at.dataframe if S.CONFIRMED_DATE in df.value.columns)
    assert (links_table[S.CONFIRMED_DATE] == "").any(), "a lead not yet confirmed has an empty Confirmed cell"
    assert not links_table.isna().any().any(), "no cell of the links table reads None"


def test_ui_unreadable_database_gives_a_message_not_a_traceback(monkeypatch, tmp_path):
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("this is not a database\n" * 100)
    monkeypatch.setenv("BRASSMAP_DB", f"sqlite:///{not_a_database}")
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error], "the user is told the page could not be shown"
    assert all("Traceback" not in e.value for e in at.error)


def test_ui_hot_guns_view_lists_series_with_a_recent_shooting(app, demo_frames):
    at = app()
    at.toggle(key="hot_only").set_value(True).run()
    at.number_input(key="hot_days").set_value(60).run()
    want = expected(demo_frames, Filters()).series
    hot = want[want[S.DAYS_SINCE_LAST] <= 60]
    assert 0 < len(hot) < len(want)
    assert set(series_table(at)[S.SERIES_ID]) == set(hot[S.SERIES_ID])
    assert any(f"{len(hot):,} hot series" in c.value for c in at.caption)


def test_ui_exports_offer_every_format_for_the_filter_and_the_picked_series(app, demo_frames):
    from linking.exports import EXPORTERS

    at = app()
    labels = {b.label for b in at.get("download_button")}
    assert all(any(exporter.label in label for label in labels) for exporter in EXPORTERS.values())
    assert at.radio(key="export_scope").options == ["Current filter"]
    series_id = expected(demo_frames, Filters()).series[S.SERIES_ID].iloc[0]
    at.selectbox(key="series_pick").set_value(series_id).run()
    assert at.radio(key="export_scope").options == ["Current filter", "Picked series"]


def test_ui_empty_store_is_filled_with_the_labelled_demo(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    monkeypatch.setenv("BRASSMAP_DB", url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=240).run()
    assert not at.exception
    stored = Store(url).load_frames()
    assert stored.is_synthetic and len(stored.incidents) > 10_000
    assert count(metrics(at)["Incidents"]) == len(stored.incidents)
    assert any(S.SYNTHETIC_LABEL in w.value for w in at.warning)
