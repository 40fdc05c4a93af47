"""The link graph, drawn from server-side positions as a Vega-Lite chart (no browser physics).

Altair ships with Streamlit and Vega renders offline, so the graph needs no
extra JavaScript. Nodes are coloured by series and sized by degree; hit
edges are solid, lead edges dashed (plus a different colour), so the two
never look the same. Clicking a node picks its series.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from data import schema as S
from geo.palette import LINK_STYLES
from ui.context import PageContext
from ui.loading import graph_payload_for
from ui.picking import GRAPH_PARAM, K_GRAPH, on_graph_select

MAX_GRAPH_NODES = 1_500
GRAPH_HEIGHT = 520


def _dash(pattern: str | None) -> list[int]:
    """Turn an SVG dash pattern ("6 6") into Vega's list form ([] is solid)."""
    return [int(float(part)) for part in pattern.split()] if pattern else [1, 0]


def payload_frames(payload: Mapping[str, Any], picked: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (nodes, edges) frames for the chart from a ``graph_payload`` dict.

    Edges carry both end points' positions; ``picked`` marks the picked series.
    """
    nodes = pd.DataFrame(list(payload.get("nodes", [])))
    if nodes.empty:
        return nodes, pd.DataFrame()
    nodes["picked"] = nodes[S.SERIES_ID].astype(str) == (picked or "")
    edges = pd.DataFrame(list(payload.get("edges", [])))
    if not edges.empty:
        where = nodes.set_index("id")[["x", "y"]]
        edges = edges.join(where, on="source").join(where.rename(columns={"x": "x2", "y": "y2"}), on="target")
        edges = edges.dropna(subset=["x", "y", "x2", "y2"])
    return nodes, edges


def graph_chart(nodes: pd.DataFrame, edges: pd.DataFrame, *, picked: str | None) -> alt.LayerChart:
    """Build the layered chart: edges (dash and colour by status) under nodes (colour by series)."""
    axis_off = alt.Axis(labels=False, ticks=False, title=None, grid=False, domain=False)
    statuses = list(S.LINK_STATUSES)
    edge_layer = (
        alt.Chart(edges)
        .mark_rule(strokeWidth=1.6, opacity=0.8)
        .encode(
            x=alt.X("x:Q", axis=axis_off),
            y=alt.Y("y:Q", axis=axis_off),
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=statuses, range=[LINK_STYLES[s][0] for s in statuses]),
                legend=alt.Legend(
                    title="Link",
                    orient="bottom",
                    labelExpr="datum.label == 'lead' ? "
                    "'lead (dashed, unconfirmed)' : datum.label == 'hit' ? 'hit (solid, confirmed)' "
                    ": datum.label",
                ),
            ),
            strokeDash=alt.StrokeDash(
                "status:N",
                scale=alt.Scale(domain=statuses, range=[_dash(LINK_STYLES[s][1]) for s in statuses]),
                legend=None,
            ),
        )
    )
    pick = alt.selection_point(name=GRAPH_PARAM, fields=[S.SERIES_ID], on="click", empty=False)
    tooltip = [alt.Tooltip("label:N", title="Incident"), alt.Tooltip(f"{S.SERIES_ID}:N", title="Series")]
    if "degree" in nodes.columns:
        tooltip.append(alt.Tooltip("degree:Q", title="Links"))
    node_layer = (
        alt.Chart(nodes)
        .mark_circle(opacity=0.95, stroke="#000000")
        .encode(
            x=alt.X("x:Q", axis=axis_off),
            y=alt.Y("y:Q", axis=axis_off),
            color=alt.Color("colour:N", scale=None),
            size=alt.Size("size:Q", scale=alt.Scale(range=[12, 140]), legend=None),
            strokeWidth=alt.condition("datum.picked", alt.value(3), alt.value(0)),
            opacity=alt.value(1.0)
            if not picked
            else alt.condition("datum.picked", alt.value(1.0), alt.value(0.35)),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    layers = [edge_layer, node_layer] if not edges.empty else [node_layer]
    return alt.layer(*layers).properties(height=GRAPH_HEIGHT).configure_view(stroke=None)


def graph_ui(ctx: PageContext) -> None:
    """Draw the link graph of the page's selection (capped); clicking a node picks its series."""
    selection, series_id = ctx.selection, ctx.series_id
    with st.spinner("Laying out the link graph..."):
        payload = graph_payload_for(
            ctx.db_url, ctx.dataset_version, selection.filters, ctx.reference_date, MAX_GRAPH_NODES
        )
    nodes, edges = payload_frames(payload, series_id)
    linked = int(selection.incidents[S.SERIES_ID].notna().sum())
    if nodes.empty:
        st.info("No linked incidents in this filter, so there is no link graph to draw.")
        return
    shown_series = nodes[S.SERIES_ID].nunique()
    st.altair_chart(
        graph_chart(nodes, edges, picked=series_id),
        key=K_GRAPH,
        on_select=on_graph_select,
        selection_mode=GRAPH_PARAM,
        width="stretch",
    )
    note = f"{len(nodes):,} incidents in {shown_series:,} series, {len(edges):,} links."
    if len(nodes) < linked:
        note += (
            f" Capped at {MAX_GRAPH_NODES:,} nodes (largest and most recently active series first); "
            f"{linked - len(nodes):,} linked incidents are only in the series table."
        )
    st.caption(note + " Click a node to pick its series.")
