"""Content sniffing and archive guards: decide what a file is and open it safely.

Nothing here trusts a file name: formats are sniffed from the first bytes, zip
members are checked (count, declared sizes, compression ratio, names, symlinks)
before anything is extracted, and gzip streams are decompressed with a byte cap.
"""

from __future__ import annotations

import gzip
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from data.errors import ArchiveError, UnsupportedFormatError

MAX_INPUT_BYTES = 1 << 30  # 1 GiB on disk
MAX_UNPACKED_BYTES = 2 << 30  # 2 GiB after decompression, all members together
MAX_MEMBERS = 1000
MAX_RATIO = 200  # uncompressed / compressed, per member and overall
_SMALL_BYTES = 1 << 20  # below this much unpacked, a high ratio is harmless (a tiny repetitive CSV)

FORMATS = ("csv", "gzip", "zip", "xlsx", "xls", "parquet", "geojson", "gpkg", "shp")
_TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".geojson", ".json", ".gpkg", ".shp", ".parquet", ".xlsx")


@dataclass(frozen=True)
class Limits:
    """Size limits applied to every input (override in tests or deployments)."""

    max_input_bytes: int = MAX_INPUT_BYTES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_members: int = MAX_MEMBERS
    max_ratio: int = MAX_RATIO


DEFAULT_LIMITS = Limits()


def _is_wide_text(head: bytes, encoding: str | None) -> bool:
    """UTF-16/32 text: a BOM (what Excel's "Unicode Text" writes), or an encoding the mapping declares."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if encoding is None:
        return False
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("utf-16", "utf-32"))


def sniff_format(path: str | Path, *, display_name: str | None = None, encoding: str | None = None) -> str:
    """Return the format of a file from its content, not its extension.

    Returns one of ``FORMATS``: ``"csv"`` for any other text. Messages name
    ``display_name`` (default: the file's own name; an upload's temp file
    is named by what the user uploaded). UTF-16 text (with a BOM, or when
    ``encoding`` declares it) is ``"csv"``, not binary.

    Raises
    ------
    UnsupportedFormatError
        Binary content brassmap does not read (e.g. a PDF or an image).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "upload.xlsx"
    >>> _ = p.write_text("incident_id,city\\n001,Detroit\\n")
    >>> sniff_format(p)
    'csv'
    """
    path = Path(path)
    shown = display_name or path.name
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise UnsupportedFormatError(
                f"{shown}: looks like a zip archive but cannot be opened ({exc})"
            ) from exc
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head[:4] == b"\x00\x00\x27\x0a":
        return "shp"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if _is_wide_text(head, encoding):
        return "csv"
    if b"\x00" in head.rstrip(b"\x00") or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise UnsupportedFormatError(
            f"{shown}: binary content that is not a supported format; brassmap reads CSV (optionally "
            "gzipped), Excel .xlsx, Parquet, GeoJSON, GeoPackage and shapefiles (zipped or not)"
        )
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") and b'"type"' in head and (b"Feature" in head or b"coordinates" in head):
        return "geojson"
    return "csv"


def check_size(path: Path, *, display_name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a file larger than ``limits.max_input_bytes``."""
    size = path.stat().st_size
    if size > limits.max_input_bytes:
        raise ArchiveError(
            f"{display_name}: {size:,} bytes is above the {limits.max_input_bytes:,}-byte input limit; "
            "split the export into smaller files"
        )


def _bad_member_name(name: str) -> str | None:
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return "climbs out of the archive with '..'"
    return None


