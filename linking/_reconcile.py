"""Give this dataset version's series their ids from the previous registry (the rule in SCHEMA.md).

* A series whose shootings held the earliest still-linked shooting of a
  previous series is that series' *home*. A series that is home to one
  previous series keeps its id; home to several (a new link joined them),
  it keeps the id of the one whose first shooting is earliest, and the
  others are retired with ``merged_into`` and a note "merged into S-… on DATE".
* A series that is home to none (a new series, or the part an exclusion split
  off) gets a new id: ``S-`` + its first shooting's id, with ``-2``, ``-3`` …
  when that id was ever given before; a split part notes "split from S-… on DATE".
* A previous series none of whose shootings is linked any more is retired
  with the note "dissolved on DATE".

Computed twice on the same data it gives the same ids and no new notes.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from data.series_registry import REGISTRY_COLUMNS
from linking.series import SERIES_PREFIX
from linking.table_columns import join_sorted, path_order

SEPARATOR = "; "


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def _live(previous: pd.DataFrame) -> pd.DataFrame:
    return previous[previous["retired_on"].map(_blank).to_numpy(dtype=bool)]


def _note(history: object, *notes: str) -> str:
    parts = [] if _blank(history) else [str(history)]
    return SEPARATOR.join([*parts, *notes])


def _previous_members(live: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    """One row per (previous live series, member incident) with the member's row now (-1 when gone)."""
    if live.empty:
        return pd.DataFrame({"series_id": pd.Series(dtype=object), "row": pd.Series(dtype=np.int64)})
    text = live["incident_ids"].fillna("").astype(str)
    exploded = pd.DataFrame({"series_id": live["series_id"].to_numpy(), "member": text.str.split(SEPARATOR)})
    exploded = exploded.explode("member", ignore_index=True)
    exploded = exploded[exploded["member"].astype(str) != ""]
    rows = ids.get_indexer(exploded["member"].astype(str))
    return pd.DataFrame({"series_id": exploded["series_id"].to_numpy(), "row": rows.astype(np.int64)})


