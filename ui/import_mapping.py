"""How the Import tab reads an upload: a preset, an uploaded mapping file, or columns mapped here.

Nothing is applied before the user chooses, except a preset recognised from
the file's own column names (:func:`data.recognise.recognise_preset`), and the
tab says which and why. The file's columns are read once per upload, with no
mapping (delimiter and encoding sniffed); when even that fails, the problem
is shown with the same text the command line prints, and a mapping file
(which can name the delimiter, encoding, sheet or archive member) can still
be uploaded.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from data import schema as S
from data.errors import BrassmapError, MappingError
from data.mapping import Mapping, load_mapping, parse_mapping
from data.readers import read_source
from data.recognise import Recognition, recognise_preset
from ui.text import md

PRESETS_DIR = Path(__file__).resolve().parent.parent / "data" / "presets"
MAP_PRESET = "A preset"
MAP_UPLOAD = "Upload a mapping (TOML)"
MAP_BUILD = "Map the columns here"
NOT_MAPPED = "(not in this file)"
K_HOW = "import_mapping_how"
K_PRESET = "import_preset"
K_KIND = "import_kind"
K_COLUMNS = "import_columns"
CHOICE_KEYS = (K_HOW, K_PRESET, K_KIND)
"""Widget keys forgotten when a new file is uploaded (its own recognition decides their defaults)."""


@dataclass(frozen=True)
class FileColumns:
    """The column names of an upload read with no mapping, or the reason they could not be read."""

    columns: tuple[str, ...] | None
    problem: str | None


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


@st.cache_resource(show_spinner=False)
def presets() -> dict[str, Mapping]:
    """The installed presets by name (file stem), parsed once per server (never mutate them)."""
    return {path.stem: load_mapping(path) for path in sorted(PRESETS_DIR.glob("*.toml"))}


def file_columns(path: Path, display_name: str, digest: str) -> FileColumns:
    """Read the upload's column names once (kept per upload in the session)."""
    kept: dict[str, FileColumns] = st.session_state.setdefault(K_COLUMNS, {})
    if digest not in kept:
        try:
            with tempfile.TemporaryDirectory(prefix="brassmap-columns-") as workdir:
                raw = read_source(
                    path, Mapping(kind=S.INCIDENTS), display_name=display_name, workdir=Path(workdir)
                )
            kept.clear()  # only the latest upload
            kept[digest] = FileColumns(tuple(str(c) for c in raw.frame.columns), None)
        except BrassmapError as exc:
            kept.clear()
            kept[digest] = FileColumns(None, exc.user_text)
    return kept[digest]


def forget_choices() -> None:
    """Drop the previous upload's choices, so nothing chosen for it is applied to a new file."""
    for key in CHOICE_KEYS:
        st.session_state.pop(key, None)


OTHER_SPELLINGS: dict[str, tuple[str, ...]] = {S.CALIBER: ("calibre",)}
"""Column names preselected for a field besides its own name (compared without case)."""


def _field_choices(kind: str) -> list[str]:
    names = list(S.SCHEMAS[kind].names)
    if kind in (S.INCIDENTS, S.FIREARMS):
        names.append(S.LOCATION)
    return [name for name in names if name != S.IS_SYNTHETIC]


def _build_mapping(kind: str, source_columns: list[str]) -> Mapping:
    """Let the user pick a source column per schema field; offer the TOML for download."""
    by_folded = {c.strip().casefold(): c for c in source_columns}
    required = set(S.SCHEMAS[kind].required)
    st.caption("Pick the column of your file for each field. Same-named columns are preselected.")
    chosen: dict[str, str] = {}
    grid = st.columns(3)
    for index, name in enumerate(_field_choices(kind)):
        options = [NOT_MAPPED, *source_columns]
        spellings = (name, *OTHER_SPELLINGS.get(name, ()))
        guess = next((by_folded[s] for s in spellings if s in by_folded), NOT_MAPPED)
        label = f"{name} (required)" if name in required else name
        pick = grid[index % 3].selectbox(label, options, index=options.index(guess), key=f"map_{kind}_{name}")
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


def _recognition_note(display_name: str, found: Recognition) -> None:
    if found.chosen:
        st.info(
            f"Recognised {md(display_name)} as the preset **{md(found.chosen)}**: it reads "
            f"{found.used_columns} of the file's columns by name. Pick another preset or way below if "
            "that is wrong; nothing is stored before you press Import.",
            icon=":material/fact_check:",
        )
    elif found.candidates:
        names = ", ".join(f"**{md(name)}**" for name in found.candidates)
        st.info(
            f"The columns of {md(display_name)} fit these presets equally well: {names}. "
            "They read the same columns differently; choose the one that describes your file."
        )


def _uploaded_mapping() -> Mapping | None:
    mapping_file = st.file_uploader("Mapping file (TOML)", type=["toml"], key="import_mapping_file")
    if mapping_file is None:
        return None
    try:
        text = mapping_file.getvalue().decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise MappingError(
            f"mapping {mapping_file.name}: not UTF-8 text (byte {exc.start + 1} cannot be read); "
            "save it as UTF-8 and upload it again"
        ) from exc
    return parse_mapping(text, name=mapping_file.name)


def choose_mapping(display_name: str, found: FileColumns) -> Mapping | None:
    """Ask how to read the upload; return the mapping, or ``None`` until the user has chosen.

    Raises :class:`~data.errors.BrassmapError` (shown by the caller) for a bad mapping file.
    """
    all_presets = presets()
    recognition = (
        recognise_preset(found.columns, all_presets) if found.columns else Recognition(None, (), 0)
    )
    _recognition_note(display_name, recognition)
    ways = (MAP_PRESET, MAP_UPLOAD, MAP_BUILD)
    how = st.radio(
        "How to read this file",
        ways,
        index=0 if recognition.candidates else None,
        horizontal=True,
        key=K_HOW,
    )
    if how is None:
        st.caption(
            "Choose a preset (brassmap's own format, or a public source we read), upload your mapping "
            "file, or map the columns here. Nothing is read into the database before you press Import."
        )
        return None
    if how == MAP_UPLOAD:
        return _uploaded_mapping()
    if how == MAP_BUILD:
        if found.columns is None:
            st.info("The columns of this file could not be read (see above); upload a mapping file instead.")
            return None
        kind = st.selectbox("What the file holds", S.KINDS, key=K_KIND)
        return _build_mapping(kind, list(found.columns))
    names = list(all_presets)
    if not names:
        st.info("No presets are installed; upload a mapping or map the columns here.")
        return None
    chosen = st.selectbox(
        "Preset",
        names,
        index=names.index(recognition.chosen) if recognition.chosen else None,
        placeholder="Choose a preset",
        key=K_PRESET,
    )
    return None if chosen is None else all_presets[chosen]
