"""Frames: the typed, in-memory view of the store that ``geo``, ``linking`` and ``ui`` use.

Incidents carry the schema columns plus derived ``local_date``,
``local_time``, ``caliber`` and ``far_from_city``; ``city`` and
``incident_type`` are categorical, ids are ``string``, ``occurred_at`` is
``datetime64[ns, UTC]``, rows are sorted by city then time. Links carry
``incident_a < incident_b`` and a categorical ``status``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data import schema as S
from geo.cities import known_city

if TYPE_CHECKING:
    from data.store import Store

_KINDS = (S.INCIDENTS, S.LINKS, S.EVIDENCE, S.FIREARMS)


@dataclass(frozen=True)
class Frames:
    """Everything the dashboard shows, typed.

    Attributes
    ----------
    incidents, links, evidence, firearms : DataFrame
    boundaries : GeoDataFrame
        EPSG:4326 polygons with ``boundary_id, name, city, layer``.
    dataset_version : str
        Changes on every import; a good cache key.
    is_synthetic : bool
        True when any incident or link is generated demo data.
    link_rows : LinkRows or None
        Row positions in ``incidents`` of every link's ends, computed once at
        load; ``None`` when incident ids repeat. A selection carries its own
        (``Selection.link_ends``), sliced from these.
    series : linking.registry.SeriesIndex or None
        Series over the whole store with their stable ids, attached by
        :func:`linking.registry.stable_series` (``None`` until then).
    """

    incidents: pd.DataFrame
    links: pd.DataFrame
    evidence: pd.DataFrame
    firearms: pd.DataFrame
    boundaries: gpd.GeoDataFrame
    dataset_version: str
    is_synthetic: bool
    link_rows: LinkRows | None = field(default=None, compare=False, repr=False)
    series: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, eq=False)
class LinkRows:
    """Integer link ends computed at load: ``incident_a[i]``/``incident_b[i]`` is the row in
    ``Frames.incidents`` of link row ``i``'s end (-1 when empty or not loaded)."""

    incident_a: np.ndarray
    incident_b: np.ndarray


def _empty_storage(kind: str) -> pd.DataFrame:
    from data._sql import TABLES

    return pd.DataFrame({c.name: pd.Series(dtype=object) for c in TABLES[kind].columns})


def empty_frames() -> Frames:
    """Frames with every column and dtype but no rows.

    >>> f = empty_frames()
    >>> len(f.incidents), str(f.incidents["occurred_at"].dtype), f.is_synthetic
    (0, 'datetime64[ns, UTC]', False)
    """
    return typed_frames({kind: _empty_storage(kind) for kind in (*_KINDS, S.BOUNDARIES)}, version="empty")


def _ids(values: pd.Series) -> pd.Series:
    return values.astype("string")


def _utc(values: pd.Series) -> pd.Series:
    ints = pd.to_numeric(values, errors="raise").astype("Int64")
    nanos = ints.to_numpy(dtype="int64", na_value=np.iinfo("int64").min)
    return pd.Series(pd.to_datetime(nanos.view("datetime64[ns]")).tz_localize("UTC"), index=values.index)


def _bools(values: pd.Series) -> pd.Series:
    return values.astype("boolean").fillna(False).astype(bool)


