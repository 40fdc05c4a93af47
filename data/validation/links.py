"""Link validation: resolve evidence to incidents, normalise pairs, merge duplicates.

A link joins two incidents (``incident_a < incident_b`` after normalising)
or an incident and a recovered firearm (``incident_b`` empty, ``firearm_id``
set: a test fire). Sides given as evidence ids are resolved through the
stored evidence. Self links and links to unknown incidents or firearms are
rejected; rows joining the same pair are merged (warning).
"""

from __future__ import annotations

import pandas as pd

from data import schema as S
from data.fields import check_known
from data.mapping import Mapping
from data.problems import Problems
from data.readers import RawTable
from data.validation.caliber import parse_caliber
from data.validation.context import StoreContext
from data.validation.link_merge import merge_duplicate_pairs
from data.validation.source import open_source
from data.validation.tail import finish


def _resolve(
    incident: pd.Series,
    evidence: pd.Series,
    side: str,
    context: StoreContext,
    problems: Problems,
) -> tuple[pd.Series, pd.Series]:
    """Fill an empty incident side from its evidence id; return (incident, firearm-from-test-fire)."""
    known = context.evidence.drop_duplicates(S.EVIDENCE_ID).set_index(S.EVIDENCE_ID)
    needs = incident.isna() & evidence.notna()
    firearm = pd.Series(pd.NA, index=incident.index, dtype="string")
    if not needs.any():
        return incident, firearm
    looked_up = evidence.where(needs)
    if not context.has_store:
        reason = "evidence id not resolved: no store was given (the import resolves it)"
        problems.add(needs.to_numpy(), f"evidence_{side}", evidence, reason)
        return incident, firearm
    found = looked_up.isin(known.index).fillna(False)
    problems.add(
        (needs & ~found).to_numpy(),
        f"evidence_{side}",
        evidence,
        "unknown evidence id (not in the store); import the evidence first",
    )
    hit = (needs & found).to_numpy()
    incident = incident.mask(hit, looked_up.map(known[S.INCIDENT_ID]).astype("string"))
    firearm = firearm.mask(hit, looked_up.map(known[S.FIREARM_ID]).astype("string"))
    return incident, firearm


def validate_links(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
    batch_incidents: pd.Index | None = None,
) -> pd.DataFrame:
    """Validate links; see the module docstring for the rules."""
    def optional(texts: dict[str, pd.Series]) -> set[str]:
        """The link id is derived; incident_a may come from evidence_a."""
        return {S.LINK_ID, S.INCIDENT_A} if S.EVIDENCE_A in texts else {S.LINK_ID}

    source = open_source(raw, mapping, problems, display_name=display_name, now=now, optional=optional)
    ev_a = source.ids(S.EVIDENCE_A)
    ev_b = source.ids(S.EVIDENCE_B)
    inc_a, gun_a = _resolve(source.ids(S.INCIDENT_A), ev_a, "a", context, problems)
    inc_b, gun_b = _resolve(source.ids(S.INCIDENT_B), ev_b, "b", context, problems)
    firearm = source.ids(S.FIREARM_ID).fillna(gun_b).fillna(gun_a)
    # a test fire on side A: move the casing's incident to side A
    a_is_gun = (inc_a.isna() & gun_a.notna() & inc_b.notna()).to_numpy()
    inc_a = inc_a.mask(a_is_gun, inc_b)
    inc_b = inc_b.mask(a_is_gun, pd.NA)
    source.require(inc_a, S.INCIDENT_A)
    no_far_side = inc_b.isna() & firearm.isna()
    problems.add(
        no_far_side.to_numpy() & ~problems.rejected,
        S.INCIDENT_B,
        inc_b,
        "a link needs incident_b (or evidence_b), or firearm_id for a test-fire link",
    )
    status = source.parse(S.STATUS)
    source.require(status, S.STATUS)
    lead_date = source.parse(S.LEAD_DATE)
    confirmed = source.parse(S.CONFIRMED_DATE)
    count = source.parse(S.ASSOCIATION_COUNT).fillna(1)
    synthetic = source.parse(S.IS_SYNTHETIC).fillna(False).astype(bool)
    _check_ends(inc_a, inc_b, firearm, problems, context=context, batch_incidents=batch_incidents)

    swap = (inc_b.notna() & (inc_a > inc_b)).fillna(False).to_numpy()
    a = inc_a.mask(swap, inc_b)
    b = inc_b.mask(swap, inc_a)
    derived = a.fillna("") + "~" + b.fillna("firearm:" + firearm.fillna(""))
    columns = {
        S.LINK_ID: source.ids(S.LINK_ID).fillna(derived),
        S.INCIDENT_A: a,
        S.INCIDENT_B: b,
        S.FIREARM_ID: firearm.where(inc_b.isna()),
        S.EVIDENCE_A: ev_a.mask(swap, ev_b),
        S.EVIDENCE_B: ev_b.mask(swap, ev_a),
        S.STATUS: status,
        S.LEAD_NUMBER: source.text(S.LEAD_NUMBER),
        S.LEAD_DATE: lead_date,
        S.CONFIRMED_DATE: confirmed,
        S.SITE: source.text(S.SITE),
        S.CALIBER: parse_caliber(source.text(S.CALIBER), problems, mapping),
        S.ASSOCIATION_COUNT: count.astype("int64"),
        S.NOTE: source.text(S.NOTE),
        S.IS_SYNTHETIC: synthetic,
    }
    return merge_duplicate_pairs(finish(source, columns), problems)


def _check_ends(
    inc_a: pd.Series,
    inc_b: pd.Series,
    firearm: pd.Series,
    problems: Problems,
    *,
    context: StoreContext,
    batch_incidents: pd.Index | None,
) -> None:
    """Reject self links, and links to incidents or firearms neither stored nor in this import."""
    pair_text = inc_a.fillna("") + " – " + inc_b.fillna(firearm.fillna(""))
    self_link = (inc_a == inc_b).fillna(False).to_numpy()
    reason = "self link: both sides are the same incident"
    problems.add(self_link & ~problems.rejected, S.INCIDENT_B, pair_text, reason)
    if not context.has_store:
        return
    known = context.incident_ids if batch_incidents is None else context.incident_ids.append(batch_incidents)
    reason = "orphan link: unknown incident (not in this import or the store); import the incidents first"
    for side, ids in (("a", inc_a), ("b", inc_b)):
        check_known(ids, known, f"incident_{side}", problems, reason=reason)
    reason = "orphan link: unknown firearm (not in the store); import the firearms first"
    check_known(firearm, context.firearm_ids, S.FIREARM_ID, problems, reason=reason, among=inc_b.isna())
