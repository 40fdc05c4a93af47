"""The incident link graph: networkx, node = incident, edge = merged link provenance.

Node id is the incident id (string); node attributes are the incident fields
an analyst reads (times as ISO 8601 text). Edge attributes carry provenance:

``status``            strongest counted status: ``hit`` > ``lead`` > ``pending`` > ``excluded``
``statuses``          every counted link row's status, oldest lead first (the lead history)
``lead_numbers``      distinct NIBIN lead numbers
``first_lead_date``   earliest lead date (ISO date) or None
``confirmed_date``    earliest confirmation date (ISO date) or None
``association_count`` evidence-pair associations merged into the edge
``link_ids``, ``sites``, ``notes``  the merged rows' ids, sites and notes

Only the graph shown (capped) is ever built; series over all data come from
:mod:`linking.series`, never from networkx.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from data import schema as S
from linking.codes import positions
from linking.pairs import STATUS_RANK, incident_links

NODE_FIELDS: tuple[str, ...] = (
    S.CITY,
    S.STATE,
    S.OCCURRED_AT,
    S.LOCAL_TIME,
    S.INCIDENT_TYPE,
    S.KILLED,
    S.INJURED,
    S.AGENCY,
    S.CASE_NUMBER,
    S.ADDRESS,
    S.DISTRICT,
    S.NEIGHBOURHOOD,
    S.LATITUDE,
    S.LONGITUDE,
    S.CALIBER,
    S.SERIES_ID,
    S.FAR_FROM_CITY,
    S.IS_SYNTHETIC,
    S.IN_FILTER,
)
SENSITIVE_NODE_FIELDS: tuple[str, ...] = (S.NARRATIVE,)
EDGE_LISTS = ("statuses", "lead_numbers", "link_ids", "sites", "notes")


def _plain(value: Any) -> Any:
    """Python value for a cell: None for missing, ISO text for times, int/float/bool/str otherwise."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is not None:
            return value.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).isoformat()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return str(value)


def _date_text(value: Any) -> str | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp.date().isoformat()


def column_values(values: pd.Series) -> list[Any]:
    """Return a column as plain Python values (see :func:`_plain`), converted column-wise."""
    missing = values.isna().to_numpy()
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        text = values.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        out = text.astype(object).tolist()
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        out = values.dt.strftime("%Y-%m-%dT%H:%M:%S").astype(object).tolist()
    elif pd.api.types.is_bool_dtype(values.dtype) and not missing.any():
        out = [bool(v) for v in values.to_numpy()]
    elif pd.api.types.is_integer_dtype(values.dtype) and not missing.any():
        out = values.to_numpy().tolist()
    elif pd.api.types.is_float_dtype(values.dtype):
        out = values.to_numpy(dtype=float, na_value=np.nan).tolist()
    elif isinstance(values.dtype, (pd.StringDtype, pd.CategoricalDtype)):
        out = values.astype("string").to_numpy(dtype=object, na_value=None).tolist()
    else:
        out = [_plain(v) for v in values.astype(object).tolist()]
    return [None if gone else v for v, gone in zip(out, missing, strict=True)]


def node_records(incidents: pd.DataFrame, *, include_sensitive: bool = False) -> list[tuple[str, dict]]:
    """Return ``(incident id, attributes)`` per incident, missing values left out."""
    wanted = [f for f in NODE_FIELDS if f in incidents.columns]
    if include_sensitive:
        wanted += [f for f in SENSITIVE_NODE_FIELDS if f in incidents.columns]
    ids = incidents[S.INCIDENT_ID].astype(str).tolist()
    columns = [(name, column_values(incidents[name])) for name in wanted]
    records = []
    for row, incident_id in enumerate(ids):
        attrs = {name: values[row] for name, values in columns if values[row] is not None}
        records.append((incident_id, attrs))
    return records


