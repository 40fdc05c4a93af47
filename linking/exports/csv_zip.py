"""CSV nodes + CSV edges in one zip (Excel, any spreadsheet), formula-safe."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from data.csv_out import csv_bytes
from linking.exports._common import edge_table, metadata_text, node_table, prepare

NODES_NAME = "nodes.csv"
EDGES_NAME = "edges.csv"
README_NAME = "README.txt"


def export_csv_zip(
    selection: Any, *, include_sensitive: bool = False, generalise_addresses: bool = True
) -> bytes:
    """Return a zip with ``nodes.csv``, ``edges.csv`` and ``README.txt`` (the metadata block).

    Written by :mod:`data.csv_out`, the one CSV writer: text cells that a
    spreadsheet would run as a formula (starting with ``= + - @``, tab, CR or
    NUL) are prefixed with ``'``; every text cell is quoted. Numbers are
    written as numbers.
    """
    graph, block = prepare(
        selection, export_format="csv",
        include_sensitive=include_sensitive, generalise_addresses=generalise_addresses,
    )
    readme = (
        metadata_text(block)
        + "\n\nText cells starting with = + - @, tab, CR or NUL are prefixed with ' so spreadsheets "
        "do not run them as formulas; every text cell is quoted.\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(README_NAME, readme)  # zipfile writes str as UTF-8
        bundle.writestr(NODES_NAME, csv_bytes(node_table(graph)))
        bundle.writestr(EDGES_NAME, csv_bytes(edge_table(graph)))
    return buffer.getvalue()
