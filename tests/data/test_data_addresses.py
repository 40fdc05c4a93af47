"""Addresses cut to the block (data.addresses): no house number or unit leaves the store by default.

Every export and map popup shows ``generalise_address``'s output unless exact addresses are asked for,
so these assert the exact text an analyst (or anyone the file is shared with) reads.
"""

from __future__ import annotations

import pytest

from data.addresses import generalise_address


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        # a block form that still carries a unit number is cut and rounded like a house number
        ("1234 block of Main St #5", "1200 block of Main St"),
        ("100 block of Main St #2", "100 block of Main St"),
        ("1000 block of Main St #5", "1000 block of Main St"),
        # a unit after a block form is dropped whole, word and number, as after a house number
        ("100 block of Main St Apt 2", "100 block of Main St"),
        ("100 BLOCK OF MAIN ST APT 2B", "100 block of MAIN ST"),
        ("1234 block of Main St Unit 3, Apt 4", "1200 block of Main St"),
        # the hundred is kept exactly (100 is the 100 block, not the 0 block)
        ("100 Main St", "100 block of Main St"),
        ("99 Main St", "0 block of Main St"),
        ("5050 Main St", "5000 block of Main St"),
        # ordinal street names and routes are street names, with or without trailing punctuation
        ("3rd Ave & Main St", "3rd Ave & Main St"),
        ("1234 W 3rd. St", "1200 block of W 3rd. St"),
        ("Woodward Ave, near I-94.", "Woodward Ave, near I-94."),
        # a form not understood keeps only the street words
        ("Lot 7 near 1234 Woodward Ave 2F by I-94.", "Woodward Ave by I-94."),
    ],
)
def test_the_text_an_export_shows_for_an_address(address: str, shown: str) -> None:
    assert generalise_address(address) == shown


def test_empty_and_blank_addresses_stay_empty() -> None:
    assert generalise_address("") == ""
    assert generalise_address("   ") == ""
    assert generalise_address(None) is None
