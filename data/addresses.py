"""Generalise street addresses to the block, so no exact house number leaves the store by default.

Lives in ``data`` (plain text rules, no I/O) so that both the map popups
(``geo``) and the exports (``linking``) use the same rule.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r"^\s*(\d+)\s+block\s+of\s+(?P<street>.+?)\s*$", re.IGNORECASE)
# words before the house number: "Rear of", "Behind", "Front", "Near", a unit ("Apt 5,", "#12", "Unit B -")
_LEADING = re.compile(
    r"^\s*(?:(?:rear|front|behind|near|side|corner)(?:\s+of)?\b|"
    r"(?:apt|apartment|unit|suite|ste|fl|floor|rm|room|lot|no)\.?\s*#?\s*[\w-]+|#\s*[\w-]+)\s*[,:;-]?\s*",
    re.IGNORECASE,
)
# a house number: optional grid prefix (N1234), digits, a letter or a range or a fraction (1234A, 1234-36,
# 1234 1/2, 1234½), then the street, which may follow without a space (1234Main St)
_NUMBERED = re.compile(
    r"^(?:[NSEW](?=\d))?(?P<number>\d{1,7})(?:[A-Za-z](?=[\s,]))?(?:\s*-\s*\d+[A-Za-z]?)?"
    r"(?:\s+\d+/\d+|\s*½)?[\s,]*(?P<street>(?:\d+(?:st|nd|rd|th)\b|[^\d\s]).*?)\s*$"
)
_ORDINAL_START = re.compile(r"^\s*\d+(?:st|nd|rd|th)\b", re.IGNORECASE)
_UNIT = re.compile(
    r"[\s,]+(?:apt|apartment|unit|suite|ste|fl|floor|rm|room|lot|#)\.?\s*#?\s*[\w-]+\s*$", re.IGNORECASE
)
# a token holding a digit that is not an ordinal street name (3rd, 42nd) or a route (I-94, US-41)
_NUMBER_TOKEN = re.compile(r"^(?!\d+(?:st|nd|rd|th)$)(?![A-Za-z]{1,3}-\d+$).*\d", re.IGNORECASE)


def _street_only(text: str) -> str:
    """Keep the words without a house-like number (the street name), when the form is not understood."""
    words = [w for w in re.split(r"[\s,]+", text) if w and not _NUMBER_TOKEN.match(w.strip("#.,;:"))]
    return " ".join(words)


def _strip_units(street: str) -> str:
    while True:
        shorter = _UNIT.sub("", street)
        if shorter == street or not shorter.strip():
            return street.strip()
        street = shorter


def generalise_address(address: str | None) -> str | None:
    """Return the block an address lies on ("1234 Main St" → "1200 block of Main St").

    House numbers round down to the hundred; units, "rear of" and similar
    words are dropped. Text without a house number (an intersection, a place
    name, a block) is kept; text whose form is not understood keeps only
    its words without digits (the street name), never a house number.

    Examples
    --------
    >>> generalise_address("1234 Main St")
    '1200 block of Main St'
    >>> generalise_address("55 W Oak Ave Apt 3")
    '0 block of W Oak Ave'
    >>> [generalise_address(a) for a in ("Rear of 1234 Main St", "Apt 5, 1234 Main St", "#12 1234 Main St")]
    ['1200 block of Main St', '1200 block of Main St', '1200 block of Main St']
    >>> [generalise_address(a) for a in ("N1234 Main St", "1234Main St", "1234 1/2 Main St")]
    ['1200 block of Main St', '1200 block of Main St', '1200 block of Main St']
    >>> generalise_address("1200 block of Main St")
    '1200 block of Main St'
    >>> generalise_address("Main St & 3rd Ave")
    'Main St & 3rd Ave'
    >>> generalise_address("Lot 7 near 1234 Main St 2F")
    'Main St'
    >>> generalise_address(None) is None
    True
    """
    if address is None:
        return None
    text = str(address).strip()
    if not text:
        return text
    block = _BLOCK.match(text)
    if block is not None:
        street = block.group("street")
        if not any(_NUMBER_TOKEN.match(w) for w in street.split()):
            return text
        return f"{int(block.group(1)) // 100 * 100} block of {_street_only(_strip_units(street))}"
    rest = text
    while True:
        shorter = _LEADING.sub("", rest, count=1)
        if shorter == rest or not shorter.strip():
            break
        rest = shorter
    match = None if _ORDINAL_START.match(rest) else _NUMBERED.match(rest)
    if match is not None:
        street = _strip_units(match.group("street"))
        if street and not any(_NUMBER_TOKEN.match(w.strip("#.,;:")) for w in street.split()):
            return f"{int(match.group('number')) // 100 * 100} block of {street}"
    if not any(_NUMBER_TOKEN.match(w.strip("#.,;:")) for w in re.split(r"[\s,]+", text) if w):
        return text
    return _street_only(_strip_units(rest))
