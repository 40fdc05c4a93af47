"""One benchmark run: every figure of issue #6, measured side by side on one seeded demo store."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bench import baselines, ingest, server_side
from bench.errors import BenchError
from bench.machine import cpu_pressure, machine_info, tree_peak_rss_mb
from bench.stats import median, spread, timed
from bench.stores import bench_paths, ensure_demo_store, scratch_database
from bench.targets import evaluate_targets
from bench.workload import city_names, varied_filters
from data import schema as S
from linking.filters import Filters
from linking.registry import stable_series


@dataclass(frozen=True)
class RunOptions:
    """What ``python -m bench`` was asked to do (see ``--help``)."""

    incidents: int
    links: int | None = None
    seed: int = 2019
    work_dir: Path = Path("var/bench")
    fresh: bool = False
    repeats: int = 3
    filters: int = 20
    browser_changes: int = 10
    naive_timeout_s: float = baselines.NAIVE_TIMEOUT_S
    skip_browser: bool = False
    command: str = ""
    db_url: str | None = None


def _per_view(median_view: dict[str, Any], all_view: dict[str, Any], key: str) -> dict[str, Any]:
    return {"median_filter": median_view[key], "all": all_view[key]}


def _our_map_at(selection: Any, size: int, repeats: int) -> dict[str, Any]:
    """Our map of the first ``size`` incidents of a selection (the naive baseline's points)."""
    from geo.maps import OSM_TILES, MapData, MapOptions, build_map_spec
    from geo.page import page_size

    incidents = selection.incidents.head(size)
    ids = incidents[S.INCIDENT_ID]
    links = selection.links
    inside = links[S.INCIDENT_A].isin(ids) & (links[S.INCIDENT_B].isna() | links[S.INCIDENT_B].isin(ids))
    links = links[inside]
    runs = []
    spec = None
    for _ in range(max(1, repeats)):
        spec, seconds = timed(lambda: build_map_spec(MapData(incidents, links), MapOptions(tiles=OSM_TILES)))
        runs.append(seconds)
    return {"build_s": median(runs), "html_bytes": int(page_size(spec))}


def run_benchmark(options: RunOptions, *, log: Any = print) -> dict[str, Any]:
    """Measure every figure and return the report as one JSON-ready dict.

    ``log`` receives one progress line per step (the CLI sends them to stderr).
    """
    from data.store import Store
    from linking.selection import select

    paths = bench_paths(
        options.work_dir,
        seed=options.seed,
        incidents=options.incidents,
        links=options.links,
        db_url=options.db_url,
    )
    report: dict[str, Any] = {"command": options.command, "machine": machine_info()}
    details: dict[str, Any] = {}
    errors: dict[str, str] = {}

    log(f"store: {paths.shown_store}")
    built = ensure_demo_store(
        paths, seed=options.seed, incidents=options.incidents, links=options.links, fresh=options.fresh
    )
    details["store"] = {k: v for k, v in built.items() if k != "url"} | {"file": paths.shown_store}

    log("cold load (fresh processes): from the database, then the dashboard's path")
    from_sql = baselines.run_child(["load", paths.store_url, "sql"], timeout_s=900)
    snapshot_load = ["load", paths.store_url, "snapshot"]
    loads = [baselines.run_child(snapshot_load, timeout_s=900) for _ in range(options.repeats)]
    report["load_s"] = spread([run["load_s"] for run in loads if run], digits=3)
    details["load_from_sql_s"] = round(from_sql["load_s"], 3) if from_sql else None

    store = Store(paths.store_url)
    frames = stable_series(store, store.load_frames())  # as the dashboard: whole-store series, stable ids
    today = server_side.reference_date(frames)
    report["dataset"] = {
        "incidents": len(frames.incidents),
        "links": len(frames.links),
        "dataset_version": frames.dataset_version,
        "synthetic": bool(frames.is_synthetic),
        "seed": options.seed,
    }

    log("ingest: CSV in brassmap's export format through python -m data import")
    cleanup = None
    try:
        if options.fresh or not paths.csv_file.exists():
            details["ingest_csv"] = ingest.write_incidents_csv(frames.incidents, paths.csv_file)
        target: Path | str = paths.ingest_store_file
        if store.is_postgresql:  # a scratch schema in the same database, dropped afterwards
            target, cleanup = scratch_database(paths.store_url, "brassmap_bench_ingest")
        imported = ingest.time_import(paths.csv_file, target, rows=len(frames.incidents))
    except BenchError as exc:  # report the step as not measured, keep measuring the rest
        errors["ingest_rows_per_s"] = str(exc)
        report["ingest_rows_per_s"] = None
    else:
        report["ingest_rows_per_s"] = imported["rows_per_s"]
        details["ingest"] = imported
    finally:
        paths.ingest_store_file.unlink(missing_ok=True)
        if cleanup is not None:
            cleanup()

    log(f"filters: {options.filters} varied city/date filters")
    chosen = varied_filters(frames.incidents, count=options.filters, seed=options.seed)
    timing = server_side.time_filters(frames, chosen, today=today)
    report["filter_s"] = server_side.filter_figures(timing, chosen)
    median_filter = chosen[timing["median_index"]]
    cities = city_names(frames.incidents)

    log("views: series, capped graph and map for the median filter and for all data")
    membership, details["area_membership_once_s"] = server_side.area_membership_of(frames)
    median_view = server_side.measure_view(
        frames, median_filter, today=today, membership=membership, repeats=options.repeats
    )
    all_view = server_side.measure_view(
        frames, Filters(), today=today, membership=membership, repeats=options.repeats
    )
    for key in ("graph_s", "series_s", "map_build_s", "map_html_bytes", "graph_payload_bytes"):
        report[key] = _per_view(median_view, all_view, key)
    report["server_filter_change_s"] = _per_view(median_view, all_view, "server_total_s")
    details["views"] = {"median_filter": median_view, "all": all_view}
    details["graph_chart_bytes"] = _per_view(median_view, all_view, "graph_chart_bytes")

    log("lead desk: the lead history, lead table and triage queue (all data), as the Leads tab computes them")
    from bench.bench_leads import lead_desk_figures

    report["lead_desk_s"] = lead_desk_figures(store, frames, today=today, repeats=options.repeats)

    log("baseline: networkx connected components on string ids (all data)")
    everything = select(frames, Filters(), today=today)
    compared = baselines.series_comparison(frames, everything.links, repeats=options.repeats)
    report["networkx_series_s"] = compared["networkx_series_s"]
    details["series_comparison"] = compared

    log("baseline: one folium marker per incident (child process, timeout)")
    naive = baselines.naive_map(
        everything.incidents, paths.scratch("naive"), timeout_s=options.naive_timeout_s
    )
    ours = {size: _our_map_at(everything, int(size), options.repeats) for size in naive}
    report["naive_map_build_s"] = naive
    details["our_map_at_naive_sizes"] = ours
    ratios: dict[str, Any] = {
        "networkx_vs_series": compared["ratio"],
        "networkx_vs_series_with_table": (
            round(compared["networkx_series_s"] / all_view["series_s"], 2) if all_view["series_s"] else None
        ),
    }
    for size, figure in naive.items():
        if "build_s" in figure and ours[size]["build_s"] > 0:
            ratios[f"naive_map_vs_ours_at_{size}"] = round(figure["build_s"] / ours[size]["build_s"], 1)
        elif "timeout_s" in figure and ours[size]["build_s"] > 0:
            ratios[f"naive_map_vs_ours_at_{size}"] = f">{figure['timeout_s'] / ours[size]['build_s']:.0f}"
    report["ratios"] = ratios
    del everything
    details["bench_process_peak_rss_mb"] = tree_peak_rss_mb(os.getpid())

    if options.skip_browser:
        report["browser_filter_to_ready_s"] = {"skipped": "--skip-browser"}
        report["browser_widget_change_s"] = {"skipped": "--skip-browser"}
        report["peak_rss_mb"] = None
    else:
        del frames
        gc.collect()
        log(f"browser: {options.browser_changes} filter changes in Chromium against streamlit run")
        try:
            measured = _browser(paths, chosen[: options.browser_changes], median_filter, cities)
        except BenchError as exc:
            errors["browser_filter_to_ready_s"] = str(exc)
            report["browser_filter_to_ready_s"] = None
            report["browser_widget_change_s"] = None
            report["peak_rss_mb"] = None
        else:
            report["browser_filter_to_ready_s"] = measured.pop("browser_filter_to_ready_s")
            report["browser_widget_change_s"] = measured.pop("browser_widget_change_s")
            report["peak_rss_mb"] = measured.pop("peak_rss_mb")
            details["browser"] = measured
    details["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    details["cpu_pressure_avg60_pct_at_end"] = cpu_pressure()
    report["details"] = details
    report["errors"] = errors
    report["targets"] = evaluate_targets(report)
    return report


def _browser(paths: Any, filters: list[Filters], widget_start: Filters, cities: list[str]) -> dict[str, Any]:
    from bench.browser import browser_figures

    return browser_figures(
        paths.store_url,
        filters,
        paths.scratch("streamlit.log"),
        screenshot=paths.scratch("browser.png"),
        widget_start=widget_start,
        other_cities=tuple(city for city in cities if city not in widget_start.cities),
    )


def summary_lines(report: dict[str, Any]) -> list[str]:
    """Human-readable lines for the report (``--json`` prints the dict instead)."""
    lines = [f"brassmap benchmark - {report.get('command', '')}"]
    machine = report.get("machine", {})
    lines.append(
        f"machine: {machine.get('nproc')} cores, {machine.get('memory_gb')} GB, {machine.get('cpu_model')}, "
        f"Python {machine.get('python')}, {machine.get('date_utc')}"
    )
    dataset = report.get("dataset", {})
    lines.append(f"data: {dataset.get('incidents')} incidents, {dataset.get('links')} links (synthetic demo)")
    for key, value in report.items():
        if key in ("command", "machine", "dataset", "details", "targets", "errors"):
            continue
        lines.append(f"{key}: {value}")
    for key, message in report.get("errors", {}).items():
        lines.append(f"NOT MEASURED {key}: {message}")
    lines.append("targets:")
    for row in report.get("targets", []):
        verdict = {True: "met", False: "MISSED", None: "not measured"}[row["met"]]
        lines.append(f"  {row['name']}: {row['target']} - measured {row['measured']} - {verdict}")
    return lines


def frame_memory_mb(frame: pd.DataFrame) -> float:
    """Deep memory use of a frame in MB (for the report's details)."""
    return round(frame.memory_usage(deep=True).sum() / 1024 / 1024, 1)
