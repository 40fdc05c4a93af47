"""Measurements that must run in a fresh process: ``python -m bench._child <what> ...``.

* ``load URL snapshot|sql`` — cold load of a store into frames in a new process
  (nothing cached in memory): ``snapshot`` the way the dashboard loads on start
  (the store's Parquet snapshot of this dataset version, written by the first
  load after an import), ``sql`` straight from the database; prints JSON.
* ``naive-map POINTS.npz`` — the naive baseline: one ``folium.CircleMarker`` with
  a popup per incident, rendered to HTML; prints JSON. The parent kills it after
  its timeout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _load(url: str, mode: str) -> dict[str, object]:
    from data.store import Store
    from linking.registry import stable_series

    start = time.perf_counter()
    store = Store(url)
    frames = stable_series(store, store.load_frames(use_snapshot=mode == "snapshot"))  # as the dashboard
    seconds = time.perf_counter() - start
    return {"load_s": seconds, "incidents": len(frames.incidents), "links": len(frames.links)}


def _naive_map(points_file: str) -> dict[str, object]:
    import folium
    import numpy as np

    arrays = np.load(Path(points_file), allow_pickle=False)
    latitudes, longitudes, ids = arrays["latitude"], arrays["longitude"], arrays["incident_id"]
    start = time.perf_counter()
    naive = folium.Map(location=[float(latitudes.mean()), float(longitudes.mean())], zoom_start=11)
    for lat, lon, incident_id in zip(latitudes.tolist(), longitudes.tolist(), ids.tolist(), strict=True):
        folium.CircleMarker(location=[lat, lon], radius=4, popup=str(incident_id)).add_to(naive)
    html = naive.get_root().render()
    seconds = time.perf_counter() - start
    return {"build_s": seconds, "html_bytes": len(html.encode("utf-8")), "markers": len(ids)}


def main(argv: list[str]) -> int:
    """Run one measurement named by ``argv[0]`` and print its JSON on stdout."""
    loading = len(argv) == 3 and argv[0] == "load" and argv[2] in ("snapshot", "sql")
    if not loading and not (len(argv) == 2 and argv[0] == "naive-map"):
        print("usage: python -m bench._child load URL snapshot|sql | naive-map POINTS.npz", file=sys.stderr)
        return 2
    result = _load(argv[1], argv[2]) if loading else _naive_map(argv[1])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
