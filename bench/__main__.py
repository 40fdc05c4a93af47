"""``python -m bench``: national-scale figures for brassmap, measured side by side with baselines.

Examples
--------
``python -m bench --incidents 1000000 --json`` builds (or reuses) a seeded demo
store of a million incidents under ``var/bench/`` and prints one JSON object:
import rate, cold load, filter, series, graph and map times, map and graph
sizes, browser filter-change times, the dashboard's peak memory, and the naive
folium and networkx baselines with their ratios. Nothing passes or fails on
time; the targets of issue #6 are listed beside the measurements.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

from bench.errors import BenchError
from bench.stores import DEFAULT_WORK_DIR


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; use e.g. 1000000") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m bench``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure brassmap at scale on a seeded synthetic demo store, beside naive baselines.",
    )
    parser.add_argument("--incidents", type=_positive, required=True, help="incidents in the demo store")
    parser.add_argument(
        "--links", type=_positive, default=None, help="links (default: the demo's ~0.5 per incident)"
    )
    parser.add_argument("--seed", type=int, default=2019, help="demo seed (default 2019)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--fresh", action="store_true", help="rebuild the store and CSV even if present")
    parser.add_argument("--skip-browser", action="store_true", help="skip the Chromium filter-change figure")
    parser.add_argument("--repeats", type=_positive, default=3, help="runs per timed step (median)")
    parser.add_argument("--filters", type=_positive, default=20, help="varied filters to time (default 20)")
    parser.add_argument(
        "--browser-changes", type=_positive, default=10, help="filter changes in the browser (default 10)"
    )
    parser.add_argument(
        "--naive-timeout", type=float, default=60.0, help="seconds before the naive map gives up (default 60)"
    )
    parser.add_argument(
        "--db",
        default=None,
        help="database to benchmark (e.g. postgresql+psycopg://user:pw@host/db): empty or holding only the "
        "demo; default a SQLite file under --work-dir",
    )
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="where stores live")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON report to this file")
    return parser


def _hide_password(argv: list[str]) -> list[str]:
    """The command line as the report shows it: a database URL's password as ``***``."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    shown = []
    for arg in argv:
        try:
            shown.append(make_url(arg).render_as_string(hide_password=True) if "://" in arg else arg)
        except ArgumentError:
            shown.append(arg)
    return shown


_STARTED = time.monotonic()


def _progress(line: str) -> None:
    print(f"[bench {time.monotonic() - _STARTED:7.1f} s] {line}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 0 when every figure was measured, 1 when a step could not run."""
    args = build_parser().parse_args(argv)
    from bench.run import RunOptions, run_benchmark, summary_lines

    options = RunOptions(
        incidents=args.incidents,
        links=args.links,
        seed=args.seed,
        work_dir=args.work_dir,
        fresh=args.fresh,
        repeats=args.repeats,
        filters=args.filters,
        browser_changes=min(args.browser_changes, args.filters),
        naive_timeout_s=args.naive_timeout,
        skip_browser=args.skip_browser,
        db_url=args.db,
        command="python -m bench " + shlex.join(_hide_password(sys.argv[1:] if argv is None else argv)),
    )
    try:
        report = run_benchmark(options, log=_progress)
    except BenchError as exc:
        print(f"python -m bench: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(report, indent=2, default=str)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text if args.json else "\n".join(summary_lines(report)))
    for key, message in report["errors"].items():
        print(f"python -m bench: {key} not measured: {message}", file=sys.stderr)
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