def edge_records(links: pd.DataFrame, *, statuses: tuple[str, ...] | None) -> list[tuple[str, str, dict]]:
    """Merge link rows per incident pair into ``(a, b, provenance)`` (see the module docstring)."""
    rows = incident_links(links, statuses=statuses)
    if rows.empty:
        return []
    frame = pd.DataFrame(
        {
            "a": rows[S.INCIDENT_A].astype(str).to_numpy(),
            "b": rows[S.INCIDENT_B].astype(str).to_numpy(),
            "status": rows[S.STATUS].astype(str).to_numpy(),
            "lead_date": pd.to_datetime(rows[S.LEAD_DATE]).to_numpy()
            if S.LEAD_DATE in rows.columns
            else np.full(len(rows), np.datetime64("NaT", "ns")),
            "order": np.arange(len(rows)),
        }
    )
    for column, source in (
        ("lead_number", S.LEAD_NUMBER),
        ("link_id", S.LINK_ID),
        ("site", S.SITE),
        ("caliber", S.CALIBER),
        ("note", S.NOTE),
        ("confirmed", S.CONFIRMED_DATE),
        ("count", S.ASSOCIATION_COUNT),
    ):
        frame[column] = rows[source].astype(object).to_numpy() if source in rows.columns else None
    frame = frame.sort_values(["a", "b", "lead_date", "order"], kind="stable", na_position="last")
    cols = {name: frame[name].tolist() for name in frame.columns}
    lead_dates = [_date_text(v) for v in cols["lead_date"]]
    confirmed = [_date_text(v) for v in cols["confirmed"]]
    counts = pd.to_numeric(pd.Series(cols["count"], dtype=object), errors="coerce").fillna(1).clip(lower=1)
    count_list = counts.astype("int64").tolist()
    named = ("lead_number", "link_id", "site", "caliber", "note")
    texts = {name: [_plain(v) for v in cols[name]] for name in named}
    a_list, b_list, status_list = cols["a"], cols["b"], cols["status"]
    edges = []
    start = 0
    total = len(a_list)
    while start < total:
        stop = start + 1
        while stop < total and a_list[stop] == a_list[start] and b_list[stop] == b_list[start]:
            stop += 1
        rows = range(start, stop)
        statuses_here = [status_list[i] for i in rows]

        def distinct(name: str, rows: range = rows) -> list[str]:
            out: list[str] = []
            for i in rows:
                value = texts[name][i]
                if value is not None and str(value) not in out:
                    out.append(str(value))
            return out

        leads_here: list[str] = [d for d in (lead_dates[i] for i in rows) if d]
        confirmed_here: list[str] = [d for d in (confirmed[i] for i in rows) if d]
        edges.append(
            (
                a_list[start],
                b_list[start],
                {
                    "status": max(statuses_here, key=lambda s: STATUS_RANK.get(s, -1)),
                    "statuses": statuses_here,
                    "lead_numbers": distinct("lead_number"),
                    "first_lead_date": min(leads_here) if leads_here else None,
                    "confirmed_date": min(confirmed_here) if confirmed_here else None,
                    "association_count": int(sum(count_list[i] for i in rows)),
                    "link_ids": distinct("link_id"),
                    "sites": distinct("site"),
                    "calibers": distinct("caliber"),
                    "notes": distinct("note"),
                },
            )
        )
        start = stop
    return edges


def _firearms_by_incident(links: pd.DataFrame, statuses: tuple[str, ...] | None) -> dict[str, list[str]]:
    if links.empty or S.FIREARM_ID not in links.columns:
        return {}
    test_fire = links[links[S.INCIDENT_B].isna() & links[S.FIREARM_ID].notna() & links[S.INCIDENT_A].notna()]
    if statuses is not None:
        test_fire = test_fire[test_fire[S.STATUS].astype("string").isin(statuses).to_numpy(dtype=bool)]
    out: dict[str, list[str]] = {}
    for incident, firearm in zip(
        test_fire[S.INCIDENT_A].astype(str), test_fire[S.FIREARM_ID].astype(str), strict=True
    ):
        out.setdefault(incident, [])
        if firearm not in out[incident]:
            out[incident].append(firearm)
    return out


