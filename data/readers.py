"""Readers: any supported file -> one text table (+ geometry), with row numbers.

Every cell comes back as text (``<NA>`` when empty) so validation sees what the
source said; ids keep their leading zeros. Row numbers are what a user sees:
for CSV and Excel the spreadsheet row (the header is row 1, the first record
row 2); for Parquet and geo files the 1-based record number.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.archives import (
    DEFAULT_LIMITS,
    Limits,
    check_size,
    extract_zip,
    gunzip,
    pick_member,
    sniff_format,
)
from data.errors import IngestError, UnsupportedFormatError

if TYPE_CHECKING:
    import geopandas as gpd
from data.mapping import Mapping

_DELIMITERS = ",;\t|"
_FALLBACK_ENCODING = "cp1252"


@dataclass
class RawTable:
    """What a reader found, before any validation.

    Attributes
    ----------
    frame : DataFrame
        Source columns as text (``pd.NA`` for empty cells).
    rows : ndarray of int
        The user-facing 1-based row number of each record.
    geometry : GeoSeries or None
        Geometries of a geo file, reprojected to EPSG:4326 when a CRS was
        declared (by the file or the mapping); ``None`` for tables.
    crs_declared : bool
        Whether the geometries' CRS was declared.
    notices : list of str
        Things the user should know (e.g. an encoding fallback).
    source_format : str
        The sniffed format.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    geometry: gpd.GeoSeries | None = None
    crs_declared: bool = True
    notices: list[str] = field(default_factory=list)
    source_format: str = "csv"


def read_source(
    path: Path,
    mapping: Mapping,
    *,
    display_name: str,
    workdir: Path,
    limits: Limits = DEFAULT_LIMITS,
) -> RawTable:
    """Read ``path`` (sniffed by content) into a :class:`RawTable`.

    Parameters
    ----------
    path : Path
        The file on disk (an upload's temp file is fine).
    mapping : Mapping
        Supplies CSV settings, the Excel sheet, the archive member and a CRS.
    display_name : str, keyword-only
        Name used in messages, never as a path.
    workdir : Path, keyword-only
        Empty folder for decompressed/extracted files.
    """
    check_size(path, display_name=display_name, limits=limits)
    kind = sniff_format(path, display_name=display_name, encoding=mapping.encoding)
    if kind == "gzip":
        path = gunzip(path, workdir, display_name=display_name, limits=limits)
        kind = sniff_format(path, display_name=display_name, encoding=mapping.encoding)
        if kind in ("gzip", "zip"):
            raise UnsupportedFormatError(f"{display_name}: nested archives are not read; unpack it first")
    if kind == "zip":
        root = workdir / "zip"
        files = extract_zip(path, root, display_name=display_name, limits=limits)
        path = pick_member(files, root, member=mapping.member, display_name=display_name)
        display_name = f"{display_name}!{path.relative_to(root).as_posix()}"
        kind = sniff_format(path, display_name=display_name, encoding=mapping.encoding)
        if kind in ("gzip", "zip"):
            raise UnsupportedFormatError(f"{display_name}: nested archives are not read; unpack it first")
    if kind == "csv":
        table = read_csv_text(path, mapping, display_name=display_name)
    elif kind == "xlsx":
        table = _read_excel(path, mapping, display_name=display_name)
    elif kind == "parquet":
        frame = _read_parquet(path, display_name=display_name)
        _check_duplicate_names([str(c) for c in frame.columns], display_name=display_name)
        table = RawTable(_as_text_frame(frame), np.arange(1, len(frame) + 1), source_format=kind)
    elif kind in ("geojson", "gpkg", "shp"):
        table = _read_geo(path, mapping, display_name=display_name, source_format=kind)
    else:
        raise UnsupportedFormatError(
            f"{display_name}: {kind} files are not read; save it as .xlsx or CSV and import that"
        )
    table.source_format = kind
    return table


