"""Evidence validation: casings need a known incident, test fires a known firearm."""

from __future__ import annotations

import pandas as pd

from data import schema as S
from data.fields import check_known
from data.mapping import Mapping
from data.problems import Problems
from data.readers import RawTable
from data.validation.context import StoreContext
from data.validation.source import open_source
from data.validation.tail import finish


def validate_evidence(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> pd.DataFrame:
    """Validate evidence items: casings need a known incident, test fires a firearm."""
    source = open_source(raw, mapping, problems, display_name=display_name, now=now)
    ids = source.ids(S.EVIDENCE_ID)
    source.require(ids, S.EVIDENCE_ID)
    kind = source.parse(S.EVIDENCE_KIND)
    source.require(kind, S.EVIDENCE_KIND)
    incident = source.ids(S.INCIDENT_ID)
    firearm = source.ids(S.FIREARM_ID)
    casing = (kind == "casing").fillna(False).to_numpy(dtype=bool)
    test_fire = (kind == "test_fire").fillna(False).to_numpy(dtype=bool)
    no_incident = casing & incident.isna().to_numpy()
    no_firearm = test_fire & firearm.isna().to_numpy()
    problems.add(no_incident, S.INCIDENT_ID, incident, "a casing needs its incident_id")
    problems.add(no_firearm, S.FIREARM_ID, firearm, "a test fire needs its firearm_id")
    if context.has_store:
        reason = "unknown incident (not in the store); import the incidents first"
        check_known(incident, context.incident_ids, S.INCIDENT_ID, problems, reason=reason)
        reason = "unknown firearm (not in the store); import the firearms first"
        check_known(firearm, context.firearm_ids, S.FIREARM_ID, problems, reason=reason)
    columns = {
        S.EVIDENCE_ID: ids,
        S.EVIDENCE_KIND: kind,
        S.INCIDENT_ID: incident,
        S.FIREARM_ID: firearm,
        S.CALIBER: source.text(S.CALIBER),
        S.ENTERED_AT: source.parse(S.ENTERED_AT),
    }
    return finish(source, columns, unique=S.EVIDENCE_ID)
