from __future__ import annotations

import math

import pandas as pd
import pytest

from data.csv_out import neutralise_cell
from linking.addresses import generalise_address
from linking.exports._common import clean_value


@pytest.mark.parametrize(
    ("address", "block"),
    [
        ("1234 Main St", "1200 block of Main St"),
        ("1234A Main St", "1200 block of Main St"),
        ("1234-1236 W Grand Blvd", "1200 block of W Grand Blvd"),
        ("99 Oak Ave, Apt 4B", "0 block of Oak Ave"),
        ("4100 Poplar Ave Unit 7", "4100 block of Poplar Ave"),
        ("700 E 5th St #12", "700 block of E 5th St"),
        ("2500 block of Lagena Street", "2500 block of Lagena Street"),
        ("Schoolcraft Avenue and Telegraph Road", "Schoolcraft Avenue and Telegraph Road"),
        ("", ""),
    ],
)
def test_addresses_generalise_to_the_block(address: str, block: str) -> None:
    assert generalise_address(address) == block


def test_values_become_scalars_every_format_can_hold() -> None:
    assert clean_value(None) is None and clean_value(pd.NA) is None and clean_value(pd.NaT) is None
    assert clean_value(math.inf) is None
    assert clean_value(["a", None, 3]) == "a; 3"
    assert clean_value(pd.Timestamp("2019-01-02 03:04", tz="UTC")) == "2019-01-02T03:04:00+00:00"
    assert clean_value("tab\there\x00nul\x1bescape\ud800") == "tab\therenulescape"
    assert clean_value(True) is True and clean_value(7) == 7


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", "\x00x"])
def test_formula_like_cells_are_prefixed(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


def test_ordinary_cells_and_numbers_are_left_alone() -> None:
    assert neutralise_cell("Detroit") == "Detroit"
    assert neutralise_cell(-83.1) == -83.1 and neutralise_cell(None) is None
