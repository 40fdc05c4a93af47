"""Server-side figures: what the dashboard computes on each filter change, timed in-process.

Every step calls the same functions, with the same arguments, as the
dashboard's views (``ui/context.py``, ``ui/graph_view.py``, ``ui/map_view.py``),
so the figures are the server's share of a filter change.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd

from bench.stats import median, spread, timed_cpu
from bench.workload import data_date_range, median_index
from data import schema as S
from linking.filters import Filters

DEFAULT_GRAPH_CAP = 1_500


def graph_cap() -> int:
    """The node cap of the dashboard's graph view (``ui.graph_view.MAX_GRAPH_NODES``)."""
    try:
        from ui.graph_view import MAX_GRAPH_NODES
    except ImportError:
        return DEFAULT_GRAPH_CAP
    return int(MAX_GRAPH_NODES)


def reference_date(frames: Any) -> date:
    """"Today" as the dashboard uses it: the newest incident's local date."""
    if frames.incidents.empty:
        return date.today()
    return data_date_range(frames.incidents)[1]


def time_filters(frames: Any, filters: list[Filters], *, today: date) -> dict[str, Any]:
    """Apply each filter with :func:`linking.selection.select`; return times and sizes.

    Returns
    -------
    dict
        ``seconds`` and ``incidents`` (one per filter, in order), and
        ``median_index``: the filter whose result size is the median.
    """
    from linking.selection import select

    seconds: list[float] = []
    cpu_seconds: list[float] = []
    sizes: list[int] = []
    for chosen in filters:
        selection, elapsed, used = timed_cpu(lambda chosen=chosen: select(frames, chosen, today=today))
        seconds.append(elapsed)
        cpu_seconds.append(used)
        sizes.append(len(selection.incidents))
        del selection
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "incidents": sizes,
        "median_index": median_index(sizes),
    }


def _graph_step(selection: Any, cap: int) -> dict[str, Any]:
    from linking.graph import graph_for_selection
    from linking.layouts import packed_series_layout
    from linking.payload import graph_payload

    graph = graph_for_selection(selection, max_nodes=cap)
    positions = packed_series_layout(graph)
    return graph_payload(graph, positions)


def _chart_bytes(payload: dict[str, Any]) -> int | None:
    """Size of the Vega-Lite spec the dashboard's graph view sends (``None`` if the UI is absent)."""
    try:
        from ui.graph_view import graph_chart, payload_frames
    except ImportError:
        return None
    nodes, edges = payload_frames(payload, None)
    if nodes.empty:
        return 0
    return len(graph_chart(nodes, edges, picked=None).to_json(indent=None).encode("utf-8"))


def _series_step(selection: Any, today: date) -> pd.DataFrame:
    from linking.series import assign_series, series_table

    incidents = selection.incidents.drop(columns=[S.SERIES_ID], errors="ignore")
    series_ids = assign_series(incidents, selection.links, min_size=selection.filters.min_series_size)
    with_series = incidents.assign(**{S.SERIES_ID: series_ids.to_numpy()})
    return series_table(with_series, selection.links, today=today, ends=selection.link_ends)


def area_membership_of(frames: Any) -> tuple[Any, float]:
    """Join incidents to areas once per dataset, as ``ui.loading.area_membership_for`` does; time it."""
    from geo.areas import area_membership

    membership, seconds, _ = timed_cpu(lambda: area_membership(frames.incidents, frames.boundaries))
    return membership, round(seconds, 3)


def _map_step(selection: Any, membership: Any) -> Any:
    from geo.maps import OSM_TILES, MapData, MapOptions, build_map_spec

    ends = selection.link_ends
    data = MapData(
        selection.incidents,
        selection.links,
        series=selection.series,
        firearms=selection.firearms,
        boundaries=selection.boundaries,
        area_counts=membership.counts_for(selection.incidents.index),
        link_ends=None if ends is None else (ends.incident_a, ends.incident_b),
    )
    options = MapOptions(cities=list(selection.filters.cities) or None, tiles=OSM_TILES, points_on_zoom=True)
    return build_map_spec(data, options)


def measure_view(
    frames: Any, filters: Filters, *, today: date, membership: Any, repeats: int = 3
) -> dict[str, Any]:
    """Time one filter's series, capped graph and map; measure what they send to the browser.

    Parameters
    ----------
    frames : data.frames.Frames
        The loaded store.
    filters : Filters
        The filter whose view is measured.
    today : date, keyword-only
        Reference date for the series table.
    membership : geo.areas.AreaMembership, keyword-only
        The join of every incident to its areas, made once per dataset (see
        :func:`area_membership_of`), from which each map counts its areas.
    repeats : int, keyword-only
        Runs per step; medians are reported.

    Returns
    -------
    dict
        ``select_s``, ``series_s``, ``graph_s``, ``map_build_s`` (medians),
        ``server_total_s`` (their sum: the server's share of one filter change),
        ``cpu_s`` (CPU seconds of each step: far below the wall time on a busy machine),
        ``map_html_bytes``, ``graph_payload_bytes`` (compact JSON of ``graph_payload``),
        ``graph_chart_bytes`` (the Vega-Lite spec the graph view sends),
        ``incidents``, ``links``, ``series``, ``graph_nodes``.
    """
    from geo.page import page_size
    from linking.selection import select

    cap = graph_cap()
    runs: dict[str, list[float]] = {"select_s": [], "series_s": [], "graph_s": [], "map_build_s": []}
    cpu: dict[str, list[float]] = {key: [] for key in runs}
    selection = payload = map_spec = None
    for _ in range(max(1, repeats)):
        selection, elapsed, used = timed_cpu(lambda: select(frames, filters, today=today))
        runs["select_s"].append(elapsed)
        cpu["select_s"].append(used)
        chosen = selection
        steps = (
            ("series_s", lambda chosen=chosen: _series_step(chosen, today)),
            ("graph_s", lambda chosen=chosen: _graph_step(chosen, cap)),
            ("map_build_s", lambda chosen=chosen: _map_step(chosen, membership)),
        )
        for key, step in steps:
            result, elapsed, used = timed_cpu(step)
            runs[key].append(elapsed)
            cpu[key].append(used)
            if key == "graph_s":
                payload = result
            elif key == "map_build_s":
                map_spec = result
    figures: dict[str, Any] = {key: median(values) for key, values in runs.items()}
    figures["server_total_s"] = round(sum(figures[key] for key in runs), 4)
    figures["cpu_s"] = {key: median(values) for key, values in cpu.items()}
    figures["map_html_bytes"] = int(page_size(map_spec))
    figures["graph_payload_bytes"] = len(json.dumps(payload, default=str, separators=(",", ":")).encode())
    figures["graph_chart_bytes"] = _chart_bytes(payload)
    figures["incidents"] = len(selection.incidents)
    figures["links"] = len(selection.links)
    figures["series"] = len(selection.series)
    figures["graph_nodes"] = len(payload.get("nodes", []))
    figures["graph_cap"] = cap
    return figures


def filter_figures(timing: dict[str, Any], filters: list[Filters]) -> dict[str, Any]:
    """Turn :func:`time_filters` output into the report's ``filter_s`` object."""
    index = timing["median_index"]
    out = spread(timing["seconds"])
    out["cpu_p50"] = median(timing["cpu_seconds"])
    out["median_filter"] = filters[index].describe()
    out["median_filter_incidents"] = timing["incidents"][index]
    return out
