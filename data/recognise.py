"""Recognise which preset mapping fits a file, from the file's column names alone.

The Import tab applies no mapping before the user chooses one, except a
preset recognised here (and it says so). A preset fits when every column it
names for a required field is in the file and, unless the preset allows
missing columns, every other column it names is too. The best fit is the one
that uses the most of the file's columns; two presets that fit equally well
(e.g. two readings of the same export) are both offered and neither is
chosen.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingOf
from collections.abc import Sequence
from dataclasses import dataclass

from data.mapping import Mapping


@dataclass(frozen=True)
class Recognition:
    """The outcome of :func:`recognise_preset`.

    Attributes
    ----------
    chosen : str or None
        The preset that fits best, when exactly one does.
    candidates : tuple of str
        Every preset that fits as well as the best (one when ``chosen`` is set).
    used_columns : int
        How many of the file's columns the best fit reads.
    """

    chosen: str | None
    candidates: tuple[str, ...]
    used_columns: int


def _folded(name: str) -> str:
    return name.strip().casefold()


def preset_fit(columns: Sequence[str], mapping: Mapping) -> int | None:
    """How many of ``columns`` the mapping reads, or ``None`` when the file lacks a column it needs.

    Examples
    --------
    >>> m = Mapping(kind="incidents", columns={"incident_id": ("Case #",), "address": ("Addr",)})
    >>> preset_fit(["case #", "Addr", "Other"], m), preset_fit(["Addr"], m)
    (2, None)
    """
    present = {_folded(c) for c in columns}
    required = set(mapping.schema.required)
    used: set[str] = set()
    for field_name, sources in mapping.columns.items():
        found = all(_folded(source) in present for source in sources)
        if not found and (field_name in required or not mapping.allow_missing):
            return None
        if found:
            used.update(_folded(source) for source in sources)
    return len(used) if used else None


def recognise_preset(columns: Sequence[str], presets: MappingOf[str, Mapping]) -> Recognition:
    """Find the preset whose columns fit the file best (see the module docstring).

    Examples
    --------
    >>> a = Mapping(kind="links", columns={"incident_a": ("A",), "incident_b": ("B",)})
    >>> b = Mapping(kind="links", columns={"incident_a": ("A",), "incident_b": ("B",), "status": ("S",)})
    >>> recognise_preset(["A", "B", "S"], {"a": a, "b": b})
    Recognition(chosen='b', candidates=('b',), used_columns=3)
    >>> recognise_preset(["A", "B"], {"a": a, "a2": a}).chosen is None
    True
    >>> recognise_preset(["X"], {"a": a})
    Recognition(chosen=None, candidates=(), used_columns=0)
    """
    fits = {name: preset_fit(columns, mapping) for name, mapping in presets.items()}
    scored = {name: score for name, score in fits.items() if score is not None}
    if not scored:
        return Recognition(chosen=None, candidates=(), used_columns=0)
    best = max(scored.values())
    candidates = tuple(sorted(name for name, score in scored.items() if score == best))
    return Recognition(
        chosen=candidates[0] if len(candidates) == 1 else None, candidates=candidates, used_columns=best
    )
