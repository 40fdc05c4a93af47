"""Links: orphans and self links rejected, duplicate pairs merged with a count, pairs normalised."""

from __future__ import annotations

import pandas as pd

from data.importer import import_file, read_validated
from data.mapping import parse_mapping
from data.store import ImportSource, Store
from tests.data.conftest import incident_csv, incident_mapping, write

LINKS_TOML = """
kind = "links"
[columns]
incident_a = "Case 1"
incident_b = "Case 2"
status = "Lead Status"
lead_number = "Lead #"
lead_date = "Lead Date"
[values.status]
"HIT - Confirmed" = "hit"
"Lead" = "lead"
[formats]
lead_date = "%m/%d/%Y"
"""
LINKS = parse_mapping(LINKS_TOML, name="links.toml")


def _seed(store: Store, tmp_path, ids=("001", "002", "003", "004")) -> None:
    rows = [f"{i},Detroit,2019-06-0{n + 1},42.36,-83.10,homicide" for n, i in enumerate(ids)]
    import_file(incident_csv(tmp_path, rows, name="seed.csv"), incident_mapping(), store)


def _links_csv(tmp_path, rows):
    return write(
        tmp_path, "links.csv", "Case 1,Case 2,Lead Status,Lead #,Lead Date\n" + "\n".join(rows) + "\n"
    )


def test_orphan_self_and_duplicate_links(store, tmp_path):
    _seed(store, tmp_path)
    path = _links_csv(
        tmp_path,
        [
            "002,001,Lead,L-1,06/10/2019",  # row 2: kept, normalised to 001-002
            "001,001,Lead,L-2,06/10/2019",  # row 3: self link
            "001,999,Lead,L-3,06/10/2019",  # row 4: orphan
            "001,002,HIT - Confirmed,L-4,06/12/2019",  # row 5: same pair as row 2 -> merged, hit wins
            "003,004,Lead,L-5,06/11/2019",  # row 6: kept
        ],
    )
    batch = read_validated(path, LINKS, store=store)
    links = batch.records["links"]
    assert links[["incident_a", "incident_b", "status", "association_count"]].values.tolist() == [
        ["001", "002", "hit", 2],
        ["003", "004", "lead", 1],
    ]
    by_row = batch.rejects.set_index("row")
    assert by_row.loc[3, "reason"] == "self link: both sides are the same incident"
    assert by_row.loc[4, "reason"].startswith(
        "orphan link: unknown incident (not in this import or the store)"
    )
    assert by_row.loc[4, "value"] == "999"
    assert by_row.loc[5, "severity"] == "warning"
    assert by_row.loc[5, "reason"] == "duplicate pair 001 – 002: merged into row 2 (association_count now 2)"
    assert (batch.rows_read, batch.rows_stored, batch.rows_rejected) == (5, 3, 2)


def test_a_lead_and_its_confirmation_merge_keeping_both_dates(store, tmp_path):
    _seed(store, tmp_path)
    path = write(
        tmp_path,
        "confirmed.csv",
        "Case 1,Case 2,Lead Status,Lead #,Lead Date,Confirmed\n"
        "001,002,Lead,L-1,06/10/2019,\n"
        "001,002,HIT - Confirmed,L-1,06/10/2019,07/02/2019\n",
    )
    with_confirmation = parse_mapping(
        LINKS_TOML.replace('lead_date = "Lead Date"', 'lead_date = "Lead Date"\nconfirmed_date = "Confirmed"')
        + 'confirmed_date = "%m/%d/%Y"\n',
        name="confirmed.toml",
    )
    links = read_validated(path, with_confirmation, store=store).records["links"]
    assert len(links) == 1
    row = links.iloc[0]
    assert row["status"] == "hit"
    assert str(pd.Timestamp(row["lead_date"]).date()) == "2019-06-10"
    assert str(pd.Timestamp(row["confirmed_date"]).date()) == "2019-07-02"


