"""Import in the browser: upload, mapping (preset, uploaded TOML or built here), preview, import.

The upload's name is only shown, never used as a path: the bytes go to a
fresh temporary folder under a fixed name whose suffix comes from the
sniffed content. The uploader's size limit is ``server.maxUploadSize`` in
``.streamlit/config.toml``; the data layer checks sizes and archives again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from data import schema as S
from data.csv_out import csv_bytes
from data.errors import AllRowsRejectedError
from data.importer import import_file, read_validated, sniff_format, summarise
from data.mapping import Mapping, load_mapping, parse_mapping
from data.readers import read_source
from ui.errors import guarded_fragment
from ui.loading import frames_for, store_for
from ui.text import md

LOG = logging.getLogger("brassmap.ui")
PRESETS_DIR = Path(__file__).resolve().parent.parent / "data" / "presets"
SAFE_SUFFIX = {
    "csv": ".csv", "gzip": ".gz", "zip": ".zip", "xlsx": ".xlsx", "xls": ".xls", "parquet": ".parquet",
    "geojson": ".geojson", "gpkg": ".gpkg", "shp": ".shp",
}  # fmt: skip
MAP_PRESET = "A preset"
MAP_UPLOAD = "Upload a mapping (TOML)"
MAP_BUILD = "Map the columns here"
NOT_MAPPED = "(not in this file)"
K_RESULT = "import_result"
K_FILES = "import_files"


def store_upload(data: bytes, *, tmp_root: Path | None = None) -> Path:
    """Write uploaded bytes to a new temp folder as ``upload<suffix>``; the suffix comes from the content.

    The user's file name plays no part, so ``../../x.csv`` cannot escape.
    """
    folder = Path(tempfile.mkdtemp(prefix="brassmap-upload-", dir=tmp_root))
    raw = folder / "upload.bin"
    raw.write_bytes(data)
    target = folder / f"upload{SAFE_SUFFIX.get(sniff_format(raw), '.bin')}"
    raw.rename(target)
    return target


def _uploaded_path(upload: st.runtime.uploaded_file_manager.UploadedFile) -> Path:
    """Return the temp file of an upload, written once per upload (not on every rerun).

    Only the latest upload's folder is kept; an earlier one is removed.
    """
    digest = hashlib.sha256(upload.getvalue()).hexdigest()
    kept: dict[str, str] = st.session_state.get(K_FILES, {})
    if digest in kept and Path(kept[digest]).exists():
        return Path(kept[digest])
    for old in kept.values():
        shutil.rmtree(Path(old).parent, ignore_errors=True)
    path = store_upload(upload.getvalue())
    st.session_state[K_FILES] = {digest: str(path)}
    return path


def mapping_toml(kind: str, columns: dict[str, str], formats: dict[str, str]) -> str:
    """Write a mapping file (TOML) for ``kind`` from field -> source column choices.

    Examples
    --------
    >>> text = mapping_toml("incidents", {"incident_id": "Case #"}, {"occurred_at": "%m/%d/%Y %H:%M"})
    >>> parse_mapping(text, name="built").columns["incident_id"]
    ('Case #',)
    """
    lines = [f"kind = {json.dumps(kind)}", "", "[columns]"]
    lines += [f"{json.dumps(name)} = {json.dumps(source)}" for name, source in columns.items()]
    if formats:
        lines += ["", "[formats]"]
        lines += [f"{json.dumps(name)} = {json.dumps(fmt)}" for name, fmt in formats.items()]
    return "\n".join(lines) + "\n"


def _field_choices(kind: str) -> list[str]:
    names = list(S.SCHEMAS[kind].names)
    if kind in (S.INCIDENTS, S.FIREARMS):
        names.append(S.LOCATION)
    return [name for name in names if name != S.IS_SYNTHETIC]


def _build_mapping(path: Path, kind: str, display_name: str) -> Mapping | None:
    """Let the user pick a source column per schema field; offer the TOML for download."""
    with tempfile.TemporaryDirectory(prefix="brassmap-columns-") as workdir:
        raw = read_source(path, Mapping(kind=kind), display_name=display_name, workdir=Path(workdir))
    source_columns = [str(c) for c in raw.frame.columns]
    by_folded = {c.strip().casefold(): c for c in source_columns}
    required = set(S.SCHEMAS[kind].required)
    st.caption("Pick the column of your file for each field. Same-named columns are preselected.")
    chosen: dict[str, str] = {}
    grid = st.columns(3)
    for index, name in enumerate(_field_choices(kind)):
        options = [NOT_MAPPED, *source_columns]
        guess = by_folded.get(name.casefold(), NOT_MAPPED)
        label = f"{name} (required)" if name in required else name
        pick = grid[index % 3].selectbox(
            label,
            options,
            index=options.index(guess),
            key=f"map_{kind}_{name}",
        )
        if pick != NOT_MAPPED:
            chosen[name] = pick
    date_format = st.text_input(
        "Date/time format of the date columns (blank = ISO 8601, e.g. 2021-06-30 22:15)",
        key=f"map_{kind}_format",
        help="Python strptime codes, e.g. %m/%d/%Y %H:%M",
    )
    date_fields = [
        f.name for f in S.SCHEMAS[kind].fields if f.dtype in ("datetime", "date") and f.name in chosen
    ]
    formats = {name: date_format for name in date_fields} if date_format.strip() else {}
    text = mapping_toml(kind, chosen, formats)
    mapping = parse_mapping(text, name="mapping built in the dashboard")
    st.download_button(
        "Save this mapping (TOML)",
        data=text,
        file_name=f"{kind}_mapping.toml",
        mime="application/toml",
        on_click="ignore",
        icon=":material/save:",
    )
    return mapping


def _choose_mapping(path: Path, display_name: str) -> Mapping | None:
    how = st.radio("Mapping", (MAP_PRESET, MAP_UPLOAD, MAP_BUILD), horizontal=True, key="import_mapping_how")
    if how == MAP_PRESET:
        presets = sorted(PRESETS_DIR.glob("*.toml"))
        if not presets:
            st.info("No presets are installed; upload a mapping or map the columns here.")
            return None
        preset = st.selectbox("Preset", presets, format_func=lambda p: p.stem, key="import_preset")
        return load_mapping(preset)
    if how == MAP_UPLOAD:
        mapping_file = st.file_uploader("Mapping file (TOML)", type=["toml"], key="import_mapping_file")
        if mapping_file is None:
            return None
        text = mapping_file.getvalue().decode("utf-8", errors="strict")
        return parse_mapping(text, name=mapping_file.name)
    kind = st.selectbox("What the file holds", S.KINDS, key="import_kind")
    return _build_mapping(path, kind, display_name)


def _rejects_ui(rejects: pd.DataFrame, *, key: str) -> None:
    if rejects is None or rejects.empty:
        st.success("No rejected or warned rows.")
        return
    errors = int((rejects[S.REJECT_SEVERITY] == "error").sum())
    st.markdown(f"**Rejects report:** {errors:,} rejected rows, {len(rejects) - errors:,} warnings")
    st.dataframe(rejects, hide_index=True, width="stretch", height=min(400, 40 + 35 * len(rejects)))
    st.download_button(
        "Download the rejects report (CSV)",
        data=csv_bytes(rejects),
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
    _rejects_ui(result["rejects"], key="last")


@guarded_fragment("import")
def import_panel(db_url: str) -> None:
    """Draw the import panel; a successful import reloads the page on the new data."""
    _show_last_result()
    upload = st.file_uploader(
        "Data file (CSV, Excel, Parquet, GeoJSON, GeoPackage, zipped shapefile; checked by content)",
        key="import_upload",
    )
    if upload is None:
        return
    path = _uploaded_path(upload)
    mapping = _choose_mapping(path, upload.name)
    if mapping is None:
        return
    with st.spinner("Reading and checking the file..."):
        batch = read_validated(path, mapping, display_name=upload.name)
    st.markdown(f"**Preview** of {md(upload.name)} as {mapping.kind}: {md(summarise(batch))}")
    records = batch.records.get(mapping.kind)
    if records is not None:
        st.dataframe(records.head(20), hide_index=True, width="stretch")
    _rejects_ui(batch.rejects, key="preview")
    if st.button("Import into the database", type="primary", key="import_go", icon=":material/upload:"):
        with st.spinner("Importing..."):
            try:
                report = import_file(path, mapping, store_for(db_url), display_name=upload.name)
            except AllRowsRejectedError as exc:
                rejects = getattr(exc.report, "rejects", None)
                st.session_state[K_RESULT] = {"ok": False, "summary": str(exc), "rejects": rejects}
            else:
                LOG.info("imported %s: %s", upload.name, report.summary())
                st.session_state[K_RESULT] = {
                    "ok": True,
                    "summary": report.summary(),
                    "rejects": report.rejects,
                }
        frames_for.clear()
        st.rerun(scope="app")
