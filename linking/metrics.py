"""Network measures an analyst uses: degree, bridging incidents, per-city link rates.

Per-node measures run on igraph (C) over integer ids, so they stay quick on
the capped graph the dashboard shows; per-city counts are pandas group-bys
over the selection and never build a graph.
"""

from __future__ import annotations

from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from data import schema as S
from linking.pairs import pair_statuses

NODE_MEASURE_COLUMNS: tuple[str, ...] = (
    S.INCIDENT_ID,
    S.SERIES_ID,
    S.DEGREE,
    S.LEAD_DEGREE,
    S.HIT_DEGREE,
    S.BETWEENNESS,
    S.IS_ARTICULATION,
)
CITY_MEASURE_COLUMNS: tuple[str, ...] = (
    S.CITY,
    S.SHOOTINGS,
    S.LINKED_SHOOTINGS,
    S.SHARE_LINKED,
    S.LINK_COUNT,
    S.SERIES_LEADS,
    S.SERIES_HITS,
    S.LEADS_PER_100,
    S.SERIES_COUNT,
    S.MEDIAN_SERIES_SIZE,
)


def node_measures(graph: nx.Graph) -> pd.DataFrame:
    """Return degree, lead/hit degree, betweenness and articulation flags per incident.

    ``betweenness`` is normalised within the node's own series (connected
    component): the share of shortest paths between two other members of the
    series that pass through it, 0..1. ``is_articulation`` marks incidents
    whose removal splits their series: the bridges an investigator should
    look at first. Sorted by betweenness, then degree (highest first).

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"status": "hit"}), ("b", "c", {"status": "lead"})])
    >>> m = node_measures(g).set_index(S.INCIDENT_ID)
    >>> float(m.loc["b", S.BETWEENNESS]), bool(m.loc["b", S.IS_ARTICULATION]), int(m.loc["b", S.HIT_DEGREE])
    (1.0, True, 1)
    """
    nodes = list(graph.nodes)
    if not nodes:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in NODE_MEASURE_COLUMNS})
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in graph.edges]
    statuses = [data.get("status") for _, _, data in graph.edges(data=True)]
    fast = ig.Graph(n=len(nodes), edges=edges)
    raw = np.asarray(fast.betweenness(directed=False), dtype=float)
    membership = np.asarray(fast.connected_components().membership)
    sizes = np.bincount(membership)[membership].astype(float)
    pairs = (sizes - 1.0) * (sizes - 2.0) / 2.0
    betweenness = np.divide(raw, pairs, out=np.zeros_like(raw), where=pairs > 0)
    articulation = np.zeros(len(nodes), dtype=bool)
    articulation[fast.articulation_points()] = True
    lead_degree = np.zeros(len(nodes), dtype=np.int64)
    hit_degree = np.zeros(len(nodes), dtype=np.int64)
    for (a, b), status in zip(edges, statuses, strict=True):
        target = hit_degree if status == "hit" else lead_degree if status == "lead" else None
        if target is not None:
            target[a] += 1
            target[b] += 1
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: pd.array([str(n) for n in nodes], dtype="string"),
            S.SERIES_ID: pd.array([graph.nodes[n].get(S.SERIES_ID) for n in nodes], dtype="string"),
            S.DEGREE: np.asarray(fast.degree(), dtype=np.int64),
            S.LEAD_DEGREE: lead_degree,
            S.HIT_DEGREE: hit_degree,
            S.BETWEENNESS: betweenness.round(6),
            S.IS_ARTICULATION: articulation,
        }
    )
    return frame.sort_values(
        [S.BETWEENNESS, S.DEGREE, S.INCIDENT_ID], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def city_measures(selection: Any) -> pd.DataFrame:
    """Per-city counts for a selection.

    Columns: shootings in the filter, linked shootings (in a series) and
    their share, ``links`` = incident pairs touching the city (a pair
    between two cities counts for both), of which leads and hits (a pair
    with a hit counts as a hit), ``leads_per_100`` = links per 100
    shootings, the number of series with a shooting in the city and their
    median size. Sorted by shootings, highest first.
    """
    incidents = selection.incidents
    if incidents.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CITY_MEASURE_COLUMNS})
    city = incidents[S.CITY].astype(str)
    linked = incidents[S.SERIES_ID].notna()
    table = pd.DataFrame(
        {
            S.SHOOTINGS: city.groupby(city.to_numpy()).size(),
            S.LINKED_SHOOTINGS: linked.groupby(city.to_numpy()).sum().astype("int64"),
        }
    )
    table[S.SHARE_LINKED] = (table[S.LINKED_SHOOTINGS] / table[S.SHOOTINGS]).round(4)

    city_of = pd.Series(city.to_numpy(), index=incidents[S.INCIDENT_ID].astype(str).to_numpy())
    pairs = pair_statuses(selection.links)
    ends = pd.concat(
        [
            pd.DataFrame({"pair": np.arange(len(pairs)), "status": pairs[S.STATUS].to_numpy(),
                          "city": pairs[S.INCIDENT_A].astype(str).map(city_of).to_numpy()}),
            pd.DataFrame({"pair": np.arange(len(pairs)), "status": pairs[S.STATUS].to_numpy(),
                          "city": pairs[S.INCIDENT_B].astype(str).map(city_of).to_numpy()}),
        ]
    ).dropna().drop_duplicates()
    for column, status in ((S.LINK_COUNT, None), (S.SERIES_LEADS, "lead"), (S.SERIES_HITS, "hit")):
        rows = ends if status is None else ends[ends["status"] == status]
        table[column] = rows.groupby("city").size().reindex(table.index).fillna(0).astype("int64")
    table[S.LEADS_PER_100] = (100.0 * table[S.LINK_COUNT] / table[S.SHOOTINGS]).round(2)

    members = pd.DataFrame({"city": city.to_numpy(), "series": incidents[S.SERIES_ID].to_numpy()})
    members = members[linked.to_numpy()].drop_duplicates()
    size_of = selection.series.set_index(S.SERIES_ID)[S.SERIES_SIZE] if len(selection.series) else None
    if size_of is not None and len(members):
        members["size"] = members["series"].map(size_of).astype(float)
        grouped = members.groupby("city")
        table[S.SERIES_COUNT] = grouped.size().reindex(table.index).fillna(0).astype("int64")
        table[S.MEDIAN_SERIES_SIZE] = grouped["size"].median().reindex(table.index)
    else:
        table[S.SERIES_COUNT] = 0
        table[S.MEDIAN_SERIES_SIZE] = np.nan
    table.index.name = S.CITY
    table = table.reset_index().sort_values([S.SHOOTINGS, S.CITY], ascending=[False, True])
    return table[list(CITY_MEASURE_COLUMNS)].reset_index(drop=True)
