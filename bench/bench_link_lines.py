"""Time :func:`geo.link_lines.link_payload` on a loaded store, for all data and for a 4-city half year.

``python -m bench.bench_link_lines [--db URL] [--repeat 7] [--max-links 2500] [--save FILE]``

The store is only read (``Store(url).load_frames()``; its Parquet snapshot is
used when present). For each view it prints the incidents and links passed
in, links drawn/unplaced, and the median, min and max seconds of
``link_payload(sel.links, finite_points(sel.incidents), firearms=sel.firearms,
max_links=...)``, the same call on plain copies (``reset_index``: the
string-matching path used when frames are not cut from a loaded store), and
the call with the view's biggest series selected.
``--save`` pickles the payloads so two versions can be compared byte for
byte. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from data import schema as S
from data.store import Store
from geo.layers import finite_points
from geo.link_lines import link_payload
from linking.filters import Filters
from linking.registry import stable_series
from linking.selection import select

DEFAULT_DB = "sqlite:////work/main/var/bench/demo-seed2019-n1000000-lauto.sqlite"
VIEWS: dict[str, Filters] = {
    "all": Filters(),
    "four_cities_2020h2": Filters(
        cities=("Cleveland", "Albuquerque", "Kansas City", "Detroit"),
        date_from=date(2020, 7, 1),
        date_to=date(2020, 12, 30),
    ),
}


def _timed(call: Callable[[], Any], repeat: int) -> tuple[Any, list[float]]:
    result, seconds = None, []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return result, seconds


def _figures(seconds: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(seconds), 4),
        "min_s": round(min(seconds), 4),
        "max_s": round(max(seconds), 4),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL of a loaded store (read only)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--max-links", type=int, default=2_500)
    parser.add_argument("--save", type=Path, help="pickle the payloads here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    store = Store(args.db)
    frames = stable_series(store, store.load_frames())
    print(json.dumps({"load_s": round(time.perf_counter() - started, 2), "incidents": len(frames.incidents)}))
    saved: dict[str, Any] = {}
    today = date(2022, 1, 1)
    for name, filters in VIEWS.items():
        sel = select(frames, filters, today=today)
        points = finite_points(sel.incidents)
        plain_points, plain_links = points.reset_index(drop=True), sel.links.reset_index(drop=True)
        fast, fast_s = _timed(
            lambda p=points, s=sel: link_payload(s.links, p, firearms=s.firearms, max_links=args.max_links),
            args.repeat,
        )
        plain, plain_s = _timed(
            lambda p=plain_points, k=plain_links, s=sel: link_payload(
                k, p, firearms=s.firearms, max_links=args.max_links
            ),
            args.repeat,
        )
        biggest = str(sel.series.iloc[0][S.SERIES_ID]) if len(sel.series) else None
        chosen, chosen_s = _timed(
            lambda p=points, s=sel, b=biggest: link_payload(
                s.links, p, firearms=s.firearms, selected_series_id=b, max_links=args.max_links
            ),
            args.repeat,
        )
        saved[name] = fast
        saved[f"{name}/{biggest}"] = chosen
        row = {
            "view": name,
            "incidents": len(points),
            "links": len(sel.links),
            "drawn": fast.drawn,
            "unplaced": fast.unplaced,
            "loaded_frames": _figures(fast_s),
            "plain_copies": _figures(plain_s),
            "series_selected": _figures(chosen_s),
            "same_payload": fast == plain,
        }
        print(json.dumps(row))
    if args.save is not None:
        args.save.write_bytes(pickle.dumps(saved))


if __name__ == "__main__":
    main()
