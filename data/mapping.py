"""Mapping files: how one source file's columns and values become schema fields.

A mapping is a small TOML file (see ``SCHEMA.md``)::

    kind = "links"
    [columns]                 # schema field = source column (or a list, joined with a space)
    incident_a = "Agency Case # 1"
    [values.status]           # source value = schema value
    "HIT - Confirmed" = "hit"
    [contains.incident_type]  # first source substring found wins (ordered)
    "Shot - Dead" = "homicide"
    [unmatched]               # reason given when no value/contains entry matches (row rejected)
    incident_type = "not a shooting incident"
    [otherwise]               # or: the value used when no entry matches (row kept)
    incident_type = "non_fatal_shooting"
    [formats]                 # strptime format, "excel" (serial days) or "iso"
    lead_date = "%m/%d/%Y"
    [constants]               # same value for every row
    city = "Milwaukee"
    [csv]
    delimiter = ";"
    encoding = "cp1252"
    [options]
    crs = "EPSG:2229"         # CRS of x/y columns or of a file that declares none
    swap_lat_lon = false      # fix rows whose lat/lon look swapped (else reject them)
    sheet = "Sheet1"          # Excel sheet
    member = "districts.shp"  # which file inside a zip archive
    allow_missing = true      # optional fields whose column is absent are left empty
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from data import schema as S
from data.errors import MappingError

_SECTIONS = (
    "kind", "columns", "values", "contains", "unmatched", "otherwise",
    "formats", "constants", "csv", "options",
)
_CSV_KEYS = ("delimiter", "encoding", "decimal")
_OPTION_KEYS = ("crs", "swap_lat_lon", "sheet", "member", "allow_missing")
_SPECIAL_FORMATS = ("iso", "excel")
# input-only fields accepted in [columns] besides the schema fields
_EXTRA_INPUTS: dict[str, tuple[str, ...]] = {
    S.INCIDENTS: (S.LOCATION,),
    S.FIREARMS: (S.LOCATION,),
}


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file.

    Attributes
    ----------
    kind : str
        One of ``schema.KINDS``.
    name : str
        Where the mapping came from (file name), for messages.
    columns : dict
        Schema field -> tuple of source column names (joined with a space).
    values, contains : dict
        Per field: source value -> schema value (exact, or ordered substrings).
    unmatched : dict
        Per field: the reject reason used when a value matches no entry.
    otherwise : dict
        Per field: the schema value used when a value matches no entry.
    formats : dict
        Per date field: strptime format, ``"iso"`` or ``"excel"``.
    constants : dict
        Field -> value used for every row (when the field has no column).
    delimiter, encoding, decimal : str or None
        CSV settings; ``None`` means sniff / UTF-8 with cp1252 fallback / ".".
    crs : str or None
        Declared CRS of coordinates or of a geo file without one.
    swap_lat_lon : bool
        Fix (with a warning) rows whose latitude and longitude look swapped.
    sheet : str or int or None
        Excel sheet name or 0-based index.
    member : str or None
        The file to read inside a zip archive.
    allow_missing : bool
        Optional fields whose source column is absent are left empty instead
        of failing the import (required fields still fail).
    """

    kind: str
    name: str = "<mapping>"
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    contains: dict[str, dict[str, str]] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)
    otherwise: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    crs: str | None = None
    swap_lat_lon: bool = False
    sheet: str | int | None = None
    member: str | None = None
    allow_missing: bool = False

    @property
    def schema(self) -> S.RecordSchema:
        """The record schema of :attr:`kind`."""
        return S.SCHEMAS[self.kind]

    def provides(self, field_name: str) -> bool:
        """Whether the mapping gives ``field_name`` a column or a constant."""
        return field_name in self.columns or field_name in self.constants


class _CsvSettings(TypedDict):
    delimiter: str | None
    encoding: str | None
    decimal: str | None


def _fail(name: str, problems: list[str]) -> MappingError:
    lines = "\n  - ".join(problems)
    return MappingError(
        f"mapping {name}: {len(problems)} problem(s):\n  - {lines}\n"
        "See SCHEMA.md ('Writing a mapping file') for the format."
    )


