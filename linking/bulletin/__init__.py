"""The series bulletin: a one- or two-page PDF for investigators (``python -m linking bulletin``).

:func:`build_bulletin` gathers one series of a selection
(:mod:`linking.bulletin.content`), draws its map, link chart and timeline as
vector graphics (:mod:`linking.bulletin.figures`) and lays them out with the
marking, the lead caution, the incident and link tables and the provenance
(:mod:`linking.bulletin.document`). It returns bytes; the caller writes them
and prints :func:`sha256_hex`.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from linking.bulletin.content import BulletinContent, BulletinError, gather
from linking.bulletin.document import MARKING, render

__all__ = [
    "MARKING", "BulletinContent", "BulletinError", "build_bulletin", "bulletin_file_name", "sha256_hex",
]  # fmt: skip


def build_bulletin(
    selection: Any,
    series_id: str,
    *,
    events: pd.DataFrame,
    generated_by: str,
    generated_at: datetime | None = None,
    include_sensitive: bool = False,
) -> bytes:
    """The bulletin of ``series_id`` in ``selection`` as PDF bytes.

    Parameters
    ----------
    selection : linking.selection.Selection
        A selection holding the series (the dashboard's, or the CLI's filter).
    series_id : str
        The series, as the selection names it.
    events : DataFrame, keyword-only
        :func:`data.lead_events.read_events` (dissemination and confirmation dates).
    generated_by : str, keyword-only
        Who made it (printed in the provenance).
    generated_at : datetime, keyword-only
        Default now (UTC).
    include_sensitive : bool, keyword-only
        Print narratives, serial numbers and exact addresses (off by default).

    Raises
    ------
    BulletinError
        The series is not in the selection.
    """
    when = generated_at or datetime.now(UTC)
    content = gather(selection, series_id, events=events, generated_by=generated_by, generated_at=when,
                     include_sensitive=include_sensitive)  # fmt: skip
    return render(content)


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of the bulletin bytes (printed so a recipient can check the file)."""
    return hashlib.sha256(data).hexdigest()


def bulletin_file_name(series_id: str) -> str:
    """A safe download name, e.g. ``bulletin-S-D1.pdf``."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in series_id)
    return f"bulletin-{safe}.pdf"
