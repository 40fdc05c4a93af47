"""Basemap tiles from an MBTiles file, laid out so the app can serve them itself.

An MBTiles file is an SQLite database with a ``tiles`` table (zoom_level,
tile_column, tile_row in TMS order, tile_data). :func:`extract_mbtiles` writes
its tiles as ``<target>/{z}/{x}/{y}.<ext>`` (XYZ order, as Leaflet asks for
them) under the folder Streamlit serves as ``/app/static/``, so a network with
no internet still gets a street basemap from a file the agency holds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from data.errors import IngestError

FORMATS = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}


class TileFileError(IngestError):
    """An MBTiles file that cannot be used as a basemap."""


@dataclass(frozen=True)
class TileSet:
    """What :func:`extract_mbtiles` wrote.

    Attributes
    ----------
    folder : Path
        Where the ``{z}/{x}/{y}.<ext>`` files are.
    extension : str
        ``png``, ``jpg`` or ``webp``.
    tiles : int
        Number of tiles in place.
    max_zoom : int
        Deepest zoom level in the file.
    name : str
        The file's ``name`` metadata, or its file name.
    attribution : str
        The file's ``attribution`` metadata (may be empty).
    """

    folder: Path
    extension: str
    tiles: int
    max_zoom: int
    name: str
    attribution: str


def extract_mbtiles(path: str | Path, target: str | Path) -> TileSet:
    """Write the tiles of the MBTiles file ``path`` into ``target`` (``{z}/{x}/{y}.<ext>``).

    Tiles already in place with the same bytes are left alone, so calling
    this at every start is cheap.

    Raises
    ------
    TileFileError
        The file is missing, not SQLite, has no ``tiles`` table, or holds a
        tile format a browser cannot show.
    """
    path, target = Path(path), Path(target)
    if not path.is_file():
        raise TileFileError(f"{path}: no such MBTiles file; set BRASSMAP_TILES to an existing .mbtiles file")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise TileFileError(
            f"{path}: cannot be opened as SQLite ({error}); is it an MBTiles file?"
        ) from error
    try:
        meta = dict(connection.execute("SELECT name, value FROM metadata").fetchall())
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in FORMATS:
            raise TileFileError(
                f"{path}: tile format {fmt!r} (metadata 'format') is not one a browser shows as an image; "
                f"expected one of {', '.join(sorted(FORMATS))} (vector tiles need a style renderer)"
            )
        extension = FORMATS[fmt]
        count, max_zoom = 0, 0
        for zoom, column, row, data in connection.execute(
            "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"
        ):
            y = (1 << int(zoom)) - 1 - int(row)  # TMS rows count from the south
            tile = target / str(int(zoom)) / str(int(column)) / f"{y}.{extension}"
            if not tile.is_file() or tile.read_bytes() != bytes(data):
                tile.parent.mkdir(parents=True, exist_ok=True)
                tile.write_bytes(bytes(data))
            count += 1
            max_zoom = max(max_zoom, int(zoom))
    except sqlite3.DatabaseError as error:
        raise TileFileError(
            f"{path}: not a readable MBTiles file ({error}); it needs 'metadata' and 'tiles' tables"
        ) from error
    finally:
        connection.close()
    if count == 0:
        raise TileFileError(f"{path}: the tiles table is empty; there is no basemap to show")
    return TileSet(
        target,
        extension,
        count,
        max_zoom,
        str(meta.get("name") or path.stem),
        str(meta.get("attribution") or ""),
    )
