"""brassmap's error family: one base, :class:`BrassmapError`, whose text is written for users.

Every message names the file, the 1-based row (as a spreadsheet shows it),
the column, the value, what was expected and what to do. The dashboard's
error guard (``ui/errors.py``) shows the text of a :class:`BrassmapError`
and nothing else: any other exception is an internal error, logged with a
short reference and shown as a generic message. The data layer's errors also
subclass :class:`ValueError`, so callers that catch ``ValueError`` keep
working.
"""

from __future__ import annotations

from typing import Any


class BrassmapError(Exception):
    """Base of brassmap's own errors: ``str(error)`` is a complete message for the user.

    Examples
    --------
    >>> issubclass(IngestError, BrassmapError), issubclass(StoreError, BrassmapError)
    (True, True)
    >>> BrassmapError("file x.csv, row 3: latitude 142 is not between -90 and 90").user_text
    'file x.csv, row 3: latitude 142 is not between -90 and 90'
    """

    @property
    def user_text(self) -> str:
        """The message shown to the user (the exception's text)."""
        return str(self)


class IngestError(BrassmapError, ValueError):
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


class DemoDataError(IngestError):
    """Real records would be mixed with the synthetic demo data (or the other way round)."""


class StoreError(BrassmapError, ValueError):
    """The database cannot be opened or written."""


class LeadEventError(BrassmapError, ValueError):
    """A lead event cannot be recorded: unknown lead or event, a missing recipient or reason, a bad date."""


class OutdatedStoreError(StoreError):
    """The store was written by another brassmap version: its schema must be upgraded (or brassmap must)."""
