"""The link graph, drawn from server-side positions as a Vega-Lite chart (no browser physics).

Altair ships with Streamlit and Vega renders offline, so the graph needs no
extra JavaScript. Nodes are coloured by series and sized by degree; hit
edges are solid, lead edges dashed (plus a different colour), so the two
never look the same. Clicking a node picks its series.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from data import schema as S
from geo.palette import LINK_STYLES, distinct_series_styles
from linking.filters import Filters
from ui.context import PageContext
from ui.loading import graph_payload_for
from ui.picking import GRAPH_PARAM, K_GRAPH, on_graph_select

MAX_GRAPH_NODES = 600
CANVAS_FROM_NODES = 300  # bigger graphs are drawn on a canvas (fewer DOM nodes, faster on a busy machine)
GRAPH_HEIGHT = 520


def _dash(pattern: str | None) -> list[int]:
    """Turn an SVG dash pattern ("6 6") into Vega's list form ([] is solid)."""
    return [int(float(part)) for part in pattern.split()] if pattern else [1, 0]


def payload_frames(payload: Mapping[str, Any], picked: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (nodes, edges) frames for the chart from a ``graph_payload`` dict.

    Each series in view gets its own colour and shape
    (:func:`geo.palette.distinct_series_styles`, in layout order); edges carry
    both end points' positions; ``picked`` marks the picked series' nodes and edges.
    """
    nodes = pd.DataFrame(list(payload.get("nodes", [])))
    if nodes.empty:
        return nodes, pd.DataFrame()
    series = nodes[S.SERIES_ID].astype(str)
    styles = distinct_series_styles(series.tolist())
    nodes["colour"] = series.map(lambda s: styles[s][0])
    nodes["shape"] = series.map(lambda s: styles[s][1])
    nodes["picked"] = series == (picked or "")
    edges = pd.DataFrame(list(payload.get("edges", [])))
    if not edges.empty:
        where = nodes.set_index("id")[["x", "y", "picked"]]
        edges = edges.join(where, on="source").join(
            where[["x", "y"]].rename(columns={"x": "x2", "y": "y2"}), on="target"
        )
        edges = edges.dropna(subset=["x", "y", "x2", "y2"])
        edges["picked"] = edges["picked"].astype(bool)
    return nodes, edges


_AXIS_OFF: dict[str, Any] = {"labels": False, "ticks": False, "title": None, "grid": False, "domain": False}
NODE_FIELDS: tuple[str, ...] = (
    "x", "y", "colour", "shape", "size", "label", "id", S.SERIES_ID, "degree", "picked", S.IN_FILTER,
)  # fmt: skip
EDGE_FIELDS: tuple[str, ...] = ("x", "y", "x2", "y2", "status", "picked")
LABELS_UP_TO = 60  # more nodes than this: a node's name shows on hover (tooltip) only
NODE_VIEW = "graph_nodes"


def _records(frame: pd.DataFrame, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Only the columns the chart reads, as JSON-ready records (less to send)."""
    kept = frame[[name for name in fields if name in frame.columns]]
    return kept.astype(object).where(kept.notna(), None).to_dict("records")


def graph_spec(nodes: pd.DataFrame, edges: pd.DataFrame, *, picked: str | None) -> dict[str, Any]:
    """Return the graph's Vega-Lite spec: edges (dash, colour by status) under nodes (colour by series).

    Written as a plain dict (no Altair validation on every filter change) with
    the data as two named datasets holding only the columns drawn. Vega draws
    it as SVG, or on a canvas from :data:`CANVAS_FROM_NODES` nodes.

    Examples
    --------
    >>> nodes = pd.DataFrame({"id": ["a"], "x": [0.0], "y": [1.0], "colour": ["#111111"], "size": [4.0],
    ...                       "label": ["a"], S.SERIES_ID: ["S-1"], "picked": [False]})
    >>> spec = graph_spec(nodes, pd.DataFrame(), picked=None)  # nodes, then their labels (one node)
    >>> len(spec["layer"]), spec["datasets"]["nodes"][0][S.SERIES_ID], spec["params"][0]["name"]
    (2, 'S-1', 'pick')
    """
    drawn = set(edges["status"].astype(str)) if "status" in edges.columns else set()
    statuses = [status for status in S.LINK_STATUSES if status in drawn] or list(S.LINK_STATUSES)
    tooltip: list[dict[str, Any]] = [
        {"field": "label", "type": "nominal", "title": "Incident"},
        {"field": S.SERIES_ID, "type": "nominal", "title": "Series"},
    ]
    if "degree" in nodes.columns:
        tooltip.append({"field": "degree", "type": "quantitative", "title": "Links"})
    if S.IN_FILTER in nodes.columns:
        tooltip.append({"field": S.IN_FILTER, "type": "nominal", "title": "In filter"})
    node_layer: dict[str, Any] = {
        "name": NODE_VIEW,
        "data": {"name": "nodes"},
        "mark": {"type": "point", "filled": True, "opacity": 0.95, "stroke": "#000000"},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "axis": _AXIS_OFF},
            "y": {"field": "y", "type": "quantitative", "axis": _AXIS_OFF},
            "color": {"field": "colour", "type": "nominal", "scale": None},
            "shape": {"field": "shape", "type": "nominal", "scale": None},
            "size": {"field": "size", "type": "quantitative", "scale": {"range": [12, 140]}, "legend": None},
            "strokeWidth": {"condition": {"test": "datum.picked", "value": 3}, "value": 0},
            # faded: not the picked series, or a shooting outside the filter (its series is shown whole)
            "opacity": {
                "condition": [
                    {"test": f"datum.picked && datum.{S.IN_FILTER} !== false", "value": 1.0},
                    {"test": "datum.picked", "value": 0.55},
                    {"test": f"datum.{S.IN_FILTER} === false", "value": 0.25},
                ],
                "value": 0.2 if picked else 1.0,
            },
            "tooltip": tooltip,
        },
    }
    label_layer: dict[str, Any] = {
        "data": {"name": "nodes"},
        # slanted, so the labels of a chain laid out in a row do not run into each other
        "mark": {"type": "text", "angle": -40, "align": "left", "dx": 5, "dy": -5, "fontSize": 9,
                 "color": "#333333"},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "axis": _AXIS_OFF},
            "y": {"field": "y", "type": "quantitative", "axis": _AXIS_OFF},
            "text": {"field": "id", "type": "nominal"},
            "opacity": {"condition": {"test": "datum.picked", "value": 1.0}, "value": 0.3 if picked else 1.0},
        },
    }
    edge_layer: dict[str, Any] = {
        "data": {"name": "edges"},
        "mark": {"type": "rule", "strokeWidth": 1.6},
        "encoding": {
            # a picked series' links stay strong; the others fade behind it
            "opacity": {"condition": {"test": "datum.picked", "value": 0.9}, "value": 0.1 if picked else 0.8},
            "x": {"field": "x", "type": "quantitative", "axis": _AXIS_OFF},
            "y": {"field": "y", "type": "quantitative", "axis": _AXIS_OFF},
            "x2": {"field": "x2"},
            "y2": {"field": "y2"},
            "color": {
                "field": "status",
                "type": "nominal",
                "scale": {"domain": statuses, "range": [LINK_STYLES[s][0] for s in statuses]},
                "legend": {
                    "title": "Link",
                    "orient": "bottom",
                    "labelLimit": 0,  # never cut "lead (dashed, unconfirmed)"
                    "columns": 2,  # two to a row: the legend stays as narrow as the graph's column
                    "labelExpr": "datum.label == 'lead' ? 'lead (dashed, unconfirmed)' : "
                    "datum.label == 'hit' ? 'hit (solid, confirmed)' : datum.label",
                },
            },
            "strokeDash": {
                "field": "status",
                "type": "nominal",
                "scale": {"domain": statuses, "range": [_dash(LINK_STYLES[s][1]) for s in statuses]},
                "legend": None,
            },
        },
    }
    has_edges = not edges.empty
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "height": GRAPH_HEIGHT,
        "config": {"view": {"stroke": None}},
        "usermeta": {"embedOptions": {"renderer": "canvas" if len(nodes) >= CANVAS_FROM_NODES else "svg"}},
        "datasets": {
            "nodes": _records(nodes, NODE_FIELDS),
            **({"edges": _records(edges, EDGE_FIELDS)} if has_edges else {}),
        },
        "layer": [edge_layer] * has_edges + [node_layer] + [label_layer] * (len(nodes) <= LABELS_UP_TO),
        "params": [
            {
                "name": GRAPH_PARAM,
                "select": {"type": "point", "fields": [S.SERIES_ID], "on": "click"},
                "views": [NODE_VIEW],
            }
        ],
    }


