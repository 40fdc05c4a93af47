"""The link graph tells series apart and names its nodes: own colour and shape per series, labels when few.

Built from the graph payload of the demo store (``linking.payload``), as the
dashboard's graph view builds it, so the checks are on what Vega draws.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pandas as pd
import pytest

from data import schema as S
from geo.palette import SERIES_PALETTE, SERIES_SHAPES, distinct_series_styles
from ui.graph_view import LABELS_UP_TO, graph_spec, payload_frames


def _payload(series_sizes: list[int]) -> dict[str, Any]:
    """A payload of chains: one per series, ``size`` nodes each, laid out left to right."""
    nodes, edges = [], []
    for number, size in enumerate(series_sizes):
        ids = [f"I-{number}-{k}" for k in range(size)]
        nodes += [
            {"id": node, "x": float(number), "y": float(k), "colour": "#000000", "size": 4.0, "label": node,
             S.SERIES_ID: f"S-{number:03d}", S.IN_FILTER: True}
            for k, node in enumerate(ids)
        ]  # fmt: skip
        edges += [{"source": a, "target": b, "status": "hit"} for a, b in itertools.pairwise(ids)]
    return {"nodes": nodes, "edges": edges}


def _styles(spec: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """The (colour, shape) pairs each series is drawn with, read from the chart's data."""
    pairs: dict[str, set[tuple[str, str]]] = {}
    for row in spec["datasets"]["nodes"]:
        pairs.setdefault(row[S.SERIES_ID], set()).add((row["colour"], row["shape"]))
    return pairs


def _node_layer(spec: dict[str, Any]) -> dict[str, Any]:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")


@pytest.mark.parametrize("series", [14, 40, len(SERIES_PALETTE) * len(SERIES_SHAPES)])
def test_every_series_in_view_has_its_own_colour_and_shape(series: int) -> None:
    nodes, edges = payload_frames(_payload([2] * series), picked=None)
    spec = graph_spec(nodes, edges, picked=None)
    pairs = _styles(spec)
    assert all(len(drawn) == 1 for drawn in pairs.values()), "a series drawn in two styles"
    assert len({next(iter(drawn)) for drawn in pairs.values()}) == series, "two series look the same"
    assert _node_layer(spec)["encoding"]["shape"] == {"field": "shape", "type": "nominal", "scale": None}
    shapes = {shape for drawn in pairs.values() for _, shape in drawn}
    assert (len(shapes) > 1) == (series > len(SERIES_PALETTE)), "shapes vary only beyond the palette"


def test_beyond_every_colour_and_shape_pairs_repeat_evenly_and_never_side_by_side() -> None:
    names = [f"S-{i:03d}" for i in range(300)]
    styles = distinct_series_styles(names)
    uses = Counter(styles.values())
    assert len(uses) == len(SERIES_PALETTE) * len(SERIES_SHAPES)
    assert max(uses.values()) - min(uses.values()) <= 1
    assert all(styles[a] != styles[b] for a, b in itertools.pairwise(names))


def test_a_series_keeps_its_map_colour_while_that_colour_is_free() -> None:
    from geo.palette import series_colour

    styles = distinct_series_styles(["S-DET-21-000001"])
    assert styles["S-DET-21-000001"] == (series_colour("S-DET-21-000001"), "circle")


@pytest.mark.parametrize(("nodes_shown", "labelled"), [(LABELS_UP_TO, True), (LABELS_UP_TO + 2, False)])
def test_nodes_are_labelled_when_at_most_60_are_shown_and_named_on_hover_always(
    nodes_shown: int, labelled: bool
) -> None:
    nodes, edges = payload_frames(_payload([2] * (nodes_shown // 2)), picked=None)
    spec = graph_spec(nodes, edges, picked=None)
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert bool(texts) == labelled
    if labelled:
        assert texts[0]["encoding"]["text"]["field"] == "id"
        assert {row["id"] for row in spec["datasets"]["nodes"]} == set(nodes["id"])
    tooltip = _node_layer(spec)["encoding"]["tooltip"]
    assert {"field": "label", "type": "nominal", "title": "Incident"} in tooltip


def test_picking_a_series_fades_the_other_series_nodes_and_links() -> None:
    nodes, edges = payload_frames(_payload([3, 3, 2]), picked="S-001")
    spec = graph_spec(nodes, edges, picked="S-001")
    picked_edges = [row["picked"] for row in spec["datasets"]["edges"]]
    assert picked_edges == [False, False, True, True, False]
    edge_opacity = spec["layer"][0]["encoding"]["opacity"]
    assert edge_opacity["condition"] == {"test": "datum.picked", "value": 0.9}
    assert edge_opacity["value"] <= 0.15
    assert _node_layer(spec)["encoding"]["opacity"]["value"] <= 0.25
    plain = graph_spec(*payload_frames(_payload([3, 3, 2]), picked=None), picked=None)
    assert plain["layer"][0]["encoding"]["opacity"]["value"] >= 0.8, "no pick: nothing faded"


def test_the_link_legend_is_never_cut() -> None:
    nodes, edges = payload_frames(_payload([2, 2]), picked=None)
    legend = graph_spec(nodes, edges, picked=None)["layer"][0]["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0
    assert "lead (dashed, unconfirmed)" in legend["labelExpr"]


def test_payload_frames_of_an_empty_payload_are_empty() -> None:
    nodes, edges = payload_frames({"nodes": [], "edges": []}, picked=None)
    assert nodes.empty and edges.empty and isinstance(nodes, pd.DataFrame)
