"""Link validation: resolve evidence to incidents, normalise pairs, merge duplicates.

A link joins two incidents (``incident_a < incident_b`` after normalising)
or an incident and a firearm (the far side is a test fire: ``incident_b``
empty, ``firearm_id`` set). Orphans (an incident or firearm known neither in
the store nor in this batch) and self links are rejected; the same pair twice
is merged into the first row with ``association_count`` summed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S
from data.fields import (
    check_allowed,
    check_known,
    check_required,
    column_or_empty,
    gather_text,
    map_values,
    require_fields,
    string_ids,
)
from data.mapping import Mapping
from data.parsing import parse_bool, parse_count
from data.problems import WARNING, Problems
from data.readers import RawTable
from data.validation import StoreContext, parse_link_date


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
    resolved_incident = looked_up.map(known[S.INCIDENT_ID]).astype("string")
    resolved_firearm = looked_up.map(known[S.FIREARM_ID]).astype("string")
    incident = incident.mask(hit, resolved_incident)
    firearm = firearm.mask(hit, resolved_firearm)
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
    texts = gather_text(raw, mapping, display_name=display_name)
    optional = {S.LINK_ID}
    if S.EVIDENCE_A in texts:
        optional.add(S.INCIDENT_A)
    require_fields(mapping, set(texts), display_name=display_name, optional=optional)
    n = len(raw.frame)
    ev_a = string_ids(column_or_empty(texts, S.EVIDENCE_A, n))
    ev_b = string_ids(column_or_empty(texts, S.EVIDENCE_B, n))
    inc_a, gun_a = _resolve(string_ids(column_or_empty(texts, S.INCIDENT_A, n)), ev_a, "a", context, problems)
    inc_b, gun_b = _resolve(string_ids(column_or_empty(texts, S.INCIDENT_B, n)), ev_b, "b", context, problems)
    firearm = string_ids(column_or_empty(texts, S.FIREARM_ID, n)).fillna(gun_b).fillna(gun_a)
    # a test fire on side A: move the casing's incident to side A
    a_is_gun = inc_a.isna() & gun_a.notna() & inc_b.notna()
    inc_a = inc_a.mask(a_is_gun.to_numpy(), inc_b)
    inc_b = inc_b.mask(a_is_gun.to_numpy(), pd.NA)
    check_required(inc_a, S.INCIDENT_A, problems, mapping)
    no_far_side = inc_b.isna() & firearm.isna()
    problems.add(
        no_far_side.to_numpy() & ~problems.rejected,
        S.INCIDENT_B,
        inc_b,
        "a link needs incident_b (or evidence_b), or firearm_id for a test-fire link",
    )
    status = map_values(texts[S.STATUS], S.STATUS, mapping, problems)
    status = check_allowed(status, S.STATUS, S.LINK_STATUSES, problems)
    check_required(status, S.STATUS, problems, mapping)
    lead_date = parse_link_date(texts, S.LEAD_DATE, mapping, problems, n, now=now)
    confirmed = parse_link_date(texts, S.CONFIRMED_DATE, mapping, problems, n, now=now)
    count = parse_count(column_or_empty(texts, S.ASSOCIATION_COUNT, n), S.ASSOCIATION_COUNT, problems)
    count = count.fillna(1)
    synthetic = parse_bool(column_or_empty(texts, S.IS_SYNTHETIC, n), S.IS_SYNTHETIC, problems).fillna(False)

    pair_text = inc_a.fillna("") + " – " + inc_b.fillna(firearm.fillna(""))
    self_link = (inc_a == inc_b).fillna(False).to_numpy()
    reason = "self link: both sides are the same incident"
    problems.add(self_link & ~problems.rejected, S.INCIDENT_B, pair_text, reason)
    known = context.incident_ids
    if batch_incidents is not None:
        known = known.append(batch_incidents)
    if context.has_store:
        reason = "orphan link: unknown incident (not in this import or the store); import the incidents first"
        for side, ids in (("a", inc_a), ("b", inc_b)):
            check_known(ids, known, f"incident_{side}", problems, reason=reason)
        reason = "orphan link: unknown firearm (not in the store); import the firearms first"
        check_known(firearm, context.firearm_ids, S.FIREARM_ID, problems, reason=reason, among=inc_b.isna())

    swap = (inc_b.notna() & (inc_a > inc_b)).fillna(False).to_numpy()
    a = inc_a.mask(swap, inc_b)
    b = inc_b.mask(swap, inc_a)
    e_a = ev_a.mask(swap, ev_b)
    e_b = ev_b.mask(swap, ev_a)
    link_id = column_or_empty(texts, S.LINK_ID, n)
    derived = a.fillna("") + "~" + b.fillna("firearm:" + firearm.fillna(""))
    link_id = string_ids(link_id).fillna(derived)
    frame = pd.DataFrame(
        {
            S.LINK_ID: link_id,
            S.INCIDENT_A: a,
            S.INCIDENT_B: b,
            S.FIREARM_ID: firearm.where(inc_b.isna()),
            S.EVIDENCE_A: e_a,
            S.EVIDENCE_B: e_b,
            S.STATUS: status,
            S.LEAD_NUMBER: column_or_empty(texts, S.LEAD_NUMBER, n),
            S.LEAD_DATE: lead_date,
            S.CONFIRMED_DATE: confirmed,
            S.SITE: column_or_empty(texts, S.SITE, n),
            S.ASSOCIATION_COUNT: count.astype("int64"),
            S.NOTE: column_or_empty(texts, S.NOTE, n),
            S.IS_SYNTHETIC: synthetic.astype(bool),
            S.REJECT_ROW: raw.rows,
        }
    )
    kept = frame.loc[~problems.rejected]
    return merge_duplicate_pairs(kept, problems)


def merge_duplicate_pairs(links: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    """Merge links joining the same pair into the first row, summing ``association_count``.

    Each merged row is reported as a warning naming the row it went into; the
    strongest status (hit > lead > pending > excluded) wins.
    """
    key = links[S.INCIDENT_A].fillna("") + "\x1f" + links[S.INCIDENT_B].fillna(
        "firearm:" + links[S.FIREARM_ID].fillna("")
    )
    repeated = key.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return links.reset_index(drop=True)
    groups = links.assign(_key=key.to_numpy())
    first_row = groups.groupby("_key", sort=False)[S.REJECT_ROW].transform("first")
    totals = groups.groupby("_key", sort=False)[S.ASSOCIATION_COUNT].transform("sum")
    rank = groups[S.STATUS].map({s: i for i, s in enumerate(S.STATUS_ORDER)})
    best = groups.assign(_rank=rank).groupby("_key", sort=False)["_rank"].transform("min")
    later = key.duplicated(keep="first").to_numpy()
    mask = np.zeros(len(problems.rows), dtype=bool)
    positions = np.searchsorted(problems.rows, links[S.REJECT_ROW].to_numpy()[later])
    mask[positions] = True
    reasons = np.full(len(problems.rows), "", dtype=object)
    far_side = links[S.INCIDENT_B].fillna(links[S.FIREARM_ID].fillna(""))
    pair = links[S.INCIDENT_A].fillna("") + " – " + far_side
    for position, into, total, text in zip(
        positions, first_row.to_numpy()[later], totals.to_numpy()[later], pair.to_numpy()[later], strict=True
    ):
        reasons[position] = (
            f"duplicate pair {text}: merged into row {into} (association_count now {total})"
        )
    shown = pd.Series(pd.NA, index=range(len(problems.rows)), dtype="string")
    shown.iloc[positions] = pair.to_numpy()[later]
    problems.add(mask, S.INCIDENT_A, shown, reasons, WARNING)
    merged = links.loc[~later].copy()
    merged[S.ASSOCIATION_COUNT] = totals.loc[~later].astype("int64")
    # A lead and its later confirmation come as two rows: keep the first lead date and the confirmation.
    by_key = groups.groupby("_key", sort=False)
    merged[S.LEAD_DATE] = by_key[S.LEAD_DATE].transform("min").loc[~later]
    merged[S.CONFIRMED_DATE] = by_key[S.CONFIRMED_DATE].transform("max").loc[~later]
    merged[S.STATUS] = best.loc[~later].map(dict(enumerate(S.STATUS_ORDER))).astype("string")
    return merged.reset_index(drop=True)