def _table(raw: dict[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"[{key}] must be a table, got {type(value).__name__} {value!r}")
        return {}
    return value


def _check_fields(
    section: str, names: list[str], allowed: tuple[str, ...], kind: str, problems: list[str]
) -> None:
    for field_name in names:
        if field_name not in allowed:
            problems.append(
                f"[{section}] names unknown field {field_name!r} for kind {kind!r}; "
                f"known fields: {', '.join(allowed)}"
            )


def parse_mapping(text: str, *, name: str = "<mapping>") -> Mapping:
    """Parse mapping TOML text, collecting every problem into one error.

    Parameters
    ----------
    text : str
        TOML text.
    name : str, keyword-only
        File name used in messages.

    Raises
    ------
    MappingError
        Bad TOML, an unknown kind, section, field or option, or a value that
        is not allowed for its field.

    Examples
    --------
    >>> text = 'kind = "links"\\n[columns]\\nincident_a = "Case 1"\\n[values.status]\\nHIT = "hit"'
    >>> m = parse_mapping(text)
    >>> m.columns["incident_a"], m.values["status"]["HIT"]
    (('Case 1',), 'hit')
    >>> parse_mapping('kind = "shootings"')
    Traceback (most recent call last):
    ...
    data.errors.MappingError: mapping <mapping>: 1 problem(s):
      - kind 'shootings' is not one of incidents, links, evidence, firearms, boundaries
    See SCHEMA.md ('Writing a mapping file') for the format.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(
            f"mapping {name}: not valid TOML ({exc}); check quotes and [section] headers"
        ) from exc
    problems: list[str] = []
    for key in raw:
        if key not in _SECTIONS:
            problems.append(f"unknown section or key {key!r}; expected one of {', '.join(_SECTIONS)}")
    kind = raw.get("kind")
    if kind not in S.KINDS:
        problems.append(f"kind {kind!r} is not one of {', '.join(S.KINDS)}")
        raise _fail(name, problems)
    schema = S.SCHEMAS[kind]
    columns = _columns(raw, schema, problems)
    values = _value_table(raw, "values", schema, problems)
    contains = _value_table(raw, "contains", schema, problems)
    unmatched, otherwise = _fallbacks(raw, schema, problems)
    formats = _formats(raw, schema, problems)
    constants = dict(_table(raw, "constants", problems))
    _check_fields("constants", list(constants), schema.names, kind, problems)
    csv = _csv(raw, problems)
    options = _options(raw, problems)
    if problems:
        raise _fail(name, problems)
    return Mapping(
        kind=kind,
        name=name,
        columns=columns,
        values=values,
        contains=contains,
        unmatched=unmatched,
        otherwise=otherwise,
        formats=formats,
        constants=constants,
        **csv,
        **options,
    )


def _columns(raw: dict[str, Any], schema: S.RecordSchema, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """``[columns]``: field = column name or list of column names."""
    columns: dict[str, tuple[str, ...]] = {}
    for field_name, source in _table(raw, "columns", problems).items():
        if isinstance(source, str):
            columns[field_name] = (source,)
        elif isinstance(source, list) and source and all(isinstance(s, str) for s in source):
            columns[field_name] = tuple(source)
        else:
            problems.append(
                f"[columns] {field_name} = {source!r}: expected a column name or a list of column names"
            )
    inputs = schema.names + _EXTRA_INPUTS.get(schema.kind, ())
    _check_fields("columns", list(columns), inputs, schema.kind, problems)
    return columns


def _value_table(
    raw: dict[str, Any], section: str, schema: S.RecordSchema, problems: list[str]
) -> dict[str, dict[str, str]]:
    """``[values.<field>]`` or ``[contains.<field>]``: source value = schema value (an allowed one)."""
    per_field = _table(raw, section, problems)
    _check_fields(section, list(per_field), schema.names, schema.kind, problems)
    out: dict[str, dict[str, str]] = {}
    for field_name, pairs in per_field.items():
        if not isinstance(pairs, dict):
            problems.append(f"[{section}.{field_name}] must be a table of \"source\" = \"schema value\"")
            continue
        out[field_name] = {str(k): str(v) for k, v in pairs.items()}
        declared = schema.field(field_name) if field_name in schema.names else None
        if declared is not None and declared.allowed is not None:
            for source, target in pairs.items():
                if str(target) not in declared.allowed:
                    problems.append(
                        f"[{section}.{field_name}] maps {source!r} to {target!r}, which is not one of "
                        f"{', '.join(declared.allowed)}"
                    )
    return out


def _fallbacks(
    raw: dict[str, Any], schema: S.RecordSchema, problems: list[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """``[unmatched]`` (reject reason) and ``[otherwise]`` (fallback value); a field may be in one only."""
    unmatched = {str(k): str(v) for k, v in _table(raw, "unmatched", problems).items()}
    _check_fields("unmatched", list(unmatched), schema.names, schema.kind, problems)
    otherwise = {str(k): str(v) for k, v in _table(raw, "otherwise", problems).items()}
    _check_fields("otherwise", list(otherwise), schema.names, schema.kind, problems)
    for field_name in set(unmatched) & set(otherwise):
        problems.append(f"{field_name} is in both [unmatched] and [otherwise]; keep one")
    for field_name, target in otherwise.items():
        allowed = schema.field(field_name).allowed if field_name in schema.names else None
        if allowed is not None and target not in allowed:
            problems.append(f"[otherwise] {field_name} = {target!r} is not one of {', '.join(allowed)}")
    return unmatched, otherwise


def _formats(raw: dict[str, Any], schema: S.RecordSchema, problems: list[str]) -> dict[str, str]:
    """``[formats]``: a strptime format, ``"iso"`` or ``"excel"`` per date field."""
    formats = {str(k): str(v) for k, v in _table(raw, "formats", problems).items()}
    _check_fields("formats", list(formats), schema.names, schema.kind, problems)
    for field_name, fmt in formats.items():
        if fmt not in _SPECIAL_FORMATS and "%" not in fmt:
            problems.append(
                f"[formats] {field_name} = {fmt!r}: expected a strptime format such as \"%m/%d/%Y\", "
                "\"iso\" or \"excel\""
            )
    return formats


def _csv(raw: dict[str, Any], problems: list[str]) -> _CsvSettings:
    """``[csv]``: delimiter (one character), encoding (one Python knows), decimal."""
    csv = _table(raw, "csv", problems)
    for key in csv:
        if key not in _CSV_KEYS:
            problems.append(f"[csv] unknown key {key!r}; expected one of {', '.join(_CSV_KEYS)}")
    delimiter = csv.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        problems.append(f"[csv] delimiter = {delimiter!r}: expected one character such as \";\" or \"\\t\"")
    encoding = csv.get("encoding")
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(str(encoding))
        except LookupError:
            problems.append(
                f"[csv] encoding = {encoding!r} is not a known encoding (try \"utf-8\" or \"cp1252\")"
            )
    return {
        "delimiter": delimiter if isinstance(delimiter, str) else None,
        "encoding": None if encoding is None else str(encoding),
        "decimal": None if csv.get("decimal") is None else str(csv["decimal"]),
    }


def _options(raw: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """``[options]``: crs (one pyproj knows), swap_lat_lon, sheet, member, allow_missing."""
    options = _table(raw, "options", problems)
    for key in options:
        if key not in _OPTION_KEYS:
            problems.append(f"[options] unknown key {key!r}; expected one of {', '.join(_OPTION_KEYS)}")
    swap = options.get("swap_lat_lon", False)
    allow_missing = options.get("allow_missing", False)
    for key, flag in (("swap_lat_lon", swap), ("allow_missing", allow_missing)):
        if not isinstance(flag, bool):
            problems.append(f"[options] {key} = {flag!r}: expected true or false")
    crs = options.get("crs")
    if crs is not None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            CRS.from_user_input(crs)
        except CRSError:
            problems.append(f"[options] crs = {crs!r} is not a CRS pyproj knows; write it like \"EPSG:2229\"")
    return {
        "crs": None if crs is None else str(crs),
        "swap_lat_lon": bool(swap),
        "sheet": options.get("sheet"),
        "member": None if options.get("member") is None else str(options["member"]),
        "allow_missing": bool(allow_missing),
    }


def load_mapping(path: str | Path) -> Mapping:
    """Read and parse a mapping file.

    Raises
    ------
    MappingError
        The file is missing, unreadable or invalid.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise MappingError(
            f"mapping file {path} not found; pass an existing .toml file with --mapping"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"mapping file {path} could not be read as UTF-8 text: {exc}") from exc
    return parse_mapping(text, name=path.name)