def _same_series(live: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray | None:
    """The live ids, when the live registry rows hold exactly these series (members and links); else None."""
    if len(live) != len(rows) or not len(rows):
        return None
    by_first = live.drop_duplicates("first_incident_id").set_index("first_incident_id")
    if len(by_first) != len(live):
        return None
    found = by_first.reindex(rows["first_incident_id"].astype(str))
    same = (
        found["series_id"].notna().to_numpy()
        & (found["incident_ids"].astype(object).to_numpy() == rows["incident_ids"].to_numpy())
        & (found["link_ids"].fillna("").astype(object).to_numpy() == rows["link_ids"].to_numpy())
    )
    return found["series_id"].to_numpy(dtype=object) if same.all() else None


def _new_id(first_id: str, taken: set[str]) -> str:
    candidate = SERIES_PREFIX + first_id
    number = 2
    while candidate in taken:
        candidate = f"{SERIES_PREFIX}{first_id}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def reconcile(
    previous: pd.DataFrame,
    *,
    ids: pd.Series,
    times: np.ndarray,
    code: np.ndarray,
    link_code: np.ndarray,
    link_ids: pd.Series,
    today: date,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Name the series ``0..n-1`` of this version and return ``(names, new registry)``.

    Parameters
    ----------
    previous : DataFrame
        The stored registry (:data:`data.series_registry.REGISTRY_COLUMNS`), possibly empty.
    ids, times : Series, ndarray
        Incident id and time (int64 ns, UTC) per incident row.
    code : ndarray
        Series number per incident row (-1 when in none).
    link_code, link_ids : ndarray, Series
        Series number per link row (-1 for links that make no series) and the link ids.
    today : date, keyword-only
        The date written in the notes.
    """
    day = today.isoformat()
    id_text = ids.astype(str).to_numpy(dtype=object)
    count = int(code.max()) + 1 if len(code) and code.max() >= 0 else 0
    members = np.flatnonzero(code >= 0)
    order = members[path_order(code[members], times[members], id_text[members])]
    first_row = np.full(count, -1, dtype=np.int64)
    starts = np.r_[True, code[order][1:] != code[order][:-1]] if len(order) else np.zeros(0, dtype=bool)
    first_row[code[order][starts]] = order[starts]
    sizes = np.bincount(code[members], minlength=count)
    unnamed = np.full(count, None, dtype=object)
    live_rows = _live_rows(unnamed, first_row, sizes, id_text, times, order, code, link_code, link_ids)

    live = _live(previous)
    unchanged = _same_series(live, live_rows)
    if unchanged is not None:  # the usual load: the registry already describes these series
        return unchanged, previous
    by_id = previous.set_index("series_id", drop=False) if len(previous) else previous
    index = pd.Index(id_text)
    pm = _previous_members(live, index)
    pm["code"] = np.where(pm["row"] >= 0, np.append(code, -1)[pm["row"].to_numpy()], -1)
    linked = pm[pm["code"] >= 0].copy()
    linked["time"] = times[linked["row"].to_numpy()]
    linked["id"] = id_text[linked["row"].to_numpy()]
    home = linked.sort_values(["series_id", "time", "id"], kind="stable").drop_duplicates("series_id")
    home = home.set_index("series_id")["code"]

    claim = pd.DataFrame({"series_id": home.index.to_numpy(dtype=object), "home": home.to_numpy()})
    if len(claim):
        claim["first_at"] = by_id.loc[claim["series_id"], "first_occurred_at"].astype("Int64").to_numpy()
        claim["first_id"] = by_id.loc[claim["series_id"], "first_incident_id"].astype(str).to_numpy()
        claim = claim.sort_values(["home", "first_at", "first_id"], kind="stable", na_position="last")
    names = np.full(count, None, dtype=object)
    winners = claim.drop_duplicates("home") if len(claim) else claim
    if len(winners):
        names[winners["home"].to_numpy(dtype=np.int64)] = winners["series_id"].to_numpy(dtype=object)
    losers = claim[~claim.index.isin(winners.index)] if len(claim) else claim
    merged_into = {
        str(s): str(names[h])
        for s, h in zip(losers.get("series_id", []), losers.get("home", []), strict=True)
    }
    taken = set(previous["series_id"].astype(str)) if len(previous) else set()
    won = {str(n) for n in names if n is not None}
    taken |= won
    fresh = np.flatnonzero(pd.isna(names))
    for c in fresh:
        names[c] = _new_id(str(id_text[first_row[c]]), taken)

    notes: dict[str, list[str]] = {}
    for loser, winner in merged_into.items():
        notes.setdefault(winner, []).append(f"{loser} merged in on {day}")
    moved = linked[linked["code"].to_numpy() != home.reindex(linked["series_id"]).to_numpy()]
    for old, c in moved[["series_id", "code"]].drop_duplicates().itertuples(index=False, name=None):
        new = str(names[c])
        if new in won and new != old:  # part of it joined another existing series: a merge note says it
            notes.setdefault(new, []).append(f"took shootings of {old} on {day}")
            continue
        notes.setdefault(new, []).append(f"split from {old} on {day}")
        if old not in merged_into:
            notes.setdefault(str(old), []).append(f"{new} split off on {day}")

    live_rows["series_id"] = names.astype(object)
    before = (
        previous.drop_duplicates("series_id").set_index("series_id").reindex(live_rows["series_id"])
        if len(previous)
        else pd.DataFrame(index=live_rows["series_id"], columns=list(REGISTRY_COLUMNS[1:]))
    )
    known = before["created_on"].notna().to_numpy() | before["incident_ids"].notna().to_numpy()
    same = known & (before["incident_ids"].astype(object).to_numpy() == live_rows["incident_ids"].to_numpy())
    live_rows["merged_into"] = None
    live_rows["retired_on"] = None
    live_rows["created_on"] = np.where(known, before["created_on"].to_numpy(dtype=object), day)
    live_rows["updated_on"] = np.where(same, before["updated_on"].to_numpy(dtype=object), day)
    history = before["history"].to_numpy(dtype=object).copy()
    for position, sid in enumerate(live_rows["series_id"]):
        if sid in notes:
            history[position] = _note(history[position], *notes[sid])
    live_rows["history"] = history
    retired = (
        previous[~previous["series_id"].isin(set(live_rows["series_id"]))].copy()
        if len(previous)
        else previous.iloc[0:0]
    )
    newly = retired["retired_on"].map(_blank).to_numpy(dtype=bool) if len(retired) else np.zeros(0, bool)
    for retired_position in np.flatnonzero(newly).tolist():
        sid = str(retired["series_id"].iloc[retired_position])
        label = retired.index[retired_position]
        retired.loc[label, "retired_on"] = day
        if sid in merged_into:
            retired.loc[label, "merged_into"] = merged_into[sid]
            retired.loc[label, "history"] = _note(
                retired.loc[label, "history"], f"merged into {merged_into[sid]} on {day}"
            )
        else:
            retired.loc[label, "history"] = _note(
                retired.loc[label, "history"], f"dissolved on {day}: none of its shootings is linked any more"
            )
    out = pd.concat([live_rows[list(REGISTRY_COLUMNS)], retired[list(REGISTRY_COLUMNS)]], ignore_index=True)
    return names, _flatten(out)


def _live_rows(
    names: np.ndarray, first_row: np.ndarray, sizes: np.ndarray, id_text: np.ndarray, times: np.ndarray,
    order: np.ndarray, code: np.ndarray, link_code: np.ndarray, link_ids: pd.Series,
) -> pd.DataFrame:  # fmt: skip
    count = len(names)
    incident_text = join_sorted(code[order], id_text[order]).reindex(range(count)).fillna("")
    counted = np.flatnonzero(link_code >= 0)
    link_text_values = link_ids.astype(str).to_numpy(dtype=object)[counted]
    link_order = np.lexsort((link_text_values, link_code[counted]))
    link_text = join_sorted(link_code[counted][link_order], link_text_values[link_order])
    return pd.DataFrame(
        {
            "series_id": names.astype(object),
            "first_incident_id": id_text[first_row] if count else np.empty(0, dtype=object),
            "first_occurred_at": times[first_row] if count else np.empty(0, dtype=np.int64),
            "size": sizes,
            "incident_ids": incident_text.to_numpy(dtype=object),
            "link_ids": link_text.reindex(range(count)).fillna("").to_numpy(dtype=object),
        }
    )


def _flatten(registry: pd.DataFrame) -> pd.DataFrame:
    """Point every retired id straight at the live series it now belongs to (no chains)."""
    if registry.empty:
        return registry
    target = dict(zip(registry["series_id"].astype(str), registry["merged_into"], strict=True))
    fixed = []
    for value in registry["merged_into"]:
        seen: set[str] = set()
        while not _blank(value) and not _blank(target.get(str(value))) and str(value) not in seen:
            seen.add(str(value))
            value = target[str(value)]
        fixed.append(value)
    registry = registry.copy()
    registry["merged_into"] = fixed
    return registry
