"""Turn a ``python -m bench --json`` report into the README's performance tables.

``python -m bench.markdown var/bench/report.json`` prints Markdown; the README's
"Performance" section is pasted from it, so the figures there are exactly the
measured ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

_SECONDS = ("load_s", "filter_s", "browser_filter_to_ready_s")
_PER_VIEW = (
    ("server_filter_change_s", "server time per filter change (select + series + graph + map)", "s"),
    ("series_s", "series (components + series table)", "s"),
    ("graph_s", "capped link graph + layout + payload", "s"),
    ("map_build_s", "map build", "s"),
    ("map_html_bytes", "map HTML", "bytes"),
    ("graph_payload_bytes", "graph payload (compact JSON)", "bytes"),
)


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _value(value: Any, unit: str) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, dict) and "p50" in value:
        text = f"p50 {_number(value['p50'])} s, p95 {_number(value['p95'])} s (n={value['n']})"
        if value.get("timeouts"):
            text += f", {value['timeouts']} timed out at {value['timeout_s']} s (lower bounds)"
        return text
    if isinstance(value, dict) and "build_s" in value:
        return f"{_number(value['build_s'])} s, {value['html_bytes'] / 1_000_000:.1f} MB of HTML"
    if isinstance(value, dict) and "timeout_s" in value:
        tried = f"{value['size_tried']:,}"
        return f"timeout: not done after {_number(value['timeout_s'])} s ({tried} incidents tried)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if unit == "bytes" and isinstance(value, (int, float)):
        return f"{value / 1_000_000:.2f} MB" if value >= 100_000 else f"{value / 1000:.1f} kB"
    return f"{_number(value)} {unit}".strip()


def performance_markdown(report: dict[str, Any]) -> str:
    """Return the Markdown tables (figures, baselines, targets) for one report.

    Examples
    --------
    >>> text = performance_markdown({"machine": {"nproc": 2}, "dataset": {"incidents": 10, "links": 5},
    ...     "ingest_rows_per_s": 1.0, "targets": []})
    >>> "| import (python -m data import) | 1.00 rows/s |" in text
    True
    """
    machine = report.get("machine", {})
    dataset = report.get("dataset", {})
    details = report.get("details", {})
    lines = [
        f"Command: `{report.get('command', '')}`",
        "",
        f"Machine: {machine.get('nproc')} cores ({machine.get('cpu_model')}), {machine.get('memory_gb')} GB, "
        f"{machine.get('os')}, Python {machine.get('python')}; run {machine.get('date_utc')}, "
        f"load average {machine.get('load_average_1m')} at start "
        f"and {details.get('load_average_1m_at_end')} at the end; CPU pressure (PSI some, avg60) "
        f"{machine.get('cpu_pressure_avg60_pct')} % at start, "
        f"{details.get('cpu_pressure_avg60_pct_at_end')} % at the end "
        "(shared machine: other jobs were running).",
        "",
        f"Data: {_number(dataset.get('incidents'))} incidents, {_number(dataset.get('links'))} links "
        f"(synthetic demo, seed {dataset.get('seed')}).",
        "",
        "| figure | median filter | all data |",
        "|---|---|---|",
    ]
    for key, label, unit in _PER_VIEW:
        figure = report.get(key) or {}
        median_cell, all_cell = _value(figure.get("median_filter"), unit), _value(figure.get("all"), unit)
        lines.append(f"| {label} | {median_cell} | {all_cell} |")
    lines += ["", "| figure | value |", "|---|---|"]
    lines.append(f"| import (python -m data import) | {_value(report.get('ingest_rows_per_s'), 'rows/s')} |")
    lines.append(f"| cold load, dashboard path | {_value(report.get('load_s'), 's')} |")
    lines.append(f"| cold load, straight from the database | {_value(details.get('load_from_sql_s'), 's')} |")
    lines.append(f"| filter (select), 20 varied filters | {_value(report.get('filter_s'), 's')} |")
    lines.append(f"| browser: filter change in the open dashboard (City widget) to new map and graph drawn | "
                 f"{_value(report.get('browser_widget_change_s'), 's')} |")
    lines.append(f"| browser: shared view opened by URL (a full page load) to map and graph drawn | "
                 f"{_value(report.get('browser_filter_to_ready_s'), 's')} |")
    lines.append(f"| peak memory of the dashboard (VmHWM) | {_value(report.get('peak_rss_mb'), 'MB')} |")
    networkx_cell = _value(report.get("networkx_series_s"), "s")
    lines.append(f"| networkx components on string ids (all data) | {networkx_cell} |")
    for size, figure in (report.get("naive_map_build_s") or {}).items():
        label = f"naive map, one folium marker per incident, {size} incidents"
        lines.append(f"| {label} | {_value(figure, '')} |")
    for name, ratio in (report.get("ratios") or {}).items():
        lines.append(f"| ratio {name} | {ratio} |")
    lines += ["", "| target | goal | measured | |", "|---|---|---|---|"]
    for row in report.get("targets", []):
        verdict = {True: "met", False: "**missed**", None: "not measured"}[row["met"]]
        measured = row["measured"]
        if isinstance(measured, (int, float)) and "MB" in row["target"] and "GB" not in row["target"]:
            shown = f"{measured / 1_000_000:.2f} MB"
        elif isinstance(measured, (int, float)) and "GB" in row["target"]:
            shown = f"{measured:,.0f} MB"
        elif isinstance(measured, (int, float)) and row["target"].endswith("x"):
            shown = f"{measured}x"
        elif isinstance(measured, (int, float)) and "rows/s" in row["target"]:
            shown = f"{measured:,.0f} rows/s"
        elif isinstance(measured, (int, float)):
            shown = f"{_number(measured)} s"
        else:
            shown = "not measured"
        lines.append(f"| {row['name']} | {row['target']} | {shown} | {verdict} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Print the Markdown for the report file named in ``argv``."""
    if len(argv) != 1:
        print("usage: python -m bench.markdown REPORT.json", file=sys.stderr)
        return 2
    print(performance_markdown(json.loads(Path(argv[0]).read_text(encoding="utf-8"))), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
