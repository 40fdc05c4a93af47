"""Import a file: read it, validate every row, store what passed, report the rest.

:func:`read_validated` never writes; :func:`import_file` saves the batch in
one transaction and raises :class:`~data.errors.AllRowsRejectedError` (with
the report attached) when nothing survives.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data import schema as S
from data.archives import DEFAULT_LIMITS, Limits, sniff_format
from data.csv_out import write_csv
from data.demo_guard import DEMO_REMOVED
from data.errors import AllRowsRejectedError, IngestError
from data.mapping import Mapping
from data.parsing import utc_now
from data.problems import ERROR, NOTICE_ROW, WARNING, empty_report
from data.readers import read_source
from data.store import ImportSource, Store, sha256_of
from data.validation import StoreContext, validate

__all__ = ["ImportReport", "ValidatedBatch", "import_file", "read_validated", "sniff_format"]


@dataclass(frozen=True)
class ValidatedBatch:
    """The outcome of reading and validating one file (nothing stored yet).

    Attributes
    ----------
    records : dict
        Kind -> typed frame of the kept rows (with a ``row`` column).
    rejects : DataFrame
        Columns ``schema.REJECT_COLUMNS``: every error and warning.
    rows_read, rows_rejected, rows_stored, warnings : int
        ``rows_stored + rows_rejected == rows_read``; ``rows_stored`` counts
        input rows that went into the store (merged duplicates included).
    file_name, sha256, source_format : str
    notices : list of str
        File-level remarks (encoding fallback, reprojection).
    """

    records: dict[str, pd.DataFrame]
    rejects: pd.DataFrame
    rows_read: int
    rows_rejected: int
    warnings: int
    file_name: str
    sha256: str
    source_format: str
    notices: list[str] = field(default_factory=list)

    @property
    def rows_stored(self) -> int:
        """Input rows kept (stored, or merged into a stored row)."""
        return self.rows_read - self.rows_rejected


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, the rejects report and rows written per kind."""

    batch: ValidatedBatch
    written: dict[str, int]
    demo_removed: int = 0

    @property
    def read(self) -> int:
        return self.batch.rows_read

    @property
    def stored(self) -> int:
        return self.batch.rows_stored

    @property
    def rejected(self) -> int:
        return self.batch.rows_rejected

    @property
    def warnings(self) -> int:
        return self.batch.warnings

    @property
    def rejects(self) -> pd.DataFrame:
        return self.batch.rejects

    def summary(self) -> str:
        """One paragraph for the terminal or the upload page."""
        text = summarise(self.batch, self.written)
        if self.demo_removed:
            text += f"\nreplaced the synthetic demo: {self.demo_removed:,} demo records removed"
        return text


def summarise(batch: ValidatedBatch, written: dict[str, int] | None = None) -> str:
    """Human summary of a batch: read / stored / rejected / warnings, top reasons, notices."""
    lines = [
        f"{batch.file_name}: read {batch.rows_read:,} rows, stored {batch.rows_stored:,}, "
        f"rejected {batch.rows_rejected:,}, warnings {batch.warnings:,}"
    ]
    if written:
        lines.append("written: " + ", ".join(f"{n:,} {kind}" for kind, n in written.items()))
    errors = batch.rejects[batch.rejects[S.REJECT_SEVERITY] == ERROR]
    if len(errors):
        top = errors[S.REJECT_REASON].str.replace(r"row \d+", "row N", regex=True).value_counts().head(5)
        lines.append("top reasons for rejection:")
        lines.extend(f"  {count:,} × {reason}" for reason, count in top.items())
    warned = batch.rejects[(batch.rejects[S.REJECT_SEVERITY] == WARNING) & (batch.rejects[S.REJECT_ROW] > 0)]
    if len(warned):
        top = warned[S.REJECT_REASON].str.replace(r"\d+ km", "N km", regex=True)
        top = top.str.replace(r"row \d+", "row N", regex=True).value_counts().head(3)
        lines.append("warnings (rows kept):")
        lines.extend(f"  {count:,} × {reason}" for reason, count in top.items())
    lines.extend(f"note: {notice}" for notice in batch.notices)
    return "\n".join(lines)


