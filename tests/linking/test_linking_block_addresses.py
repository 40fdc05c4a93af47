"""No exact house number in any default export, map popup or page (issue 10, item 7)."""

from __future__ import annotations

import html
import zipfile
from datetime import date
from io import BytesIO

import pandas as pd
import pytest

from data import schema as S
from data.addresses import generalise_address
from geo.layers import INCIDENT_FIELDS, encode_column
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.selection import select
from ui.drilldown import block_addresses

from .conftest import TinyFrames, make_incidents, make_links

HARD_FORMS = {
    "Rear of 1234 Main St": "1200 block of Main St",
    "Apt 5, 1234 Main St": "1200 block of Main St",
    "#12 1234 Main St": "1200 block of Main St",
    "N1234 Main St": "1200 block of Main St",
    "1234Main St": "1200 block of Main St",
    "1234 1/2 Main St": "1200 block of Main St",
    "1234 Main St, Apt 3": "1200 block of Main St",
    "Unit B - 1234 Main St": "1200 block of Main St",
    "near 1234 Main St 2F": "Main St",  # not understood: the street name only
    "Main St & 3rd Ave": "Main St & 3rd Ave",  # an intersection has no house number
}


@pytest.mark.parametrize(("address", "block"), HARD_FORMS.items())
def test_listed_forms_never_keep_the_house_number(address: str, block: str) -> None:
    assert generalise_address(address) == block


@pytest.fixture
def selection():
    incidents = make_incidents()
    forms = list(HARD_FORMS)[: len(incidents)]
    incidents[S.ADDRESS] = pd.array(forms, dtype="string")
    return select(TinyFrames(incidents=incidents, links=make_links()), Filters(), today=date(2019, 12, 31))


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_default_exports_hold_no_house_number(selection, name: str) -> None:
    data = EXPORTERS[name].export(selection)
    if name == "csv":
        with zipfile.ZipFile(BytesIO(data)) as bundle:
            text = "".join(bundle.read(n).decode("utf-8") for n in bundle.namelist())
    else:
        text = data.decode("utf-8")
    assert "1234" not in text
    assert "1200 block of Main St" in text


def test_the_map_popup_labelled_address_block_shows_the_block() -> None:
    frame = pd.DataFrame({S.ADDRESS: pd.array(list(HARD_FORMS), dtype="string")})
    (field,) = [f for f in INCIDENT_FIELDS if f.column == S.ADDRESS]
    label, values, _ = encode_column(frame, field, 200)
    assert label == "Address (block)"
    assert [html.unescape(v) for v in values] == list(HARD_FORMS.values())  # popups are HTML-escaped


def test_the_drilldown_table_shows_the_block() -> None:
    frame = pd.DataFrame({S.INCIDENT_ID: ["A", "B"], S.ADDRESS: ["Rear of 1234 Main St", None]})
    shown = block_addresses(frame)
    assert shown[S.ADDRESS].tolist()[0] == "1200 block of Main St"
    assert pd.isna(shown[S.ADDRESS].tolist()[1])
    assert frame[S.ADDRESS].tolist()[0] == "Rear of 1234 Main St"  # the input is not changed
