"""Series and graph build times at national scale, beside networkx connected components.

``python -m bench.bench_linking [--incidents 1000000] [--repeat 3] [--synthetic] [--json]``

Prints medians (seconds) for, on the same data:

* ``series``: :func:`linking.series.assign_series` over every incident with
  the lead + hit links (string ids → Arrow hash codes → scipy components);
* ``series_warm``: the same components and ids from integer link ends, which
  :func:`~linking.selection.select` caches per loaded frames (every filter
  change after the first);
* ``series_table``: the per-series table for all of them;
* ``select_all`` / ``select_city_year``: :func:`linking.selection.select`
  with no filter and with one city and one year (second call: cached link ends);
* ``graph``: :func:`linking.graph.build_incident_graph` of every linked incident;
* ``networkx_cc``: ``nx.Graph(edge list of string ids)`` + ``connected_components``,
  the naive baseline; and the ratio ``networkx_cc / series``.

Data comes from :func:`data.demo.generate_demo` (seeded) unless ``--synthetic``
asks for a quick random link set of the same shape (0.5 links per incident,
heavy-tailed series). Nothing passes or fails here.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from data import schema as S
from linking.filters import Filters
from linking.graph import build_incident_graph
from linking.registry import whole_series
from linking.selection import select
from linking.series import (
    assign_series,
    counted_edges,
    instants,
    link_positions,
    series_codes,
    series_table,
)


@dataclass(frozen=True)
class BenchFrames:
    """The attributes :func:`linking.selection.select` reads."""

    incidents: pd.DataFrame
    links: pd.DataFrame
    firearms: pd.DataFrame = field(default_factory=pd.DataFrame)
    boundaries: Any = None
    dataset_version: str = "bench"
    is_synthetic: bool = True
    series: Any = None  # whole-store series (linking.registry), attached once as the dashboard does


def _median(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def synthetic_frames(incidents: int, *, seed: int = 2019) -> BenchFrames:
    """Random incidents in the seven cities (2019-2021) and heavy-tailed series, 0.5 links per incident."""
    rng = np.random.default_rng(seed)
    cities = np.array(
        ["Detroit", "Baltimore", "Memphis", "Milwaukee", "Cleveland", "Kansas City", "Albuquerque"]
    )
    city = cities[rng.integers(0, len(cities), incidents)]
    start = pd.Timestamp("2019-01-01", tz="UTC").value
    span = pd.Timestamp("2022-01-01", tz="UTC").value - start
    occurred = pd.to_datetime(np.sort(rng.integers(0, span, incidents)) + start, utc=True)
    ids = pd.array([f"{c[:3].upper()}-{i:08d}" for i, c in enumerate(city)], dtype="string")
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: ids,
            S.CITY: pd.Categorical(city),
            S.OCCURRED_AT: occurred,
            S.LONGITUDE: -85.0 + rng.normal(0, 3, incidents),
            S.LATITUDE: 40.0 + rng.normal(0, 2, incidents),
            S.INCIDENT_TYPE: pd.Categorical(rng.choice(list(S.INCIDENT_TYPES), incidents)),
            S.AGENCY: pd.array([f"ORI-{c[:3]}" for c in city], dtype="string"),
        }
    )
    a_list: list[int] = []
    b_list: list[int] = []
    order = rng.permutation(incidents)
    used = 0
    while len(a_list) < incidents // 2 and used < incidents - 31:
        size = min(30, int(rng.zipf(2.2)) + 1)
        members = order[used : used + size]
        used += size
        for i in range(1, len(members)):
            a_list.append(int(members[rng.integers(0, i)]))
            b_list.append(int(members[i]))
    statuses = rng.choice(["lead", "hit", "pending", "excluded"], len(a_list), p=[0.6, 0.3, 0.05, 0.05])
    links = pd.DataFrame(
        {
            S.LINK_ID: pd.array([f"K-{i}" for i in range(len(a_list))], dtype="string"),
            S.INCIDENT_A: pd.array(ids[np.array(a_list)], dtype="string"),
            S.INCIDENT_B: pd.array(ids[np.array(b_list)], dtype="string"),
            S.FIREARM_ID: pd.array([None] * len(a_list), dtype="string"),
            S.STATUS: pd.Categorical(statuses, categories=S.LINK_STATUSES),
            S.LEAD_NUMBER: pd.array([f"L-{i}" for i in range(len(a_list))], dtype="string"),
            S.ASSOCIATION_COUNT: np.ones(len(a_list), dtype=np.int64),
        }
    )
    return BenchFrames(frame, links)


def demo_frames(incidents: int, *, seed: int = 2019) -> BenchFrames:
    """The seeded demo generator's frames (the same data the dashboard's demo store holds)."""
    from data.demo import generate_demo

    kinds = generate_demo(seed=seed, incidents=incidents)
    return BenchFrames(kinds[S.INCIDENTS], kinds[S.LINKS], kinds.get(S.FIREARMS, pd.DataFrame()))


def measure(frames: BenchFrames, *, repeat: int) -> dict[str, float | int]:
    """Run every measurement; return medians in seconds and sizes."""
    incidents, links = frames.incidents, frames.links
    counted = links[links[S.STATUS].isin(S.DEFAULT_LINK_STATUSES).to_numpy(dtype=bool)]
    figures: dict[str, float | int] = {
        "incidents": len(incidents),
        "links": len(links),
        "counted": len(counted),
    }

    figures["series"], ids = _median(lambda: assign_series(incidents, counted), repeat)
    # What every select after the first does: link ends already integer-coded (cached per loaded frames).
    a_pos, b_pos, gun, n_guns = link_positions(incidents, counted)
    b_missing = counted[S.INCIDENT_B].isna().to_numpy()
    everyone = np.ones(len(incidents), dtype=bool)
    times = instants(incidents[S.OCCURRED_AT])

    def warm_series() -> tuple[np.ndarray, np.ndarray]:
        pair, test_fire = counted_edges(a_pos, b_pos, gun, b_missing, everyone)
        left = np.concatenate([a_pos[pair], a_pos[test_fire]])
        right = np.concatenate([b_pos[pair], gun[test_fire] + len(incidents)])
        return series_codes(
            incidents[S.INCIDENT_ID], times, left, right, len(incidents) + n_guns, min_size=2
        )

    figures["series_warm"], _ = _median(warm_series, repeat)
    members = incidents.assign(**{S.SERIES_ID: ids})
    figures["series_count"] = int(ids.nunique())
    figures["series_table"], _ = _median(
        lambda: series_table(members, counted, today=date(2022, 1, 1)), repeat
    )

    figures["whole_series_once"], index = _median(lambda: whole_series(frames), 1)
    frames = replace(frames, series=index)  # once per dataset version, as the dashboard's load does
    figures["select_all"], _ = _median(lambda: select(frames, Filters()), repeat)
    busiest = str(incidents[S.CITY].astype(str).value_counts().index[0])
    city_year = Filters(cities=(busiest,), date_from=date(2020, 1, 1), date_to=date(2020, 12, 31))
    figures["select_city_year"], chosen = _median(lambda: select(frames, city_year), repeat)
    figures["select_city_year_incidents"] = len(chosen.incidents)

    linked = members[members[S.SERIES_ID].notna().to_numpy()]
    figures["graph"], graph = _median(lambda: build_incident_graph(linked, counted), 1)
    figures["graph_nodes"] = graph.number_of_nodes()
    figures["graph_edges"] = graph.number_of_edges()

    pairs = list(
        zip(
            counted[S.INCIDENT_A].astype(str).tolist(),
            counted[S.INCIDENT_B].astype(str).tolist(),
            strict=True,
        )
    )

    def networkx_components() -> int:
        baseline = nx.Graph()
        baseline.add_edges_from((a, b) for a, b in pairs if b != "<NA>")
        return sum(1 for _ in nx.connected_components(baseline))

    figures["networkx_cc"], _ = _median(networkx_components, repeat)
    figures["ratio_networkx_over_series"] = round(figures["networkx_cc"] / max(figures["series"], 1e-9), 1)
    figures["ratio_networkx_over_series_warm"] = round(
        figures["networkx_cc"] / max(figures["series_warm"], 1e-9), 1
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_linking", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--synthetic", action="store_true", help="random link set instead of the demo generator"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.synthetic:
        frames = synthetic_frames(args.incidents, seed=args.seed)
    else:
        frames = demo_frames(args.incidents, seed=args.seed)
    prepared = time.perf_counter() - started
    figures = measure(frames, repeat=args.repeat)
    figures["data_seconds"] = round(prepared, 2)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"brassmap linking bench: {figures['incidents']:,} incidents, {figures['links']:,} links "
          f"({figures['counted']:,} lead/hit), data ready in {prepared:.1f} s; medians of {args.repeat}")
    for key in (
        "series", "series_warm", "series_table", "select_all", "select_city_year", "graph", "networkx_cc"
    ):
        print(f"  {key:<18} {figures[key]:8.3f} s")
    print(
        f"  series found       {figures['series_count']:,}; graph {figures['graph_nodes']:,} nodes, "
        f"{figures['graph_edges']:,} edges; city-year select kept {figures['select_city_year_incidents']:,}"
    )
    print(
        f"  networkx connected components / brassmap series = {figures['ratio_networkx_over_series']}x "
        f"(cold, strings encoded), {figures['ratio_networkx_over_series_warm']}x (warm, integer link ends)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
