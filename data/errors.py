"""Exception types of the data layer.

Every message names the file, the 1-based row (as a spreadsheet shows it),
the column, the value, what was expected and what to do. All subclass
:class:`ValueError` so callers can catch one family.
"""

from __future__ import annotations

from typing import Any


class IngestError(ValueError):
    """A file could not be read or imported; the store is left unchanged."""


class MappingError(IngestError):
    """A mapping file (TOML) is malformed or names unknown kinds or fields."""


class ArchiveError(IngestError):
    """An archive or compressed file is unsafe or too large to open."""


class UnsupportedFormatError(IngestError):
    """The file's content is not one of the formats brassmap reads."""


class AllRowsRejectedError(IngestError):
    """Every row of a file was rejected; nothing was stored.

    The rejects report stays available on :attr:`report` so the command line
    can still write it.
    """

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class StoreError(ValueError):
    """The database cannot be opened or written."""


class LeadEventError(ValueError):
    """A lead event cannot be recorded: unknown lead or event, a missing recipient or reason, a bad date."""