def check_zip(path: Path, *, display_name: str, limits: Limits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """Check a zip archive before extraction and return its file members.

    Rejects archives with too many members, declared sizes above the limit,
    a compression ratio typical of zip bombs, absolute or ``..`` member names,
    and symbolic links. Nothing is extracted.

    Raises
    ------
    ArchiveError
        Naming the member and the limit it broke.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"{display_name}: not a readable zip archive ({exc})") from exc
    if len(members) > limits.max_members:
        raise ArchiveError(
            f"{display_name}: {len(members):,} members is above the limit of {limits.max_members:,}; "
            "zip only the files of one layer"
        )
    total = 0
    packed = 0
    for info in members:
        problem = _bad_member_name(info.filename)
        if problem:
            raise ArchiveError(
                f"{display_name}: member {info.filename!r} {problem}; rejected before extraction"
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ArchiveError(
                f"{display_name}: member {info.filename!r} is a symbolic link; rejected before extraction"
            )
        total += info.file_size
        packed += info.compress_size
        if info.file_size > _SMALL_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ArchiveError(
                f"{display_name}: member {info.filename!r} would expand {info.file_size:,} bytes from "
                f"{info.compress_size:,} (ratio above {limits.max_ratio}); looks like a zip bomb"
            )
    if total > limits.max_unpacked_bytes:
        raise ArchiveError(
            f"{display_name}: members declare {total:,} bytes in all, above the "
            f"{limits.max_unpacked_bytes:,}-byte limit; rejected before extraction"
        )
    on_disk = max(path.stat().st_size, 1)
    if total > _SMALL_BYTES and total > limits.max_ratio * on_disk:
        raise ArchiveError(
            f"{display_name}: {len(members):,} members declare {total:,} bytes in all from {on_disk:,} bytes "
            f"on disk (ratio above {limits.max_ratio}); looks like a zip bomb, rejected before extraction"
        )
    return [m for m in members if not m.is_dir()]


def extract_zip(
    path: Path, target: Path, *, display_name: str, limits: Limits = DEFAULT_LIMITS
) -> list[Path]:
    """Check then extract a zip archive into ``target``; return the extracted files.

    Extraction copies at most the declared size of each member, so an archive
    lying about its sizes cannot write more than it declared.
    """
    members = check_zip(path, display_name=display_name, limits=limits)
    extracted: list[Path] = []
    with zipfile.ZipFile(path) as archive:
        for info in members:
            destination = target / PurePosixPath(info.filename.replace("\\", "/"))
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, destination.open("wb") as sink:
                copied = _copy_capped(source, sink, info.file_size)
            if copied > info.file_size:
                raise ArchiveError(
                    f"{display_name}: member {info.filename!r} expands beyond its declared "
                    f"{info.file_size:,} bytes; rejected"
                )
            extracted.append(destination)
    return extracted


def _copy_capped(source, sink, cap: int) -> int:  # type: ignore[no-untyped-def]
    copied = 0
    while True:
        chunk = source.read(1 << 20)
        if not chunk:
            return copied
        copied += len(chunk)
        if copied > cap:
            return copied
        sink.write(chunk)


def gunzip(path: Path, target: Path, *, display_name: str, limits: Limits = DEFAULT_LIMITS) -> Path:
    """Decompress a gzip file into ``target`` with a byte cap (gzip-bomb guard)."""
    cap = min(limits.max_unpacked_bytes, max(limits.max_ratio * path.stat().st_size, 64 << 20))
    out = target / "unpacked"
    try:
        with gzip.open(path, "rb") as source, out.open("wb") as sink:
            copied = _copy_capped(source, sink, cap)
    except (OSError, EOFError) as exc:
        raise ArchiveError(f"{display_name}: gzip data is corrupt or truncated ({exc})") from exc
    if copied > cap:
        raise ArchiveError(
            f"{display_name}: gzip content expands beyond {cap:,} bytes; looks like a compression bomb"
        )
    return out


def pick_member(files: list[Path], root: Path, *, member: str | None, display_name: str) -> Path:
    """Choose the file to read inside an extracted archive.

    ``member`` (from the mapping's ``[options] member``) wins; else the single
    readable file (a ``.shp`` beats its sidecar files).
    """
    if member is not None:
        for candidate in files:
            if candidate.relative_to(root).as_posix() == member or candidate.name == member:
                return candidate
        raise ArchiveError(
            f"{display_name}: no member named {member!r}; members: "
            + ", ".join(f.relative_to(root).as_posix() for f in files)
        )
    shapefiles = [f for f in files if f.suffix.lower() == ".shp"]
    readable = shapefiles or [f for f in files if f.suffix.lower() in _TABLE_SUFFIXES]
    if len(readable) == 1:
        return readable[0]
    if not readable:
        raise ArchiveError(
            f"{display_name}: the archive holds no readable file ({', '.join(_TABLE_SUFFIXES)})"
        )
    raise ArchiveError(
        f"{display_name}: the archive holds several readable files ("
        + ", ".join(f.relative_to(root).as_posix() for f in readable)
        + "); name one with [options] member = \"...\" in the mapping"
    )
