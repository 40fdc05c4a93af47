"""Column parsers: source text -> schema-typed columns, reporting every failure.

Each parser takes a text Series (``<NA>`` = empty), reports the values it
could not parse to a :class:`~data.problems.Problems` and returns the typed
column with those cells missing. Nothing is coerced silently.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.problems import WARNING, Problems

EARLIEST_YEAR = 1900
# the last day storable as nanoseconds since 1970 (2262-04-11), less a day of room for time zones
LATEST_DATE = "2262-04-10"
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
_OFFSET = r"(?:Z|[+-]\d\d:?\d\d)$"


def parse_float(text: pd.Series, field: str, problems: Problems, *, decimal: str) -> pd.Series:
    """Parse numbers; ``decimal`` is the mapping's decimal mark, taken literally (not as a pattern).

    Non-numbers are reported and become NaN; inf is kept for the range checks.
    """
    cleaned = text if decimal == "." else text.str.replace(decimal, ".")
    number = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = text.notna() & number.isna()
    problems.add(bad, field, text, "not a number")
    return number


def parse_count(text: pd.Series, field: str, problems: Problems) -> pd.Series:
    """Parse non-negative whole numbers (killed, injured, association counts)."""
    number = pd.to_numeric(text, errors="coerce").astype("float64")
    # an infinite count is not whole either: inf % 1 is NaN
    bad = text.notna() & (number.isna() | (number % 1 != 0) | (number < 0))
    problems.add(bad, field, text, "not a whole number of 0 or more")
    return number.where(~bad).astype("Int64")


def parse_bool(text: pd.Series, field: str, problems: Problems) -> pd.Series:
    """Parse true/false, yes/no, 1/0 (any case)."""
    folded = text.str.strip().str.casefold()
    result = pd.Series(index=text.index, dtype="boolean")  # missing until read
    result[folded.isin(_TRUE)] = True
    result[folded.isin(_FALSE)] = False
    bad = text.notna() & result.isna()
    problems.add(bad, field, text, "not true/false (expected true, false, yes, no, 1 or 0)")
    return result


def parse_naive_datetimes(
    text: pd.Series, field: str, problems: Problems, *, fmt: str | None
) -> tuple[pd.Series, pd.Series]:
    """Parse date-times by an explicit format.

    Returns ``(naive, aware_utc)``: wall-clock values for rows without a UTC
    offset, and UTC values for rows whose text carried one (ISO only). Each
    unparseable value is reported with the format it failed; dates before
    1900 or after :data:`LATEST_DATE` (which cannot be stored) are rejected.
    """
    naive = pd.Series(index=text.index, dtype="datetime64[us]")  # NaT until parsed
    aware = pd.Series(index=text.index, dtype="datetime64[us, UTC]")
    present = text.notna().to_numpy()
    if not present.any():
        return naive.dt.as_unit("ns"), aware.dt.as_unit("ns")
    if fmt == "excel":
        serial = pd.to_numeric(text, errors="coerce")
        ok = serial.notna() & (serial > 0) & (serial < 2958466)
        micros = np.round(serial[ok].to_numpy() * 86_400_000_000)
        naive[ok] = np.datetime64("1899-12-30") + micros.astype("timedelta64[us]")
        expected = "an Excel date serial (days since 1899-12-30)"
        problems.add(present & ~ok, field, text, f"not {expected}")
        return _storable(naive, text, field, problems), aware.dt.as_unit("ns")
    if fmt is None or fmt == "iso":
        has_offset = text.str.contains(_OFFSET, na=False).to_numpy()
        if has_offset.any():
            parsed = pd.to_datetime(text[has_offset], format="ISO8601", errors="coerce", utc=True)
            aware[has_offset] = parsed.dt.as_unit("us")
        plain = present & ~has_offset
        if plain.any():
            naive[plain] = pd.to_datetime(text[plain], format="ISO8601", errors="coerce").dt.as_unit("us")
        expected = "an ISO date such as 2016-07-04 or 2016-07-04T21:30 (or set [formats])"
    else:
        naive[present] = pd.to_datetime(text[present], format=fmt, errors="coerce").dt.as_unit("us")
        expected = f"a date in the format {fmt!r} from [formats]"
    bad = present & naive.isna().to_numpy() & aware.isna().to_numpy()
    problems.add(bad, field, text, f"impossible or malformed date; expected {expected}")
    return _storable(naive, text, field, problems), _storable(aware, text, field, problems)


def _storable(when: pd.Series, text: pd.Series, field: str, problems: Problems) -> pd.Series:
    """Reject dates before 1900 or after :data:`LATEST_DATE`; return the rest in nanoseconds.

    Times are stored as nanoseconds since 1970, which ends in April 2262;
    a date of 3000 or 9999 is a placeholder or a typo, not a shooting.
    """
    zone = when.dt.tz
    early = when < pd.Timestamp(f"{EARLIEST_YEAR}-01-01", tz=zone)  # NaT compares False
    late = when >= pd.Timestamp(LATEST_DATE, tz=zone) + pd.Timedelta(days=1)
    problems.add(early, field, text, f"impossible date: before {EARLIEST_YEAR}")
    reason = f"impossible date: after {LATEST_DATE} (the latest date brassmap can store); check the source"
    problems.add(late, field, text, reason)
    return when.mask(early | late).dt.as_unit("ns")


def localize(naive: pd.Series, zones: pd.Series) -> pd.Series:
    """Turn local wall-clock times into UTC, one IANA zone per row.

    Ambiguous times (the repeated hour in autumn) are read as daylight time;
    times that do not exist (the skipped spring hour) move one hour forward
    (02:30 -> 03:30 daylight time, what a clock not yet set forward showed).
    """
    utc = pd.Series(index=naive.index, dtype="datetime64[ns, UTC]")  # NaT where the zone is missing
    for zone, positions in zones.groupby(zones).indices.items():
        values = naive.iloc[positions]
        # the local times are converted to UTC as they are set into the UTC column
        utc.iloc[positions] = values.dt.tz_localize(
            zone, ambiguous=np.full(len(values), True), nonexistent=pd.Timedelta(hours=1)
        )
    return utc


def in_dst_gap(naive: pd.Series, zones: pd.Series) -> np.ndarray:
    """Which wall-clock times do not exist in their row's zone (the hour skipped when clocks go forward).

    :func:`localize` reads them one hour later; the import warns about each.
    """
    gap = np.full(len(naive), False)
    present = naive.notna().to_numpy()
    for zone, positions in zones.groupby(zones).indices.items():
        positions = positions[present[positions]]
        if positions.size == 0:
            continue
        values = naive.iloc[positions]
        strict = values.dt.tz_localize(zone, ambiguous=np.full(len(values), True), nonexistent="NaT")
        gap[positions] = strict.isna().to_numpy()
    return gap


def check_plausible_dates(
    when: pd.Series, text: pd.Series, field: str, problems: Problems, *, now: pd.Timestamp
) -> pd.Series:
    """Reject dates before 1900 and warn about dates in the future; return ``when`` without the rejects."""
    if when.dt.tz is None:
        early = when < pd.Timestamp(f"{EARLIEST_YEAR}-01-01")
        late = when > now.tz_localize(None) + pd.Timedelta(days=1)
    else:
        early = when < pd.Timestamp(f"{EARLIEST_YEAR}-01-01", tz="UTC")
        late = when > now + pd.Timedelta(days=1)
    # comparisons with NaT are False, so missing dates are neither early nor late
    problems.add(early, field, text, f"impossible date: before {EARLIEST_YEAR}")
    problems.add(late, field, text, "date is in the future; kept, check the source", WARNING)
    return when.where(~early)


def parse_date(
    text: pd.Series, field: str, problems: Problems, *, fmt: str | None, now: pd.Timestamp
) -> pd.Series:
    """Parse a calendar date (no time zone) to ``datetime64[ns]`` at midnight."""
    naive, aware = parse_naive_datetimes(text, field, problems, fmt=fmt)
    merged = naive.where(naive.notna(), aware.dt.tz_localize(None))
    merged = merged.dt.normalize()
    return check_plausible_dates(merged, text, field, problems, now=now)


def utc_now() -> pd.Timestamp:
    """The current time in UTC (one place, so tests can reason about 'future')."""
    return pd.Timestamp(dt.datetime.now(dt.UTC))
