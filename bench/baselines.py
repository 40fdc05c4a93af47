"""The obvious alternatives, measured in the same run on the same data.

* naive map: one folium marker per incident (in a child process with a timeout);
* networkx series: ``nx.connected_components`` on a graph built from string ids.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from bench.errors import BenchError
from bench.stats import median, timed
from bench.stores import REPO_ROOT
from data import schema as S

NAIVE_SIZES: tuple[int, ...] = (10_000, 100_000)
NAIVE_TIMEOUT_S = 60.0


def run_child(args: list[str], *, timeout_s: float) -> dict[str, Any] | None:
    """Run ``python -m bench._child ARGS``; return its JSON, or ``None`` after ``timeout_s``.

    Raises :class:`BenchError` with the child's error output when it fails.
    """
    command = [sys.executable, "-m", "bench._child", *args]
    try:
        done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise BenchError(
            f"benchmark child {' '.join(args)!r} exited with {done.returncode}: {done.stderr.strip()[-2000:]}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def naive_sizes(available: int) -> list[int]:
    """Sizes to try: 10 k then 100 k, or the whole data when it is smaller.

    Examples
    --------
    >>> naive_sizes(2000)
    [2000]
    >>> naive_sizes(1_000_000)
    [10000, 100000]
    """
    sizes = [size for size in NAIVE_SIZES if size <= available]
    return sizes or [available]


def naive_map(
    incidents: pd.DataFrame, scratch: Path, *, timeout_s: float = NAIVE_TIMEOUT_S
) -> dict[str, Any]:
    """Time the naive map at each size in :func:`naive_sizes` (stops after the first timeout).

    Returns
    -------
    dict
        Per size (as a string): ``{"build_s", "html_bytes"}`` or
        ``{"timeout_s": 60, "size_tried": N}``.
    """
    results: dict[str, Any] = {}
    for size in naive_sizes(len(incidents)):
        head = incidents.head(size)
        points = scratch.with_name(f"{scratch.name}-{size}.npz")
        np.savez(
            points,
            latitude=head[S.LATITUDE].to_numpy(dtype="float64"),
            longitude=head[S.LONGITUDE].to_numpy(dtype="float64"),
            incident_id=head[S.INCIDENT_ID].astype(str).to_numpy(dtype="U"),
        )
        try:
            measured = run_child(["naive-map", str(points)], timeout_s=timeout_s)
        finally:
            points.unlink(missing_ok=True)
        if measured is None:
            results[str(size)] = {"timeout_s": timeout_s, "size_tried": size}
            break
        results[str(size)] = {"build_s": round(measured["build_s"], 3), "html_bytes": measured["html_bytes"]}
    return results


def networkx_series(links: pd.DataFrame, *, min_size: int = 2) -> dict[str, int]:
    """Series the obvious way: a networkx graph on string ids, then connected components.

    The same rules as :func:`linking.series.assign_series`: incident pairs are
    edges, a test-fire link joins its incident to the firearm (so two scenes
    of one recovered gun are one series), and a series needs ``min_size``
    incidents (firearms are not counted).

    Returns
    -------
    dict
        ``{incident id: component number}`` for every incident in a series.
    """
    pairs = links[links[S.INCIDENT_B].notna()]
    graph = nx.Graph()
    graph.add_edges_from(
        zip(pairs[S.INCIDENT_A].astype(str).tolist(), pairs[S.INCIDENT_B].astype(str).tolist(), strict=True)
    )
    if S.FIREARM_ID in links.columns:
        test_fires = links[links[S.INCIDENT_B].isna() & links[S.FIREARM_ID].notna()]
        guns = [("firearm", gun) for gun in test_fires[S.FIREARM_ID].astype(str).tolist()]
        graph.add_edges_from(zip(test_fires[S.INCIDENT_A].astype(str).tolist(), guns, strict=True))
    membership: dict[str, int] = {}
    for number, component in enumerate(nx.connected_components(graph)):
        incidents = [node for node in component if isinstance(node, str)]
        if len(incidents) >= min_size:
            for node in incidents:
                membership[node] = number
    return membership


def series_comparison(frames: Any, links: pd.DataFrame, *, repeats: int = 3) -> dict[str, Any]:
    """Time brassmap's series components and the networkx baseline on the same incidents and links.

    Ours is what the dashboard computes when it loads a dataset version
    (:func:`linking.registry.series_components` on the link ends found at load);
    networkx builds its graph from the id strings of ``links`` (the lead and hit
    links of ``frames``). The counts of linked incidents and of series are
    reported for both, so a reader can see they computed the same thing.
    """
    from linking.registry import link_ends_of, series_components

    ours: list[float] = []
    theirs: list[float] = []
    code = np.zeros(0, dtype=np.int64)
    membership: dict[str, int] = {}
    for _ in range(max(1, repeats)):
        (code, _), elapsed = timed(lambda: series_components(frames, link_ends_of(frames)))
        ours.append(elapsed)
        membership, elapsed = timed(lambda: networkx_series(links))
        theirs.append(elapsed)
    ours_s, theirs_s = median(ours), median(theirs)
    return {
        "series_components_s": ours_s,
        "networkx_series_s": theirs_s,
        "ratio": round(theirs_s / ours_s, 1) if ours_s > 0 else None,
        "linked_incidents": int((code >= 0).sum()),
        "networkx_linked_incidents": len(membership),
        "series": len(np.unique(code[code >= 0])),
        "networkx_series": len(set(membership.values())),
    }
