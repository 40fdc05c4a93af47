"""brassmap's own export presets: frames written with schema names import back unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.importer import import_file
from data.mapping import load_mapping
from data.store import Store
from tests.data.conftest import incident_csv, incident_mapping

PRESETS = Path(__file__).resolve().parents[2] / "data" / "presets"


def test_export_then_import_round_trip(store, tmp_path):
    rows = [
        "0007,Detroit,2019-06-01T23:30,42.36,-83.10,homicide",
        "0008,Detroit,2019-06-03T01:15,42.37,-83.12,shots_fired",
        "0100,Memphis,2019-06-02T12:00,35.12,-89.97,non_fatal_shooting",
    ]
    import_file(incident_csv(tmp_path, rows), incident_mapping(), store)
    links_csv = tmp_path / "links.csv"
    links_csv.write_text("incident_a,incident_b,status,lead_date\n0008,0007,lead,2019-06-10\n")
    import_file(links_csv, load_mapping(PRESETS / "brassmap_links.toml"), store)
    original = store.load_frames()

    incidents_out = tmp_path / "export_incidents.csv"
    original.incidents[
        [
            c
            for c in original.incidents.columns
            if c not in ("local_date", "local_time", "caliber", "far_from_city")
        ]
    ].to_csv(incidents_out, index=False)
    links_out = tmp_path / "export_links.csv"
    original.links.to_csv(links_out, index=False)

    copy = Store(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    report = import_file(incidents_out, load_mapping(PRESETS / "brassmap_incidents.toml"), copy)
    assert report.stored == 3 and report.rejected == 0
    import_file(links_out, load_mapping(PRESETS / "brassmap_links.toml"), copy)
    again = copy.load_frames()
    pd.testing.assert_frame_equal(original.incidents, again.incidents)
    pd.testing.assert_frame_equal(original.links, again.links)
    assert again.links["link_id"].tolist() == ["0007~0008"]
