"""A compact, JSON-ready description of the graph for the browser (the dashboard's graph view)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import networkx as nx

from data import schema as S
from geo.palette import LINK_STYLES, series_colour

MAX_PAYLOAD_BYTES = 1_000_000


def _node_entry(node: str, data: Mapping, position: tuple[float, float], degree: int) -> dict:
    when = str(data.get(S.LOCAL_TIME) or data.get(S.OCCURRED_AT) or "")[:10]
    label = f"{node} {when}".strip()
    return {
        "id": str(node),
        "x": round(float(position[0]), 5),
        "y": round(float(position[1]), 5),
        "colour": series_colour(data.get(S.SERIES_ID)),
        "size": round(4.0 + 3.0 * min(degree, 16) ** 0.5, 2),
        "label": label,
        "series_id": data.get(S.SERIES_ID),
        "city": data.get(S.CITY),
        "type": data.get(S.INCIDENT_TYPE),
        S.IN_FILTER: bool(data.get(S.IN_FILTER, True)),  # False: shown because its series is in view
    }


def _edge_entry(a: str, b: str, data: Mapping) -> dict:
    status = str(data.get("status", "lead"))
    colour, dash, _ = LINK_STYLES.get(status, LINK_STYLES["lead"])
    return {
        "source": str(a),
        "target": str(b),
        "status": status,
        "dash": dash,
        "colour": colour,
        "width": 2.5 if status == "hit" else 1.5,
        "lead_numbers": list(data.get("lead_numbers") or []),
    }


def graph_payload(
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    *,
    max_bytes: int = MAX_PAYLOAD_BYTES,
) -> dict:
    """Return nodes (x, y, colour by series, size by degree, label) and edges (status, dash) as plain data.

    Nodes without a position are left out (with their edges). When the JSON
    text would exceed ``max_bytes``, whole series are dropped from the end
    (the smallest first) until it fits; ``truncated`` and ``dropped_nodes``
    say so. Labels are plain text: the browser side must still escape them.

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"status": "hit"})])
    >>> p = graph_payload(g, {"a": (0, 0), "b": (1, 0)})
    >>> [n["id"] for n in p["nodes"]], p["edges"][0]["dash"], p["truncated"]
    (['a', 'b'], None, False)
    """
    nodes = [n for n in graph.nodes if str(n) in positions or n in positions]
    degree = dict(graph.degree())
    node_entries = [
        _node_entry(str(n), graph.nodes[n], positions.get(str(n), positions.get(n)), degree[n])  # type: ignore[arg-type]
        for n in nodes
    ]
    shown = {entry["id"] for entry in node_entries}
    edge_entries = [
        _edge_entry(a, b, d) for a, b, d in graph.edges(data=True) if str(a) in shown and str(b) in shown
    ]
    payload: dict[str, Any] = {
        "nodes": node_entries,
        "edges": edge_entries,
        "legend": {
            status: {"colour": c, "dash": d, "label": label} for status, (c, d, label) in LINK_STYLES.items()
        },
        "caution": S.LEAD_DISCLAIMER,
        "truncated": bool(graph.graph.get("truncated", False)),
        "dropped_nodes": 0,
    }
    size = len(json.dumps(payload))
    if size <= max_bytes:
        return payload
    # Drop whole components, smallest (least important) first, until it fits.
    components = sorted(
        nx.connected_components(graph.subgraph(nodes)), key=lambda c: (len(c), min(map(str, c)))
    )
    per_node = size / max(len(node_entries), 1)
    dropped: set[str] = set()
    for component in components:
        if size - per_node * len(dropped) <= max_bytes * 0.95:
            break
        dropped.update(map(str, component))
    payload["nodes"] = [e for e in node_entries if e["id"] not in dropped]
    payload["edges"] = [
        e for e in edge_entries if e["source"] not in dropped and e["target"] not in dropped
    ]
    payload["truncated"] = True
    payload["dropped_nodes"] = len(dropped)
    while len(json.dumps(payload)) > max_bytes and payload["nodes"]:
        cut = max(1, len(payload["nodes"]) // 10)
        gone = {e["id"] for e in payload["nodes"][-cut:]}
        payload["nodes"] = payload["nodes"][:-cut]
        payload["edges"] = [
            e for e in payload["edges"] if e["source"] not in gone and e["target"] not in gone
        ]
        payload["dropped_nodes"] += len(gone)
    return payload
