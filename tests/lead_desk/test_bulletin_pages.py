"""The bulletin holds to two pages for big series: tables cut with "and N more", every member still named."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from data import schema as S
from data.importer import import_file
from data.mapping import load_mapping
from data.store import Store
from linking.cli import main

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
PRESETS = Path(__file__).resolve().parents[2] / "data" / "presets"
SHOOTINGS = 40


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def _big_series_store(folder: Path) -> Store:
    """One Detroit series of 40 shootings: a chain of leads, every fifth one a hit, plus 9 cross links."""
    incidents = ["incident_id,city,occurred_at,latitude,longitude,incident_type,killed,injured,agency,"
                 "address"]
    for n in range(1, SHOOTINGS + 1):
        kind = "homicide,1,0" if n % 7 == 0 else "non_fatal_shooting,0,1"
        when = f"2019-{1 + n // 4:02d}-{1 + n % 4 * 7:02d} 21:00"
        where = f"{42.30 + n * 0.002:.3f},{-83.20 + n * 0.003:.3f}"
        incidents.append(f"BIG-{n:03d},Detroit,{when},{where},{kind},MI8234900,{n}00 Main St")
    links = ["link_id,incident_a,incident_b,status,lead_number,lead_date,confirmed_date"]
    pairs = [(n, n + 1) for n in range(1, SHOOTINGS)] + [(n, n + 3) for n in range(1, 37, 4)]
    for number, (a, b) in enumerate(pairs, start=1):
        hit = number % 5 == 0
        links.append(f"BL-{number:03d},BIG-{a:03d},BIG-{b:03d},{'hit' if hit else 'lead'},N-{number:04d},"
                     f"2019-12-01,{'2019-12-15' if hit else ''}")  # fmt: skip
    store = Store(f"sqlite:///{folder / 'big.sqlite'}")
    for kind, lines in (("incidents", incidents), ("links", links)):
        path = folder / f"{kind}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_file(path, load_mapping(PRESETS / f"brassmap_{kind}.toml"), store)
    return store


def test_a_40_shooting_series_holds_to_two_pages_and_names_every_member(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _big_series_store(tmp_path)
    assert main(["series", "--db", store.url, "--json"]) == 0
    (big,) = [r for r in json.loads(capsys.readouterr().out)["series"] if r[S.SERIES_SIZE] == SHOOTINGS]
    out = tmp_path / "big.pdf"
    assert main(["bulletin", "--series", big[S.SERIES_ID], "--out", str(out), "--db", store.url]) == 0
    assert _pages(out) == 2
    text = _text(out)
    flat = " ".join(text.split())
    for n in range(1, SHOOTINGS + 1):
        assert re.search(rf"\bBIG-{n:03d}\b", text), n
    assert re.search(r"and \d+ more shootings, not tabled", flat)
    assert re.search(r"and \d+ more leads and hits, not tabled", flat)
    assert "see the export" in flat
    assert all(p.count("LAW ENFORCEMENT SENSITIVE") == 2 for p in text.split("\f") if p.strip())
    assert "not an identification" in flat and "Generated at:" in flat  # caution and provenance kept


def test_the_biggest_demo_series_fits_two_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from data.demo import build_demo_store

    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    build_demo_store(store, seed=2019)  # the demo `make demo` builds (seed 2019, realistic yearly counts)
    assert main(["series", "--db", store.url, "--json"]) == 0
    biggest = max(json.loads(capsys.readouterr().out)["series"], key=lambda r: r[S.SERIES_SIZE])
    assert biggest[S.SERIES_SIZE] >= 20
    out = tmp_path / "biggest.pdf"
    assert main(["bulletin", "--series", biggest[S.SERIES_ID], "--out", str(out), "--db", store.url]) == 0
    assert 1 <= _pages(out) <= 2
    text = _text(out)
    for incident in biggest[S.INCIDENT_PATH].split("; "):
        assert incident in text, incident
