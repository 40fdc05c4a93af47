"""A small hand-made lead desk: six shootings, five leads, written as CSV and imported through the presets.

Times are local wall-clock (the importer reads them in each city's zone).
D3 happens at 23:30 on 20 March in Detroit, which is already 21 March in
UTC: calendar days must be counted in the city's time zone.

Hand-computed figures (``TODAY`` = 2019-04-10) are in ``EXPECTED``; see
tests/lead_desk/test_kpis.py for how each one is derived.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from data.importer import import_file
from data.mapping import load_mapping
from data.store import Store

PRESETS = Path(__file__).resolve().parents[2] / "data" / "presets"
TODAY = date(2019, 4, 10)

INCIDENTS = """\
incident_id,city,occurred_at,latitude,longitude,incident_type,killed,injured,agency,address,narrative
D1,Detroit,2019-03-01 22:00,42.36,-83.10,homicide,1,0,MI8234900,1234 Main St,secret narrative one
D2,Detroit,2019-03-05 10:00,42.38,-83.05,non_fatal_shooting,0,2,MI8234900,55 Oak St,secret narrative two
D3,Detroit,2019-03-20 23:30,42.40,-83.00,shots_fired,0,0,MI8235000,900 Elm St,secret narrative three
M1,Memphis,2019-03-25 12:00,35.12,-90.00,non_fatal_shooting,0,1,TN0790100,300 Beale St,secret narrative four
D4,Detroit,2019-03-25 18:00,42.33,-83.12,shots_fired,0,0,MI8234900,77 Pine Rd,secret narrative five
D5,Detroit,2019-03-26 09:00,42.35,-83.08,shots_fired,0,0,MI8234900,1 Woodward Ave,secret narrative six
"""

FIREARMS = """firearm_id,make,model,caliber,serial_number,recovered_at,city,latitude,longitude,agency
F1,Glock,19,9mm Luger,SERIALSECRET1,2019-03-30 10:00,Detroit,42.35,-83.07,MI8234900
"""

EVIDENCE = """evidence_id,evidence_kind,incident_id,firearm_id,caliber,entered_at
E1,casing,D1,,9mm Luger,2019-03-02 09:00
E2,casing,D2,,9mm Luger,2019-03-06 09:00
E3,casing,D3,,9mm Luger,2019-03-21 15:00
E4,casing,M1,,9mm Luger,2019-03-26 15:00
E5,casing,D4,,.40 S&W,2019-03-27 15:00
E6,casing,D5,,9mm Luger,2019-03-28 15:00
T1,test_fire,,F1,9mm Luger,2019-04-01 15:00
"""

LINKS = """link_id,incident_a,incident_b,firearm_id,status,lead_number,lead_date,confirmed_date,site
L1,D1,D2,,lead,N-1,2019-03-07,,Detroit PD
L2,D2,D3,,lead,N-2,2019-04-02,,Detroit PD
L3,D3,M1,,lead,N-3,2019-03-28,,NNCTC
L4,D4,D5,,pending,N-4,,,Detroit PD
L5,D5,,F1,lead,N-5,2019-04-05,,Detroit PD
"""

# analyst events recorded after the import: (lead, event, date, to/note)
EVENTS = [
    ("N-1", "disseminated", "2019-03-08", "Detroit PD Homicide"),
    ("N-3", "disseminated", "2019-03-30", "Memphis PD Gun Unit"),
    ("N-1", "confirmed", "2019-03-20", None),
]

EXPECTED = {
    "leads": 4,  # L1, L2, L3, L5 carry a lead date; L4 is pending without one
    "median_days_shooting_to_lead": 6.5,  # L1 2, L2 13, L3 3, L5 10
    "share_shooting_to_lead_within_2_days": 0.25,
    "median_days_lead_to_disseminated": 1.5,  # L1 1, L3 2
    "median_days_lead_to_confirmed": 13.0,  # L1 2019-03-07 -> 2019-03-20
}


def write_files(folder: Path, links: str = LINKS) -> dict[str, Path]:
    """Write the four CSV files; return their paths by kind."""
    paths = {}
    texts = {"incidents": INCIDENTS, "firearms": FIREARMS, "evidence": EVIDENCE, "links": links}
    for kind, text in texts.items():
        paths[kind] = folder / f"{kind}.csv"
        paths[kind].write_text(text, encoding="utf-8")
    return paths


def import_links(store: Store, path: Path) -> None:
    """Import one links file through the links preset."""
    import_file(path, load_mapping(PRESETS / "brassmap_links.toml"), store)


def build_store(folder: Path, *, with_events: bool = True) -> Store:
    """A SQLite store in ``folder`` holding the desk data (and, by default, its analyst events)."""
    from data.lead_events import add_event, resolve_lead

    paths = write_files(folder)
    store = Store(f"sqlite:///{folder / 'desk.sqlite'}")
    for kind in ("incidents", "firearms", "evidence"):
        import_file(paths[kind], load_mapping(PRESETS / f"brassmap_{kind}.toml"), store)
    import_links(store, paths["links"])
    if with_events:
        for lead, event, day, text in EVENTS:
            add_event(store, resolve_lead(store, lead), event=event, day=day, by="analyst A",
                      to=text if event == "disseminated" else None)  # fmt: skip
    return store
