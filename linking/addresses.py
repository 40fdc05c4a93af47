"""Generalise street addresses to the block before they leave the dashboard."""

from __future__ import annotations

import re

_NUMBERED = re.compile(r"^\s*(\d{1,7})(?:[A-Za-z]|\s*[-/½]\s*\d*[A-Za-z]?)?\s+(?P<street>\S.*?)\s*$")
_BLOCK = re.compile(r"^\s*\d+\s+block\s+of\s+", re.IGNORECASE)
_UNIT = re.compile(
    r"[\s,]+(?:apt|apartment|unit|suite|ste|fl|floor|rm|room|lot|#)\.?\s*#?\s*[\w-]+\s*$", re.IGNORECASE
)


def generalise_address(address: str | None) -> str | None:
    """Return the block an address lies on ("1234 Main St" → "1200 block of Main St").

    House numbers round down to the hundred; a unit or apartment number is
    dropped. Text without a leading house number (an intersection, a place
    name, an address already given as a block) is returned unchanged.

    Examples
    --------
    >>> generalise_address("1234 Main St")
    '1200 block of Main St'
    >>> generalise_address("55 W Oak Ave Apt 3")
    '0 block of W Oak Ave'
    >>> generalise_address("1200 block of Main St")
    '1200 block of Main St'
    >>> generalise_address("Main St & 3rd Ave")
    'Main St & 3rd Ave'
    >>> generalise_address(None) is None
    True
    """
    if address is None:
        return None
    text = str(address).strip()
    if not text or _BLOCK.match(text):
        return text
    match = _NUMBERED.match(text)
    if match is None:
        return text
    street = match.group("street")
    while True:
        shorter = _UNIT.sub("", street)
        if shorter == street or not shorter.strip():
            break
        street = shorter
    block = int(match.group(1)) // 100 * 100
    return f"{block} block of {street.strip()}"
