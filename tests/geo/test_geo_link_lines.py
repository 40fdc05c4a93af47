"""Link lines: end points looked up by id, caps, order, test fires."""

from __future__ import annotations

import pandas as pd

from data import schema as S
from geo.link_lines import link_payload
from geo.palette import LINK_STYLES
from tests.geo._geo_frames import firearm_frame, incident_frame, link_frame


def test_a_test_fire_link_ends_at_the_recovered_firearm() -> None:
    lines = link_payload(link_frame(), incident_frame(12), firearms=firearm_frame())
    assert lines.drawn == 5 and lines.unplaced == 0
    coords = lines.payload["coords"]
    ends = [tuple(coords[i : i + 4]) for i in range(0, len(coords), 4)]
    assert any(end[2:] == (-83.05, 42.35) for end in ends)  # F-1's recovery place
    between = next(f for f in lines.payload["fields"] if f[0] == "Between")[1]
    assert "00002 \u2194 firearm F-1" in between


def test_links_to_unknown_incidents_are_counted_not_drawn() -> None:
    links = link_frame()
    links.loc[0, S.INCIDENT_B] = "99999"
    lines = link_payload(links, incident_frame(12))  # no firearms: the test fire has no place either
    assert lines.drawn == 3
    assert lines.unplaced == 2


def test_under_a_cap_the_selected_series_comes_first_then_hits() -> None:
    incidents = incident_frame(12)
    links = pd.DataFrame(
        {
            S.INCIDENT_A: ["00006", "00007", "00003", "00000"],
            S.INCIDENT_B: ["00008", "00009", "00004", "00001"],
            S.STATUS: ["hit", "hit", "lead", "lead"],
        }
    )
    lines = link_payload(links, incidents, selected_series_id="S-2", max_links=2)
    between = next(f for f in lines.payload["fields"] if f[0] == "Between")[1]
    assert between == ["00003 \u2194 00004", "00006 \u2194 00008"]
    hit, lead = list(LINK_STYLES).index("hit"), list(LINK_STYLES).index("lead")
    assert lines.payload["status"] == [lead, hit]
    assert lines.total == 4 and lines.drawn == 2
