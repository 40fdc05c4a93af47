"""The all-city map keeps every boundary kind the demo holds, neighbourhoods included, within the page budget.

The seven cities' real boundaries (``../shared/realdata/boundaries``, imported
through the presets as ``make demo`` does): 7 city limits, 30 police districts
and 972 neighbourhoods. Each kind used to get a third of the area budget, so
the neighbourhoods were left out of the first view; the kinds with fewest
areas now go first and leave what they do not need to the next.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data.demo.real_boundaries import import_demo_boundaries
from data.frames import load_frames
from data.store import Store
from geo.maps import AREA_BUDGET, MAX_HTML_BYTES
from geo.page import page_size
from tests.geo._geo_frames import build_map, incident_frame, link_frame


@pytest.fixture(scope="module")
def seven_cities_boundaries(realdata: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('areas') / 'areas.sqlite'}")
    import_demo_boundaries(store, realdata / "boundaries")
    return load_frames(store).boundaries


def test_the_seven_cities_map_draws_neighbourhoods_districts_and_city_limits(seven_cities_boundaries) -> None:  # type: ignore[no-untyped-def]
    spec = build_map(incident_frame(50), link_frame(), boundaries=seven_cities_boundaries)
    areas = {layer.name: json.loads(layer.payload) for layer in spec.layers if layer.builder == "areas"}
    assert {name: len(payload["features"]) for name, payload in areas.items()} == {
        "City limits": 7,
        "Neighbourhoods": 972,
        "Police districts": 30,
    }
    assert not any("too many to draw" in note for note in spec.notes), spec.notes
    drawn = sum(layer.size for layer in spec.layers if layer.builder == "areas")
    assert drawn <= 2 * AREA_BUDGET
    assert page_size(spec, asset_mode="inline") < MAX_HTML_BYTES
    legend = json.dumps(spec.legend)
    assert all(name in legend for name in areas)
