"""Positions for drawing the graph without browser physics (computed server-side).

Every function returns ``{incident id: (x, y)}`` and is deterministic: the
same graph gives the same picture, so a bulletin can be redrawn.
"""

from __future__ import annotations

import math
import random
import threading

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from data import schema as S

Positions = dict[str, tuple[float, float]]
_KAMADA_KAWAI_LIMIT = 400
_RNG_LOCK = threading.Lock()


def _component_shape(nodes: list[str], graph: nx.Graph, seed: int) -> np.ndarray:
    """Lay out one component, centred on 0 and scaled to a box about sqrt(n) wide."""
    count = len(nodes)
    if count == 1:
        return np.zeros((1, 2))
    if count == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in graph.subgraph(nodes).edges]
    small = ig.Graph(n=count, edges=edges)
    start = np.random.default_rng(seed).random((count, 2)).tolist()
    if count <= _KAMADA_KAWAI_LIMIT:
        coords = np.asarray(small.layout_kamada_kawai(seed=start).coords, dtype=float)
    else:
        # Fruchterman-Reingold draws from igraph's RNG: seed a private one for the call.
        with _RNG_LOCK:
            ig.set_random_number_generator(random.Random(seed))
            try:
                layout = small.layout_fruchterman_reingold(seed=start, grid=True)
                coords = np.asarray(layout.coords, dtype=float)
            finally:
                ig.set_random_number_generator(random)
    coords -= coords.mean(axis=0)
    extent = float(np.abs(coords).max()) or 1.0
    return coords / extent * (math.sqrt(count) / 2.0)


def packed_series_layout(graph: nx.Graph, *, seed: int = 2019, padding: float = 1.0) -> Positions:
    """Lay out each series (connected component) on its own, then pack them in rows.

    Largest series first, left to right, top to bottom; rows are about as wide
    as the square root of the total area, so the picture is roughly square.
    Components up to 400 nodes use Kamada-Kawai, larger ones
    Fruchterman-Reingold (both igraph, seeded).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> pos = packed_series_layout(g)
    >>> sorted(pos) == ["a", "b", "c", "x", "y"] and pos == packed_series_layout(g)
    True
    """
    components = sorted(
        (sorted(map(str, c)) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    shapes = [_component_shape(nodes, graph, seed) for nodes in components]
    boxes = [(s[:, 0].max() - s[:, 0].min(), s[:, 1].max() - s[:, 1].min()) for s in shapes]
    area = sum((w + padding) * (h + padding) for w, h in boxes)
    row_width = max(math.sqrt(area), max((w for w, _ in boxes), default=0.0))
    positions: Positions = {}
    x = y = row_height = 0.0
    for nodes, shape, (width, height) in zip(components, shapes, boxes, strict=True):
        if x > 0 and x + width > row_width:
            x = 0.0
            y -= row_height + padding
            row_height = 0.0
        left, top = shape[:, 0].min(), shape[:, 1].max()
        for node, (px, py) in zip(nodes, shape, strict=True):
            positions[node] = (round(float(px - left + x), 6), round(float(py - top + y), 6))
        x += width + padding
        row_height = max(row_height, height)
    return positions


def geographic_layout(graph: nx.Graph) -> Positions:
    """Place each incident at its location: ``(longitude, latitude)`` in WGS84.

    Nodes without both coordinates are left out.
    """
    positions: Positions = {}
    for node, data in graph.nodes(data=True):
        lon, lat = data.get(S.LONGITUDE), data.get(S.LATITUDE)
        if lon is None or lat is None:
            continue
        if math.isfinite(float(lon)) and math.isfinite(float(lat)):
            positions[str(node)] = (float(lon), float(lat))
    return positions


def chronological_layout(graph: nx.Graph, *, lane_gap: float = 1.0) -> Positions:
    """x = time of the shooting, y = one lane per series.

    x is in days since 1970-01-01 (UTC, fractional). Lanes go down from 0 in
    order of each series' first shooting (``series_id`` attribute, or the
    connected component when nodes carry none); nodes without a time are
    left out.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", occurred_at="2019-01-02T00:00:00Z", series_id="S-a")
    >>> g.add_node("b", occurred_at="2019-01-03T12:00:00Z", series_id="S-a")
    >>> g.add_node("c", occurred_at="2018-12-31T00:00:00Z", series_id="S-c")
    >>> chronological_layout(g)
    {'c': (17896.0, 0.0), 'a': (17898.0, -1.0), 'b': (17899.5, -1.0)}
    """
    component_of: dict[str, str] = {}
    for nodes in nx.connected_components(graph):
        name = "component:" + min(map(str, nodes))
        for node in nodes:
            component_of[str(node)] = name
    rows = []
    for node, data in graph.nodes(data=True):
        when = data.get(S.OCCURRED_AT)
        if when is None:
            continue
        stamp = pd.Timestamp(when)
        stamp = stamp.tz_convert("UTC") if stamp.tzinfo is not None else stamp.tz_localize("UTC")
        lane = data.get(S.SERIES_ID) or component_of[str(node)]
        rows.append((str(node), stamp.value / 86_400e9, str(lane)))
    if not rows:
        return {}
    frame = pd.DataFrame(rows, columns=["node", "x", "lane"])
    order = frame.groupby("lane")["x"].min().reset_index().sort_values(["x", "lane"])
    lane_number = {lane: i for i, lane in enumerate(order["lane"])}
    frame = frame.sort_values(["x", "node"])
    return {
        node: (round(float(x), 6), 0.0 - lane_gap * lane_number[lane] + 0.0)
        for node, x, lane in frame.itertuples(index=False)
    }
