"""Write the upgrade tests' fixture: a small SQLite store made by a released brassmap's own code.

``python tools/make_release_store.py [--release 32f4621] [--out tests/data/fixtures/release_32f4621.sqlite]``

The release's tree is extracted with ``git archive`` into a temporary folder
(nothing in this checkout is touched, no worktree is registered) and its own
command line, run with this checkout's virtual environment, builds the store:

1. ``python -m data demo --incidents 80 --seed 7`` without real boundaries
   (the demo's generated city limits only, so the file stays small): 80
   incidents, their links, evidence, firearms, lead events, one import row;
2. ``python -m data import`` of three synthetic incidents (a UTC offset, a
   wall-clock time, an empty optional field) and of a two-area boundaries
   GeoJSON: two more import rows, and upserts into existing tables;
3. ``python -m linking series``: fills the series registry;
4. ``python -m linking lead set ... --event reviewed``: an analyst's lead event.

The file is then checkpointed out of WAL mode and vacuumed, so it is one
self-contained file (about 0.2 MB). The tests never rebuild it: the point is
that it was written by the old code, not by the code under test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RELEASE = "32f4621"
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "fixtures" / f"release_{RELEASE}.sqlite"

_INCIDENTS_CSV = (
    "incident_id,city,state,occurred_at,latitude,longitude,incident_type,killed,injured,agency,"
    "case_number,address,is_synthetic\n"
    "REL-1,Detroit,MI,2021-06-01T23:30:00-04:00,42.35,-83.06,homicide,1,0,MI8234900,C-1,"
    "1 Main St (synthetic),true\n"
    "REL-2,Detroit,MI,2021-06-02 01:15,42.36,-83.07,non_fatal_shooting,0,2,MI8234900,C-2,"
    "2 Main St (synthetic),true\n"
    "REL-3,Memphis,TN,2020-12-31T23:59:59Z,35.14,-90.05,shots_fired,0,,TN0790100,,,true\n"
)


def _square(lon: float, lat: float, size: float) -> list[list[list[float]]]:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def _boundaries_geojson() -> str:
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"Release area {i} (synthetic demo)", "city": "Detroit", "layer": "beats"},
            "geometry": {"type": "Polygon", "coordinates": _square(-83.1 + i * 0.02, 42.3, 0.02)},
        }
        for i in (1, 2)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


def _run(tree: Path, *args: str) -> None:
    command = [sys.executable, *args]
    print("$", " ".join(args))
    subprocess.run(command, cwd=tree, check=True)


def _first_link(db: Path) -> str:
    with closing(sqlite3.connect(db, isolation_level=None)) as connection:
        row = connection.execute("SELECT link_id FROM links ORDER BY link_id LIMIT 1").fetchone()
    return str(row[0])


def build(release: str, out: Path) -> Path:
    """Build the release store at ``out`` with the code of ``release``; return ``out``."""
    with tempfile.TemporaryDirectory(prefix="brassmap-release-") as scratch:
        tree = Path(scratch) / "tree"
        tree.mkdir()
        archive = Path(scratch) / "release.tar"
        with archive.open("wb") as handle:
            subprocess.run(["git", "archive", release], cwd=REPO_ROOT, stdout=handle, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(tree, filter="data")
        db = Path(scratch) / "store.sqlite"
        url = f"sqlite:///{db}"
        incidents = Path(scratch) / "incidents.csv"
        incidents.write_text(_INCIDENTS_CSV, encoding="utf-8")
        areas = Path(scratch) / "areas.geojson"
        areas.write_text(_boundaries_geojson(), encoding="utf-8")
        _run(tree, "-m", "data", "demo", "--db", url, "--incidents", "80", "--seed", "7",
             "--boundaries", str(Path(scratch) / "no-boundaries"))  # fmt: skip
        for path, mapping in ((incidents, "brassmap_incidents"), (areas, "brassmap_boundaries")):
            preset = f"data/presets/{mapping}.toml"
            _run(tree, "-m", "data", "import", str(path), "--mapping", preset, "--db", url)
        _run(tree, "-m", "linking", "series", "--db", url)
        _run(tree, "-m", "linking", "lead", "set", _first_link(db), "--event", "reviewed",
             "--by", "release analyst", "--date", "2021-07-01", "--db", url)  # fmt: skip
        with closing(sqlite3.connect(db, isolation_level=None)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode=DELETE")
        with closing(sqlite3.connect(db, isolation_level=None)) as connection:
            connection.execute("VACUUM")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, out)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: build the fixture and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", default=RELEASE, help=f"git revision of the release (default {RELEASE})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write it (default: fixture)")
    args = parser.parse_args(argv)
    out = build(args.release, args.out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes) with the code of {args.release}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
