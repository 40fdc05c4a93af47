"""Issue #15: map bugs an analyst would notice that the suite once let through.

Through the standalone HTML export and the map spec (plain data), not private helpers.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from data import schema as S
from geo.maps import MapData, build_map_spec
from geo.standalone import render_standalone_html
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.selection import select
from tests.geo._geo_frames import incident_frame
from tests.linking.conftest import TinyFrames, make_incidents, make_links

SECRETS = ("secret narrative", "SECRET123")


@pytest.fixture
def selection():
    frames = TinyFrames(incidents=make_incidents(), links=make_links())
    return select(frames, Filters(), today=date(2019, 12, 31))


def test_standalone_html_leaves_narratives_and_serials_out_by_default(selection) -> None:
    for html in (EXPORTERS["html"].export(selection), render_standalone_html(selection)):
        text = html.decode("utf-8")
        assert not [s for s in SECRETS if s in text]
    shown = EXPORTERS["html"].export(selection, include_sensitive=True).decode("utf-8")
    assert [s for s in SECRETS if s in shown] == list(SECRETS)


def test_map_draws_2500_link_lines_and_says_so_when_there_are_more() -> None:
    """The link-line cap is documented as 2,500: a silent change shows here."""
    incidents = incident_frame(600)
    ids = incidents[S.INCIDENT_ID].to_numpy()
    rng = np.random.default_rng(1)
    links = pd.DataFrame(
        {
            S.INCIDENT_A: ids[rng.integers(0, 600, 3_000)],
            S.INCIDENT_B: ids[rng.integers(0, 600, 3_000)],
            S.STATUS: ["lead"] * 3_000,
        }
    )
    spec = build_map_spec(MapData(incidents, links))
    assert (spec.summary.links_total, spec.summary.links_drawn) == (3_000, 2_500)
    assert len(json.loads(spec.layer("Links (lead dashed, hit solid)").payload)["status"]) == 2_500
    on_the_map = json.dumps(spec.skeleton())
    assert "Showing 2,500 of 3,000 links" in on_the_map
