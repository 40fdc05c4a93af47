"""The demo store's geography: real city limits, neighbourhoods and police districts from ../shared."""

from __future__ import annotations

from pathlib import Path

from data.demo import build_demo_store
from data.demo.real_boundaries import DEMO_BOUNDARY_FILES, PRESET_DIR
from data.frames import load_frames
from data.store import Store


def test_every_demo_boundary_file_has_its_preset() -> None:
    assert all((PRESET_DIR / f"{preset}.toml").is_file() for preset, _ in DEMO_BOUNDARY_FILES)


def test_demo_store_holds_real_areas_for_every_city_that_has_them(realdata: Path, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    written = build_demo_store(store, seed=7, incidents=300, boundaries_from=realdata / "boundaries")
    areas = load_frames(store).boundaries
    per_layer = areas.groupby("layer")["city"].agg(lambda cities: sorted(set(cities.astype(str))))
    seven = ["Albuquerque", "Baltimore", "Cleveland", "Detroit", "Kansas City", "Memphis", "Milwaukee"]
    assert per_layer["city_limits"] == seven
    assert per_layer["neighbourhoods"] == ["Albuquerque", "Baltimore", "Cleveland", "Detroit", "Kansas City",
                                           "Milwaukee"]  # fmt: skip
    assert per_layer["police_districts"] == ["Baltimore", "Cleveland", "Memphis", "Milwaukee"]
    assert (areas["layer"] == "city_limits").sum() == 7  # the census limits replace the generated outlines
    assert not areas["name"].astype(str).str.contains("synthetic demo").any()
    assert written["boundaries"] == len(areas)


def test_without_the_shared_folder_the_demo_keeps_its_generated_city_limits(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    build_demo_store(store, seed=7, incidents=300, boundaries_from=tmp_path / "no-such-folder")
    areas = load_frames(store).boundaries
    assert set(areas["layer"].astype(str)) == {"city_limits"} and len(areas) == 7
    assert areas["name"].astype(str).str.contains("synthetic demo").all()
