"""JSON node-link (the networkx / D3 shape) with a ``metadata`` block."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from linking.exports._common import prepare


def export_json(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Return ``{"metadata": ..., "directed", "multigraph", "graph", "nodes", "edges"}`` as UTF-8 JSON.

    Strict JSON: ``clean_value`` leaves NaN and infinity out of the export graph.
    """
    graph, block = prepare(
        selection, export_format="json",
        include_sensitive=include_sensitive, generalise_addresses=generalise_addresses,
    )
    document = {"metadata": block, **nx.node_link_data(graph)}  # networkx 3.6 names the list "edges"
    return json.dumps(document, ensure_ascii=False, indent=1).encode()
