"""Import in the browser: upload, choose how to read it (ui.import_mapping), preview, import; start clean.

The upload's name is only shown, never used as a path: the bytes go to a
fresh temporary folder under a fixed name whose suffix comes from the
sniffed content. The uploader's size limit is ``server.maxUploadSize`` in
``.streamlit/config.toml``; the data layer checks sizes and archives again.

Every problem with a file is shown with the same text ``python -m data
import`` prints (the data layer's :class:`~data.errors.BrassmapError`); the
panel is a guarded fragment, so even its own reruns never end in Streamlit's
"This app has encountered an error". Real records are not mixed into the
synthetic demo: the panel offers to replace the demo in the import's
transaction, and to empty the database.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from data import schema as S
from data.audit import import_details
from data.csv_out import csv_bytes
from data.demo_guard import batch_mix, mix_of
from data.errors import AllRowsRejectedError, BrassmapError, UnsupportedFormatError
from data.importer import ValidatedBatch, import_file, read_validated, sniff_format, summarise
from data.mapping import Mapping
from data.store import Store, sha256_of
from ui import audit_log
from ui.errors import guarded_fragment, report_exception
from ui.import_mapping import choose_mapping, file_columns, forget_choices
from ui.loading import clear_frames, record_counts, store_for
from ui.text import md

LOG = logging.getLogger("brassmap.ui")
SAFE_SUFFIX = {
    "csv": ".csv", "gzip": ".gz", "zip": ".zip", "xlsx": ".xlsx", "xls": ".xls", "parquet": ".parquet",
    "geojson": ".geojson", "gpkg": ".gpkg", "shp": ".shp",
}  # fmt: skip
K_RESULT = "import_result"
K_FILES = "import_files"
K_CONFIRM_RESET = "reset_confirm"
IMPORT_LABEL = "Import into the database"
REPLACE_LABEL = "Replace the demo data and import"
RESET_LABEL = "Empty the database"


def store_upload(data: bytes, *, tmp_root: Path | None = None) -> Path:
    """Write uploaded bytes to a new temp folder as ``upload<suffix>``; the suffix comes from the content.

    The user's file name plays no part, so ``../../x.csv`` cannot escape.
    """
    folder = Path(tempfile.mkdtemp(prefix="brassmap-upload-", dir=tmp_root))
    raw = folder / "upload.bin"
    raw.write_bytes(data)
    try:
        kind = sniff_format(raw)
    except UnsupportedFormatError:  # reading it says so, naming the user's file
        kind = "unsupported"
    target = folder / f"upload{SAFE_SUFFIX.get(kind, '.bin')}"
    raw.rename(target)
    return target


def _uploaded_path(upload: UploadedFile) -> tuple[Path, str]:
    """Return the temp file of an upload and its digest, written once per upload (not on every rerun).

    Only the latest upload's folder is kept; an earlier one is removed, and
    the choices made for it are forgotten.
    """
    digest = hashlib.sha256(upload.getvalue()).hexdigest()
    kept: dict[str, str] = st.session_state.get(K_FILES, {})
    if digest in kept and Path(kept[digest]).exists():
        return Path(kept[digest]), digest
    for old in kept.values():
        shutil.rmtree(Path(old).parent, ignore_errors=True)
    if kept:
        forget_choices()
    path = store_upload(upload.getvalue())
    st.session_state[K_FILES] = {digest: str(path)}
    return path, digest


def _rejects_ui(rejects: pd.DataFrame | None, *, key: str) -> None:
    if rejects is None or rejects.empty:
        st.success("No rejected or warned rows.")
        return
    errors = int((rejects[S.REJECT_SEVERITY] == "error").sum())
    st.markdown(f"**Rejects report:** {errors:,} rejected rows, {len(rejects) - errors:,} warnings")
    st.dataframe(rejects, hide_index=True, width="stretch", height=min(400, 40 + 35 * len(rejects)))
    st.download_button(
        "Download the rejects report (CSV)",
        data=csv_bytes(rejects),  # the one formula-safe writer (data.csv_out), as the command line
        file_name="rejects.csv",
        mime="text/csv",
        key=f"rejects_{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def _show_last_result() -> None:
    result = st.session_state.get(K_RESULT)
    if not result:
        return
    (st.success if result["ok"] else st.error)(md(result["summary"]))
    if result.get("rejects") is not None:
        _rejects_ui(result["rejects"], key="last")


def _import(path: Path, mapping: Mapping, store: Store, display_name: str, *, replace_demo: bool) -> None:
    """Import and keep the outcome for the next run; the page then reloads on the new data."""
    details: dict[str, Any] = {"file_name": display_name, "kind": mapping.kind, "replace_demo": replace_demo}
    try:
        report = import_file(path, mapping, store, display_name=display_name, replace_demo=replace_demo)
    except AllRowsRejectedError as exc:
        rejects = getattr(exc.report, "rejects", None)
        st.session_state[K_RESULT] = {"ok": False, "summary": exc.user_text, "rejects": rejects}
        refused = import_details(exc.report, **details, sha256=sha256_of(path), error=str(exc))
        audit_log.record("import", refused)
    except BrassmapError as exc:  # the same text as `python -m data import`
        LOG.warning("import of %s refused: %s", display_name, exc)
        st.session_state[K_RESULT] = {"ok": False, "summary": exc.user_text, "rejects": None}
        audit_log.record("import", import_details(None, **details, sha256=sha256_of(path), error=str(exc)))
    else:
        LOG.info("imported %s: %s", display_name, report.summary())
        st.session_state[K_RESULT] = {"ok": True, "summary": report.summary(), "rejects": report.rejects}
        audit_log.record("import", import_details(report, **details, sha256=report.batch.sha256))
    clear_frames()
    st.rerun(scope="app")


def _import_buttons(
    path: Path, mapping: Mapping, store: Store, batch: ValidatedBatch, display_name: str
) -> None:
    held = mix_of(store)
    incoming = batch_mix(batch.records)
    if incoming.holds_real and held.holds_demo:
        st.warning(
            f"This database holds the **synthetic demo data** ({held.synthetic:,} demo records), and "
            f"{md(display_name)} holds real records: they are not mixed (the demo banner and every "
            "export's synthetic mark would cover them). Replace the demo with this file: the demo's "
            "records are deleted in the same transaction as the import.",
            icon=":material/science:",
        )
        if st.button(REPLACE_LABEL, type="primary", key="import_replace", icon=":material/swap_horiz:"):
            with st.spinner("Replacing the demo data..."):
                _import(path, mapping, store, display_name, replace_demo=True)
        return
    if st.button(IMPORT_LABEL, type="primary", key="import_go", icon=":material/upload:"):
        with st.spinner("Importing..."):
            _import(path, mapping, store, display_name, replace_demo=False)


def _start_clean_ui(store: Store) -> None:
    """Empty the database from the tab (as ``python -m data reset --yes``), after a confirmation."""
    with st.expander("Start clean: empty this database"):
        held = record_counts(store.url, store.dataset_version())
        described = ", ".join(f"{n:,} {kind}" for kind, n in held.items())
        st.caption(
            f"Deletes every record ({described}), the import history and the series ids. The dashboard then "
            "stays empty until you import your files (it does not bring the demo back)."
        )
        confirmed = st.checkbox("Yes, delete everything in this database", key=K_CONFIRM_RESET)
        if st.button(RESET_LABEL, disabled=not confirmed, key="reset_go", icon=":material/delete_forever:"):
            store.clear()
            audit_log.record("reset", {"removed": held})
            LOG.info("database emptied from the Import tab: %s", described)
            st.session_state.pop(K_CONFIRM_RESET, None)
            st.session_state[K_RESULT] = {
                "ok": True,
                "summary": f"Emptied the database: removed {described}. Import your files above.",
                "rejects": None,
            }
            clear_frames()
            st.rerun(scope="app")


def _preview_and_import(
    path: Path, mapping: Mapping, store: Store, display_name: str, *, shown: str | None
) -> None:
    try:
        with st.spinner("Reading and checking the file..."):
            batch = read_validated(path, mapping, display_name=display_name, store=store)
    except BrassmapError as exc:  # the same text as `python -m data import`
        if exc.user_text != shown:  # not the problem already shown above
            report_exception("import", exc)
        return
    st.markdown(f"**Preview** of {md(display_name)} as {mapping.kind}: {md(summarise(batch))}")
    records = batch.records.get(mapping.kind)
    if records is not None:
        st.dataframe(records.head(20), hide_index=True, width="stretch")
    _rejects_ui(batch.rejects, key="preview")
    _import_buttons(path, mapping, store, batch, display_name)


@guarded_fragment("import")
def import_panel(db_url: str) -> None:
    """Draw the import panel; a successful import reloads the page on the new data."""
    _show_last_result()
    store = store_for(db_url)
    upload = st.file_uploader(
        "Data file (CSV, Excel, Parquet, GeoJSON, GeoPackage, zipped shapefile; checked by content)",
        key="import_upload",
    )
    if upload is not None:
        path, digest = _uploaded_path(upload)
        found = file_columns(path, upload.name, digest)
        if found.problem:
            st.error(md(found.problem))
        try:
            mapping = choose_mapping(upload.name, found)
        except BrassmapError as exc:
            report_exception("import", exc)
            mapping = None
        if mapping is not None:
            _preview_and_import(path, mapping, store, upload.name, shown=found.problem)
    _start_clean_ui(store)
