"""Issue #15: map bugs an analyst would notice that the suite once let through.

Through the standalone HTML export and the map spec (plain data), not private helpers.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo.standalone import render_standalone_html
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.selection import select
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