def _typed_columns(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    schema = S.SCHEMAS[kind]
    out = {}
    for declared in schema.fields:
        if declared.name not in frame.columns:
            continue
        values = frame[declared.name]
        if declared.dtype in ("string", "category"):
            out[declared.name] = _ids(values)
        elif declared.dtype == "datetime":
            out[declared.name] = _utc(values)
        elif declared.dtype == "date":
            out[declared.name] = pd.to_datetime(values.astype("string"), format="%Y-%m-%d").astype(
                "datetime64[ns]"
            )
        elif declared.dtype == "float":
            out[declared.name] = pd.to_numeric(values).astype("float64")
        elif declared.dtype == "int":
            out[declared.name] = pd.to_numeric(values).astype("Int64").fillna(0).astype("int64")
        elif declared.dtype == "bool":
            out[declared.name] = _bools(values)
        else:
            out[declared.name] = values
    return pd.DataFrame(out, index=frame.index)


def _local(occurred: pd.Series, cities: pd.Series, zones: pd.Series) -> pd.Series:
    zone = cities.map({c: getattr(known_city(str(c)), "time_zone", None) for c in cities.dropna().unique()})
    zone = zone.astype("string").fillna(zones.astype("string")).fillna("UTC")
    local = pd.Series(pd.NaT, index=occurred.index, dtype="datetime64[ns]")
    for name, positions in zone.groupby(zone, sort=False).indices.items():
        local.iloc[positions] = occurred.iloc[positions].dt.tz_convert(name).dt.tz_localize(None).to_numpy()
    return local


def incident_calibers(
    incident_ids: pd.Series, evidence: pd.DataFrame, links: pd.DataFrame | None = None
) -> pd.Series:
    """Most frequent casing caliber per incident, else its links', else ``UNKNOWN_CALIBER``.

    Ties go to the alphabetically first caliber.

    A lead report names the calibre of the casings it compared: an incident
    whose casings give none takes the most frequent ``caliber`` of the links
    touching it (either end), spelt as a casing spells it when one matches
    apart from case ("9MM LUGER" -> "9mm Luger").

    >>> ev = pd.DataFrame({"incident_id": ["1", "1", "1", "2"], "evidence_kind": ["casing"] * 4,
    ...                    "caliber": ["9mm", ".40 S&W", "9mm", None]})
    >>> incident_calibers(pd.Series(["1", "2", "3"]), ev).tolist()
    ['9mm', 'unknown/other', 'unknown/other']
    >>> links = pd.DataFrame({"incident_a": ["1", "2"], "incident_b": ["2", None],
    ...                       "caliber": ["9MM", ".45 ACP"]})
    >>> incident_calibers(pd.Series(["1", "2", "3"]), ev, links).tolist()
    ['9mm', '.45 ACP', 'unknown/other']
    """
    ids = arrow_text(incident_ids)
    casings = evidence[(evidence[S.EVIDENCE_KIND] == "casing") & evidence[S.CALIBER].notna()]
    spelt, spellings = pd.factorize(casings[S.CALIBER].astype("string"), sort=True)  # codes sort as texts
    chosen = _most_frequent(_rows_in(ids, casings[S.INCIDENT_ID]), spelt, len(ids))
    result = pd.Series(pd.Index(spellings).astype("string"), dtype="string").reindex(chosen).to_numpy()
    if links is not None and len(links) and S.CALIBER in links.columns:
        given = links[links[S.CALIBER].notna()]
        code, texts = pd.factorize(given[S.CALIBER].astype("string"))
        given_texts = pd.Series(texts, dtype="string")
        respelt = given_texts.str.casefold().map(_spelling(spellings, spelt)).astype("string")
        respelt = respelt.fillna(given_texts)  # no casing spells it: as the link does
        final, names = pd.factorize(respelt, sort=True)
        ends = np.concatenate([_rows_in(ids, given[side]) for side in (S.INCIDENT_A, S.INCIDENT_B)])
        by_links = _most_frequent(ends, np.tile(final[code], 2), len(ids))
        from_links = pd.Series(pd.Index(names).astype("string"), dtype="string").reindex(by_links).to_numpy()
        result = np.where(chosen >= 0, result, from_links)  # a casing's calibre comes first
    return pd.Series(result, index=incident_ids.index, dtype="string").fillna(S.UNKNOWN_CALIBER)


def _rows_in(ids: pa.Array, values: pd.Series) -> np.ndarray:
    """Row of each of ``values`` in ``ids`` (-1 when absent or missing), by one Arrow hash lookup."""
    found = pc.index_in(arrow_text(values), value_set=ids)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _most_frequent(rows: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """Per row ``0..count-1``, its most frequent code among ``(rows, codes)`` (ties: smallest; none: -1)."""
    chosen = np.full(count, -1, dtype=np.int64)
    kept = (rows >= 0) & (codes >= 0)
    if not kept.any():
        return chosen
    width = np.int64(codes.max()) + 1
    keys, counts = np.unique(rows[kept].astype(np.int64) * width + codes[kept], return_counts=True)
    owner, code = keys // width, keys % width
    order = np.lexsort((code, -counts, owner))
    first = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
    chosen[owner[first]] = code[first]
    return chosen


def _spelling(spellings: pd.Index, spelt: np.ndarray) -> pd.Series:
    """Case-folded calibre -> the casings' most frequent spelling of it (ties: alphabetical)."""
    table = pd.DataFrame({"folded": pd.Series(spellings, dtype="string").str.casefold(),
                          "name": pd.Series(spellings, dtype="string"),
                          "n": np.bincount(spelt[spelt >= 0], minlength=len(spellings))})  # fmt: skip
    table = table.sort_values(["folded", "n", "name"], ascending=[True, False, True])
    return table.drop_duplicates("folded").set_index("folded")["name"]


def typed_frames(tables: dict[str, pd.DataFrame], *, version: str) -> Frames:
    """Build :class:`Frames` from tables in storage form (see :mod:`data._sql`)."""
    evidence = _typed_columns(S.EVIDENCE, tables[S.EVIDENCE])
    firearms = _typed_columns(S.FIREARMS, tables[S.FIREARMS])
    firearms[S.CITY] = firearms[S.CITY].astype("category")

    raw_incidents = tables[S.INCIDENTS]
    incidents = _typed_columns(S.INCIDENTS, raw_incidents)
    incidents[S.FAR_FROM_CITY] = _bools(raw_incidents[S.FAR_FROM_CITY])
    incidents = incidents.sort_values([S.CITY, S.OCCURRED_AT], kind="stable").reset_index(drop=True)
    local = _local(incidents[S.OCCURRED_AT], incidents[S.CITY], incidents[S.TIME_ZONE])
    incidents[S.LOCAL_TIME] = local
    incidents[S.LOCAL_DATE] = local.dt.normalize()
    links = _typed_columns(S.LINKS, tables[S.LINKS])
    for name in S.LINK_SCHEMA.names:  # a snapshot written before caliber was added lacks it
        if name not in links.columns and S.LINK_SCHEMA.field(name).dtype == "string":
            links[name] = pd.Series(pd.NA, index=links.index, dtype="string")
    incidents[S.CALIBER] = incident_calibers(incidents[S.INCIDENT_ID], evidence, links)
    incidents[S.CITY] = incidents[S.CITY].astype("category")
    incidents[S.INCIDENT_TYPE] = pd.Categorical(incidents[S.INCIDENT_TYPE], categories=S.INCIDENT_TYPES)

    swap = (links[S.INCIDENT_B].notna() & (links[S.INCIDENT_A] > links[S.INCIDENT_B])).fillna(False)
    if swap.any():
        a, b = links[S.INCIDENT_A].copy(), links[S.INCIDENT_B].copy()
        links.loc[swap, S.INCIDENT_A], links.loc[swap, S.INCIDENT_B] = b[swap], a[swap]
    links[S.STATUS] = pd.Categorical(links[S.STATUS], categories=S.LINK_STATUSES)
    links = links.sort_values(S.LINK_ID, kind="stable").reset_index(drop=True)

    raw_boundaries = tables[S.BOUNDARIES]
    import shapely

    geometry = shapely.from_wkb(raw_boundaries[S.GEOMETRY].to_numpy(dtype=object))
    boundaries = gpd.GeoDataFrame(
        _typed_columns(S.BOUNDARIES, raw_boundaries.drop(columns=[S.GEOMETRY])),
        geometry=gpd.GeoSeries(geometry, index=raw_boundaries.index),
        crs=S.STORAGE_CRS,
    )
    synthetic = bool(incidents[S.IS_SYNTHETIC].any() or links[S.IS_SYNTHETIC].any())
    return Frames(
        incidents=incidents,
        links=links,
        evidence=evidence.reset_index(drop=True),
        firearms=firearms.reset_index(drop=True),
        boundaries=boundaries,
        dataset_version=version,
        is_synthetic=synthetic,
        link_rows=_link_rows(incidents, links),
    )


def arrow_text(values: pd.Series) -> pa.Array:
    """``values`` as an Arrow ``large_string`` array of their ``astype("string")`` text (no copy if Arrow)."""
    if isinstance(values.array, pd.arrays.ArrowStringArray):
        array = pa.array(values.array)  # type: ignore[arg-type]
    else:
        text = values.astype("string").to_numpy(dtype=object, na_value=None)
        array = pa.array(text, type=pa.large_string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string())


def _link_rows(incidents: pd.DataFrame, links: pd.DataFrame) -> LinkRows | None:
    """Encode every link end as a row of ``incidents`` once, at load (``Frames.link_rows``).

    Returns ``None`` when incident ids are missing or repeat (rows would be ambiguous).
    """
    ids = arrow_text(incidents[S.INCIDENT_ID])
    ends = (arrow_text(links[S.INCIDENT_A]), arrow_text(links[S.INCIDENT_B]))
    if ids.null_count:
        return None
    # one hash pass over ids and both ends: equal texts get equal codes (null ends get null codes)
    encoded = pc.dictionary_encode(pa.concat_arrays([ids, *ends]))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    id_codes = codes[: len(ids)]
    if len(ids) and np.bincount(id_codes).max() > 1:
        return None
    where = np.full(len(encoded.dictionary) + 1, -1, dtype=np.int64)  # code -1 (null) -> last slot
    where[id_codes] = np.arange(len(ids))
    rows = where[codes[len(ids) :]]
    return LinkRows(incident_a=rows[: len(ends[0])], incident_b=rows[len(ends[0]) :])


def _snapshot_path(store: Store, version: str) -> Path:
    return store.snapshot_dir() / version


def load_frames(store: Store, *, use_snapshot: bool = True) -> Frames:
    """Read every table and build typed :class:`Frames`.

    With ``use_snapshot`` the storage-form tables are cached as Parquet under
    :meth:`Store.snapshot_dir`, keyed by the dataset version (older snapshots
    are removed), so the next cold start skips SQL.
    """
    version = store.dataset_version()
    folder = _snapshot_path(store, version)
    tables: dict[str, pd.DataFrame] = {}
    if use_snapshot and (folder / "complete").exists():
        for kind in (*_KINDS, S.BOUNDARIES):
            tables[kind] = pd.read_parquet(folder / f"{kind}.parquet")
        return typed_frames(tables, version=version)
    version, tables = store.read_tables((*_KINDS, S.BOUNDARIES))  # one snapshot: no half-read import
    folder = _snapshot_path(store, version)
    if use_snapshot:
        _write_snapshot(store, folder, tables)
    return typed_frames(tables, version=version)


def _write_snapshot(store: Store, folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    import os
    import shutil
    import uuid

    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    for old in parent.iterdir():
        if old != folder and old.is_dir() and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    # write beside, then rename: a reader never sees a half-written snapshot
    staging = parent / f".{folder.name}.{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    for kind, table in tables.items():
        fixed = table.copy()
        for column in fixed.columns:
            if fixed[column].dtype == object and column != S.GEOMETRY:
                fixed[column] = fixed[column].astype("string") if _textual(fixed[column]) else fixed[column]
        fixed.to_parquet(staging / f"{kind}.parquet", index=False)
    (staging / "complete").write_text("ok\n")
    try:
        os.rename(staging, folder)
    except OSError:  # another process published the same version first
        shutil.rmtree(staging, ignore_errors=True)


def _textual(values: pd.Series) -> bool:
    sample = values.dropna()
    return sample.empty or isinstance(sample.iloc[0], str)
