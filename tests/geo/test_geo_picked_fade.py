"""A picked series stands out on the map: the other series' incidents and links are marked to be faded.

The payloads say which rows belong to the picked series (``pickedSeries``,
``pickedLinks``); ``brassmap.js`` draws the rest faded
(``tests/browser/test_browser_layout.py`` checks the drawn opacities).
"""

from __future__ import annotations

import json

from geo.link_lines import link_payload
from geo.maps import MapData, MapOptions, build_map_spec
from tests.geo._geo_frames import firearm_frame, incident_frame, link_frame


def _payload(spec, builder: str) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(next(layer.payload for layer in spec.layers if layer.builder == builder))


def _between(payload: dict) -> list[str]:
    return next(field[1] for field in payload["fields"] if field[0] == "Between")


def test_picking_a_series_marks_its_links_first_and_the_others_to_fade() -> None:
    lines = link_payload(link_frame(), incident_frame(12), firearms=firearm_frame(), selected_series_id="S-2")
    picked = lines.payload["pickedLinks"]
    between = _between(lines.payload)
    assert picked == 2  # S-2's two links (00003-00004, 00004-00005)
    assert sorted(between[:picked]) == ["00003 \u2194 00004", "00004 \u2194 00005"]
    assert all(not text.startswith(("00003", "00004")) for text in between[picked:])
    assert len(between) == 5
    assert "pickedLinks" not in link_payload(link_frame(), incident_frame(12)).payload  # no pick: none fade


def test_the_map_of_a_picked_series_fades_every_other_incident() -> None:
    incidents = incident_frame(12)
    spec = build_map_spec(MapData(incidents, link_frame()), MapOptions(selected_series_id="S-1"))
    points = _payload(spec, "incidents")
    code = points["pickedSeries"]
    in_series = [i for i, series in enumerate(points["series"]) if series == code]
    assert in_series == [0, 1, 2]  # the three shootings of S-1; the rest (S-2, unlinked) fade
    assert _payload(spec, "links")["pickedLinks"] == 2  # S-1's two links (its test fire has no place here)
    plain = build_map_spec(MapData(incidents, link_frame()))
    assert "pickedSeries" not in _payload(plain, "incidents")
