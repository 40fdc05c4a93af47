"""Tiny stores written through the real importer, for app and browser tests of edge cases."""

from __future__ import annotations

from pathlib import Path

from data.importer import import_file
from data.mapping import load_mapping
from data.store import Store

PRESETS = Path(__file__).resolve().parent.parent.parent / "data" / "presets"

INCIDENTS_CSV = """incident_id,city,occurred_at,latitude,longitude,incident_type
T-1,Detroit,2021-06-01T22:15:00-04:00,42.3601,-83.1050,shots_fired
T-2,Detroit,2021-06-03T21:40:00-04:00,42.3701,-83.1150,non_fatal_shooting
"""
FIREARMS_CSV = """firearm_id,make,caliber,recovered_at,city,latitude,longitude
F-1,Glock,9mm Luger,2021-06-10T10:00:00-04:00,Detroit,42.36,-83.1
"""
TEST_FIRE_ONLY_LINKS_CSV = """link_id,incident_a,incident_b,firearm_id,status,lead_number,lead_date
K-1,T-1,,F-1,hit,L-1,2021-06-12
"""


def import_text(store: Store, folder: Path, kind: str, text: str) -> None:
    """Write ``text`` as ``<kind>.csv`` in ``folder`` and import it with brassmap's own preset."""
    path = folder / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    import_file(path, load_mapping(PRESETS / f"brassmap_{kind}.toml"), store)


def test_fire_only_store(folder: Path) -> str:
    """A store whose only link ties one shooting to a test-fired gun (links, but no series); its URL."""
    url = f"sqlite:///{folder / 'test_fire_only.sqlite'}"
    store = Store(url)
    import_text(store, folder, "incidents", INCIDENTS_CSV)
    import_text(store, folder, "firearms", FIREARMS_CSV)
    import_text(store, folder, "links", TEST_FIRE_ONLY_LINKS_CSV)
    return url


test_fire_only_store.__test__ = False  # type: ignore[attr-defined]  # a builder, not a test
