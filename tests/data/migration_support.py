"""What the migration tests compare: every row of a store, values read back as a user's tools read them.

``dump`` reads every table through SQLAlchemy (any backend); ``same_value``
compares two cells the way a user would: times equal as instants (to the
microsecond, the precision stored since revision 0002) whatever their storage
(epoch nanoseconds then, ISO text or timestamptz now), booleans as truth
values, geometries as shapes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, inspect, select, table, text
from sqlalchemy.engine import Engine

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
RELEASE_STORE = REPO_ROOT / "tests" / "data" / "fixtures" / "release_32f4621.sqlite"

# the release's time columns (epoch ns UTC, or ISO text for imports and link events), per table
RELEASE_TIMES = {
    "incidents": ("occurred_at",),
    "evidence": ("entered_at",),
    "firearms": ("recovered_at",),
    "series_registry": ("first_occurred_at",),
    "imports": ("imported_at",),
    "link_events": ("recorded_at",),
}
# what a user counts on: every table the release wrote, with the rows it holds
RELEASE_COUNTS = {
    "incidents": 83, "links": 40, "evidence": 102, "firearms": 15, "boundaries": 9, "imports": 3,
    "series_registry": 9, "link_events": 104, "brassmap_meta": 2,
}  # fmt: skip
PRIMARY_KEYS = {
    "incidents": "incident_id", "links": "link_id", "evidence": "evidence_id", "firearms": "firearm_id",
    "boundaries": "boundary_id", "imports": "import_id", "series_registry": "series_id",
    "link_events": "event_id", "brassmap_meta": "key",
}  # fmt: skip


def dump(engine: Engine) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every table, as ``{table: {primary key: {column: value}}}``."""
    out: dict[str, dict[Any, dict[str, Any]]] = {}
    with engine.connect() as connection:
        found = inspect(connection)
        for name in found.get_table_names(schema=found.default_schema_name):  # not PostGIS's, in public
            columns = [c["name"] for c in found.get_columns(name)]
            rows = connection.execute(select(*[text(f'"{c}"') for c in columns]).select_from(table(name)))
            key = PRIMARY_KEYS.get(name, columns[0])
            out[name] = {}
            for row in rows:
                record = dict(zip(columns, row, strict=True))
                out[name][record[key]] = record
    return out


def instant(value: Any) -> pd.Timestamp | None:
    """A stored time as a UTC instant: epoch nanoseconds, ISO text (naive = UTC) or a datetime."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return pd.Timestamp(int(value), unit="ns", tz="UTC")
    if isinstance(value, str | dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    raise AssertionError(f"{value!r} is not a time")


def same_value(column: str, before: Any, after: Any, *, is_time: bool) -> bool:
    """Whether a cell kept its meaning across the upgrade."""
    if is_time:  # to the microsecond: what the store keeps now (and PostgreSQL always did)
        then, now = instant(before), instant(after)
        return then == now or (then is not None and now is not None and then.floor("us") == now)
    if isinstance(before, bytes | memoryview) or isinstance(after, bytes | memoryview):
        import shapely

        return bool(shapely.equals_exact(_shape(before), _shape(after), tolerance=0))
    if isinstance(before, bool) or isinstance(after, bool):
        return (None if before is None else bool(before)) == (None if after is None else bool(after))
    if isinstance(before, float) and isinstance(after, float):
        return before == after or (before != before and after != after)
    return bool(before == after)


def _shape(value: Any) -> Any:
    import shapely

    if isinstance(value, str):  # PostGIS hex WKB / EWKB
        return shapely.from_wkb(bytes.fromhex(value))
    return shapely.from_wkb(bytes(value))


def sqlite_engine(path: Path) -> Engine:
    """A plain engine on a SQLite file (no brassmap code between the test and the file)."""
    return create_engine(f"sqlite:///{path}")