def test_links_resolve_evidence_and_test_fires(store, tmp_path):
    _seed(store, tmp_path)
    store.save(
        {
            "firearms": pd.DataFrame({"firearm_id": ["G1"], "caliber": ["9mm Luger"]}),
            "evidence": pd.DataFrame(
                {
                    "evidence_id": ["E1", "E2", "T1"],
                    "evidence_kind": ["casing", "casing", "test_fire"],
                    "incident_id": ["003", "001", None],
                    "firearm_id": [None, None, "G1"],
                    "caliber": ["9mm Luger", "9mm Luger", "9mm Luger"],
                }
            ),
        },
        source=ImportSource("lab.csv", "0" * 64, 4, 4, 0, 0),
    )
    mapping = parse_mapping(
        'kind = "links"\n[columns]\nevidence_a = "A"\nevidence_b = "B"\nstatus = "S"\n', name="ev.toml"
    )
    path = write(tmp_path, "ev_links.csv", "A,B,S\nE1,E2,lead\nE1,T1,hit\nE1,XX,lead\n")
    batch = read_validated(path, mapping, store=store)
    links = batch.records["links"].sort_values("status")
    assert links[["incident_a", "incident_b", "firearm_id", "link_id"]].astype(object).where(
        links[["incident_a", "incident_b", "firearm_id", "link_id"]].notna(), None
    ).values.tolist() == [["003", None, "G1", "003~firearm:G1"], ["001", "003", None, "001~003"]]
    assert batch.rejects.set_index("row").loc[4, "reason"] == (
        "unknown evidence id (not in the store); import the evidence first"
    )
    import_file(path, mapping, store)
    frames = store.load_frames()
    assert list(frames.links["status"].cat.categories) == ["lead", "hit", "pending", "excluded"]
    test_fire = frames.links.set_index("link_id").loc["003~firearm:G1"]
    assert pd.isna(test_fire["incident_b"]) and test_fire["firearm_id"] == "G1"
    assert str(frames.links["incident_b"].dtype) == "string"
    calibers = frames.incidents.set_index("incident_id")["caliber"]
    assert calibers["003"] == "9mm Luger" and calibers["002"] == "unknown/other"


def test_reimport_changes_nothing_and_count_is_not_doubled(store, tmp_path):
    _seed(store, tmp_path)
    path = _links_csv(tmp_path, ["001,002,Lead,L-1,06/10/2019", "002,001,Lead,L-1,06/10/2019"])
    import_file(path, LINKS, store)
    first = store.load_frames().links
    version = store.dataset_version()
    import_file(path, LINKS, store)
    again = store.load_frames().links
    pd.testing.assert_frame_equal(first, again)
    assert again["association_count"].tolist() == [2]
    assert store.dataset_version() != version


def test_preview_without_a_store_does_not_call_everything_an_orphan(tmp_path):
    path = _links_csv(tmp_path, ["002,001,Lead,L-1,06/10/2019", "001,001,Lead,L-2,06/10/2019"])
    batch = read_validated(path, LINKS)
    assert batch.records["links"][["incident_a", "incident_b"]].values.tolist() == [["001", "002"]]
    reasons = batch.rejects.set_index("row")["reason"]
    assert reasons.loc[3] == "self link: both sides are the same incident"
    assert reasons.loc[0].startswith("references to incidents, firearms and evidence were not checked")

    mapping = parse_mapping('kind = "links"\n[columns]\nevidence_a = "A"\nevidence_b = "B"\nstatus = "S"\n')
    preview = read_validated(write(tmp_path, "ev.csv", "A,B,S\nE1,E2,lead\n"), mapping)
    unresolved = preview.rejects[preview.rejects["row"] == 2]
    assert unresolved["field"].tolist() == ["evidence_a", "evidence_b"]
    assert set(unresolved["reason"]) == {
        "evidence id not resolved: no store was given (the import resolves it)"
    }


def test_a_links_file_with_a_bad_synthetic_flag_lists_that_row_once_in_the_rejects_report(tmp_path):
    # the links validator parses is_synthetic itself: finish() must not parse it (and report it) again
    flagged = LINKS_TOML.replace("[values.status]", 'is_synthetic = "Demo"\n[values.status]')
    mapping = parse_mapping(flagged, name="links.toml")
    path = write(
        tmp_path,
        "links.csv",
        "Case 1,Case 2,Lead Status,Lead #,Lead Date,Demo\n"
        "001,002,Lead,L-1,06/01/2019,maybe\n"
        "003,004,Lead,L-2,06/02/2019,yes\n",
    )
    batch = read_validated(path, mapping)
    errors = batch.rejects[batch.rejects["severity"] == "error"]
    assert errors[["row", "field", "value", "reason"]].to_dict("records") == [
        {"row": 2, "field": "is_synthetic", "value": "maybe",
         "reason": "not true/false (expected true, false, yes, no, 1 or 0)"},
    ]  # fmt: skip
    assert batch.records["links"]["lead_number"].tolist() == ["L-2"]
    assert batch.records["links"]["is_synthetic"].tolist() == [True]