def graph_chart(nodes: pd.DataFrame, edges: pd.DataFrame, *, picked: str | None) -> alt.LayerChart:
    """The same chart as :func:`graph_spec`, as an Altair object (for saving or measuring it)."""
    return alt.LayerChart.from_dict(graph_spec(nodes, edges, picked=picked), validate=False)


@st.cache_data(show_spinner=False, max_entries=16)
def graph_view_for(
    url: str, dataset_version: str, filters: Filters, today: date | None, max_nodes: int, picked: str | None
) -> tuple[dict[str, Any], int, int, int]:
    """Return (spec, nodes, series, links) of the graph view (cached per filter and pick; a copy per run)."""
    payload = graph_payload_for(url, dataset_version, filters, today, max_nodes).result()
    nodes, edges = payload_frames(payload, picked)
    if nodes.empty:
        return {}, 0, 0, 0
    return graph_spec(nodes, edges, picked=picked), len(nodes), int(nodes[S.SERIES_ID].nunique()), len(edges)


def start_graph(ctx: PageContext) -> None:
    """Start laying out the page's link graph on a worker thread (call before drawing the map)."""
    filters = ctx.selection.filters
    graph_payload_for(ctx.db_url, ctx.dataset_version, filters, ctx.reference_date, MAX_GRAPH_NODES)


