"""The pieces that make a filter change fast: background results, the graph spec, the CSV download."""

from __future__ import annotations

import doctest
import io
import json
import threading

import pandas as pd
import pytest

from data import schema as S
from ui import background, graph_view
from ui.background import BackgroundResults
from ui.graph_view import graph_spec
from ui.series_view import table_csv


@pytest.mark.parametrize("module", [background, graph_view])
def test_ui_perf_docstring_examples_run(module):
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0


def test_ui_background_result_is_computed_once_per_key_and_again_after_a_failure():
    calls: list[str] = []
    gate = threading.Event()

    def work(name: str) -> str:
        calls.append(name)
        if name == "bad" and not gate.is_set():
            gate.set()
            raise ValueError("first try fails")
        return name.upper()

    results: BackgroundResults[str] = BackgroundResults("test", max_remembered=2)
    assert results.start("a", work, "a").result() == "A"
    assert results.start("a", work, "a").result() == "A"
    assert calls == ["a"]
    with pytest.raises(ValueError, match="first try fails"):
        results.start("bad", work, "bad").result()
    assert results.start("bad", work, "bad").result() == "BAD"
    results.start("c", work, "c").result()  # the third key pushes out the oldest ("a")
    assert results.start("a", work, "a").result() == "A"
    assert calls == ["a", "bad", "bad", "c", "a"]


def test_ui_graph_spec_sends_only_drawn_columns_and_marks_the_pick():
    nodes = pd.DataFrame(
        {
            "id": ["i1", "i2", "i3"],
            "x": [0.0, 1.0, 2.0],
            "y": [0.0, 1.0, 0.5],
            "colour": ["#111111", "#111111", "#222222"],
            "size": [4.0, 5.0, 4.0],
            "label": ["i1 2021-01-01", "i2 2021-01-02", "i3 2021-02-01"],
            S.SERIES_ID: ["S-1", "S-1", "S-2"],
            "city": ["Detroit", "Detroit", "Memphis"],
        }
    )
    nodes["picked"] = nodes[S.SERIES_ID] == "S-1"
    edges = pd.DataFrame(
        {"source": ["i1"], "target": ["i2"], "status": ["hit"], "x": [0.0], "y": [0.0], "x2": [1.0],
         "y2": [1.0], "lead_numbers": [["L-1"]]}
    )  # fmt: skip
    spec = graph_spec(nodes, edges, picked="S-1")
    assert [row[S.SERIES_ID] for row in spec["datasets"]["nodes"]] == ["S-1", "S-1", "S-2"]
    assert [row["picked"] for row in spec["datasets"]["nodes"]] == [True, True, False]
    assert "city" not in spec["datasets"]["nodes"][0]
    assert spec["datasets"]["edges"] == [{"x": 0.0, "y": 0.0, "x2": 1.0, "y2": 1.0, "status": "hit"}]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "point", "text"]
    assert spec["params"][0]["views"] == [spec["layer"][1]["name"]]
    assert "condition" in spec["layer"][1]["encoding"]["opacity"]  # the others are dimmed
    unpicked = graph_spec(nodes, edges, picked=None)["layer"][1]["encoding"]["opacity"]
    assert unpicked["value"] == 1.0  # nothing dimmed but the shootings outside the filter
    assert any("in_filter === false" in c["test"] for c in unpicked["condition"])


def test_ui_series_table_download_holds_every_row():
    table = pd.DataFrame({S.SERIES_ID: [f"S-{i}" for i in range(2_500)], S.SERIES_SIZE: [2] * 2_500})
    back = pd.read_csv(io.BytesIO(table_csv(table)))
    assert len(back) == 2_500
    assert back[S.SERIES_ID].iloc[-1] == "S-2499"


def test_ui_graph_spec_draws_big_graphs_on_a_canvas_and_small_ones_as_svg():
    def nodes(count: int) -> pd.DataFrame:
        return pd.DataFrame(
            {"x": [float(i) for i in range(count)], "y": [0.0] * count, "colour": ["#111111"] * count,
             "size": [4.0] * count, "label": [f"i{i}" for i in range(count)], S.SERIES_ID: ["S-1"] * count,
             "picked": [False] * count}
        )  # fmt: skip

    def renderer(count: int) -> str:
        return graph_spec(nodes(count), pd.DataFrame(), picked=None)["usermeta"]["embedOptions"]["renderer"]

    assert renderer(graph_view.CANVAS_FROM_NODES - 1) == "svg"
    assert renderer(graph_view.CANVAS_FROM_NODES) == "canvas"


def _area_payloads(spec) -> list[str]:
    return [layer.payload for layer in spec.layers if layer.builder == "areas"]


def test_ui_map_counts_areas_from_the_membership_kept_per_dataset(demo_db, demo_frames):
    from datetime import date

    from linking.filters import Filters
    from tests.geo._geo_frames import build_map
    from ui import loading, map_view

    version = loading.current_version(demo_db)
    filters = Filters(cities=("Detroit", "Memphis"), date_from=date(2020, 1, 1), date_to=date(2020, 12, 31))
    selection = loading.selection_for(demo_db, version, filters, None)
    shown = map_view.built_map(demo_db, version, filters, None, None, None, False, selection)
    joined_here = build_map(
        selection.incidents, selection.links, series=selection.series, firearms=selection.firearms,
        boundaries=selection.boundaries, cities=list(filters.cities), tiles=False,
    )  # fmt: skip
    payloads = _area_payloads(shown)
    assert payloads and payloads == _area_payloads(joined_here)
    counts = [feature["properties"]["c"] for text in payloads for feature in json.loads(text)["features"]]
    matching = int(selection.incidents[S.IN_FILTER].sum())  # areas count the shootings matching the filter
    assert sum(counts) >= matching  # every demo incident lies inside its city's limits
