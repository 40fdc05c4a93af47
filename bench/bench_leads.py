"""Lead desk cost: reading the lead history, the lead table and the triage queue, as the Leads tab does.

``python -m bench.bench_leads --incidents 1000000`` builds (or reuses) the same
seeded demo store as ``python -m bench`` under ``var/bench/`` and prints the
medians; ``python -m bench`` reports the same figures as ``lead_desk_s``.
The dashboard recomputes the lead table when the dataset or the events change
and the queue when, in addition, the sidebar's cities change
(:mod:`ui.desk`), so these are the seconds an analyst waits after an import
or a recorded event.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from bench.stats import spread, timed, timed_cpu


def lead_desk_figures(store: Any, frames: Any, *, today: date, repeats: int) -> dict[str, Any]:
    """Time ``read_events``, ``lead_table`` and ``lead_queue`` (all cities, open leads) ``repeats`` times.

    Returns
    -------
    dict
        ``events_read_s``, ``lead_table_s``, ``queue_s`` and ``total_s`` (wall)
        and the same with ``_cpu_s`` (this process's CPU seconds: on a shared
        machine the wall time includes waiting for a core), each as
        ``{"p50", "p95", "n"}``; plus ``events``, ``leads`` and ``open_leads`` counts.
    """
    from data.lead_events import read_events
    from linking.leads import lead_table
    from linking.triage import lead_queue

    wall: dict[str, list[float]] = {"events_read": [], "lead_table": [], "queue": []}
    cpu: dict[str, list[float]] = {name: [] for name in wall}
    events = leads = queue = None
    for _ in range(repeats):
        events, seconds, used = timed_cpu(lambda: read_events(store))
        wall["events_read"].append(seconds)
        cpu["events_read"].append(used)
        leads, seconds, used = timed_cpu(partial(lead_table, frames, events, today=today))
        wall["lead_table"].append(seconds)
        cpu["lead_table"].append(used)
        queue, seconds, used = timed_cpu(partial(lead_queue, frames, leads, today=today, open_only=True))
        wall["queue"].append(seconds)
        cpu["queue"].append(used)
    figures: dict[str, Any] = {}
    for name in wall:
        figures[f"{name}_s"] = spread(wall[name], digits=3)
        figures[f"{name}_cpu_s"] = spread(cpu[name], digits=3)
    figures["total_s"] = spread([sum(runs) for runs in zip(*wall.values(), strict=True)], digits=3)
    figures["total_cpu_s"] = spread([sum(runs) for runs in zip(*cpu.values(), strict=True)], digits=3)
    return figures | {
        "events": 0 if events is None else len(events),
        "leads": 0 if leads is None else len(leads),
        "open_leads": 0 if queue is None else len(queue),
    }


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the demo store of ``--incidents`` and print the lead desk figures."""
    from bench.stores import DEFAULT_WORK_DIR, bench_paths, ensure_demo_store

    first_line = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.bench_leads", description=first_line)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-dir", default=str(DEFAULT_WORK_DIR))
    args = parser.parse_args(argv)
    from data.store import Store
    from linking.leads import reference_date
    from linking.registry import stable_series

    paths = bench_paths(Path(args.work_dir), seed=args.seed, incidents=args.incidents, links=None)
    built = ensure_demo_store(paths, seed=args.seed, incidents=args.incidents, links=None)
    store = Store(paths.store_url)
    frames, load_s = timed(lambda: stable_series(store, store.load_frames()))
    today = reference_date(frames)
    figures = lead_desk_figures(store, frames, today=today, repeats=args.repeats)
    report = {
        "command": "python -m bench.bench_leads " + " ".join(sys.argv[1:] if argv is None else argv),
        "incidents": len(frames.incidents),
        "links": len(frames.links),
        "store_build_s": built["build_s"],
        "load_with_series_s": round(load_s, 2),
        "lead_desk": figures,
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