def store_context(store: Store | None, kind: str) -> StoreContext:
    """Collect what validation of ``kind`` needs from the store."""
    if store is None:
        return StoreContext(has_store=False)
    context: dict[str, object] = {}
    if kind in (S.LINKS, S.EVIDENCE):
        context["incident_ids"] = store.ids(S.INCIDENTS)
        context["firearm_ids"] = store.ids(S.FIREARMS)
    if kind == S.LINKS:
        cols = (S.EVIDENCE_ID, S.EVIDENCE_KIND, S.INCIDENT_ID, S.FIREARM_ID)
        context["evidence"] = store.read_table(S.EVIDENCE, cols).astype("string")
    if kind in (S.INCIDENTS, S.FIREARMS):
        context["city_limits"] = store.city_limits()
    return StoreContext(**context)  # type: ignore[arg-type]


def read_validated(
    path: str | Path,
    mapping: Mapping,
    *,
    display_name: str | None = None,
    store: Store | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ValidatedBatch:
    """Read and validate a file without writing anything.

    Parameters
    ----------
    path : str or Path
        The file (sniffed by content; the extension is ignored).
    mapping : Mapping
        How its columns map to schema fields.
    display_name : str, optional
        Name used in messages (an uploaded file's name); never used as a path.
    store : Store, optional
        Consulted for orphan checks and city limits; never written.
    limits : Limits, optional
        Size, archive and ratio limits.

    Raises
    ------
    IngestError
        The file cannot be read at all (format, encoding, ragged rows,
        duplicate columns, missing mapped columns, unsafe archive).
    """
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise IngestError(f"{name}: file not found or not a regular file")
    with tempfile.TemporaryDirectory(prefix="brassmap-import-") as work:
        raw = read_source(path, mapping, display_name=name, workdir=Path(work), limits=limits)
        records, problems = validate(
            raw, mapping, display_name=name, context=store_context(store, mapping.kind), now=utc_now()
        )
    report = problems.frame()
    if report.empty:
        report = empty_report()
    rows_read = len(raw.rows)
    notices = int((report[S.REJECT_ROW] == NOTICE_ROW).sum())
    warnings = int((problems.warned & ~problems.rejected).sum()) + notices
    return ValidatedBatch(
        records={mapping.kind: records},
        rejects=report,
        rows_read=rows_read,
        rows_rejected=int(problems.rejected.sum()),
        warnings=warnings,
        file_name=name,
        sha256=sha256_of(path),
        source_format=raw.source_format,
        notices=[*raw.notices, *problems.summary_notes],
    )


def import_file(
    path: str | Path,
    mapping: Mapping,
    store: Store,
    *,
    display_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    replace_demo: bool = False,
) -> ImportReport:
    """Read, validate and store a file in one transaction.

    Re-importing the same file changes nothing (upsert by id). If the file
    fails to read, or every row is rejected, the store is left as it was.
    Real records are not mixed into a store holding the synthetic demo
    (:class:`~data.errors.DemoDataError`) unless ``replace_demo`` asks to
    delete the demo in the same transaction.

    Raises
    ------
    AllRowsRejectedError
        Every row was rejected; ``.report`` holds the :class:`ImportReport`.
    IngestError
        The file cannot be read (see :func:`read_validated`).
    """
    batch = read_validated(path, mapping, display_name=display_name, store=store, limits=limits)
    if batch.rows_read == 0:
        raise IngestError(f"{batch.file_name}: the file has a header but no data rows; nothing to import")
    if batch.rows_stored == 0:
        report = ImportReport(batch, {})
        reasons = batch.rejects[batch.rejects[S.REJECT_SEVERITY] == ERROR][S.REJECT_REASON]
        top = reasons.value_counts().head(1)
        main = f" (most common reason: {top.index[0]!r}, {int(top.iloc[0]):,} rows)" if len(top) else ""
        raise AllRowsRejectedError(
            f"{batch.file_name}: every one of the {batch.rows_read:,} rows was rejected{main}; nothing was "
            "stored. See the rejects report for each row's reason.",
            report,
        )
    records = {kind: frame.drop(columns=[S.REJECT_ROW]) for kind, frame in batch.records.items()}
    source = ImportSource(
        file_name=batch.file_name,
        sha256=batch.sha256,
        rows_read=batch.rows_read,
        rows_stored=batch.rows_stored,
        rows_rejected=batch.rows_rejected,
        warnings=batch.warnings,
    )
    written = store.save(records, source=source, replace_demo=replace_demo)
    removed = written.pop(DEMO_REMOVED, 0)
    return ImportReport(batch, written, demo_removed=removed)


def write_rejects(report: pd.DataFrame, path: str | Path) -> Path:
    """Write a rejects report as CSV (columns row, field, value, reason, severity).

    Written by :func:`data.csv_out.write_csv`, the one formula-safe CSV writer
    (the Import tab's download uses the same rules).
    """
    return write_csv(report, path)
