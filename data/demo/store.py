"""``build_demo_store``: generate the demo data and write it through the store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from data import schema as S
from data.demo.generate import generate_demo
from data.demo.real_boundaries import import_demo_boundaries, real_boundary_files

if TYPE_CHECKING:
    from data.store import Store

GENERATOR_VERSION = "brassmap synthetic demo v1"


def demo_description(*, seed: int, incidents: int | None, links: int | None) -> str:
    """Canonical text naming exactly what was generated (its sha256 is the import's hash).

    Examples
    --------
    >>> demo_description(seed=7, incidents=None, links=None)
    '{"generator": "brassmap synthetic demo v1", "incidents": null, "links": null, "seed": 7}'
    """
    return json.dumps(
        {"generator": GENERATOR_VERSION, "seed": seed, "incidents": incidents, "links": links},
        sort_keys=True,
    )


def demo_file_name(frames: dict[str, pd.DataFrame], *, seed: int) -> str:
    """Name the demo import the way the imports table shows it.

    Examples
    --------
    >>> demo_file_name({"incidents": pd.DataFrame(index=range(3)), "links": pd.DataFrame()}, seed=1)
    'synthetic-demo seed=1 incidents=3 links=0'
    """
    return (
        f"synthetic-demo seed={seed} incidents={len(frames[S.INCIDENTS])} "
        f"links={len(frames.get(S.LINKS, ()))}"
    )


def build_demo_store(
    store: Store,
    *,
    seed: int = 2019,
    incidents: int | None = None,
    links: int | None = None,
    boundaries_from: Path | None = None,
) -> dict[str, int]:
    """Generate the synthetic demo data set and save it into ``store`` as one import.

    Parameters
    ----------
    store : data.store.Store
        Where to write; existing rows with the same ids are replaced.
    seed, incidents, links : keyword-only
        As for :func:`data.demo.generate_demo`.
    boundaries_from : Path, optional, keyword-only
        A folder of real boundary files (``../shared/realdata/boundaries``):
        when it holds any, they are imported through their presets (city
        limits, neighbourhoods, police districts; :mod:`data.demo.real_boundaries`)
        instead of the generated city outlines.

    Returns
    -------
    dict of str to int
        Rows written per kind (every kind in ``S.KINDS``).
    """
    from data.store import ImportSource

    frames = generate_demo(seed=seed, incidents=incidents, links=links)
    real = boundaries_from is not None and bool(real_boundary_files(boundaries_from))
    if real:
        frames = {kind: frame for kind, frame in frames.items() if kind != S.BOUNDARIES}
    rows = sum(len(frame) for frame in frames.values())
    description = demo_description(seed=seed, incidents=incidents, links=links)
    source = ImportSource(
        file_name=demo_file_name(frames, seed=seed),
        sha256=hashlib.sha256(description.encode("utf-8")).hexdigest(),
        rows_read=rows,
        rows_stored=rows,
        rows_rejected=0,
        warnings=0,
    )
    written = store.save(frames, source=source)
    if real and boundaries_from is not None:
        import_demo_boundaries(store, boundaries_from)
        written = {**written, S.BOUNDARIES: store.count(S.BOUNDARIES)}  # areas of one name are merged
    if S.LINKS in frames:  # analysts' events on the demo leads (data.demo.lead_events)
        from data.demo.lead_events import demo_lead_events
        from data.lead_events import append_events

        events = demo_lead_events(frames[S.LINKS], frames[S.INCIDENTS], seed=seed)
        append_events(store, events.assign(**{S.RECORDED_AT: source_time()}))
    return {kind: int(written.get(kind, 0)) for kind in S.KINDS}


def source_time() -> str:
    """UTC time written on the demo's analyst events."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
