"""Issue #6's targets, compared with measured figures (a report, never a pass/fail exit code)."""

from __future__ import annotations

from typing import Any

MB = 1_000_000  # the caps are decimal, as geo.maps.MAX_HTML_BYTES and linking.payload


def _get(figures: dict[str, Any], *path: str) -> Any:
    value: Any = figures
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _largest(*values: Any) -> float | None:
    numbers = [float(v) for v in values if isinstance(v, (int, float))]
    return max(numbers) if numbers else None


def evaluate_targets(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per target: name, target, measured value, and met (``None`` when not measured).

    Examples
    --------
    >>> rows = evaluate_targets({"ingest_rows_per_s": 60000.0})
    >>> [r["met"] for r in rows if r["name"] == "import rate"]
    [True]
    """
    graph_bytes = _largest(
        _get(figures, "graph_payload_bytes", "median_filter"),
        _get(figures, "graph_payload_bytes", "all"),
        _get(figures, "details", "graph_chart_bytes", "median_filter"),
        _get(figures, "details", "graph_chart_bytes", "all"),
    )
    checks = [
        ("browser filter change p95 (City widget, open dashboard)", "<= 2 s",
         _get(figures, "browser_widget_change_s", "p95"), 2.0, "max"),
        ("browser shared view opened by URL p95 (full page load)", "<= 2 s",
         _get(figures, "browser_filter_to_ready_s", "p95"), 2.0, "max"),
        ("server time per filter change (median filter)", "<= 0.5 s",
         _get(figures, "server_filter_change_s", "median_filter"), 0.5, "max"),
        ("server time per filter change (all data)", "<= 0.5 s",
         _get(figures, "server_filter_change_s", "all"), 0.5, "max"),
        ("map HTML (largest measured)", "<= 2 MB",
         _largest(_get(figures, "map_html_bytes", "median_filter"), _get(figures, "map_html_bytes", "all")),
         2 * MB, "max"),
        ("graph payload (largest measured)", "<= 1 MB", graph_bytes, 1 * MB, "max"),
        ("cold load (dashboard path)", "<= 10 s", _get(figures, "load_s", "p50"), 10.0, "max"),
        ("cold load straight from the database", "<= 10 s",
         _get(figures, "details", "load_from_sql_s"), 10.0, "max"),
        ("import rate", ">= 50k rows/s", _get(figures, "ingest_rows_per_s"), 50_000.0, "min"),
        ("peak memory of the dashboard", "<= 4 GB", _get(figures, "peak_rss_mb"), 4096.0, "max"),
        ("series vs networkx components (all data)", ">= 10x",
         _get(figures, "ratios", "networkx_vs_series"), 10.0, "min"),
    ]  # fmt: skip
    rows: list[dict[str, Any]] = []
    for name, target, measured, limit, kind in checks:
        if not isinstance(measured, (int, float)):
            met = None
        else:
            met = measured <= limit if kind == "max" else measured >= limit
        rows.append({"name": name, "target": target, "measured": measured, "met": met})
    return rows
