"""Gather each schema field's source text from a raw table, through the mapping.

Joins multi-column fields, trims every cell, applies ``[constants]``,
``[values]``, ``[contains]`` and ``[unmatched]``, and checks allowed values.
Missing source columns and unmappable required fields are file-level errors.
"""

from __future__ import annotations

import difflib
from pathlib import PurePath

import numpy as np
import pandas as pd

from data import schema as S
from data.errors import IngestError
from data.mapping import Mapping
from data.problems import Problems
from data.readers import RawTable

# required ids that validation derives when the file has none
DERIVED_IDS = frozenset({S.LINK_ID, S.BOUNDARY_ID})


def layer_from_name(display_name: str) -> str:
    """Default boundary layer: the file name without folders or extensions.

    >>> layer_from_name("uploads/police_districts.shp.zip")
    'police_districts'
    """
    name = PurePath(display_name.split("!")[-1]).name
    return name.split(".")[0] or "boundaries"


def _missing_column(display_name: str, field: str, column: str, present: list[str]) -> IngestError:
    close = difflib.get_close_matches(column, present, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return IngestError(
        f"{display_name}: [columns] maps {field} to column {column!r}, which is not in the file.{hint} "
        f"Columns present: {', '.join(repr(c) for c in present[:40])}"
    )


def gather_text(raw: RawTable, mapping: Mapping, *, display_name: str) -> dict[str, pd.Series]:
    """Return ``{field: text Series}`` for every field the mapping provides.

    Cells are trimmed; empty cells are ``<NA>``. A field mapped to several
    columns joins their non-empty values with one space (e.g. Date + Time).
    """
    present = [str(c) for c in raw.frame.columns]
    index = pd.RangeIndex(len(raw.frame))
    out: dict[str, pd.Series] = {}
    required = set(mapping.schema.required) - DERIVED_IDS
    for field, sources in mapping.columns.items():
        absent = [column for column in sources if column not in raw.frame.columns]
        if absent and mapping.allow_missing and field not in required:
            continue
        parts = []
        for column in sources:
            if column not in raw.frame.columns:
                raise _missing_column(display_name, field, column, present)
            parts.append(_clean(raw.frame[column].reset_index(drop=True)))
        text = parts[0]
        for part in parts[1:]:
            joined = text.fillna("") + " " + part.fillna("")
            text = _clean(joined)
        out[field] = text
    for field, value in mapping.constants.items():
        constant = pd.Series(str(value), index=index, dtype="string")
        out[field] = out[field].fillna(constant) if field in out else constant
    return out


def _clean(text: pd.Series) -> pd.Series:
    cleaned = text.astype("string").str.strip()
    return cleaned.mask(cleaned == "")


def require_fields(mapping: Mapping, available: set[str], *, display_name: str, optional: set[str]) -> None:
    """Raise when a required field has neither a column, a constant nor a derivation."""
    missing = [
        name for name in mapping.schema.required if name not in available and name not in optional
    ]
    if missing:
        raise IngestError(
            f"{display_name}: the mapping {mapping.name} gives no column or constant for required "
            f"{mapping.kind} field(s) {', '.join(missing)}; add them under [columns] or [constants]"
        )


def map_values(text: pd.Series, field: str, mapping: Mapping, problems: Problems) -> pd.Series:
    """Apply ``[values.field]`` (exact, then case-insensitive) and ``[contains.field]`` (ordered).

    A value that matches nothing takes the ``[otherwise]`` value, or is
    rejected with the ``[unmatched]`` reason; else it passes on to the
    allowed-value check.
    """
    exact = mapping.values.get(field, {})
    contains = mapping.contains.get(field, {})
    if not exact and not contains and field not in mapping.otherwise:
        return text
    result = pd.Series(pd.NA, index=text.index, dtype="string")
    if exact:
        result = text.map(exact).astype("string")
        folded = {k.casefold(): v for k, v in exact.items()}
        result = result.fillna(text.str.casefold().map(folded).astype("string"))
    for needle, target in contains.items():
        hit = result.isna() & text.str.contains(needle, regex=False).fillna(False)
        result = result.mask(hit.to_numpy(dtype=bool), target)
    unmatched = text.notna() & result.isna()
    if field in mapping.otherwise:
        return result.mask(unmatched.to_numpy(dtype=bool), mapping.otherwise[field])
    reason = mapping.unmatched.get(field)
    if reason is not None:
        problems.add(unmatched, field, text, reason)
        return result
    return result.fillna(text)


def check_allowed(text: pd.Series, field: str, allowed: tuple[str, ...], problems: Problems) -> pd.Series:
    """Reject values outside ``allowed`` (after mapping); return the cleaned column."""
    bad = text.notna() & ~text.isin(allowed).fillna(False)
    bad &= ~pd.Series(problems.rejected, index=text.index)
    problems.add(
        bad,
        field,
        text,
        f"not one of {', '.join(allowed)}; map the source value under [values.{field}]",
    )
    return text.where(~bad)


def check_required(text: pd.Series, field: str, problems: Problems, mapping: Mapping | None = None) -> None:
    """Reject rows whose required ``field`` is empty (and not already rejected), naming its source column."""
    reason = "required field is empty"
    if mapping is not None and field in mapping.columns:
        reason += " (source column " + " + ".join(repr(c) for c in mapping.columns[field]) + ")"
    problems.add(text.isna().to_numpy() & ~problems.rejected, field, text, reason)


def check_known(
    ids: pd.Series,
    known: pd.Index,
    field: str,
    problems: Problems,
    *,
    reason: str,
    among: pd.Series | bool = True,
) -> None:
    """Reject rows (``among`` them, not already rejected) whose id is set but not in ``known``.

    Used for references to what must already be stored (an evidence item's
    incident, a link's firearm); ``reason`` says what to import first.
    """
    unknown = among & ids.notna() & ~ids.isin(known).fillna(False)
    problems.add(np.asarray(unknown, dtype=bool) & ~problems.rejected, field, ids, reason)


def column_or_empty(texts: dict[str, pd.Series], field: str, length: int) -> pd.Series:
    """The field's text, or an all-missing column when the mapping does not provide it."""
    if field in texts:
        return texts[field]
    return pd.Series(pd.NA, index=pd.RangeIndex(length), dtype="string")
