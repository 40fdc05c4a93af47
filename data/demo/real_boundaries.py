"""Real geography for the demo store: city limits, neighbourhoods and police districts, read in place.

The project ships a mapping preset (``data/presets/``) for every public
boundary file in ``../shared/realdata/boundaries/``. :func:`import_demo_boundaries`
imports each file that is there through its preset, straight from where it
lies (nothing is copied into the repository). Without the folder the demo
keeps its own generated city limits (:func:`data.demo.geography.boundaries_frame`)
and the caller says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from data.errors import IngestError

if TYPE_CHECKING:
    from data.store import Store

PRESET_DIR = Path(__file__).resolve().parents[1] / "presets"
DEFAULT_FOLDER = Path(__file__).resolve().parents[2].parent / "shared" / "realdata" / "boundaries"
# (preset, file) for every city that has the boundary kind; census city limits first
DEMO_BOUNDARY_FILES: tuple[tuple[str, str], ...] = (
    ("census_places", "city_limits_census_cb2015_seven_cities.geojson"),
    ("neighbourhoods_albuquerque", "neighborhoods_cth_albuquerque.geojson"),
    ("neighbourhoods_baltimore", "neighborhoods_cth_baltimore.geojson"),
    ("neighbourhoods_cleveland", "neighborhoods_cth_cleveland.geojson"),
    ("neighbourhoods_detroit", "neighborhoods_cth_detroit.geojson"),
    ("neighbourhoods_kansas_city", "neighborhoods_cth_kansas-city.geojson"),
    ("neighbourhoods_milwaukee", "neighborhoods_cth_milwaukee.geojson"),
    ("police_baltimore_districts_2023", "police_baltimore_districts_2023.geojson"),
    ("police_cleveland_districts", "police_cleveland_districts.geojson"),
    ("police_memphis_precincts", "police_memphis_precincts.geojson"),
    ("police_milwaukee_districts", "police_milwaukee_districts.geojson"),
)


@dataclass(frozen=True)
class DemoGeography:
    """What :func:`import_demo_boundaries` found.

    Attributes
    ----------
    imported : dict of str to int
        Areas stored per file name.
    missing : tuple of str
        Files not in the folder.
    failed : dict of str to str
        Files that could not be imported, with the reason.
    """

    imported: dict[str, int]
    missing: tuple[str, ...]
    failed: dict[str, str]


def real_boundary_files(folder: Path) -> list[Path]:
    """The demo's boundary files present in ``folder`` (empty when it does not exist)."""
    return [folder / name for _, name in DEMO_BOUNDARY_FILES if (folder / name).is_file()]


def import_demo_boundaries(store: Store, folder: Path = DEFAULT_FOLDER) -> DemoGeography:
    """Import every demo boundary file found in ``folder`` through its preset.

    A file that fails to import is reported in ``failed``; the others are still stored.
    """
    from data.importer import import_file
    from data.mapping import load_mapping

    imported: dict[str, int] = {}
    missing: list[str] = []
    failed: dict[str, str] = {}
    for preset, name in DEMO_BOUNDARY_FILES:
        path = folder / name
        if not path.is_file():
            missing.append(name)
            continue
        try:
            report = import_file(path, load_mapping(PRESET_DIR / f"{preset}.toml"), store)
        except (IngestError, OSError) as error:
            failed[name] = str(error)
            continue
        imported[name] = int(report.stored)
    return DemoGeography(imported, tuple(missing), failed)
