"""One table being validated: its mapped texts, its problems, and the typed parser of each field.

The parser of a field is chosen from the field's declared ``dtype`` in
:mod:`data.schema`, so every kind parses (say) a ``date`` the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from data import schema as S
from data.fields import (
    check_allowed,
    check_required,
    column_or_empty,
    gather_text,
    map_values,
    require_fields,
)
from data.mapping import Mapping
from data.parsing import (
    check_plausible_dates,
    in_dst_gap,
    localize,
    parse_bool,
    parse_count,
    parse_date,
    parse_float,
    parse_naive_datetimes,
)
from data.problems import WARNING, Problems
from data.readers import RawTable
from data.validation.ids import checked_ids


@dataclass(frozen=True)
class Source:
    """A raw table seen through its mapping, with the problems found so far.

    Attributes
    ----------
    raw : RawTable
        What the reader found.
    mapping : Mapping
        How its columns become schema fields.
    problems : Problems
        Every reject and warning (shared by all checks on this table).
    texts : dict
        Schema field -> trimmed source text (``<NA>`` when empty).
    now : Timestamp
        The reference time for "in the future" warnings.
    """

    raw: RawTable
    mapping: Mapping
    problems: Problems
    texts: dict[str, pd.Series]
    now: pd.Timestamp

    @property
    def n(self) -> int:
        """Number of records."""
        return len(self.raw.frame)

    def text(self, name: str) -> pd.Series:
        """The field's source text, or an all-missing column when the mapping does not give it."""
        return column_or_empty(self.texts, name, self.n)

    def ids(self, name: str) -> pd.Series:
        """The field's text as trimmed ids (``string``); ids holding a control character are rejected.

        See :func:`data.validation.ids.checked_ids`.
        """
        return checked_ids(self.text(name), name, self.problems)

    def strings(self, *names: str) -> dict[str, pd.Series]:
        """``{name: text}`` for plain text fields."""
        return {name: self.text(name).astype("string") for name in names}

    def require(self, column: pd.Series, name: str) -> None:
        """Reject rows whose required ``name`` is empty, naming its source column."""
        check_required(column, name, self.problems, self.mapping)

    def parse(self, name: str, *, zones: pd.Series | None = None) -> pd.Series:
        """Parse field ``name`` by its declared dtype, reporting every value that fails.

        Parameters
        ----------
        name : str
            A field of the mapping's kind.
        zones : Series, optional, keyword-only
            IANA zone per row, for ``datetime`` fields (default UTC).

        Returns
        -------
        Series
            ``string`` for string fields, mapped and checked values for
            ``category`` fields, ``Int64``, ``float64``, ``boolean``,
            ``datetime64[ns]`` (dates) or ``datetime64[ns, UTC]``.
        """
        declared = self.mapping.schema.field(name)
        parser = _PARSERS.get(declared.dtype)
        if parser is None:
            raise TypeError(f"{name} is a {declared.dtype} field; it has no text parser")
        return parser(self, declared, zones)


def open_source(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    now: pd.Timestamp,
    optional: Callable[[dict[str, pd.Series]], set[str]] | None = None,
    require: bool = True,
) -> Source:
    """Gather the mapped texts and check that every required field is provided.

    ``optional`` names, from the texts found, required fields that may be
    absent (derived, or given another way); ``require=False`` skips the check.
    """
    texts = gather_text(raw, mapping, display_name=display_name)
    if require:
        allowed_absent = optional(texts) if optional is not None else set()
        require_fields(mapping, set(texts), display_name=display_name, optional=allowed_absent)
    return Source(raw=raw, mapping=mapping, problems=problems, texts=texts, now=now)


def _string(source: Source, declared: S.Field, zones: pd.Series | None) -> pd.Series:
    return source.text(declared.name).astype("string")


def _category(source: Source, declared: S.Field, zones: pd.Series | None) -> pd.Series:
    name = declared.name
    mapped = map_values(source.text(name), name, source.mapping, source.problems)
    if declared.allowed is not None:
        mapped = check_allowed(mapped, name, declared.allowed, source.problems)
    return mapped


def _int(source: Source, declared: S.Field, zones: pd.Series | None) -> pd.Series:
    return parse_count(source.text(declared.name), declared.name, source.problems)


def _float(source: Source, declared: S.Field, zones: pd.Series | None) -> pd.Series:
    decimal = source.mapping.decimal or "."
    return parse_float(source.text(declared.name), declared.name, source.problems, decimal=decimal)


def _bool(source: Source, declared: S.Field, zones: pd.Series | None) -> pd.Series:
    return parse_bool(source.text(declared.name), declared.name, source.problems)


def _date(source: Source, declared: S.Field, zones: pd.Series | None) -> pd.Series:
    name = declared.name
    fmt = source.mapping.formats.get(name)
    return parse_date(source.text(name), name, source.problems, fmt=fmt, now=source.now)


def _datetime(source: Source, declared: S.Field, zones: pd.Series | None) -> pd.Series:
    """A date-time to UTC, naive values read in each row's zone."""
    name = declared.name
    text = source.text(name)
    if zones is None:
        zones = pd.Series("UTC", index=text.index)
    naive, aware = parse_naive_datetimes(text, name, source.problems, fmt=source.mapping.formats.get(name))
    gap = in_dst_gap(naive, zones)
    reason = (
        "local time does not exist: the clocks skipped this hour (daylight saving time began); "
        "kept as one hour later, check the source"
    )
    source.problems.add(gap, name, text, reason, WARNING)
    moment = localize(naive, zones)
    moment = moment.where(moment.notna(), aware)
    return check_plausible_dates(moment, text, name, source.problems, now=source.now)


_PARSERS: dict[str, Callable[[Source, S.Field, pd.Series | None], pd.Series]] = {
    "string": _string,
    "category": _category,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "date": _date,
    "datetime": _datetime,
}
