"""The end every validator shares: parse the remaining booleans, check duplicate ids, keep the good rows."""

from __future__ import annotations

import pandas as pd

from data import schema as S
from data.validation.ids import check_duplicates
from data.validation.source import Source


def finish(source: Source, columns: dict[str, pd.Series], *, unique: str | None = None) -> pd.DataFrame:
    """Build the records frame and drop every rejected row.

    Parameters
    ----------
    source : Source
        The table being validated.
    columns : dict
        Output column -> values. Declared ``bool`` fields of the kind not
        given here are parsed (empty = false) and added. The frame's columns
        follow the schema's order, then any derived extras, then ``row``.
    unique : str, optional, keyword-only
        An id column whose second and later occurrences are rejected (kinds
        that merge duplicates instead, links and boundaries, leave it out).

    Returns
    -------
    DataFrame
        The kept rows with a ``row`` column (1-based source row), index reset.
    """
    out = dict(columns)
    for declared in source.mapping.schema.fields:
        if declared.dtype == "bool" and declared.name not in out:
            out[declared.name] = source.parse(declared.name).fillna(False).astype(bool)
    if unique is not None:
        check_duplicates(out[unique], unique, source.problems)
    declared_order = [name for name in source.mapping.schema.names if name in out]
    extras = [name for name in out if name not in declared_order]
    frame = pd.DataFrame({name: out[name] for name in (*declared_order, *extras)})
    frame[S.REJECT_ROW] = source.raw.rows
    return frame.loc[~source.problems.rejected].reset_index(drop=True)
