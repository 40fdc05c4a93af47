"""GraphML for Gephi, Cytoscape and yEd."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from linking.exports._common import clean_value, prepare
from linking.exports._xml import clean_graph


def export_graphml(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Return the selection as GraphML (UTF-8); the metadata block sits in the graph's ``<data>``."""
    graph, block = prepare(
        selection, export_format="graphml",
        include_sensitive=include_sensitive, generalise_addresses=generalise_addresses,
    )
    for key, value in block.items():
        if isinstance(value, dict):
            value = "; ".join(f"{k} = {v}" for k, v in value.items())
        graph.graph[f"meta_{key}"] = clean_value(value)
    buffer = io.BytesIO()
    # UTF-8, one element a line (the writer's defaults); keys named after their field, not d0, d1...
    nx.write_graphml(clean_graph(graph), buffer, named_key_ids=True)
    return buffer.getvalue()
