"""The analyst's filter: one frozen, hashable value shared by map, graph, tables and exports.

The dashboard keeps it in the URL (:meth:`Filters.to_dict` /
:meth:`Filters.from_dict`), the CLI builds it from its options, and
:func:`linking.selection.select` applies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

from data import schema as S
from data.errors import BrassmapError


class FilterError(BrassmapError, ValueError):
    """A filter value that cannot be used; the message names the key, the value and the fix."""


def _as_tuple(value: object) -> tuple[str, ...]:
    """Return ``value`` as a tuple of trimmed, non-empty strings (order kept, duplicates dropped)."""
    if value is None:
        return ()
    items: Iterable[object] = (value,) if isinstance(value, str) else value  # type: ignore[assignment]
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return tuple(out)


@dataclass(frozen=True)
class Filters:
    """What the analyst asked to see.

    Parameters
    ----------
    cities : tuple of str
        City names; empty means every city.
    date_from, date_to : date or None
        Local calendar dates, both inclusive; ``None`` leaves that side open.
    incident_types : tuple of str
        Values of ``S.INCIDENT_TYPES``; empty means every type.
    link_statuses : tuple of str
        Which link statuses count as links (default lead and hit).
    calibers : tuple of str
        Incident calibers; empty means every caliber.
    agencies : tuple of str
        Agency ORI codes; empty means every agency.
    min_series_size : int
        Smallest series (number of incidents) to keep; smaller components are
        treated as unlinked.
    only_linked : bool
        Keep only incidents that belong to a series.
    series_id : str or None
        Show one series only.
    cut_to_window : bool
        Show only the shootings that match the filter, even of series that
        have others outside it (off by default: a series in view is shown whole,
        its out-of-filter shootings marked).

    Examples
    --------
    >>> Filters(cities=["Detroit"], date_from=date(2019, 1, 1)).describe()
    'cities: Detroit; dates: 2019-01-01 to any; link statuses: lead, hit; min series size: 2'
    >>> Filters.from_dict(Filters(cities=("Memphis",)).to_dict()) == Filters(cities=("Memphis",))
    True
    """

    cities: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    incident_types: tuple[str, ...] = ()
    link_statuses: tuple[str, ...] = S.DEFAULT_LINK_STATUSES
    calibers: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    min_series_size: int = 2
    only_linked: bool = False
    series_id: str | None = None
    cut_to_window: bool = False

    def __post_init__(self) -> None:
        for name in ("cities", "incident_types", "link_statuses", "calibers", "agencies"):
            object.__setattr__(self, name, _as_tuple(getattr(self, name)))
        problems: list[str] = []
        bad_types = [t for t in self.incident_types if t not in S.INCIDENT_TYPES]
        if bad_types:
            problems.append(
                f"incident_types: {', '.join(map(repr, bad_types))} not known; expected some of "
                f"{', '.join(S.INCIDENT_TYPES)}"
            )
        bad_statuses = [s for s in self.link_statuses if s not in S.LINK_STATUSES]
        if bad_statuses:
            problems.append(
                f"link_statuses: {', '.join(map(repr, bad_statuses))} not known; expected some of "
                f"{', '.join(S.LINK_STATUSES)}"
            )
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, date):
                problems.append(f"{name}: {value!r} is not a date; pass datetime.date or None")
        if (
            isinstance(self.date_from, date)
            and isinstance(self.date_to, date)
            and self.date_from > self.date_to
        ):
            problems.append(
                f"date_from {self.date_from.isoformat()} is after date_to {self.date_to.isoformat()}; "
                "swap them or leave one open"
            )
        if isinstance(self.min_series_size, bool) or not isinstance(self.min_series_size, int):
            problems.append(f"min_series_size: {self.min_series_size!r} is not a whole number; use 1 or more")
        elif self.min_series_size < 1:
            problems.append(f"min_series_size: {self.min_series_size} is below 1; use 1 or more")
        if self.series_id is not None:
            text = str(self.series_id).strip()
            object.__setattr__(self, "series_id", text or None)
        object.__setattr__(self, "only_linked", bool(self.only_linked))
        object.__setattr__(self, "cut_to_window", bool(self.cut_to_window))
        if problems:
            raise FilterError("invalid filter: " + "; ".join(problems))

    # ------------------------------------------------------------ text
    def describe(self) -> str:
        """Return one line saying what this filter keeps (for export headers and banners)."""
        parts = [
            "cities: " + (", ".join(self.cities) if self.cities else "all"),
        ]
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "any"
            end = self.date_to.isoformat() if self.date_to else "any"
            parts.append(f"dates: {start} to {end}")
        else:
            parts.append("dates: all")
        if self.incident_types:
            parts.append("types: " + ", ".join(self.incident_types))
        parts.append("link statuses: " + (", ".join(self.link_statuses) if self.link_statuses else "none"))
        if self.calibers:
            parts.append("calibers: " + ", ".join(self.calibers))
        if self.agencies:
            parts.append("agencies: " + ", ".join(self.agencies))
        parts.append(f"min series size: {self.min_series_size}")
        if self.only_linked:
            parts.append("linked incidents only")
        if self.cut_to_window:
            parts.append("series cut to the filter")
        if self.series_id:
            parts.append(f"series: {self.series_id}")
        return "; ".join(parts)

    # ------------------------------------------------------------ URL round trip
    def to_dict(self) -> dict[str, str]:
        """Return the non-default values as strings (for URL query parameters).

        Lists are comma-joined, dates ISO, booleans ``"1"``.
        """
        default = Filters()
        out: dict[str, str] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value == getattr(default, spec.name):
                continue
            if isinstance(value, tuple):
                out[spec.name] = ",".join(value)
            elif isinstance(value, bool):
                out[spec.name] = "1" if value else "0"
            elif isinstance(value, date):
                out[spec.name] = value.isoformat()
            elif value is None:
                out[spec.name] = ""
            else:
                out[spec.name] = str(value)
        return out

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> Filters:
        """Build filters from :meth:`to_dict` output (or URL query parameters).

        Missing keys take their defaults; keys that are not filter fields are
        ignored (a URL may carry other parameters). Every bad value is reported
        in one :class:`FilterError`.
        """
        names = {spec.name for spec in fields(cls)}
        kwargs: dict[str, object] = {}
        problems: list[str] = []
        for key, raw in values.items():
            if key not in names:
                continue
            if isinstance(raw, (list, tuple)):
                items = [str(v) for v in raw]
                text = ",".join(items)
            else:
                text = "" if raw is None else str(raw)
                items = text.split(",")
            text = text.strip()
            if key in ("cities", "incident_types", "link_statuses", "calibers", "agencies"):
                kwargs[key] = _as_tuple(items)
            elif key in ("date_from", "date_to"):
                if not text:
                    kwargs[key] = None
                    continue
                try:
                    kwargs[key] = date.fromisoformat(text)
                except ValueError:
                    problems.append(f"{key}={text!r} is not a date; expected YYYY-MM-DD, e.g. 2019-06-30")
            elif key == "min_series_size":
                try:
                    kwargs[key] = int(text)
                except ValueError:
                    problems.append(f"{key}={text!r} is not a whole number; expected e.g. 2")
            elif key in ("only_linked", "cut_to_window"):
                lowered = text.lower()
                if lowered in ("1", "true", "yes", "on"):
                    kwargs[key] = True
                elif lowered in ("", "0", "false", "no", "off"):
                    kwargs[key] = False
                else:
                    problems.append(f"{key}={text!r} is not a yes/no value; expected 1 or 0")
            elif key == "series_id":
                kwargs[key] = text or None
        if problems:
            raise FilterError("invalid filter parameters: " + "; ".join(problems))
        return cls(**kwargs)  # type: ignore[arg-type]
