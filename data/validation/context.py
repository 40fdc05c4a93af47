"""What validation needs to know about the store (ids already stored, city limits)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from data import schema as S

NOT_CHECKED = (
    "references to incidents, firearms and evidence were not checked: no store was given "
    "(the import checks them)"
)


def _no_ids() -> pd.Index:
    return pd.Index([], dtype="string")


def _no_evidence() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="string") for c in (S.EVIDENCE_ID, S.EVIDENCE_KIND, S.INCIDENT_ID, S.FIREARM_ID)}
    )


@dataclass(frozen=True)
class StoreContext:
    """What validation needs to know about data already stored.

    Attributes
    ----------
    incident_ids, firearm_ids : Index
        Ids already in the store (links and evidence may point at them).
    evidence : DataFrame
        Stored evidence: id, kind, incident and firearm (to resolve links
        given by evidence ids).
    city_limits : dict
        City name -> shapely polygon of its ``city_limits`` boundary.
    has_store : bool
        False when validating without a store (a preview): references to
        incidents, firearms and evidence cannot be checked and are not.
    """

    incident_ids: pd.Index = field(default_factory=_no_ids)
    firearm_ids: pd.Index = field(default_factory=_no_ids)
    evidence: pd.DataFrame = field(default_factory=_no_evidence)
    city_limits: dict[str, object] = field(default_factory=dict)
    has_store: bool = True