def build_incident_graph(
    incidents: pd.DataFrame,
    links: pd.DataFrame,
    *,
    statuses: tuple[str, ...] = S.DEFAULT_LINK_STATUSES,
    include_unlinked: bool = False,
    include_sensitive: bool = False,
    dataset_version: str = "",
    filter_description: str = "",
) -> nx.Graph:
    """Build the undirected incident graph.

    Parameters
    ----------
    incidents : DataFrame
        Incidents (schema columns; ``series_id`` is copied when present).
    links : DataFrame
        Link rows. Rows whose status is not in ``statuses``, self-links and
        links to incidents not in ``incidents`` are left out.
    statuses : tuple of str, keyword-only
        Statuses that count (default lead and hit).
    include_unlinked : bool, keyword-only
        Add incidents with no counted link as isolated nodes.
    include_sensitive : bool, keyword-only
        Copy sensitive fields (the narrative) onto nodes.
    dataset_version, filter_description : str, keyword-only
        Stored in ``G.graph`` (with the lead caution) so every export says where it came from.

    Examples
    --------
    >>> incidents = pd.DataFrame({S.INCIDENT_ID: ["a", "b", "c"], S.CITY: ["Detroit"] * 3})
    >>> links = pd.DataFrame({S.INCIDENT_A: ["a", "a"], S.INCIDENT_B: ["b", "b"],
    ...                       S.STATUS: ["lead", "hit"], S.LEAD_NUMBER: ["L-1", "L-1"]})
    >>> g = build_incident_graph(incidents, links)
    >>> sorted(g.nodes), g.edges["a", "b"]["status"], g.edges["a", "b"]["statuses"]
    (['a', 'b'], 'hit', ['lead', 'hit'])
    """
    graph = nx.Graph()
    graph.graph.update(
        {
            "dataset_version": dataset_version,
            "filter": filter_description,
            "statuses": ",".join(statuses),
            "caution": S.LEAD_DISCLAIMER,
        }
    )
    kept = links
    if len(links):
        a_pos, b_pos = positions(incidents[S.INCIDENT_ID], links[S.INCIDENT_A], links[S.INCIDENT_B])
        both = (a_pos >= 0) & ((b_pos >= 0) | links[S.INCIDENT_B].isna().to_numpy(dtype=bool))
        kept = links[both]
    edges = edge_records(kept, statuses=statuses)
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    firearms = _firearms_by_incident(kept, statuses)
    for incident_id, attrs in node_records(incidents, include_sensitive=include_sensitive):
        if include_unlinked or incident_id in linked:
            if incident_id in firearms:
                attrs["firearm_ids"] = list(firearms[incident_id])
            graph.add_node(incident_id, **attrs)
    graph.add_edges_from(edges)
    return graph


def graph_for_selection(selection: Any, *, max_nodes: int | None = None) -> nx.Graph:
    """Build the graph of a :class:`~linking.selection.Selection`, capped for the screen.

    Series are taken in the selection's order (most recently active first)
    while they fit under ``max_nodes``; a series that would overflow the cap is
    skipped whole (a series is never cut). ``G.graph`` records
    ``series_shown``, ``series_total`` and ``truncated``.
    """
    table = selection.series
    chosen_ids: list[str] = []
    total = 0
    for series_id, size in zip(table[S.SERIES_ID].astype(str), table[S.SERIES_SIZE].astype(int), strict=True):
        if max_nodes is not None and total + size > max_nodes:
            continue
        chosen_ids.append(series_id)
        total += size
    incidents = selection.incidents
    members = incidents[incidents[S.SERIES_ID].isin(chosen_ids).fillna(False).to_numpy(dtype=bool)]
    graph = build_incident_graph(
        members,
        selection.links,
        statuses=selection.filters.link_statuses,
        include_unlinked=True,  # every member: one tied in only by a test fire is still in the series
        dataset_version=selection.dataset_version,
        filter_description=selection.filters.describe(),
    )
    graph.graph["series_shown"] = len(chosen_ids)
    graph.graph["series_total"] = len(table)
    graph.graph["truncated"] = len(chosen_ids) < len(table)
    graph.graph["is_synthetic"] = bool(getattr(selection, "is_synthetic", False))
    return graph