def _read_parquet(path: Path, *, display_name: str) -> pd.DataFrame:
    """Read a Parquet file; a corrupt or truncated one is one clear error naming the file."""
    import pyarrow as pa

    try:
        return pd.read_parquet(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise IngestError(
            f"{display_name}: cannot be read as Parquet ({first_line}); the file is corrupt or truncated, "
            "export it again"
        ) from exc


def _check_duplicate_names(names: list[str], *, display_name: str) -> None:
    seen: dict[str, int] = {}
    for position, raw in enumerate(names, start=1):
        name = raw.strip()
        if not name:
            continue
        if name in seen:
            raise IngestError(
                f"{display_name}: row 1 (header): column {name!r} appears twice (columns {seen[name]} and "
                f"{position}); rename one so each column has a unique name"
            )
        seen[name] = position


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv_text(path: Path, mapping: Mapping, *, display_name: str) -> RawTable:
    """Read a delimited text file: explicit or sniffed delimiter, UTF-8 with a reported cp1252 fallback.

    Raises
    ------
    IngestError
        Duplicate column names, or ragged rows (naming up to ten rows).
    """
    notices: list[str] = []
    raw = path.read_bytes()
    encoding = mapping.encoding or _bom_encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if mapping.encoding is not None:
            raise IngestError(
                f"{display_name}: byte {exc.start + 1:,} is not valid {mapping.encoding} "
                f"({raw[exc.start:exc.start + 1]!r}); fix [csv] encoding in the mapping"
            ) from exc
        text = raw.decode(_FALLBACK_ENCODING, errors="replace")
        encoding = _FALLBACK_ENCODING
        notices.append(
            f"{display_name} is not valid UTF-8 (first bad byte at offset {exc.start:,}); "
            f"decoded as {_FALLBACK_ENCODING} (Windows-1252). Set [csv] encoding to silence this."
        )
    del raw
    delimiter = mapping.delimiter or _sniff_delimiter(text[:65536])
    rows, width = _record_rows(text, delimiter, display_name=display_name)
    if width == 0:
        raise IngestError(f"{display_name}: the file is empty; expected a header row and data rows")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=True,
            decimal=mapping.decimal or ".",
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise IngestError(
            f"{display_name}: cannot be parsed as {encoding} text separated by {delimiter!r}: {exc}"
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(rows) != len(frame):
        rows = np.arange(2, len(frame) + 2)
    return RawTable(frame, rows, notices=notices, source_format="csv")


def _bom_encoding(raw: bytes) -> str:
    """UTF-16 when the bytes start with its BOM (Excel's "Unicode Text"), else UTF-8 (BOM optional)."""
    return "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"


def _field_counts(text: str, delimiter: str) -> tuple[list[str], np.ndarray] | None:
    """Header and per-line field counts (0 = blank line) for text without quotes, else ``None``.

    Without quote characters every record is one line, so counting delimiters
    is exact and much faster than the csv module.
    """
    if '"' in text or "\r" in text.replace("\r\n", "\n"):
        return None
    lines = text.split("\n")
    if lines and lines[-1].rstrip("\r") == "":
        lines.pop()
    if not lines:
        return [], np.zeros(0, dtype=np.int64)
    header = lines[0].rstrip("\r").split(delimiter)
    body = lines[1:]
    counts = np.fromiter((line.count(delimiter) + 1 for line in body), dtype=np.int64, count=len(body))
    blank = np.fromiter((not line.rstrip("\r") for line in body), dtype=bool, count=len(body))
    counts[blank] = 0
    return header, counts


def _csv_field_counts(text: str, delimiter: str) -> tuple[list[str], np.ndarray]:
    """Header and per-record field counts by the csv module (quoted fields; CR, LF or CRLF line ends).

    The csv module refuses fields over 131,072 characters by default; a
    quoted narrative may be longer, so the limit is raised to the text's
    length (never lowered).
    """
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], np.zeros(0, dtype=np.int64)
    return header, np.fromiter((len(record) for record in reader), dtype=np.int64)


def _record_rows(text: str, delimiter: str, *, display_name: str) -> tuple[np.ndarray, int]:
    """Return the spreadsheet row of every non-blank record, checking field counts."""
    counted = _field_counts(text, delimiter)
    header, counts = counted if counted is not None else _csv_field_counts(text, delimiter)
    if not header:
        return np.arange(0), 0
    _check_duplicate_names(header, display_name=display_name)
    width = len(header)
    numbers = np.arange(2, len(counts) + 2)
    present = counts > 0
    bad = present & (counts != width)
    rows = numbers[present]
    if bad.any():
        shown = [f"row {n} has {c} fields" for n, c in zip(numbers[bad][:10], counts[bad][:10], strict=True)]
        more = int(bad.sum()) - len(shown)
        raise IngestError(
            f"{display_name}: ragged rows — the header has {width} columns but "
            + "; ".join(shown)
            + (f"; and {more} more" if more else "")
            + f". Check the delimiter ({delimiter!r}; set [csv] delimiter)"
            " and the quoting of values that contain it."
        )
    return rows.astype(np.int64), width


def _read_excel(path: Path, mapping: Mapping, *, display_name: str) -> RawTable:
    # openpyxl parses the workbook XML through defusedxml when it is installed (it is pinned).
    sheet = 0 if mapping.sheet is None else mapping.sheet
    try:
        grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        if "worksheet" in str(exc).casefold() and "could not read" not in str(exc).casefold():
            raise IngestError(f"{display_name}: no sheet {sheet!r} ({exc}); set [options] sheet") from exc
        raise IngestError(
            f"{display_name}: the workbook cannot be read: its XML is invalid or unsafe (entity "
            "declarations and DTDs are refused). Re-save it from Excel, or export it as CSV."
        ) from exc
    if grid.empty:
        raise IngestError(f"{display_name}: sheet {sheet!r} is empty; expected a header row and data rows")
    header = ["" if pd.isna(v) else str(v).strip() for v in grid.iloc[0]]
    _check_duplicate_names(header, display_name=display_name)
    body = grid.iloc[1:].copy()
    body.columns = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    body = body.dropna(how="all")
    rows = body.index.to_numpy(dtype=np.int64) + 1
    return RawTable(_as_text_frame(body.reset_index(drop=True)), rows, source_format="xlsx")


def _read_geo(path: Path, mapping: Mapping, *, display_name: str, source_format: str) -> RawTable:
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several DataSourceError types; all become one message
        raise IngestError(f"{display_name}: cannot be read as {source_format}: {exc}") from exc
    notices: list[str] = []
    declared = gdf.crs is not None
    if mapping.crs is not None and not declared:
        gdf = gdf.set_crs(mapping.crs)
        declared = True
        notices.append(f"{display_name}: no CRS in the file; used {mapping.crs} from the mapping")
    if declared and not gdf.crs.equals("EPSG:4326"):
        notices.append(f"{display_name}: reprojected from {gdf.crs.name} to EPSG:4326")
        gdf = gdf.to_crs("EPSG:4326")
    geometry = gdf.geometry.reset_index(drop=True)
    attributes = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).reset_index(drop=True)
    return RawTable(
        _as_text_frame(attributes),
        np.arange(1, len(gdf) + 1),
        geometry=geometry,
        crs_declared=declared,
        notices=notices,
        source_format=source_format,
    )


def _as_text(series: pd.Series) -> pd.Series:
    """Render one column as text the way a spreadsheet shows it (7.0 -> "7")."""
    if pd.api.types.is_datetime64_any_dtype(series):
        out = series.dt.strftime("%Y-%m-%dT%H:%M:%S%z" if series.dt.tz is not None else "%Y-%m-%dT%H:%M:%S")
        return out.astype("string")
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_integer_dtype(series):
        return series.astype("string")
    if pd.api.types.is_float_dtype(series):
        text = series.astype("string")
        values = series.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            integral = np.isfinite(values) & (np.mod(values, 1) == 0) & (np.abs(values) < 1e15)
        if integral.any():
            whole = pd.Series(values[integral].astype(np.int64), index=series.index[integral])
            text[integral] = whole.astype("string")
        return text

    def render(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return pd.NA
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    return series.map(render).astype("string")


def _as_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({str(name): _as_text(frame[name]) for name in frame.columns}, index=frame.index)
