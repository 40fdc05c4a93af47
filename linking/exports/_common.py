"""What every export shares: the export graph, cleaned attribute values and the metadata block.

Every format is written from :func:`export_graph`, so all of them hold the
same nodes (the selection's incidents), the same edges (its links merged per
incident pair, lead vs hit on each) and the same header.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import networkx as nx
import pandas as pd

from data import schema as S
from linking.addresses import generalise_address
from linking.counting import count_links
from linking.graph import build_incident_graph

# XML 1.0 forbids these; spreadsheets and GIS tools choke on them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
LIST_SEPARATOR = "; "


def clean_text(value: object) -> str:
    """Return ``value`` as text without control characters (tab and newlines kept).

    Examples
    --------
    >>> clean_text("bad\\x00\\x1bnote\\nline two")
    'badnote\\nline two'
    """
    return _CONTROL.sub("", str(value))


def clean_value(value: Any) -> str | int | float | bool | None:
    """Return a scalar every format can hold: None for missing, lists joined with ``"; "``.

    Examples
    --------
    >>> clean_value(["L-1", None, "L-2"]), clean_value(float("nan")), clean_value(pd.Timestamp("2019-01-02"))
    ('L-1; L-2', None, '2019-01-02T00:00:00')
    """
    if type(value) is str:
        return _CONTROL.sub("", value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, set)):
        items = [clean_value(v) for v in value]
        return LIST_SEPARATOR.join(str(v) for v in items if v is not None)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()  # str() would put a space between date and time
    if hasattr(value, "item"):  # numpy scalar
        return clean_value(value.item())
    return clean_text(value)


def generalised_selection(selection: Any, generalise_addresses: bool = True) -> Any:
    """Return the selection with addresses cut to the block (the input is not changed)."""
    if not generalise_addresses or S.ADDRESS not in selection.incidents.columns:
        return selection
    incidents = selection.incidents.copy()
    text = incidents[S.ADDRESS].astype("string")
    incidents[S.ADDRESS] = text.map(generalise_address, na_action="ignore").astype("string")
    return replace(selection, incidents=incidents)


def export_graph(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> nx.Graph:
    """Return the graph every format writes: all selected incidents, merged links, cleaned values.

    Node and edge attribute values are scalars (lists joined with ``"; "``,
    times as ISO text, missing values left out); each attribute name keeps one
    type across the graph, so GraphML and GEXF readers accept it.
    """
    chosen = generalised_selection(selection, generalise_addresses)
    raw = build_incident_graph(
        chosen.incidents,
        chosen.links,
        statuses=selection.filters.link_statuses,
        include_unlinked=True,
        include_sensitive=include_sensitive,
        dataset_version=selection.dataset_version,
        filter_description=selection.filters.describe(),
    )
    serials: dict[str, str] = {}
    firearms = selection.firearms
    if include_sensitive and S.SERIAL_NUMBER in firearms.columns:
        known = firearms.loc[firearms[S.SERIAL_NUMBER].notna(), [S.FIREARM_ID, S.SERIAL_NUMBER]]
        serials = {str(f): str(s) for f, s in known.to_numpy()}
    graph = nx.Graph()
    graph.graph.update({k: clean_value(v) for k, v in raw.graph.items()})
    for node, data in raw.nodes(data=True):
        attrs: dict[str, Any] = {}
        for key, value in data.items():
            cleaned = clean_value(value)
            if cleaned is not None:
                attrs[key] = float(cleaned) if key in (S.LATITUDE, S.LONGITUDE) else cleaned
        attrs[S.INCIDENT_ID] = str(node)
        if "firearm_ids" in data:
            found = [serials[f] for f in data["firearm_ids"] if f in serials]
            if found:
                attrs["firearm_serials"] = LIST_SEPARATOR.join(found)
        graph.add_node(clean_text(node), **attrs)
    for a, b, data in raw.edges(data=True):
        attrs = {key: clean_value(value) for key, value in data.items()}
        attrs = {key: value for key, value in attrs.items() if value is not None}
        attrs[S.INCIDENT_A] = str(a)
        attrs[S.INCIDENT_B] = str(b)
        attrs["weight"] = int(data[S.ASSOCIATION_COUNT])
        graph.add_edge(clean_text(a), clean_text(b), **attrs)
    _add_series_fields(graph, selection)
    return graph


SERIES_NODE_FIELDS: tuple[tuple[str, str], ...] = (
    ("series_size", S.SERIES_SIZE),
    ("series_leads", S.SERIES_LEADS),
    ("series_hits", S.SERIES_HITS),
)


def _add_series_fields(graph: nx.Graph, selection: Any) -> None:
    """Per node: ``in_filter``, its series' size, leads and hits (:mod:`linking.counting`) and the
    network measures of :func:`linking.metrics.node_measures` (degree, betweenness, bridging)."""
    from linking.metrics import node_measures

    incidents = selection.incidents
    if S.IN_FILTER in incidents.columns:
        ids, inside = incidents[S.INCIDENT_ID].astype(str), incidents[S.IN_FILTER].astype(bool)
        flags = dict(zip(ids, inside, strict=True))
        for node, data in graph.nodes(data=True):
            data[S.IN_FILTER] = bool(flags.get(str(data.get(S.INCIDENT_ID, node)), True))
    table = selection.series
    if len(table):
        by_series = table.set_index(table[S.SERIES_ID].astype(str))
        for _, data in graph.nodes(data=True):
            series_id = data.get(S.SERIES_ID)
            if series_id is None or str(series_id) not in by_series.index:
                continue
            row = by_series.loc[str(series_id)]
            for name, column in SERIES_NODE_FIELDS:
                data[name] = int(row[column])
    measures = node_measures(graph)
    for incident, degree, betweenness, bridging in zip(
        measures[S.INCIDENT_ID].astype(str), measures[S.DEGREE], measures[S.BETWEENNESS],
        measures[S.IS_ARTICULATION], strict=True,
    ):  # fmt: skip
        data = graph.nodes[incident]
        data[S.DEGREE] = int(degree)
        data[S.BETWEENNESS] = float(betweenness)
        data[S.IS_ARTICULATION] = bool(bridging)


def metadata(
    selection: Any,
    graph: nx.Graph,
    *,
    export_format: str,
    include_sensitive: bool,
    generalise_addresses: bool,
) -> dict[str, Any]:
    """The header block every export carries: what produced it and how to read lead vs hit."""
    counted = count_links(selection.links)
    block: dict[str, Any] = {
        "title": "brassmap export",
        "format": export_format,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dataset_version": selection.dataset_version,
        "filter": selection.filters.describe(),
        "caution": S.LEAD_DISCLAIMER,
        "edge_status": "Each link carries 'status': hit = examiner-confirmed; lead = unconfirmed, "
        "investigative only. An edge with both a lead and a hit is a hit; 'statuses' keeps the history.",
        "status_labels": {s: S.LINK_STATUS_LABELS[s] for s in selection.filters.link_statuses},
        "synthetic": bool(getattr(selection, "is_synthetic", False)),
        "sensitive_fields_included": bool(include_sensitive),
        "addresses_generalised_to_block": bool(generalise_addresses),
        "incidents": graph.number_of_nodes(),
        "links": counted.total,
        "leads": counted.leads,
        "hits": counted.hits,
        "edges": graph.number_of_edges(),
        "counting": "Each link counts once, by its current status (a lead later confirmed is a hit); "
        "a test fire linked to a scene is a link of its series (node field firearm_ids, not an edge).",
        "series": len(selection.series),
    }
    if block["synthetic"]:
        block["synthetic_label"] = S.SYNTHETIC_LABEL
    return block


def metadata_text(block: dict[str, Any]) -> str:
    """The metadata block as plain lines ``key: value`` (for KML, GEXF and the CSV bundle)."""
    lines = []
    for key, value in block.items():
        if isinstance(value, dict):
            value = "; ".join(f"{k} = {v}" for k, v in value.items())
        lines.append(f"{key}: {clean_text(value)}")
    return "\n".join(lines)


def node_table(graph: nx.Graph) -> pd.DataFrame:
    """One row per node (``incident_id`` first), columns = the union of node attributes."""
    rows = [dict(data) for _, data in graph.nodes(data=True)]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame({S.INCIDENT_ID: pd.Series(dtype="object")})
    columns = [S.INCIDENT_ID] + [c for c in frame.columns if c != S.INCIDENT_ID]
    return frame[columns]


def edge_table(graph: nx.Graph) -> pd.DataFrame:
    """One row per edge (``incident_a``, ``incident_b``, ``status`` first)."""
    rows = [dict(data) for _, _, data in graph.edges(data=True)]
    first = [S.INCIDENT_A, S.INCIDENT_B, S.STATUS]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in first})
    return frame[first + [c for c in frame.columns if c not in first]]


def prepare(
    selection: Any, *, export_format: str, include_sensitive: bool, generalise_addresses: bool
) -> tuple[nx.Graph, dict[str, Any]]:
    """Return the export graph and its metadata block (the first step of every exporter)."""
    graph = export_graph(
        selection, include_sensitive=include_sensitive, generalise_addresses=generalise_addresses
    )
    block = metadata(
        selection,
        graph,
        export_format=export_format,
        include_sensitive=include_sensitive,
        generalise_addresses=generalise_addresses,
    )
    return graph, block