def graph_ui(ctx: PageContext) -> None:
    """Draw the link graph of the page's selection (capped); clicking a node picks its series."""
    selection, series_id = ctx.selection, ctx.series_id
    with st.spinner("Laying out the link graph..."):
        spec, shown, shown_series, shown_links = graph_view_for(
            ctx.db_url, ctx.dataset_version, selection.filters, ctx.reference_date, MAX_GRAPH_NODES, series_id
        )
    if not shown:
        links = len(selection.links)
        if links:  # e.g. one shooting linked only to a test-fired gun: a link, but no series
            st.info(
                f"{links:,} link{'s' if links != 1 else ''} in this filter but no series to draw: a series "
                "needs two or more shootings tied together (one shooting linked only to a test-fired gun "
                "is not a series)."
            )
        else:
            st.info("No linked incidents in this filter, so there is no link graph to draw.")
        return
    linked = int(selection.incidents[S.SERIES_ID].notna().sum())
    st.vega_lite_chart(
        spec,
        key=K_GRAPH,
        on_select=on_graph_select,
        selection_mode=GRAPH_PARAM,
        width="stretch",
    )
    note = f"{shown:,} incidents in {shown_series:,} series, {shown_links:,} links."
    if shown < linked:
        note += (
            f" Capped at {MAX_GRAPH_NODES:,} nodes (largest and most recently active series first); "
            f"{linked - shown:,} linked incidents are only in the series table."
        )
    st.caption(note + " Click a node to pick its series.")
