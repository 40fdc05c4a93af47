"""The rejects report: every problem with its row, field, value, reason and severity.

Validation is lazy (as in pandera): all checks run on whole columns and every
problem is collected; a row with any ``error`` is rejected, ``warning`` rows
are kept. :meth:`Problems.frame` is the report users download.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S

ERROR = "error"
WARNING = "warning"
NOTICE_ROW = 0  # row number used for file-level notices (e.g. an encoding fallback)


class Problems:
    """Collect problems for a table of ``len(rows)`` records.

    Parameters
    ----------
    rows : ndarray of int
        User-facing 1-based row number of each record.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> p = Problems(np.array([2, 3, 4]))
    >>> p.add(np.array([False, True, False]), "latitude", pd.Series(["1", "91", "2"]), "above 90")
    >>> p.frame().to_dict("records")
    [{'row': 3, 'field': 'latitude', 'value': '91', 'reason': 'above 90', 'severity': 'error'}]
    >>> p.rejected.tolist()
    [False, True, False]
    """

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = np.asarray(rows, dtype=np.int64)
        self.rejected = np.zeros(len(self.rows), dtype=bool)
        self.warned = np.zeros(len(self.rows), dtype=bool)
        self.summary_notes: list[str] = []  # notices the import summary repeats (see :meth:`summary_note`)
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: np.ndarray | pd.Series,
        field: str,
        values: pd.Series | str | None,
        reason: str | pd.Series | np.ndarray,
        severity: str = ERROR,
    ) -> None:
        """Record one problem for every record where ``mask`` is true.

        ``values`` is the source text (a Series aligned with the records, or
        one string); ``reason`` one string or one per record.
        """
        mask = np.asarray(mask, dtype=bool)
        index = np.flatnonzero(mask)
        if index.size == 0:
            return
        if isinstance(values, pd.Series):
            shown = values.iloc[index].astype("string").fillna("").to_numpy(dtype=object)
        else:
            shown = np.full(index.size, "" if values is None else str(values), dtype=object)
        if isinstance(reason, str):
            reasons = np.full(index.size, reason, dtype=object)
        else:
            reasons = np.asarray(reason, dtype=object)[index]
        self._parts.append(
            pd.DataFrame(
                {
                    S.REJECT_ROW: self.rows[index],
                    S.REJECT_FIELD: field,
                    S.REJECT_VALUE: shown,
                    S.REJECT_REASON: reasons,
                    S.REJECT_SEVERITY: severity,
                }
            )
        )
        if severity == ERROR:
            self.rejected[index] = True
        else:
            self.warned[index] = True

    def notice(self, message: str, *, field: str = "", severity: str = WARNING) -> None:
        """Record a file-level notice (row 0), e.g. an encoding fallback."""
        self._parts.append(
            pd.DataFrame(
                {
                    S.REJECT_ROW: [NOTICE_ROW],
                    S.REJECT_FIELD: [field],
                    S.REJECT_VALUE: [""],
                    S.REJECT_REASON: [message],
                    S.REJECT_SEVERITY: [severity],
                }
            )
        )

    def summary_note(self, message: str, *, field: str = "") -> None:
        """Record a file-level notice that the import summary also prints (e.g. a field inferred)."""
        self.notice(message, field=field)
        self.summary_notes.append(message)

    def frame(self) -> pd.DataFrame:
        """The report, sorted by row then severity (errors first)."""
        return combine_reports(self._parts)


def empty_report() -> pd.DataFrame:
    """A rejects report with no rows and the right columns and dtypes."""
    return pd.DataFrame(
        {
            S.REJECT_ROW: pd.Series(dtype="int64"),
            S.REJECT_FIELD: pd.Series(dtype="string"),
            S.REJECT_VALUE: pd.Series(dtype="string"),
            S.REJECT_REASON: pd.Series(dtype="string"),
            S.REJECT_SEVERITY: pd.Series(dtype="string"),
        }
    )


def combine_reports(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate report pieces, sorted by row (errors before warnings)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_report()
    report = pd.concat(parts, ignore_index=True)
    report = report.sort_values([S.REJECT_ROW, S.REJECT_SEVERITY], kind="stable").reset_index(drop=True)
    report[S.REJECT_ROW] = report[S.REJECT_ROW].astype("int64")
    for column in (S.REJECT_FIELD, S.REJECT_VALUE, S.REJECT_REASON, S.REJECT_SEVERITY):
        report[column] = report[column].astype("string")
    return report
