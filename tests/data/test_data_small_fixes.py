"""Issue 10, item 12: latitude 91 is not "swapped", a DST-gap time is warned about, merged links keep
every lead number, and the shrunk firearms layer keeps include_sensitive."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from data import schema as S
from data.importer import import_file, read_validated
from data.mapping import parse_mapping
from data.store import Store
from geo.maps import FIREARM_BUDGET, _firearm_layer
from tests.data.conftest import incident_csv, incident_mapping, write


def _rows(batch, row: int) -> list[tuple[str, str]]:
    found = batch.rejects[batch.rejects[S.REJECT_ROW] == row]
    return list(zip(found[S.REJECT_SEVERITY], found[S.REJECT_REASON], strict=True))


def test_latitude_91_is_out_of_range_even_when_swapping_is_allowed(tmp_path) -> None:
    path = incident_csv(
        tmp_path,
        [
            "1,Detroit,2019-06-01,91,-83.1,homicide",  # swapped it would be (-83.1, 91): Antarctica
            "2,Detroit,2019-06-01,-83.10,42.36,homicide",  # really swapped: lands in Detroit
        ],
    )
    batch = read_validated(path, incident_mapping("[options]\nswap_lat_lon = true\n"))
    incidents = batch.records[S.INCIDENTS]
    assert incidents[S.INCIDENT_ID].tolist() == ["2"]
    assert (incidents[S.LATITUDE].iloc[0], incidents[S.LONGITUDE].iloc[0]) == (42.36, -83.10)
    assert _rows(batch, 2) == [("error", "latitude outside -90..90")]
    assert _rows(batch, 3)[0][1].startswith("latitude and longitude looked swapped; swapped back")


def test_a_local_time_in_the_dst_gap_is_kept_with_a_warning(tmp_path) -> None:
    path = incident_csv(
        tmp_path,
        ["1,Detroit,2019-03-10T02:30,42.36,-83.10,homicide",
         "2,Detroit,2019-03-10T03:30,42.36,-83.10,homicide"],
    )
    batch = read_validated(path, incident_mapping())
    incidents = batch.records[S.INCIDENTS].set_index(S.INCIDENT_ID)
    assert str(incidents.loc["1", S.OCCURRED_AT]) == "2019-03-10 07:30:00+00:00"  # 03:30 EDT
    assert _rows(batch, 2) == [
        ("warning", "local time does not exist: the clocks skipped this hour (daylight saving time began); "
         "kept as one hour later, check the source")
    ]
    assert _rows(batch, 3) == []


def test_merged_duplicate_links_keep_every_lead_number(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'links.sqlite'}")
    rows = [f"{i},Detroit,2019-06-0{i},42.36,-83.10,homicide" for i in range(1, 4)]
    import_file(incident_csv(tmp_path, rows, name="seed.csv"), incident_mapping(), store)
    links = write(
        tmp_path, "links.csv",
        "a,b,status,lead\n1,2,lead,L-1\n2,1,hit,L-7\n1,2,lead,L-1\n1,2,lead,\n2,3,lead,L-9\n",
    )
    toml = 'kind = "links"\n[columns]\nincident_a = "a"\nincident_b = "b"\nstatus = "status"\n'
    report = import_file(links, parse_mapping(toml + 'lead_number = "lead"\n'), store)
    assert report.stored == 5
    stored = store.read_table(S.LINKS).set_index(S.INCIDENT_B)
    assert stored.loc["2", S.LEAD_NUMBER] == "L-1; L-7"
    assert stored.loc["2", S.STATUS] == "hit"
    assert stored.loc["2", S.ASSOCIATION_COUNT] == 4
    assert stored.loc["3", S.LEAD_NUMBER] == "L-9"


def test_the_shrunk_firearms_layer_keeps_include_sensitive() -> None:
    n = 1_000
    guns = pd.DataFrame(
        {
            S.FIREARM_ID: [f"F-{i}" for i in range(n)],
            S.MAKE: [f"Make {i} " + "x" * 120 for i in range(n)],  # 1,000 of these exceed the budget
            S.MODEL: [f"Model {i}" for i in range(n)],
            S.SERIAL_NUMBER: [f"SN{i:06d}" for i in range(n)],
            S.CALIBER: ["9mm Luger"] * n,
            S.RECOVERED_AT: pd.to_datetime(["2019-07-26 10:00"] * n, utc=True),
            S.CITY: ["Detroit"] * n,
            S.LATITUDE: np.linspace(42.30, 42.40, n),
            S.LONGITUDE: np.linspace(-83.20, -83.00, n),
        }
    )
    layer, drawn, placed = _firearm_layer(guns, include_sensitive=True)
    assert layer is not None and placed == n and drawn < n  # it was shrunk
    assert layer.size <= FIREARM_BUDGET
    payload = json.loads(layer.payload)
    assert "SN000000" in json.dumps(payload)
    hidden, _, _ = _firearm_layer(guns, include_sensitive=False)
    assert hidden is not None and "SN000000" not in hidden.payload


def test_incident_type_is_inferred_from_killed_and_injured_and_the_summary_says_so(tmp_path, capsys) -> None:
    """Issue 13, item 6."""
    from data.__main__ import main

    toml = (
        'kind = "incidents"\n[columns]\nincident_id = "id"\ncity = "city"\noccurred_at = "when"\n'
        'latitude = "lat"\nlongitude = "lon"\nkilled = "dead"\ninjured = "hurt"\n'
    )
    mapping = write(tmp_path, "no_type.toml", toml)
    path = write(
        tmp_path, "no_type.csv",
        "id,city,when,lat,lon,dead,hurt\n"
        "1,Detroit,2019-06-01,42.36,-83.10,1,2\n"
        "2,Detroit,2019-06-02,42.36,-83.10,0,3\n"
        "3,Detroit,2019-06-03,42.36,-83.10,0,0\n"
        "4,Detroit,2019-06-04,42.36,-83.10,,\n",
    )
    db = f"sqlite:///{tmp_path / 'types.sqlite'}"
    assert main(["import", str(path), "--mapping", str(mapping), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "stored 4" in out
    note = (
        "note: incident_type is not in the file: inferred from killed/injured (homicide when killed > 0, "
        "non_fatal_shooting when injured > 0, else shots_fired)"
    )
    assert note in out
    stored = Store(db).read_table(S.INCIDENTS).set_index(S.INCIDENT_ID)
    assert stored[S.INCIDENT_TYPE].astype(str).to_dict() == {
        "1": "homicide", "2": "non_fatal_shooting", "3": "shots_fired", "4": "shots_fired",
    }
    # without killed/injured the mapping still has to give incident_type
    bare = write(tmp_path, "bare.toml", toml.replace('killed = "dead"\ninjured = "hurt"\n', ""))
    assert main(["import", str(path), "--mapping", str(bare), "--db", db]) == 1
    assert "required incidents field(s) incident_type" in capsys.readouterr().err
