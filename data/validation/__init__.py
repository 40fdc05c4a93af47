"""Validation, driven by the schema: raw text table -> typed records + the rejects report.

One module per record kind (:mod:`.incidents`, :mod:`.evidence`,
:mod:`.firearms`, :mod:`.links`, :mod:`.boundaries`); what they share lives
apart: :mod:`.context` (what the store already holds), :mod:`.source` (the
mapped texts and the parser of each field, chosen from its declared dtype),
:mod:`.ids` (trimmed ids, control characters and repeats rejected),
:mod:`.places` (points and time zones) and :mod:`.tail` (booleans, duplicate
ids, the frame of kept rows). :func:`validate` dispatches on the mapping's kind.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from data import schema as S
from data.mapping import Mapping
from data.problems import Problems
from data.readers import RawTable
from data.validation.boundaries import validate_boundaries
from data.validation.context import NOT_CHECKED, StoreContext
from data.validation.evidence import validate_evidence
from data.validation.firearms import validate_firearms
from data.validation.incidents import validate_incidents
from data.validation.links import validate_links

__all__ = ["NOT_CHECKED", "StoreContext", "validate"]

Validator = Callable[..., pd.DataFrame]
VALIDATORS: dict[str, Validator] = {
    S.INCIDENTS: validate_incidents,
    S.EVIDENCE: validate_evidence,
    S.FIREARMS: validate_firearms,
    S.LINKS: validate_links,
    S.BOUNDARIES: validate_boundaries,
}


def validate(
    raw: RawTable,
    mapping: Mapping,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> tuple[pd.DataFrame, Problems]:
    """Validate a raw table for the mapping's kind.

    Returns
    -------
    records : DataFrame
        The kept rows, typed (ids ``string``, times UTC), plus the ``row``
        they came from.
    problems : Problems
        Every reject and warning.
    """
    problems = Problems(raw.rows)
    for notice in raw.notices:
        problems.notice(notice)
    if not context.has_store and mapping.kind in (S.LINKS, S.EVIDENCE):
        problems.notice(NOT_CHECKED)
    records = VALIDATORS[mapping.kind](
        raw, mapping, problems, display_name=display_name, context=context, now=now
    )
    return records, problems
