"""Ingest figure: write N incidents as a CSV in brassmap's own export format, import it with the real CLI.

The CSV's header, value spellings and date formats come from the preset
mapping for brassmap incidents (``data/presets/``), so the file is exactly
what the importer expects from a brassmap export.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from bench.errors import BenchError
from bench.stats import timed
from bench.stores import REPO_ROOT
from data import schema as S

PRESETS_DIR = REPO_ROOT / "data" / "presets"
_DATE_TYPES = ("datetime", "date")


def incidents_preset() -> Path:
    """Return the preset mapping for brassmap's incident export (``brassmap*incidents*.toml``)."""
    candidates = sorted(PRESETS_DIR.glob("brassmap*incident*.toml"))
    if not candidates:
        raise BenchError(
            f"no preset mapping for brassmap incidents in {PRESETS_DIR} "
            "(expected e.g. brassmap_incidents.toml); the data layer ships it - pull the latest main"
        )
    return candidates[0]


def _local_times(incidents: pd.DataFrame) -> pd.Series:
    """Naive local wall-clock times of ``occurred_at`` in each incident's city time zone."""
    from geo.cities import known_city

    if S.LOCAL_TIME in incidents.columns:
        return pd.to_datetime(incidents[S.LOCAL_TIME])
    out = pd.Series(pd.NaT, index=incidents.index, dtype="datetime64[ns]")
    utc = pd.to_datetime(incidents[S.OCCURRED_AT], utc=True)
    for city, rows in incidents.groupby(S.CITY, observed=True).groups.items():
        registered = known_city(str(city))
        zone = registered.time_zone if registered is not None else "UTC"
        out.loc[rows] = utc.loc[rows].dt.tz_convert(zone).dt.tz_localize(None).to_numpy()
    return out


def _format_dates(values: pd.Series, fmt: str | None, local: pd.Series | None) -> pd.Series:
    stamps = pd.to_datetime(values, utc=True)
    if fmt in (None, "iso"):
        return stamps.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)(\d\d)$", r"\1:\2", regex=True)
    if "%z" in fmt or "%Z" in fmt or local is None:
        return stamps.dt.strftime(fmt)
    return local.dt.strftime(fmt)  # a format without an offset means local time in the city


def export_frame(incidents: pd.DataFrame, mapping: Any) -> pd.DataFrame:
    """Return ``incidents`` renamed, spelled and formatted the way ``mapping`` reads them back.

    Parameters
    ----------
    incidents : DataFrame
        Incidents with schema columns (e.g. from :func:`data.demo.generate_demo`).
    mapping : data.mapping.Mapping
        The preset for brassmap's incident export.

    Returns
    -------
    DataFrame
        One column per source column of the mapping, as text.
    """
    local = None
    out: dict[str, pd.Series] = {}
    for field_name, sources in mapping.columns.items():
        if field_name == S.LOCATION:
            values = (
                "POINT (" + incidents[S.LONGITUDE].map("{:.6f}".format)
                + " " + incidents[S.LATITUDE].map("{:.6f}".format) + ")"
            )  # fmt: skip
        elif field_name not in incidents.columns:
            continue
        else:
            values = incidents[field_name]
            dtype = S.INCIDENT_SCHEMA.field(field_name).dtype if field_name in S.INCIDENT_SCHEMA.names else ""
            if dtype in _DATE_TYPES:
                fmt = mapping.formats.get(field_name)
                if fmt not in (None, "iso") and "%z" not in fmt and local is None:
                    local = _local_times(incidents)
                values = _format_dates(values, fmt, local)
            elif field_name in mapping.values:
                spelled: dict[str, str] = {}
                for source_value, schema_value in mapping.values[field_name].items():
                    spelled.setdefault(str(schema_value), str(source_value))
                values = values.astype("string").map(lambda v, spelled=spelled: spelled.get(v, v))
            else:
                values = values.astype("string")
        if len(sources) == 1:
            out[sources[0]] = values
        else:  # one field read from several columns joined with a space (e.g. date + time)
            parts = values.astype("string").str.split(" ", n=len(sources) - 1, expand=True)
            for position, source in enumerate(sources):
                out[source] = parts[position]
    return pd.DataFrame(out)


def write_incidents_csv(incidents: pd.DataFrame, path: Path, *, preset: Path | None = None) -> dict[str, Any]:
    """Write ``incidents`` as a brassmap-format CSV at ``path``; return rows, bytes and seconds."""
    from data.mapping import load_mapping

    preset = preset or incidents_preset()
    mapping = load_mapping(preset)
    path.parent.mkdir(parents=True, exist_ok=True)

    def write() -> None:
        export_frame(incidents, mapping).to_csv(
            path, index=False, sep=mapping.delimiter or ",", encoding="utf-8", lineterminator="\n"
        )

    _, seconds = timed(write)
    return {"rows": len(incidents), "bytes": path.stat().st_size, "write_s": round(seconds, 3)}


def time_import(
    csv_file: Path, store_file: Path | str, *, rows: int, preset: Path | None = None
) -> dict[str, Any]:
    """Import ``csv_file`` into a fresh store with ``python -m data import`` and time it.

    ``store_file`` is a SQLite file (removed first) or the URL of an empty
    database (e.g. a PostgreSQL scratch schema).

    The time is the subprocess's wall time (Python start-up included, so the
    rate is a lower bound). Raises :class:`BenchError` when the import fails.
    """
    preset = preset or incidents_preset()
    if isinstance(store_file, Path):
        for suffix in ("", "-journal", "-wal", "-shm"):
            store_file.with_name(store_file.name + suffix).unlink(missing_ok=True)
        db = f"sqlite:///{store_file}"
    else:
        db = store_file
    command = [
        sys.executable, "-m", "data", "import", str(csv_file),
        "--mapping", str(preset), "--db", db,
    ]  # fmt: skip
    done, seconds = timed(lambda: subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True))
    if done.returncode != 0:
        raise BenchError(
            f"python -m data import {csv_file.name} exited with {done.returncode}: "
            f"{(done.stderr or done.stdout).strip()[-2000:]}"
        )
    return {
        "rows_per_s": round(rows / seconds, 1) if seconds > 0 else None,
        "seconds": round(seconds, 3),
        "rows": rows,
        "summary": done.stdout.strip()[-500:],
    }
